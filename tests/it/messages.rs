//! Messages that a user can act on: each names the key, the value or the fix, in the user's
//! terms (no library option names, no wrong articles, no "other choices" where there are none).
//! One test per misleading message found by testing from outside.

use crate::common;

use serde_json::json;
use survey_schema::{Error, Format, Limits, Locale, Survey, ValidateOptions, parse_answers};

fn problems(yaml_questions: &str) -> Vec<String> {
    let text = format!("id: s\nversion: \"1\"\ndefault_locale: en\ntitle: S\n{yaml_questions}");
    match Survey::from_yaml(&text) {
        Err(Error::Check(error)) => error.problems.iter().map(ToString::to_string).collect(),
        Err(other) => vec![other.to_string()],
        Ok(_) => Vec::new(),
    }
}

#[test]
fn unportable_escapes_suggest_the_class_that_means_the_same() {
    for (escape, class) in [
        ("\\\\d", "`[0-9]`"),
        ("\\\\D", "`[^0-9]`"),
        ("\\\\w", "`[A-Za-z0-9_]`"),
        ("\\\\W", "`[^A-Za-z0-9_]`"),
        ("\\\\s", "`[ \\t\\n\\r]`"),
        ("\\\\S", "`[^ \\t\\n\\r]`"),
    ] {
        let found = problems(&format!(
            "questions: [{{id: a, type: text, title: A, pattern: \"x{escape}\"}}]\n"
        ));
        assert_eq!(found.len(), 1, "{escape}: {found:?}");
        assert!(found[0].contains(class), "{escape}: {}", found[0]);
    }
    let found = problems("questions: [{id: a, type: text, title: A, pattern: \"\\\\bx\"}]\n");
    assert!(
        found[0].contains("word boundary") && !found[0].contains("[0-9]"),
        "{found:?}"
    );
}

#[test]
fn kinds_take_the_right_article() {
    let found = problems("questions: [{id: a, type: integer, title: A, pattern: x}]\n");
    assert!(
        found[0].ends_with("`pattern` does not apply to an integer question"),
        "{found:?}"
    );
    let found = problems(
        "questions: [{id: a, type: integer, title: A}, {id: b, type: text, title: B, enable_when: {question: a, includes: x}}]\n",
    );
    assert!(found[0].contains("`a`, an integer question"), "{found:?}");
    let found = problems("questions: [{id: a, type: boolean, title: A, max_length: 3}]\n");
    assert!(
        found[0].ends_with("does not apply to a boolean question"),
        "{found:?}"
    );
}

#[test]
fn a_duplicate_yaml_key_names_the_key_and_no_library_option() {
    let error = Survey::from_yaml("id: s\nid: t\n").unwrap_err().to_string();
    assert!(error.contains("duplicate key `id`"), "{error}");
    assert!(!error.contains("DuplicateKeyPolicy"), "{error}");
    let error = parse_answers("Q2: true\nQ2: false\n", Format::Yaml, &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("duplicate key `Q2`"), "{error}");
}

#[test]
fn a_non_finite_yaml_answer_says_what_is_refused() {
    let error = parse_answers("Q5: .inf\n", Format::Yaml, &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("`.inf` is not a finite number"), "{error}");
    assert!(!error.contains("configured policy"), "{error}");
}

#[test]
fn a_wrong_type_in_a_survey_file_names_the_key_and_what_was_expected() {
    let error =
        Survey::from_yaml("id: s\nversion: \"1\"\ndefault_locale: en\ntitle: S\nquestions: 3\n")
            .unwrap_err()
            .to_string();
    assert_eq!(error, "5:12: `questions`: expected a list of questions");
}

#[test]
fn an_exclusive_choice_repeated_alone_is_a_duplicate_not_a_combination() {
    let survey = common::mhlw();
    let options = ValidateOptions {
        partial: true,
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    };
    let report = survey.validate_with(&json!({"Q6": ["none_seeking", "none_seeking"]}), &options);
    let codes: Vec<(&str, &str)> = report
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.path.as_str()))
        .collect();
    assert_eq!(codes, [("duplicate_choice", "/Q6/1")]);
    let report = survey.validate_with(&json!({"Q6": ["none_seeking", "self"]}), &options);
    assert_eq!(report.issues[0].code.as_str(), "exclusive_choice_combined");
    assert!(report.issues[0].message.contains("other choices"));
}

/// An answer of the wrong type is seen by the conditions that test it, and no test of a value
/// holds on it: its message names the questions whose conditions test it, so that the
/// `answered_while_disabled` of a question it turned off has its reason beside it.
#[test]
fn a_wrong_type_names_the_questions_whose_conditions_test_it() {
    let survey = common::mhlw();
    let options = ValidateOptions {
        partial: true,
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    };
    let report = survey.validate_with(&json!({"Q10": "yes", "Q10-1": true}), &options);
    let messages: Vec<(&str, &str)> = report
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "wrong_type",
                "Q10: the answer must be a boolean (true or false); the conditions of Q10-1 test it"
            ),
            (
                "answered_while_disabled",
                "Q10-1: this question does not apply given the earlier answers, so it must not be answered"
            ),
        ]
    );
    // A question no condition tests says nothing more; six testers name five and count one.
    let report = survey.validate_with(&json!({"Q2": "yes", "Q11": true, "Q12": 1}), &options);
    let messages: Vec<&str> = report.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Q2: the answer must be a boolean (true or false)",
            "Q12: the answer must be a boolean (true or false); the conditions of Q12-1, Q12-2, Q12-3, Q12-4, Q12-5 (+1) test it",
        ]
    );
    // The form's catalogue says the same for the same failure.
    let catalogue = serde_json::to_value(survey_schema::json_schema::error_messages(
        &survey,
        Locale::En,
    ))
    .unwrap();
    assert_eq!(
        catalogue["errors"]["#/properties/Q10/type"]["message"],
        "Q10: the answer must be a boolean (true or false); the conditions of Q10-1 test it"
    );
}

/// A key dedented out of its map is reported as missing from it, with the line that has it and
/// both columns; a key that is simply missing, or that a later map has, gets no such hint.
#[test]
fn a_dedented_key_says_where_it_is() {
    let head = "id: s\nversion: \"1\"\ndefault_locale: en\ntitle: S\nquestions:\n";
    let error = |questions: &str| {
        Survey::from_yaml(&format!("{head}{questions}"))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error("  - id: a\n    type: boolean\n  title: A\n"),
        "7:5: missing field `title` (line 8 has `title:` at column 3, and this map's keys are at column 5: check its indentation)"
    );
    assert_eq!(
        error("  - id: a\n    type: boolean\n  - id: b\n    type: boolean\n    title: B\n"),
        "7:5: missing field `title`"
    );
    let error = Survey::from_yaml("id: s\nversion: \"1\"\ndefault_locale: en\nquestions:\n  - {id: a, type: boolean, title: A}\n")
        .unwrap_err()
        .to_string();
    assert_eq!(error, "4:1: missing field `title`");
}
