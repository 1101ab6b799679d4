//! The MHLW cybersecurity checklist for medical institutions (FY2024), carried as a survey of
//! sections and tables: its items, its skip rules, its examples, and its generated files.

use crate::common;

use common::Rng;
use serde_json::{Value, json};
use survey_schema::json_schema::{Draft, JsonSchemaOptions};
use survey_schema::{Survey, ValidateOptions};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schema/mhlw-cybersecurity-checklist-2024.yaml"
);
const STEM: &str = "schema/mhlw-cybersecurity-checklist-2024";

fn checklist() -> Survey {
    Survey::from_path(PATH).unwrap_or_else(|e| panic!("{e}"))
}

fn example(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/schema/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn enabled(survey: &Survey, answers: &Value) -> Vec<String> {
    survey
        .enabled(answers)
        .iter()
        .map(|q| q.pointer.to_string())
        .collect()
}

#[test]
fn every_item_of_the_three_sections_is_a_row() {
    let survey = checklist();
    let rows = |table: &str| -> Vec<String> {
        enabled(&survey, &json!({ "has_system": true }))
            .into_iter()
            .filter(|p| p.starts_with(&format!("/{table}/")) && p.matches('/').count() == 2)
            .collect()
    };
    assert_eq!(rows("I1").len(), 1);
    // Section 2: 3 + 5 + 2 + 4 = 14 items, the FY2024 count.
    let section2: usize = ["I2a", "I2b", "I2c", "I2d"]
        .iter()
        .map(|t| rows(t).len())
        .sum();
    assert_eq!(section2, 14);
    assert_eq!(rows("I3").len(), 3);
}

#[test]
fn no_system_means_nothing_else_to_check() {
    let survey = checklist();
    assert_eq!(
        enabled(&survey, &json!({ "has_system": false })),
        ["/has_system"]
    );
    assert!(
        survey
            .validate(&example("checklist-no-system.json"))
            .is_valid()
    );
    // An answer to anything inside the sections is then answered while disabled.
    let report = survey.validate(&json!({ "has_system": false, "I1": {} }));
    assert_eq!(report.issues[0].code.as_str(), "answered_while_disabled");
}

#[test]
fn a_target_date_is_asked_only_after_no_in_its_row() {
    let survey = checklist();
    let base =
        |answer: bool| json!({ "has_system": true, "I1": { "I1-1": { "r1_answer": answer } } });
    assert!(enabled(&survey, &base(false)).contains(&"/I1/I1-1/r1_target".to_owned()));
    assert!(!enabled(&survey, &base(true)).contains(&"/I1/I1-1/r1_target".to_owned()));
    // The other rows' targets stay hidden.
    assert!(!enabled(&survey, &base(false)).contains(&"/I2a/I2a-1/r1_target".to_owned()));
}

#[test]
fn remote_maintenance_may_be_left_out_but_the_other_rows_may_not() {
    let survey = checklist();
    let complete = example("checklist-complete.json");
    assert!(survey.is_valid(&complete));
    // The manual exempts the remote-maintenance item without a vendor contract: the row
    // may be left out, and when it is answered its cells are checked as any row's.
    let mut without = complete.clone();
    without["I2a"].as_object_mut().unwrap().remove("I2a-2");
    assert!(survey.is_valid(&without), "{}", survey.validate(&without));
    let mut half = complete.clone();
    half["I2a"]["I2a-2"] = json!({ "r1_answer": false });
    let report = survey.validate(&half);
    let paths: Vec<&str> = report.issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["/I2a/I2a-2/r1_date", "/I2a/I2a-2/r1_target"]);
    // Any other row of the table is asked for.
    let mut missing = complete;
    missing["I2a"].as_object_mut().unwrap().remove("I2a-1");
    let report = survey.validate(&missing);
    assert_eq!(report.issues[0].code.as_str(), "missing_required");
    assert_eq!(report.issues[0].path, "/I2a/I2a-1");
}

#[test]
fn the_examples_get_their_verdicts() {
    let survey = checklist();
    let report = survey.validate(&example("checklist-complete.json"));
    assert!(report.is_valid(), "{report}");
    let report = survey.validate_with(
        &example("checklist-invalid.json"),
        &ValidateOptions::default(),
    );
    let found: Vec<(String, String)> = report
        .issues
        .iter()
        .map(|i| (i.code.as_str().to_owned(), i.path.clone()))
        .collect();
    let expected = [
        ("wrong_type", "/I1/I1-1/r1_answer"),
        ("missing_required", "/I2a/I2a-3/r1_target"),
        ("answered_while_disabled", "/I2b/I2b-1/r1_target"),
        ("out_of_range", "/I2c/I2c-2/r1_target"),
        ("missing_required", "/I3/I3-2"),
        ("rule_failed", "/I2d/I2d-2/r1_target"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn generated_files_are_fresh() {
    let survey = checklist();
    let pretty = |value: &Value| serde_json::to_string_pretty(value).unwrap() + "\n";
    let yaml = format!("{STEM}.yaml");
    for (locale, infix) in [(None, ""), (Some("en"), ".en")] {
        for form in [false, true] {
            let mut options = JsonSchemaOptions::new(Draft::Draft07, locale);
            options.form = form;
            let kind = if form { ".form" } else { "" };
            let name = format!("{STEM}{infix}{kind}.schema.json");
            let flags = format!(
                "{}{}",
                locale.map_or(String::new(), |l| format!(" --locale {l}")),
                if form { " --form" } else { "" }
            );
            common::assert_fresh(
                &name,
                &pretty(&survey_schema::json_schema::generate(&survey, &options).to_value()),
                &format!("cargo survey schema {yaml}{flags} -o {name}"),
            );
        }
        let name = format!("{STEM}{infix}.uischema.json");
        common::assert_fresh(
            &name,
            &pretty(&survey_schema::ui_schema::json_forms(&survey, locale)),
            &format!(
                "cargo survey schema {yaml} --ui-schema jsonforms{} -o {name}",
                locale.map_or(String::new(), |l| format!(" --locale {l}"))
            ),
        );
    }
    for (locale, tag) in [
        (survey_schema::Locale::Ja, "ja"),
        (survey_schema::Locale::En, "en"),
    ] {
        let name = format!("{STEM}.messages.{tag}.json");
        common::assert_fresh(
            &name,
            &pretty(
                &serde_json::to_value(survey_schema::json_schema::error_messages(&survey, locale))
                    .unwrap(),
            ),
            &format!("cargo survey schema {yaml} --messages {tag} -o {name}"),
        );
    }
}

#[test]
fn example_batch_is_fresh_and_both_validators_agree_on_it() {
    let survey = checklist();
    let mut rng = Rng::new(20_240_513);
    let mut text = String::new();
    let mut sets = Vec::new();
    for _ in 0..1_000 {
        let answers = common::random_answers(&mut rng, &survey);
        text.push_str(&serde_json::to_string(&answers).unwrap());
        text.push('\n');
        sets.push(answers);
    }
    common::assert_fresh(
        "schema/examples/checklist-batch.jsonl",
        &text,
        "UPDATE_GENERATED=1 cargo test --all-features --test it checklist",
    );
    let valid = sets.iter().filter(|a| survey.is_valid(a)).count();
    assert!((200..=800).contains(&valid), "{valid} of 1000 valid");
    for draft in [Draft::Draft07, Draft::Draft2020_12] {
        let schema =
            survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::new(draft, None))
                .to_value();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for answers in &sets {
            // The date-order rules compare two answers: only the native validator checks them.
            let report = survey.validate_with(
                answers,
                &ValidateOptions {
                    max_issues: usize::MAX,
                    ..ValidateOptions::default()
                },
            );
            let expected = report.is_valid() || common::only_server_rules(&survey, &report);
            assert_eq!(
                validator.is_valid(answers),
                expected,
                "{draft:?}: {answers}"
            );
        }
    }
}
