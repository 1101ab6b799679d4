//! Edit checks (`rules`): when they apply, the absent-answer rule, severities in `is_valid`,
//! `validate`, the CLI's text and JSON and the batch summary, rules per table row, and what
//! the JSON Schema says of each kind of rule.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use survey_schema::json_schema::JsonSchemaOptions;
use survey_schema::{Locale, Severity, Survey, ValidateOptions};

const SURVEY: &str = r"
id: beds
version: '1'
default_locale: en
locales: [en, ja]
title: Beds
questions:
  - { id: total, type: integer, title: Beds in total, minimum: 0 }
  - { id: wards, type: integer, title: Beds in wards, minimum: 0 }
  - { id: contact, type: boolean, title: Is there a contact? }
  - { id: night, type: boolean, title: Does the contact answer at night?, enable_when: { question: contact, equals: true } }
  - { id: opened, type: date, title: Opened }
  - { id: renewed, type: date, title: Renewed }
rules:
  - id: wards-within-total
    when: { all: [ { question: total, answered: true }, { question: wards, answered: true } ] }
    assert: { question: wards, less_or_equal: { question: total } }
    message: { en: the beds in wards are at most the beds in total, ja: 病棟の病床数は総病床数以下です }
  - id: night-needs-contact
    assert: { not: { question: night, equals: true } }
    when: { question: contact, equals: false }
    message: { en: without a contact no one answers at night, ja: 連絡先がなければ夜間の対応はできません }
  - id: renewed-after-opened
    severity: warning
    assert: { question: renewed, greater_or_equal: { question: opened } }
    message: { en: a renewal is usually after the opening, ja: 更新日は通常、開設日より後です }
";

fn survey() -> Survey {
    Survey::from_yaml(SURVEY).unwrap()
}

fn en() -> ValidateOptions {
    ValidateOptions {
        locale: Locale::En,
        ..ValidateOptions::default()
    }
}

fn failed(survey: &Survey, answers: &Value) -> (Vec<String>, Vec<String>) {
    let report = survey.validate_with(answers, &en());
    let ids = |list: &[survey_schema::Issue]| list.iter().filter_map(|i| i.rule.clone()).collect();
    (ids(&report.issues), ids(&report.warnings))
}

#[test]
fn a_comparison_of_two_answers_needs_both() {
    let survey = survey();
    // Both answered: compared.
    let (errors, _) = failed(&survey, &json!({ "total": 10, "wards": 12 }));
    assert_eq!(errors, ["wards-within-total"]);
    assert!(survey.is_valid(&json!({ "total": 12, "wards": 12 })));
    // One unanswered: the `when` that asks for both does not hold, so the rule does not apply.
    assert!(survey.is_valid(&json!({ "wards": 12 })));
    // Without such a `when`, an absent side makes the comparison false, as every test but
    // `not_equals` and `answered: false` is on an absent answer: the (warning) rule fails.
    let (_, warnings) = failed(&survey, &json!({ "opened": "2024-04-01" }));
    assert_eq!(warnings, ["renewed-after-opened"]);
    let (_, warnings) = failed(
        &survey,
        &json!({ "opened": "2024-04-01", "renewed": "2024-04-01" }),
    );
    assert!(warnings.is_empty());
}

#[test]
fn a_disabled_question_is_unanswered_to_a_rule() {
    let survey = survey();
    // `night` is disabled when there is no contact: in lenient mode its stale answer is
    // ignored, so the rule (which sees no answer) holds.
    let answers =
        json!({ "contact": false, "night": true, "opened": "2024-04-01", "renewed": "2024-05-01" });
    let lenient = ValidateOptions {
        lenient: true,
        ..en()
    };
    assert!(survey.validate_with(&answers, &lenient).is_valid());
    // Strictly, the stale answer is answered_while_disabled, and still not seen by the rule.
    let report = survey.validate_with(&answers, &en());
    let codes: Vec<&str> = report.issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["answered_while_disabled"]);
}

#[test]
fn warnings_never_make_an_answer_set_invalid() {
    let survey = survey();
    let answers = json!({ "opened": "2024-04-01", "renewed": "2024-03-01" });
    assert!(survey.is_valid(&answers));
    let report = survey.validate_with(&answers, &en());
    assert!(report.is_valid());
    assert!(report.issues.is_empty());
    assert_eq!(report.warnings.len(), 1);
    let warning = &report.warnings[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.code.as_str(), "rule_failed");
    assert_eq!(warning.path, "/renewed");
    assert_eq!(
        warning.message,
        "renewed: a renewal is usually after the opening"
    );
    let ja = survey.validate(&answers);
    assert_eq!(
        ja.warnings[0].message,
        "renewed: 更新日は通常、開設日より後です"
    );
    // An error rule fails validation, with its path, rule id and message.
    let report = survey.validate_with(&json!({ "contact": false }), &en());
    assert!(report.is_valid(), "no night answer: the rule holds");
    let report = survey.validate_with(&json!({ "total": 1, "wards": 2 }), &en());
    assert_eq!(report.issues[0].path, "/wards");
    assert_eq!(report.issues[0].severity, Severity::Error);
    assert_eq!(report.issues[0].rule.as_deref(), Some("wards-within-total"));
    assert!(!survey.is_valid(&json!({ "total": 1, "wards": 2 })));
}

#[test]
fn the_json_schema_holds_rules_with_constants_and_says_which_it_cannot() {
    let survey = survey();
    let schema = survey.json_schema(&JsonSchemaOptions::default()).to_value();
    let blocks = schema["allOf"].as_array().unwrap();
    let comments: Vec<&str> = blocks
        .iter()
        .filter_map(|b| b["$comment"].as_str())
        .collect();
    assert_eq!(comments.len(), 1, "only the error rule comparing answers");
    assert!(comments[0].contains("wards-within-total"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    // The constant rule is encoded: the schema refuses what the native validator refuses.
    let stale = json!({ "contact": false, "night": true });
    assert!(!validator.is_valid(&stale));
    assert!(!survey.is_valid(&stale));
    // The comparison is the server's: the schema accepts, the native validator does not.
    let over = json!({ "total": 1, "wards": 2 });
    assert!(validator.is_valid(&over));
    assert!(!survey.is_valid(&over));
}

#[test]
fn a_rule_per_table_row_compares_the_cells_of_each_row() {
    let survey = Survey::from_yaml(
        r"
id: t
version: '1'
default_locale: en
title: T
questions:
  - id: checks
    type: table
    title: Checks
    rows: [ { id: a, label: A }, { id: b, label: B } ]
    columns:
      - { id: done, type: date, title: Done }
      - { id: target, type: date, title: Target }
rules:
  - id: target-after-done
    for_each_row: checks
    when: { all: [ { column: done, answered: true }, { column: target, answered: true } ] }
    assert: { column: target, greater_or_equal: { column: done } }
    message: the target is not before the date done
",
    )
    .unwrap();
    let answers = json!({ "checks": {
        "a": { "done": "2024-06-01", "target": "2024-07-01" },
        "b": { "done": "2024-06-01", "target": "2024-05-01" },
    } });
    let report = survey.validate_with(&answers, &en());
    let paths: Vec<&str> = report.issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["/checks/b/target"]);
    assert_eq!(report.issues[0].question, "checks");
}

#[test]
fn rules_are_checked_at_load() {
    let head = "id: t\nversion: '1'\ndefault_locale: en\ntitle: T\nquestions:\n  - {id: n, type: integer, title: N}\n  - {id: d, type: date, title: D}\nrules:\n";
    for (rule, expected) in [
        (
            "  - {id: r, assert: {question: n, greater_than: {question: d}}, message: M}\n",
            "9:49: operator_mismatch: rules[0].assert.greater_than: `n`, an integer question, cannot be compared with `d`, a date question",
        ),
        (
            "  - {id: r, assert: {question: zz, answered: true}, message: M}\n",
            "unknown_question: rules[0].assert.question: there is no question `zz`",
        ),
        (
            "  - {id: r, when: {all: []}, assert: {question: n, answered: true}, message: M}\n",
            "constant_rule: rules[0].when: `when` is always true, whatever the answers",
        ),
        (
            "  - {id: r, assert: {question: n, answered: true}, message: M}\n  - {id: r, assert: {question: d, answered: true}, message: M}\n",
            "duplicate_id: rules[1].id: rule id `r` is used twice",
        ),
        (
            "  - {id: r, assert: {question: n, answered: true}, for_each_row: n, message: M}\n",
            "unknown_question: rules[0].for_each_row: there is no table `n`",
        ),
    ] {
        let error = Survey::from_yaml(&format!("{head}{rule}"))
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{rule}\n{error}");
    }
    let in_skip_logic = "id: t\nversion: '1'\ndefault_locale: en\ntitle: T\nquestions:\n  - {id: n, type: integer, title: N}\n  - {id: k, type: integer, title: K}\n  - {id: m, type: integer, title: M, enable_when: {question: k, greater_than: {question: n}}}\n";
    let error = Survey::from_yaml(in_skip_logic).unwrap_err().to_string();
    assert!(
        error.contains("a comparison between two answers is allowed only in a rule"),
        "{error}"
    );
}

fn cli(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_survey"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_shows_and_counts_warnings() {
    let dir = std::env::temp_dir().join(format!("edit-checks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("beds.yaml");
    std::fs::write(&path, SURVEY).unwrap();
    let path = path.to_str().unwrap();
    let warned = r#"{"opened": "2024-04-01", "renewed": "2024-03-01"}"#;
    let (code, out, _) = cli(&["validate", "--locale", "en", path, "-"], warned);
    assert_eq!(code, 0, "a warning keeps the answer set valid");
    assert!(out.contains("valid, 1 warning"), "{out}");
    assert!(
        out.contains(
            "warning: /renewed: rule_failed: renewed: a renewal is usually after the opening"
        ),
        "{out}"
    );
    let (code, out, _) = cli(&["validate", "--format", "json", path, "-"], warned);
    assert_eq!(code, 0);
    let value: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["valid"], true);
    assert_eq!(value["warnings"][0]["severity"], "warning");
    assert_eq!(value["warnings"][0]["rule"], "renewed-after-opened");
    let batch = format!("{warned}\n{{\"total\": 1, \"wards\": 2}}\n");
    let (code, _, err) = cli(
        &["validate", "--jsonl", "--locale", "en", path, "-"],
        &batch,
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "2 answer sets, 1 valid, 1 invalid, 2 warnings; most frequent issues: rule_failed (1)"
        ),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
