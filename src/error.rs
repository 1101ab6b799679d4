//! The error of building a [`Survey`](crate::Survey): loading or checking failed.

use crate::check::CheckError;
use crate::input::LoadError;

/// Why a survey could not be built: it could not be parsed, or it breaks a rule.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text could not be read or parsed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The definition parsed but breaks one or more rules.
    #[error(transparent)]
    Check(#[from] CheckError),
    /// A FHIR Questionnaire that holds what the survey format cannot carry.
    #[error("{}", fhir_summary(.0.problems()))]
    Fhir(crate::fhir::Error),
}

fn fhir_summary(problems: &[crate::fhir::FhirProblem]) -> String {
    let mut text = format!(
        "the Questionnaire cannot be carried as a survey ({} problem{})",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    text
}

impl Error {
    /// A stable `snake_case` code: the load error's code, or `invalid_definition`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Error::Load(error) => error.code(),
            Error::Check(_) => "invalid_definition",
            Error::Fhir(_) => "unsupported_questionnaire",
        }
    }
}
