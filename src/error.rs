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
    /// A file was read, and its text could not be loaded or checked: the error, with the
    /// file it is about ([`Survey::from_path`](crate::Survey::from_path)).
    #[error("{}: {error}", path.display())]
    File {
        /// The file, as given.
        path: std::path::PathBuf,
        /// What is wrong with its text.
        error: Box<Error>,
    },
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
            Error::File { error, .. } => error.code(),
        }
    }

    /// The error itself, without the file it is about: what to match on after
    /// [`Survey::from_path`](crate::Survey::from_path).
    ///
    /// ```
    /// use survey_schema::{Error, Survey};
    /// let path = std::env::temp_dir().join(format!("survey-error-doc-{}.yaml", std::process::id()));
    /// std::fs::write(&path, "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions: [{id: 1x, type: boolean, title: Q}]\n").unwrap();
    /// let error = Survey::from_path(&path).unwrap_err();
    /// std::fs::remove_file(&path).unwrap();
    /// assert!(error.to_string().starts_with(&format!("{}: ", path.display())));
    /// assert!(matches!(error.without_file(), Error::Check(_)));
    /// ```
    #[must_use]
    pub fn without_file(&self) -> &Error {
        match self {
            Error::File { error, .. } => error.without_file(),
            other => other,
        }
    }
}
