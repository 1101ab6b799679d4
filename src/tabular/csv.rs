//! The analysis table as CSV (RFC 4180, UTF-8, one header line): the main table and each
//! repeat's long table, every cell an answer or the code of why there is none.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use super::{Cell, Column, Datum, RepeatTable, Tables};

/// The codes a cell holds where there is no answer (what `survey export` writes with
/// `--not-asked`, `--not-answered` and `--wrong-type`).
///
/// No answer can be told for a code: the three codes differ from each other, none is a
/// number (`-99` could be an answer, as `1` and `0` are booleans), and a text cell that is a
/// code (a text answer `.a`), or a code after backslashes (`\.a`), is written with one more
/// backslash in front (`\.a`, `\\.a`): drop one leading `\` from a cell that is not a
/// code to read it back.
///
/// ```
/// use survey_schema::tabular::csv::{MissingCodes, MissingCodeError};
/// let codes = MissingCodes::new("NA_asked", "NA", "NA_type")?;
/// assert_eq!(codes.not_answered(), "NA");
/// assert!(matches!(MissingCodes::new("-99", "-98", "-97"), Err(MissingCodeError::Number(_))));
/// assert!(matches!(MissingCodes::new("", "", ".w"), Err(MissingCodeError::Same(_))));
/// # Ok::<(), MissingCodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCodes {
    not_asked: String,
    not_answered: String,
    wrong_type: String,
}

/// Why [`MissingCodes::new`] refused a code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissingCodeError {
    /// The code is a number, which a number cell could hold.
    Number(String),
    /// Two of the codes are this one (after their leading backslashes: `N` and `\\N` could
    /// not be told apart from an escaped text).
    Same(String),
}

impl std::fmt::Display for MissingCodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MissingCodeError::Number(code) => write!(
                f,
                "the missing code {code:?} is a number, which a cell could hold as an answer"
            ),
            MissingCodeError::Same(code) => {
                write!(
                    f,
                    "the missing code {code:?} is given for two reasons (leading backslashes aside)"
                )
            }
        }
    }
}

impl std::error::Error for MissingCodeError {}

impl MissingCodes {
    /// The codes of a question not asked, not answered, and answered with the wrong type.
    ///
    /// # Errors
    ///
    /// When a code is a number (as JSON writes numbers: `-99`, `1`, `0.5`, `1e3`), or two
    /// codes are the same after their leading backslashes.
    pub fn new(
        not_asked: impl Into<String>,
        not_answered: impl Into<String>,
        wrong_type: impl Into<String>,
    ) -> Result<MissingCodes, MissingCodeError> {
        let codes = MissingCodes {
            not_asked: not_asked.into(),
            not_answered: not_answered.into(),
            wrong_type: wrong_type.into(),
        };
        let all = [&codes.not_asked, &codes.not_answered, &codes.wrong_type];
        for (i, code) in all.iter().enumerate() {
            if serde_json::from_str::<serde_json::Number>(code).is_ok() {
                return Err(MissingCodeError::Number((*code).clone()));
            }
            let bare = |c: &str| c.trim_start_matches('\\').to_owned();
            if all[..i].iter().any(|other| bare(other) == bare(code)) {
                return Err(MissingCodeError::Same((*code).clone()));
            }
        }
        Ok(codes)
    }

    /// The skip logic disabled the question: `.a` by default.
    #[must_use]
    pub fn not_asked(&self) -> &str {
        &self.not_asked
    }

    /// Enabled, and no answer: `.b` by default.
    #[must_use]
    pub fn not_answered(&self) -> &str {
        &self.not_answered
    }

    /// The answer has the wrong JSON type (only in an invalid answer set): `.w` by default.
    #[must_use]
    pub fn wrong_type(&self) -> &str {
        &self.wrong_type
    }

    /// Whether a text cell would read as a code: it is one after none or some of its
    /// leading backslashes.
    fn escapes(&self, text: &str) -> bool {
        let mut rest = text;
        loop {
            if rest == self.not_asked || rest == self.not_answered || rest == self.wrong_type {
                return true;
            }
            match rest.strip_prefix('\\') {
                Some(shorter) => rest = shorter,
                None => return false,
            }
        }
    }
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
/// and texts as written (a text that reads as a code with a `\\` in front), and a cell with no
/// answer holds its [`MissingCodes`] code.
///
/// ```
/// use survey_schema::{Survey, ValidateOptions};
/// use survey_schema::tabular::csv::{CsvWriter, MissingCodes};
/// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: en\ntitle: Pets\nquestions:\n  - {id: has_pet, type: boolean, title: Do you have a pet?}\n  - {id: pets, type: integer, title: How many?, enable_when: {question: has_pet, equals: true}}\n")?;
/// let tables = survey_schema::tabular::tables(&survey);
/// let mut csv = CsvWriter::new(Vec::new(), MissingCodes::default());
/// csv.header(&tables)?;
/// for (row_id, answers) in [("1", r#"{"has_pet": true, "pets": 2}"#), ("2", r#"{"has_pet": false}"#)] {
///     survey_schema::tabular::row_json(&survey, &tables, answers.as_bytes(), &ValidateOptions::default(), |report, row| {
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
    scratch: String,
    formulas: bool,
}

/// A cell as a spreadsheet may open it safely (OWASP's advice on CSV injection): a cell that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet would run
/// as a formula, is written with a `'` in front, and so is a cell that begins with `'` (so
/// that dropping one leading `'` from every cell that has one reads each back exactly). A
/// cell that is a number as JSON writes one (`-5`, `-1.5e3`) is left as it is.
///
/// ```
/// use survey_schema::tabular::csv::formula_safe;
/// assert_eq!(formula_safe("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(formula_safe("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(formula_safe("'quoted"), "''quoted");
/// assert_eq!(formula_safe("-5"), "-5");
/// assert_eq!(formula_safe("plain"), "plain");
/// ```
#[must_use]
pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
        && serde_json::from_str::<serde_json::Number>(cell).is_err();
    if risky {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A CSV text with every field passed through [`formula_safe`] (what `survey codebook --to
/// csv --escape-formulas` and `survey report --format csv --escape-formulas` write).
///
/// # Errors
///
/// When `text` is not CSV.
pub fn escape_formulas(text: &str) -> Result<String, ::csv::Error> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for record in reader.records() {
        let record = record?;
        writer.write_record(record.iter().map(formula_safe).map(Cow::into_owned))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(::csv::IntoInnerError::into_error)?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

impl<W: io::Write> CsvWriter<W> {
    /// A writer into `out` (buffered; [`CsvWriter::flush`] or [`CsvWriter::into_inner`] at
    /// the end).
    pub fn new(out: W, codes: MissingCodes) -> CsvWriter<W> {
        CsvWriter {
            out: ::csv::Writer::from_writer(out),
            codes,
            scratch: String::new(),
            formulas: false,
        }
    }

    /// The same writer, writing every text cell (a text answer, a missing code, a row id, a
    /// column name) through [`formula_safe`], for a table opened in a spreadsheet. Numbers,
    /// booleans and picked choices are never changed.
    #[must_use]
    pub fn escape_formulas(mut self) -> CsvWriter<W> {
        self.formulas = true;
        self
    }

    fn text_field(&mut self, text: &str) -> io::Result<()> {
        if self.formulas {
            self.out.write_field(formula_safe(text).as_ref())?;
        } else {
            self.out.write_field(text)?;
        }
        Ok(())
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
            self.text_field(&column.name)?;
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
        self.text_field(row_id)?;
        self.out.write_field(key)?;
        for cell in cells {
            let text: &str = match cell {
                Cell::NotAsked => &self.codes.not_asked,
                Cell::NotAnswered => &self.codes.not_answered,
                Cell::WrongType => &self.codes.wrong_type,
                Cell::Answer(Datum::Bool(true)) => "1",
                Cell::Answer(Datum::Bool(false)) => "0",
                Cell::Answer(Datum::Number(n)) => {
                    self.scratch.clear();
                    let _ = write!(self.scratch, "{n}");
                    self.out.write_field(&self.scratch)?;
                    continue;
                }
                Cell::Answer(Datum::Text(s)) if self.codes.escapes(s) => {
                    self.scratch.clear();
                    self.scratch.push('\\');
                    self.scratch.push_str(s);
                    &self.scratch
                }
                Cell::Answer(Datum::Text(s)) => s,
            };
            if self.formulas {
                self.out.write_field(formula_safe(text).as_ref())?;
            } else {
                self.out.write_field(text)?;
            }
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
