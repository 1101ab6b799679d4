//! One YAML schema throughout: answers and survey files read plain scalars by the YAML 1.2
//! core schema.

use serde_json::{Value, json};
use survey_schema::{Error, Format, Limits, Survey, parse_answers};

fn answer(scalar: &str) -> Value {
    let answers = parse_answers(&format!("a: {scalar}\n"), Format::Yaml, &Limits::default())
        .unwrap_or_else(|e| panic!("{scalar}: {e}"));
    answers["a"].clone()
}

#[test]
fn answers_read_plain_scalars_by_the_core_schema() {
    let cases = [
        // YAML 1.1 spellings are strings in 1.2 core.
        ("1_000", json!("1_000")),
        ("0b101", json!("0b101")),
        ("0B101", json!("0B101")),
        ("0X1F", json!("0X1F")),
        ("0O17", json!("0O17")),
        ("-0x1F", json!("-0x1F")),
        ("+0o7", json!("+0o7")),
        ("yes", json!("yes")),
        ("off", json!("off")),
        ("Y", json!("Y")),
        ("1:30", json!("1:30")),
        ("2024-04-01", json!("2024-04-01")),
        // Core integers, floats, booleans and nulls.
        ("0x1F", json!(31)),
        ("0o17", json!(15)),
        ("+5", json!(5)),
        ("-0", json!(0)),
        ("0755", json!(755)),
        ("-007", json!(-7)),
        ("1e3", json!(1000.0)),
        (".5", json!(0.5)),
        ("True", json!(true)),
        ("FALSE", json!(false)),
        ("~", json!(null)),
        ("Null", json!(null)),
        // Quoted is always a string.
        ("'0755'", json!("0755")),
        ("\"1000\"", json!("1000")),
    ];
    for (scalar, expected) in cases {
        let got = answer(scalar);
        assert_eq!(got, expected, "{scalar}");
        // Same JSON type too: 755 is an integer, not 755.0.
        assert_eq!(got.is_f64(), expected.is_f64(), "{scalar}");
    }
}

#[test]
fn an_error_after_an_edited_scalar_is_placed_in_the_original_text() {
    let error = parse_answers("a: [0b1, 0b1, x, y\n", Format::Yaml, &Limits::default())
        .expect_err("unclosed flow sequence");
    let plain = parse_answers("a: [xxx, xxx, x, y\n", Format::Yaml, &Limits::default())
        .expect_err("unclosed flow sequence");
    assert_eq!(error.location(), plain.location(), "{error} / {plain}");
}

const HEAD: &str = "id: t\nversion: \"1\"\ndefault_locale: en\ntitle: T\nquestions:\n";

fn load(questions: &str) -> Result<Survey, Error> {
    Survey::from_yaml(&format!("{HEAD}{questions}"))
}

#[test]
fn typed_fields_of_a_survey_file_take_core_values_only() {
    for (field, bad) in [
        ("max_length", "1_000"),
        ("max_length", "'10'"),
        ("max_length", "0b1010"),
        ("max_length", "10.5"),
        ("required", "'true'"),
        ("required", "yes"),
    ] {
        let error = load(&format!(
            "  - {{id: a, type: text, title: A, {field}: {bad}}}\n"
        ))
        .err()
        .unwrap_or_else(|| panic!("{field}: {bad} was accepted"));
        let text = error.to_string();
        assert!(text.starts_with("6:"), "{field}: {bad}: {text}");
        assert!(text.contains("invalid type"), "{field}: {bad}: {text}");
    }
    for (field, good, expected) in [
        ("max_length", "0x10", 16),
        ("max_length", "+12", 12),
        ("max_length", "10", 10),
    ] {
        let survey = load(&format!(
            "  - {{id: a, type: text, title: A, {field}: {good}}}\n"
        ))
        .unwrap_or_else(|e| panic!("{field}: {good}: {e}"));
        assert_eq!(survey.definition().questions[0].max_length, Some(expected));
    }
}

#[test]
fn condition_values_read_plain_scalars_as_answers_do() {
    // `0b1` and `1_000` are strings in a condition as in an answer.
    let survey = load(
        "  - {id: t, type: text, title: T}\n  - {id: b, type: boolean, title: B, required: true, enable_when: {question: t, in: [0b1, 1_000]}}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (text, enabled) in [
        ("0b1", true),
        ("1_000", true),
        ("'1000'", false),
        ("'0b10'", false),
    ] {
        let answers = parse_answers(&format!("t: {text}\n"), Format::Yaml, &Limits::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            !survey.validate(&answers).is_valid(),
            enabled,
            "{text}: b is enabled (and missing) exactly when t is 0b1 or 1_000"
        );
    }
}
