//! `survey report`: frequencies on the right base, as JSON, CSV or (`--format html`) one
//! self-contained page (inline SVG bar charts, no script, no font or file from the network),
//! readable when printed.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::Value;
use survey_schema::tabular::Tally;
use survey_schema::{Locale, Survey, Variable};

use crate::export::{create, fail, rows};
use crate::files::{Fatal, load_survey};

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
    #[arg(long, value_enum, default_value_t = crate::files::LocaleArg::Ja)]
    locale: crate::files::LocaleArg,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Threads reading the answer sets (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
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
    let tables = survey.tables();
    let all_read = rows(
        &survey,
        &tables,
        &args.answers,
        args.jobs,
        || empty.clone(),
        |part, _, report, row| {
            part.add(report, &row.cells);
            Ok(())
        },
        |part| {
            tally.merge(part);
            Ok(())
        },
    )?;
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
            let page = html(&survey, &json, args.locale.locale());
            match &args.output {
                Some(path) => std::fs::write(path, page)
                    .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?,
                None => print!("{page}"),
            }
        }
        ReportFormat::Json => crate::files::write_json(&json, args.output.as_deref())?,
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

/// The report's page: a section per question (a multiple choice's choices in one chart), its
/// counts of asked, not asked and not answered, a bar per value with its percentage of those
/// asked, numbers and dates summarised, then the issue codes by frequency.
pub(crate) fn html(survey: &Survey, report: &Value, locale: Locale) -> String {
    let ja = locale == Locale::Ja;
    let t = |ja_text: &'static str, en_text: &'static str| if ja { ja_text } else { en_text };
    let codebook = survey.codebook(locale);
    let def = survey.definition();
    let title = escape(def.title.get(locale.tag(), &def.default_locale));
    let mut page = format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n",
        locale.tag()
    );
    let _ = writeln!(
        page,
        "<p class=\"totals\">{}: {} · {}: {} · {}: {}</p>",
        t("回答数", "Answer sets"),
        report["answer_sets"],
        t("有効", "valid"),
        report["valid"],
        t("無効", "invalid"),
        report["invalid"]
    );
    let columns = report["columns"].as_array().cloned().unwrap_or_default();
    let mut i = 0;
    while i < columns.len() {
        let column = &columns[i];
        let pointer = column["pointer"].as_str().unwrap_or("");
        // A multiple choice's columns share its pointer: one section for them all.
        let mut j = i + 1;
        while j < columns.len() && columns[j]["pointer"] == column["pointer"] {
            j += 1;
        }
        let variables: Vec<&Variable> = codebook[i..j].iter().collect();
        section(&mut page, &columns[i..j], &variables, pointer, ja);
        i = j;
    }
    let _ = write!(
        page,
        "<section id=\"issues\"><h2>{}</h2><table>",
        t("検出された問題", "Issues found")
    );
    for issue in report["issues"].as_array().into_iter().flatten() {
        let _ = write!(
            page,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td></tr>",
            escape(issue["code"].as_str().unwrap_or("")),
            issue["count"]
        );
    }
    page.push_str("</table></section>\n</body></html>\n");
    page
}

const STYLE: &str = "body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;margin:2em;color:#222}\
section{margin:1.5em 0;padding-bottom:1em;border-bottom:1px solid #ccc;break-inside:avoid}\
h2{font-size:1.05em}.counts{color:#555;font-size:.9em}td.n{text-align:right;padding-left:1em}\
svg text{font-size:12px;font-family:inherit}@media print{body{margin:0}}";

fn section(page: &mut String, columns: &[Value], variables: &[&Variable], pointer: &str, ja: bool) {
    let t = |ja_text: &'static str, en_text: &'static str| if ja { ja_text } else { en_text };
    let first = &columns[0];
    let multiple = first["kind"] == "selected";
    let label = variables
        .first()
        .map(|v| match (&v.label.rsplit_once(": "), multiple) {
            (Some((question, _)), true) => (*question).to_owned(),
            _ => v.label.clone(),
        })
        .unwrap_or_default();
    let id = first["column"]
        .as_str()
        .unwrap_or("")
        .split("__")
        .next()
        .unwrap_or("");
    let _ = write!(
        page,
        "<section id=\"q-{id}\"><h2><code>{}</code> {}</h2>\n<p class=\"counts\">{}: {} · {}: {} · {}: {}{}</p>\n",
        escape(pointer.trim_start_matches('/')),
        escape(&label),
        t("対象", "asked"),
        first["asked"],
        t("非該当", "not asked"),
        first["not_asked"],
        t("無回答", "not answered"),
        first["not_answered"],
        variables
            .first()
            .and_then(|v| v.universe.as_ref())
            .map(|u| format!(" · {}: {}", t("対象条件", "universe"), escape(u)))
            .unwrap_or_default()
    );
    // Bars: a multiple choice's choices (picked, of those asked), else each value.
    let bars: Vec<(String, u64, f64)> = if multiple {
        columns
            .iter()
            .zip(variables)
            .map(|(c, v)| {
                let picked = c["frequencies"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|f| f["value"] == "1");
                let choice = v
                    .label
                    .rsplit_once(": ")
                    .map_or(v.label.as_str(), |(_, c)| c);
                (
                    choice.to_owned(),
                    picked.and_then(|f| f["count"].as_u64()).unwrap_or(0),
                    picked.and_then(|f| f["percent"].as_f64()).unwrap_or(0.0),
                )
            })
            .collect()
    } else {
        let labels = variables
            .first()
            .map(|v| v.values.clone())
            .unwrap_or_default();
        first["frequencies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                let value = f["value"].as_str().unwrap_or("");
                let label = labels
                    .iter()
                    .find(|(code, _)| code == value)
                    .map_or(value, |(_, label)| label.as_str());
                (
                    label.to_owned(),
                    f["count"].as_u64().unwrap_or(0),
                    f["percent"].as_f64().unwrap_or(0.0),
                )
            })
            .collect()
    };
    if !bars.is_empty() {
        chart(page, id, &bars);
    }
    if let Some(summary) = first["summary"].as_object() {
        page.push_str("<table>");
        for (name, value) in summary {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let _ = write!(
                page,
                "<tr><td>{name}</td><td class=\"n\">{}</td></tr>",
                escape(&text)
            );
        }
        page.push_str("</table>");
    }
    page.push_str("</section>\n");
}

/// Horizontal bars: label, bar (its percentage of the width), count and percentage.
fn chart(page: &mut String, id: &str, bars: &[(String, u64, f64)]) {
    const ROW: usize = 22;
    const LABEL: usize = 300;
    const LABEL_X: f64 = 300.0;
    const BAR: f64 = 320.0;
    let height = bars.len() * ROW + 4;
    let _ = write!(
        page,
        "<svg class=\"chart\" id=\"chart-{id}\" width=\"{}\" height=\"{height}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">",
        LABEL + 440
    );
    for (row, (label, count, percent)) in bars.iter().enumerate() {
        let y = row * ROW + 2;
        let width = (percent / 100.0 * BAR).max(0.0);
        let _ = write!(
            page,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{width:.1}\" height=\"{}\" fill=\"#4a78b5\"/><text x=\"{:.1}\" y=\"{}\">{count} ({percent:.1} %)</text>",
            LABEL - 6,
            y + 15,
            escape(&shorten(label, 40)),
            LABEL,
            ROW - 6,
            LABEL_X + width + 6.0,
            y + 15
        );
    }
    page.push_str("</svg>\n");
}

fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(most - 1).collect();
        cut.push('…');
        cut
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
