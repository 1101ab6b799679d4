//! Embed the validator: load a survey once, then validate answer sets from their JSON bytes,
//! printing each issue with its code, its JSON Pointer and a message in English.
//!
//! ```sh
//! cargo run --example validate                       # the bundled MHLW survey and its invalid example
//! cargo run --example validate -- SURVEY ANSWERS.json
//! ```

use std::process::ExitCode;

use survey_schema::{Locale, Survey, ValidateOptions};

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut args = std::env::args().skip(1);
    let survey_path = args
        .next()
        .unwrap_or_else(|| format!("{root}/schema/mhlw-hospital-cybersecurity-2024.yaml"));
    let answers_path = args
        .next()
        .unwrap_or_else(|| format!("{root}/schema/examples/mhlw-invalid.json"));

    // Loading checks the survey once; a `Survey` is immutable and can be shared by threads.
    let survey = Survey::from_path(&survey_path)?;
    let bytes = std::fs::read(&answers_path)?;
    let options = ValidateOptions {
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    };
    let report = survey.validate_json(&bytes, &options)?;

    if report.is_valid() {
        println!("{answers_path}: valid");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{answers_path}: {} issues", report.issues.len());
    for issue in &report.issues {
        println!(
            "  {} at {}: {}",
            issue.code.as_str(),
            issue.path,
            issue.message
        );
    }
    Ok(ExitCode::from(1))
}
