//! What the docs answer where the format could be read two ways, held literally: which
//! issues an answer set gets and where, with the JSON Schema's verdict beside the native one.

use serde_json::{Value, json};
use survey_schema::Survey;
use survey_schema::json_schema::{Draft, JsonSchemaOptions};

const HEAD: &str = "id: s\nversion: '1'\ndefault_locale: en\ntitle: T\n";

/// The issues (`code path`) of an answer set, after checking that both drafts of the JSON
/// Schema and the form schema agree with the verdict.
fn issues(survey: &Survey, answers: &Value) -> Vec<String> {
    let report = survey.validate(answers);
    for draft in [Draft::Draft07, Draft::Draft2020_12] {
        let schema =
            survey_schema::json_schema::generate(survey, &JsonSchemaOptions::new(draft, None))
                .to_value();
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert_eq!(
            validator.is_valid(answers),
            report.is_valid(),
            "{draft:?} on {answers}: {report}"
        );
    }
    report
        .issues
        .iter()
        .map(|i| format!("{} {}", i.code.as_str(), i.path))
        .collect()
}

fn survey(questions: &str) -> Survey {
    Survey::from_yaml(&format!("{HEAD}{questions}")).unwrap_or_else(|e| panic!("{e}"))
}

/// A required matrix or table asks for every enabled row: where none of its rows is enabled
/// it may be left out; left out otherwise, it is one issue at the matrix; answered `{}`, one
/// at each enabled row.
#[test]
fn a_required_matrix_asks_for_its_enabled_rows() {
    let conditional = survey(
        "questions:\n  - {id: A, type: boolean, title: A}\n  \
         - {id: M, type: matrix, title: M, required: true, choices: [{value: y, label: Y}], rows: [\
           {id: r1, label: R1, enable_when: {question: A, equals: true}}, \
           {id: r2, label: R2, enable_when: {question: A, equals: true}}]}\n  \
         - {id: T, type: table, title: T, required: true, \
           rows: [{id: r1, label: R1, enable_when: {question: A, equals: true}}], \
           columns: [{id: c, type: boolean, title: C}]}\n",
    );
    let none: Vec<String> = Vec::new();
    assert_eq!(issues(&conditional, &json!({"A": false})), none);
    assert_eq!(issues(&conditional, &json!({})), none);
    assert_eq!(
        conditional.progress(&json!({"A": false})).required,
        0,
        "nothing is asked"
    );
    assert_eq!(
        issues(&conditional, &json!({"A": true})),
        ["missing_required /M", "missing_required /T"]
    );
    assert_eq!(
        issues(&conditional, &json!({"A": true, "M": {}, "T": {}})),
        [
            "missing_required /M/r1",
            "missing_required /M/r2",
            "missing_required /T/r1"
        ]
    );
    assert_eq!(conditional.progress(&json!({"A": true})).required, 2);
    // With one row always asked, the matrix is asked for whenever it is enabled.
    let one_always = survey(
        "questions:\n  - {id: A, type: boolean, title: A}\n  \
         - {id: M, type: matrix, title: M, required: true, choices: [{value: y, label: Y}], rows: [\
           {id: r1, label: R1}, {id: r2, label: R2, enable_when: {question: A, equals: true}}]}\n",
    );
    assert_eq!(
        issues(&one_always, &json!({"A": false})),
        ["missing_required /M"]
    );
    assert_eq!(
        issues(&one_always, &json!({"A": false, "M": {}})),
        ["missing_required /M/r1"]
    );
}

/// Where a missing answer is reported: a required container left out at the container, its
/// required members only inside a container that is answered (an object).
#[test]
fn missing_answers_are_reported_at_the_outermost_missing_container() {
    let survey = survey(
        "questions:\n  \
         - {id: G, type: group, title: G, required: true, fields: [{id: f, type: boolean, title: F, required: true}]}\n  \
         - {id: T, type: table, title: T, rows: [{id: r1, label: R1}, {id: r2, label: R2}], \
           columns: [{id: c, type: boolean, title: C, required: true}, {id: d, type: boolean, title: D}]}\n  \
         - {id: U, type: table, title: U, required: true, rows: [{id: r1, label: R1}, {id: r2, label: R2}], \
           columns: [{id: c, type: boolean, title: C, required: true}]}\n",
    );
    let full = json!({"G": {"f": true}, "U": {"r1": {"c": true}, "r2": {"c": true}}});
    assert!(issues(&survey, &full).is_empty());
    let mut answers = full.clone();
    answers.as_object_mut().unwrap().remove("G");
    assert_eq!(issues(&survey, &answers), ["missing_required /G"]);
    answers["G"] = json!({});
    assert_eq!(issues(&survey, &answers), ["missing_required /G/f"]);
    let mut answers = full.clone();
    answers.as_object_mut().unwrap().remove("U");
    assert_eq!(issues(&survey, &answers), ["missing_required /U"]);
    answers["U"] = json!({});
    assert_eq!(
        issues(&survey, &answers),
        ["missing_required /U/r1", "missing_required /U/r2"]
    );
    // A table that is not required: a required column is asked in a row that is answered.
    let mut answers = full.clone();
    answers["T"] = json!({});
    assert!(issues(&survey, &answers).is_empty());
    answers["T"] = json!({"r1": {"d": true}});
    assert_eq!(issues(&survey, &answers), ["missing_required /T/r1/c"]);
}

/// A rule checked per table row runs in every row the skip logic asks (answered or not),
/// never in a disabled row or a disabled table; one checked per instance never runs on an
/// instance that is not an object.
#[test]
fn rules_run_on_the_rows_and_instances_that_are_asked() {
    let survey = survey(
        "questions:\n  - {id: A, type: boolean, title: A}\n  - {id: B, type: boolean, title: B}\n  \
         - {id: T, type: table, title: T, enable_when: {question: B, equals: true}, \
           rows: [{id: r1, label: R1}, {id: r2, label: R2, enable_when: {question: A, equals: true}}], \
           columns: [{id: c, type: boolean, title: C}]}\n  \
         - {id: R, type: repeat, title: R, fields: [{id: f, type: boolean, title: F}]}\n\
         rules:\n  \
         - {id: per_row, for_each_row: T, assert: {column: c, equals: true}, message: m}\n  \
         - {id: per_instance, for_each_instance: R, assert: {question: R, field: f, equals: true}, message: m}\n",
    );
    let none: Vec<String> = Vec::new();
    assert_eq!(
        issues(&survey, &json!({"B": false})),
        none,
        "T is not asked"
    );
    assert_eq!(
        issues(&survey, &json!({"B": true, "A": false})),
        ["rule_failed /T/r1/c"],
        "asked and unanswered, in the one row asked"
    );
    assert_eq!(
        issues(
            &survey,
            &json!({"B": true, "A": false, "T": {"r1": {"c": true}}})
        ),
        none
    );
    assert_eq!(
        issues(
            &survey,
            &json!({"B": true, "A": true, "T": {"r1": {"c": true}}})
        ),
        ["rule_failed /T/r2/c"]
    );
    assert_eq!(
        issues(&survey, &json!({"R": [5, {"f": true}, {}]})),
        ["wrong_type /R/0", "rule_failed /R/2/f"]
    );
}

/// A table row is tested from outside with `answered` only; a table column's specify box is a
/// cell of its row; an unknown row, column or matrix row is `unknown_field` where it is.
#[test]
fn table_rows_from_outside_specify_cells_and_unknown_keys() {
    let survey = survey(
        "questions:\n  \
         - {id: X, type: table, title: X, rows: [{id: z, label: Z}], columns: [\
           {id: c, type: single_choice, title: C, choices: [{value: a, label: A}, {value: other, label: O, specify: {id: Xs}}]}]}\n  \
         - {id: B, type: boolean, title: B, enable_when: {question: X, field: z, answered: true}}\n  \
         - {id: M, type: matrix, title: M, choices: [{value: y, label: Y}], rows: [{id: r, label: R}]}\n",
    );
    let none: Vec<String> = Vec::new();
    assert_eq!(
        issues(
            &survey,
            &json!({"X": {"z": {"c": "other", "Xs": "t"}}, "B": true})
        ),
        none
    );
    assert_eq!(issues(&survey, &json!({"X": {"z": {}}, "B": true})), none);
    assert_eq!(
        issues(&survey, &json!({"X": {"z": {"c": "a", "Xs": "t"}}})),
        ["answered_while_disabled /X/z/Xs"]
    );
    assert_eq!(
        issues(&survey, &json!({"B": true})),
        ["answered_while_disabled /B"]
    );
    assert_eq!(
        issues(
            &survey,
            &json!({"X": {"q": {}, "z": {"x": 1}}, "M": {"x": "y"}})
        ),
        [
            "unknown_field /X/q",
            "unknown_field /X/z/x",
            "unknown_field /M/x"
        ]
    );
    let equals = Survey::from_yaml(&format!(
        "{HEAD}questions:\n  - {{id: X, type: table, title: X, rows: [{{id: z, label: Z}}], columns: [{{id: c, type: boolean, title: C}}]}}\n  \
         - {{id: B, type: boolean, title: B, enable_when: {{question: X, field: z, equals: 1}}}}\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(equals.contains("operator_mismatch"), "{equals}");
    assert!(equals.contains("a table row"), "{equals}");
}

/// A multiple choice's number of selections is compared with a constant as a repeat's number
/// of instances is: `[]` has none, an unanswered question no count at all.
#[test]
fn a_multiple_choice_is_counted_as_a_repeat_is() {
    let survey = survey(
        "questions:\n  \
         - {id: Q6, type: multiple_choice, title: Q6, choices: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]}\n  \
         - {id: B, type: boolean, title: B, enable_when: {question: Q6, greater_or_equal: 2}}\n  \
         - {id: C, type: boolean, title: C, enable_when: {question: Q6, less_than: 1}}\n",
    );
    let none: Vec<String> = Vec::new();
    assert_eq!(issues(&survey, &json!({"Q6": ["a", "b"], "B": true})), none);
    assert_eq!(
        issues(&survey, &json!({"Q6": ["a"], "B": true})),
        ["answered_while_disabled /B"]
    );
    assert_eq!(issues(&survey, &json!({"Q6": [], "C": true})), none);
    assert_eq!(
        issues(&survey, &json!({"C": true})),
        ["answered_while_disabled /C"]
    );
    let bad = Survey::from_yaml(&format!(
        "{HEAD}questions:\n  - {{id: Q6, type: multiple_choice, title: Q6, choices: [{{value: a, label: A}}]}}\n  \
         - {{id: B, type: boolean, title: B, enable_when: {{question: Q6, greater_than: 1.5}}}}\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(
        bad.contains("a number of selections is a whole number"),
        "{bad}"
    );
}
