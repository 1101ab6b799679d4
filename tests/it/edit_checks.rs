//! Edit checks (`rules`): when they apply, the absent-answer rule, severities in `is_valid`,
//! `validate` (the CLI's text, JSON and batch summary: `tests/cli.rs`), rules per table row,
//! and what the JSON Schema says of each kind of rule.

use serde_json::{Value, json};
use survey_schema::json_schema::JsonSchemaOptions;
use survey_schema::{Locale, Severity, Survey, ValidateOptions};

const SURVEY: &str = include_str!("../fixtures/beds-rules.yaml");

fn survey() -> Survey {
    Survey::from_yaml(SURVEY).unwrap()
}

fn en() -> ValidateOptions {
    ValidateOptions {
        locale: Some(Locale::En),
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
    // Without a locale, the survey's own (`default_locale: en` here).
    assert_eq!(survey.validate(&answers).warnings, report.warnings);
    let ja = ValidateOptions {
        locale: Some(Locale::Ja),
        ..ValidateOptions::default()
    };
    assert_eq!(
        survey.validate_with(&answers, &ja).warnings[0].message,
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
    let schema =
        survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::default()).to_value();
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
fn counts_of_selections_and_instances_compare() {
    let survey = Survey::from_yaml(
        r"
id: t
version: '1'
default_locale: en
title: T
questions:
  - { id: used, type: multiple_choice, title: Used, choices: [ { value: a, label: A }, { value: b, label: B }, { value: c, label: C } ] }
  - { id: secured, type: multiple_choice, title: Secured, choices: [ { value: a, label: A }, { value: b, label: B }, { value: c, label: C } ] }
  - { id: systems, type: repeat, title: Systems, fields: [ { id: name, type: text, title: Name } ] }
rules:
  - id: secured-within-used
    when: { all: [ { question: used, answered: true }, { question: secured, answered: true } ] }
    assert: { question: secured, less_or_equal: { question: used } }
    message: no more secured than used
  - id: a-system-per-use
    when: { all: [ { question: used, answered: true }, { question: systems, answered: true } ] }
    assert: { question: systems, greater_or_equal: { question: used } }
    message: one system listed per use
",
    )
    .unwrap();
    let (errors, _) = failed(
        &survey,
        &json!({ "used": ["a"], "secured": ["a", "b"], "systems": [ {}, {} ] }),
    );
    assert_eq!(errors, ["secured-within-used"]);
    let (errors, _) = failed(
        &survey,
        &json!({ "used": ["a", "b"], "secured": ["b"], "systems": [ {} ] }),
    );
    assert_eq!(errors, ["a-system-per-use"]);
    assert!(
        survey.is_valid(&json!({ "used": ["a", "b"], "secured": ["b"], "systems": [ {}, {} ] }))
    );
}

#[test]
fn a_rule_per_repeat_instance_checks_each_instance() {
    let survey = Survey::from_yaml(
        r"
id: t
version: '1'
default_locale: en
title: T
questions:
  - { id: audited, type: boolean, title: Audited }
  - id: systems
    type: repeat
    title: Systems
    fields:
      - { id: since, type: date, title: In use since }
      - { id: until, type: date, title: In use until }
      - { id: remote, type: boolean, title: Remote }
rules:
  - id: until-after-since
    for_each_instance: systems
    when: { all: [ { question: systems, field: since, answered: true }, { question: systems, field: until, answered: true } ] }
    assert: { question: systems, field: until, greater_or_equal: { question: systems, field: since } }
    message: a system is not retired before it starts
  - id: audited-remote-answered
    for_each_instance: systems
    when: { question: audited, equals: true }
    assert: { question: systems, field: remote, answered: true }
    message: an audited institution says whether each system is remote
",
    )
    .unwrap();
    let answers = json!({ "audited": true, "systems": [
        { "since": "2020-01-01", "until": "2024-01-01", "remote": true },
        { "since": "2020-01-01", "until": "2019-01-01", "remote": false },
        { "since": "2020-01-01" },
    ] });
    let report = survey.validate_with(&answers, &en());
    let found: Vec<(String, String)> = report
        .issues
        .iter()
        .map(|i| (i.rule.clone().unwrap_or_default(), i.path.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "until-after-since".to_owned(),
                "/systems/1/until".to_owned()
            ),
            (
                "audited-remote-answered".to_owned(),
                "/systems/2/remote".to_owned()
            ),
        ]
    );
    assert_eq!(
        report.issues[1].message,
        "systems/2/remote: an audited institution says whether each system is remote"
    );
    // The rule with a constant is in the schema (decided at the root on `audited`); the date
    // comparison is the server's.
    let schema =
        survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::default()).to_value();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let missing = json!({ "audited": true, "systems": [ { "since": "2020-01-01" } ] });
    assert!(!validator.is_valid(&missing) && !survey.is_valid(&missing));
    let unaudited = json!({ "audited": false, "systems": [ { "since": "2020-01-01" } ] });
    assert!(validator.is_valid(&unaudited) && survey.is_valid(&unaudited));
    let reversed = json!({ "systems": [ { "since": "2020-01-01", "until": "2019-01-01" } ] });
    assert!(validator.is_valid(&reversed) && !survey.is_valid(&reversed));
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
