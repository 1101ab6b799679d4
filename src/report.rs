//! The report of a batch of answer sets, from its [`Tally`]: a long CSV of every count and
//! summary, and one self-contained HTML page (inline SVG bar charts, no script, no font or
//! file from the network), readable when printed. `Tally::to_json` is the JSON form.

use std::fmt::Write as _;

use serde_json::Value;

use crate::codebook::Variable;
use crate::messages::{Locale, Word};
use crate::survey::Survey;
use crate::tabular::Tally;

/// The report as one HTML page, texts in `locale`: per question (a multiple choice's choices
/// in one chart) its counts of asked, not asked, not answered and wrong type, a bar per value
/// with its percentage of those asked, numbers and dates summarised, then the issue codes by
/// frequency. Every text from the survey or the answers is escaped.
///
/// ```
/// use survey_schema::{Locale, Survey, ValidateOptions, report, tabular::Tally};
/// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: en\ntitle: Pets\nquestions:\n  - {id: has_pet, type: boolean, title: Do you have a pet?}\n")?;
/// let mut tally = Tally::new(&survey);
/// let tables = survey_schema::tabular::tables(&survey);
/// survey_schema::tabular::row_json(&survey, &tables, br#"{"has_pet": true}"#, &ValidateOptions::default(), |r, row| tally.add(r, &row.cells))?;
/// let page = report::html(&survey, &tally, Locale::En);
/// assert!(page.starts_with("<!doctype html>") && page.contains("Do you have a pet?"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn html(survey: &Survey, tally: &Tally, locale: Locale) -> String {
    page(survey, &tally.to_json(), locale)
}

/// The report as CSV (RFC 4180), one statistic a row: `column, statistic, value, count,
/// percent`, with `asked`, `not_asked`, `not_answered`, `wrong_type` and `answered` counts per
/// column, a `frequency` row per value (its percentage of those asked) and the summary of
/// numbers and dates.
///
/// ```
/// use survey_schema::{Survey, ValidateOptions, report, tabular::Tally};
/// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: en\ntitle: Pets\nquestions:\n  - {id: has_pet, type: boolean, title: Do you have a pet?}\n")?;
/// let mut tally = Tally::new(&survey);
/// let tables = survey_schema::tabular::tables(&survey);
/// survey_schema::tabular::row_json(&survey, &tables, br#"{"has_pet": true}"#, &ValidateOptions::default(), |r, row| tally.add(r, &row.cells))?;
/// let csv = report::csv(&tally);
/// assert!(csv.starts_with("column,statistic,value,count,percent\n"));
/// assert!(csv.contains("has_pet,asked,,1,\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn csv(tally: &Tally) -> String {
    let json = tally.to_json();
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only where it cannot allocate.
    let mut row = |fields: [&str; 5]| {
        let _ = writer.write_record(fields);
    };
    row(["column", "statistic", "value", "count", "percent"]);
    // The answer sets the figures stand on, first: how many were read, valid, counted, left
    // out and unreadable.
    for statistic in [
        "answer_sets",
        "valid",
        "invalid",
        "included",
        "left_out",
        "unreadable",
    ] {
        row(["", statistic, "", &json[statistic].to_string(), ""]);
    }
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
            row([name, statistic, "", &count, ""]);
        }
        for f in column["frequencies"].as_array().into_iter().flatten() {
            let value = f["value"].as_str().unwrap_or("");
            let percent = f["percent"].to_string();
            row([name, "frequency", value, &f["count"].to_string(), &percent]);
        }
        if let Some(summary) = column["summary"].as_object() {
            for (statistic, value) in summary {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                row([name, statistic, &text, "", ""]);
            }
        }
    }
    crate::tabular::csv_text(writer)
}

/// The report's page: a section per question (a multiple choice's choices in one chart), its
/// counts of asked, not asked and not answered, a bar per value with its percentage of those
/// asked, numbers and dates summarised, then the issue codes by frequency.
fn page(survey: &Survey, report: &Value, locale: Locale) -> String {
    let t = |word: Word| locale.words().word(word);
    let codebook = crate::codebook::variables(survey, locale);
    let def = survey.definition();
    let title = escape(def.title.get(locale.tag(), &def.default_locale));
    let mut page = format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n",
        locale.tag()
    );
    let _ = write!(
        page,
        "<p class=\"totals\">{}: {} · {}: {} · {}: {} · {}: {}",
        t(Word::AnswerSets),
        report["answer_sets"],
        t(Word::Valid),
        report["valid"],
        t(Word::Invalid),
        report["invalid"],
        t(Word::Included),
        report["included"],
    );
    // What the figures leave out, said where they are read.
    for (word, key) in [
        (Word::LeftOut, "left_out"),
        (Word::Unreadable, "unreadable"),
    ] {
        if report[key].as_u64().is_some_and(|n| n > 0) {
            let _ = write!(page, " · <strong>{}: {}</strong>", t(word), report[key]);
        }
    }
    page.push_str("</p>\n");
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
        section(&mut page, &columns[i..j], &variables, pointer, locale);
        i = j;
    }
    let _ = write!(
        page,
        "<section id=\"issues\"><h2>{}</h2><table>",
        t(Word::IssuesFound)
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

fn section(
    page: &mut String,
    columns: &[Value],
    variables: &[&Variable],
    pointer: &str,
    locale: Locale,
) {
    let t = |word: Word| locale.words().word(word);
    let first = &columns[0];
    let multiple = first["kind"] == "selected";
    let label = variables
        .first()
        .map(|v| match (&v.label.rsplit_once(": "), multiple) {
            (Some((question, _)), true) => (*question).to_owned(),
            _ => v.label.clone(),
        })
        .unwrap_or_default();
    // A survey numbered by its ids (`Q10-1 事業継続…` at `/Q10-1`) shows the number once, as
    // the code before the label.
    let code = pointer.trim_start_matches('/');
    let head = code.split('/').next().unwrap_or("");
    let label = label
        .strip_prefix(&format!("{head} "))
        .map_or_else(|| label.clone(), str::to_owned);
    let id = first["column"]
        .as_str()
        .unwrap_or("")
        .split("__")
        .next()
        .unwrap_or("");
    let _ = write!(
        page,
        "<section id=\"q-{id}\"><h2><code>{}</code> {}</h2>\n<p class=\"counts\">{}: {} · {}: {} · {}: {}{}{}</p>\n",
        escape(pointer.trim_start_matches('/')),
        escape(&label),
        t(Word::Asked),
        first["asked"],
        t(Word::NotAsked),
        first["not_asked"],
        t(Word::NotAnswered),
        first["not_answered"],
        // Answers of the wrong type are asked but neither answered nor unanswered: shown when
        // the figures hold any (only with invalid answer sets counted), so the bars add up.
        match first["wrong_type"].as_u64() {
            Some(n) if n > 0 => format!(" · {}: {n}", t(Word::WrongType)),
            _ => String::new(),
        },
        variables
            .first()
            .and_then(|v| v.universe.as_ref())
            .map(|u| format!(" · {}: {}", t(Word::Universe), escape(u)))
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

/// Text for the page: the HTML special characters as entities, and every control character
/// but line breaks and tabs written as its escape (`\u{1b}`), so no raw NUL or ESC reaches the page.
fn escape(text: &str) -> String {
    crate::quote::markup(text, &[('"', "&quot;")], &['\n', '\t'])
}
