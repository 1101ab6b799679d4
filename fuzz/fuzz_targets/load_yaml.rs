//! Arbitrary bytes as a YAML survey: load and check never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use survey_schema::{Format, Limits, Survey};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Survey::load(text, Format::Yaml, &Limits::default());
    }
});
