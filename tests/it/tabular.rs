//! The analysis table: column names valid in R, Stata, SPSS and SQL and unique; every cell
//! of a question the skip logic disabled is "not asked", of an enabled question without an
//! answer "not answered", else the answer; held on the bundled batches and generated surveys.

use crate::common;

use std::collections::HashSet;

use common::{Rng, random_answers, random_survey, valid_answers};
use serde_json::Value;
use survey_schema::Survey;
use survey_schema::tabular::{Cell, ColumnKind, Datum, MAX_COLUMN_NAME};
use survey_schema::{Report, ValidateOptions};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn batch(name: &str) -> Vec<Value> {
    std::fs::read_to_string(format!("{ROOT}/schema/examples/{name}"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Whether the validator would take the value's JSON type for a column of this kind.
fn fits(kind: ColumnKind, value: &Value) -> bool {
    match kind {
        ColumnKind::Boolean => value.is_boolean(),
        ColumnKind::Integer => value.as_f64().is_some_and(|f| f.fract() == 0.0),
        ColumnKind::Number => value.is_number(),
        ColumnKind::Selected => value.is_array(),
        _ => value.is_string(),
    }
}

/// Every cell against `Survey::enabled` and the answer set itself.
fn check(survey: &Survey, answer_sets: &[Value], what: &str) -> usize {
    let columns = survey_schema::tabular::columns(survey);
    let mut names = HashSet::new();
    for column in &columns {
        let name = &column.name;
        assert!(names.insert(name.clone()), "{what}: column {name} twice");
        assert!(name.len() <= MAX_COLUMN_NAME, "{what}: {name} is too long");
        assert!(
            name.starts_with(|c: char| c.is_ascii_alphabetic()),
            "{what}: {name}"
        );
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{what}: {name}"
        );
    }
    let mut cells = 0;
    for answers in answer_sets {
        let enabled: HashSet<String> = survey
            .enabled(answers)
            .iter()
            .map(|q| q.pointer.to_string())
            .collect();
        let row = survey_schema::tabular::row(survey, &columns, answers);
        // The fast path, from the JSON text in one walk, gives the same cells and report.
        let tables = survey_schema::tabular::tables(survey);
        let text = serde_json::to_vec(answers).unwrap();
        let (fast, report) = survey_schema::tabular::row_json(
            survey,
            &tables,
            &text,
            &ValidateOptions::default(),
            |report, fast| (format!("{:?}", fast.cells), report.clone()),
        )
        .unwrap();
        assert_eq!(fast, format!("{row:?}"), "{what}: {answers}");
        assert_eq!(report, survey.validate(answers), "{what}: {answers}");
        if !answers.is_object() {
            assert!(
                row.iter().all(|c| *c == Cell::WrongType),
                "{what}: {answers}"
            );
            cells += row.len();
            continue;
        }
        for (cell, column) in row.iter().zip(&columns) {
            let value = answers.pointer(&column.pointer);
            let expected = match (enabled.contains(&column.pointer), value) {
                (false, _) => Cell::NotAsked,
                // Inside a container that is not an object (`{"G": 5}`): the wrong type.
                (true, None) if in_non_object(answers, &column.pointer) => Cell::WrongType,
                (true, None) => Cell::NotAnswered,
                (true, Some(Value::Array(picked))) if column.kind == ColumnKind::Selected => {
                    let choice = column.choice.as_deref().unwrap();
                    Cell::Answer(Datum::Bool(picked.iter().any(|v| v == choice)))
                }
                (true, Some(value)) if fits(column.kind, value) => Cell::Answer(match value {
                    Value::Bool(b) => Datum::Bool(*b),
                    Value::Number(n) => Datum::Number(n),
                    Value::String(s) => Datum::Text(s),
                    other => panic!("{what}: {other} fits no column"),
                }),
                (true, Some(_)) => Cell::WrongType,
            };
            assert_eq!(cell, &expected, "{what}: {} in {answers}", column.name);
            cells += 1;
        }
    }
    cells
}

/// Whether a container on the way to `pointer` is answered with something not an object.
fn in_non_object(answers: &Value, pointer: &str) -> bool {
    let steps: Vec<usize> = pointer.match_indices('/').map(|(i, _)| i).skip(1).collect();
    steps.iter().any(|&end| {
        answers
            .pointer(&pointer[..end])
            .is_some_and(|v| !v.is_object())
    })
}

#[test]
fn bundled_batches_keep_not_asked_apart_from_not_answered() {
    let mhlw = common::mhlw();
    let cells = check(&mhlw, &batch("mhlw-batch.jsonl"), "mhlw");
    assert_eq!(cells, 1_200 * survey_schema::tabular::columns(&mhlw).len());
    let checklist = Survey::from_path(format!(
        "{ROOT}/schema/mhlw-cybersecurity-checklist-2024.yaml"
    ))
    .unwrap();
    check(&checklist, &batch("checklist-batch.jsonl"), "checklist");
    let names: Vec<String> = survey_schema::tabular::columns(&mhlw)
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(
        &names[..7],
        [
            "Q1_name",
            "Q1_corporation",
            "Q1_hospital",
            "Q1_contact",
            "Q2",
            "Q3",
            "Q4"
        ]
    );
    assert!(names.contains(&"Q6__none_seeking".to_owned()));
    assert!(names.contains(&"Q10_1".to_owned()));
}

#[test]
fn generated_surveys_keep_not_asked_apart_from_not_answered() {
    for seed in 0..200 {
        let (survey, _) = random_survey(seed);
        let mut rng = Rng::new(seed);
        let sets: Vec<Value> = (0..20)
            .map(|i| {
                if i % 2 == 0 {
                    valid_answers(&mut rng, &survey)
                } else {
                    random_answers(&mut rng, &survey)
                }
            })
            .collect();
        check(&survey, &sets, &format!("seed {seed}"));
    }
}

#[test]
fn names_are_cut_and_made_unique() {
    let survey = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  \
         - { id: a-b, type: boolean, title: A }\n  \
         - { id: a_b, type: boolean, title: B }\n  \
         - { id: an-identifier-far-longer-than-thirty-two, type: text, title: C }\n  \
         - { id: an-identifier-far-longer-than-thirty-two-too, type: text, title: D }\n",
    )
    .unwrap();
    let names: Vec<String> = survey_schema::tabular::columns(&survey)
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "a_b",
            "a_b_2",
            "an_identifier_far_longer_than_th",
            "an_identifier_far_longer_than__2"
        ]
    );
    // A repeat's long table is named as a column is, unique among the long tables (their
    // files are `FILE.NAME.csv`, so two of one name would overwrite each other).
    let survey = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  \
         - { id: Q7-7, type: repeat, title: A, fields: [{ id: f, type: boolean, title: F }] }\n  \
         - { id: Q7_7, type: repeat, title: B, fields: [{ id: f, type: boolean, title: F }] }\n",
    )
    .unwrap();
    let names: Vec<String> = survey_schema::tabular::tables(&survey)
        .repeats
        .iter()
        .map(|t| t.name.clone())
        .collect();
    assert_eq!(names, ["Q7_7", "Q7_7_2"]);
}

#[test]
fn the_codebook_says_who_is_asked_in_words() {
    let mhlw = common::mhlw();
    let ja = survey_schema::codebook::variables(&mhlw, survey_schema::Locale::Ja);
    let en = survey_schema::codebook::variables(&mhlw, survey_schema::Locale::En);
    assert_eq!(ja.len(), survey_schema::tabular::columns(&mhlw).len());
    let find = |book: &[survey_schema::Variable], name: &str| {
        book.iter().find(|v| v.name == name).cloned().unwrap()
    };
    let q12_1 = find(&ja, "Q12_1");
    assert_eq!(
        q12_1.universe.as_deref(),
        Some("Q12で「はい」と回答した場合")
    );
    assert_eq!(q12_1.values[0], ("daily".to_owned(), "毎日".to_owned()));
    assert!(q12_1.references[0].starts_with("医療情報システムの安全管理に関するガイドライン"));
    assert_eq!(find(&en, "Q12_1").universe.as_deref(), Some("if Q12 = Yes"));
    assert_eq!(find(&en, "Q2").universe, None);
    let choice = find(&ja, "Q6__none_seeking");
    assert_eq!(choice.kind, ColumnKind::Selected);
    assert!(
        choice.label.ends_with(": 相談先がない(相談先を求めている)"),
        "{}",
        choice.label
    );
    assert_eq!(
        find(&ja, "Q1_contact").label,
        "Q1 回答者の情報（氏名、所属、連絡先） / 連絡先"
    );
    // What the file marks as inferred, with the item's printed number.
    let q6 = find(&en, "Q6__none_seeking");
    assert_eq!(q6.number.as_deref(), Some("Q6"));
    assert!(
        q6.inferred
            .iter()
            .any(|i| i.starts_with("type: The guide says")),
        "{:?}",
        q6.inferred
    );
    assert!(
        q6.inferred
            .iter()
            .any(|i| i.starts_with("none_seeking.exclusive: Not stated")),
        "{:?}",
        q6.inferred
    );
    assert!(
        find(&en, "Q10")
            .inferred
            .iter()
            .all(|i| !i.starts_with("type:"))
    );
}

#[test]
fn the_report_counts_on_the_base_of_those_asked() {
    let survey = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  \
         - { id: smoker, type: boolean, title: Smoker }\n  \
         - { id: per_day, type: integer, title: Per day, enable_when: { question: smoker, equals: true } }\n",
    )
    .unwrap();
    let mut tally = survey_schema::tabular::Tally::new(&survey);
    for answers in [
        serde_json::json!({ "smoker": true, "per_day": 10 }),
        serde_json::json!({ "smoker": true, "per_day": 20 }),
        serde_json::json!({ "smoker": true }),
        serde_json::json!({ "smoker": false }),
        serde_json::json!({}),
        serde_json::json!({ "smoker": false, "per_day": 5 }),
    ] {
        tally.add(
            &survey.validate(&answers),
            &survey_schema::tabular::row(
                &survey,
                &survey_schema::tabular::columns(&survey),
                &answers,
            ),
        );
    }
    let report = tally.to_json();
    assert_eq!(report["answer_sets"], 6);
    assert_eq!(report["valid"], 5);
    assert_eq!(
        report["issues"],
        serde_json::json!([{ "code": "answered_while_disabled", "count": 1 }])
    );
    let smoker = &report["columns"][0];
    assert_eq!(
        (
            smoker["asked"].as_u64(),
            smoker["not_answered"].as_u64(),
            smoker["answered"].as_u64()
        ),
        (Some(6), Some(1), Some(5))
    );
    assert_eq!(
        smoker["frequencies"],
        serde_json::json!([{ "value": "0", "count": 2, "percent": 33.3 }, { "value": "1", "count": 3, "percent": 50.0 }])
    );
    let per_day = &report["columns"][1];
    // Asked of the three smokers only; the answer of a non-smoker is not counted.
    assert_eq!(
        (
            per_day["asked"].as_u64(),
            per_day["not_asked"].as_u64(),
            per_day["not_answered"].as_u64()
        ),
        (Some(3), Some(3), Some(1))
    );
    assert_eq!(
        per_day["summary"],
        serde_json::json!({ "n": 2, "min": 10.0, "q1": 10.0, "median": 10.0, "q3": 10.0, "max": 20.0 })
    );
}

/// A repeat's long table: a row per instance, numbered from 1, each cell not asked exactly
/// where `Survey::enabled` leaves the instance's field out, on generated answer sets.
#[test]
fn repeats_make_a_long_table_with_a_row_per_instance() {
    let survey = Survey::from_path(format!("{ROOT}/tests/fixtures/systems-repeat.yaml")).unwrap();
    let tables = survey_schema::tabular::tables(&survey);
    assert_eq!(tables.repeats.len(), 1);
    let systems = &tables.repeats[0];
    assert_eq!(systems.name, "systems");
    let names: Vec<&str> = systems.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["name", "remote", "vendor", "gateway"]);
    assert!(
        tables
            .columns
            .iter()
            .all(|c| !c.pointer.starts_with("/systems/"))
    );
    let mut rng = Rng::new(7);
    let mut instances_seen = 0;
    for _ in 0..400 {
        let count = rng.below(7);
        let instances: Vec<Value> = (0..count)
            .map(|i| {
                let mut instance = serde_json::Map::new();
                if rng.below(5) > 0 {
                    instance.insert("name".into(), format!("system {i}").into());
                }
                match rng.below(4) {
                    0 => {}
                    1 => {
                        instance.insert("remote".into(), "yes".into());
                    }
                    n => {
                        instance.insert("remote".into(), (n == 2).into());
                    }
                }
                if rng.below(2) == 0 {
                    instance.insert("vendor".into(), "vendor".into());
                }
                if rng.below(2) == 0 {
                    instance.insert("gateway".into(), (rng.below(2) == 0).into());
                }
                match rng.below(12) {
                    0 => Value::Null,
                    1 => Value::from(5),
                    _ => Value::Object(instance),
                }
            })
            .collect();
        let answers = serde_json::json!({
            "external": rng.below(2) == 0,
            "systems": instances,
        });
        let enabled: HashSet<String> = survey
            .enabled(&answers)
            .iter()
            .map(|q| q.pointer.to_string())
            .collect();
        let text = serde_json::to_vec(&answers).unwrap();
        survey_schema::tabular::row_json(
            &survey,
            &tables,
            &text,
            &ValidateOptions::default(),
            |_, row| {
                assert_eq!(row.instances.len(), count, "{answers}");
                for (i, instance) in row.instances.iter().enumerate() {
                    assert_eq!((instance.table, instance.number), (0, i + 1));
                    for (cell, column) in instance.cells.iter().zip(&systems.columns) {
                        let pointer = column.pointer.replacen("/0/", &format!("/{i}/"), 1);
                        let value = answers.pointer(&pointer);
                        let whole = answers["systems"][i].is_object();
                        let expected = match (enabled.contains(&pointer), value) {
                            (false, _) => Cell::NotAsked,
                            // An instance that is not an object: every cell the wrong type.
                            (true, None) if !whole => Cell::WrongType,
                            (true, None) => Cell::NotAnswered,
                            (true, Some(Value::Bool(b))) if column.kind == ColumnKind::Boolean => {
                                Cell::Answer(Datum::Bool(*b))
                            }
                            (true, Some(Value::String(s))) if column.kind == ColumnKind::Text => {
                                Cell::Answer(Datum::Text(s))
                            }
                            (true, Some(_)) => Cell::WrongType,
                        };
                        assert_eq!(*cell, expected, "{pointer} in {answers}");
                    }
                    instances_seen += 1;
                }
            },
        )
        .unwrap();
    }
    assert!(instances_seen > 800, "{instances_seen}");
}

/// Tallies of parts merged give the tally of the whole, and a column with more distinct
/// numbers than are kept says its quartiles are approximate, with n, min and max still right.
#[test]
fn tallies_merge_and_stay_bounded() {
    let mhlw = common::mhlw();
    let columns = survey_schema::tabular::columns(&mhlw);
    let sets = batch("mhlw-batch.jsonl");
    let mut whole = survey_schema::tabular::Tally::new(&mhlw);
    let mut parts = survey_schema::tabular::Tally::new(&mhlw);
    for chunk in sets.chunks(97) {
        let mut part = survey_schema::tabular::Tally::new(&mhlw);
        for answers in chunk {
            let report: Report = mhlw.validate(answers);
            let row = survey_schema::tabular::row(&mhlw, &columns, answers);
            whole.add(&report, &row);
            part.add(&report, &row);
        }
        parts.merge(part);
    }
    assert_eq!(whole.to_json(), parts.to_json());

    let survey = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  \
         - { id: x, type: number, title: X }\n",
    )
    .unwrap();
    let columns = survey_schema::tabular::columns(&survey);
    let mut tally = survey_schema::tabular::Tally::new(&survey);
    let n = 200_000;
    for i in 0..n {
        let answers = serde_json::json!({ "x": f64::from(i) / 8.0 });
        tally.add(
            &survey.validate(&answers),
            &survey_schema::tabular::row(&survey, &columns, &answers),
        );
    }
    let summary = &tally.to_json()["columns"][0]["summary"];
    assert_eq!(summary["n"], n);
    assert_eq!(summary["exact"], false);
    assert_eq!(summary["min"], 0.0);
    let median = summary["median"].as_f64().unwrap();
    let exact = f64::from((n - 1) / 2) / 8.0;
    // After merging, each kept value stands for at most n / 32,768 (about 6) neighbours.
    let neighbours = f64::from(n / 32_768 + 1);
    assert!(
        (median - exact).abs() <= neighbours / 8.0,
        "{median} vs {exact}"
    );
    assert!(
        median <= exact,
        "a merged pair is kept under its lower value"
    );
}

/// Dates are summarised in text order, date-shaped or not (an invalid answer set may hold any
/// text in a date column).
#[test]
fn date_summaries_order_dates_as_text() {
    let survey = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  \
         - { id: d, type: date, title: D }\n",
    )
    .unwrap();
    let columns = survey_schema::tabular::columns(&survey);
    let mut tally = survey_schema::tabular::Tally::new(&survey);
    for date in [
        "2024-01-05",
        "not a date",
        "0000-02-29",
        "2024-1-5",
        "2024-01-05",
    ] {
        let answers = serde_json::json!({ "d": date });
        tally.add(
            &survey.validate(&answers),
            &survey_schema::tabular::row(&survey, &columns, &answers),
        );
    }
    assert_eq!(
        tally.to_json()["columns"][0]["summary"],
        serde_json::json!({ "n": 5, "min": "0000-02-29", "q1": "2024-01-05", "median": "2024-01-05", "q3": "2024-1-5", "max": "not a date" })
    );
}

/// A text answer that reads as a missing code is written with one more `\` in front, so that
/// every CSV cell reads back as the answer or the reason it stands for, whatever the codes.
#[test]
fn text_that_looks_like_a_missing_code_reads_back_as_text() {
    use survey_schema::tabular::csv::{CsvWriter, MissingCodeError, MissingCodes};
    let survey = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: T\nquestions:\n  - {id: t, type: text, title: T}\n  - {id: n, type: integer, title: N}\n",
    )
    .unwrap();
    let tables = survey_schema::tabular::tables(&survey);
    let sets = [
        MissingCodes::default(),
        MissingCodes::new("", "NA", "\\N").unwrap(),
        MissingCodes::new("a", "\\\\b", "..").unwrap(),
    ];
    let pieces = ["\\", ".", "a", "b", "w", "N", "A"];
    let mut rng = Rng::new(11);
    let mut escaped = 0;
    for codes in &sets {
        for _ in 0..500 {
            let text: String = (0..rng.below(5)).map(|_| pieces[rng.below(7)]).collect();
            let answers = match rng.below(4) {
                0 => serde_json::json!({"n": 1}),
                1 => serde_json::json!({"t": 5}),
                _ => serde_json::json!({"t": text}),
            };
            let mut csv = CsvWriter::new(Vec::new(), codes.clone());
            let bytes = serde_json::to_vec(&answers).unwrap();
            survey_schema::tabular::row_json(
                &survey,
                &tables,
                &bytes,
                &ValidateOptions::default(),
                |r, row| csv.row("1", r.is_valid(), &row.cells),
            )
            .unwrap()
            .unwrap();
            let written = csv.into_inner().unwrap();
            let mut reader = ::csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(written.as_slice());
            let record = reader.records().next().unwrap().unwrap();
            let cell = &record[2];
            // Read back as an analyst would: a code, else the text less one leading `\`.
            let read = if cell == codes.not_answered() {
                "(not answered)".to_owned()
            } else if cell == codes.wrong_type() {
                "(wrong type)".to_owned()
            } else if cell == codes.not_asked() {
                "(not asked)".to_owned()
            } else {
                let bare = cell.strip_prefix('\\');
                let reads_as_code = |t: &str| {
                    let mut rest = t;
                    loop {
                        if [codes.not_asked(), codes.not_answered(), codes.wrong_type()]
                            .contains(&rest)
                        {
                            return true;
                        }
                        match rest.strip_prefix('\\') {
                            Some(r) => rest = r,
                            None => return false,
                        }
                    }
                };
                match bare {
                    Some(text) if reads_as_code(text) => {
                        escaped += 1;
                        text.to_owned()
                    }
                    _ => cell.to_owned(),
                }
            };
            let expected = match &answers["t"] {
                Value::Null => "(not answered)".to_owned(),
                Value::String(s) => s.clone(),
                _ => "(wrong type)".to_owned(),
            };
            assert_eq!(read, expected, "{answers} with {codes:?}: cell {cell:?}");
        }
    }
    assert!(escaped > 50, "{escaped}");
    assert_eq!(
        MissingCodes::new("-99", ".b", ".w"),
        Err(MissingCodeError::Number("-99".into()))
    );
    assert_eq!(
        MissingCodes::new(".a", "1", ".w"),
        Err(MissingCodeError::Number("1".into()))
    );
    assert_eq!(
        MissingCodes::new("N", "\\N", ".w"),
        Err(MissingCodeError::Same("\\N".into()))
    );
}
