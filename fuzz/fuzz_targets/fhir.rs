//! Arbitrary bytes as a FHIR Questionnaire and QuestionnaireResponse: import never panics;
//! a Questionnaire that imports and checks exports (R4 and R5) to one that imports again, and
//! a response (the input itself, read as one) converts to answers that validate and write back
//! as a response without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use survey_schema::fhir::FhirVersion;
use survey_schema::{Format, Limits, Survey, parse_answers};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = parse_answers(text, Format::Json, &Limits::default()) else {
        return;
    };
    let Ok(survey) = Survey::from_questionnaire(&value) else {
        return;
    };
    for version in [FhirVersion::R4, FhirVersion::R5] {
        let exported = survey.fhir_questionnaire(version, None);
        assert!(
            Survey::from_questionnaire(&exported).is_ok(),
            "the export of an imported Questionnaire does not import"
        );
    }
    let response = serde_json::json!({
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": value.get("item").cloned().unwrap_or_default(),
    });
    if let Ok(converted) = survey.answers_from_response(&response) {
        let _ = survey.validate(&converted.answers);
        let _ = survey.fhir_response(&converted.answers, converted.partial);
    }
});
