//! Each skip-logic rule of the design, one at a time, on small synthetic surveys.

use serde_json::{Value, json};
use survey_schema::{IssueCode, Locale, Survey, ValidateOptions};

fn survey(questions: &str) -> Survey {
    let yaml =
        format!("id: t\nversion: \"1\"\ndefault_locale: en\ntitle: T\nquestions:\n{questions}");
    Survey::from_yaml(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

fn enabled(survey: &Survey, answers: &Value) -> Vec<String> {
    survey
        .enabled(answers)
        .iter()
        .map(|q| q.pointer.trim_start_matches('/').to_owned())
        .collect()
}

fn issues(survey: &Survey, answers: &Value, options: &ValidateOptions) -> Vec<(String, String)> {
    survey
        .validate_with(answers, options)
        .issues
        .iter()
        .map(|i| (i.code.to_string(), i.path.clone()))
        .collect()
}

fn strict() -> ValidateOptions {
    ValidateOptions {
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    }
}

const CHAIN: &str = "  - {id: a, type: boolean, title: A, required: true}
  - {id: b, type: boolean, title: B, required: true, enable_when: {question: a, equals: true}}
  - {id: c, type: text, title: C, required: true, enable_when: {question: b, equals: true}}
  - {id: d, type: text, title: D, enable_when: {question: b, not_equals: true}}
";

#[test]
fn disabling_cascades_through_two_levels() {
    let s = survey(CHAIN);
    assert_eq!(enabled(&s, &json!({"a": true, "b": true})), ["a", "b", "c"]);
    // a = false disables b; b's stale `true` is not seen, so c is disabled too and d
    // (b not_equals true) is enabled.
    assert_eq!(enabled(&s, &json!({"a": false, "b": true})), ["a", "d"]);
    assert_eq!(
        issues(&s, &json!({"a": false, "b": true, "c": "x"}), &strict()),
        [
            ("answered_while_disabled".into(), "/b".into()),
            ("answered_while_disabled".into(), "/c".into())
        ]
    );
    assert_eq!(
        issues(&s, &json!({"a": true, "b": true}), &strict()),
        [("missing_required".into(), "/c".into())]
    );
}

#[test]
fn a_disabled_question_is_unanswered_even_with_a_stale_answer() {
    let s = survey(CHAIN);
    // Without a, b is disabled; its answer `true` would enable c if it were seen.
    assert_eq!(enabled(&s, &json!({"b": true})), ["a", "d"]);
    let lenient = ValidateOptions {
        lenient: true,
        ..strict()
    };
    assert_eq!(
        issues(&s, &json!({"a": false, "b": true, "c": 5}), &lenient),
        Vec::<(String, String)>::new()
    );
    assert!(s.is_valid_with(&json!({"a": false, "b": true, "c": 5}), &lenient));
    assert!(!s.is_valid(&json!({"a": false, "b": true, "c": 5})));
}

#[test]
fn on_an_absent_answer_only_not_equals_and_answered_false_hold() {
    let cases = [
        ("equals: true", false),
        ("not_equals: true", true),
        ("in: [true, false]", false),
        ("answered: true", false),
        ("answered: false", true),
    ];
    for (test, expected) in cases {
        let s = survey(&format!(
            "  - {{id: a, type: boolean, title: A}}\n  - {{id: b, type: text, title: B, enable_when: {{question: a, {test}}}}}\n"
        ));
        assert_eq!(
            enabled(&s, &json!({})).contains(&"b".to_owned()),
            expected,
            "{test}"
        );
    }
    let s = survey(
        "  - {id: a, type: integer, title: A}\n  - {id: b, type: text, title: B, enable_when: {question: a, less_than: 3}}\n",
    );
    assert_eq!(enabled(&s, &json!({})), ["a"]);
    let s = survey(
        "  - {id: a, type: multiple_choice, title: A, choices: [{value: x, label: X}]}\n  - {id: b, type: text, title: B, enable_when: {question: a, includes: x}}\n",
    );
    assert_eq!(enabled(&s, &json!({})), ["a"]);
}

#[test]
fn every_operator_on_every_kind_it_fits() {
    // (question definition, condition, answer, enabled?)
    let cases: &[(&str, &str, Value, bool)] = &[
        ("type: boolean", "equals: true", json!(true), true),
        ("type: boolean", "equals: true", json!(false), false),
        ("type: boolean", "not_equals: true", json!(false), true),
        ("type: boolean", "in: [false]", json!(false), true),
        ("type: boolean", "answered: true", json!(false), true),
        (
            "type: single_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "equals: x",
            json!("x"),
            true,
        ),
        (
            "type: single_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "equals: x",
            json!("y"),
            false,
        ),
        (
            "type: single_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "not_equals: x",
            json!("y"),
            true,
        ),
        (
            "type: single_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "in: [x, y]",
            json!("y"),
            true,
        ),
        (
            "type: single_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "answered: false",
            json!("y"),
            false,
        ),
        (
            "type: multiple_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "includes: y",
            json!(["x", "y"]),
            true,
        ),
        (
            "type: multiple_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "includes: y",
            json!(["x"]),
            false,
        ),
        (
            "type: multiple_choice, choices: [{value: x, label: X}, {value: y, label: Y}]",
            "answered: true",
            json!([]),
            true,
        ),
        ("type: text", "equals: abc", json!("abc"), true),
        ("type: text", "not_equals: abc", json!("abd"), true),
        ("type: text", "in: [a, b]", json!("c"), false),
        ("type: integer", "greater_than: 3", json!(4), true),
        ("type: integer", "greater_than: 3", json!(3), false),
        ("type: integer", "greater_or_equal: 3", json!(3), true),
        ("type: integer", "less_than: 3", json!(3), false),
        ("type: integer", "less_or_equal: 3", json!(3), true),
        ("type: integer", "equals: 3", json!(3.0), true),
        ("type: integer", "in: [1, 2]", json!(2), true),
        ("type: number", "greater_than: 2.5", json!(2.75), true),
        ("type: number", "less_or_equal: -1", json!(-1.0), true),
        ("type: number", "equals: 0.5", json!(0.5), true),
        (
            "type: date",
            "greater_than: \"2024-02-01\"",
            json!("2024-02-02"),
            true,
        ),
        (
            "type: date",
            "greater_or_equal: \"2024-02-01\"",
            json!("2024-02-01"),
            true,
        ),
        (
            "type: date",
            "less_than: \"2024-02-01\"",
            json!("2024-01-31"),
            true,
        ),
        (
            "type: date",
            "less_or_equal: \"2024-02-01\"",
            json!("2024-02-02"),
            false,
        ),
        (
            "type: date",
            "equals: \"2024-02-29\"",
            json!("2024-02-29"),
            true,
        ),
        (
            "type: group, fields: [{id: f, type: text, title: F}]",
            "answered: true",
            json!({}),
            true,
        ),
    ];
    for (definition, test, answer, expected) in cases {
        let s = survey(&format!(
            "  - {{id: a, title: A, {definition}}}\n  - {{id: b, type: text, title: B, enable_when: {{question: a, {test}}}}}\n"
        ));
        let answers = json!({ "a": answer });
        assert_eq!(
            enabled(&s, &answers).contains(&"b".to_owned()),
            *expected,
            "{definition} / {test} / {answer}"
        );
    }
}

#[test]
fn all_any_and_not_combine() {
    let s = survey(
        "  - {id: a, type: boolean, title: A}
  - {id: b, type: integer, title: B}
  - id: c
    type: text
    title: C
    enable_when:
      any:
        - all: [{question: a, equals: true}, {question: b, greater_than: 5}]
        - not: {question: b, answered: true}
",
    );
    assert!(enabled(&s, &json!({})).contains(&"c".to_owned()));
    assert!(!enabled(&s, &json!({"a": true, "b": 5})).contains(&"c".to_owned()));
    assert!(enabled(&s, &json!({"a": true, "b": 6})).contains(&"c".to_owned()));
    assert!(!enabled(&s, &json!({"a": false, "b": 6})).contains(&"c".to_owned()));
    let empty = survey(
        "  - {id: a, type: text, title: A, enable_when: {any: []}}\n  - {id: b, type: text, title: B, enable_when: {all: []}}\n",
    );
    assert_eq!(enabled(&empty, &json!({})), ["b"]);
}

const GROUP: &str = "  - {id: a, type: boolean, title: A}
  - id: g
    type: group
    title: G
    required: true
    enable_when: {question: a, not_equals: false}
    fields:
      - {id: kind, type: single_choice, title: Kind, required: true, choices: [{value: phone, label: P}, {value: mail, label: M}]}
      - {id: phone, type: text, title: Phone, format: tel, required: true, enable_when: {question: g, field: kind, equals: phone}}
      - {id: email, type: text, title: Mail, format: email, required: true, enable_when: {question: g, field: kind, equals: mail}}
      - {id: note, type: text, title: Note, enable_when: {question: a, equals: true}}
  - {id: after, type: boolean, title: After, enable_when: {question: g, field: phone, answered: true}}
";

#[test]
fn group_fields_have_their_own_conditions() {
    let s = survey(GROUP);
    assert_eq!(
        enabled(&s, &json!({"g": {"kind": "phone"}})),
        ["a", "g", "g/kind", "g/phone"]
    );
    assert_eq!(
        enabled(&s, &json!({"a": true, "g": {"kind": "mail"}})),
        ["a", "g", "g/kind", "g/email", "g/note"]
    );
    assert_eq!(
        enabled(
            &s,
            &json!({"g": {"kind": "phone", "phone": "03-1234-5678"}})
        ),
        ["a", "g", "g/kind", "g/phone", "after"]
    );
    // The group disabled: its fields are too, and so is the question that tests one.
    assert_eq!(
        enabled(
            &s,
            &json!({"a": false, "g": {"kind": "phone", "phone": "1"}})
        ),
        ["a"]
    );
    assert_eq!(
        issues(
            &s,
            &json!({"g": {"kind": "phone", "email": "x@example.jp", "zip": 1}}),
            &strict()
        ),
        [
            ("unknown_field".into(), "/g/zip".into()),
            ("missing_required".into(), "/g/phone".into()),
            ("answered_while_disabled".into(), "/g/email".into()),
        ]
    );
    assert_eq!(
        issues(&s, &json!({}), &strict()),
        [("missing_required".into(), "/g".into())]
    );
    assert_eq!(
        issues(&s, &json!({"g": "x"}), &strict()),
        [("wrong_type".into(), "/g".into())]
    );
    assert_eq!(
        issues(&s, &json!({"a": false, "g": {}}), &strict()),
        [("answered_while_disabled".into(), "/g".into())]
    );
}

#[test]
fn partial_mode_reports_everything_but_missing_answers() {
    let s = survey(CHAIN);
    let partial = ValidateOptions {
        partial: true,
        ..strict()
    };
    assert!(s.is_valid_with(&json!({}), &partial));
    assert!(!s.is_valid(&json!({})));
    assert_eq!(
        issues(&s, &json!({"a": "yes"}), &partial),
        [("wrong_type".into(), "/a".into())]
    );
    assert_eq!(
        issues(&s, &json!({"a": false, "b": true}), &partial),
        [("answered_while_disabled".into(), "/b".into())]
    );
}

#[test]
fn required_applies_only_to_enabled_questions() {
    let s = survey(CHAIN);
    assert!(s.is_valid(&json!({"a": false})));
    assert!(s.is_valid(&json!({"a": true, "b": false})));
    assert_eq!(
        issues(&s, &json!({"a": true}), &strict()),
        [("missing_required".into(), "/b".into())]
    );
}

#[test]
fn null_is_a_wrong_type_and_absence_is_unanswered() {
    let s = survey(CHAIN);
    assert_eq!(
        issues(&s, &json!({"a": null}), &strict()),
        [("wrong_type".into(), "/a".into())]
    );
    // A null answer does not equal `true`, so b is disabled, and d (b not_equals true) is on.
    assert_eq!(enabled(&s, &json!({"a": null})), ["a", "d"]);
}

#[test]
fn specify_boxes_follow_their_choice() {
    let s = survey(
        "  - id: a
    type: multiple_choice
    title: A
    choices:
      - {value: x, label: X}
      - {value: other, label: Other, specify: {id: a-other, required: true, max_length: 3}}
",
    );
    assert_eq!(enabled(&s, &json!({"a": ["x"]})), ["a"]);
    assert_eq!(enabled(&s, &json!({"a": ["other"]})), ["a", "a-other"]);
    assert_eq!(
        issues(&s, &json!({"a": ["other"]}), &strict()),
        [("missing_required".into(), "/a-other".into())]
    );
    assert_eq!(
        issues(&s, &json!({"a": ["other"], "a-other": "abcd"}), &strict()),
        [("too_long".into(), "/a-other".into())]
    );
    assert_eq!(
        issues(&s, &json!({"a": ["x"], "a-other": "abc"}), &strict()),
        [("answered_while_disabled".into(), "/a-other".into())]
    );
}

#[test]
fn prune_removes_disabled_answers_only() {
    let s = survey(GROUP);
    let answers = json!({"a": false, "g": {"kind": "phone"}, "zzz": 1});
    assert_eq!(s.prune(&answers), json!({"a": false, "zzz": 1}));
    let answers = json!({"g": {"kind": "phone", "email": "x", "phone": "1"}, "after": true});
    assert_eq!(
        s.prune(&answers),
        json!({"g": {"kind": "phone", "phone": "1"}, "after": true})
    );
}

#[test]
fn progress_counts_enabled_required_questions() {
    let s = survey(CHAIN);
    let progress = s.progress(&json!({"a": true}));
    assert_eq!((progress.required, progress.answered), (2, 1));
    let progress = s.progress(&json!({"a": true, "b": true, "c": "x"}));
    assert_eq!((progress.required, progress.answered), (3, 3));
    assert!((progress.fraction() - 1.0).abs() < f64::EPSILON);
}

#[test]
fn the_issue_cap_truncates() {
    let s = survey(CHAIN);
    let options = ValidateOptions {
        max_issues: 1,
        ..strict()
    };
    let report = s.validate_with(&json!({"a": 1, "x": 1, "y": 2}), &options);
    assert_eq!(report.issues.len(), 1);
    assert!(report.truncated);
    assert_eq!(report.issues[0].code, IssueCode::UnknownQuestion);
}
