//! The JSON Forms UI schema: one control per question in order, groups as group layouts,
//! labels in the locale, and SHOW rules that hold exactly when the question is enabled.

use crate::common;

use common::{Rng, mhlw, random_answers, random_survey};
use serde_json::{Value, json};
use survey_schema::Survey;

/// Every control and group with its rule condition (if any), depth first, keyed by scope or
/// label. A layout that only wraps a question with its note and citations (no label of its
/// own) hands its rule to the question.
fn elements(ui: &Value, out: &mut Vec<(String, Option<Value>)>) {
    walk_elements(ui, None, out);
}

fn walk_elements(ui: &Value, inherited: Option<&Value>, out: &mut Vec<(String, Option<Value>)>) {
    for element in ui["elements"].as_array().into_iter().flatten() {
        let rule = element.pointer("/rule/condition").or(inherited);
        let key = element.get("scope").or_else(|| element.get("label"));
        match key {
            Some(key) => {
                out.push((key.as_str().unwrap().to_owned(), rule.cloned()));
                walk_elements(element, None, out);
            }
            None if element["type"] == "Label" => {}
            None => walk_elements(element, rule, out),
        }
    }
}

/// Whether JSON Forms would show an element: its rule and the rules of its enclosing layouts,
/// evaluated on the whole data; inside an array control's `detail`, on each item (the rules
/// of a repeat's fields test the instance).
fn shown(ui: &Value, data: &Value) -> Vec<String> {
    fn walk(ui: &Value, data: &Value, prefix: &str, out: &mut Vec<String>) {
        for element in ui["elements"].as_array().into_iter().flatten() {
            if let Some(condition) = element.pointer("/rule/condition") {
                assert_eq!(condition["scope"], "#");
                assert_eq!(condition["failWhenUndefined"], true);
                if !jsonschema::is_valid(&condition["schema"], data) {
                    continue;
                }
            }
            if let Some(scope) = element.get("scope") {
                let path = scope
                    .as_str()
                    .unwrap()
                    .trim_start_matches("#/properties/")
                    .replace("/properties/", "/");
                out.push(format!("{prefix}{path}"));
                if let Some(detail) = element.pointer("/options/detail") {
                    let items = data.pointer(&format!("/{path}")).and_then(Value::as_array);
                    for (i, item) in items.into_iter().flatten().enumerate() {
                        walk(detail, item, &format!("{prefix}{path}/{i}/"), out);
                    }
                }
            }
            walk(element, data, prefix, out);
        }
    }
    let mut out = Vec::new();
    walk(ui, data, "", &mut out);
    out
}

fn enabled(survey: &Survey, data: &Value) -> Vec<String> {
    survey
        .enabled(data)
        .iter()
        .filter(|q| q.kind != survey_schema::QuestionKind::Group)
        .map(|q| q.pointer.trim_start_matches('/').to_owned())
        .collect()
}

#[test]
fn mhlw_ui_schema_lists_every_question_in_order() {
    let ui = survey_schema::ui_schema::json_forms(&mhlw(), None);
    assert_eq!(ui["type"], "VerticalLayout");
    let mut all = Vec::new();
    elements(&ui, &mut all);
    let keys: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys[0], "Q1 回答者の情報（氏名、所属、連絡先）");
    assert_eq!(keys[1], "#/properties/Q1/properties/name");
    assert_eq!(keys[5], "#/properties/Q2");
    assert_eq!(keys.len(), 1 + 4 + 20);
    let conditional: Vec<&str> = all
        .iter()
        .filter(|(_, c)| c.is_some())
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        conditional,
        [
            "#/properties/Q10-1",
            "#/properties/Q12",
            "#/properties/Q12-1",
            "#/properties/Q12-2",
            "#/properties/Q12-3",
            "#/properties/Q12-4",
            "#/properties/Q12-5",
            "#/properties/Q12-6"
        ]
    );
    let en = survey_schema::ui_schema::json_forms(&mhlw(), Some("en"));
    // Q2 with its citation after it, in a layout of their own.
    assert_eq!(
        en["elements"][1]["elements"][0]["label"],
        "Q2 Have you appointed a medical information system security manager (system administrator)?"
    );
    let citation = en["elements"][1]["elements"][1]["text"].as_str().unwrap();
    assert!(
        citation.starts_with("See: Guidelines for the Security Management of Medical Information Systems（第6.0版） Management volume, 3.1.2"),
        "{citation}"
    );
}

#[test]
fn every_note_and_citation_is_a_label_shown_with_its_question() {
    let survey = mhlw();
    let ui = survey_schema::ui_schema::json_forms(&survey, None);
    let definition = survey.definition();
    let labels: Vec<(String, Option<Value>)> = {
        fn walk(ui: &Value, rule: Option<&Value>, out: &mut Vec<(String, Option<Value>)>) {
            for element in ui["elements"].as_array().into_iter().flatten() {
                let rule = element.pointer("/rule/condition").or(rule);
                if element["type"] == "Label" {
                    out.push((element["text"].as_str().unwrap().to_owned(), rule.cloned()));
                }
                walk(element, rule, out);
            }
        }
        let mut out = Vec::new();
        walk(&ui, None, &mut out);
        out
    };
    let mut notes = 0;
    let mut citations = 0;
    for question in &definition.questions {
        if let Some(note) = &question.note {
            let text = note.get("ja", "ja");
            let found = labels.iter().find(|(t, _)| t == text);
            // The note is shown and hidden with its question.
            assert!(
                found.is_some_and(|(_, rule)| rule.is_some() == question.enable_when.is_some()),
                "{text}"
            );
            notes += 1;
        }
        for citation in &question.references {
            let quote = citation.quote.as_ref().map_or("", |q| q.get("ja", "ja"));
            assert!(
                labels
                    .iter()
                    .any(|(t, _)| t.starts_with("参考: ") && t.ends_with(quote)),
                "{}: {quote}",
                question.id
            );
            citations += 1;
        }
    }
    assert_eq!((notes, citations), (3, 19));
}

#[test]
fn rules_show_exactly_the_enabled_questions() {
    let survey = mhlw();
    let ui = survey_schema::ui_schema::json_forms(&survey, None);
    for data in [
        json!({}),
        json!({"Q10": true}),
        json!({"Q11": true, "Q12": true}),
        json!({"Q11": false, "Q12": true}),
    ] {
        assert_eq!(shown(&ui, &data), enabled(&survey, &data), "{data}");
    }
    let mut rng = Rng::new(5);
    // Form data is always an object.
    for _ in 0..300 {
        let data = random_answers(&mut rng, &survey);
        if !data.is_object() {
            continue;
        }
        assert_eq!(shown(&ui, &data), enabled(&survey, &data), "{data}");
    }
    for seed in 0..100 {
        let (survey, definition) = random_survey(seed);
        let ui = survey_schema::ui_schema::json_forms(&survey, None);
        for _ in 0..20 {
            let data = survey.prune(&random_answers(&mut rng, &survey));
            if !data.is_object() || !common::exact_floats(&data) {
                continue;
            }
            assert_eq!(
                shown(&ui, &data),
                enabled(&survey, &data),
                "seed {seed}: {data}\n{}",
                serde_json::to_string(&definition).unwrap()
            );
        }
    }
}

#[test]
fn checked_in_ui_schema_is_fresh() {
    let fresh = serde_json::to_string_pretty(&survey_schema::ui_schema::json_forms(&mhlw(), None))
        .unwrap()
        + "\n";
    common::assert_fresh(
        "schema/mhlw-hospital-cybersecurity-2024.uischema.json",
        &fresh,
        "cargo survey schema schema/mhlw-hospital-cybersecurity-2024.yaml --ui-schema jsonforms -o schema/mhlw-hospital-cybersecurity-2024.uischema.json",
    );
}
