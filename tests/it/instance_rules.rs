//! Rules checked per repeat instance (`for_each_instance`) see every question of the survey,
//! before and after their repeat, and a failure's path names the question it tests, inside
//! the instance or outside it; the JSON Schema gives the same verdict.

use serde_json::{Value, json};
use survey_schema::Survey;
use survey_schema::json_schema::{Draft, JsonSchemaOptions};

fn survey(rules: &str) -> Survey {
    Survey::from_yaml(&format!(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  \
         - {{id: A, type: boolean, title: A}}\n  \
         - {{id: R, type: repeat, title: R, fields: [{{id: f, type: boolean, title: f}}]}}\n  \
         - {{id: B, type: boolean, title: B}}\n  \
         - {{id: G, type: group, title: G, fields: [{{id: rx, type: boolean, title: rx}}]}}\n  \
         - {{id: M, type: matrix, title: M, choices: [{{value: y, label: y}}, {{value: n, label: n}}], rows: [{{id: r28, label: r28}}]}}\n\
         rules:\n{rules}"
    ))
    .expect("the survey loads")
}

fn issues(survey: &Survey, answers: &Value) -> Vec<String> {
    survey
        .validate(answers)
        .issues
        .iter()
        .map(|i| format!("{} {}", i.path, i.code.as_str()))
        .collect()
}

/// The native verdict and the JSON Schema's (both drafts) agree on every answer set given.
fn assert_schema_agrees(survey: &Survey, answer_sets: &[Value]) {
    for draft in [Draft::Draft07, Draft::Draft2020_12] {
        let schema = survey_schema::json_schema::generate(
            survey,
            &JsonSchemaOptions::new(draft, Some("en")),
        )
        .to_value();
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        for answers in answer_sets {
            assert_eq!(
                validator.is_valid(answers),
                survey.is_valid(answers),
                "{draft:?}: {answers}"
            );
        }
    }
}

#[test]
fn a_rule_per_instance_sees_a_question_after_its_repeat() {
    let survey = survey(
        "  - {id: r, for_each_instance: R, assert: {question: B, equals: true}, message: m}\n",
    );
    assert!(issues(&survey, &json!({"R": [{}], "B": true})).is_empty());
    assert_eq!(
        issues(&survey, &json!({"R": [{}, {}], "B": false})),
        ["/B rule_failed", "/B rule_failed"]
    );
    assert_schema_agrees(
        &survey,
        &[
            json!({"R": [{}], "B": true}),
            json!({"R": [{}], "B": false}),
            json!({"R": [], "B": false}),
            json!({"B": false}),
            json!({"R": [{}]}),
        ],
    );
}

#[test]
fn a_rule_per_instance_mixes_its_instance_with_questions_before_and_after() {
    let survey = survey(
        "  - {id: r, for_each_instance: R, when: {all: [{question: A, equals: true}, {question: R, field: f, equals: true}]}, assert: {question: B, equals: true}, message: m}\n",
    );
    let answers = json!({"A": true, "R": [{"f": true}, {"f": false}, {"f": true}], "B": false});
    assert_eq!(
        issues(&survey, &answers),
        ["/B rule_failed", "/B rule_failed"]
    );
    assert!(survey.is_valid(&json!({"A": true, "R": [{"f": false}], "B": false})));
    assert!(survey.is_valid(&json!({"A": false, "R": [{"f": true}], "B": false})));
    assert_schema_agrees(
        &survey,
        &[
            answers,
            json!({"A": true, "R": [{"f": true}], "B": true}),
            json!({"A": true, "R": [{"f": false}], "B": false}),
            json!({"A": false, "R": [{"f": true}], "B": false}),
        ],
    );
}

#[test]
fn a_per_instance_failure_at_a_group_field_or_matrix_row_outside_keeps_its_path() {
    let survey = survey(
        "  - {id: g, for_each_instance: R, assert: {question: G, field: rx, equals: true}, message: m}\n  \
         - {id: x, for_each_instance: R, assert: {question: M, field: r28, equals: y}, message: m}\n",
    );
    let answers = json!({"R": [{}], "G": {"rx": false}, "M": {"r28": "n"}});
    assert_eq!(
        issues(&survey, &answers),
        ["/G/rx rule_failed", "/M/r28 rule_failed"]
    );
    let report = survey.validate(&answers);
    assert!(
        report.issues[0].message.contains("G/rx"),
        "{}",
        report.issues[0].message
    );
    assert!(survey.is_valid(&json!({"R": [{}], "G": {"rx": true}, "M": {"r28": "y"}})));
}
