//! Answer sets as rows of a table for analysis: one column per question, group field, matrix
//! row, table cell and specify box, and one 0/1 column per choice of a multiple choice; every
//! cell an answer, **not asked** (the skip logic disabled the question) or **not answered**
//! (enabled, no answer). A repeating group's fields make a second, long table: one row per
//! instance, keyed by the answer set's row and the instance number.

pub mod csv;
mod tally;

#[cfg(feature = "parquet")]
pub mod parquet;

use std::collections::HashSet;

use serde_json::{Number, Value};

pub use tally::Tally;

use crate::input::LoadError;
use crate::issue::Report;
use crate::json::Answer;
use crate::node::{AnswerSpec, Node};
use crate::survey::Survey;
use crate::validate::{Settled, ValidateOptions};

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
    /// [`tabular::columns`](crate::tabular::columns)).
    pub name: String,
    /// JSON Pointer of the answer the column reads (`/Q1/contact`, `/I2b/I2b-2/r1_target`); in
    /// a repeat's table, the pointer of the field in the first instance (`/systems/0/name`).
    pub pointer: String,
    /// For a [`ColumnKind::Selected`] column, its choice's value.
    pub choice: Option<String>,
    /// What the column holds.
    pub kind: ColumnKind,
    /// The node the column reads.
    pub(crate) node: usize,
}

/// The long table of one repeating group: one row per instance, keyed by the answer set's
/// row and the instance number (from 1), then a column per field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RepeatTable {
    /// The table's name, made of the repeat's id as a column name is (`systems`, `Q7_7` for
    /// `Q7-7`), and unique among the repeats' tables (`a_b`, `a_b_2` for `a-b` and `a_b`).
    pub name: String,
    /// JSON Pointer of the repeat (`/systems`).
    pub pointer: String,
    /// A column per field, named after the field (`name`, `vendor`), never `row_id` or
    /// `instance`.
    pub columns: Vec<Column>,
    pub(crate) node: usize,
}

/// The columns of the main table and the long table of every repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tables {
    /// As [`tabular::columns`](crate::tabular::columns).
    pub columns: Vec<Column>,
    /// A table per repeating group, in question order.
    pub repeats: Vec<RepeatTable>,
}

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'v> {
    /// The answer.
    Answer(Datum<'v>),
    /// The skip logic disabled the question for this answer set.
    NotAsked,
    /// The question was enabled and has no answer.
    NotAnswered,
    /// The answer has the wrong JSON type for its column (`1` for a boolean, a string for a
    /// number, a fraction for an integer), or the answer set is not a JSON object: only in an
    /// invalid answer set.
    WrongType,
}

/// An answer in a cell, of its column's type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Datum<'v> {
    /// A boolean answer, or whether a multiple choice picked a [`ColumnKind::Selected`]
    /// column's choice.
    Bool(bool),
    /// An integer or a number.
    Number(&'v Number),
    /// A choice's value, a text or a date, as answered (a date is not checked here: an
    /// invalid answer set may hold any text).
    Text(&'v str),
}

/// One answer set as rows: its cells in the main table and a row per repeat instance.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Row<'v> {
    /// A cell per column of [`Tables::columns`].
    pub cells: Vec<Cell<'v>>,
    /// Every repeat instance, in table order, then instance order.
    pub instances: Vec<Instance<'v>>,
}

/// One instance of a repeat as a row of its long table.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Instance<'v> {
    /// The index of its table in [`Tables::repeats`].
    pub table: usize,
    /// Its number, from 1.
    pub number: usize,
    /// A cell per column of that table.
    pub cells: Vec<Cell<'v>>,
}

/// Longest column name: Stata's limit (SPSS allows 64, R and SQL more).
pub const MAX_COLUMN_NAME: usize = 32;

/// Names the tables use themselves, which no column takes.
const RESERVED: [&str; 3] = ["row_id", "valid", "instance"];

/// The columns of the analysis table, in question order (a repeat's fields are in
/// [`tabular::tables`](crate::tabular::tables)).
///
/// A column's name is its answer's JSON Pointer with `/` and every character outside
/// `[A-Za-z0-9_]` written `_` (`/Q10-1` -> `Q10_1`, `/Q1/contact` -> `Q1_contact`,
/// `/I2b/I2b-2/r1_target` -> `I2b_I2b_2_r1_target`), a multiple choice's choice column
/// `QUESTION__CHOICE` (`Q6__self`); `v` leads a name that does not start with a letter, a
/// name longer than [`MAX_COLUMN_NAME`] is cut, and `_2`, `_3`, ... end a name already
/// taken (`row_id`, `valid` and `instance` are taken from the start), so every name is
/// unique.
#[must_use]
pub fn columns(survey: &Survey) -> Vec<Column> {
    let mut taken: HashSet<String> = RESERVED.iter().map(|&n| n.to_owned()).collect();
    let mut columns = Vec::new();
    for index in 0..survey.nodes.len() {
        if !survey.in_repeat(index) {
            add_columns(
                survey,
                index,
                &survey.nodes[index].pointer,
                &mut taken,
                &mut columns,
            );
        }
    }
    columns
}

/// The main table's columns and a long table per repeating group, whose columns are
/// named after the fields' pointers within an instance (`/systems/0/name` -> `name`), as
/// [`tabular::columns`](crate::tabular::columns) names them.
#[must_use]
pub fn tables(survey: &Survey) -> Tables {
    let mut names: HashSet<String> = HashSet::new();
    let repeats = (0..survey.nodes.len())
        .filter_map(|repeat| {
            let node = &survey.nodes[repeat];
            let AnswerSpec::Repeat { end, .. } = node.spec else {
                return None;
            };
            let mut taken: HashSet<String> = RESERVED.iter().map(|&n| n.to_owned()).collect();
            let mut columns = Vec::new();
            for field in repeat + 1..end {
                let within = survey.nodes[field].pointer_in(node, 0);
                let rest = within.get(node.pointer.len() + 2..).unwrap_or_default();
                let start = columns.len();
                add_columns(survey, field, rest, &mut taken, &mut columns);
                for column in &mut columns[start..] {
                    column.pointer.clone_from(&within);
                }
            }
            Some(RepeatTable {
                name: unique(&identifier(&node.pointer), &mut names),
                pointer: node.pointer.clone(),
                columns,
                node: repeat,
            })
        })
        .collect();
    Tables {
        columns: columns(survey),
        repeats,
    }
}

/// The columns of one node, named after `path`.
fn add_columns(
    survey: &Survey,
    index: usize,
    path: &str,
    taken: &mut HashSet<String>,
    columns: &mut Vec<Column>,
) {
    let node = &survey.nodes[index];
    let base = identifier(path);
    let mut add = |kind: ColumnKind, suffix: Option<&str>| {
        let wanted = match suffix {
            Some(choice) => format!("{base}__{}", identifier(choice)),
            None => base.clone(),
        };
        columns.push(Column {
            name: unique(&wanted, taken),
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

/// An answer set as a row of [`tabular::columns`](crate::tabular::columns): each cell the answer, not asked or not
/// answered. A question is not asked exactly when [`Survey::enabled`] leaves it out (a
/// disabled group, row or section disables what it holds); an answer to a disabled
/// question is ignored here, as [`Survey::prune`] drops it.
#[must_use]
pub fn row<'v>(survey: &Survey, columns: &[Column], answers: &'v Value) -> Vec<Cell<'v>> {
    survey.settle(
        answers,
        &ValidateOptions::default(),
        &mut |_, _, _| {},
        |_, settled| match settled {
            Some(settled) => cells(&survey.nodes, columns, settled),
            // Not an answer set at all (`not_an_object`): no cell can say more.
            None => vec![Cell::WrongType; columns.len()],
        },
    )
}

/// Reads a JSON answer set from bytes (as [`Survey::validate_json`] does), validates it
/// and makes its [`Row`] of `tables`, in one walk, and hands both to `each`: the fast
/// path for a batch. The cells borrow from the parsed answers, which live until `each`
/// returns.
///
/// ```
/// # use survey_schema::{Survey, ValidateOptions, tabular::{Cell, Datum}};
/// let survey = Survey::from_yaml(r#"
/// id: demo
/// version: "1"
/// default_locale: en
/// title: Demo
/// questions:
///   - { id: smoker, type: boolean, title: Do you smoke?, required: true }
///   - { id: per_day, type: integer, title: How many?, required: true,
///       enable_when: { question: smoker, equals: true } }
/// "#)?;
/// let tables = survey_schema::tabular::tables(&survey);
/// let (valid, cells) = survey_schema::tabular::row_json(&survey, &tables, br#"{"smoker": false}"#, &ValidateOptions::default(),
///     |report, row| (report.is_valid(), row.cells.clone().into_iter().map(|c| format!("{c:?}")).collect::<Vec<_>>()))?;
/// assert!(valid);
/// assert_eq!(cells, ["Answer(Bool(false))", "NotAsked"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`Survey::validate_json`]: the bytes are not one well-formed JSON value within the
/// default limits.
pub fn row_json<R>(
    survey: &Survey,
    tables: &Tables,
    json: &[u8],
    options: &ValidateOptions,
    each: impl FnOnce(&Report, &Row<'_>) -> R,
) -> Result<R, LoadError> {
    let answers = Survey::parse_json(json)?;
    let instances = std::cell::RefCell::new(Vec::new());
    Ok(survey.settle(
        &answers,
        options,
        &mut |repeat, instance, settled| {
            if let Some(table) = tables.repeats.iter().position(|t| t.node == repeat) {
                let cells = cells(&survey.nodes, &tables.repeats[table].columns, settled);
                instances.borrow_mut().push(Instance {
                    table,
                    number: instance + 1,
                    cells,
                });
            }
        },
        |report, settled| {
            let cells = match settled {
                Some(settled) => cells(&survey.nodes, &tables.columns, settled),
                None => vec![Cell::WrongType; tables.columns.len()],
            };
            let mut instances = instances.take();
            instances.sort_by_key(|i| (i.table, i.number));
            each(&report, &Row { cells, instances })
        },
    ))
}

/// The cells of `columns` in settled states. A cell without an answer inside a container
/// whose answer is not an object (a group, matrix, table, row or repeat instance answered
/// `5`, `[]` or `null`) has the wrong type, not no answer: it is `.w`, as its container is a
/// `wrong_type` issue.
fn cells<'v, A: Answer>(
    nodes: &[Node],
    columns: &[Column],
    settled: &Settled<'_, '_, 'v, A>,
) -> Vec<Cell<'v>> {
    let in_wrong_container = |node: usize| {
        let mut at = nodes[node].parent;
        while let Some(container) = at {
            if let Some(answer) = settled.answer(container) {
                return answer.entries().is_none();
            }
            at = nodes[container].parent;
        }
        false
    };
    columns
        .iter()
        .map(|column| {
            if !settled.is_enabled(column.node) {
                return Cell::NotAsked;
            }
            match settled.answer(column.node) {
                None if in_wrong_container(column.node) => Cell::WrongType,
                None => Cell::NotAnswered,
                Some(answer) => datum(column, answer).map_or(Cell::WrongType, Cell::Answer),
            }
        })
        .collect()
}

/// An answer as its column's type, if it has it (an integer: a number without a fraction).
fn datum<'v, A: Answer>(column: &Column, answer: &'v A) -> Option<Datum<'v>> {
    match column.kind {
        ColumnKind::Boolean => answer.as_bool().map(Datum::Bool),
        ColumnKind::Selected => {
            let choice = column.choice.as_deref();
            let picked = answer.as_array()?;
            Some(Datum::Bool(picked.iter().any(|v| v.as_str() == choice)))
        }
        ColumnKind::Choice | ColumnKind::Text | ColumnKind::Date => {
            answer.as_str().map(Datum::Text)
        }
        ColumnKind::Number => answer.as_number().map(Datum::Number),
        ColumnKind::Integer => answer
            .as_number()
            .filter(|n| crate::number::as_integer(n, answer.literal()) != Err(false))
            .map(Datum::Number),
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

/// The text of a CSV writer into memory (its cells are UTF-8, so its bytes are).
pub(crate) fn csv_text(writer: ::csv::Writer<Vec<u8>>) -> String {
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
