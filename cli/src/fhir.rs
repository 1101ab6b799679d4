//! `survey fhir`: Questionnaire export and import, answers to `QuestionnaireResponse` and back.
#![allow(
    clippy::doc_markdown,
    reason = "the doc comments are the command's help text, where backticks would show"
)]

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
            let answers = read_value(&answers)?;
            match survey.fhir_response(&answers, partial) {
                Ok(response) => write_json(&response, output.as_deref()).map(|()| true),
                Err(problems) => {
                    for problem in problems {
                        println!("{problem}");
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
            let response = read_value(&response)?;
            match survey.answers_from_response(&response) {
                Ok(converted) => write_json(&converted.answers, output.as_deref()).map(|()| true),
                Err(problems) => {
                    for problem in problems {
                        println!("{problem}");
                    }
                    Ok(false)
                }
            }
        }
    }
}

fn read_value(path: &Path) -> Result<Value, Fatal> {
    let limits = Limits::default();
    let text = read_text(path, &limits).map_err(|e| Fatal(e.to_string()))?;
    let format = Format::from_path(path).unwrap_or(Format::Json);
    parse_answers(&text, format, &limits).map_err(|e| Fatal(format!("{}: {e}", path.display())))
}

fn import(path: &Path, output: Option<&Path>) -> Result<bool, Fatal> {
    let questionnaire = read_value(path)?;
    let definition = match survey_schema::fhir::import(&questionnaire) {
        Ok(definition) => definition,
        Err(problems) => {
            for problem in &problems {
                println!("{}: {problem}", path.display());
            }
            eprintln!(
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
            println!(
                "{}: {}: {}: {}",
                path.display(),
                problem.code,
                problem.path,
                problem.message
            );
        }
        eprintln!(
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
        None => print!("{text}"),
    }
    Ok(true)
}
