#!/usr/bin/env python3
"""Turns a criterion run (target/criterion) into the tables of BENCHMARKS.md.

Run `cargo bench --bench validation` first; this prints Markdown on standard output.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
FIXTURES = ["mhlw_valid", "mhlw_invalid", "checklist_valid", "checklist_invalid", "generated_25", "generated_200", "generated_1000", "generated_10000"]
GROUPS = ["load", "json_schema", "is_valid", "validate", "validate_json", "peer_jsonschema_is_valid", "parse_serde_json"]
QUESTIONS = {"mhlw_valid": 26, "mhlw_invalid": 26, "checklist_valid": 134, "checklist_invalid": 134, "generated_25": 25, "generated_200": 200, "generated_1000": 1000, "generated_10000": 10000}


def median_ns(group, bench):
    path = ROOT / group / bench / "new" / "estimates.json"
    return json.loads(path.read_text())["median"]["point_estimate"]


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def main():
    t = {(g, f): median_ns(g, f) for g in GROUPS for f in FIXTURES}
    print("| fixture | " + " | ".join(GROUPS) + " |")
    print("|---" * (len(GROUPS) + 1) + "|")
    for f in FIXTURES:
        print(f"| {f} | " + " | ".join(fmt(t[(g, f)]) for g in GROUPS) + " |")
    print()
    print("| fixture | is_valid / parse_serde_json | peer_jsonschema_is_valid / is_valid | validate / is_valid |")
    print("|---|---|---|---|")
    for f in FIXTURES:
        iv = t[("is_valid", f)]
        print(f"| {f} | {iv / t[('parse_serde_json', f)]:.1%} | {t[('peer_jsonschema_is_valid', f)] / iv:.1f}x | {t[('validate', f)] / iv:.2f}x |")
    print()
    print("| group | per question at 25 | per question at 10,000 | ratio |")
    print("|---|---|---|---|")
    for g in ["load", "is_valid", "json_schema"]:
        small = t[(g, "generated_25")] / QUESTIONS["generated_25"]
        large = t[(g, "generated_10000")] / QUESTIONS["generated_10000"]
        print(f"| {g} | {fmt(small)} | {fmt(large)} | {large / small:.2f}x |")
    print()
    small, large = (median_ns("repeat_is_valid", f"instances_{n}") / n for n in (10, 10_000))
    print(f"- `repeat_is_valid`: {fmt(small)} per instance at 10 instances, {fmt(large)} at 10,000: {large / small:.2f}x")
    plain, ruled = median_ns("rules_is_valid", "without_rules"), median_ns("rules_is_valid", "with_100_rules")
    print(f"- `rules_is_valid`: {fmt(plain)} without rules, {fmt(ruled)} with 100 rules: {ruled / plain:.2f}x")
    print()
    for n in ["1000", "10000"]:
        analyse, load = median_ns("analysis", f"analyze_sized_{n}"), median_ns("analysis", f"load_sized_{n}")
        print(f"- `analysis/analyze/sized_{n}`: {fmt(analyse)}, {analyse / load:.2f}x `analysis/load/sized_{n}` ({fmt(load)})")
    print(f"- `analysis/analyze/blow_up`: {fmt(median_ns('analysis', 'analyze_blow_up'))}")
    print(f"- `analysis/is_valid/checklist_covering_examples`: {fmt(median_ns('analysis', 'is_valid_checklist_covering_examples'))}")
    print()
    size = (pathlib.Path(__file__).resolve().parent.parent / "schema" / "examples" / "mhlw-batch.jsonl").stat().st_size
    for bench in ["parse_serde_json_lines", "validate_json_lines"]:
        ns = median_ns("batch", f"{bench}/mhlw_batch".replace("/", "_")) if (ROOT / "batch" / f"{bench}_mhlw_batch").exists() else median_ns("batch", f"{bench}/mhlw_batch")
        print(f"- `batch/{bench}/mhlw_batch`: {fmt(ns)} for {size:,} bytes, {size / ns * 1e3:.1f} MB/s")


main()
