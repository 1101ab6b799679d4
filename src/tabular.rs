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
    /// a number): only in an invalid answer set.
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
