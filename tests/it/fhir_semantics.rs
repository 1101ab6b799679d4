//! The FHIR subtleties the mapping must get right, one test each: `!=` on an unanswered item,
//! answers to disabled items, unanswered items and groups, coding comparison, que-12, drafts,
//! whole-value regexes with `\s`, and linkIds and codes that are not ids.

use serde_json::{Value, json};
use survey_schema::fhir::FhirProblemCode;
use survey_schema::fhir::FhirVersion;
use survey_schema::{Error, Survey, ValidateOptions};

fn survey(questionnaire: &Value) -> Survey {
    Survey::from_questionnaire(questionnaire).unwrap_or_else(|e| panic!("imports: {e}"))
}

/// The verdict and issue codes of a response.
fn check(survey: &Survey, items: &Value, status: &str) -> (bool, Vec<String>) {
    let mut response = json!({ "resourceType": "QuestionnaireResponse", "status": status });
    // A response with no answered item has no `item` (FHIR JSON has no null).
    if !items.is_null() {
        response["item"] = items.clone();
    }
    let converted = survey.answers_from_response(&response).expect("converts");
    let options = ValidateOptions {
        partial: converted.partial,
        ..ValidateOptions::default()
    };
    let report = survey.validate_with(&converted.answers, &options);
    (
        report.is_valid(),
        report
            .issues
            .iter()
            .map(|i| i.code.as_str().to_owned())
            .collect(),
    )
}

fn boolean(link: &str, value: bool) -> Value {
    json!({ "linkId": link, "answer": [{ "valueBoolean": value }] })
}

fn string(link: &str, value: &str) -> Value {
    json!({ "linkId": link, "answer": [{ "valueString": value }] })
}

#[test]
fn not_equals_on_an_unanswered_item_is_true() {
    let q = survey(&json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [
            { "linkId": "a", "type": "boolean" },
            { "linkId": "b", "type": "string", "required": true,
              "enableWhen": [{ "question": "a", "operator": "!=", "answerBoolean": true }] }
        ]
    }));
    // a unanswered: b is enabled, so required.
    assert_eq!(
        check(&q, &json!([]), "completed"),
        (false, vec!["missing_required".into()])
    );
    assert!(check(&q, &json!([string("b", "x")]), "completed").0);
    // a = true: b is disabled.
    assert!(check(&q, &json!([boolean("a", true)]), "completed").0);
}

#[test]
fn an_answer_to_a_disabled_item_is_an_error() {
    let q = survey(&json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [
            { "linkId": "a", "type": "boolean" },
            { "linkId": "b", "type": "string",
              "enableWhen": [{ "question": "a", "operator": "=", "answerBoolean": true }] }
        ]
    }));
    let items = json!([boolean("a", false), string("b", "x")]);
    assert_eq!(
        check(&q, &items, "completed"),
        (false, vec!["answered_while_disabled".into()])
    );
}

#[test]
fn items_without_answers_and_empty_groups_are_unanswered() {
    let q = survey(&json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [
            { "linkId": "g", "type": "group", "required": true,
              "item": [{ "linkId": "g.x", "type": "string" }, { "linkId": "g.y", "type": "boolean" }] }
        ]
    }));
    // An empty group and an item with an empty answer list: the required group is unanswered.
    let empty = json!([{ "linkId": "g", "item": [{ "linkId": "g.x", "answer": [] }] }]);
    let converted = q
        .answers_from_response(&json!({ "resourceType": "QuestionnaireResponse", "status": "completed", "item": empty }))
        .expect("converts");
    assert_eq!(converted.answers, json!({}), "never {{}} of an empty group");
    assert_eq!(
        check(&q, &empty, "completed"),
        (false, vec!["missing_required".into()])
    );
    // One answered item answers the group.
    let one = json!([{ "linkId": "g", "item": [boolean("g.y", false)] }]);
    assert!(check(&q, &one, "completed").0);
}

#[test]
fn codings_compare_by_system_and_code_and_a_condition_without_system_matches_any() {
    let questionnaire = |condition: Value| {
        json!({
            "resourceType": "Questionnaire", "status": "active",
            "item": [
                { "linkId": "c", "type": "choice", "answerOption": [
                    { "valueCoding": { "system": "http://a.example", "code": "x" } },
                    { "valueCoding": { "system": "http://a.example", "code": "y" } } ] },
                { "linkId": "d", "type": "string", "required": true, "enableWhen": [condition] }
            ]
        })
    };
    let coding = |system: Option<&str>| {
        let mut c = json!({ "code": "x" });
        if let Some(system) = system {
            c["system"] = json!(system);
        }
        json!([{ "linkId": "c", "answer": [{ "valueCoding": c }] }])
    };
    // Without a system the condition matches the option of any system.
    let q = survey(&questionnaire(
        json!({ "question": "c", "operator": "=", "answerCoding": { "code": "x" } }),
    ));
    assert_eq!(
        check(&q, &coding(Some("http://a.example")), "completed"),
        (false, vec!["missing_required".into()])
    );
    // A response coding of another system is not the option.
    assert_eq!(
        check(&q, &coding(Some("http://b.example")), "completed"),
        (false, vec!["unknown_choice".into()])
    );
    // A response coding without a system matches by code.
    assert_eq!(
        check(&q, &coding(None), "completed").1,
        vec!["missing_required".to_owned()]
    );
    // A condition naming another system names no option: refused.
    let other = questionnaire(
        json!({ "question": "c", "operator": "=", "answerCoding": { "system": "http://b.example", "code": "x" } }),
    );
    match Survey::from_questionnaire(&other) {
        Err(Error::Fhir(problems)) => assert_eq!(problems[0].code, FhirProblemCode::UnknownCode),
        other => panic!(
            "expected unknown_code, got {:?}",
            other.map(|s| s.id().to_owned())
        ),
    }
}

#[test]
fn several_enable_when_without_enable_behavior_is_que_12() {
    let questionnaire = json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [
            { "linkId": "a", "type": "boolean" },
            { "linkId": "b", "type": "boolean" },
            { "linkId": "c", "type": "string", "enableWhen": [
                { "question": "a", "operator": "exists", "answerBoolean": true },
                { "question": "b", "operator": "exists", "answerBoolean": true } ] }
        ]
    });
    let Err(Error::Fhir(problems)) = Survey::from_questionnaire(&questionnaire) else {
        panic!("que-12 imported");
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, FhirProblemCode::Que12);
    assert_eq!(problems[0].path, "Questionnaire.item[2].enableBehavior");
}

#[test]
fn an_in_progress_response_is_a_draft() {
    let q = survey(&json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [{ "linkId": "a", "type": "string", "required": true }]
    }));
    assert_eq!(check(&q, &json!([]), "in-progress"), (true, vec![]));
    assert!(!check(&q, &json!([]), "completed").0);
}

#[test]
fn a_fhir_regex_matches_the_whole_value_and_may_use_backslash_s() {
    let q = survey(&json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [{ "linkId": "a", "type": "string", "extension": [
            { "url": "http://hl7.org/fhir/StructureDefinition/regex", "valueString": "[A-Z]{2}\\s[0-9]+" } ] }]
    }));
    let pattern = q.definition().questions[0]
        .pattern
        .clone()
        .expect("a pattern");
    assert_eq!(
        pattern, "^(?:[A-Z]{2}[ \\t\\n\\r\\f\\v][0-9]+)$",
        "anchored and portable"
    );
    assert!(check(&q, &json!([string("a", "AB 12")]), "completed").0);
    assert!(check(&q, &json!([string("a", "AB\t12")]), "completed").0);
    // A match inside the value is not a match of the value.
    assert_eq!(
        check(&q, &json!([string("a", "xAB 12")]), "completed").1,
        vec!["pattern_mismatch".to_owned()]
    );
    assert_eq!(
        check(&q, &json!([string("a", "AB 12x")]), "completed").1,
        vec!["pattern_mismatch".to_owned()]
    );
}

#[test]
fn link_ids_and_codes_that_are_not_ids_come_back_as_they_were() {
    let questionnaire = json!({
        "resourceType": "Questionnaire", "status": "active", "url": "http://example.org/Questionnaire/diabetes",
        "item": [
            { "linkId": "1", "type": "choice", "answerOption": [
                { "valueCoding": { "code": "Insulin Treated" } },
                { "valueCoding": { "code": "Diet only" } } ] },
            { "linkId": "4.1", "type": "boolean",
              "enableWhen": [{ "question": "1", "operator": "=", "answerCoding": { "code": "Insulin Treated" } }] },
            { "linkId": "/44250-9", "type": "string" }
        ]
    });
    let q = survey(&questionnaire);
    let ids: Vec<&str> = q.question_ids().collect();
    assert_eq!(ids, ["q1", "q4_1", "q_44250-9"]);
    let choices: Vec<&str> = q.definition().questions[0]
        .choices
        .iter()
        .flatten()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(choices, ["Insulin_Treated", "Diet_only"]);
    // Export gives back the original linkIds, codes and condition.
    for version in [FhirVersion::R4, FhirVersion::R5] {
        let exported = q.fhir_questionnaire(version, None);
        let links: Vec<&str> = exported["item"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["linkId"].as_str().unwrap())
            .collect();
        assert_eq!(links, ["1", "4.1", "/44250-9"]);
        assert_eq!(
            exported["item"][0]["answerOption"][0]["valueCoding"],
            json!({ "code": "Insulin Treated", "display": "Insulin Treated" })
        );
        assert_eq!(
            exported["item"][1]["enableWhen"],
            json!([{ "question": "1", "operator": "=", "answerCoding": { "code": "Insulin Treated" } }])
        );
        assert_eq!(exported["url"], "http://example.org/Questionnaire/diabetes");
    }
    // So do responses, and reading one back gives the answer set.
    let answers = json!({ "q1": "Insulin_Treated", "q4_1": true, "q_44250-9": "x" });
    let response = q.fhir_response(&answers, false).expect("writes");
    assert_eq!(
        response["item"][0],
        json!({ "linkId": "1", "answer": [{ "valueCoding": { "code": "Insulin Treated" } }] })
    );
    assert_eq!(response["item"][1]["linkId"], "4.1");
    assert_eq!(response["item"][2]["linkId"], "/44250-9");
    assert_eq!(q.answers_from_response(&response).unwrap().answers, answers);
    assert!(q.is_valid(&answers));
}

#[test]
fn fhir_problem_codes_are_distinct_and_stable_text() {
    let texts: Vec<&str> = FhirProblemCode::ALL.iter().map(|c| c.as_str()).collect();
    let mut unique = texts.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), texts.len(), "{texts:?}");
    for code in FhirProblemCode::ALL {
        let text = code.as_str();
        assert!(
            text.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'),
            "{text}"
        );
        assert_eq!(code.to_string(), text);
    }
}

#[test]
fn a_required_repeating_item_asks_for_one_answer_and_empty_answers_keep_their_verdict() {
    // FHIR's `required` on a repeating choice asks for one answer: `[]` is refused, as the
    // response made of it (which cannot hold `[]`) is.
    let imported = survey(&json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [{ "linkId": "q1", "text": "Q1", "type": "choice", "repeats": true, "required": true,
                   "answerOption": [{ "valueCoding": { "code": "a", "display": "A" } }] }]
    }));
    let empty = json!({ "q1": [] });
    assert!(!imported.is_valid(&empty));
    let response = imported.fhir_response(&empty, false).expect("writes");
    assert!(!check(&imported, &response["item"], "completed").0);
    // The format's own `required` is answered by `[]`; FHIR cannot write it, and leaving it
    // out would make the answer set invalid: the response is refused there.
    let own = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  - {id: q1, type: multiple_choice, title: Q1, required: true, choices: [{value: a, label: A}]}\n  - {id: q2, type: multiple_choice, title: Q2, choices: [{value: a, label: A}]}\n",
    )
    .unwrap();
    assert!(own.is_valid(&empty));
    let refused = own.fhir_response(&empty, false).unwrap_err();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].code, FhirProblemCode::Unrepresentable);
    assert_eq!(refused[0].path, "/q1");
    // Where leaving it out keeps the verdict, the empty answer is left out.
    let response = own
        .fhir_response(&json!({ "q1": ["a"], "q2": [] }), false)
        .unwrap();
    assert_eq!(response["item"].as_array().map(Vec::len), Some(1));
    // Its export says that `[]` answers it (minOccurs 0), and so its import reads it back.
    let exported = own.fhir_questionnaire(FhirVersion::R4, None);
    let back = survey(&exported);
    assert!(back.is_valid(&empty));
}

#[test]
fn a_coding_without_a_code_is_told_by_its_display() {
    // LHC-Forms and android-fhir forms write options with a display alone.
    let questionnaire = json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [
            { "linkId": "mood", "text": "Mood", "type": "choice",
              "answerOption": [{ "valueCoding": { "display": "Strongly agree" } },
                               { "valueCoding": { "display": "Disagree" } },
                               { "valueCoding": { "display": "気分" } }] },
            { "linkId": "why", "text": "Why", "type": "string",
              "enableWhen": [{ "question": "mood", "operator": "=",
                               "answerCoding": { "display": "Disagree" } }] }
        ]
    });
    let imported = survey(&questionnaire);
    let def = imported.definition();
    let values: Vec<&str> = def.questions[0]
        .choices
        .iter()
        .flatten()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(values, ["Strongly_agree", "Disagree", "option_3"]);
    assert!(imported.is_valid(&json!({ "mood": "Disagree", "why": "w" })));
    assert!(!imported.is_valid(&json!({ "mood": "Strongly_agree", "why": "w" })));
    // Export and responses write the display, never `"code": ""`.
    for version in [FhirVersion::R4, FhirVersion::R5] {
        let exported = imported.fhir_questionnaire(version, None);
        let text = exported.to_string();
        assert!(!text.contains("\"code\":\"\""), "{exported:#}");
        assert_eq!(
            exported["item"][0]["answerOption"][2]["valueCoding"],
            json!({ "display": "気分" })
        );
        assert_eq!(
            exported["item"][1]["enableWhen"][0]["answerCoding"],
            json!({ "display": "Disagree" })
        );
        let back = survey(&exported);
        assert_eq!(back.definition().questions, def.questions);
    }
    let answers = json!({ "mood": "Disagree", "why": "w" });
    let response = imported.fhir_response(&answers, false).expect("writes");
    assert_eq!(
        response["item"][0]["answer"][0]["valueCoding"],
        json!({ "display": "Disagree" })
    );
    // A response that names the option by its display is read back as that choice.
    assert_eq!(
        check(&imported, &response["item"], "completed"),
        (true, vec![])
    );
    let other =
        json!([{ "linkId": "mood", "answer": [{ "valueCoding": { "display": "Agree" } }] }]);
    assert_eq!(check(&imported, &other, "completed").1, ["unknown_choice"]);
    // A Coding with neither is refused at its place.
    let bare = json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [{ "linkId": "q", "text": "Q", "type": "choice",
                   "answerOption": [{ "valueCoding": { "system": "urn:x" } }] }]
    });
    let Err(Error::Fhir(problems)) = Survey::from_questionnaire(&bare) else {
        panic!("imports a Coding with neither a code nor a display");
    };
    assert_eq!(
        problems[0].path,
        "Questionnaire.item[0].answerOption[0].valueCoding"
    );
}

/// LOINC's PHQ-9 writes `questionnaire-minOccurs: 1` on its single-answer items to mean
/// "required": it imports as such; `maxOccurs: 1` is the one answer the item takes anyway;
/// two answers on an item that takes one are refused at the extension.
#[test]
fn min_occurs_one_on_a_single_answer_item_means_required() {
    const MIN: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs";
    const MAX: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs";
    let questionnaire = |min: u32| {
        json!({ "resourceType": "Questionnaire", "status": "active", "item": [
            { "linkId": "q1", "text": "Little interest?", "type": "choice",
              "extension": [
                  { "url": MIN, "valueInteger": min },
                  { "url": MAX, "valueInteger": 1 }
              ],
              "answerOption": [
                  { "valueCoding": { "system": "http://loinc.org", "code": "LA6568-5", "display": "Not at all" } },
                  { "valueCoding": { "system": "http://loinc.org", "code": "LA6569-3", "display": "Several days" } }
              ] }
        ] })
    };
    let survey = survey(&questionnaire(1));
    let q1 = &survey.definition().questions[0];
    assert!(q1.required, "minOccurs 1 is required");
    assert!(!survey.is_valid(&json!({})));
    assert!(
        !survey_schema::fhir::import(&questionnaire(0))
            .unwrap()
            .questions[0]
            .required
    );
    let Err(problems) = survey_schema::fhir::import(&questionnaire(2)) else {
        panic!("two answers on a single choice import");
    };
    assert_eq!(problems[0].code, FhirProblemCode::UnsupportedExtension);
    assert!(
        problems[0]
            .path
            .starts_with("Questionnaire.item[0].extension[0]"),
        "{}",
        problems[0].path
    );
}
