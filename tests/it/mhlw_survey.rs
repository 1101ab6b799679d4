//! The bundled MHLW 2024 hospital cybersecurity survey: structure, skip rules, answer codes,
//! both languages, and the definition format's own JSON Schema.

use crate::common;

use common::mhlw;
use serde_json::json;
use survey_schema::definition::{ChoiceDef, QuestionDef, Text};
use survey_schema::{Format, Limits, QuestionKind, SurveyDefinition, parse_answers};

const IDS: [&str; 21] = [
    "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9", "Q10", "Q10-1", "Q11", "Q12", "Q12-1",
    "Q12-2", "Q12-3", "Q12-4", "Q12-5", "Q12-6", "Q13-1", "Q13-2",
];

fn question<'a>(definition: &'a SurveyDefinition, id: &str) -> &'a QuestionDef {
    definition.questions.iter().find(|q| q.id == id).unwrap()
}

fn values(choices: &[ChoiceDef]) -> Vec<&str> {
    choices.iter().map(|c| c.value.as_str()).collect()
}

#[test]
fn has_the_21_questions_in_order() {
    let survey = mhlw();
    assert_eq!(survey.question_ids().collect::<Vec<_>>(), IDS);
}

#[test]
fn skip_rules_are_the_three_of_the_answer_guide() {
    let survey = mhlw();
    let definition = survey.definition();
    for q in &definition.questions {
        let expected = match q.id.as_str() {
            "Q10-1" => Some(json!({ "question": "Q10", "equals": true })),
            "Q12" => Some(json!({ "question": "Q11", "equals": true })),
            id if id.starts_with("Q12-") => Some(json!({ "question": "Q12", "equals": true })),
            _ => None,
        };
        assert_eq!(
            q.enable_when
                .as_ref()
                .map(|c| serde_json::to_value(c).unwrap()),
            expected,
            "{}",
            q.id
        );
        assert!(q.required, "{} is required when enabled", q.id);
    }
    // And they act: Q11 = no disables Q12 and, through it, Q12-1 to Q12-6.
    let enabled = |answers| {
        survey
            .enabled(&answers)
            .iter()
            .map(|q| q.id.to_owned())
            .collect::<Vec<_>>()
    };
    let none = enabled(json!({}));
    for id in ["Q10-1", "Q12", "Q12-1", "Q12-6"] {
        assert!(
            !none.contains(&id.to_owned()),
            "{id} is disabled on an empty answer set"
        );
    }
    let all = enabled(json!({ "Q10": true, "Q11": true, "Q12": true }));
    assert!(IDS.iter().all(|id| all.contains(&(*id).to_owned())));
    let stale = enabled(json!({ "Q10": true, "Q11": false, "Q12": true }));
    assert!(stale.contains(&"Q10-1".to_owned()));
    assert!(!stale.iter().any(|id| id.starts_with("Q12")), "{stale:?}");
}

#[test]
fn answer_codes_are_the_documented_ones() {
    let survey = mhlw();
    let definition = survey.definition();
    for id in IDS {
        let q = question(definition, id);
        let expected = match id {
            "Q1" => QuestionKind::Group,
            "Q6" => QuestionKind::MultipleChoice,
            "Q12-1" | "Q12-2" | "Q12-3" | "Q12-4" => QuestionKind::SingleChoice,
            _ => QuestionKind::Boolean,
        };
        assert_eq!(q.kind, expected, "{id}");
        if expected == QuestionKind::Boolean {
            assert_eq!(
                q.true_label.as_ref().unwrap().get("ja", "ja"),
                "はい",
                "{id}"
            );
            assert_eq!(
                q.false_label.as_ref().unwrap().get("ja", "ja"),
                "いいえ",
                "{id}"
            );
        }
    }
    let q1 = question(definition, "Q1");
    let fields: Vec<(&str, bool, Option<survey_schema::TextFormat>)> = q1
        .fields
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| (f.id.as_str(), f.required, f.format))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", true, None),
            ("corporation", true, None),
            ("hospital", true, None),
            ("contact", true, None)
        ]
    );
    let q6 = question(definition, "Q6");
    let choices = q6.choices.as_ref().unwrap();
    assert_eq!(
        values(choices),
        [
            "self",
            "vendor",
            "other_institution",
            "other",
            "none_seeking",
            "none_not_seeking"
        ]
    );
    let exclusive: Vec<&str> = choices
        .iter()
        .filter(|c| c.exclusive)
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(exclusive, ["none_seeking", "none_not_seeking"]);
    assert_eq!(q6.min_selections, Some(1));
    assert_eq!(
        values(question(definition, "Q12-1").choices.as_ref().unwrap()),
        ["daily", "weekly", "monthly", "yearly", "other"]
    );
    let set = question(definition, "Q12-2").choice_set.clone().unwrap();
    for id in ["Q12-3", "Q12-4"] {
        assert_eq!(
            question(definition, id).choice_set.as_ref(),
            Some(&set),
            "{id} shares Q12-2's choice set"
        );
    }
    assert_eq!(
        values(&definition.choice_sets[&set]),
        ["three_or_more", "two", "one"]
    );
}

fn assert_both_locales(text: &Text, what: &str) {
    for locale in ["ja", "en"] {
        let found = text.exact(locale, "ja").unwrap_or_default();
        assert!(!found.trim().is_empty(), "{what} has no {locale} text");
    }
}

#[test]
fn every_text_is_in_japanese_and_english() {
    let survey = mhlw();
    let definition = survey.definition();
    assert_both_locales(&definition.title, "the title");
    let mut questions: Vec<&QuestionDef> = definition.questions.iter().collect();
    questions.extend(
        definition
            .questions
            .iter()
            .flat_map(|q| q.fields.iter().flatten()),
    );
    for q in questions {
        assert_both_locales(&q.title, &q.id);
        for text in [&q.help, &q.note, &q.true_label, &q.false_label]
            .into_iter()
            .flatten()
        {
            assert_both_locales(text, &q.id);
        }
        for choice in q.choices.iter().flatten() {
            assert_both_locales(&choice.label, &format!("{} {}", q.id, choice.value));
        }
        for citation in &q.references {
            for text in [&citation.section, &citation.quote].into_iter().flatten() {
                assert_both_locales(text, &format!("{} citation", q.id));
            }
        }
    }
    for set in definition.choice_sets.values() {
        for choice in set {
            assert_both_locales(&choice.label, &choice.value);
        }
    }
}

#[test]
fn metadata_and_references_follow_the_notice() {
    let survey = mhlw();
    let definition = survey.definition();
    let metadata = definition.metadata.as_ref().unwrap();
    let period = metadata.period.as_ref().unwrap();
    assert_eq!(
        (period.start.as_str(), period.end.as_str()),
        ("2024-02-01", "2024-03-08")
    );
    assert!(
        metadata
            .target
            .as_ref()
            .unwrap()
            .get("ja", "ja")
            .contains("G-MIS")
    );
    let guideline = &definition.references["guideline"];
    assert_eq!(
        guideline.title.get("ja", "ja"),
        "医療情報システムの安全管理に関するガイドライン"
    );
    assert_eq!(guideline.edition.as_deref(), Some("第6.0版"));
    assert!(
        definition.references["checklist"]
            .title
            .get("ja", "ja")
            .contains("チェックリスト")
    );
    let guide = &definition.references["mds_sds_guide"];
    assert_eq!(guide.edition.as_deref(), Some("Ver. 4.1"));
    assert_eq!(
        guide.url.as_deref(),
        Some("https://www.jahis.jp/standard/detail/id=987")
    );
    // Every question but Q1, Q11 and Q12-6 cites the documents (as the answer guide does).
    for q in &definition.questions {
        let cites = !q.references.is_empty();
        assert_eq!(
            cites,
            !["Q1", "Q11", "Q12-6"].contains(&q.id.as_str()),
            "{}",
            q.id
        );
    }
    let q5 = question(definition, "Q5");
    let sections: Vec<&str> = q5
        .references
        .iter()
        .map(|c| c.section.as_ref().unwrap().get("ja", "ja"))
        .collect();
    assert_eq!(
        sections,
        [
            "システム運用編 2. システム設計・運用に必要な規程類と文書体系",
            "システム運用編 13. ネットワークに関する安全管理措置"
        ]
    );
}

#[test]
fn json_and_yaml_forms_of_the_survey_agree() {
    let survey = mhlw();
    let json = serde_json::to_string(survey.definition()).unwrap();
    let reloaded = survey_schema::Survey::from_json(&json).unwrap();
    assert_eq!(reloaded.definition(), survey.definition());
}

fn meta_schema() -> serde_json::Value {
    schemars::schema_for!(SurveyDefinition).to_value()
}

#[test]
fn checked_in_meta_schema_is_fresh() {
    let fresh = serde_json::to_string_pretty(&meta_schema()).unwrap() + "\n";
    common::assert_fresh(
        "schema/survey-definition.schema.json",
        &fresh,
        "cargo survey meta-schema -o schema/survey-definition.schema.json",
    );
}

#[test]
fn mhlw_file_validates_against_the_meta_schema() {
    let text = std::fs::read_to_string(common::mhlw_path()).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=./survey-definition.schema.json"));
    let document = parse_answers(&text, Format::Yaml, &Limits::default()).unwrap();
    let validator = jsonschema::validator_for(&meta_schema()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The meta-schema can fail: an unknown key is caught by it too.
    let mut broken = document.clone();
    broken["questions"][0]["colour"] = json!("red");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn the_meta_schema_offers_each_kind_its_own_keys() {
    let validator = jsonschema::validator_for(&meta_schema()).unwrap();
    let checklist = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/mhlw-cybersecurity-checklist-2024.yaml"
    ))
    .unwrap();
    assert!(
        checklist.starts_with("# yaml-language-server: $schema=./survey-definition.schema.json")
    );
    let document = parse_answers(&checklist, Format::Yaml, &Limits::default()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let survey = |question: serde_json::Value| json!({ "id": "s", "version": "1", "default_locale": "en", "title": "S", "questions": [question] });
    // A key of another kind is refused by the meta-schema, as by the checker.
    for (question, ok) in [
        (
            json!({ "id": "a", "type": "boolean", "title": "A", "true_label": "Y", "false_label": "N" }),
            true,
        ),
        (
            json!({ "id": "a", "type": "boolean", "title": "A", "pattern": "x" }),
            false,
        ),
        (
            json!({ "id": "a", "type": "text", "title": "A", "pattern": "^x$" }),
            true,
        ),
        (
            json!({ "id": "a", "type": "text", "title": "A", "rows": [] }),
            false,
        ),
        (
            json!({ "id": "a", "type": "section", "title": "A", "required": true, "questions": [] }),
            false,
        ),
        (
            json!({ "id": "a", "type": "matrix", "title": "A", "multiple": true, "rows": [], "choices": [] }),
            true,
        ),
    ] {
        assert_eq!(
            validator.is_valid(&survey(question.clone())),
            ok,
            "{question}"
        );
    }
    // The root of a question lists only the keys every kind takes; each kind adds its own.
    let schema = meta_schema();
    let question = &schema["$defs"]["QuestionDef"];
    let common: Vec<&str> = question["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        common,
        [
            "id",
            "type",
            "title",
            "number",
            "help",
            "note",
            "references",
            "enable_when",
            "inferred"
        ]
    );
    let text_branch = question["allOf"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["if"]["properties"]["type"]["const"] == "text")
        .unwrap();
    let own: Vec<&str> = text_branch["then"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        own,
        ["required", "min_length", "max_length", "pattern", "format"]
    );
}
