//! Numbers at the edges of i64 and of f64: integers outside i64 are `out_of_range`, never
//! rounded into it, and numbers are compared as written wherever the text is at hand.

use serde_json::Value;
use survey_schema::{Locale, Survey, ValidateOptions};

fn make(questions: &str) -> Survey {
    Survey::from_yaml(&format!(
        "id: s\nversion: \"1\"\ndefault_locale: en\ntitle: S\nquestions:\n{questions}"
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn options() -> ValidateOptions {
    ValidateOptions {
        locale: Locale::En,
        ..ValidateOptions::default()
    }
}

/// The codes and messages of validating JSON text, through the bytes path.
fn from_text(survey: &Survey, json: &str) -> Vec<String> {
    survey
        .validate_json(json.as_bytes(), &options())
        .unwrap_or_else(|e| panic!("{e}"))
        .issues
        .iter()
        .map(|i| format!("{} {}: {}", i.code, i.path, i.message))
        .collect()
}

/// The codes of validating the same text parsed into a `serde_json::Value` first.
fn from_value(survey: &Survey, json: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    survey
        .validate_with(&value, &options())
        .issues
        .iter()
        .map(|i| format!("{} {}", i.code, i.path))
        .collect()
}

const INTEGER: &str = "  - {id: N, type: integer, title: N}\n";

#[test]
fn integers_below_i64_min_are_out_of_range_on_both_paths() {
    let survey = make(INTEGER);
    for literal in [
        "-9223372036854775809",
        "-9223372036854775810",
        "-9223372036854776832",
        "-9223372036854776833",
        "-18446744073709551616",
        "-1e19",
    ] {
        let json = format!(r#"{{"N": {literal}}}"#);
        let text = from_text(&survey, &json);
        assert_eq!(text.len(), 1, "{literal}: {text:?}");
        assert!(
            text[0].starts_with("out_of_range /N"),
            "{literal}: {text:?}"
        );
        assert_eq!(from_value(&survey, &json), ["out_of_range /N"], "{literal}");
    }
}

#[test]
fn the_ends_of_i64_are_valid_however_they_are_written() {
    let survey = make(INTEGER);
    for literal in [
        "-9223372036854775808",
        "9223372036854775807",
        "-9223372036854775808.0",
        "-9.223372036854775808e18",
        "9.223372036854775807e18",
    ] {
        let json = format!(r#"{{"N": {literal}}}"#);
        assert_eq!(from_text(&survey, &json), Vec::<String>::new(), "{literal}");
    }
    for literal in ["9223372036854775808", "9223372036854775808.0", "1e19"] {
        let json = format!(r#"{{"N": {literal}}}"#);
        assert_eq!(from_value(&survey, &json), ["out_of_range /N"], "{literal}");
        assert!(
            from_text(&survey, &json)[0].starts_with("out_of_range"),
            "{literal}"
        );
    }
}

#[test]
fn a_fraction_next_to_the_floor_is_not_an_integer() {
    let survey = make(INTEGER);
    let json = r#"{"N": -9223372036854775808.5}"#;
    let text = from_text(&survey, json);
    assert_eq!(text.len(), 1);
    assert!(text[0].starts_with("wrong_type /N"), "{text:?}");
    // A `Value` holds only the rounded float, -2^63: never accepted as an integer.
    assert_eq!(from_value(&survey, json), ["out_of_range /N"]);
}

#[test]
fn messages_quote_the_number_as_written() {
    let survey = make("  - {id: N, type: integer, title: N, minimum: 0}\n");
    let text = from_text(&survey, r#"{"N": -9223372036854775809}"#);
    assert_eq!(
        text,
        ["out_of_range /N: N: -9223372036854775809 is out of range (0 to 9223372036854775807)"]
    );
}

#[test]
fn group_fields_are_held_to_i64_too() {
    let survey = make(
        "  - id: G\n    type: group\n    title: G\n    fields:\n      - {id: n, type: integer, title: n}\n",
    );
    let json = r#"{"G": {"n": -9223372036854775809}}"#;
    assert!(from_text(&survey, json)[0].starts_with("out_of_range /G/n"));
    assert_eq!(from_value(&survey, json), ["out_of_range /G/n"]);
}

#[test]
fn number_answers_beyond_2_pow_53_compare_exactly_with_integer_bounds() {
    let survey = make("  - {id: X, type: number, title: X, maximum: 9007199254740992}\n");
    // As an f64 this is 2^53, equal to the bound; as written it is one more.
    assert!(from_text(&survey, r#"{"X": 9007199254740993.0}"#)[0].starts_with("out_of_range"));
    assert!(from_text(&survey, r#"{"X": 9007199254740993}"#)[0].starts_with("out_of_range"));
    assert!(from_text(&survey, r#"{"X": 9007199254740992.0}"#).is_empty());
    assert_eq!(
        from_value(&survey, r#"{"X": 9007199254740993}"#),
        ["out_of_range /X"]
    );

    let survey = make("  - {id: X, type: number, title: X, minimum: 9007199254740993}\n");
    assert!(from_text(&survey, r#"{"X": 9007199254740992.9}"#)[0].starts_with("out_of_range"));
    assert!(from_text(&survey, r#"{"X": 9007199254740993.0}"#).is_empty());
    assert!(from_text(&survey, r#"{"X": 9.007199254740993e15}"#).is_empty());
}

#[test]
fn conditions_compare_big_numbers_as_written() {
    let survey = make(
        "  - {id: X, type: number, title: X}\n  - {id: Y, type: boolean, title: Y, required: true, enable_when: {question: X, greater_than: 9007199254740992}}\n",
    );
    // Y is enabled (so missing) only when X is above the bound as written.
    assert_eq!(
        from_text(&survey, r#"{"X": 9007199254740993.0}"#),
        ["missing_required /Y: Y: an answer is required"]
    );
    assert!(from_text(&survey, r#"{"X": 9007199254740992.0}"#).is_empty());
    let survey = survey_with_equals();
    assert_eq!(from_text(&survey, r#"{"X": 9007199254740993.0}"#).len(), 1);
    assert_eq!(from_text(&survey, r#"{"X": 9007199254740993}"#).len(), 1);
    // 2^53 as an f64 is what 9007199254740993 rounds to; as written they differ.
    assert!(from_text(&survey, r#"{"X": 9007199254740992.0}"#).is_empty());
}

fn survey_with_equals() -> Survey {
    make(
        "  - {id: X, type: number, title: X}\n  - {id: Y, type: boolean, title: Y, required: true, enable_when: {question: X, equals: 9007199254740993}}\n",
    )
}

#[test]
fn numbers_inside_strings_and_keys_do_not_confuse_the_literal_reader() {
    let survey = make(
        "  - {id: T, type: text, title: T}\n  - {id: N, type: integer, title: N}\n  - {id: M, type: integer, title: M}\n",
    );
    let json =
        r#"{"T": "-1 2 \"3e400\" -9223372036854775809", "N": 12, "M": -9223372036854775809.0}"#;
    let text = from_text(&survey, json);
    assert_eq!(
        text,
        [
            "out_of_range /M: M: -9223372036854775809.0 is out of range (-9223372036854775808 to 9223372036854775807)"
        ]
    );
}

/// A float in an answer set (a `Value`) compares exactly with an integer bound: 2^63 as a
/// float is above `i64::MAX`, which as a float it would equal.
#[test]
fn a_float_compares_exactly_with_an_integer() {
    let survey = make(
        "  - {id: n, type: number, title: N}\n  \
         - {id: b, type: boolean, title: B, enable_when: {question: n, equals: 9223372036854775807}}\n  \
         - {id: c, type: boolean, title: C, enable_when: {question: n, greater_than: 9223372036854775807}}\n  \
         - {id: d, type: boolean, title: D, enable_when: {question: n, less_than: -9007199254740993}}\n",
    );
    let two_63 = serde_json::json!({"n": 9_223_372_036_854_775_808.0_f64, "c": true});
    assert!(survey.is_valid(&two_63), "{}", survey.validate(&two_63));
    let with_b = serde_json::json!({"n": 9_223_372_036_854_775_808.0_f64, "b": true});
    assert!(!survey.is_valid(&with_b));
    // -2^53 - 1 is no float: -9007199254740992.0 is above it.
    let near = serde_json::json!({"n": -9_007_199_254_740_992.0_f64, "d": true});
    assert!(!survey.is_valid(&near));
    let below = serde_json::json!({"n": -9_007_199_254_740_994.0_f64, "d": true});
    assert!(survey.is_valid(&below), "{}", survey.validate(&below));
}
