//! Arbitrary bytes as a FHIR QuestionnaireResponse of the bundled surveys (`fhir answers` and
//! the validation of a response): reading never panics; the answers read are validated, a
//! response in progress as a draft, and written back as a response without a panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use survey_schema::{Format, Limits, Survey, ValidateOptions, parse_answers};

static SURVEYS: LazyLock<Vec<Survey>> = LazyLock::new(|| {
    [
        include_str!("../../schema/mhlw-hospital-cybersecurity-2024.yaml"),
        include_str!("../../schema/mhlw-cybersecurity-checklist-2024.yaml"),
        include_str!("../../tests/fixtures/systems-repeat.yaml"),
    ]
    .iter()
    .map(|text| Survey::from_yaml(text).expect("a bundled survey loads"))
    .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = parse_answers(text, Format::Json, &Limits::default()) else {
        return;
    };
    for survey in SURVEYS.iter() {
        if let Ok(converted) = survey.answers_from_response(&value) {
            let options = ValidateOptions {
                partial: converted.partial,
                ..ValidateOptions::default()
            };
            let report = survey.validate_with(&converted.answers, &options);
            assert_eq!(
                report.is_valid(),
                survey.is_valid_with(&converted.answers, &options),
                "validate and is_valid disagree on a response's answers"
            );
            let _ = survey.fhir_response(&converted.answers, converted.partial);
        }
    }
});
