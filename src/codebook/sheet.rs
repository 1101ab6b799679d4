//! The codebook as a sheet: one row per variable, as CSV or as a Markdown table.

use crate::messages::{Locale, SHEET_HEADER, Word};
use crate::survey::Survey;

/// The header and a row per variable of [`codebook::variables`](crate::codebook::variables).
fn rows(
    survey: &Survey,
    locale: Locale,
    not_asked: &str,
    not_answered: &str,
) -> ([&'static str; SHEET_HEADER], Vec<[String; SHEET_HEADER]>) {
    let words = locale.words();
    let (everyone, header) = (words.word(Word::Everyone), words.sheet_header());
    let rows = super::variables(survey, locale)
        .into_iter()
        .map(|v| {
            let values: Vec<String> = v
                .values
                .iter()
                .map(|(code, label)| format!("{code} = {label}"))
                .collect();
            [
                v.name,
                v.pointer,
                v.label,
                v.question,
                v.kind.as_str().to_owned(),
                values.join("; "),
                not_asked.to_owned(),
                not_answered.to_owned(),
                v.universe.unwrap_or_else(|| everyone.to_owned()),
                v.references.join("; "),
                v.number.unwrap_or_default(),
                v.inferred.join("; "),
            ]
        })
        .collect();
    (header, rows)
}

/// The codebook as CSV (RFC 4180), headed in `locale`: per column of the analysis table its
/// name, JSON Pointer, label, question text, type, value labels, the codes of "not asked" and
/// "not answered" (as `survey export` was told to write them), universe, references, the
/// item's printed number and what the survey file marks as inferred.
///
/// ```
/// use survey_schema::{Locale, Survey, codebook};
/// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: en\ntitle: Pets\nquestions:\n  - {id: has_pet, type: boolean, title: Do you have a pet?}\n  - {id: pets, type: integer, title: How many?, enable_when: {question: has_pet, equals: true}}\n")?;
/// let csv = codebook::csv(&survey, Locale::En, ".a", ".b");
/// let mut lines = csv.lines();
/// assert_eq!(lines.next(), Some("name,pointer,label,question,type,values,not asked,not answered,universe,references,number,\"inferred (what the source does not say, and why)\""));
/// assert!(lines.next().unwrap().starts_with("has_pet,/has_pet,Do you have a pet?,"));
/// assert!(lines.next().unwrap().contains(",.a,.b,"));
/// # Ok::<(), survey_schema::Error>(())
/// ```
#[must_use]
pub fn csv(survey: &Survey, locale: Locale, not_asked: &str, not_answered: &str) -> String {
    let (header, rows) = rows(survey, locale, not_asked, not_answered);
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only where it cannot allocate.
    let _ = writer.write_record(header);
    for row in &rows {
        let _ = writer.write_record(row);
    }
    crate::tabular::csv_text(writer)
}

/// The codebook as a Markdown table, the same columns as [`csv()`]: in a text, `&`, `<` and
/// `>` are written as HTML entities (so a label's markup is shown, never run), a `|` is
/// escaped, a line break is `<br>` and any other control character but tab is written as its escape
/// (`\u{1b}`).
///
/// ```
/// use survey_schema::{Locale, Survey, codebook};
/// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: en\ntitle: Pets\nquestions:\n  - {id: has_pet, type: boolean, title: Do you have a pet?}\n")?;
/// let table = codebook::markdown(&survey, Locale::En, ".a", ".b");
/// assert!(table.starts_with("| name | pointer | label |"));
/// assert!(table.contains("| has_pet | /has_pet | Do you have a pet? |"));
/// # Ok::<(), survey_schema::Error>(())
/// ```
#[must_use]
pub fn markdown(survey: &Survey, locale: Locale, not_asked: &str, not_answered: &str) -> String {
    let (header, rows) = rows(survey, locale, not_asked, not_answered);
    let cell = |text: &str| crate::quote::markup(text, &[('|', "\\|"), ('\n', "<br>")], &['\t']);
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
    text
}
