//! `survey codebook`: what each column of `survey export` is, as Markdown, CSV or DDI
//! Codebook 2.5 XML.
#![allow(
    clippy::doc_markdown,
    reason = "the doc comments are the command's help text, where backticks would show"
)]

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::export::{create, fail};
use crate::files::{Fatal, load_survey};

#[derive(Args)]
pub(crate) struct CodebookArgs {
    /// The survey file (or a FHIR Questionnaire).
    survey: PathBuf,
    /// The codebook's format.
    #[arg(long, value_enum, default_value_t = CodebookFormat::Markdown)]
    to: CodebookFormat,
    /// Language of labels and universes (DDI carries every language of the survey).
    #[arg(long, value_enum, default_value_t = crate::files::LocaleArg::Ja)]
    locale: crate::files::LocaleArg,
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
    /// DDI Codebook 2.5 XML: every table (repeats' included), texts in every locale.
    Ddi,
}

pub(crate) fn codebook(args: &CodebookArgs) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(&args.survey)? else {
        return Ok(false);
    };
    if matches!(args.to, CodebookFormat::Ddi) {
        let xml = survey.codebook_ddi(&args.not_asked, &args.not_answered);
        let mut out = crate::export::output(args.output.as_deref())?;
        out.write_all(xml.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Fatal(e.to_string()))?;
        return Ok(true);
    }
    let locale = args.locale.locale();
    let variables = survey.codebook(locale);
    let (everyone, header) = match locale {
        survey_schema::Locale::Ja => (
            "全員",
            [
                "変数名",
                "JSON Pointer",
                "ラベル",
                "質問文",
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
                "question",
                "type",
                "values",
                "not asked",
                "not answered",
                "universe",
                "references",
            ],
        ),
    };
    let rows: Vec<[String; 10]> = variables
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
                v.question.clone(),
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
        CodebookFormat::Ddi => {}
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
