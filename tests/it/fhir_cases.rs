//! The FHIR acceptance cases (the shared folder's `fhir-cases`, its README says where each
//! came from; read from there, skipped and said so where it is missing, required on CI): HL7 fhir-test-cases `Questionnaire` + `QuestionnaireResponse` pairs with the
//! verdicts the HL7 Java validator records, and LHC-Forms and HL7 Questionnaires that must
//! import or be refused with a named problem. Every imported form round-trips: the R4 and R5
//! exports keep its linkIds and its enableWhen, and the R4 export gives each response the
//! verdict the original gives.

use std::path::Path;

use crate::common;

use serde_json::Value;
use survey_schema::fhir::FhirVersion;
use survey_schema::{Error, Survey, ValidateOptions};

fn read(dir: &Path, relative: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(relative)).expect("a case file reads");
    serde_json::from_str(&text).expect("a case file is JSON")
}

fn cases(dir: &Path) -> Vec<Value> {
    read(dir, "cases.json").as_array().expect("a list").clone()
}

/// The verdict of a response: read as answers (a draft when `in-progress`), validated.
fn verdict(survey: &Survey, response: &Value) -> (bool, Vec<String>) {
    let converted = survey
        .answers_from_response(response)
        .expect("a QuestionnaireResponse converts");
    let options = ValidateOptions {
        partial: converted.partial,
        ..ValidateOptions::default()
    };
    let report = survey.validate_with(&converted.answers, &options);
    let issues = report
        .issues
        .iter()
        .map(|i| format!("{} {}", i.code.as_str(), converted.locate(&i.path)))
        .collect();
    (report.is_valid(), issues)
}

/// The non-display linkIds of a Questionnaire, in order, and its number of enableWhen.
fn shape(questionnaire: &Value) -> (Vec<String>, usize, Vec<String>) {
    fn walk(
        items: &Value,
        links: &mut Vec<String>,
        conditions: &mut usize,
        types: &mut Vec<String>,
    ) {
        for item in items.as_array().into_iter().flatten() {
            let item_type = item["type"].as_str().unwrap_or("").to_owned();
            if item_type != "display" {
                links.push(item["linkId"].as_str().unwrap_or("").to_owned());
            }
            *conditions += item["enableWhen"].as_array().map_or(0, Vec::len);
            types.push(item_type);
            walk(&item["item"], links, conditions, types);
        }
    }
    let (mut links, mut conditions, mut types) = (Vec::new(), 0, Vec::new());
    walk(
        &questionnaire["item"],
        &mut links,
        &mut conditions,
        &mut types,
    );
    (links, conditions, types)
}

/// Export R4 and R5: same linkIds and enableWhen count, the release's choice type; the R4
/// export, read back, gives each response the original's verdict.
fn round_trip(name: &str, original: &Value, survey: &Survey, responses: &[Value]) {
    let (links, conditions, _) = shape(original);
    for version in [FhirVersion::R4, FhirVersion::R5] {
        let exported = survey.fhir_questionnaire(version, None);
        let (out_links, out_conditions, types) = shape(&exported);
        assert_eq!(out_links, links, "{name} {version:?}: linkIds");
        assert_eq!(
            out_conditions, conditions,
            "{name} {version:?}: enableWhen count"
        );
        let wrong = if version == FhirVersion::R4 {
            "coding"
        } else {
            "choice"
        };
        assert!(
            !types.iter().any(|t| t == wrong),
            "{name} {version:?}: `{wrong}` items"
        );
        if version == FhirVersion::R4 {
            let back = Survey::from_questionnaire(&exported)
                .unwrap_or_else(|e| panic!("{name}: the R4 export does not load: {e}"));
            for response in responses {
                assert_eq!(
                    verdict(&back, response).0,
                    verdict(survey, response).0,
                    "{name}: the R4 export gives {response} another verdict"
                );
            }
        }
    }
}

#[test]
fn recorded_verdicts_of_the_hl7_validator_hold() {
    let mut matched = Vec::new();
    let mut missed = Vec::new();
    let Some(dir) = common::shared("fhir-cases") else {
        return;
    };
    for case in cases(&dir).iter().filter(|c| c["kind"] == "validate") {
        let name = case["questionnaire"].as_str().unwrap_or("");
        let questionnaire = read(&dir, name);
        let response = read(&dir, case["response"].as_str().unwrap_or(""));
        let survey = Survey::from_questionnaire(&questionnaire)
            .unwrap_or_else(|e| panic!("{name}: does not import: {e}"));
        let (valid, issues) = verdict(&survey, &response);
        if valid == case["expect_valid"].as_bool().unwrap_or(false) {
            matched.push(name.to_owned());
        } else {
            missed.push(format!(
                "{name}: expected {} got {issues:?}",
                case["expect_valid"]
            ));
        }
        round_trip(
            name,
            &questionnaire,
            &survey,
            std::slice::from_ref(&response),
        );
    }
    assert_eq!(matched.len() + missed.len(), 44, "the 44 validation cases");
    assert!(
        missed.is_empty(),
        "verdicts that differ from the HL7 validator: {missed:#?}"
    );
}

#[test]
fn imports_and_refusals_hold() {
    let mut seen = 0;
    let Some(dir) = common::shared("fhir-cases") else {
        return;
    };
    for case in cases(&dir).iter().filter(|c| c["kind"] == "import") {
        seen += 1;
        let name = case["questionnaire"].as_str().unwrap_or("");
        let questionnaire = read(&dir, name);
        let result = Survey::from_questionnaire(&questionnaire);
        match (case["expect_import"].as_str(), result) {
            (Some("ok"), Ok(survey)) => round_trip(name, &questionnaire, &survey, &[]),
            (Some("refused"), Err(Error::Fhir(problems))) => {
                assert!(!problems.is_empty(), "{name}: refused without a problem");
                for problem in &problems {
                    assert!(
                        problem.path.starts_with("Questionnaire"),
                        "{name}: {problem}"
                    );
                    assert!(!problem.message.is_empty(), "{name}: {problem}");
                }
            }
            (Some("refused"), Err(Error::Check(error))) => {
                assert!(
                    !error.problems.is_empty(),
                    "{name}: refused without a problem"
                );
            }
            (expected, got) => panic!(
                "{name}: expected {expected:?}, got {:?}",
                got.map(|s| s.id().to_owned())
            ),
        }
    }
    assert_eq!(seen, 15, "the 15 import cases");
}

#[test]
fn public_lhc_forms_questionnaires_import_or_are_refused_with_a_named_problem() {
    let Some(public) = common::shared("fhir-cases/public") else {
        return;
    };
    for (name, code) in [
        ("q-required-with-parent-enableWhen.json", "expression"),
        ("date-in-repeating-group.json", "unsupported_type"),
        ("q-3-level-deep.json", "nested_question"),
    ] {
        match Survey::from_questionnaire(&read(&public, name)) {
            Err(Error::Fhir(problems)) => {
                assert_eq!(
                    problems.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(),
                    [code],
                    "{name}"
                );
            }
            other => panic!(
                "{name}: expected {code}, got {:?}",
                other.map(|s| s.id().to_owned())
            ),
        }
    }
    let questionnaire = read(&public, "q-with-minOccurs-maxOccurs.json");
    let survey = Survey::from_questionnaire(&questionnaire).expect("imports");
    // The responses and their verdicts are the project's own, beside the tests.
    let cases = read(
        &common::root().join("tests/fixtures/fhir"),
        "q-with-minOccurs-maxOccurs.responses.json",
    );
    let cases = cases.as_array().expect("a list");
    let responses: Vec<Value> = cases.iter().map(|c| c["response"].clone()).collect();
    for case in cases {
        let (valid, issues) = verdict(&survey, &case["response"]);
        assert_eq!(
            valid,
            case["expect_valid"].as_bool().unwrap_or(false),
            "{}: {} ({issues:?})",
            case["name"],
            case["why"]
        );
    }
    round_trip(
        "q-with-minOccurs-maxOccurs",
        &questionnaire,
        &survey,
        &responses,
    );
}

/// Every Questionnaire of the shared folder that imports (the import cases, `public/` and
/// `world/`), by file: `None` where the folder is missing (the test says it was skipped).
pub(crate) fn imported_forms() -> Option<Vec<(String, Survey)>> {
    let dir = common::shared("fhir-cases")?;
    let mut files = Vec::new();
    for folder in ["imports", "public", "world"] {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("reads");
        let Ok(questionnaire) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if questionnaire["resourceType"] != "Questionnaire" {
            continue;
        }
        if let Ok(survey) = Survey::from_questionnaire(&questionnaire) {
            out.push((path.display().to_string(), survey));
        }
    }
    Some(out)
}

/// Every Questionnaire of the shared folder that imports: generated answer sets and the
/// responses made from them get the same verdict.
#[test]
fn answer_sets_of_imported_forms_and_their_responses_agree() {
    let Some(forms) = imported_forms() else {
        return;
    };
    let (mut imported, mut checked) = (0, 0);
    for (seed, (what, survey)) in forms.into_iter().enumerate() {
        imported += 1;
        for version in [FhirVersion::R4, FhirVersion::R5] {
            let back = survey.fhir_questionnaire(version, None);
            crate::fhir::assert_no_empties(&back, &format!("{what} exported"));
        }
        let sets = crate::fhir::answer_sets(&survey, seed as u64, 40);
        for answers in &sets {
            if let Ok(response) = survey.fhir_response(answers, true) {
                crate::fhir::assert_no_empties(&response, &format!("{what} response of {answers}"));
            }
        }
        checked += crate::fhir::response_round_trip(&survey, &sets, &what);
    }
    assert!(imported >= 10, "only {imported} forms imported");
    assert!(checked >= 500, "only {checked} answer sets checked");
    eprintln!("{imported} imported forms, {checked} answer sets");
}
