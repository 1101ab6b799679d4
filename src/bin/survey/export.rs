//! `survey export`: answer sets as an analysis table (CSV), every cell an answer, not asked or
//! not answered; `survey codebook`: what each column is.
#![allow(
    clippy::doc_markdown,
    reason = "the doc comments are the command's help text, where backticks would show"
)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::Value;
use survey_schema::tabular::{Answered, Cell, Column, ColumnKind};
use survey_schema::{Format, Limits, parse_answers};

use super::{Fatal, load_survey};

#[derive(Args)]
pub(crate) struct ExportArgs {
    /// The survey file (or a FHIR Questionnaire).
    survey: PathBuf,
    /// Answer files (.json, .yaml, .yml, QuestionnaireResponse JSON) or `.jsonl` batches.
    #[arg(required = true)]
    answers: Vec<PathBuf>,
    /// The table's format.
    #[arg(long, value_enum, default_value_t = To::Csv)]
    to: To,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The code of a cell whose question the skip logic disabled.
    #[arg(long, default_value = ".a")]
    not_asked: String,
    /// The code of a cell whose question was enabled and has no answer.
    #[arg(long, default_value = ".b")]
    not_answered: String,
    /// The code of a cell whose answer has the wrong JSON type (`1` for a boolean): only in an
    /// invalid answer set, whose issues `--issues` lists.
    #[arg(long, default_value = ".w")]
    wrong_type: String,
    /// Which answer sets to write: all of them (with `valid` 0 or 1), only the valid ones, or
    /// only the invalid ones.
    #[arg(long, value_enum, default_value_t = Invalid::Keep)]
    invalid: Invalid,
    /// Write each issue of the answer sets (row_id, path, code) to this CSV file.
    #[arg(long)]
    issues: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum To {
    /// Comma-separated values, UTF-8, one header line.
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Invalid {
    Keep,
    Skip,
    Only,
}

pub(crate) fn run(args: &ExportArgs) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(&args.survey)? else {
        return Ok(false);
    };
    let To::Csv = args.to;
    let columns = survey.columns();
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut table = csv::Writer::from_writer(out);
    let mut header = vec!["row_id".to_owned(), "valid".to_owned()];
    header.extend(columns.iter().map(|c| c.name.clone()));
    table.write_record(&header).map_err(fail)?;
    let mut issues = match &args.issues {
        Some(path) => {
            let mut writer = csv::Writer::from_writer(create(path)?);
            writer
                .write_record(["row_id", "path", "code"])
                .map_err(fail)?;
            Some(writer)
        }
        None => None,
    };
    let all_read = each_answer_set(&survey, &args.answers, |row_id, answers| {
        let report = survey.validate(answers);
        let valid = report.is_valid();
        if (args.invalid == Invalid::Skip && !valid) || (args.invalid == Invalid::Only && valid) {
            return Ok(());
        }
        if let Some(writer) = issues.as_mut() {
            for issue in &report.issues {
                writer
                    .write_record([row_id, &issue.path, issue.code.as_str()])
                    .map_err(fail)?;
            }
        }
        let mut record = vec![row_id.to_owned(), if valid { "1" } else { "0" }.to_owned()];
        record.extend(
            survey
                .row(&columns, answers)
                .iter()
                .zip(&columns)
                .map(|(cell, column)| text_of(cell, column, args)),
        );
        table.write_record(&record).map_err(fail)
    })?;
    table.flush().map_err(|e| Fatal(e.to_string()))?;
    if let Some(mut writer) = issues {
        writer.flush().map_err(|e| Fatal(e.to_string()))?;
    }
    Ok(all_read)
}

/// Calls `each` with every answer set of the inputs, in order, with its row id (the file, or
/// `FILE:LINE` in a `.jsonl` batch, read line by line); a `QuestionnaireResponse` is read as
/// its answers. An answer set that cannot be read is reported on standard error and skipped;
/// the result says whether every one was read.
pub(crate) fn each_answer_set(
    survey: &survey_schema::Survey,
    inputs: &[PathBuf],
    mut each: impl FnMut(&str, &Value) -> Result<(), Fatal>,
) -> Result<bool, Fatal> {
    let mut all_read = true;
    let mut one = |row_id: &str, text: &str, format: Format| -> Result<(), Fatal> {
        match parse_answers(text, format, &Limits::default())
            .map_err(|e| e.to_string())
            .and_then(|value| super::fhir::answers_of(survey, value))
        {
            Ok(answers) => each(row_id, &answers),
            Err(why) => {
                eprintln!("{row_id}: {why}");
                all_read = false;
                Ok(())
            }
        }
    };
    for input in inputs {
        let name = input.display().to_string();
        let is_batch = input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if is_batch {
            let file = std::fs::File::open(input)
                .map_err(|e| Fatal(format!("cannot read {name}: {e}")))?;
            for (number, line) in BufReader::new(file).lines().enumerate() {
                let line = line.map_err(|e| Fatal(format!("cannot read {name}: {e}")))?;
                if !line.trim().is_empty() {
                    one(&format!("{name}:{}", number + 1), &line, Format::Json)?;
                }
            }
        } else {
            let text = survey_schema::read_text(input, &Limits::default())
                .map_err(|e| Fatal(e.to_string()))?;
            one(
                &name,
                &text,
                Format::from_path(input).unwrap_or(Format::Json),
            )?;
        }
    }
    Ok(all_read)
}

/// A cell as CSV text: the codes for not asked and not answered, 1/0 for booleans and picked
/// choices, numbers as written, other values of the wrong type as compact JSON.
fn text_of(cell: &Cell<'_>, column: &Column, args: &ExportArgs) -> String {
    match cell {
        Cell::NotAsked => args.not_asked.clone(),
        Cell::NotAnswered => args.not_answered.clone(),
        Cell::WrongType(_) => args.wrong_type.clone(),
        Cell::Answer(Answered::Selected(picked)) => if *picked { "1" } else { "0" }.to_owned(),
        Cell::Answer(Answered::Value(Value::Bool(b))) if column.kind == ColumnKind::Boolean => {
            if *b { "1" } else { "0" }.to_owned()
        }
        Cell::Answer(Answered::Value(Value::String(s))) => s.clone(),
        Cell::Answer(Answered::Value(other)) => other.to_string(),
    }
}

fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, Fatal> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))
}

#[allow(clippy::needless_pass_by_value, reason = "used as `map_err(fail)`")]
fn fail(error: csv::Error) -> Fatal {
    Fatal(error.to_string())
}

#[derive(Args)]
pub(crate) struct CodebookArgs {
    /// The survey file (or a FHIR Questionnaire).
    survey: PathBuf,
    /// The codebook's format.
    #[arg(long, value_enum, default_value_t = CodebookFormat::Markdown)]
    to: CodebookFormat,
    /// Language of labels and universes.
    #[arg(long, value_enum, default_value_t = super::LocaleArg::Ja)]
    locale: super::LocaleArg,
    /// The code `survey export` writes for "not asked".
    #[arg(long, default_value = ".a")]
    not_asked: String,
    /// The code `survey export` writes for "not answered".
    #[arg(long, default_value = ".b")]
    not_answered: String,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CodebookFormat {
    /// One row per variable.
    Csv,
    /// A Markdown table.
    Markdown,
}

pub(crate) fn codebook(args: &CodebookArgs) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(&args.survey)? else {
        return Ok(false);
    };
    let locale = args.locale.locale();
    let variables = survey.codebook(locale);
    let (everyone, header) = match locale {
        survey_schema::Locale::Ja => (
            "全員",
            [
                "変数名",
                "JSON Pointer",
                "ラベル",
                "型",
                "値ラベル",
                "非該当（質問されていない）",
                "無回答",
                "対象",
                "参照",
            ],
        ),
        _ => (
            "everyone",
            [
                "name",
                "pointer",
                "label",
                "type",
                "values",
                "not asked",
                "not answered",
                "universe",
                "references",
            ],
        ),
    };
    let rows: Vec<[String; 9]> = variables
        .iter()
        .map(|v| {
            let values: Vec<String> = v
                .values
                .iter()
                .map(|(code, label)| format!("{code} = {label}"))
                .collect();
            [
                v.name.clone(),
                v.pointer.clone(),
                v.label.clone(),
                v.kind.as_str().to_owned(),
                values.join("; "),
                args.not_asked.clone(),
                args.not_answered.clone(),
                v.universe.clone().unwrap_or_else(|| everyone.to_owned()),
                v.references.join("; "),
            ]
        })
        .collect();
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    match args.to {
        CodebookFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(header).map_err(fail)?;
            for row in &rows {
                writer.write_record(row).map_err(fail)?;
            }
            writer.flush().map_err(|e| Fatal(e.to_string()))?;
        }
        CodebookFormat::Markdown => {
            let mut out = out;
            let cell = |text: &str| text.replace('|', "\\|").replace('\n', "<br>");
            let mut text = format!(
                "| {} |\n|{}\n",
                header.join(" | "),
                "---|".repeat(header.len())
            );
            for row in &rows {
                let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                text.push_str("| ");
                text.push_str(&cells.join(" | "));
                text.push_str(" |\n");
            }
            out.write_all(text.as_bytes())
                .map_err(|e| Fatal(e.to_string()))?;
        }
    }
    Ok(true)
}

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// The survey file (or a FHIR Questionnaire).
    survey: PathBuf,
    /// Answer files or `.jsonl` batches, as for `export`.
    #[arg(required = true)]
    answers: Vec<PathBuf>,
    /// The report's format: a self-contained HTML page with bar charts, JSON, or CSV with one
    /// line per column and statistic (default: by the extension of -o, else JSON).
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Language of the HTML page.
    #[arg(long, value_enum, default_value_t = super::LocaleArg::Ja)]
    locale: super::LocaleArg,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Html,
    Json,
    Csv,
}

pub(crate) fn report(args: &ReportArgs) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(&args.survey)? else {
        return Ok(false);
    };
    let mut tally = survey_schema::tabular::Tally::new(&survey);
    let all_read = each_answer_set(&survey, &args.answers, |_, answers| {
        tally.add(&survey, answers);
        Ok(())
    })?;
    let json = tally.to_json();
    let by_extension = args
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = args.format.unwrap_or(match by_extension.as_deref() {
        Some("html" | "htm") => ReportFormat::Html,
        Some("csv") => ReportFormat::Csv,
        _ => ReportFormat::Json,
    });
    match format {
        ReportFormat::Html => {
            let page = super::report::html(&survey, &json, args.locale.locale());
            match &args.output {
                Some(path) => std::fs::write(path, page)
                    .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?,
                None => print!("{page}"),
            }
        }
        ReportFormat::Json => super::write_json(&json, args.output.as_deref())?,
        ReportFormat::Csv => {
            let out: Box<dyn Write> = match &args.output {
                Some(path) => Box::new(create(path)?),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut writer = csv::Writer::from_writer(out);
            writer
                .write_record(["column", "statistic", "value", "count", "percent"])
                .map_err(fail)?;
            for column in json["columns"].as_array().into_iter().flatten() {
                let name = column["column"].as_str().unwrap_or("");
                for statistic in [
                    "asked",
                    "not_asked",
                    "not_answered",
                    "wrong_type",
                    "answered",
                ] {
                    let count = column[statistic].to_string();
                    writer
                        .write_record([name, statistic, "", &count, ""])
                        .map_err(fail)?;
                }
                for f in column["frequencies"].as_array().into_iter().flatten() {
                    let value = f["value"].as_str().unwrap_or("");
                    let percent = f["percent"].to_string();
                    writer
                        .write_record([name, "frequency", value, &f["count"].to_string(), &percent])
                        .map_err(fail)?;
                }
                if let Some(summary) = column["summary"].as_object() {
                    for (statistic, value) in summary {
                        let text = value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_owned);
                        writer
                            .write_record([name, statistic, &text, "", ""])
                            .map_err(fail)?;
                    }
                }
            }
            writer.flush().map_err(|e| Fatal(e.to_string()))?;
        }
    }
    Ok(all_read)
}
