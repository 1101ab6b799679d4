//! Criterion benches over shared fixtures: the MHLW survey with a valid and an invalid answer
//! set, and generated surveys of 25 to 10,000 questions.
//!
//! Groups: `load/` (text to checked survey), `is_valid/`, `validate/` (all issues),
//! `validate_json/` (bytes to report), `json_schema/` (schema generation), and the
//! references `peer_jsonschema_is_valid/` (the `jsonschema` crate on our generated schema)
//! and `parse_serde_json/` (parsing the answer bytes into a `serde_json::Value`).
//!
//! Run: `cargo bench --bench validation`; `BENCHMARKS.md` says how the table is made.

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;
use survey_schema::json_schema::JsonSchemaOptions;
use survey_schema::tabular::Tally;
use survey_schema::{Format, Limits, Survey, ValidateOptions};

struct Fixture {
    name: String,
    survey_text: String,
    format: Format,
    survey: Survey,
    answers_json: String,
    answers: Value,
    questions: usize,
}

fn limits() -> Limits {
    Limits {
        max_questions: 20_000,
        ..Limits::default()
    }
}

fn fixtures() -> Vec<Fixture> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mhlw_text = std::fs::read_to_string(format!(
        "{root}/schema/mhlw-hospital-cybersecurity-2024.yaml"
    ))
    .unwrap();
    let checklist_text = std::fs::read_to_string(format!(
        "{root}/schema/mhlw-cybersecurity-checklist-2024.yaml"
    ))
    .unwrap();
    let mut out = Vec::new();
    for (name, file, text) in [
        ("mhlw_valid", "mhlw-complete.json", &mhlw_text),
        ("mhlw_invalid", "mhlw-invalid.json", &mhlw_text),
        (
            "checklist_valid",
            "checklist-complete.json",
            &checklist_text,
        ),
        (
            "checklist_invalid",
            "checklist-invalid.json",
            &checklist_text,
        ),
    ] {
        let answers_json =
            std::fs::read_to_string(format!("{root}/schema/examples/{file}")).unwrap();
        let survey = Survey::load(text, Format::Yaml, &limits()).unwrap();
        out.push(Fixture {
            name: name.into(),
            survey_text: text.clone(),
            format: Format::Yaml,
            questions: survey.questions().count(),
            survey,
            answers: serde_json::from_str(&answers_json).unwrap(),
            answers_json,
        });
    }
    for count in [25, 200, 1_000, 10_000] {
        let (survey_text, answers_json) = common::sized_survey(count);
        let survey = Survey::load(&survey_text, Format::Yaml, &limits()).unwrap();
        let answers: Value = serde_json::from_str(&answers_json).unwrap();
        assert!(
            survey.is_valid(&answers),
            "the generated answer set of {count} questions is valid"
        );
        out.push(Fixture {
            name: format!("generated_{count}"),
            survey_text,
            format: Format::Yaml,
            questions: survey.questions().count(),
            survey,
            answers,
            answers_json,
        });
    }
    out
}

fn benches(c: &mut Criterion) {
    let fixtures = fixtures();
    let options = ValidateOptions::default();
    for f in &fixtures {
        let mut group = c.benchmark_group("load");
        group.throughput(Throughput::Elements(f.questions as u64));
        group.bench_function(&f.name, |b| {
            b.iter(|| Survey::load(black_box(&f.survey_text), f.format, &limits()).unwrap());
        });
        group.finish();

        let mut group = c.benchmark_group("json_schema");
        group.throughput(Throughput::Elements(f.questions as u64));
        group.bench_function(&f.name, |b| {
            b.iter(|| {
                survey_schema::json_schema::generate(
                    &f.survey,
                    black_box(&JsonSchemaOptions::default()),
                )
            });
        });
        group.finish();

        let mut group = c.benchmark_group("is_valid");
        group.throughput(Throughput::Elements(f.questions as u64));
        group.bench_function(&f.name, |b| {
            b.iter(|| f.survey.is_valid(black_box(&f.answers)));
        });
        group.finish();

        let mut group = c.benchmark_group("validate");
        group.throughput(Throughput::Elements(f.questions as u64));
        group.bench_function(&f.name, |b| {
            b.iter(|| f.survey.validate_with(black_box(&f.answers), &options));
        });
        group.finish();

        let mut group = c.benchmark_group("validate_json");
        group.throughput(Throughput::Bytes(f.answers_json.len() as u64));
        group.bench_function(&f.name, |b| {
            b.iter(|| {
                f.survey
                    .validate_json(black_box(f.answers_json.as_bytes()), &options)
                    .unwrap()
            });
        });
        group.finish();

        let schema = survey_schema::json_schema::generate(&f.survey, &JsonSchemaOptions::default())
            .to_value();
        let peer = jsonschema::validator_for(&schema).unwrap();
        assert_eq!(
            peer.is_valid(&f.answers),
            f.survey.is_valid(&f.answers),
            "{}",
            f.name
        );
        let mut group = c.benchmark_group("peer_jsonschema_is_valid");
        group.throughput(Throughput::Elements(f.questions as u64));
        group.bench_function(&f.name, |b| b.iter(|| peer.is_valid(black_box(&f.answers))));
        group.finish();

        let mut group = c.benchmark_group("parse_serde_json");
        group.throughput(Throughput::Bytes(f.answers_json.len() as u64));
        group.bench_function(&f.name, |b| {
            b.iter(|| {
                serde_json::from_slice::<Value>(black_box(f.answers_json.as_bytes())).unwrap()
            });
        });
        group.finish();
    }
}

/// A JSON Lines batch: parsing each line alone, and validating each line (one thread), in
/// bytes per second; the command line's parallel throughput is measured in BENCHMARKS.md.
fn batch(c: &mut Criterion) {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/schema/examples/mhlw-batch.jsonl")).unwrap();
    let survey = common::mhlw();
    let options = ValidateOptions::default();
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Bytes(text.len() as u64));
    // The analysis table's row path (validate, settle and make the row in one walk, then
    // count it for a report), against the same parse peer.
    for (name, survey_file, batch) in [
        (
            "mhlw_batch",
            "mhlw-hospital-cybersecurity-2024.yaml",
            "mhlw-batch.jsonl",
        ),
        (
            "checklist_batch",
            "mhlw-cybersecurity-checklist-2024.yaml",
            "checklist-batch.jsonl",
        ),
    ] {
        let survey = Survey::from_path(format!("{root}/schema/{survey_file}")).unwrap();
        let lines = std::fs::read_to_string(format!("{root}/schema/examples/{batch}")).unwrap();
        let tables = survey_schema::tabular::tables(&survey);
        group.throughput(Throughput::Bytes(lines.len() as u64));
        group.bench_function(format!("parse_serde_json_lines/{name}"), |b| {
            b.iter(|| {
                lines
                    .lines()
                    .filter(|line| serde_json::from_str::<Value>(line).unwrap().is_object())
                    .count()
            });
        });
        group.bench_function(format!("row_json_tally_lines/{name}"), |b| {
            b.iter(|| {
                let mut tally = Tally::new(&survey);
                for line in lines.lines() {
                    survey_schema::tabular::row_json(
                        &survey,
                        &tables,
                        line.as_bytes(),
                        &options,
                        |report, row| {
                            tally.add(report, &row.cells);
                        },
                    )
                    .unwrap();
                }
                tally
            });
        });
    }
    // Validation alone over the same MHLW lines; its parse peer is the loop's
    // `parse_serde_json_lines/mhlw_batch` (one id per benchmark: criterion refuses a repeat).
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("validate_json_lines/mhlw_batch", |b| {
        b.iter(|| {
            text.lines()
                .filter(|line| {
                    survey
                        .validate_json(line.as_bytes(), &options)
                        .unwrap()
                        .is_valid()
                })
                .count()
        });
    });
    group.finish();
}

/// A repeat answered with 10 and with 10,000 instances (each with a field enabled by an
/// earlier field of the instance): `is_valid` per instance should not grow with the count.
fn repeats(c: &mut Criterion) {
    let survey = Survey::from_yaml(
        "id: r\nversion: '1'\ndefault_locale: en\ntitle: R\nquestions:\n  - id: systems\n    type: repeat\n    title: Systems\n    required: true\n    fields:\n      - {id: name, type: text, title: Name, required: true, max_length: 40}\n      - {id: remote, type: boolean, title: Remote, required: true}\n      - {id: vendor, type: text, title: Vendor, required: true, enable_when: {question: systems, field: remote, equals: true}}\n",
    )
    .unwrap();
    let mut group = c.benchmark_group("repeat_is_valid");
    for count in [10_usize, 10_000] {
        let instances: Vec<Value> = (0..count)
            .map(|i| {
                if i.is_multiple_of(2) {
                    serde_json::json!({ "name": format!("system {i}"), "remote": true, "vendor": "v" })
                } else {
                    serde_json::json!({ "name": format!("system {i}"), "remote": false })
                }
            })
            .collect();
        let answers = serde_json::json!({ "systems": instances });
        assert!(survey.is_valid(&answers));
        group.throughput(Throughput::Elements(count as u64));
        group.bench_function(format!("instances_{count}"), |b| {
            b.iter(|| survey.is_valid(black_box(&answers)));
        });
    }
    group.finish();
}

/// The 200-question generated survey with and without 100 rules (a quarter of them comparing
/// two answers) that its answer set passes: what the rules add to `is_valid`.
fn rules(c: &mut Criterion) {
    let (yaml, answers) = common::sized_survey(200);
    let answers: Value = serde_json::from_str(&answers).unwrap();
    let plain = Survey::from_yaml(&yaml).unwrap();
    let integers: Vec<usize> = (0..200).filter(|i| i % 7 == 4 && i % 50 != 49).collect();
    let mut with_rules = format!("{yaml}rules:\n");
    for r in 0..100 {
        let rule = if r % 4 == 3 {
            let (a, b) = (
                integers[r % integers.len()],
                integers[(r + 1) % integers.len()],
            );
            format!("{{question: q{a}, greater_or_equal: {{question: q{b}}}}}")
        } else {
            let j = if (2 * r) % 50 == 49 { 2 * r - 1 } else { 2 * r };
            let (_, test, _) = common::SIZED_KINDS[j % common::SIZED_KINDS.len()];
            format!("{{question: q{j}, {test}}}")
        };
        let _ = writeln!(
            with_rules,
            "  - {{id: r{r}, when: {{question: q{}, answered: true}}, assert: {rule}, message: M}}",
            2 * r
        );
    }
    let ruled = Survey::from_yaml(&with_rules).unwrap();
    assert!(plain.is_valid(&answers) && ruled.is_valid(&answers));
    let mut group = c.benchmark_group("rules_is_valid");
    group.bench_function("without_rules", |b| {
        b.iter(|| plain.is_valid(black_box(&answers)));
    });
    group.bench_function("with_100_rules", |b| {
        b.iter(|| ruled.is_valid(black_box(&answers)));
    });
    group.finish();
}

/// Static analysis (`analysis::analyze`) of the generated surveys of 1,000 and 10,000
/// questions, beside loading them (`Survey::from_yaml`, the peer: parse and check); and of a
/// survey built to blow up the search, which stops at its bounds.
fn analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis");
    for count in [1_000, 10_000] {
        let (yaml, _) = common::sized_survey(count);
        let survey = Survey::load(&yaml, Format::Yaml, &limits()).unwrap();
        assert!(
            survey_schema::analysis::analyze(&survey)
                .findings
                .is_empty()
        );
        group.bench_function(format!("analyze/sized_{count}"), |b| {
            b.iter(|| survey_schema::analysis::analyze(black_box(&survey)));
        });
        group.bench_function(format!("load/sized_{count}"), |b| {
            b.iter(|| Survey::load(black_box(&yaml), Format::Yaml, &limits()).unwrap());
        });
    }
    // The covering examples of the checklist (every question enabled, every test of every
    // condition true and false), validated one after another.
    let checklist = Survey::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/mhlw-cybersecurity-checklist-2024.yaml"
    ))
    .unwrap();
    let examples = survey_schema::analysis::examples(&checklist, true);
    assert!(examples.iter().all(|answers| checklist.is_valid(answers)));
    group.bench_function("is_valid/checklist_covering_examples", |b| {
        b.iter(|| {
            examples
                .iter()
                .filter(|a| checklist.is_valid(black_box(a)))
                .count()
        });
    });
    let blow_up = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/analysis/blow-up.yaml"
    ))
    .unwrap();
    let survey = Survey::from_yaml(&blow_up).unwrap();
    group.bench_function("analyze/blow_up", |b| {
        b.iter(|| survey_schema::analysis::analyze(black_box(&survey)));
    });
    group.finish();
}

criterion_group! {
    name = all;
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = benches, batch, repeats, rules, analysis
}
criterion_main!(all);
