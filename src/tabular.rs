//! Answer sets as rows of a table for analysis: one column per question, group field, matrix
//! row, table cell and specify box, and one 0/1 column per choice of a multiple choice; every
//! cell an answer, **not asked** (the skip logic disabled the question) or **not answered**
//! (enabled, no answer). A repeat's fields are not columns of this table.

use std::collections::HashSet;

use serde_json::Value;

use crate::node::AnswerSpec;
use crate::survey::Survey;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnKind {
    /// A boolean answer: 1 or 0.
    Boolean,
    /// A single choice: the choice's value.
    Choice,
    /// One choice of a multiple choice: 1 when picked, 0 when not.
    Selected,
    /// Text.
    Text,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A `YYYY-MM-DD` date.
    Date,
}

impl ColumnKind {
    /// Whether a value has the JSON type the column holds (an integer: a number without a
    /// fraction).
    fn fits(self, value: &Value) -> bool {
        match self {
            ColumnKind::Boolean => value.is_boolean(),
            ColumnKind::Choice | ColumnKind::Text | ColumnKind::Date => value.is_string(),
            ColumnKind::Selected => value.is_array(),
            ColumnKind::Number => value.is_number(),
            ColumnKind::Integer => {
                value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
        }
    }

    /// The kind's name in the codebook (`boolean`, `selected`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Boolean => "boolean",
            ColumnKind::Choice => "choice",
            ColumnKind::Selected => "selected",
            ColumnKind::Text => "text",
            ColumnKind::Integer => "integer",
            ColumnKind::Number => "number",
            ColumnKind::Date => "date",
        }
    }
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Column {
    /// The column's name: a valid identifier in R, Stata, SPSS and SQL (see
    /// [`Survey::columns`]).
    pub name: String,
    /// JSON Pointer of the answer the column reads (`/Q1/email`, `/I2b/I2b-2/r1_target`).
    pub pointer: String,
    /// For a [`ColumnKind::Selected`] column, its choice's value.
    pub choice: Option<String>,
    /// What the column holds.
    pub kind: ColumnKind,
    /// The node the column reads.
    pub(crate) node: usize,
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'v> {
    /// The answer (for a [`ColumnKind::Selected`] column, `true` or `false`); a value of the
    /// wrong type in an invalid answer set is given as it is.
    Answer(Answered<'v>),
    /// The skip logic disabled the question for this answer set.
    NotAsked,
    /// The question was enabled and has no answer.
    NotAnswered,
    /// The answer has the wrong JSON type for its question (`1` for a boolean, a string for
    /// a number), or the answer set is not a JSON object: only in an invalid answer set.
    WrongType(&'v Value),
}

/// An answer in a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered<'v> {
    /// A value from the answer set.
    Value(&'v Value),
    /// Whether a multiple choice picked the column's choice.
    Selected(bool),
}

/// Longest column name: Stata's limit (SPSS allows 64, R and SQL more).
pub const MAX_COLUMN_NAME: usize = 32;

impl Survey {
    /// The columns of the analysis table, in question order.
    ///
    /// A column's name is its answer's JSON Pointer with `/` and every character outside
    /// `[A-Za-z0-9_]` written `_` (`/Q10-1` -> `Q10_1`, `/Q1/email` -> `Q1_email`,
    /// `/I2b/I2b-2/r1_target` -> `I2b_I2b_2_r1_target`), a multiple choice's choice column
    /// `QUESTION__CHOICE` (`Q6__self`); `v` leads a name that does not start with a letter, a
    /// name longer than [`MAX_COLUMN_NAME`] is cut, and `_2`, `_3`, ... end a name already
    /// taken, so every name is unique.
    #[must_use]
    pub fn columns(&self) -> Vec<Column> {
        let mut taken = HashSet::new();
        let mut columns = Vec::new();
        for (index, node) in self.nodes.iter().enumerate() {
            if self.in_repeat(index) {
                continue;
            }
            let base = identifier(&node.pointer);
            let mut add = |kind: ColumnKind, suffix: Option<&str>| {
                let wanted = match suffix {
                    Some(choice) => format!("{base}__{}", identifier(choice)),
                    None => base.clone(),
                };
                columns.push(Column {
                    name: unique(&wanted, &mut taken),
                    pointer: node.pointer.clone(),
                    choice: suffix.map(str::to_owned),
                    kind,
                    node: index,
                });
            };
            match &node.spec {
                AnswerSpec::Boolean { .. } => add(ColumnKind::Boolean, None),
                AnswerSpec::SingleChoice { .. } => add(ColumnKind::Choice, None),
                AnswerSpec::MultipleChoice { choices, .. } => {
                    for choice in choices {
                        add(ColumnKind::Selected, Some(&choice.value));
                    }
                }
                AnswerSpec::Text { .. } => add(ColumnKind::Text, None),
                AnswerSpec::Integer { .. } => add(ColumnKind::Integer, None),
                AnswerSpec::Number { .. } => add(ColumnKind::Number, None),
                AnswerSpec::Date { .. } => add(ColumnKind::Date, None),
                AnswerSpec::Group { .. } | AnswerSpec::Repeat { .. } => {}
            }
        }
        columns
    }

    /// An answer set as a row of [`Survey::columns`]: each cell the answer, not asked or not
    /// answered. A question is not asked exactly when [`Survey::enabled`] leaves it out (a
    /// disabled group, row or section disables what it holds); an answer to a disabled
    /// question is ignored here, as [`Survey::prune`] drops it.
    #[must_use]
    pub fn row<'v>(&self, columns: &[Column], answers: &'v Value) -> Vec<Cell<'v>> {
        if !answers.is_object() {
            // Not an answer set at all (`not_an_object`): no cell can say more.
            return vec![Cell::WrongType(answers); columns.len()];
        }
        let enabled = self.enabled_nodes(answers);
        columns
            .iter()
            .map(|column| {
                if !enabled[column.node] {
                    return Cell::NotAsked;
                }
                let Some(value) = answers.pointer(&column.pointer) else {
                    return Cell::NotAnswered;
                };
                match (&column.choice, value) {
                    (Some(choice), Value::Array(picked)) => Cell::Answer(Answered::Selected(
                        picked.iter().any(|v| v.as_str() == Some(choice)),
                    )),
                    _ if !column.kind.fits(value) => Cell::WrongType(value),
                    _ => Cell::Answer(Answered::Value(value)),
                }
            })
            .collect()
    }
}

/// A pointer or value as an identifier: `[A-Za-z][A-Za-z0-9_]*`.
fn identifier(text: &str) -> String {
    let mut out: String = text
        .trim_start_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'v');
    }
    out
}

/// `wanted` cut to [`MAX_COLUMN_NAME`], with `_2`, `_3`, ... until no column has it.
fn unique(wanted: &str, taken: &mut HashSet<String>) -> String {
    let cut = |text: &str, room: usize| text.chars().take(room).collect::<String>();
    let mut name = cut(wanted, MAX_COLUMN_NAME);
    let mut n = 2;
    while !taken.insert(name.clone()) {
        let suffix = format!("_{n}");
        name = format!("{}{suffix}", cut(wanted, MAX_COLUMN_NAME - suffix.len()));
        n += 1;
    }
    name
}

/// Counts over answer sets, one at a time, for a report: per column how many answer sets
/// were asked the question, did not answer it, and (booleans, choices, picked choices) how
/// many gave each value; numbers and dates keep their answers for the summary.
#[derive(Debug, Clone)]
pub struct Tally {
    columns: Vec<Column>,
    counts: Vec<Counts>,
    /// Answer sets added, valid ones, and each issue code's count.
    answer_sets: usize,
    valid: usize,
    issues: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Default)]
struct Counts {
    asked: usize,
    not_answered: usize,
    wrong_type: usize,
    values: std::collections::BTreeMap<String, usize>,
    numbers: Vec<f64>,
    dates: Vec<String>,
}

impl Tally {
    /// An empty tally of the survey's [`Survey::columns`].
    #[must_use]
    pub fn new(survey: &Survey) -> Tally {
        let columns = survey.columns();
        let counts = vec![Counts::default(); columns.len()];
        Tally {
            columns,
            counts,
            answer_sets: 0,
            valid: 0,
            issues: std::collections::BTreeMap::new(),
        }
    }

    /// Counts one answer set (validated for the validity summary).
    pub fn add(&mut self, survey: &Survey, answers: &Value) {
        let report = survey.validate(answers);
        self.answer_sets += 1;
        self.valid += usize::from(report.is_valid());
        for issue in &report.issues {
            *self.issues.entry(issue.code.as_str()).or_default() += 1;
        }
        for ((cell, column), counts) in survey
            .row(&self.columns, answers)
            .iter()
            .zip(&self.columns)
            .zip(&mut self.counts)
        {
            if *cell == Cell::NotAsked {
                continue;
            }
            counts.asked += 1;
            match cell {
                Cell::NotAnswered => counts.not_answered += 1,
                Cell::WrongType(_) => counts.wrong_type += 1,
                Cell::Answer(Answered::Selected(picked)) => {
                    *counts
                        .values
                        .entry(if *picked { "1" } else { "0" }.into())
                        .or_default() += 1;
                }
                Cell::Answer(Answered::Value(value)) => match (column.kind, value) {
                    (ColumnKind::Boolean, Value::Bool(b)) => {
                        *counts
                            .values
                            .entry(if *b { "1" } else { "0" }.into())
                            .or_default() += 1;
                    }
                    (ColumnKind::Choice, Value::String(s)) => {
                        *counts.values.entry(s.clone()).or_default() += 1;
                    }
                    (ColumnKind::Integer | ColumnKind::Number, v) => {
                        counts.numbers.extend(v.as_f64());
                    }
                    (ColumnKind::Date, Value::String(s)) => counts.dates.push(s.clone()),
                    _ => {}
                },
                Cell::NotAsked => {}
            }
        }
    }

    /// The report as JSON: the validity summary (issue codes by frequency) and per column the
    /// counts of asked, not asked, not answered and answered, each value's count and its
    /// percentage of those asked, and for numbers and dates n, min, quartiles and max.
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
                    "not_asked": self.answer_sets - counts.asked,
                    "not_answered": counts.not_answered,
                    "wrong_type": counts.wrong_type,
                    "answered": counts.asked - counts.not_answered - counts.wrong_type,
                });
                if !counts.values.is_empty() || matches!(column.kind, ColumnKind::Boolean | ColumnKind::Choice | ColumnKind::Selected) {
                    out["frequencies"] = counts
                        .values
                        .iter()
                        .map(|(value, n)| serde_json::json!({ "value": value, "count": n, "percent": percent(*n) }))
                        .collect();
                }
                if matches!(column.kind, ColumnKind::Integer | ColumnKind::Number) {
                    out["summary"] = summary(&counts.numbers);
                }
                if column.kind == ColumnKind::Date {
                    let mut dates = counts.dates.clone();
                    dates.sort();
                    out["summary"] = quantiles(&dates, |d| serde_json::json!(d));
                }
                out
            })
            .collect();
        serde_json::json!({
            "answer_sets": self.answer_sets,
            "valid": self.valid,
            "invalid": self.answer_sets - self.valid,
            "issues": issues.iter().map(|(code, n)| serde_json::json!({ "code": code, "count": n })).collect::<Vec<_>>(),
            "columns": columns,
        })
    }
}

fn summary(numbers: &[f64]) -> Value {
    let mut sorted = numbers.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantiles(&sorted, |n| serde_json::json!(n))
}

/// n, min, the quartiles (the lower of the two middle values where they fall between) and max
/// of sorted values.
fn quantiles<T>(sorted: &[T], json: impl Fn(&T) -> Value) -> Value {
    if sorted.is_empty() {
        return serde_json::json!({ "n": 0 });
    }
    let at = |q: usize| json(&sorted[(sorted.len() - 1) * q / 4]);
    serde_json::json!({
        "n": sorted.len(),
        "min": at(0),
        "q1": at(1),
        "median": at(2),
        "q3": at(3),
        "max": at(4),
    })
}
