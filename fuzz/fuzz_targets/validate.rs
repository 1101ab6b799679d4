//! Arbitrary bytes as a JSON answer set for the MHLW survey: validation never panics, and
//! `is_valid`, `validate` and `prune` agree with each other.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use survey_schema::{Format, IssueCode, Limits, Survey, ValidateOptions, parse_answers};

static SURVEY: LazyLock<Survey> = LazyLock::new(|| {
    Survey::from_yaml(include_str!(
        "../../schema/mhlw-hospital-cybersecurity-2024.yaml"
    ))
    .unwrap()
});

fuzz_target!(|data: &[u8]| {
    let survey = &*SURVEY;
    let options = ValidateOptions::default();
    let Ok(report) = survey.validate_json(data, &options) else {
        return;
    };
    assert_eq!(
        survey.is_valid_json(data, &options).unwrap(),
        report.is_valid()
    );
    // Parsed as validate_json parses it (a byte order mark, for one, is skipped).
    let text = std::str::from_utf8(data).unwrap();
    let answers = parse_answers(text, Format::Json, &Limits::default()).unwrap();
    let pruned = survey.prune(&answers);
    assert_eq!(survey.prune(&pruned), pruned);
    assert!(
        survey
            .validate(&pruned)
            .issues
            .iter()
            .all(|i| i.code != IssueCode::AnsweredWhileDisabled)
    );
    let _ = survey.enabled(&answers);
    let _ = survey.progress(&answers);
});
