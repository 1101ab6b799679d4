"""The exported CSV (read by pandas) and Parquet (read by pyarrow, then pandas) against the
report's JSON: for every column the counts of asked, not asked, not answered, wrong type and
answered, and each value's count and percentage of those asked, are the ones found in the
table; in the Parquet file from the reason columns and the typed values.

Usage: check_export.py TABLE.csv REPORT.json TABLE.parquet [TABLE.csv REPORT.json TABLE.parquet ...]
Exit status 1, with every difference, when any count differs.
"""

import json
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CODES = {".a": "not_asked", ".b": "not_answered", ".w": "wrong_type"}


def check(table_path, report_path):
    table = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    errors = []
    # The export and the report count the same answer sets (the valid ones, by default).
    if len(table) != report["included"]:
        errors.append(f"{len(table)} rows, {report['included']} answer sets counted")
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


REASONS = {"not_asked", "not_answered", "wrong_type", "out_of_range"}


def value_text(value):
    """A Parquet value as the report writes it: booleans 1/0, the rest as text."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def check_parquet(parquet_path, report_path):
    table = pq.read_table(parquet_path)
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    errors = []
    # A plain read works whatever the answers held: a date of the year 0000 (valid in the
    # survey, as in RFC 3339, and no Python date) is null with the reason `out_of_range`.
    plain = pd.read_parquet(parquet_path)
    if len(plain) != len(table):
        errors.append(f"pandas.read_parquet read {len(plain)} rows of {len(table)}")
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    if len(frame) != report["included"]:
        errors.append(f"{len(frame)} rows, {report['included']} answer sets counted")
    if int(frame["valid"].sum()) != report["valid"]:
        errors.append("valid answer sets differ")
    schema = table.schema
    for column in report["columns"]:
        name = column["column"]
        field = schema.field(name)
        why_name = field.metadata[b"survey:why"].decode()
        if schema.field(why_name).metadata[b"survey:of"].decode() != name:
            errors.append(f"{name}: its reason column {why_name} names another column")
        values = frame[name]
        why = frame[why_name].astype(object)
        if not set(why.dropna().unique()) <= REASONS:
            errors.append(f"{name}: unknown reasons {set(why.dropna().unique())}")
        if (values.notna() & why.notna()).any() or (values.isna() & why.isna()).any():
            errors.append(f"{name}: a cell is both or neither an answer and a reason")
        counts = {state: int((why == state).sum()) for state in REASONS}
        counts["asked"] = len(frame) - counts["not_asked"]
        # The report counts wrong JSON types; Parquet also nulls answers its type cannot
        # hold (a date that is no date), so `wrong_type` may be larger by those, and dates of
        # the year 0000 (`out_of_range`), which the report counts as answers.
        counts["answered"] = int(values.notna().sum())
        for state in ("asked", "not_asked", "not_answered"):
            if column[state] != counts[state]:
                errors.append(f"{name}: {state} {column[state]} in the report, {counts[state]} in Parquet")
        if counts["wrong_type"] < column["wrong_type"]:
            errors.append(f"{name}: fewer wrong_type in Parquet than in the report")
        if "frequencies" in column:
            found = pd.Series(values.dropna().tolist(), dtype=object).map(value_text).value_counts().to_dict()
            reported = {f["value"]: f["count"] for f in column["frequencies"]}
            if found != reported:
                errors.append(f"{name}: frequencies {reported} in the report, {found} in Parquet")
        kind = column["kind"]
        expected = {
            "boolean": pa.types.is_boolean, "selected": pa.types.is_boolean,
            "choice": pa.types.is_dictionary, "text": pa.types.is_string,
            "integer": pa.types.is_int64, "number": pa.types.is_float64,
            "date": pa.types.is_date32,
        }[kind]
        if not expected(field.type):
            errors.append(f"{name}: a {kind} column stored as {field.type}")
    print(f"{parquet_path}: {len(frame)} rows, {len(report['columns'])} columns, "
          f"{len(errors)} differences")
    return errors


def main(paths):
    if len(paths) < 3 or len(paths) % 3:
        print(__doc__)
        return 2
    errors = []
    for table, report, parquet in zip(paths[::3], paths[1::3], paths[2::3]):
        errors += check(table, report)
        errors += check_parquet(parquet, report)
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
