//! Rules that hold for every answer set, tested on generated surveys and answer sets:
//! `is_valid` agrees with `validate`; `prune` is idempotent and leaves no answer to a
//! disabled question; a report never has two issues with the same code and path; the order
//! of the answer keys changes nothing (keys in question order take a faster walk than keys
//! out of order, and the two must agree); validating JSON text gives the report of validating
//! the parsed `Value`; `prune_json` prunes as `prune` does and keeps numbers as written.

use crate::common;

use std::collections::HashSet;
use std::fmt::Write;

use common::{Rng, mhlw, random_answers, random_survey};
use serde_json::Value;
use survey_schema::{Format, IssueCode, Limits, Locale, Survey, ValidateOptions};

fn modes() -> [ValidateOptions; 4] {
    let base = ValidateOptions {
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    };
    [
        base.clone(),
        ValidateOptions {
            partial: true,
            ..base.clone()
        },
        ValidateOptions {
            lenient: true,
            ..base.clone()
        },
        ValidateOptions {
            partial: true,
            lenient: true,
            ..base
        },
    ]
}

/// The answer set with its top-level keys in reverse order.
fn reversed(answers: &Value) -> Value {
    match answers {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A report's issues, sorted: unknown keys are reported in key order, everything else in
/// question order.
fn sorted(report: &survey_schema::Report) -> Vec<(IssueCode, String, String)> {
    let mut issues: Vec<_> = report
        .issues
        .iter()
        .map(|i| (i.code, i.path.clone(), i.message.clone()))
        .collect();
    issues.sort();
    issues
}

/// JSON text of `value` with every character of every string and key written as a `\u`
/// escape, so that no string can be borrowed from the text.
fn escaped_json(value: &Value) -> String {
    fn string(out: &mut String, s: &str) {
        out.push('"');
        for unit in s.encode_utf16() {
            let _ = write!(out, "\\u{unit:04x}");
        }
        out.push('"');
    }
    json_text(value, string, &|n| n.to_string())
}

/// JSON text of `value` with its numbers written otherwise than `serde_json` writes them:
/// whole floats as integers (`-9.3e18` as `-9300000000000000000`, past 2^63), other floats
/// in exponent form (`1.5` as `1.5e0`).
fn widely_written_json(value: &Value) -> String {
    fn string(out: &mut String, s: &str) {
        out.push_str(&Value::from(s).to_string());
    }
    json_text(value, string, &|n| match n.as_f64() {
        Some(_) if !n.is_f64() => n.to_string(),
        Some(v) if v.fract() == 0.0 => format!("{v}"),
        Some(v) => format!("{v:e}"),
        None => n.to_string(),
    })
}

fn json_text(
    value: &Value,
    string: fn(&mut String, &str),
    number: &dyn Fn(&serde_json::Number) -> String,
) -> String {
    let mut out = String::new();
    match value {
        Value::String(s) => string(&mut out, s),
        Value::Number(n) => out.push_str(&number(n)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_text(item, string, number));
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(&mut out, key);
                out.push(':');
                out.push_str(&json_text(item, string, number));
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
    out
}

/// The number tokens of JSON text, in order.
fn number_tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                tokens.push(&text[start..i]);
            }
            _ => i += 1,
        }
    }
    tokens
}

/// `prune_json` prunes what `prune` prunes, and writes every number it keeps as the text
/// wrote it (integers past 2^63, exponents).
fn check_prune_text(survey: &Survey, answers: &Value, context: &str) {
    let text = widely_written_json(answers);
    let parsed = survey_schema::parse_answers(&text, Format::Json, &Limits::default()).unwrap();
    let pruned = survey.prune_json(text.as_bytes()).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&pruned).unwrap(),
        survey.prune(&parsed),
        "{context}: prune_json and prune differ on\n{text}"
    );
    let written = number_tokens(&text);
    let mut kept = written.iter();
    for token in number_tokens(&pruned) {
        assert!(
            kept.any(|w| *w == token),
            "{context}: {token} is not a number of\n{text}\n(pruned: {pruned})"
        );
    }
}

fn check_rules(survey: &Survey, answers: &Value, context: &str) {
    let backwards = reversed(answers);
    let texts = [answers.to_string(), escaped_json(answers)];
    // A large integral float is written as another number, which JSON text keeps exactly.
    let texts = if common::exact_floats(answers) {
        &texts[..]
    } else {
        &[]
    };
    for options in modes() {
        let report = survey.validate_with(answers, &options);
        for text in texts {
            assert_eq!(
                survey.validate_json(text.as_bytes(), &options).unwrap(),
                report,
                "{context} {options:?}: validate_json differs from validate on\n{text}"
            );
            assert_eq!(
                survey.is_valid_json(text.as_bytes(), &options).unwrap(),
                report.is_valid(),
                "{context} {options:?}: is_valid_json differs on\n{text}"
            );
        }
        let options_unlimited = ValidateOptions {
            max_issues: usize::MAX,
            ..options.clone()
        };
        assert_eq!(
            sorted(&survey.validate_with(answers, &options_unlimited)),
            sorted(&survey.validate_with(&backwards, &options_unlimited)),
            "{context} {options:?}: the key order changed the report\n{answers}"
        );
        assert_eq!(
            survey.is_valid_with(&backwards, &options),
            report.is_valid(),
            "{context} {options:?}: the key order changed the verdict\n{answers}"
        );
        assert_eq!(
            survey.is_valid_with(answers, &options),
            report.is_valid(),
            "{context} {options:?}\n{answers}\n{report}"
        );
        let mut seen = HashSet::new();
        for issue in &report.issues {
            assert!(
                seen.insert((issue.code, issue.path.clone(), issue.rule.clone())),
                "{context}: {} twice at {}\n{answers}",
                issue.code,
                issue.path
            );
        }
        // Warnings are failed rules of severity warning, apart from the issues.
        assert!(
            report
                .issues
                .iter()
                .all(|i| i.severity == survey_schema::Severity::Error)
                && report
                    .warnings
                    .iter()
                    .all(|w| w.code == IssueCode::RuleFailed
                        && w.severity == survey_schema::Severity::Warning),
            "{context}: {report}"
        );
        // Lenient and strict differ exactly by answered_while_disabled.
        if options.lenient {
            assert!(
                report
                    .issues
                    .iter()
                    .all(|i| i.code != IssueCode::AnsweredWhileDisabled)
            );
        }
        // Partial differs exactly by missing_required.
        if options.partial {
            assert!(
                report
                    .issues
                    .iter()
                    .all(|i| i.code != IssueCode::MissingRequired)
            );
        }
    }
    check_prune_text(survey, answers, context);
    let pruned = survey.prune(answers);
    assert_eq!(
        survey.prune(&pruned),
        pruned,
        "{context}: prune is not idempotent\n{answers}"
    );
    let report = survey.validate(&pruned);
    assert!(
        report
            .issues
            .iter()
            .all(|i| i.code != IssueCode::AnsweredWhileDisabled),
        "{context}: pruned answers still answer a disabled question\n{answers}\n{report}"
    );
    // Pruning never changes what is enabled: disabled answers were unseen all along.
    let before: Vec<String> = survey
        .enabled(answers)
        .iter()
        .map(|q| q.pointer.to_string())
        .collect();
    let after: Vec<String> = survey
        .enabled(&pruned)
        .iter()
        .map(|q| q.pointer.to_string())
        .collect();
    assert_eq!(before, after, "{context}");
    let backwards: Vec<String> = survey
        .enabled(&backwards)
        .iter()
        .map(|q| q.pointer.to_string())
        .collect();
    assert_eq!(
        before, backwards,
        "{context}: the key order changed what is enabled"
    );
    // Strict and lenient verdicts meet on pruned answers.
    let lenient = ValidateOptions {
        lenient: true,
        ..ValidateOptions::default()
    };
    assert_eq!(
        survey.is_valid(&pruned),
        survey.is_valid_with(answers, &lenient),
        "{context}\n{answers}"
    );
}

#[test]
fn rules_hold_on_random_surveys() {
    for seed in 0..300 {
        let (survey, _) = random_survey(seed);
        let mut rng = Rng::new(seed ^ 0xABCD);
        for case in 0..20 {
            let answers = random_answers(&mut rng, &survey);
            check_rules(
                &survey,
                &answers,
                &format!("survey seed {seed}, case {case}"),
            );
        }
    }
}

#[test]
fn rules_hold_on_the_mhlw_survey() {
    let survey = mhlw();
    let mut rng = Rng::new(2024);
    for case in 0..3_000 {
        let answers = random_answers(&mut rng, &survey);
        check_rules(&survey, &answers, &format!("MHLW case {case}"));
    }
}

#[test]
fn sized_surveys_load_and_their_answer_sets_are_valid() {
    for count in [25, 200, 1_000] {
        let (yaml, answers) = common::sized_survey(count);
        let survey = Survey::from_yaml(&yaml).unwrap();
        let answers: Value = serde_json::from_str(&answers).unwrap();
        let report = survey.validate(&answers);
        assert!(report.is_valid(), "{count}: {report}");
        assert_eq!(survey.question_ids().count(), count);
        check_rules(&survey, &answers, &format!("sized {count}"));
    }
}

#[test]
fn the_generator_reaches_every_part() {
    let mut seen = std::collections::BTreeMap::new();
    for seed in 0..300 {
        let (_, definition) = random_survey(seed);
        let text = definition.to_string();
        for part in [
            "\"type\":\"section\"",
            "\"type\":\"matrix\"",
            "\"type\":\"table\"",
            "\"column\":",
            "\"type\":\"group\"",
            "\"multiple\":true",
            "\"type\":\"repeat\"",
            "\"for_each_instance\":",
            "\"greater_or_equal\":{\"question\"",
        ] {
            if text.contains(part) {
                *seen.entry(part).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(seen.len(), 9, "{seen:?}");
    assert!(seen.values().all(|&n| n >= 20), "{seen:?}");
    // Rules per instance that test a question after their repeat.
    let after = (0..300)
        .filter(|&seed| instance_rule_tests_later_question(&random_survey(seed).1))
        .count();
    assert!(after >= 20, "{after} surveys");
}

/// Whether a rule of `definition` checked per instance tests a question that comes after its
/// repeat in document order.
fn instance_rule_tests_later_question(definition: &Value) -> bool {
    fn order(questions: &Value, out: &mut Vec<String>) {
        for q in questions.as_array().into_iter().flatten() {
            if let Some(id) = q["id"].as_str() {
                out.push(id.to_owned());
            }
            order(&q["questions"], out);
        }
    }
    fn tested(condition: &Value, out: &mut Vec<String>) {
        match condition {
            Value::Object(map) => {
                if let Some(Value::String(id)) = map.get("question") {
                    out.push(id.clone());
                }
                map.values().for_each(|v| tested(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| tested(v, out)),
            _ => {}
        }
    }
    let mut ids = Vec::new();
    order(&definition["questions"], &mut ids);
    let at = |id: &str| ids.iter().position(|q| q == id);
    definition["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|rule| {
            let Some(repeat) = rule["for_each_instance"].as_str().and_then(at) else {
                return false;
            };
            let mut questions = Vec::new();
            tested(&rule["when"], &mut questions);
            tested(&rule["assert"], &mut questions);
            questions.iter().any(|q| at(q).is_some_and(|p| p > repeat))
        })
}
