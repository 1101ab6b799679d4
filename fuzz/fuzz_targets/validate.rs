//! Arbitrary bytes as a JSON answer set for the MHLW survey and for the checklist (sections,
//! tables): validation never panics;
//! `validate_json` refuses exactly what `parse_answers` refuses and reports what `validate`
//! reports on the parsed value; `is_valid`, `validate` and `prune` agree with each other; and
//! `row_json` gives the same report and the cells `row` makes.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use survey_schema::{Format, IssueCode, Limits, Survey, ValidateOptions, parse_answers};

static SURVEYS: LazyLock<[Survey; 2]> = LazyLock::new(|| {
    [
        Survey::from_yaml(include_str!(
            "../../schema/mhlw-hospital-cybersecurity-2024.yaml"
        ))
        .unwrap(),
        Survey::from_yaml(include_str!(
            "../../schema/mhlw-cybersecurity-checklist-2024.yaml"
        ))
        .unwrap(),
    ]
});

fuzz_target!(|data: &[u8]| {
    for survey in &*SURVEYS {
        check(survey, data);
    }
});

fn check(survey: &Survey, data: &[u8]) {
    let options = ValidateOptions::default();
    // Parsed as validate_json parses it (a byte order mark, for one, is skipped).
    let parsed = std::str::from_utf8(data)
        .ok()
        .map(|text| parse_answers(text, Format::Json, &Limits::default()));
    let report = match survey.validate_json(data, &options) {
        Ok(report) => report,
        Err(error) => {
            if let Some(parsed) = parsed {
                assert_eq!(parsed.unwrap_err().to_string(), error.to_string());
            }
            return;
        }
    };
    assert_eq!(
        survey.is_valid_json(data, &options).unwrap(),
        report.is_valid()
    );
    let answers = parsed.unwrap().unwrap();
    assert_eq!(survey.validate_with(&answers, &options), report);
    // The analysis table's one-walk row path: the same report, and the cells `row` makes
    // from the parsed value.
    let tables = survey_schema::tabular::tables(&survey);
    let row = format!(
        "{:?}",
        survey_schema::tabular::row(&survey, &tables.columns, &answers)
    );
    survey_schema::tabular::row_json(&survey, &tables, data, &options, |fast_report, fast| {
        assert_eq!(fast_report, &report);
        assert_eq!(format!("{:?}", fast.cells), row);
    })
    .unwrap();
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
}
