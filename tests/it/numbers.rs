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
        locale: Some(Locale::En),
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

/// A random JSON number literal: digits before and after the point (often many zeros, then a
/// digit far down), and an exponent in either direction, down to 10^-400.
fn random_literal(rng: &mut crate::common::Rng) -> String {
    let mut literal = String::new();
    if rng.chance(30) {
        literal.push('-');
    }
    let int_digits = rng.below(4);
    if int_digits == 0 || rng.chance(30) {
        literal.push('0');
    } else {
        literal.push(char::from(b'1' + u8::try_from(rng.below(9)).unwrap_or(0)));
        for _ in 1..int_digits {
            literal.push(char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0)));
        }
    }
    if rng.chance(70) {
        literal.push('.');
        let zeros = *rng.pick(&[0, 1, 5, 15, 16, 17, 20, 40, 300, 399]);
        literal.extend(std::iter::repeat_n('0', zeros));
        if rng.chance(60) {
            literal.push(char::from(b'1' + u8::try_from(rng.below(9)).unwrap_or(0)));
        } else {
            literal.push('0');
        }
    }
    if rng.chance(50) {
        let exponent = *rng.pick(&[-400, -330, -20, -17, -3, -1, 0, 1, 2, 3, 17, 20, 25]);
        literal.push(*rng.pick(&['e', 'E']));
        if exponent >= 0 && rng.chance(50) {
            literal.push('+');
        }
        literal.push_str(&exponent.to_string());
    }
    literal
}

/// What `docs/validating.md` says of a literal given to an integer question, worked out from its
/// digits alone.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Digits {
    /// A whole number within i128.
    Whole(i128),
    /// A whole number past i128.
    Huge,
    /// A number with a non-zero fraction.
    Fraction,
}

fn whole(literal: &str) -> Digits {
    let (negative, rest) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{int}{frac}");
    let point = i64::try_from(int.len()).unwrap_or(0) + exponent;
    let significant = digits.trim_start_matches('0');
    let point = point - i64::try_from(digits.len() - significant.len()).unwrap_or(0);
    let significant = significant.trim_end_matches('0');
    if significant.is_empty() {
        return Digits::Whole(0);
    }
    let length = i64::try_from(significant.len()).unwrap_or(i64::MAX);
    if length > point {
        return Digits::Fraction;
    }
    if point > 30 {
        return Digits::Huge;
    }
    let mut value: i128 = significant.parse().unwrap_or(0);
    for _ in 0..point - length {
        value *= 10;
    }
    Digits::Whole(if negative { -value } else { value })
}

#[test]
fn integer_literals_are_whole_exactly_as_their_digits_say() {
    // An integer question with bounds, and a question enabled only when it is exactly 3.
    let survey = make(
        "  - {id: N, type: integer, title: N, minimum: -1000, maximum: 1000}\n  - {id: B, type: boolean, title: B, enable_when: {question: N, equals: 3}}\n",
    );
    let schema = survey_schema::json_schema::generate(
        &survey,
        &survey_schema::json_schema::JsonSchemaOptions::new(
            survey_schema::json_schema::Draft::Draft2020_12,
            Some("en"),
        ),
    )
    .to_value();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let mut rng = crate::common::Rng::new(0x1e400);
    let (mut fractions, mut rounded) = (0, 0);
    for _ in 0..4000 {
        let literal = random_literal(&mut rng);
        let json = format!(r#"{{"N": {literal}, "B": true}}"#);
        let expected = whole(&literal);
        let Ok(value) = serde_json::from_str::<Value>(&json) else {
            // Only a literal past f64's range is unreadable.
            assert!(
                literal.contains("e2") || literal.contains("E2"),
                "{literal}"
            );
            continue;
        };
        let text = from_text(&survey, &json);
        let codes: Vec<&str> = text
            .iter()
            .map(|t| t.split(' ').next().unwrap_or(""))
            .collect();
        match expected {
            Digits::Fraction => {
                fractions += 1;
                assert_eq!(
                    codes,
                    ["wrong_type", "answered_while_disabled"],
                    "{literal}: {text:?}"
                );
            }
            Digits::Whole(n) if (-1000..=1000).contains(&n) => {
                assert_eq!(
                    codes,
                    if n == 3 {
                        vec![]
                    } else {
                        vec!["answered_while_disabled"]
                    },
                    "{literal}: {text:?}"
                );
            }
            Digits::Whole(_) | Digits::Huge => assert_eq!(
                codes,
                ["out_of_range", "answered_while_disabled"],
                "{literal}: {text:?}"
            ),
        }
        // `prune` keeps B exactly when N is 3, digit for digit.
        let pruned = survey.prune_json(json.as_bytes()).expect("prunes");
        let pruned: Value = serde_json::from_str(&pruned).expect("JSON");
        assert_eq!(
            pruned.get("B").is_some(),
            expected == Digits::Whole(3),
            "{literal}"
        );
        // A `Value` holds the nearest f64, and so does every JSON Schema validator that reads
        // numbers as f64: there the schema and the validator agree, on the rounded number.
        let native = survey.is_valid(&value);
        assert_eq!(validator.is_valid(&value), native, "{literal}");
        let f = value["N"].as_f64().unwrap_or(f64::NAN);
        if expected == Digits::Fraction && f.fract() == 0.0 {
            rounded += 1;
        }
    }
    // The generator reaches both kinds of fraction: the ones f64 keeps and the ones it loses.
    assert!(fractions > 500 && rounded > 100, "{fractions} {rounded}");
}
