//! Answer sets for the MHLW survey as respondents write them: every skip path, each kind of
//! mistake, with the exact issues expected; both JSON Schema drafts agree on each verdict.

use crate::common;

use common::mhlw;
use serde_json::{Value, json};
use survey_schema::json_schema::{Draft, JsonSchemaOptions};
use survey_schema::{Locale, Survey, ValidateOptions};

fn example(name: &str) -> Value {
    let path = format!("{}/schema/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn complete() -> Value {
    example("mhlw-complete.json")
}

/// The complete answer set with changes: `null` removes a key, anything else sets it.
fn with(changes: &Value) -> Value {
    let mut answers = complete();
    for (key, value) in changes.as_object().unwrap() {
        let (target, key) = match key.split_once('/') {
            Some((group, field)) => (&mut answers[group], field.to_owned()),
            None => (&mut answers, key.clone()),
        };
        if value == &json!("<remove>") {
            target.as_object_mut().unwrap().remove(&key);
        } else {
            target[key] = value.clone();
        }
    }
    answers
}

const REMOVE: &str = "<remove>";

/// A named answer set and the `(code, path)` of each issue expected, in order.
type Scenario = (&'static str, Value, Vec<(&'static str, &'static str)>);

fn scenarios() -> Vec<Scenario> {
    let q12_children = ["Q12-1", "Q12-2", "Q12-3", "Q12-4", "Q12-5", "Q12-6"];
    let mut no_q12 = complete();
    no_q12["Q12"] = json!(false);
    for id in q12_children {
        no_q12.as_object_mut().unwrap().remove(id);
    }
    let mut no_q11 = no_q12.clone();
    no_q11["Q11"] = json!(false);
    no_q11.as_object_mut().unwrap().remove("Q12");
    vec![
        ("complete yes path", complete(), vec![]),
        (
            "skip paths example",
            example("mhlw-skip-paths.json"),
            vec![],
        ),
        (
            "Q10 no skips Q10-1",
            with(&json!({"Q10": false, "Q10-1": REMOVE})),
            vec![],
        ),
        ("Q12 no skips Q12-1 to Q12-6", no_q12.clone(), vec![]),
        ("Q11 no skips Q12 and its children", no_q11.clone(), vec![]),
        (
            "an exclusive choice alone",
            with(&json!({"Q6": ["none_not_seeking"]})),
            vec![],
        ),
        (
            "every non-exclusive choice",
            with(&json!({"Q6": ["self", "vendor", "other_institution", "other"]})),
            vec![],
        ),
        ("other frequency", with(&json!({"Q12-1": "other"})), vec![]),
        (
            "nothing answered",
            json!({}),
            vec![
                ("missing_required", "/Q1"),
                ("missing_required", "/Q2"),
                ("missing_required", "/Q3"),
                ("missing_required", "/Q4"),
                ("missing_required", "/Q5"),
                ("missing_required", "/Q6"),
                ("missing_required", "/Q7"),
                ("missing_required", "/Q8"),
                ("missing_required", "/Q9"),
                ("missing_required", "/Q10"),
                ("missing_required", "/Q11"),
                ("missing_required", "/Q13-1"),
                ("missing_required", "/Q13-2"),
            ],
        ),
        (
            "not an object",
            json!(["Q2", true]),
            vec![("not_an_object", "")],
        ),
        (
            "Q10-1 answered after Q10 no",
            with(&json!({"Q10": false})),
            vec![("answered_while_disabled", "/Q10-1")],
        ),
        (
            "Q10-1 missing after Q10 yes",
            with(&json!({"Q10-1": REMOVE})),
            vec![("missing_required", "/Q10-1")],
        ),
        (
            "Q12 chain answered after Q11 no",
            with(&json!({"Q11": false})),
            vec![
                ("answered_while_disabled", "/Q12"),
                ("answered_while_disabled", "/Q12-1"),
                ("answered_while_disabled", "/Q12-2"),
                ("answered_while_disabled", "/Q12-3"),
                ("answered_while_disabled", "/Q12-4"),
                ("answered_while_disabled", "/Q12-5"),
                ("answered_while_disabled", "/Q12-6"),
            ],
        ),
        (
            "Q12-3 answered after Q12 no",
            {
                let mut a = no_q12.clone();
                a["Q12-3"] = json!("one");
                a
            },
            vec![("answered_while_disabled", "/Q12-3")],
        ),
        (
            "Q12-4 missing",
            with(&json!({"Q12-4": REMOVE})),
            vec![("missing_required", "/Q12-4")],
        ),
        (
            "Q12 missing after Q11 yes",
            {
                let mut a = no_q12.clone();
                a.as_object_mut().unwrap().remove("Q12");
                a
            },
            vec![("missing_required", "/Q12")],
        ),
        (
            "yes written as text",
            with(&json!({"Q2": "はい"})),
            vec![("wrong_type", "/Q2")],
        ),
        (
            "null answer",
            with(&json!({"Q3": null})),
            vec![("wrong_type", "/Q3")],
        ),
        (
            "yes written as 1",
            with(&json!({"Q13-1": 1})),
            vec![("wrong_type", "/Q13-1")],
        ),
        (
            "no consultation choice",
            with(&json!({"Q6": []})),
            vec![("too_few_choices", "/Q6")],
        ),
        (
            "one choice as a string",
            with(&json!({"Q6": "self"})),
            vec![("wrong_type", "/Q6")],
        ),
        (
            "exclusive choice combined",
            with(&json!({"Q6": ["self", "none_seeking"]})),
            vec![("exclusive_choice_combined", "/Q6")],
        ),
        (
            "both exclusive choices",
            with(&json!({"Q6": ["none_seeking", "none_not_seeking"]})),
            vec![("exclusive_choice_combined", "/Q6")],
        ),
        (
            "a choice twice",
            with(&json!({"Q6": ["self", "self"]})),
            vec![("duplicate_choice", "/Q6/1")],
        ),
        (
            "a misspelt choice",
            with(&json!({"Q6": ["vendor", "selff"]})),
            vec![("unknown_choice", "/Q6/1")],
        ),
        (
            "a choice given as its label",
            with(&json!({"Q12-1": "毎日"})),
            vec![("unknown_choice", "/Q12-1")],
        ),
        (
            "a count as a number",
            with(&json!({"Q12-2": 3})),
            vec![("wrong_type", "/Q12-2")],
        ),
        (
            "an unknown frequency",
            with(&json!({"Q12-1": "hourly"})),
            vec![("unknown_choice", "/Q12-1")],
        ),
        (
            "a contact given as a phone number alone (one 連絡先 field of no set kind)",
            with(&json!({"Q1/contact": "03(1234)5678"})),
            vec![],
        ),
        (
            "a contact given as an e-mail address",
            with(&json!({"Q1/contact": "hanako.yamada@aoba-hospital.example.jp"})),
            vec![],
        ),
        (
            "a missing contact",
            with(&json!({"Q1/contact": REMOVE})),
            vec![("missing_required", "/Q1/contact")],
        ),
        (
            "the old split contact fields",
            with(&json!({"Q1/contact": REMOVE, "Q1/phone": "03-1234-5678"})),
            vec![
                ("unknown_field", "/Q1/phone"),
                ("missing_required", "/Q1/contact"),
            ],
        ),
        (
            "an extra field",
            with(&json!({"Q1/fax": "03-1234-5679"})),
            vec![("unknown_field", "/Q1/fax")],
        ),
        (
            "an empty name",
            with(&json!({"Q1/name": ""})),
            vec![("too_short", "/Q1/name")],
        ),
        (
            "a long name (the guide sets no length)",
            with(&json!({"Q1/name": "山".repeat(1000)})),
            vec![],
        ),
        (
            "respondent as one string",
            with(&json!({"Q1": "山田 花子"})),
            vec![("wrong_type", "/Q1")],
        ),
        (
            "an unknown question",
            with(&json!({"Q14": true})),
            vec![("unknown_question", "/Q14")],
        ),
        (
            "invalid example: several mistakes, in question order",
            example("mhlw-invalid.json"),
            vec![
                ("unknown_question", "/Q14"),
                ("unknown_field", "/Q1/fax"),
                ("too_short", "/Q1/name"),
                ("wrong_type", "/Q2"),
                ("missing_required", "/Q3"),
                ("wrong_type", "/Q5"),
                ("exclusive_choice_combined", "/Q6"),
                ("answered_while_disabled", "/Q10-1"),
                ("unknown_choice", "/Q12-1"),
                ("wrong_type", "/Q12-2"),
                ("missing_required", "/Q12-4"),
            ],
        ),
    ]
}

fn english() -> ValidateOptions {
    ValidateOptions {
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    }
}

#[test]
fn scenarios_give_exactly_the_expected_issues() {
    let survey = mhlw();
    let scenarios = scenarios();
    assert!(scenarios.len() >= 25);
    let mut failures = Vec::new();
    for (name, answers, expected) in &scenarios {
        let report = survey.validate_with(answers, &english());
        let found: Vec<(&str, &str)> = report
            .issues
            .iter()
            .map(|i| (i.code.as_str(), i.path.as_str()))
            .collect();
        if &found != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:?}\n  found    {found:?}"
            ));
        }
        if survey.is_valid(answers) != expected.is_empty() {
            failures.push(format!("{name}: is_valid disagrees with the report"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_schema_agrees_on_every_scenario() {
    let survey = mhlw();
    for draft in [Draft::Draft07, Draft::Draft2020_12] {
        let validator = jsonschema::validator_for(
            &survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::new(draft, None))
                .to_value(),
        )
        .unwrap();
        for (name, answers, expected) in scenarios() {
            assert_eq!(
                validator.is_valid(&answers),
                expected.is_empty(),
                "{name} ({draft:?})"
            );
        }
    }
}

#[test]
fn partial_mode_accepts_a_draft() {
    let survey = mhlw();
    let partial = ValidateOptions {
        partial: true,
        ..english()
    };
    assert!(
        survey
            .validate_with(&json!({"Q2": true, "Q10": true}), &partial)
            .is_valid()
    );
    let report = survey.validate_with(&json!({"Q2": "yes", "Q10": false, "Q10-1": true}), &partial);
    let codes: Vec<&str> = report.issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["wrong_type", "answered_while_disabled"]);
}

#[test]
fn progress_follows_the_skip_paths() {
    let survey = mhlw();
    let progress = survey.progress(&json!({}));
    assert_eq!((progress.required, progress.answered), (13, 0));
    let progress = survey.progress(&complete());
    assert_eq!((progress.required, progress.answered), (25, 25));
}

fn render(survey: &Survey, answers: &Value, locale: Locale) -> String {
    let options = ValidateOptions {
        locale: Some(locale),
        ..ValidateOptions::default()
    };
    format!(
        "{}\n---\n{}",
        serde_json::to_string_pretty(answers).unwrap(),
        survey.validate_with(answers, &options)
    )
}

#[test]
fn reports_in_japanese_and_english() {
    let survey = mhlw();
    let invalid = example("mhlw-invalid.json");
    insta::assert_snapshot!("invalid_example_ja", render(&survey, &invalid, Locale::Ja));
    insta::assert_snapshot!("invalid_example_en", render(&survey, &invalid, Locale::En));
    let chain = with(&json!({"Q11": false}));
    insta::assert_snapshot!(
        "q12_chain_after_q11_no_ja",
        render(&survey, &chain, Locale::Ja)
    );
    insta::assert_snapshot!(
        "nothing_answered_en",
        render(&survey, &json!({}), Locale::En)
    );
}

/// The scenarios as data, for validators outside Rust (the ajv agreement test reads them).
#[test]
fn scenario_fixture_is_fresh() {
    let scenarios: Vec<Value> = scenarios()
        .into_iter()
        .map(
            |(name, answers, issues)| json!({ "name": name, "answers": answers, "issues": issues }),
        )
        .collect();
    let fresh = serde_json::to_string_pretty(&scenarios).unwrap() + "\n";
    common::assert_fresh(
        "tests/fixtures/mhlw-scenarios.json",
        &fresh,
        "UPDATE_GENERATED=1 cargo test --test it mhlw_scenarios",
    );
}
