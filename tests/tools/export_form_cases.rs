//! Writes surveys with everything a form needs and the native verdicts on their answer sets,
//! one survey a line, for `tests/browser/forms.test.mjs`: the strict and form schemas, the
//! error messages in both locales, and per answer set the native issues (both locales) and
//! the lenient verdict (without the rules that compare two answers, which the schemas cannot
//! hold). The MHLW survey with 2,000 generated answer sets, the checklist with 300, then 150
//! generated surveys with 25 each; each survey also with its covering examples
//! (`analysis::examples(true)`: valid answer sets that enable every question and make each test
//! of each condition true and false).
//!
//! `cargo run --example export_form_cases > target/form-cases.jsonl`

#[path = "../it/common/mod.rs"]
mod common;

use std::io::Write;

use serde_json::{Value, json};
use survey_schema::json_schema::{Draft, JsonSchemaOptions};
use survey_schema::{Locale, Survey, ValidateOptions};

fn line(name: &str, survey: &Survey, answer_sets: Vec<Value>) -> Value {
    let strict = JsonSchemaOptions::new(Draft::Draft07, None);
    let mut form = strict.clone();
    form.form = true;
    let cases: Vec<Value> = answer_sets
        .into_iter()
        .map(|answers| {
            let issues = |locale| {
                let options = ValidateOptions {
                    locale: Some(locale),
                    max_issues: usize::MAX,
                    ..ValidateOptions::default()
                };
                survey.validate_with(&answers, &options).issues
            };
            let lenient = ValidateOptions {
                lenient: true,
                max_issues: usize::MAX,
                ..ValidateOptions::default()
            };
            // The verdict the form schema gives: the lenient one, but for the rules that
            // compare two answers, which only the native validator checks.
            let report = survey.validate_with(&answers, &lenient);
            json!({
                "answers": answers,
                "issues": { "ja": issues(Locale::Ja), "en": issues(Locale::En) },
                "lenient_valid": report.is_valid() || common::only_server_rules(survey, &report),
            })
        })
        .collect();
    json!({
        "name": name,
        "schema": survey_schema::json_schema::generate(survey, &strict).to_value(),
        "form_schema": survey_schema::json_schema::generate(survey, &form).to_value(),
        "messages": { "ja": survey_schema::json_schema::error_messages(survey, Locale::Ja), "en": survey_schema::json_schema::error_messages(survey, Locale::En) },
        "cases": cases,
    })
}

fn main() {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let survey = common::mhlw();
    let mut rng = common::Rng::new(17);
    let mut answers: Vec<Value> = (0..2_000)
        .map(|_| common::random_answers(&mut rng, &survey))
        .collect();
    answers.extend(survey_schema::analysis::examples(&survey, true));
    writeln!(out, "{}", line("mhlw", &survey, answers)).unwrap();
    let checklist = Survey::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/mhlw-cybersecurity-checklist-2024.yaml"
    ))
    .unwrap();
    let mut answers: Vec<Value> = (0..300)
        .map(|_| common::random_answers(&mut rng, &checklist))
        .collect();
    answers.extend(survey_schema::analysis::examples(&checklist, true));
    writeln!(out, "{}", line("checklist", &checklist, answers)).unwrap();
    for seed in 0..150 {
        let (survey, _) = common::random_survey(seed);
        let mut rng = common::Rng::new(seed ^ 0x5EED);
        let mut answers: Vec<Value> = (0..25)
            .map(|_| common::random_answers(&mut rng, &survey))
            .collect();
        answers.extend(survey_schema::analysis::examples(&survey, true));
        writeln!(
            out,
            "{}",
            line(&format!("random survey {seed}"), &survey, answers)
        )
        .unwrap();
    }
}
