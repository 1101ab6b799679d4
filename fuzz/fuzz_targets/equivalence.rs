//! An arbitrary small survey and answer set (JSON, separated by a NUL byte): when the survey
//! loads and the answers parse, the native verdict equals the `jsonschema` crate's on the
//! generated schema.
#![no_main]

use libfuzzer_sys::fuzz_target;
use survey_schema::json_schema::{Draft, JsonSchemaOptions};
use survey_schema::{Format, Limits, Survey, parse_answers};

fuzz_target!(|data: &[u8]| {
    let Some(split) = data.iter().position(|b| *b == 0) else {
        return;
    };
    let (Ok(survey_text), Ok(answers_text)) = (
        std::str::from_utf8(&data[..split]),
        std::str::from_utf8(&data[split + 1..]),
    ) else {
        return;
    };
    let limits = Limits {
        max_questions: 64,
        ..Limits::default()
    };
    let Ok(survey) = Survey::load(survey_text, Format::Json, &limits) else {
        return;
    };
    let Ok(answers) = parse_answers(answers_text, Format::Json, &limits) else {
        return;
    };
    for draft in [Draft::Draft07, Draft::Draft2020_12] {
        let schema =
            survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::new(draft, None))
                .to_value();
        let validator = jsonschema::validator_for(&schema).expect("generated schema compiles");
        assert_eq!(
            survey.is_valid(&answers),
            validator.is_valid(&answers),
            "verdicts differ\nsurvey: {survey_text}\nanswers: {answers_text}"
        );
    }
});
