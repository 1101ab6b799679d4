//! The analysis table as CSV (RFC 4180, UTF-8, one header line): the main table and each
//! repeat's long table, every cell an answer or the code of why there is none.

use std::fmt::Write as _;
use std::io;

use super::{Cell, Column, Datum, RepeatTable, Tables};

/// The codes a cell holds where there is no answer (what `survey export` writes with
/// `--not-asked`, `--not-answered` and `--wrong-type`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MissingCodes {
    /// The skip logic disabled the question: `.a` by default.
    pub not_asked: String,
    /// Enabled, and no answer: `.b` by default.
    pub not_answered: String,
    /// The answer has the wrong JSON type (only in an invalid answer set): `.w` by default.
    pub wrong_type: String,
}

impl Default for MissingCodes {
    fn default() -> MissingCodes {
        MissingCodes {
            not_asked: ".a".into(),
            not_answered: ".b".into(),
            wrong_type: ".w".into(),
        }
    }
}

/// Writes rows of one table as CSV: a header, then a row per answer set (main table) or per
/// repeat instance (a repeat's long table). Booleans and picked choices are `1`/`0`, numbers
/// and texts as written, and a cell with no answer holds its [`MissingCodes`] code.
///
/// ```
/// use survey_schema::{Survey, ValidateOptions};
/// use survey_schema::tabular::csv::{CsvWriter, MissingCodes};
/// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: en\ntitle: Pets\nquestions:\n  - {id: has_pet, type: boolean, title: Do you have a pet?}\n  - {id: pets, type: integer, title: How many?, enable_when: {question: has_pet, equals: true}}\n")?;
/// let tables = survey.tables();
/// let mut csv = CsvWriter::new(Vec::new(), MissingCodes::default());
/// csv.header(&tables)?;
/// for (row_id, answers) in [("1", r#"{"has_pet": true, "pets": 2}"#), ("2", r#"{"has_pet": false}"#)] {
///     survey.row_json(&tables, answers.as_bytes(), &ValidateOptions::default(), |report, row| {
///         csv.row(row_id, report.is_valid(), &row.cells)
///     })??;
/// }
/// let text = String::from_utf8(csv.into_inner()?)?;
/// assert_eq!(text, "row_id,valid,has_pet,pets\n1,1,1,2\n2,1,0,.a\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CsvWriter<W: io::Write> {
    out: ::csv::Writer<W>,
    codes: MissingCodes,
    number: String,
}

impl<W: io::Write> CsvWriter<W> {
    /// A writer into `out` (buffered; [`CsvWriter::flush`] or [`CsvWriter::into_inner`] at
    /// the end).
    pub fn new(out: W, codes: MissingCodes) -> CsvWriter<W> {
        CsvWriter {
            out: ::csv::Writer::from_writer(out),
            codes,
            number: String::new(),
        }
    }

    /// The main table's header: `row_id`, `valid`, then every column's name.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn header(&mut self, tables: &Tables) -> io::Result<()> {
        self.names("valid", &tables.columns)
    }

    /// A repeat's long table header: `row_id`, `instance`, then every field's column.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn repeat_header(&mut self, table: &RepeatTable) -> io::Result<()> {
        self.names("instance", &table.columns)
    }

    fn names(&mut self, key: &str, columns: &[Column]) -> io::Result<()> {
        self.out.write_field("row_id")?;
        self.out.write_field(key)?;
        for column in columns {
            self.out.write_field(&column.name)?;
        }
        Ok(self.out.write_record(None::<&[u8]>)?)
    }

    /// A row of the main table: the answer set's id, whether it is valid (`1`/`0`), its cells.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn row(&mut self, row_id: &str, valid: bool, cells: &[Cell<'_>]) -> io::Result<()> {
        self.record(row_id, if valid { "1" } else { "0" }, cells)
    }

    /// A row of a repeat's long table: the answer set's id, the instance's number (from 1),
    /// its cells.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn instance(&mut self, row_id: &str, number: usize, cells: &[Cell<'_>]) -> io::Result<()> {
        self.record(row_id, &number.to_string(), cells)
    }

    fn record(&mut self, row_id: &str, key: &str, cells: &[Cell<'_>]) -> io::Result<()> {
        self.out.write_field(row_id)?;
        self.out.write_field(key)?;
        for cell in cells {
            let text: &str = match cell {
                Cell::NotAsked => &self.codes.not_asked,
                Cell::NotAnswered => &self.codes.not_answered,
                Cell::WrongType => &self.codes.wrong_type,
                Cell::Answer(Datum::Bool(true)) => "1",
                Cell::Answer(Datum::Bool(false)) => "0",
                Cell::Answer(Datum::Number(n)) => {
                    self.number.clear();
                    let _ = write!(self.number, "{n}");
                    &self.number
                }
                Cell::Answer(Datum::Text(s)) => s,
            };
            self.out.write_field(text)?;
        }
        Ok(self.out.write_record(None::<&[u8]>)?)
    }

    /// Writes what is buffered.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes, and gives `out` back.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn into_inner(self) -> io::Result<W> {
        self.out
            .into_inner()
            .map_err(::csv::IntoInnerError::into_error)
    }
}
