//! `survey fhir`: Questionnaire export and import, answers to `QuestionnaireResponse` and back.
#![allow(
    clippy::doc_markdown,
    reason = "the doc comments are the command's help text, where backticks would show"
)]

use crate::terminal::tell;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde_json::Value;
use survey_schema::fhir::FhirVersion;
use survey_schema::{Format, Limits, Survey, parse_answers, read_text};

use crate::files::{Fatal, load_survey, write_json};

#[derive(Subcommand)]
pub(crate) enum FhirCommand {
    /// Write a survey as a FHIR Questionnaire (JSON).
    Export {
        /// The survey file (.yaml, .yml or .json).
        survey: PathBuf,
        /// The FHIR release.
        #[arg(long, value_enum, default_value_t = VersionArg::R4)]
        fhir_version: VersionArg,
        /// Language of the texts (the other locales go into `translation` extensions;
        /// default: the survey's default locale).
        #[arg(long)]
        locale: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Read a FHIR Questionnaire (R4 or R5 JSON) and write it as a survey definition (YAML).
    /// What the survey format cannot carry is listed, and nothing is written (exit code 1).
    Import {
        /// The Questionnaire.
        questionnaire: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write an answer set as a QuestionnaireResponse of the survey's Questionnaire.
    Response {
        /// The survey file (or a Questionnaire).
        survey: PathBuf,
        /// The answer file (.json, .yaml, .yml).
        answers: PathBuf,
        /// A draft: status `in-progress` instead of `completed`.
        #[arg(long)]
        partial: bool,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Read a QuestionnaireResponse and write it as an answer set (JSON).
    Answers {
        /// The survey file (or a Questionnaire).
        survey: PathBuf,
        /// The QuestionnaireResponse (JSON).
        response: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum VersionArg {
    R4,
    R5,
}

pub(crate) fn run(command: FhirCommand) -> Result<bool, Fatal> {
    match command {
        FhirCommand::Export {
            survey,
            fhir_version,
            locale,
            output,
        } => {
            let Some(survey) = load_survey(&survey)? else {
                return Ok(false);
            };
            let version = match fhir_version {
                VersionArg::R4 => FhirVersion::R4,
                VersionArg::R5 => FhirVersion::R5,
            };
            let questionnaire = survey.fhir_questionnaire(version, locale.as_deref());
            write_json(&questionnaire, output.as_deref()).map(|()| true)
        }
        FhirCommand::Import {
            questionnaire,
            output,
        } => import(&questionnaire, output.as_deref()),
        FhirCommand::Response {
            survey,
            answers,
            partial,
            output,
        } => {
            let Some(survey) = load_survey(&survey)? else {
                return Ok(false);
            };
            let Some(answers) = read_value(&answers)? else {
                return Ok(false);
            };
            match survey.fhir_response(&answers, partial) {
                Ok(response) => write_json(&response, output.as_deref()).map(|()| true),
                Err(problems) => {
                    for problem in problems {
                        tell!("{problem}");
                    }
                    Ok(false)
                }
            }
        }
        FhirCommand::Answers {
            survey,
            response,
            output,
        } => {
            let Some(survey) = load_survey(&survey)? else {
                return Ok(false);
            };
            let Some(response) = read_value(&response)? else {
                return Ok(false);
            };
            match survey.answers_from_response(&response) {
                Ok(converted) => write_json(&converted.answers, output.as_deref()).map(|()| true),
                Err(problems) => {
                    for problem in problems {
                        tell!("{problem}");
                    }
                    Ok(false)
                }
            }
        }
    }
}

/// Reads a JSON (or YAML) input: `Ok(None)` when it was read and is not acceptable (the error
/// printed; exit 1), `Err` when it could not be read at all (exit 2).
fn read_value(path: &Path) -> Result<Option<Value>, Fatal> {
    let limits = Limits::default();
    let format = Format::from_path(path).unwrap_or(Format::Json);
    let read = read_text(path, &limits)
        .and_then(|text| parse_answers(&text, format, &limits).map_err(|e| e.in_file(path)));
    match read {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.is_unreadable() => Err(Fatal(error.to_string())),
        Err(error) => {
            tell!("{}: {error}", path.display());
            Ok(None)
        }
    }
}

fn import(path: &Path, output: Option<&Path>) -> Result<bool, Fatal> {
    let Some(questionnaire) = read_value(path)? else {
        return Ok(false);
    };
    let definition = match survey_schema::fhir::import(&questionnaire) {
        Ok(definition) => definition,
        Err(problems) => {
            for problem in &problems {
                tell!("{}: {problem}", path.display());
            }
            tell!(
                "{}: {} problem{}: not imported",
                path.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            return Ok(false);
        }
    };
    if let Err(error) = Survey::from_definition(definition.clone()) {
        for problem in &error.problems {
            tell!(
                "{}: {}: {}: {}",
                path.display(),
                problem.code,
                problem.path,
                problem.message
            );
        }
        tell!(
            "{}: the imported survey does not pass the checks",
            path.display()
        );
        return Ok(false);
    }
    let yaml = definition.to_yaml().map_err(|e| Fatal(e.to_string()))?;
    let text = format!(
        "# Imported from the FHIR Questionnaire {}\n{yaml}",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    match output {
        Some(out) => std::fs::write(out, text)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", out.display())))?,
        None => print!("{}", crate::terminal::shown(&text)),
    }
    Ok(true)
}
