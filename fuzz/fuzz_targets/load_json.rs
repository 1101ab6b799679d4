//! Arbitrary bytes as a JSON survey: load and check never panic; a survey that loads
//! generates a JSON Schema.
#![no_main]

use libfuzzer_sys::fuzz_target;
use survey_schema::{Format, Limits, Survey};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(survey) = Survey::load(text, Format::Json, &Limits::default()) {
            let _ = survey_schema::json_schema::generate(&survey, &Default::default());
        }
    }
});
