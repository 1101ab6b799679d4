//! `survey export` run for real: the same table on one thread and on several, repeats' long
//! tables beside the main one, and the Parquet file cell for cell against the CSV.

use std::process::Command;

use crate::common;

const SURVEY: &str = "schema/mhlw-hospital-cybersecurity-2024.yaml";

/// Runs `survey`; `export` and `report` count every answer set (`--invalid keep`) unless the
/// arguments say otherwise, since these tests read the cells of invalid ones too.
fn run(args: &[&str]) -> (i32, String, String) {
    let counts = matches!(args.first(), Some(&("export" | "report")));
    let every = if counts && !args.contains(&"--invalid") {
        &["--invalid", "keep"][..]
    } else {
        &[]
    };
    let output = Command::new(env!("CARGO_BIN_EXE_survey"))
        .args(args)
        .args(every)
        .current_dir(common::root())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn temp_path(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("survey-cli-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_string_lossy().into_owned()
}

fn records(path: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn threads_change_nothing_in_the_table_or_the_report() {
    for (survey, batch, lines) in [
        (SURVEY, "schema/examples/mhlw-batch.jsonl", 1_200),
        (
            "schema/mhlw-cybersecurity-checklist-2024.yaml",
            "schema/examples/checklist-batch.jsonl",
            1_000,
        ),
    ] {
        let outputs: Vec<(String, String)> = ["1", "2", "5"]
            .iter()
            .map(|jobs| {
                // Both batches hold invalid answer sets: exit 1.
                let (code, table, stderr) = run(&["export", survey, batch, "--jobs", jobs]);
                assert_eq!(code, 1, "{stderr}");
                let (code, report, stderr) = run(&["report", survey, batch, "--jobs", jobs]);
                assert_eq!(code, 1, "{stderr}");
                (table, report)
            })
            .collect();
        assert!(outputs.iter().all(|o| *o == outputs[0]), "{survey}");
        let rows = csv::Reader::from_reader(outputs[0].0.as_bytes())
            .records()
            .count();
        assert_eq!(rows, lines, "{survey}");
    }
}

#[test]
fn a_repeat_gets_a_long_table_keyed_by_row_and_instance() {
    let answers = temp_path("systems.jsonl");
    std::fs::write(
        &answers,
        concat!(
            r#"{"external": true, "systems": [{"name": "PACS", "remote": true, "vendor": "A", "gateway": false}, {"name": "HIS", "remote": false}], "inventory": true}"#,
            "\n\n",
            r#"{"external": false, "systems": [{"name": "Lab", "remote": true}]}"#,
            "\n",
            r#"{"external": true}"#,
            "\n",
        ),
    )
    .unwrap();
    let output = temp_path("systems.csv");
    let (code, _, stderr) = run(&[
        "export",
        "tests/fixtures/systems-repeat.yaml",
        &answers,
        "-o",
        &output,
    ]);
    // The third answer set is invalid: exit 1.
    assert_eq!(code, 1, "{stderr}");
    let long_path = output.replace("systems.csv", "systems.systems.csv");
    assert!(
        stderr.contains(&format!("the repeat systems is written to {long_path}")),
        "{stderr}"
    );
    let main = records(&output);
    assert_eq!(main[0], ["row_id", "valid", "external", "inventory"]);
    assert_eq!(
        main.len(),
        4,
        "a row per answer set; the blank line is none"
    );
    assert_eq!(main[1][3], "1");
    assert_eq!(main[2][3], ".a", "inventory is asked from two systems on");
    let long = records(&long_path);
    let row_id = |line: usize| format!("{answers}:{line}");
    assert_eq!(
        long,
        [
            vec!["row_id", "instance", "name", "remote", "vendor", "gateway"]
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>(),
            vec![
                row_id(1),
                "1".into(),
                "PACS".into(),
                "1".into(),
                "A".into(),
                "0".into()
            ],
            vec![
                row_id(1),
                "2".into(),
                "HIS".into(),
                "0".into(),
                ".a".into(),
                ".a".into()
            ],
            vec![
                row_id(3),
                "1".into(),
                "Lab".into(),
                "1".into(),
                ".b".into(),
                ".a".into()
            ],
        ]
    );
    // Without -o the long tables are not written, and a note says so.
    let (code, stdout, stderr) = run(&["export", "tests/fixtures/systems-repeat.yaml", &answers]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 4);
    assert!(
        stderr.contains("repeating groups (systems as FILE.systems) are written only with -o"),
        "{stderr}"
    );
}

#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_feature_parquet_says_how_to_get_it() {
    let (code, _, stderr) = run(&[
        "export",
        SURVEY,
        "schema/examples/mhlw-batch.jsonl",
        "--to",
        "parquet",
        "-o",
        &temp_path("no.parquet"),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cargo install --path cli --features parquet"),
        "{stderr}"
    );
}

#[cfg(feature = "parquet")]
mod parquet_file {
    use std::collections::HashMap;
    use std::fs::File;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Float64Type, Int8Type, Int32Type, Int64Type};
    use arrow_array::{Array, RecordBatch};
    use arrow_schema::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use super::{SURVEY, records, run, temp_path};

    fn read(path: &str) -> Vec<RecordBatch> {
        ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
            .unwrap()
            .build()
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// A cell of a Parquet column as the CSV writes it (`None`: null).
    fn text(batch: &RecordBatch, column: usize, row: usize) -> Option<String> {
        let array = batch.column(column);
        if array.is_null(row) {
            return None;
        }
        Some(match array.data_type() {
            DataType::Utf8 => array.as_string::<i32>().value(row).to_owned(),
            DataType::Boolean => u8::from(array.as_boolean().value(row)).to_string(),
            DataType::Int64 => array.as_primitive::<Int64Type>().value(row).to_string(),
            DataType::Float64 => array.as_primitive::<Float64Type>().value(row).to_string(),
            DataType::Date32 => array
                .as_primitive::<Date32Type>()
                .value_as_date(row)
                .unwrap()
                .to_string(),
            DataType::Dictionary(key, _) if **key == DataType::Int8 => {
                let dict = array.as_dictionary::<Int8Type>();
                let values = dict.values().as_string::<i32>();
                values
                    .value(usize::try_from(dict.keys().value(row)).unwrap())
                    .to_owned()
            }
            DataType::Dictionary(_, _) => {
                let dict = array.as_dictionary::<Int32Type>();
                let values = dict.values().as_string::<i32>();
                values
                    .value(usize::try_from(dict.keys().value(row)).unwrap())
                    .to_owned()
            }
            other => panic!("unexpected type {other}"),
        })
    }

    /// Every cell of the Parquet files equals the CSV's: the same answer, or null with the
    /// reason whose CSV code the cell has.
    fn same_as_csv(survey: &str, batch: &str, name: &str) {
        let csv = temp_path(&format!("{name}.csv"));
        let parquet = temp_path(&format!("{name}.parquet"));
        for (to, output) in [("csv", &csv), ("parquet", &parquet)] {
            let (code, _, stderr) = run(&["export", survey, batch, "--to", to, "-o", output]);
            // The batches hold invalid answer sets, written flagged: exit 1.
            assert_eq!(code, 1, "{stderr}");
        }
        let table = records(&csv);
        let batches = read(&parquet);
        let schema = batches[0].schema();
        let index: HashMap<&str, usize> = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name().as_str(), i))
            .collect();
        let reasons = HashMap::from([
            (".a", "not_asked"),
            (".b", "not_answered"),
            (".w", "wrong_type"),
        ]);
        let mut row = 1;
        for batch in &batches {
            for r in 0..batch.num_rows() {
                for (c, name) in table[0].iter().enumerate() {
                    let field = schema.field(index[name.as_str()]);
                    let value = text(batch, index[name.as_str()], r);
                    let cell = table[row][c].as_str();
                    if let Some(reason) = reasons.get(cell) {
                        let why = &field.metadata()["survey:why"];
                        assert_eq!(value, None, "{name} row {row}");
                        assert_eq!(
                            text(batch, index[why.as_str()], r).as_deref(),
                            Some(*reason)
                        );
                    } else if name == "valid" || name == "row_id" {
                        assert_eq!(value.as_deref(), Some(cell));
                    } else if let Some(value) = value {
                        let same =
                            value == cell || value.parse::<f64>().ok() == cell.parse::<f64>().ok();
                        assert!(same, "{name} row {row}: {value} vs {cell}");
                        let why = &field.metadata()["survey:why"];
                        assert_eq!(text(batch, index[why.as_str()], r), None);
                    } else {
                        // An answer the column's type cannot hold: null, `wrong_type`; a date
                        // of the year 0000, which no Python date holds: `out_of_range`.
                        let why = &field.metadata()["survey:why"];
                        let expected = if cell.starts_with("0000-") {
                            "out_of_range"
                        } else {
                            "wrong_type"
                        };
                        assert_eq!(
                            text(batch, index[why.as_str()], r).as_deref(),
                            Some(expected),
                            "{name} row {row}: {cell}"
                        );
                    }
                }
                row += 1;
            }
        }
        assert_eq!(row, table.len(), "{name}: as many rows");
    }

    #[test]
    fn the_parquet_files_hold_the_csv_cells_with_types_and_reasons() {
        same_as_csv(SURVEY, "schema/examples/mhlw-batch.jsonl", "mhlw");
        same_as_csv(
            "schema/mhlw-cybersecurity-checklist-2024.yaml",
            "schema/examples/checklist-batch.jsonl",
            "checklist",
        );
        let batches = read(&temp_path("mhlw.parquet"));
        let schema = batches[0].schema();
        let kind = |name: &str| schema.field_with_name(name).unwrap().data_type().clone();
        assert_eq!(
            kind("Q12_1"),
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
        );
        assert_eq!(kind("Q6__self"), DataType::Boolean);
        assert_eq!(kind("Q2"), DataType::Boolean);
        assert_eq!(kind("Q1_contact"), DataType::Utf8);
    }

    #[test]
    fn parquet_needs_a_file() {
        let (code, _, stderr) = run(&[
            "export",
            SURVEY,
            "schema/examples/mhlw-batch.jsonl",
            "--to",
            "parquet",
        ]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("-o FILE"), "{stderr}");
    }

    #[test]
    fn a_repeat_long_table_in_parquet_keeps_instance_numbers() {
        let answers = temp_path("pq-systems.jsonl");
        std::fs::write(
            &answers,
            "{\"external\": true, \"systems\": [{\"name\": \"PACS\", \"remote\": true}, {\"name\": \"HIS\", \"remote\": false}]}\n",
        )
        .unwrap();
        let output = temp_path("pq-systems.parquet");
        let (code, _, stderr) = run(&[
            "export",
            "tests/fixtures/systems-repeat.yaml",
            &answers,
            "--to",
            "parquet",
            "-o",
            &output,
        ]);
        assert_eq!(code, 1, "invalid answer sets are rows too: {stderr}");
        let long = read(&output.replace("pq-systems.parquet", "pq-systems.systems.parquet"));
        let batch = &long[0];
        assert_eq!(batch.num_rows(), 2);
        assert_eq!(text(batch, 1, 0).as_deref(), Some("1"));
        assert_eq!(text(batch, 1, 1).as_deref(), Some("2"));
        let vendor_why = batch.schema().index_of("vendor__why").unwrap();
        assert_eq!(text(batch, vendor_why, 0).as_deref(), Some("not_answered"));
        assert_eq!(text(batch, vendor_why, 1).as_deref(), Some("not_asked"));
    }
}

/// A line longer than an answer set may be is skipped and reported, not kept in memory; the
/// lines around it, CRLF endings, a byte order mark and a last line without an end are read.
#[test]
fn a_hostile_batch_is_read_line_by_line() {
    let batch = temp_path("hostile.jsonl");
    let mut text = String::from("{\"Q2\": true}\r\n");
    text.push_str("{\"Q2\": \"");
    text.push_str(&"x".repeat(9 * 1024 * 1024));
    text.push_str("\"}\n");
    text.push_str("\n{\"Q2\": false}\n\u{feff}{\"Q2\": true}\n{\"Q2\": true}");
    std::fs::write(&batch, text).unwrap();
    let (code, table, stderr) = run(&["export", SURVEY, &batch, "--jobs", "2"]);
    assert_eq!(code, 1, "an unreadable line: {stderr}");
    assert!(
        stderr.contains(&format!("{batch}:2: the line is longer than")),
        "{stderr}"
    );
    let rows = records_of(&table);
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    // (A byte order mark before a line's JSON is skipped, as `validate_json` skips it.)
    let expected: Vec<String> = [1, 4, 5, 6]
        .iter()
        .map(|n| format!("{batch}:{n}"))
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(
        rows[1][1..4],
        ["0".to_owned(), ".b".into(), ".b".into()][..]
    );
    let (code, _, stderr) = run(&["validate", SURVEY, &batch]);
    assert_eq!(code, 1);
    assert!(stderr.contains("5 answer sets"), "{stderr}");
}

fn records_of(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Missing codes that an answer could be (a number) or that could not be told apart are
/// refused before anything is written; a text answer that is a code gets a `\` in front.
#[test]
fn missing_codes_an_answer_could_hold_are_refused() {
    let answers = temp_path("dot-a.json");
    std::fs::write(&answers, r#"{"Q1": {"name": ".b"}, "Q2": true}"#).unwrap();
    for (flag, bad) in [
        ("--not-asked=-99", "\"-99\" is a number"),
        ("--not-answered=.a", "\".a\" is given for two reasons"),
    ] {
        let (code, table, stderr) = run(&["export", SURVEY, &answers, flag]);
        assert_eq!(code, 2, "{stderr}");
        assert!(table.is_empty(), "{table}");
        assert!(stderr.contains(bad), "{stderr}");
    }
    let (code, table, stderr) = run(&["export", SURVEY, &answers]);
    // A partial answer set: invalid, written flagged.
    assert_eq!(code, 1, "{stderr}");
    let rows = records_of(&table);
    let name = rows[0].iter().position(|c| c == "Q1_name").unwrap();
    let corporation = rows[0].iter().position(|c| c == "Q1_corporation").unwrap();
    assert_eq!(rows[1][name], "\\.b");
    assert_eq!(rows[1][corporation], ".b");
}

/// By default `export` and `report` count the valid answer sets only, say on standard error how
/// many they left out and why, count unreadable lines, and exit 1 when any answer set was
/// invalid or unreadable; `--invalid keep` counts every one, flagged.
#[test]
fn export_and_report_count_valid_answer_sets_by_default() {
    let batch = temp_path("default-batch.jsonl");
    let mut text =
        std::fs::read_to_string(common::root().join("schema/examples/mhlw-batch.jsonl")).unwrap();
    text.push_str("{broken\n");
    std::fs::write(&batch, text).unwrap();
    let default = |command: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_survey"))
            .args([command, SURVEY, &batch])
            .current_dir(common::root())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, table, stderr) = default("export");
    assert_eq!(code, Some(1), "{stderr}");
    let rows = records_of(&table);
    assert_eq!(
        rows.len(),
        1 + 704,
        "the header and the 704 valid answer sets"
    );
    assert!(rows[1..].iter().all(|r| r[1] == "1"));
    assert!(
        stderr.contains("1200 answer sets read, 496 invalid; 704 counted, 496 left out (the invalid ones; `--invalid keep` counts every answer set); 1 unreadable"),
        "{stderr}"
    );
    let (code, report, stderr) = default("report");
    assert_eq!(code, Some(1), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    for (key, value) in [
        ("answer_sets", 1200),
        ("valid", 704),
        ("invalid", 496),
        ("included", 704),
        ("left_out", 496),
        ("unreadable", 1),
    ] {
        assert_eq!(report[key], value, "{key}");
    }
    // Every column's figures stand on the 704: asked and not asked add up to them.
    for column in report["columns"].as_array().unwrap() {
        let sum = column["asked"].as_u64().unwrap() + column["not_asked"].as_u64().unwrap();
        assert_eq!(sum, 704, "{column}");
        assert_eq!(column["wrong_type"], 0, "{column}");
    }
    // The issues of the answer sets left out are still counted, by code.
    assert!(report["issues"].as_array().unwrap().len() >= 5);
    let (code, table, stderr) = run(&["export", SURVEY, &batch, "--invalid", "keep"]);
    assert_eq!(code, 1);
    assert_eq!(records_of(&table).len(), 1 + 1200);
    // Exit 1 says why, though nothing was left out.
    assert!(
        stderr.contains("496 invalid; 1200 counted, 0 left out (none: the invalid ones are counted, flagged by `valid`); 1 unreadable"),
        "{stderr}"
    );
    let (_, report, _) = run(&["report", SURVEY, &batch, "--invalid", "keep"]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        (report["included"].as_u64(), report["left_out"].as_u64()),
        (Some(1200), Some(0))
    );
    // A batch of valid answer sets only exits 0 and says nothing.
    let (code, _, stderr) = run(&[
        "export",
        SURVEY,
        "schema/examples/mhlw-complete.json",
        "--invalid",
        "skip",
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}
