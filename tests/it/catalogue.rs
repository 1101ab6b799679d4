//! Every message a user can get, kept under snapshots: each issue code in Japanese and
//! English, each definition problem, each load error. A new code without a case here fails
//! the coverage assertions, so no message goes unread.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde_json::{Value, json};
use survey_schema::{
    Error, Format, IssueCode, Limits, Locale, ProblemCode, Survey, ValidateOptions, decode,
};

const SURVEY: &str = r"
id: catalogue
version: '1'
default_locale: ja
locales: [ja, en]
title: {ja: 目録, en: Catalogue}
questions:
  - {id: B, type: boolean, title: {ja: B, en: B}}
  - {id: X, type: boolean, title: {ja: X, en: X}, enable_when: {question: B, equals: true}}
  - {id: S, type: single_choice, title: {ja: S, en: S}, choices: [{value: a, label: A}, {value: b, label: B}]}
  - {id: M1, type: multiple_choice, title: {ja: M1, en: M1}, min_selections: 2, choices: [{value: a, label: A}, {value: b, label: B}]}
  - {id: M2, type: multiple_choice, title: {ja: M2, en: M2}, max_selections: 1, choices: [{value: a, label: A}, {value: b, label: B}]}
  - {id: M3, type: multiple_choice, title: {ja: M3, en: M3}, choices: [{value: a, label: A}, {value: none, label: None, exclusive: true}]}
  - {id: T1, type: text, title: {ja: T1, en: T1}, min_length: 2}
  - {id: T2, type: text, title: {ja: T2, en: T2}, max_length: 3}
  - {id: P, type: text, title: {ja: P, en: P}, pattern: '^[0-9]+$'}
  - {id: E, type: text, title: {ja: E, en: E}, format: email}
  - {id: I, type: integer, title: {ja: I, en: I}, minimum: 0, maximum: 10}
  - {id: N, type: number, title: {ja: N, en: N}, maximum: 2.5}
  - {id: D, type: date, title: {ja: D, en: D}, earliest: '2024-04-01'}
  - {id: R, type: text, title: {ja: R, en: R}, required: true}
  - id: G
    type: group
    title: {ja: G, en: G}
    fields:
      - {id: f, type: text, title: {ja: f, en: f}}
  - id: L
    type: repeat
    title: {ja: L, en: L}
    min_items: 2
    max_items: 3
    fields:
      - {id: v, type: text, title: {ja: v, en: v}, required: true}
rules:
  - id: I_below_N
    when: {all: [{question: I, answered: true}, {question: N, answered: true}]}
    assert: {question: I, less_or_equal: {question: N}}
    message: {ja: I は N 以下です, en: I is at most N}
  - id: T1_with_T2
    severity: warning
    when: {question: T1, answered: true}
    assert: {question: T2, answered: true}
    message: {ja: T1 があれば T2 も入力してください, en: 'with T1, give T2 too'}
";

/// Answer sets that between them raise every issue code.
fn answer_sets() -> Vec<Value> {
    vec![
        json!([]),
        json!({
            "Z": 1, "B": false, "X": true, "S": "c", "M1": ["a"], "M2": ["a", "b"],
            "M3": ["none", "a"], "T1": "a", "T2": "abcd", "P": "x", "E": "nope", "I": 11,
            "N": 3, "D": "2024-02-30", "G": {"zz": 1}, "L": [{"v": 1, "w": 2}]
        }),
        json!({
            "B": "yes", "M1": ["a", "a"], "I": 1.5, "D": "2024-03-31", "R": "r", "N": "x",
            "G": 1, "S": 1, "M2": "a", "T1": 3, "M3": "none",
            "L": [{"v": "a"}, {}, 1, {"v": "b"}]
        }),
        json!({ "L": {"v": "a"} }),
    ]
}

fn render(survey: &Survey, locale: Locale, seen: &mut BTreeSet<IssueCode>) -> String {
    let options = ValidateOptions {
        locale: Some(locale),
        ..ValidateOptions::default()
    };
    let mut out = String::new();
    for (i, answers) in answer_sets().iter().enumerate() {
        let _ = writeln!(out, "# answer set {i}: {answers}");
        let report = survey.validate_with(answers, &options);
        for issue in report.issues {
            seen.insert(issue.code);
            let _ = writeln!(
                out,
                "{} {} [{}]: {}",
                issue.code, issue.path, issue.question, issue.message
            );
        }
        for warning in report.warnings {
            let _ = writeln!(
                out,
                "warning {} {} [{}] {}: {}",
                warning.code,
                warning.path,
                warning.question,
                warning.rule.unwrap_or_default(),
                warning.message
            );
        }
    }
    out
}

#[test]
fn every_issue_message_in_both_locales() {
    let survey = Survey::from_yaml(SURVEY).unwrap_or_else(|e| panic!("{e}"));
    let mut seen = BTreeSet::new();
    insta::assert_snapshot!("issues_ja", render(&survey, Locale::Ja, &mut seen));
    insta::assert_snapshot!("issues_en", render(&survey, Locale::En, &mut seen));
    let all: BTreeSet<IssueCode> = IssueCode::ALL.into_iter().collect();
    assert_eq!(seen, all, "a code has no case in answer_sets()");
}

const HEAD: &str = "id: t\nversion: '1'\ndefault_locale: ja\nlocales: [ja, en]\ntitle: T\n";

/// One broken survey per problem code (the body after `HEAD`), and the limits to load it with.
fn broken_surveys() -> Vec<(&'static str, Limits)> {
    let default = Limits::default;
    vec![
        (
            "questions:\n  - {id: 1a, type: boolean, title: A}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: a, type: boolean, title: B}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: x, label: X}, {value: x, label: Y}]}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: single_choice, title: A, choice_set: nope}\n",
            default(),
        ),
        (
            "questions:\n  - {id: g, type: group, title: G, fields: []}\n",
            default(),
        ),
        (
            "choice_sets: {s: [{value: x, label: X}]}\nquestions:\n  - {id: a, type: single_choice, title: A, choice_set: s, choices: [{value: y, label: Y}]}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A, pattern: x}\n",
            default(),
        ),
        (
            "questions:\n  - id: g\n    type: group\n    title: G\n    fields:\n      - {id: h, type: group, title: H, fields: [{id: x, type: text, title: X}]}\n",
            default(),
        ),
        (
            "questions:\n  - id: r\n    type: repeat\n    title: R\n    min_items: 3\n    max_items: 2\n    fields:\n      - {id: t, type: table, title: T, rows: [{id: x, label: X}], columns: [{id: c, type: boolean, title: C}]}\n",
            default(),
        ),
        (
            "questions:\n  - id: r\n    type: repeat\n    title: R\n    fields: [{id: v, type: boolean, title: V}]\n  - {id: b, type: boolean, title: B, enable_when: {question: r, field: v, equals: true}}\n  - {id: c, type: boolean, title: C, enable_when: {question: r, equals: 2}}\n  - {id: d, type: boolean, title: D, enable_when: {question: r, greater_than: -1}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: integer, title: A}\n  - id: r\n    type: repeat\n    title: R\n    fields:\n      - {id: v, type: boolean, title: V, enable_when: {any: [{question: a, equals: 1}, {question: a, equals: 2}, {question: a, equals: 3}]}}\n      - {id: w, type: boolean, title: W, enable_when: {all: [{question: r, field: v, equals: true}, {question: a, less_than: 0}, {question: a, greater_than: 9}, {question: a, equals: 5}]}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: d, type: date, title: D}\nrules:\n  - {id: r, assert: {any: []}, message: M}\n  - {id: r, when: {question: a, equals: true}, assert: {question: a, greater_than: {question: d}}, message: M}\n  - {id: s, assert: {question: a, equals: true}, for_each_row: t, message: M}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A, references: [{reference: nope}]}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: {ja: A, fr: A}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: {en: A}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A, enable_when: {question: z, equals: true}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A, enable_when: {question: b, equals: true}}\n  - {id: b, type: boolean, title: B}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A, enable_when: {question: a, equals: true}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, greater_than: 1}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: integer, title: A, maximum: 10}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, equals: 11}}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: integer, title: A, minimum: 5, maximum: 1}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: multiple_choice, title: A, min_selections: 3, choices: [{value: x, label: X}, {value: y, label: Y}]}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: text, title: A, pattern: '('}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: text, title: A, pattern: '\\w+'}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: date, title: A, earliest: '2024-02-30'}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: integer, title: A, maximum: 9223372036854775808}\n",
            default(),
        ),
        (
            "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: x, label: X}, {value: y, label: Y}]}\n",
            Limits {
                max_choices: 1,
                ..Limits::default()
            },
        ),
    ]
}

#[test]
fn every_problem_message() {
    let mut seen = BTreeSet::new();
    let mut out = String::new();
    for (body, limits) in broken_surveys() {
        let text = format!("{HEAD}{body}");
        match Survey::load(&text, Format::Yaml, &limits) {
            Err(Error::Check(error)) => {
                let _ = writeln!(out, "# {}", body.lines().last().unwrap_or_default());
                for problem in &error.problems {
                    seen.insert(problem.code);
                    let _ = writeln!(out, "{problem}");
                }
            }
            Err(other) => panic!("{body}: a load error, not a problem: {other}"),
            Ok(_) => panic!("{body}: accepted"),
        }
    }
    insta::assert_snapshot!("problems", out);
    let all: BTreeSet<ProblemCode> = ProblemCode::ALL.into_iter().collect();
    assert_eq!(seen, all, "a code has no case in broken_surveys()");
}

#[test]
fn every_load_error_message() {
    let small = Limits {
        max_input_bytes: 8,
        ..Limits::default()
    };
    let load = |text: &str, format| match Survey::load(text, format, &Limits::default()) {
        Err(e) => e.to_string(),
        Ok(_) => "accepted".to_owned(),
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "missing file",
            Survey::from_path("no/such/survey.yaml")
                .err()
                .map_or_else(String::new, |e| e.to_string()),
        ),
        (
            "unknown extension",
            Survey::from_path("survey.txt")
                .err()
                .map_or_else(String::new, |e| e.to_string()),
        ),
        (
            "invalid UTF-8",
            decode(b"id: \xff", &Limits::default())
                .err()
                .map_or_else(String::new, |e| e.to_string()),
        ),
        (
            "too large",
            decode(b"id: survey-schema", &small)
                .err()
                .map_or_else(String::new, |e| e.to_string()),
        ),
        ("empty YAML", load("", Format::Yaml)),
        ("empty JSON", load("  \n", Format::Json)),
        ("broken YAML", load("id: t\nquestions: [\n", Format::Yaml)),
        ("broken JSON", load("{\"id\": ", Format::Json)),
        ("duplicate YAML key", load("id: t\nid: u\n", Format::Yaml)),
        (
            "duplicate JSON key",
            load(r#"{"id": "t", "id": "u"}"#, Format::Json),
        ),
        (
            "wrong type",
            load(&format!("{HEAD}questions: 3\n"), Format::Yaml),
        ),
        (
            "missing field",
            load(
                "id: t\nversion: '1'\ntitle: T\nquestions: []\n",
                Format::Yaml,
            ),
        ),
        (
            "unknown field",
            load(&format!("{HEAD}colour: red\nquestions: []\n"), Format::Yaml),
        ),
        (
            "unknown kind",
            load(
                &format!("{HEAD}questions:\n  - {{id: a, type: yes_no, title: A}}\n"),
                Format::Yaml,
            ),
        ),
        (
            "quoted count",
            load(
                &format!(
                    "{HEAD}questions:\n  - {{id: a, type: text, title: A, max_length: '10'}}\n"
                ),
                Format::Yaml,
            ),
        ),
        (
            "non-finite YAML number",
            survey_schema::parse_answers("a: .inf\n", Format::Yaml, &Limits::default())
                .err()
                .map_or_else(String::new, |e| e.to_string()),
        ),
        (
            "nesting",
            survey_schema::parse_answers(&"[".repeat(200), Format::Json, &Limits::default())
                .err()
                .map_or_else(String::new, |e| e.to_string()),
        ),
    ];
    let mut out = String::new();
    for (name, message) in cases {
        assert!(!message.is_empty(), "{name}: no error");
        let _ = writeln!(out, "{name}: {message}");
    }
    insta::assert_snapshot!("load_errors", out);
}
