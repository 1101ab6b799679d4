//! The generated JSON Schema: checked-in files, meta-schema validity, and the equivalence
//! property: the `jsonschema` crate on the generated schema gives the native validator's
//! verdict on every answer set.

use crate::common;

use std::fmt::Write;

use common::{Rng, mhlw, random_answers, random_survey};
use serde_json::Value;
use survey_schema::Survey;
use survey_schema::json_schema::{Draft, JsonSchemaOptions};

const DRAFTS: [Draft; 2] = [Draft::Draft07, Draft::Draft2020_12];

fn compile(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema)
        .unwrap_or_else(|e| panic!("generated schema does not compile: {e}"))
}

/// Compares the two verdicts on one answer set; on disagreement, panics with everything
/// needed to understand and replay the case.
fn assert_same_verdict(
    survey: &Survey,
    validator: &jsonschema::Validator,
    answers: &Value,
    context: &str,
) {
    let native = survey.is_valid(answers);
    if holds_the_f64_floor(answers) {
        // The one documented exception: a float at exactly -2^63 is what every integer from
        // -2^63 - 1024 to -2^63 - 1 becomes in a `Value`, so the native validator never takes
        // it for i64::MIN; a validator that reads numbers as f64 cannot tell them apart.
        if native {
            let report = survey.validate(answers);
            assert!(
                !report.to_string().contains("out_of_range"),
                "{context}: a float at -2^63 passed\n{answers}"
            );
        }
        return;
    }
    let schema = validator.is_valid(answers);
    if !native && schema {
        // Rules that compare two answers are the native validator's alone: it may refuse
        // more, and only for them.
        let report = survey.validate_with(
            answers,
            &survey_schema::ValidateOptions {
                max_issues: usize::MAX,
                ..Default::default()
            },
        );
        if common::only_server_rules(survey, &report) {
            return;
        }
    }
    if native != schema {
        let report = survey.validate_with(
            answers,
            &survey_schema::ValidateOptions {
                locale: Some(survey_schema::Locale::En),
                ..Default::default()
            },
        );
        let errors: Vec<String> = validator
            .iter_errors(answers)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        panic!(
            "{context}: native says {native}, jsonschema says {schema}\nanswers: {answers}\nnative report:\n{report}\njsonschema errors:\n{}",
            errors.join("\n")
        );
    }
}

/// Whether the answers hold a float at exactly -2^63 anywhere.
fn holds_the_f64_floor(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_f64() && n.as_f64() == Some(-9_223_372_036_854_775_808.0),
        Value::Array(items) => items.iter().any(holds_the_f64_floor),
        Value::Object(map) => map.values().any(holds_the_f64_floor),
        _ => false,
    }
}

fn seeds(default_count: u64) -> Vec<u64> {
    match std::env::var("EQUIVALENCE_SEED") {
        Ok(seed) => vec![seed.parse().expect("EQUIVALENCE_SEED is a number")],
        Err(_) => (0..default_count).collect(),
    }
}

#[test]
fn random_surveys_and_answers_get_the_same_verdict_from_both_validators() {
    let mut cases = 0usize;
    let mut valid = 0;
    for seed in seeds(400) {
        let (survey, definition) = random_survey(seed);
        for draft in DRAFTS {
            let schema =
                survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::new(draft, None))
                    .to_value();
            let validator = compile(&schema);
            let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(7));
            for case in 0..30 {
                let answers = random_answers(&mut rng, &survey);
                let context = format!(
                    "replay with EQUIVALENCE_SEED={seed} (draft {draft:?}, answer set {case})\nsurvey: {definition}"
                );
                assert_same_verdict(&survey, &validator, &answers, &context);
                cases += 1;
                valid += usize::from(survey.is_valid(&answers));
            }
        }
    }
    // The generator is meant to give roughly half valid answer sets; a drift far from that
    // would leave one side of the property untested.
    if std::env::var("EQUIVALENCE_SEED").is_err() {
        assert!(cases >= 20_000, "{cases} cases");
        assert!(
            valid * 10 >= cases * 3 && valid * 10 <= cases * 8,
            "{valid} of {cases} answer sets are valid"
        );
    }
}

#[test]
fn mhlw_random_answers_get_the_same_verdict_from_both_validators() {
    let survey = mhlw();
    for draft in DRAFTS {
        let validator = compile(
            &survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::new(draft, None))
                .to_value(),
        );
        for seed in seeds(5_000) {
            let mut rng = Rng::new(seed);
            let answers = random_answers(&mut rng, &survey);
            assert_same_verdict(
                &survey,
                &validator,
                &answers,
                &format!("MHLW, replay with EQUIVALENCE_SEED={seed} (draft {draft:?})"),
            );
        }
    }
}

#[test]
fn generated_schemas_validate_against_their_meta_schema() {
    let mut surveys = vec![mhlw()];
    surveys.extend((0..50).map(|seed| random_survey(seed).0));
    for survey in &surveys {
        for draft in DRAFTS {
            for locale in [None, Some("en")] {
                let schema = survey_schema::json_schema::generate(
                    survey,
                    &JsonSchemaOptions::new(draft, locale),
                )
                .to_value();
                if let Err(error) = jsonschema::meta::validate(&schema) {
                    panic!(
                        "{draft:?} schema of {} is not valid against its meta-schema: {error}",
                        survey.id()
                    );
                }
            }
        }
    }
}

fn checked_in(name: &str, locale: Option<&str>) {
    let schema = survey_schema::json_schema::generate(
        &mhlw(),
        &JsonSchemaOptions::new(Draft::Draft07, locale),
    )
    .to_value();
    let fresh = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let flag = locale.map_or(String::new(), |l| format!(" --locale {l}"));
    common::assert_fresh(
        &format!("schema/{name}"),
        &fresh,
        &format!(
            "cargo survey schema schema/mhlw-hospital-cybersecurity-2024.yaml{flag} -o schema/{name}"
        ),
    );
}

#[test]
fn checked_in_mhlw_schema_is_fresh() {
    checked_in("mhlw-hospital-cybersecurity-2024.schema.json", None);
}

#[test]
fn checked_in_english_mhlw_schema_is_fresh() {
    checked_in(
        "mhlw-hospital-cybersecurity-2024.en.schema.json",
        Some("en"),
    );
}

#[test]
fn mhlw_schema_snapshot() {
    let schema =
        survey_schema::json_schema::generate(&mhlw(), &JsonSchemaOptions::default()).to_value();
    insta::assert_json_snapshot!("mhlw_draft07_ja", schema);
}

#[test]
fn locale_picks_titles_and_descriptions() {
    let survey = mhlw();
    let ja =
        survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::default()).to_value();
    let en = survey_schema::json_schema::generate(
        &survey,
        &JsonSchemaOptions::new(Draft::Draft07, Some("en")),
    )
    .to_value();
    assert_eq!(ja["properties"]["Q2"]["oneOf"][0]["title"], "はい");
    assert_eq!(en["properties"]["Q2"]["oneOf"][0]["title"], "Yes");
    assert_eq!(
        en["properties"]["Q6"]["items"]["oneOf"][4]["title"],
        "No one to consult (looking for someone)"
    );
    assert_eq!(ja["$schema"], "http://json-schema.org/draft-07/schema#");
    let modern = survey_schema::json_schema::generate(
        &survey,
        &JsonSchemaOptions::new(Draft::Draft2020_12, None),
    )
    .to_value();
    assert_eq!(
        modern["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn schema_uses_no_custom_keywords() {
    // ajv's strict mode rejects unknown keywords; every keyword used must be standard.
    const KNOWN: &[&str] = &[
        "$schema",
        "$comment",
        "title",
        "description",
        "type",
        "properties",
        "required",
        "propertyNames",
        "enum",
        "const",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "if",
        "then",
        "else",
        "items",
        "uniqueItems",
        "minItems",
        "maxItems",
        "contains",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ];
    fn walk(value: &Value, in_properties: bool) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if !in_properties {
                        assert!(KNOWN.contains(&key.as_str()), "unexpected keyword `{key}`");
                    }
                    let nested_properties = !in_properties && key == "properties";
                    let literal = !in_properties && (key == "const" || key == "enum");
                    if !literal {
                        walk(child, nested_properties);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, false)),
            _ => {}
        }
    }
    walk(
        &survey_schema::json_schema::generate(&mhlw(), &JsonSchemaOptions::default()).to_value(),
        false,
    );
    for seed in 0..50 {
        walk(
            &survey_schema::json_schema::generate(
                &random_survey(seed).0,
                &JsonSchemaOptions::default(),
            )
            .to_value(),
            false,
        );
    }
}

/// A survey where each question depends on the two before it: written out in place, the
/// effective conditions would double in size with every question.
fn diamond_chain(count: usize) -> Survey {
    let mut yaml =
        String::from("id: chain\nversion: \"1\"\ndefault_locale: en\ntitle: Chain\nquestions:\n");
    for i in 0..count {
        write!(
            yaml,
            "  - id: q{i}\n    type: boolean\n    title: Q{i}\n    required: true\n"
        )
        .unwrap();
        if i >= 2 {
            let (previous, before) = (i - 1, i - 2);
            writeln!(
                yaml,
                "    enable_when: {{any: [{{question: q{previous}, equals: true}}, {{question: q{before}, not_equals: false}}]}}"
            )
            .unwrap();
        }
    }
    Survey::from_yaml(&yaml).unwrap()
}

#[test]
fn chained_conditions_keep_the_schema_linear() {
    let bytes = |questions| {
        serde_json::to_string(
            &survey_schema::json_schema::generate(
                &diamond_chain(questions),
                &JsonSchemaOptions::default(),
            )
            .to_value(),
        )
        .unwrap()
        .len()
    };
    let (small, large) = (bytes(20), bytes(200));
    assert!(
        large < small * 15,
        "20 questions: {small} bytes, 200 questions: {large} bytes"
    );
    let survey = diamond_chain(40);
    for draft in DRAFTS {
        let validator = compile(
            &survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::new(draft, None))
                .to_value(),
        );
        let mut rng = Rng::new(99);
        for case in 0..500 {
            let answers = random_answers(&mut rng, &survey);
            assert_same_verdict(
                &survey,
                &validator,
                &answers,
                &format!("diamond chain, {draft:?}, case {case}"),
            );
        }
    }
}

#[test]
fn each_if_holds_the_effective_condition_so_stale_answers_do_not_show_questions() {
    let schema =
        survey_schema::json_schema::generate(&mhlw(), &JsonSchemaOptions::default()).to_value();
    let block_for = |id: &str| {
        schema["allOf"]
            .as_array()
            .unwrap()
            .iter()
            .find(|block| block["then"]["properties"].get(id).is_some())
            .unwrap_or_else(|| panic!("no block for {id}"))
            .clone()
    };
    let shows = |id: &str, data: Value| jsonschema::is_valid(&block_for(id)["if"], &data);
    assert!(
        !shows("Q10-1", serde_json::json!({})),
        "an empty form shows no conditional question"
    );
    assert!(shows("Q10-1", serde_json::json!({"Q10": true})));
    assert!(!shows("Q10-1", serde_json::json!({"Q10": false})));
    assert!(shows(
        "Q12-1",
        serde_json::json!({"Q11": true, "Q12": true})
    ));
    // Q11 turned to no while Q12's answer is still in the form data: Q12-1 to Q12-6 hide.
    for id in ["Q12-1", "Q12-2", "Q12-3", "Q12-4", "Q12-5", "Q12-6"] {
        assert!(
            !shows(id, serde_json::json!({"Q11": false, "Q12": true})),
            "{id}"
        );
    }
}

#[test]
fn the_form_schema_gives_the_lenient_verdict() {
    let lenient = survey_schema::ValidateOptions {
        lenient: true,
        max_issues: usize::MAX,
        ..Default::default()
    };
    let mut cases = 0;
    for seed in seeds(200) {
        let (survey, definition) = random_survey(seed);
        for draft in DRAFTS {
            let mut options = JsonSchemaOptions::new(draft, None);
            options.form = true;
            let validator =
                compile(&survey_schema::json_schema::generate(&survey, &options).to_value());
            let mut rng = Rng::new(seed.wrapping_mul(131).wrapping_add(3));
            for case in 0..20 {
                let answers = random_answers(&mut rng, &survey);
                if holds_the_f64_floor(&answers) {
                    continue;
                }
                let native = survey.validate_with(&answers, &lenient);
                let expected = native.is_valid() || common::only_server_rules(&survey, &native);
                assert_eq!(
                    validator.is_valid(&answers),
                    expected,
                    "replay with EQUIVALENCE_SEED={seed} (draft {draft:?}, answer set {case})\nanswers: {answers}\nsurvey: {definition}"
                );
                cases += 1;
            }
        }
    }
    assert!(cases > 0);
}

#[test]
fn checked_in_form_files_are_fresh() {
    const YAML: &str = "schema/mhlw-hospital-cybersecurity-2024.yaml";
    let survey = mhlw();
    let pretty = |value: &Value| serde_json::to_string_pretty(value).unwrap() + "\n";
    for (locale, infix) in [(None, ""), (Some("en"), ".en")] {
        let mut options = JsonSchemaOptions::new(Draft::Draft07, locale);
        options.form = true;
        let name = format!("schema/mhlw-hospital-cybersecurity-2024{infix}.form.schema.json");
        let flag = locale.map_or(String::new(), |l| format!(" --locale {l}"));
        common::assert_fresh(
            &name,
            &pretty(&survey_schema::json_schema::generate(&survey, &options).to_value()),
            &format!("cargo survey schema {YAML} --form{flag} -o {name}"),
        );
    }
    for (locale, tag) in [
        (survey_schema::Locale::Ja, "ja"),
        (survey_schema::Locale::En, "en"),
    ] {
        let name = format!("schema/mhlw-hospital-cybersecurity-2024.messages.{tag}.json");
        common::assert_fresh(
            &name,
            &pretty(
                &serde_json::to_value(survey_schema::json_schema::error_messages(&survey, locale))
                    .unwrap(),
            ),
            &format!("cargo survey schema {YAML} --messages {tag} -o {name}"),
        );
    }
    let name = "schema/mhlw-hospital-cybersecurity-2024.en.uischema.json";
    common::assert_fresh(
        name,
        &pretty(&survey_schema::ui_schema::json_forms(&survey, Some("en"))),
        &format!("cargo survey schema {YAML} --ui-schema jsonforms --locale en -o {name}"),
    );
}
