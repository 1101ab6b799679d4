//! Answer sets given as FHIR `QuestionnaireResponse`s: told apart once by the library's
//! `sniff`, converted to answers, validated with issue paths into the response.

use serde_json::Value;
use survey_schema::{Format, Limits, Report, Resource, Survey, ValidateOptions, parse_answers};

/// A validated answer set, or why it could not be read.
pub(crate) type Outcome = Result<Report, String>;

/// JSON text read as a FHIR `QuestionnaireResponse`, when it is one (parsed once: the caller
/// validates the value).
pub(crate) fn as_response(text: &str) -> Option<Value> {
    if survey_schema::sniff(text.as_bytes()) != Some(Resource::QuestionnaireResponse) {
        return None;
    }
    parse_answers(text, Format::Json, &Limits::default()).ok()
}

/// Validates a `QuestionnaireResponse`: read as an answer set (a draft when its status is
/// `in-progress`), issues located in the response.
pub(crate) fn validate_response(
    survey: &Survey,
    value: &Value,
    options: &ValidateOptions,
) -> Outcome {
    let converted = survey
        .answers_from_response(value)
        .map_err(|problems| joined(&problems))?;
    let options = ValidateOptions {
        partial: options.partial || converted.partial,
        ..options.clone()
    };
    let mut report = survey.validate_with(&converted.answers, &options);
    for issue in report.issues.iter_mut().chain(report.warnings.iter_mut()) {
        issue.path = converted.locate(&issue.path);
    }
    Ok(report)
}

/// An answer set as read: a `QuestionnaireResponse` converted, anything else as it is.
pub(crate) fn answers_of(survey: &Survey, value: Value) -> Result<Value, String> {
    if Resource::of(&value) != Some(Resource::QuestionnaireResponse) {
        return Ok(value);
    }
    survey
        .answers_from_response(&value)
        .map(|converted| converted.answers)
        .map_err(|problems| joined(&problems))
}

fn joined(problems: &[survey_schema::fhir::FhirProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
