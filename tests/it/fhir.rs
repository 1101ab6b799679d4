//! FHIR both ways, held on generated surveys: export (R4 and R5) then import gives a survey
//! with the same verdict, the same issue codes and the same paths on every generated answer
//! set; the import writes YAML that loads back to the same definition; an answer set written
//! as a `QuestionnaireResponse` and read back gets the verdict of the answer set without its
//! empty answers (`{}`, `[]`), which FHIR cannot write: an item without an answer and a group
//! without an answered item are unanswered.

use crate::common;

use common::{Rng, mhlw, random_answers, random_survey, valid_answers};
use serde_json::{Value, json};
use survey_schema::fhir::FhirVersion;
use survey_schema::{Locale, Survey, ValidateOptions};

const CHECKLIST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schema/mhlw-cybersecurity-checklist-2024.yaml"
);

fn options(partial: bool) -> ValidateOptions {
    ValidateOptions {
        partial,
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    }
}

fn verdict(survey: &Survey, answers: &Value, partial: bool) -> (bool, Vec<(String, String)>) {
    let report = survey.validate_with(answers, &options(partial));
    let mut issues: Vec<(String, String)> = report
        .issues
        .iter()
        .map(|i| (i.code.as_str().to_owned(), i.path.clone()))
        .collect();
    issues.sort();
    (report.is_valid(), issues)
}

/// Export, import, and the imported survey as YAML loaded back.
fn round_trip(survey: &Survey, version: FhirVersion, what: &str) -> Survey {
    let questionnaire = survey.fhir_questionnaire(version, None);
    let definition = survey_schema::fhir::import(&questionnaire).unwrap_or_else(|problems| {
        panic!("{what}: the export does not import: {problems:#?}\n{questionnaire:#}")
    });
    let yaml = serde_saphyr::to_string(&definition).expect("a definition serializes");
    let back = Survey::from_yaml(&yaml)
        .unwrap_or_else(|e| panic!("{what}: the imported YAML does not load: {e}\n{yaml}"));
    assert_eq!(
        back.definition(),
        &definition,
        "{what}: YAML changed the definition"
    );
    back
}

fn same_verdicts(original: &Survey, back: &Survey, answer_sets: &[Value], what: &str) {
    for answers in answer_sets {
        for partial in [false, true] {
            assert_eq!(
                verdict(original, answers, partial),
                verdict(back, answers, partial),
                "{what}: verdicts differ (partial: {partial}) on {answers}"
            );
        }
    }
}

pub(crate) fn answer_sets(survey: &Survey, seed: u64, n: usize) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    let mut sets: Vec<Value> = survey_schema::analysis::examples(survey, true);
    for i in 0..n {
        sets.push(if i % 2 == 0 {
            valid_answers(&mut rng, survey)
        } else {
            random_answers(&mut rng, survey)
        });
    }
    sets
}

#[test]
fn bundled_surveys_round_trip_through_fhir() {
    let checklist = Survey::from_path(CHECKLIST).expect("the checklist loads");
    for (name, survey) in [("mhlw", mhlw()), ("checklist", checklist)] {
        let sets = answer_sets(&survey, 7, 300);
        for version in [FhirVersion::R4, FhirVersion::R5] {
            let back = round_trip(&survey, version, name);
            same_verdicts(&survey, &back, &sets, name);
        }
    }
}

#[test]
fn generated_surveys_round_trip_through_fhir() {
    for seed in 0..300 {
        let (survey, _) = random_survey(seed);
        let sets = answer_sets(&survey, seed, 30);
        for version in [FhirVersion::R4, FhirVersion::R5] {
            let back = round_trip(&survey, version, &format!("seed {seed}"));
            same_verdicts(&survey, &back, &sets, &format!("seed {seed} {version:?}"));
        }
    }
}

/// The answer set without empty objects and arrays, at any depth (an emptied one goes too).
fn without_empty(value: &Value) -> Option<Value> {
    match value {
        Value::Object(map) => {
            let kept: serde_json::Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| without_empty(v).map(|v| (k.clone(), v)))
                .collect();
            (!kept.is_empty()).then_some(Value::Object(kept))
        }
        Value::Array(items) => {
            let kept: Vec<Value> = items.iter().filter_map(without_empty).collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        other => Some(other.clone()),
    }
}

pub(crate) fn response_round_trip(survey: &Survey, sets: &[Value], what: &str) -> usize {
    let mut checked = 0;
    for answers in sets {
        for partial in [false, true] {
            let response = match survey.fhir_response(answers, partial) {
                Ok(response) => response,
                Err(problems) => {
                    // Empty answers are refused only where leaving them out (as FHIR must)
                    // changes the verdict; null or a wrong structure FHIR cannot hold at all
                    // (their own test below).
                    if problems.iter().any(|p| p.message.contains("empty answer")) {
                        let kept = without_empty(answers).unwrap_or_else(|| json!({}));
                        assert_ne!(
                            verdict(survey, answers, partial).0,
                            verdict(survey, &kept, partial).0,
                            "{what}: refused, but leaving out the empty answers keeps the verdict\n{answers}\n{problems}"
                        );
                    }
                    continue;
                }
            };
            let converted = survey
                .answers_from_response(&response)
                .unwrap_or_else(|p| panic!("{what}: {p:?}"));
            assert_eq!(converted.partial, partial, "{what}: status");
            // The verdict always; the codes unless a value had the wrong JSON type (a scalar
            // for a multiple choice reads back as a list of one, which FHIR cannot tell
            // apart) or an empty answer was left out (`[]` under `min_selections` reads back
            // as missing); paths not (the list's item, for the same reason).
            let emptied = without_empty(answers).as_ref() != Some(answers);
            let codes = |(valid, issues): (bool, Vec<(String, String)>)| {
                let mut codes: Vec<String> = issues.into_iter().map(|(code, _)| code).collect();
                codes.dedup();
                if emptied || codes.iter().any(|c| c == "wrong_type") {
                    codes.clear();
                }
                (valid, codes)
            };
            let (before, after) = (
                codes(verdict(survey, answers, partial)),
                codes(verdict(survey, &converted.answers, converted.partial)),
            );
            assert_eq!(
                (
                    before.0,
                    before.1.is_empty() || after.1.is_empty() || before.1 == after.1
                ),
                (after.0, true),
                "{what}: the response reads back with another verdict\n{answers}\n{response:#}\n{}",
                converted.answers
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn answers_round_trip_through_questionnaire_responses() {
    let checklist = Survey::from_path(CHECKLIST).expect("the checklist loads");
    let mut checked = 0;
    for (name, survey) in [("mhlw", mhlw()), ("checklist", checklist)] {
        checked += response_round_trip(&survey, &answer_sets(&survey, 11, 300), name);
    }
    for seed in 0..300 {
        let (survey, _) = random_survey(seed);
        checked += response_round_trip(
            &survey,
            &answer_sets(&survey, seed, 20),
            &format!("seed {seed}"),
        );
    }
    assert!(
        checked > 10_000,
        "only {checked} answer sets could be written"
    );
}

/// Where a FHIR JSON value holds an empty string, array or object (FHIR JSON has none).
fn empties(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) if s.is_empty() => out.push(at.to_owned()),
        Value::Array(items) if items.is_empty() => out.push(at.to_owned()),
        Value::Object(map) if map.is_empty() => out.push(at.to_owned()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                empties(item, &format!("{at}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                empties(v, &format!("{at}.{k}"), out);
            }
        }
        _ => {}
    }
}

pub(crate) fn assert_no_empties(value: &Value, what: &str) {
    let mut found = Vec::new();
    empties(value, "", &mut found);
    assert!(found.is_empty(), "{what}: empty at {found:?}\n{value:#}");
}

#[test]
fn exported_questionnaires_and_responses_hold_no_empty_string_array_or_object() {
    let checklist = Survey::from_path(CHECKLIST).expect("the checklist loads");
    let mut surveys = vec![
        ("mhlw".to_owned(), mhlw()),
        ("checklist".to_owned(), checklist),
    ];
    surveys.extend((0..300).map(|seed| (format!("seed {seed}"), random_survey(seed).0)));
    let mut responses = 0;
    for (seed, (what, survey)) in (0u64..).zip(&surveys) {
        for version in [FhirVersion::R4, FhirVersion::R5] {
            for locale in [None, Some("en")] {
                let questionnaire = survey.fhir_questionnaire(version, locale);
                assert_no_empties(&questionnaire, &format!("{what} {version:?} Questionnaire"));
            }
        }
        // Answer sets as generated: empty selections, groups and instances included.
        for answers in answer_sets(survey, seed, 20) {
            for partial in [false, true] {
                if let Ok(response) = survey.fhir_response(&answers, partial) {
                    assert_no_empties(&response, &format!("{what} response of {answers}"));
                    responses += 1;
                }
            }
        }
    }
    assert!(responses > 5_000, "only {responses} responses written");
}

#[test]
fn an_empty_selection_is_written_as_unanswered() {
    let survey = Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  - {id: m, type: multiple_choice, title: M, choices: [{value: a, label: A}]}\n  - {id: R, type: repeat, title: R, fields: [{id: f, type: boolean, title: f}]}\n",
    )
    .unwrap();
    let response = survey
        .fhir_response(&serde_json::json!({"m": [], "R": [{}]}), false)
        .unwrap();
    assert_no_empties(&response, "response");
    assert!(response.get("item").is_none(), "{response:#}");
    let back = survey.answers_from_response(&response).unwrap();
    assert_eq!(back.answers, serde_json::json!({}));
}

/// What a definition says of its sources, per question, row and choice: the printed number,
/// the inferred marks, and whether a row is optional.
fn marks(definition: &survey_schema::definition::SurveyDefinition) -> Vec<String> {
    use survey_schema::definition::QuestionDef;
    fn walk(questions: &[QuestionDef], out: &mut Vec<String>) {
        for q in questions {
            out.push(format!("{} {:?} {:?}", q.id, q.number, q.inferred));
            // An import writes a choice set's choices out: only the marked choices compare.
            for c in q
                .choices
                .iter()
                .flatten()
                .filter(|c| !c.inferred.is_empty())
            {
                out.push(format!("{}.{} {:?}", q.id, c.value, c.inferred));
            }
            for r in q.rows.iter().flatten() {
                out.push(format!(
                    "{}/{} {:?} {} {:?}",
                    q.id, r.id, r.number, r.optional, r.inferred
                ));
            }
            for list in [&q.fields, &q.questions, &q.columns] {
                walk(list.as_deref().unwrap_or_default(), out);
            }
        }
    }
    let mut out = vec![format!("survey {:?}", definition.inferred)];
    walk(&definition.questions, &mut out);
    out
}

#[test]
fn numbers_inferences_and_optional_rows_survive_fhir() {
    let checklist = Survey::from_path(CHECKLIST).expect("the checklist loads");
    let mut surveys = vec![
        ("mhlw".to_owned(), mhlw()),
        ("checklist".to_owned(), checklist),
    ];
    surveys.extend((0..100).map(|seed| (format!("seed {seed}"), random_survey(seed).0)));
    for (name, survey) in surveys {
        let before = marks(survey.definition());
        assert!(
            before.iter().any(|m| m.contains("Some(")),
            "{name} has numbers"
        );
        for version in [FhirVersion::R4, FhirVersion::R5] {
            let questionnaire = survey.fhir_questionnaire(version, None);
            let back = survey_schema::fhir::import(&questionnaire).expect("imports");
            assert_eq!(marks(&back), before, "{name} {version:?}");
        }
    }
}
