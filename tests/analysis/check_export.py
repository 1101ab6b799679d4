"""The exported CSV, read by pandas, against the report's JSON: for every column the counts of
asked, not asked, not answered, wrong type and answered, and each value's count and
percentage of those asked, are the ones pandas finds in the table.

Usage: check_export.py TABLE.csv REPORT.json [TABLE.csv REPORT.json ...]
Exit status 1, with every difference, when any count differs.
"""

import json
import sys

import pandas as pd

CODES = {".a": "not_asked", ".b": "not_answered", ".w": "wrong_type"}


def check(table_path, report_path):
    table = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    errors = []
    if len(table) != report["answer_sets"]:
        errors.append(f"{len(table)} rows, {report['answer_sets']} answer sets")
    if int((table["valid"] == "1").sum()) != report["valid"]:
        errors.append("valid answer sets differ")
    for column in report["columns"]:
        name = column["column"]
        cells = table[name]
        counts = {state: int((cells == code).sum()) for code, state in CODES.items()}
        counts["asked"] = len(cells) - counts["not_asked"]
        counts["answered"] = counts["asked"] - counts["not_answered"] - counts["wrong_type"]
        for state, count in counts.items():
            if column[state] != count:
                errors.append(f"{name}: {state} {column[state]} in the report, {count} in the table")
        if "frequencies" in column:
            answered = cells[~cells.isin(CODES)]
            found = answered.value_counts().to_dict()
            reported = {f["value"]: f["count"] for f in column["frequencies"]}
            if found != reported:
                errors.append(f"{name}: frequencies {reported} in the report, {found} in the table")
            for f in column["frequencies"]:
                percent = f["count"] * 100 / counts["asked"]
                if abs(f["percent"] - percent) > 0.05 + 1e-9:  # one decimal
                    errors.append(f"{name}: {f['value']} is {f['percent']} %, {percent} % of those asked")
    print(f"{table_path}: {len(table)} rows, {len(report['columns'])} columns, "
          f"{len(errors)} differences")
    return errors


def main(paths):
    if len(paths) < 2 or len(paths) % 2:
        print(__doc__)
        return 2
    errors = []
    for table, report in zip(paths[::2], paths[1::2]):
        errors += check(table, report)
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
