//! Repeating groups: per-instance skip logic, instance paths, `enabled`, `prune` and
//! `progress` per instance, counts of instances in later conditions, the JSON Schema's arrays,
//! hostile answers, and the files the browser tests render.

use crate::common;

use serde_json::{Value, json};
use survey_schema::json_schema::{Draft, JsonSchemaOptions};
use survey_schema::{Locale, Survey, ValidateOptions};

const FIXTURE: &str = "tests/fixtures/systems-repeat.yaml";

fn systems() -> Survey {
    Survey::from_path(format!("{}/{FIXTURE}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn issues(survey: &Survey, answers: &Value) -> Vec<(String, String)> {
    let options = ValidateOptions {
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    };
    survey
        .validate_with(answers, &options)
        .issues
        .into_iter()
        .map(|i| (i.code.as_str().to_owned(), i.path))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
        .collect()
}

#[test]
fn each_instance_has_its_own_skip_logic_and_paths() {
    let survey = systems();
    let answers = json!({
        "external": true,
        "systems": [
            { "name": "電子カルテ", "remote": true, "vendor": "A社", "gateway": true },
            { "name": "PACS", "remote": false, "vendor": "B社" },
            { "name": "検査", "remote": true },
        ],
        "inventory": true,
    });
    assert_eq!(
        issues(&survey, &answers),
        pairs(&[
            ("answered_while_disabled", "/systems/1/vendor"),
            ("missing_required", "/systems/2/vendor"),
        ])
    );
    let report = survey.validate_with(
        &answers,
        &ValidateOptions {
            locale: Some(Locale::En),
            ..ValidateOptions::default()
        },
    );
    assert_eq!(report.issues[1].question, "systems");
    assert_eq!(
        report.issues[1].message,
        "systems/2/vendor: an answer is required"
    );
}

#[test]
fn a_field_may_test_a_question_outside_the_repeat() {
    let survey = systems();
    let instance = json!({ "name": "x", "remote": true, "vendor": "v", "gateway": false });
    let inside = json!({ "external": true, "systems": [instance.clone()] });
    assert!(survey.is_valid(&inside), "{}", survey.validate(&inside));
    let outside = json!({ "external": false, "systems": [instance] });
    assert_eq!(
        issues(&survey, &outside),
        pairs(&[("answered_while_disabled", "/systems/0/gateway")])
    );
}

#[test]
fn a_later_question_tests_the_number_of_instances() {
    let survey = systems();
    let one = json!({ "external": false, "systems": [{ "name": "a", "remote": false }] });
    assert!(survey.is_valid(&one), "{}", survey.validate(&one));
    let mut two = one.clone();
    two["systems"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "b", "remote": false }));
    assert_eq!(
        issues(&survey, &two),
        pairs(&[("missing_required", "/inventory")])
    );
    let pointers: Vec<String> = survey
        .enabled(&two)
        .iter()
        .map(|q| q.pointer.to_string())
        .collect();
    let listed: Vec<String> = survey.questions().map(|q| q.pointer.to_string()).collect();
    assert!(
        listed.contains(&"/systems/-/vendor".to_owned()),
        "{listed:?}"
    );
    assert_eq!(
        pointers,
        [
            "/external",
            "/systems",
            "/systems/0/name",
            "/systems/0/remote",
            "/systems/1/name",
            "/systems/1/remote",
            "/inventory"
        ]
    );
}

#[test]
fn counts_shapes_and_unknown_fields_are_issues() {
    let survey = systems();
    assert_eq!(
        issues(&survey, &json!({ "external": false, "systems": [] })),
        pairs(&[("too_few_items", "/systems")])
    );
    let six: Vec<Value> = (0..6)
        .map(|i| json!({ "name": format!("s{i}"), "remote": false }))
        .collect();
    assert_eq!(
        issues(
            &survey,
            &json!({ "external": false, "systems": six, "inventory": true })
        ),
        pairs(&[("too_many_items", "/systems")])
    );
    assert_eq!(
        issues(
            &survey,
            &json!({ "external": false, "systems": [{ "name": "a", "remote": false, "zz": 1 }, 7] })
        ),
        pairs(&[
            ("unknown_field", "/systems/0/zz"),
            ("wrong_type", "/systems/1"),
            ("missing_required", "/inventory"),
        ])
    );
    assert_eq!(
        issues(
            &survey,
            &json!({ "external": false, "systems": { "name": "a" } })
        ),
        pairs(&[("wrong_type", "/systems")])
    );
}

#[test]
fn prune_and_progress_work_per_instance() {
    let survey = systems();
    let answers = json!({
        "external": false,
        "systems": [
            { "name": "a", "remote": false, "vendor": "stale", "gateway": true },
            { "name": "b", "remote": true, "vendor": "v", "gateway": true },
            { "remote": true },
        ],
    });
    assert_eq!(
        survey.prune(&answers),
        json!({
            "external": false,
            "systems": [
                { "name": "a", "remote": false },
                { "name": "b", "remote": true, "vendor": "v" },
                { "remote": true },
            ],
        })
    );
    // external, systems, inventory (3 instances), and per instance name and remote, and
    // vendor where remote: 3 + 2 + 3 + 3 required, 2 + 2 + 3 + 1 answered.
    let progress = survey.progress(&answers);
    assert_eq!((progress.required, progress.answered), (11, 8));
}

#[test]
fn the_json_schema_holds_instances_in_an_array() {
    let survey = systems();
    let schema = survey_schema::json_schema::generate(
        &survey,
        &JsonSchemaOptions::new(Draft::Draft2020_12, Some("en")),
    )
    .to_value();
    let systems = &schema["properties"]["systems"];
    assert_eq!(systems["type"], "array");
    assert_eq!(systems["minItems"], 1);
    assert_eq!(systems["maxItems"], 5);
    assert_eq!(systems["items"]["required"], json!(["name", "remote"]));
    assert_eq!(
        systems["items"]["allOf"][0]["then"]["required"],
        json!(["vendor"])
    );
    let validator = jsonschema::validator_for(&schema).unwrap();
    for answers in [
        json!({ "external": true, "systems": [{ "name": "a", "remote": true, "vendor": "v", "gateway": true }] }),
        json!({ "external": false, "systems": [{ "name": "a", "remote": true, "vendor": "v", "gateway": true }] }),
        json!({ "external": false, "systems": [{ "name": "a", "remote": false }, { "name": "b", "remote": true }] }),
    ] {
        assert_eq!(
            validator.is_valid(&answers),
            survey.is_valid(&answers),
            "{answers}"
        );
    }
}

#[test]
fn conditions_cannot_reach_into_one_instance() {
    let head = "id: t\nversion: '1'\ndefault_locale: en\ntitle: T\nquestions:\n  - {id: r, type: repeat, title: R, fields: [{id: v, type: boolean, title: V}]}\n";
    for (tail, code) in [
        (
            "  - {id: b, type: boolean, title: B, enable_when: {question: r, field: v, equals: true}}\n",
            "invalid_condition",
        ),
        (
            "  - {id: b, type: boolean, title: B, enable_when: {question: r, equals: 1}}\n",
            "operator_mismatch",
        ),
        (
            "  - {id: b, type: boolean, title: B, enable_when: {question: r, greater_than: 1.5}}\n",
            "invalid_value",
        ),
    ] {
        let error = Survey::from_yaml(&format!("{head}{tail}")).unwrap_err();
        assert!(error.to_string().contains(code), "{tail}: {error}");
    }
    let nested = "id: t\nversion: '1'\ndefault_locale: en\ntitle: T\nquestions:\n  - id: r\n    type: repeat\n    title: R\n    fields:\n      - {id: s, type: repeat, title: S, fields: [{id: v, type: boolean, title: V}]}\n";
    let error = Survey::from_yaml(nested).unwrap_err().to_string();
    assert!(
        error.contains("nested_group") && error.contains("10:9"),
        "{error}"
    );
}

/// An answer with a million instances: within the parse limits it is refused as too many
/// values; as a `Value` it is walked once, quickly, and reported within the issue cap.
#[test]
fn a_million_instances() {
    let survey = systems();
    let mut text = String::from("{\"external\": false, \"systems\": [");
    for i in 0..1_000_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str("{}");
    }
    text.push_str("]}");
    let error = survey
        .validate_json(text.as_bytes(), &ValidateOptions::default())
        .unwrap_err();
    assert!(error.to_string().contains("values"), "{error}");
    let instance = json!({ "name": "a", "remote": false });
    let answers = json!({
        "external": false,
        "systems": vec![instance; 1_000_000],
        "inventory": true,
    });
    let report = survey.validate(&answers);
    assert_eq!(report.issues.len(), 1);
    assert_eq!(report.issues[0].code.as_str(), "too_many_items");
    let empty = json!({ "external": false, "systems": vec![json!({}); 1_000_000] });
    let report = survey.validate(&empty);
    assert_eq!(report.issues.len(), 100);
    assert!(report.truncated);
    assert!(!survey.is_valid(&empty));
}

#[test]
fn browser_fixtures_are_fresh() {
    let survey = systems();
    let pretty = |value: &Value| serde_json::to_string_pretty(value).unwrap() + "\n";
    let dir = "tests/browser/fixtures";
    let mut options = JsonSchemaOptions::new(Draft::Draft07, None);
    options.form = true;
    common::assert_fresh(
        &format!("{dir}/systems.form.schema.json"),
        &pretty(&survey_schema::json_schema::generate(&survey, &options).to_value()),
        &format!("cargo survey schema {FIXTURE} --form -o {dir}/systems.form.schema.json"),
    );
    common::assert_fresh(
        &format!("{dir}/systems.uischema.json"),
        &pretty(&survey_schema::ui_schema::json_forms(&survey, None)),
        &format!(
            "cargo survey schema {FIXTURE} --ui-schema jsonforms -o {dir}/systems.uischema.json"
        ),
    );
    common::assert_fresh(
        &format!("{dir}/systems.messages.ja.json"),
        &pretty(
            &serde_json::to_value(survey_schema::json_schema::error_messages(
                &survey,
                Locale::Ja,
            ))
            .unwrap(),
        ),
        &format!("cargo survey schema {FIXTURE} --messages ja -o {dir}/systems.messages.ja.json"),
    );
}

/// The format guide's repeat example, as written there, loads and behaves as the guide says.
#[test]
fn the_format_guide_example_holds() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md")).unwrap();
    let after = &readme[readme.find("A **repeat** is").unwrap()..];
    let start = after.find("```yaml\n").unwrap() + "```yaml\n".len();
    let block = &after[start..start + after[start..].find("```").unwrap()];
    let mut indented = String::new();
    for line in block.lines() {
        indented.push_str("  ");
        indented.push_str(line);
        indented.push('\n');
    }
    let yaml = format!(
        "id: t\nversion: '1'\ndefault_locale: ja\ntitle: T\nquestions:\n  - {{ id: external, type: boolean, title: 外部接続 }}\n{indented}"
    );
    let survey = Survey::from_yaml(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let answers = json!({
        "external": true,
        "systems": [
            { "name": "a", "remote": true, "vendor": "v", "gateway": true },
            { "name": "b", "remote": false },
        ],
        "inventory": true,
    });
    assert!(survey.is_valid(&answers), "{}", survey.validate(&answers));
    let one = json!({ "systems": [{ "name": "b", "remote": false }], "inventory": true });
    assert_eq!(
        issues(&survey, &one),
        pairs(&[("answered_while_disabled", "/inventory")])
    );
    assert_eq!(
        issues(&survey, &json!({ "systems": [] })),
        pairs(&[("too_few_items", "/systems")])
    );
}

/// Every question is found by its pointer, whatever it is: a group's field, a table's cell,
/// a repeat's field in any instance or one; nothing else is.
#[test]
fn every_question_is_found_by_its_pointer() {
    for survey in [common::mhlw(), common::checklist(), systems()] {
        for question in survey.questions() {
            let found = survey.question(&question.pointer);
            assert_eq!(found.as_ref(), Some(&question), "{}", question.pointer);
        }
        for missing in ["", "/", "Q1", "/nope", "/Q1/email/x", "/Q1//email"] {
            assert!(survey.question(missing).is_none(), "{missing}");
        }
    }
    let survey = systems();
    let vendor = survey.question("/systems/3/vendor").unwrap();
    assert_eq!(
        (vendor.id, vendor.pointer.as_ref()),
        ("vendor", "/systems/3/vendor")
    );
    assert!(survey.question("/systems/x/vendor").is_none());
    assert!(survey.question("/systems/3").is_none());
    // A group field's id may be a question's too; its pointer is its own.
    let checklist = common::checklist();
    let cell = checklist.question("/I1/I1-1/r1_date").unwrap();
    assert_eq!(cell.id, "r1_date");
}
