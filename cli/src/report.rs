//! `survey report`: frequencies on the right base, as JSON, CSV or (`--format html`) one
//! self-contained page (inline SVG bar charts, no script, no font or file from the network),
//! readable when printed.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use survey_schema::report;
use survey_schema::tabular::Tally;

use crate::export::{Invalid, Reading, rows};
use crate::files::{Fatal, LocaleArg, load_survey};

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
    /// Language of the HTML page (default: the survey's default locale, else English).
    #[arg(long, value_enum)]
    locale: Option<LocaleArg>,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Which answer sets the figures count: only the valid ones (the default; the report
    /// says how many were left out and their issues), all of them (`keep`), or only the
    /// invalid ones.
    #[arg(long, value_enum, default_value_t = Invalid::Skip)]
    invalid: Invalid,
    /// Threads reading the answer sets (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// With CSV, write each cell that a spreadsheet would run as a formula (text beginning with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return) with a `'` in front, as OWASP advises for
    /// CSV opened in a spreadsheet; a text beginning with `'` gets one more.
    #[arg(long)]
    escape_formulas: bool,
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
    let empty = Tally::new(&survey);
    let mut tally = empty.clone();
    let tables = survey_schema::tabular::tables(&survey);
    let read = rows(
        &survey,
        &tables,
        Reading {
            inputs: &args.answers,
            jobs: args.jobs,
            invalid: args.invalid,
        },
        || empty.clone(),
        |part, _, report, row, kept| {
            if kept {
                part.add(report, &row.cells);
            } else {
                part.leave_out(report);
            }
            Ok(())
        },
        |part| {
            tally.merge(part);
            Ok(())
        },
    )?;
    tally.add_unreadable(read.unreadable);
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
            let page = report::html(&survey, &tally, LocaleArg::or_survey(args.locale, &survey));
            match &args.output {
                Some(path) => std::fs::write(path, page)
                    .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?,
                None => print!("{}", crate::terminal::shown(&page)),
            }
        }
        ReportFormat::Json => crate::files::write_json(&json, args.output.as_deref())?,
        ReportFormat::Csv => {
            let mut text = report::csv(&tally);
            if args.escape_formulas {
                text = survey_schema::tabular::csv::escape_formulas(&text)
                    .map_err(|e| Fatal(e.to_string()))?;
            }
            match &args.output {
                Some(path) => std::fs::write(path, text)
                    .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?,
                None => print!("{}", crate::terminal::shown(&text)),
            }
        }
    }
    Ok(read.finish("report", args.invalid))
}
