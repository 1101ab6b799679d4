//! The details of the skip-logic rules that `docs/format.md` writes down, one test each.

use serde_json::json;
use survey_schema::{Survey, ValidateOptions};

fn survey(questions: &str) -> Survey {
    Survey::from_yaml(&format!(
        "id: s\nversion: \"1\"\ndefault_locale: en\ntitle: S\nquestions:\n{questions}"
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn enabled(survey: &Survey, answers: &serde_json::Value) -> Vec<String> {
    survey
        .enabled(answers)
        .iter()
        .map(|q| q.pointer.to_string())
        .collect()
}

fn codes(survey: &Survey, answers: &serde_json::Value) -> Vec<String> {
    let options = ValidateOptions {
        partial: true,
        ..ValidateOptions::default()
    };
    survey
        .validate_with(answers, &options)
        .issues
        .iter()
        .map(|i| format!("{} {}", i.code, i.path))
        .collect()
}

#[test]
fn answered_tests_whether_the_key_is_present_null_included() {
    let s = survey(
        "  - {id: a, type: boolean, title: A}\n  - {id: b, type: text, title: B, enable_when: {question: a, answered: true}}\n",
    );
    assert!(enabled(&s, &json!({"a": null})).contains(&"/b".to_owned()));
    assert!(!enabled(&s, &json!({})).contains(&"/b".to_owned()));
    assert_eq!(codes(&s, &json!({"a": null})), ["wrong_type /a"]);
}

#[test]
fn an_empty_all_is_true_and_an_empty_any_is_false() {
    let s = survey(
        "  - {id: a, type: text, title: A, enable_when: {all: []}}\n  - {id: b, type: text, title: B, enable_when: {any: []}}\n",
    );
    assert_eq!(enabled(&s, &json!({})), ["/a"]);
}

#[test]
fn ordering_tests_are_false_on_an_answer_of_the_wrong_type() {
    let s = survey(
        "  - {id: n, type: integer, title: N}\n  - {id: d, type: date, title: D}\n  - {id: x, type: text, title: X, enable_when: {any: [{question: n, less_than: 5}, {question: d, greater_than: \"2024-01-01\"}]}}\n",
    );
    assert!(!enabled(&s, &json!({"n": "3", "d": 20_240_202})).contains(&"/x".to_owned()));
    assert!(enabled(&s, &json!({"n": 3})).contains(&"/x".to_owned()));
    assert!(enabled(&s, &json!({"d": "2024-02-02"})).contains(&"/x".to_owned()));
}

#[test]
fn a_date_shaped_answer_compares_as_a_date_even_when_it_is_not_a_real_one() {
    let s = survey(
        "  - {id: d, type: date, title: D}\n  - {id: x, type: text, title: X, enable_when: {question: d, greater_than: \"2024-02-29\"}}\n",
    );
    let answers = json!({"d": "2024-02-30"});
    assert!(enabled(&s, &answers).contains(&"/x".to_owned()));
    assert_eq!(codes(&s, &answers), ["invalid_date /d"]);
    assert!(
        codes(&s, &json!({"d": "0000-02-29"})).is_empty(),
        "year 0000 is a valid year"
    );
}

#[test]
fn conditions_may_test_specify_boxes_and_earlier_fields_of_the_same_group() {
    let s = survey(
        "  - {id: c, type: single_choice, title: C, choices: [{value: other, label: O, specify: {id: c-other}}, {value: x, label: X}]}\n  - {id: t, type: text, title: T, enable_when: {question: c-other, equals: fax}}\n  - {id: g, type: group, title: G, fields: [{id: a, type: boolean, title: A}, {id: b, type: text, title: B, enable_when: {question: g, field: a, equals: true}}]}\n",
    );
    let answers = json!({"c": "other", "c-other": "fax", "g": {"a": true}});
    assert_eq!(
        enabled(&s, &answers),
        ["/c", "/c-other", "/t", "/g", "/g/a", "/g/b"]
    );
}

#[test]
fn exclusive_has_no_effect_on_a_single_choice() {
    let s = survey(
        "  - {id: c, type: single_choice, title: C, choices: [{value: none, label: N, exclusive: true}, {value: x, label: X}]}\n",
    );
    assert!(codes(&s, &json!({"c": "none"})).is_empty());
}
