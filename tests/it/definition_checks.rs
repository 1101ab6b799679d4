//! Every definition check, one small broken survey each, with the exact problem codes
//! expected; and snapshots of the rendered diagnostics with line:column.

use survey_schema::{Error, Survey};

const HEAD: &str = "id: t\nversion: \"1\"\ndefault_locale: ja\nlocales: [ja, en]\ntitle: T\n";

fn codes(yaml: &str) -> Vec<String> {
    match Survey::from_yaml(yaml) {
        Ok(_) => Vec::new(),
        Err(Error::Check(error)) => error.problems.iter().map(|p| p.code.to_string()).collect(),
        Err(other) => vec![format!("load error: {other}")],
    }
}

/// `(name, questions and extra top-level keys, expected codes)`.
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "valid",
        "questions:\n  - {id: a, type: boolean, title: A}\n",
        &[],
    ),
    (
        "duplicate question id",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: a, type: text, title: B}\n",
        &["duplicate_id"],
    ),
    (
        "duplicate field id",
        "questions:\n  - id: g\n    type: group\n    title: G\n    fields:\n      - {id: f, type: text, title: F}\n      - {id: f, type: text, title: F}\n",
        &["duplicate_id"],
    ),
    (
        "same id as field and question is fine",
        "questions:\n  - id: f\n    type: group\n    title: G\n    fields: [{id: f, type: text, title: F}]\n",
        &[],
    ),
    (
        "duplicate choice",
        "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: x, label: X}, {value: x, label: Y}]}\n",
        &["duplicate_choice"],
    ),
    (
        "id with a space",
        "questions:\n  - {id: \"Q 1\", type: boolean, title: A}\n",
        &["invalid_id"],
    ),
    (
        "id with a dot",
        "questions:\n  - {id: q.1, type: boolean, title: A}\n",
        &["invalid_id"],
    ),
    (
        "id starting with a digit",
        "questions:\n  - {id: 1q, type: boolean, title: A}\n",
        &["invalid_id"],
    ),
    (
        "choice value with a slash",
        "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: a/b, label: X}]}\n",
        &["invalid_id"],
    ),
    (
        "unknown choice set",
        "questions:\n  - {id: a, type: single_choice, title: A, choice_set: nope}\n",
        &["unknown_choice_set"],
    ),
    (
        "empty choice set",
        "choice_sets: {yn: []}\nquestions:\n  - {id: a, type: single_choice, title: A, choice_set: yn}\n",
        &["empty"],
    ),
    (
        "empty choices",
        "questions:\n  - {id: a, type: multiple_choice, title: A, choices: []}\n",
        &["empty"],
    ),
    (
        "choices and choice set",
        "choice_sets: {yn: [{value: y, label: Y}]}\nquestions:\n  - {id: a, type: single_choice, title: A, choice_set: yn, choices: [{value: x, label: X}]}\n",
        &["choices_conflict"],
    ),
    (
        "no choices at all",
        "questions:\n  - {id: a, type: single_choice, title: A}\n",
        &["choices_conflict"],
    ),
    (
        "empty group",
        "questions:\n  - {id: g, type: group, title: G, fields: []}\n",
        &["empty"],
    ),
    (
        "nested group",
        "questions:\n  - id: g\n    type: group\n    title: G\n    fields:\n      - {id: h, type: group, title: H, fields: [{id: x, type: text, title: X}]}\n",
        &["nested_group"],
    ),
    (
        "unknown question in condition",
        "questions:\n  - {id: a, type: boolean, title: A, enable_when: {question: nope, equals: true}}\n",
        &["unknown_question"],
    ),
    (
        "forward reference",
        "questions:\n  - {id: a, type: boolean, title: A, enable_when: {question: b, equals: true}}\n  - {id: b, type: boolean, title: B}\n",
        &["forward_reference"],
    ),
    (
        "self reference",
        "questions:\n  - {id: a, type: boolean, title: A, enable_when: {question: a, answered: true}}\n",
        &["self_reference"],
    ),
    (
        "field refers to its own group",
        "questions:\n  - id: g\n    type: group\n    title: G\n    fields: [{id: f, type: text, title: F, enable_when: {question: g, answered: true}}]\n",
        &["self_reference"],
    ),
    (
        "group refers to one of its own fields (found by fuzzing)",
        "questions:\n  - {id: g, type: group, title: G, enable_when: {question: g, field: k, not_equals: m}, fields: [{id: k, type: text, title: K}]}\n",
        &["self_reference"],
    ),
    (
        "field refers to itself through its group (found by fuzzing)",
        "questions:\n  - id: g\n    type: group\n    title: G\n    fields: [{id: k, type: text, title: K, enable_when: {question: g, field: k, equals: p}}]\n",
        &["self_reference"],
    ),
    (
        "group without fields refers to itself (found by fuzzing)",
        "questions:\n  - {id: g, type: group, title: G, enable_when: {question: g, field: k, not_equals: m}}\n",
        &["empty", "self_reference"],
    ),
    (
        "field refers to a later sibling",
        "questions:\n  - id: g\n    type: group\n    title: G\n    fields:\n      - {id: f, type: text, title: F, enable_when: {question: g, field: h, equals: x}}\n      - {id: h, type: text, title: H}\n",
        &["forward_reference"],
    ),
    (
        "field refers to an earlier sibling",
        "questions:\n  - id: g\n    type: group\n    title: G\n    fields:\n      - {id: f, type: text, title: F}\n      - {id: h, type: text, title: H, enable_when: {question: g, field: f, equals: x}}\n",
        &[],
    ),
    (
        "unknown field",
        "questions:\n  - {id: g, type: group, title: G, fields: [{id: f, type: text, title: F}]}\n  - {id: b, type: boolean, title: B, enable_when: {question: g, field: zz, answered: true}}\n",
        &["unknown_question"],
    ),
    (
        "field of a question that is no group",
        "questions:\n  - {id: a, type: text, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, field: zz, answered: true}}\n",
        &["unknown_question"],
    ),
    (
        "includes on a boolean",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, includes: x}}\n",
        &["operator_mismatch"],
    ),
    (
        "greater_than on a choice",
        "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: x, label: X}]}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, greater_than: 1}}\n",
        &["operator_mismatch"],
    ),
    (
        "equals on a multiple choice",
        "questions:\n  - {id: a, type: multiple_choice, title: A, choices: [{value: x, label: X}]}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, equals: x}}\n",
        &["operator_mismatch"],
    ),
    (
        "equals on a group",
        "questions:\n  - {id: g, type: group, title: G, fields: [{id: f, type: text, title: F}]}\n  - {id: b, type: boolean, title: B, enable_when: {question: g, equals: x}}\n",
        &["operator_mismatch"],
    ),
    (
        "string compared with a boolean",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, equals: \"yes\"}}\n",
        &["invalid_value"],
    ),
    (
        "unknown choice in a condition",
        "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: x, label: X}]}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, in: [x, y]}}\n",
        &["invalid_value"],
    ),
    (
        "unknown choice in includes",
        "questions:\n  - {id: a, type: multiple_choice, title: A, choices: [{value: x, label: X}]}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, includes: y}}\n",
        &["invalid_value"],
    ),
    (
        "fraction compared with an integer",
        "questions:\n  - {id: a, type: integer, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, greater_than: 1.5}}\n",
        &["invalid_value"],
    ),
    (
        "invalid date in a condition",
        "questions:\n  - {id: a, type: date, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, less_than: \"2024-02-30\"}}\n",
        &["invalid_value"],
    ),
    (
        "two operators in a leaf",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a, equals: true, answered: true}}\n",
        &["invalid_condition"],
    ),
    (
        "no operator in a leaf",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {question: a}}\n",
        &["invalid_condition"],
    ),
    (
        "combinator and leaf together",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {all: [], question: a, equals: true}}\n",
        &["invalid_condition"],
    ),
    (
        "selections min above max",
        "questions:\n  - {id: a, type: multiple_choice, title: A, min_selections: 3, max_selections: 2, choices: [{value: x, label: X}, {value: y, label: Y}, {value: z, label: Z}]}\n",
        &["min_above_max"],
    ),
    (
        "more required selections than choices",
        "questions:\n  - {id: a, type: multiple_choice, title: A, min_selections: 3, choices: [{value: x, label: X}]}\n",
        &["too_many_required_selections"],
    ),
    (
        "lengths min above max",
        "questions:\n  - {id: a, type: text, title: A, min_length: 5, max_length: 2}\n",
        &["min_above_max"],
    ),
    (
        "integer min above max",
        "questions:\n  - {id: a, type: integer, title: A, minimum: 5, maximum: 2}\n",
        &["min_above_max"],
    ),
    (
        "number min above max",
        "questions:\n  - {id: a, type: number, title: A, minimum: 2.5, maximum: 2.25}\n",
        &["min_above_max"],
    ),
    (
        "dates earliest after latest",
        "questions:\n  - {id: a, type: date, title: A, earliest: \"2024-03-01\", latest: \"2024-02-01\"}\n",
        &["min_above_max"],
    ),
    (
        "invalid date bound",
        "questions:\n  - {id: a, type: date, title: A, earliest: \"2023-02-29\"}\n",
        &["invalid_date"],
    ),
    (
        "integer bound outside i64",
        "questions:\n  - {id: a, type: integer, title: A, maximum: 1.0e30}\n",
        &["invalid_number"],
    ),
    (
        "period ends before it starts",
        "metadata: {period: {start: \"2024-03-08\", end: \"2024-02-01\"}}\nquestions:\n  - {id: a, type: boolean, title: A}\n",
        &["min_above_max"],
    ),
    (
        "pattern that does not compile",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"(ab\"}\n",
        &["invalid_pattern"],
    ),
    (
        "pattern with \\d",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"^\\\\d+$\"}\n",
        &["unportable_pattern"],
    ),
    (
        "pattern with \\w",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"\\\\w\"}\n",
        &["unportable_pattern"],
    ),
    (
        "pattern with \\b",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"\\\\bx\"}\n",
        &["unportable_pattern"],
    ),
    (
        "pattern with lookahead",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"a(?=b)\"}\n",
        &["unportable_pattern"],
    ),
    (
        "pattern with lookbehind",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"(?<=a)b\"}\n",
        &["unportable_pattern"],
    ),
    (
        "pattern with a backreference",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"(a)\\\\1\"}\n",
        &["unportable_pattern"],
    ),
    (
        "portable pattern",
        "questions:\n  - {id: a, type: text, title: A, pattern: \"^[0-9]{3}-[0-9]{4}$\"}\n",
        &[],
    ),
    (
        "unknown reference",
        "references: {gl: {title: G}}\nquestions:\n  - {id: a, type: boolean, title: A, references: [{reference: nope}]}\n",
        &["unknown_reference"],
    ),
    (
        "undeclared locale",
        "questions:\n  - {id: a, type: boolean, title: {ja: A, fr: B}}\n",
        &["unknown_locale"],
    ),
    (
        "missing default text",
        "questions:\n  - {id: a, type: boolean, title: {en: A}}\n",
        &["missing_default_text"],
    ),
    (
        "pattern on a boolean",
        "questions:\n  - {id: a, type: boolean, title: A, pattern: x}\n",
        &["not_applicable"],
    ),
    (
        "choices on a text",
        "questions:\n  - {id: a, type: text, title: A, choices: [{value: x, label: X}]}\n",
        &["not_applicable"],
    ),
    (
        "specify box on a matrix's choice",
        "questions:\n  - {id: X, type: matrix, title: X, choices: [{value: a, label: A, specify: {id: Xs}}], rows: [{id: z, label: Z}]}\n",
        &["not_applicable"],
    ),
    (
        "specify box in a choice set",
        "choice_sets:\n  s: [{value: a, label: A, specify: {id: As}}]\nquestions:\n  - {id: Y, type: single_choice, title: Y, choice_set: s}\n",
        &["not_applicable"],
    ),
    (
        "min_selections on a single-choice matrix",
        "questions:\n  - {id: X, type: matrix, title: X, min_selections: 1, choices: [{value: a, label: A}], rows: [{id: z, label: Z}]}\n",
        &["not_applicable"],
    ),
    (
        "specify box on a table column's choice is per row",
        "questions:\n  - {id: T, type: table, title: T, rows: [{id: r, label: R}], columns: [{id: c, type: single_choice, title: C, choices: [{value: a, label: A, specify: {id: cs}}]}]}\n",
        &[],
    ),
    (
        "fields on a boolean",
        "questions:\n  - {id: a, type: boolean, title: A, fields: []}\n",
        &["not_applicable"],
    ),
    (
        "only one boolean label",
        "questions:\n  - {id: a, type: boolean, title: A, true_label: はい}\n",
        &["invalid_value"],
    ),
    (
        "choice label for an unknown value",
        "choice_sets: {n: [{value: one, label: '1'}]}\nquestions:\n  - {id: a, type: single_choice, title: A, choice_set: n, choice_labels: {two: '2'}}\n",
        &["invalid_value"],
    ),
    (
        "specify box id clashes",
        "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: other, label: O, specify: {id: b}}]}\n  - {id: b, type: text, title: B}\n",
        &["duplicate_id"],
    ),
    (
        "equals above an integer's maximum",
        "questions:\n  - {id: n, type: integer, title: N, maximum: 10}\n  - {id: b, type: boolean, title: B, enable_when: {question: n, equals: 11}}\n",
        &["invalid_value"],
    ),
    (
        "a greater_than bound above the maximum may be meant",
        "questions:\n  - {id: n, type: integer, title: N, maximum: 10}\n  - {id: b, type: boolean, title: B, enable_when: {question: n, greater_than: 11}}\n",
        &[],
    ),
    (
        "not_equals below a number's minimum",
        "questions:\n  - {id: n, type: number, title: N, minimum: 0.5}\n  - {id: b, type: boolean, title: B, enable_when: {question: n, not_equals: 0.25}}\n",
        &["invalid_value"],
    ),
    (
        "equals a text longer than max_length",
        "questions:\n  - {id: t, type: text, title: T, max_length: 3}\n  - {id: b, type: boolean, title: B, enable_when: {question: t, equals: abcd}}\n",
        &["invalid_value"],
    ),
    (
        "equals a text shorter than min_length",
        "questions:\n  - {id: t, type: text, title: T, min_length: 2}\n  - {id: b, type: boolean, title: B, enable_when: {question: t, equals: a}}\n",
        &["invalid_value"],
    ),
    (
        "equals a text outside the pattern",
        "questions:\n  - {id: t, type: text, title: T, pattern: '^[0-9]+$'}\n  - {id: b, type: boolean, title: B, enable_when: {question: t, equals: x1}}\n",
        &["invalid_value"],
    ),
    (
        "equals nope on an email question",
        "questions:\n  - {id: t, type: text, title: T, format: email}\n  - {id: b, type: boolean, title: B, enable_when: {question: t, equals: nope}}\n",
        &["invalid_value"],
    ),
    (
        "an email value that is an address is fine",
        "questions:\n  - {id: t, type: text, title: T, format: email}\n  - {id: b, type: boolean, title: B, enable_when: {question: t, equals: a@example.jp}}\n",
        &[],
    ),
    (
        "in with a date before earliest",
        "questions:\n  - {id: d, type: date, title: D, earliest: '2024-04-01'}\n  - {id: b, type: boolean, title: B, enable_when: {question: d, in: ['2024-04-02', '2024-03-31']}}\n",
        &["invalid_value"],
    ),
    (
        "less_than a date before earliest may be meant",
        "questions:\n  - {id: d, type: date, title: D, earliest: '2024-04-01'}\n  - {id: b, type: boolean, title: B, enable_when: {question: d, less_than: '2024-03-31'}}\n",
        &[],
    ),
    (
        "equals a value longer than a specify box's max_length",
        "questions:\n  - {id: a, type: single_choice, title: A, choices: [{value: other, label: O, specify: {id: a-other, max_length: 3}}]}\n  - {id: b, type: boolean, title: B, enable_when: {question: a-other, equals: abcd}}\n",
        &["invalid_value"],
    ),
    (
        "a section, a matrix and a table",
        "questions:\n  - {id: s, type: section, title: S, questions: [{id: m, type: matrix, title: M, rows: [{id: r, label: R}], choices: [{value: a, label: A}]}, {id: t, type: table, title: T, rows: [{id: r, label: R}], columns: [{id: c, type: boolean, title: C}, {id: d, type: date, title: D, enable_when: {column: c, equals: false}}]}]}\n",
        &[],
    ),
    (
        "a section inside a group",
        "questions:\n  - {id: g, type: group, title: G, fields: [{id: s, type: section, title: S, questions: [{id: a, type: boolean, title: A}]}]}\n",
        &["nested_group"],
    ),
    (
        "an empty section",
        "questions:\n  - {id: s, type: section, title: S, questions: []}\n",
        &["empty"],
    ),
    (
        "required on a section",
        "questions:\n  - {id: s, type: section, title: S, required: true, questions: [{id: a, type: boolean, title: A}]}\n",
        &["not_applicable"],
    ),
    (
        "a section id used by a question",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: a, type: section, title: S, questions: [{id: b, type: boolean, title: B}]}\n",
        &["duplicate_id"],
    ),
    (
        "a matrix without rows",
        "questions:\n  - {id: m, type: matrix, title: M, choices: [{value: a, label: A}]}\n",
        &["empty"],
    ),
    (
        "a table without columns",
        "questions:\n  - {id: t, type: table, title: T, rows: [{id: r, label: R}]}\n",
        &["empty"],
    ),
    (
        "a group as a table column",
        "questions:\n  - {id: t, type: table, title: T, rows: [{id: r, label: R}], columns: [{id: g, type: group, title: G, fields: [{id: f, type: text, title: F}]}]}\n",
        &["nested_group"],
    ),
    (
        "a table inside a table is reported once",
        "questions:\n  - {id: t, type: table, title: T, rows: [{id: r, label: R}, {id: s, label: S}], columns: [{id: u, type: table, title: U, rows: [{id: x, label: X}], columns: [{id: c, type: text, title: C}]}]}\n",
        &["nested_group"],
    ),
    (
        "a duplicate row",
        "questions:\n  - {id: m, type: matrix, title: M, rows: [{id: r, label: R}, {id: r, label: S}], choices: [{value: a, label: A}]}\n",
        &["duplicate_id"],
    ),
    (
        "a column condition on an unknown column",
        "questions:\n  - {id: t, type: table, title: T, rows: [{id: r, label: R}], columns: [{id: c, type: boolean, title: C, enable_when: {column: zz, equals: true}}]}\n",
        &["unknown_question"],
    ),
    (
        "a column condition on a later column",
        "questions:\n  - {id: t, type: table, title: T, rows: [{id: r, label: R}], columns: [{id: c, type: boolean, title: C, enable_when: {column: d, equals: true}}, {id: d, type: boolean, title: D}]}\n",
        &["forward_reference"],
    ),
    (
        "a column condition outside a table",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: b, type: boolean, title: B, enable_when: {column: a, equals: true}}\n",
        &["invalid_condition"],
    ),
    (
        "column and question together",
        "questions:\n  - {id: a, type: boolean, title: A}\n  - {id: t, type: table, title: T, rows: [{id: r, label: R}], columns: [{id: c, type: boolean, title: C}, {id: d, type: boolean, title: D, enable_when: {column: c, question: a, equals: true}}]}\n",
        &["invalid_condition"],
    ),
    (
        "multiple on a single choice",
        "questions:\n  - {id: a, type: single_choice, title: A, multiple: true, choices: [{value: x, label: X}]}\n",
        &["not_applicable"],
    ),
    (
        "a row condition on a later question",
        "questions:\n  - {id: m, type: matrix, title: M, rows: [{id: r, label: R, enable_when: {question: z, equals: true}}], choices: [{value: a, label: A}]}\n  - {id: z, type: boolean, title: Z}\n",
        &["forward_reference"],
    ),
    (
        "several problems at once",
        "questions:\n  - {id: a, type: boolean, title: A, enable_when: {question: z, equals: true}}\n  - {id: a, type: text, title: B, min_length: 3, max_length: 1}\n",
        &["unknown_question", "duplicate_id", "min_above_max"],
    ),
];

#[test]
fn each_definition_check_reports_its_codes() {
    let mut failures = Vec::new();
    for (name, body, expected) in CASES {
        let yaml = format!("{HEAD}{body}");
        let found = codes(&yaml);
        if found != *expected {
            failures.push(format!("{name}: expected {expected:?}, found {found:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_default_locale_outside_locales_is_reported() {
    let yaml = "id: t\nversion: \"1\"\ndefault_locale: de\nlocales: [ja, en]\ntitle: T\nquestions: [{id: a, type: boolean, title: A}]\n";
    assert_eq!(codes(yaml), ["unknown_locale"]);
}

#[test]
fn condition_nesting_is_bounded() {
    let mut condition = "{question: a, equals: true}".to_owned();
    for _ in 0..40 {
        condition = format!("{{not: {condition}}}");
    }
    let yaml = format!(
        "{HEAD}questions:\n  - {{id: a, type: boolean, title: A}}\n  - {{id: b, type: boolean, title: B, enable_when: {condition}}}\n"
    );
    assert_eq!(codes(&yaml), ["limit_exceeded"]);
}

#[test]
fn diagnostics_carry_paths_and_line_columns() {
    let yaml = format!(
        "{HEAD}questions:\n  - id: a\n    type: single_choice\n    title: {{ja: A, fr: X}}\n    choices:\n      - {{value: x, label: X}}\n      - {{value: x, label: Y}}\n  - id: b\n    type: text\n    title: B\n    pattern: \"\\\\d+\"\n    enable_when:\n      any:\n        - {{question: a, equals: z}}\n        - {{question: c, answered: true}}\n  - {{id: c, type: boolean, title: C}}\n"
    );
    let Err(Error::Check(error)) = Survey::from_yaml(&yaml) else {
        panic!("expected problems")
    };
    insta::assert_snapshot!(format!("{yaml}\n---\n{error}"));
}

#[test]
fn json_definitions_get_locations_too() {
    let json = r#"{
  "id": "t", "version": "1", "default_locale": "ja", "title": "T",
  "questions": [
    {"id": "a", "type": "boolean", "title": "A",
     "enable_when": {"question": "a", "equals": true}}
  ]
}"#;
    let Err(Error::Check(error)) = Survey::from_json(json) else {
        panic!("expected problems")
    };
    let problem = &error.problems[0];
    assert_eq!(problem.path, "questions[0].enable_when.question");
    assert_eq!(problem.location.map(|l| l.line), Some(5));
}

/// The messages of a survey's problems.
fn messages(yaml: &str) -> Vec<String> {
    match Survey::from_yaml(yaml) {
        Err(Error::Check(error)) => error.problems.iter().map(|p| p.message.clone()).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

/// A misspelt id names the one it probably means: a question, a group's field, a row's
/// column, a choice, a choice set, a reference; an id close to nothing names nothing.
#[test]
fn a_misspelt_id_says_which_one_is_meant() {
    let questions = "references:\n  guideline: {title: G}\nchoice_sets:\n  colours: [{value: red, label: R}, {value: blue, label: B}]\nquestions:\n  - {id: has_pet, type: boolean, title: P}\n  - {id: colour, type: single_choice, title: C, choice_set: colours}\n  - id: owner\n    type: group\n    title: O\n    fields: [{id: email, type: text, title: E}]\n";
    let cases = [
        (
            "  - {id: q, type: text, title: Q, enable_when: {question: has_pets, equals: true}}\n",
            "there is no question `has_pets` (did you mean `has_pet`?)",
        ),
        (
            "  - {id: q, type: text, title: Q, enable_when: {question: Has_Pet, equals: true}}\n",
            "there is no question `Has_Pet` (did you mean `has_pet`?)",
        ),
        (
            "  - {id: q, type: text, title: Q, enable_when: {question: owner, field: emial, answered: true}}\n",
            "group `owner` has no field `emial` (did you mean `email`?)",
        ),
        (
            "  - {id: q, type: text, title: Q, enable_when: {question: colour, equals: rde}}\n",
            "`rde` is not one of its choices (did you mean `red`?)",
        ),
        (
            "  - {id: q, type: single_choice, title: Q, choice_set: colour}\n",
            "there is no choice set `colour` (did you mean `colours`?)",
        ),
        (
            "  - {id: q, type: text, title: Q, references: [{reference: guidline}]}\n",
            "`guidline` is not in the survey's references (did you mean `guideline`?)",
        ),
        (
            "  - {id: q, type: text, title: Q, enable_when: {question: zebra_crossing, equals: true}}\n",
            "there is no question `zebra_crossing`",
        ),
    ];
    for (question, expected) in cases {
        let found = messages(&format!("{HEAD}{questions}{question}"));
        assert!(
            found.iter().any(|m| m.contains(expected)),
            "{expected}: {found:?}"
        );
        if !expected.contains("did you mean") {
            assert!(
                found.iter().all(|m| !m.contains("did you mean")),
                "{found:?}"
            );
        }
    }
    let table = "questions:\n  - id: T\n    type: table\n    title: T\n    rows: [{id: r1, label: r1}]\n    columns:\n      - {id: amount, type: integer, title: A}\n      - {id: b, type: boolean, title: B, enable_when: {column: amuont, answered: true}}\n";
    let found = messages(&format!("{HEAD}{table}"));
    assert!(
        found
            .iter()
            .any(|m| m.contains("the table has no column `amuont` (did you mean `amount`?)")),
        "{found:?}"
    );
}
