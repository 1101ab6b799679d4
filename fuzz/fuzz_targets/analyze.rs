//! Arbitrary bytes as a YAML survey: a survey that loads is analysed, covered by examples
//! and its paths counted, within the analysis's bounds, without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use survey_schema::{Format, Limits, Survey};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(survey) = Survey::load(text, Format::Yaml, &Limits::default())
    {
        let analysis = survey_schema::analysis::analyze(&survey);
        for witness in &analysis.witnesses {
            let _ = survey.is_valid(witness);
        }
        for answers in survey_schema::analysis::examples(&survey, false) {
            assert!(
                survey.is_valid(&answers),
                "an example is invalid: {answers}"
            );
        }
        let _ = survey_schema::analysis::paths(&survey);
    }
});
