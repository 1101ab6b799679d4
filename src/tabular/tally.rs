//! Counts over rows for a report, in memory that does not grow with the number of answer
//! sets.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use serde_json::Value;

use super::{Cell, Column, ColumnKind, Datum};
use crate::issue::Report;
use crate::survey::Survey;

/// Most distinct values kept per column. Past it, a choice column's further values are
/// counted as `(other)`, and a number or date column's kept values are merged two by two
/// (each pair under its lower value), so its quartiles become approximate and say so.
const MAX_DISTINCT: usize = 65_536;

/// Counts over answer sets, one row at a time, for a report: per column how many answer sets
/// were asked the question, did not answer it, and (booleans, choices, picked choices) how
/// many gave each value; numbers and dates are kept as counts of distinct values for their
/// summary. Memory grows with the number of distinct values (at most 65,536 per column),
/// never with the number of answer sets.
#[derive(Debug, Clone)]
pub struct Tally {
    columns: Vec<Column>,
    counts: Vec<Counts>,
    answer_sets: usize,
    valid: usize,
    /// Answer sets counted in the validity summary only, not in the columns.
    left_out: usize,
    /// Lines or files that held no answer set to read.
    unreadable: usize,
    issues: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Default)]
struct Counts {
    asked: usize,
    not_answered: usize,
    wrong_type: usize,
    /// Booleans and picked choices answered `true` and `false`.
    ones: usize,
    zeros: usize,
    /// A single choice's values.
    values: HashMap<String, usize>,
    /// Numbers by their order key (see [`order_key`]), dates shaped `YYYY-MM-DD` by their
    /// digits as one number (`20240401`: the same order), other date texts by their text.
    numbers: HashMap<u64, usize>,
    dates: HashMap<u32, usize>,
    odd_dates: HashMap<String, usize>,
    /// Whether the number or date counts were merged (quartiles approximate).
    merged: bool,
}

impl Tally {
    /// An empty tally of the survey's [`tabular::columns`](crate::tabular::columns).
    #[must_use]
    pub fn new(survey: &Survey) -> Tally {
        let columns = super::columns(survey);
        let counts = vec![Counts::default(); columns.len()];
        Tally {
            columns,
            counts,
            answer_sets: 0,
            valid: 0,
            left_out: 0,
            unreadable: 0,
            issues: BTreeMap::new(),
        }
    }

    /// Counts one answer set: its report (for the validity summary) and its cells, a cell per
    /// column of [`tabular::columns`](crate::tabular::columns) as [`tabular::row`](crate::tabular::row) or [`tabular::row_json`](crate::tabular::row_json) make them.
    pub fn add(&mut self, report: &Report, cells: &[Cell<'_>]) {
        self.summarise(report);
        for ((cell, column), counts) in cells.iter().zip(&self.columns).zip(&mut self.counts) {
            if *cell == Cell::NotAsked {
                continue;
            }
            counts.asked += 1;
            match (cell, column.kind) {
                (Cell::NotAnswered, _) => counts.not_answered += 1,
                (Cell::WrongType, _) => counts.wrong_type += 1,
                (Cell::Answer(Datum::Bool(true)), _) => counts.ones += 1,
                (Cell::Answer(Datum::Bool(false)), _) => counts.zeros += 1,
                (Cell::Answer(Datum::Text(s)), ColumnKind::Choice) => counts.count(s, 1),
                (Cell::Answer(Datum::Text(s)), ColumnKind::Date) => {
                    if let Some(key) = date_key(s) {
                        *counts.dates.entry(key).or_default() += 1;
                    } else if let Some(n) = counts.odd_dates.get_mut(*s) {
                        *n += 1;
                    } else {
                        counts.odd_dates.insert((*s).to_owned(), 1);
                    }
                    counts.bound();
                }
                (Cell::Answer(Datum::Number(n)), _) => {
                    if let Some(f) = n.as_f64() {
                        *counts.numbers.entry(order_key(f)).or_default() += 1;
                        counts.bound();
                    }
                }
                _ => {}
            }
        }
    }

    /// Counts one answer set in the validity summary and its issues only, leaving its cells
    /// out of the columns: how a report on valid answer sets counts an invalid one, so that
    /// it still says how many were left out and why.
    ///
    /// ```
    /// # use survey_schema::{Survey, ValidateOptions, tabular::Tally};
    /// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions: [{id: n, type: integer, title: N}]")?;
    /// let tables = survey_schema::tabular::tables(&survey);
    /// let mut tally = Tally::new(&survey);
    /// for line in [&br#"{"n": 1}"#[..], br#"{"n": "one"}"#] {
    ///     survey_schema::tabular::row_json(&survey, &tables, line, &ValidateOptions::default(), |report, row| {
    ///         if report.is_valid() { tally.add(report, &row.cells) } else { tally.leave_out(report) }
    ///     })?;
    /// }
    /// let json = tally.to_json();
    /// assert_eq!((json["answer_sets"].as_u64(), json["included"].as_u64(), json["left_out"].as_u64()), (Some(2), Some(1), Some(1)));
    /// assert_eq!(json["columns"][0]["asked"], 1);
    /// assert_eq!(json["issues"][0]["code"], "wrong_type");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn leave_out(&mut self, report: &Report) {
        self.summarise(report);
        self.left_out += 1;
    }

    /// Counts lines or files that held no answer set to read (broken JSON, not UTF-8).
    pub fn add_unreadable(&mut self, count: usize) {
        self.unreadable += count;
    }

    fn summarise(&mut self, report: &Report) {
        self.answer_sets += 1;
        self.valid += usize::from(report.is_valid());
        for issue in &report.issues {
            *self.issues.entry(issue.code.as_str()).or_default() += 1;
        }
    }

    /// Adds the counts of another tally of the same survey (one made by [`Tally::new`] with
    /// it), as if its answer sets had been added here after these.
    pub fn merge(&mut self, other: Tally) {
        self.answer_sets += other.answer_sets;
        self.valid += other.valid;
        self.left_out += other.left_out;
        self.unreadable += other.unreadable;
        for (code, n) in other.issues {
            *self.issues.entry(code).or_default() += n;
        }
        for (counts, theirs) in self.counts.iter_mut().zip(other.counts) {
            counts.asked += theirs.asked;
            counts.not_answered += theirs.not_answered;
            counts.wrong_type += theirs.wrong_type;
            counts.ones += theirs.ones;
            counts.zeros += theirs.zeros;
            for (value, n) in theirs.values {
                counts.count(&value, n);
            }
            counts.merged |= theirs.merged;
            for (key, n) in theirs.numbers {
                *counts.numbers.entry(key).or_default() += n;
            }
            for (date, n) in theirs.dates {
                *counts.dates.entry(date).or_default() += n;
            }
            for (date, n) in theirs.odd_dates {
                *counts.odd_dates.entry(date).or_default() += n;
            }
            counts.bound();
        }
    }

    /// The report as JSON: the validity summary (`answer_sets` read, `valid`, `invalid`, the
    /// `included` ones the columns count, those `left_out` of them, `unreadable` lines or files,
    /// issue codes by frequency over every answer set read) and per column the
    /// counts of asked, not asked, not answered and answered, each value's count and its
    /// percentage of those asked, and for numbers and dates n, min, quartiles and max (with
    /// `exact: false` when the column had more distinct values than are kept).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut issues: Vec<(&str, usize)> = self.issues.iter().map(|(k, v)| (*k, *v)).collect();
        issues.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let columns: Vec<Value> = self
            .columns
            .iter()
            .zip(&self.counts)
            .map(|(column, counts)| {
                let percent = |n: usize| {
                    if counts.asked == 0 {
                        Value::Null
                    } else {
                        #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
                        let p = n as f64 * 100.0 / counts.asked as f64;
                        serde_json::json!((p * 10.0).round() / 10.0)
                    }
                };
                let mut out = serde_json::json!({
                    "column": column.name,
                    "pointer": column.pointer,
                    "kind": column.kind.as_str(),
                    "asked": counts.asked,
                    "not_asked": self.answer_sets - self.left_out - counts.asked,
                    "not_answered": counts.not_answered,
                    "wrong_type": counts.wrong_type,
                    "answered": counts.asked - counts.not_answered - counts.wrong_type,
                });
                if matches!(
                    column.kind,
                    ColumnKind::Boolean | ColumnKind::Choice | ColumnKind::Selected
                ) {
                    let mut values = sorted(&counts.values);
                    for (value, n) in [("0", counts.zeros), ("1", counts.ones)] {
                        if n > 0 {
                            values.push((value.to_owned(), n));
                        }
                    }
                    values.sort_by(|a, b| a.0.cmp(&b.0));
                    out["frequencies"] = values
                        .into_iter()
                        .map(|(value, n)| {
                            serde_json::json!({ "value": value, "count": n, "percent": percent(n) })
                        })
                        .collect();
                }
                if matches!(column.kind, ColumnKind::Integer | ColumnKind::Number) {
                    out["summary"] = quantiles(&sorted(&counts.numbers), counts.merged, |key| {
                        serde_json::json!(from_order_key(*key))
                    });
                }
                if column.kind == ColumnKind::Date {
                    let mut dates: Vec<(String, usize)> = counts
                        .dates
                        .iter()
                        .map(|(key, n)| (date_text(*key), *n))
                        .collect();
                    dates.extend(counts.odd_dates.iter().map(|(d, n)| (d.clone(), *n)));
                    dates.sort_by(|a, b| a.0.cmp(&b.0));
                    out["summary"] = quantiles(&dates, counts.merged, |d| serde_json::json!(d));
                }
                out
            })
            .collect();
        serde_json::json!({
            "answer_sets": self.answer_sets,
            "valid": self.valid,
            "invalid": self.answer_sets - self.valid,
            "included": self.answer_sets - self.left_out,
            "left_out": self.left_out,
            "unreadable": self.unreadable,
            "issues": issues
                .iter()
                .map(|(code, n)| serde_json::json!({ "code": code, "count": n }))
                .collect::<Vec<_>>(),
            "columns": columns,
        })
    }
}

impl Counts {
    /// Counts `n` answers of a value of a boolean, choice or picked-choice column.
    fn count(&mut self, value: &str, n: usize) {
        if let Some(count) = self.values.get_mut(value) {
            *count += n;
        } else if self.values.len() < MAX_DISTINCT {
            self.values.insert(value.to_owned(), n);
        } else {
            *self.values.entry("(other)".to_owned()).or_default() += n;
        }
    }

    /// Merges the kept numbers and dates two by two while there are more than are kept.
    fn bound(&mut self) {
        while self.numbers.len() > MAX_DISTINCT {
            self.numbers = halve(&self.numbers);
            self.merged = true;
        }
        while self.dates.len() > MAX_DISTINCT {
            self.dates = halve(&self.dates);
            self.merged = true;
        }
        while self.odd_dates.len() > MAX_DISTINCT {
            self.odd_dates = halve(&self.odd_dates);
            self.merged = true;
        }
    }
}

/// An `f64`'s bits turned so that unsigned order is numeric order (`-0.0` below `0.0`).
fn order_key(f: f64) -> u64 {
    let bits = f.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

fn from_order_key(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// A `YYYY-MM-DD`-shaped text's digits as one number, which orders as the text does.
fn date_key(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let mut key = 0u32;
    for (i, c) in b.iter().enumerate() {
        if i == 4 || i == 7 {
            continue;
        }
        if !c.is_ascii_digit() {
            return None;
        }
        key = key * 10 + u32::from(c - b'0');
    }
    Some(key)
}

fn date_text(key: u32) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        key / 10_000,
        key / 100 % 100,
        key % 100
    )
}

/// The counts in key order.
fn sorted<K: Ord + Clone>(counts: &HashMap<K, usize>) -> Vec<(K, usize)> {
    let mut out: Vec<(K, usize)> = counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The counts merged two by two in key order, each pair under its lower key.
fn halve<K: Ord + Clone + Hash>(counts: &HashMap<K, usize>) -> HashMap<K, usize> {
    let mut out = HashMap::new();
    let mut entries = sorted(counts).into_iter();
    while let Some((key, n)) = entries.next() {
        let more = entries.next().map_or(0, |(_, m)| m);
        out.insert(key, n + more);
    }
    out
}

/// n, min, the quartiles (the lower of the two middle values where they fall between) and max
/// of values counted in order.
fn quantiles<K>(counts: &[(K, usize)], merged: bool, json: impl Fn(&K) -> Value) -> Value {
    let n: usize = counts.iter().map(|(_, count)| count).sum();
    if n == 0 {
        return serde_json::json!({ "n": 0 });
    }
    // The value at each sorted position, found in one pass over the counts.
    let positions = [0, (n - 1) / 4, (n - 1) / 2, (n - 1) * 3 / 4, n - 1];
    let mut found = Vec::with_capacity(positions.len());
    let mut seen = 0;
    for (key, count) in counts {
        seen += *count;
        while found.len() < positions.len() && positions[found.len()] < seen {
            found.push(json(key));
        }
    }
    let mut out = serde_json::json!({
        "n": n,
        "min": found[0],
        "q1": found[1],
        "median": found[2],
        "q3": found[3],
        "max": found[4],
    });
    if merged {
        out["exact"] = Value::Bool(false);
    }
    out
}
