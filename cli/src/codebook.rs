//! `survey codebook`: what each column of `survey export` is, as Markdown, CSV or DDI
//! Codebook 2.5 XML.
#![allow(
    clippy::doc_markdown,
    reason = "the doc comments are the command's help text, where backticks would show"
)]

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::export::create;
use crate::files::{Fatal, LocaleArg, load_survey};

#[derive(Args)]
pub(crate) struct CodebookArgs {
    /// The survey file (or a FHIR Questionnaire).
    survey: PathBuf,
    /// The codebook's format.
    #[arg(long, value_enum, default_value_t = CodebookFormat::Markdown)]
    to: CodebookFormat,
    /// Language of labels and universes (default: the survey's default locale, else
    /// English; DDI carries every language of the survey).
    #[arg(long, value_enum)]
    locale: Option<LocaleArg>,
    /// The code `survey export` writes for "not asked".
    #[arg(long, default_value = ".a")]
    not_asked: String,
    /// The code `survey export` writes for "not answered".
    #[arg(long, default_value = ".b")]
    not_answered: String,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// With `--to csv`, write each cell that a spreadsheet would run as a formula (text beginning with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return) with a `'` in front, as OWASP advises for
    /// CSV opened in a spreadsheet; a text beginning with `'` gets one more.
    #[arg(long)]
    escape_formulas: bool,
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
        let xml = survey_schema::codebook::ddi(&survey, &args.not_asked, &args.not_answered);
        let mut out = crate::export::output(args.output.as_deref())?;
        out.write_all(xml.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Fatal(e.to_string()))?;
        return Ok(true);
    }
    let locale = LocaleArg::or_survey(args.locale, &survey);
    let text = match args.to {
        CodebookFormat::Csv => {
            let text =
                survey_schema::codebook::csv(&survey, locale, &args.not_asked, &args.not_answered);
            if args.escape_formulas {
                survey_schema::tabular::csv::escape_formulas(&text)
                    .map_err(|e| Fatal(e.to_string()))?
            } else {
                text
            }
        }
        CodebookFormat::Markdown | CodebookFormat::Ddi => {
            survey_schema::codebook::markdown(&survey, locale, &args.not_asked, &args.not_answered)
        }
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(create(path)?),
        None => Box::new(crate::terminal::Escaping::new(std::io::stdout().lock())),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Fatal(e.to_string()))?;
    Ok(true)
}
