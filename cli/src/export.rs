//! `survey export`: answer sets as an analysis table (CSV or Parquet), every cell an answer,
//! not asked or not answered, and each repeating group as a long table beside it.
#![allow(
    clippy::doc_markdown,
    reason = "the doc comments are the command's help text, where backticks would show"
)]

use crate::terminal::tell;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use survey_schema::tabular::csv::{CsvWriter, MissingCodes};
use survey_schema::tabular::{Cell, Row, Tables};
use survey_schema::{Report, Survey, ValidateOptions};

use crate::files::{Fatal, load_survey};
use crate::stream::each_block;

#[derive(Args)]
pub(crate) struct ExportArgs {
    /// The survey file (or a FHIR Questionnaire).
    survey: PathBuf,
    /// Answer files (.json, .yaml, .yml, QuestionnaireResponse JSON) or `.jsonl` batches.
    #[arg(required = true)]
    answers: Vec<PathBuf>,
    /// The table's format (Parquet needs the `parquet` feature and -o).
    #[arg(long, value_enum, default_value_t = To::Csv)]
    to: To,
    /// Write to this file instead of standard output; each repeating group's long table goes
    /// beside it, named after it and the repeat (`answers.csv` -> `answers.systems.csv`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The code of a CSV cell whose question the skip logic disabled.
    #[arg(long, default_value = ".a")]
    not_asked: String,
    /// The code of a CSV cell whose question was enabled and has no answer.
    #[arg(long, default_value = ".b")]
    not_answered: String,
    /// The code of a CSV cell whose answer has the wrong JSON type (`1` for a boolean): only
    /// in an invalid answer set, whose issues `--issues` lists.
    #[arg(long, default_value = ".w")]
    wrong_type: String,
    /// Which answer sets to write: only the valid ones (the default: an analysis counts on
    /// answers the survey accepts; standard error says how many were left out), all of them
    /// (`keep`, with `valid` 0 or 1), or only the invalid ones.
    #[arg(long, value_enum, default_value_t = Invalid::Skip)]
    invalid: Invalid,
    /// Write each issue of the answer sets (row_id, path, code) to this CSV file.
    #[arg(long)]
    issues: Option<PathBuf>,
    /// Threads reading the answer sets (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Write each CSV cell that a spreadsheet would run as a formula (text beginning with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return) with a `'` in front, as OWASP advises for
    /// CSV opened in a spreadsheet; a text beginning with `'` gets one more.
    #[arg(long)]
    escape_formulas: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum To {
    /// Comma-separated values, UTF-8, one header line.
    Csv,
    /// Apache Parquet: typed columns, a reason column beside each.
    Parquet,
}

/// Which answer sets an export or a report counts.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Invalid {
    /// Every answer set, valid or not.
    Keep,
    /// The valid answer sets only.
    Skip,
    /// The invalid answer sets only.
    Only,
}

/// The answer inputs a command reads, on how many threads, and which answer sets it counts.
#[derive(Clone, Copy)]
pub(crate) struct Reading<'a> {
    pub(crate) inputs: &'a [PathBuf],
    pub(crate) jobs: Option<usize>,
    pub(crate) invalid: Invalid,
}

/// What a command read of its answer inputs.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Read {
    pub(crate) answer_sets: usize,
    pub(crate) invalid: usize,
    /// Answer sets the command counted (`--invalid` kept them).
    pub(crate) kept: usize,
    /// Lines or files that held no answer set to read.
    pub(crate) unreadable: usize,
}

impl Read {
    /// Adds what another block read.
    fn add(&mut self, other: Read) {
        self.answer_sets += other.answer_sets;
        self.invalid += other.invalid;
        self.kept += other.kept;
        self.unreadable += other.unreadable;
    }

    /// Says on standard error what was invalid, left out and could not be read (nothing when
    /// every answer set was valid, read and counted), and whether every answer set was valid
    /// and read: the exit code's rule.
    pub(crate) fn finish(self, command: &str, invalid: Invalid) -> bool {
        let left_out = self.answer_sets - self.kept;
        if left_out > 0 || self.unreadable > 0 || self.invalid > 0 {
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            let why = match invalid {
                Invalid::Skip => "the invalid ones; `--invalid keep` counts every answer set",
                Invalid::Only => "the valid ones, by `--invalid only`",
                Invalid::Keep => "none: the invalid ones are counted, flagged by `valid`",
            };
            tell!(
                "{command}: {} answer set{} read, {} invalid; {} counted, {left_out} left out ({why}); {} unreadable",
                self.answer_sets,
                plural(self.answer_sets),
                self.invalid,
                self.kept,
                self.unreadable,
            );
        }
        self.invalid == 0 && self.unreadable == 0
    }
}

pub(crate) fn run(args: &ExportArgs) -> Result<bool, Fatal> {
    if args.to == To::Parquet {
        return parquet(args);
    }
    let Some(survey) = load_survey(&args.survey)? else {
        return Ok(false);
    };
    let tables = survey_schema::tabular::tables(&survey);
    let codes = MissingCodes::new(&args.not_asked, &args.not_answered, &args.wrong_type)
        .map_err(|e| Fatal(format!("--not-asked, --not-answered, --wrong-type: {e}")))?;
    let table = || {
        let writer = CsvWriter::new(Vec::new(), codes.clone());
        if args.escape_formulas {
            writer.escape_formulas()
        } else {
            writer
        }
    };
    let mut main = output(args.output.as_deref())?;
    let mut header = table();
    header.header(&tables).map_err(io_fail)?;
    write(&mut main, &header.into_inner().map_err(io_fail)?)?;
    let mut repeats = Vec::new();
    for (repeat, path) in tables.repeats.iter().zip(repeat_paths(args, &tables)?) {
        let mut writer = create(&path)?;
        let mut header = table();
        header.repeat_header(repeat).map_err(io_fail)?;
        write(&mut writer, &header.into_inner().map_err(io_fail)?)?;
        repeats.push(writer);
    }
    let mut issues = issues_file(args)?;
    let start = || Part {
        main: table(),
        repeats: tables.repeats.iter().map(|_| table()).collect(),
        issues: csv::Writer::from_writer(Vec::new()),
    };
    let read = rows(
        &survey,
        &tables,
        Reading {
            inputs: &args.answers,
            jobs: args.jobs,
            invalid: args.invalid,
        },
        start,
        fold(args),
        |block| {
            write(&mut main, &block.main.into_inner().map_err(io_fail)?)?;
            for (writer, part) in repeats.iter_mut().zip(block.repeats) {
                write(writer, &part.into_inner().map_err(io_fail)?)?;
            }
            if let Some(issues) = issues.as_mut() {
                write(issues, &bytes(block.issues)?)?;
            }
            Ok(())
        },
    )?;
    main.flush().map_err(|e| Fatal(e.to_string()))?;
    for mut writer in repeats {
        writer.flush().map_err(|e| Fatal(e.to_string()))?;
    }
    if let Some(mut writer) = issues {
        writer.flush().map_err(|e| Fatal(e.to_string()))?;
    }
    Ok(read.finish("export", args.invalid))
}

/// What one block of answer sets adds to each output: the main table, each repeat's table
/// (CSV bytes or an Arrow batch) and the issues (CSV bytes).
struct Part<T> {
    main: T,
    repeats: Vec<T>,
    issues: csv::Writer<Vec<u8>>,
}

/// The second key of a row: `valid` in the main table, `instance` in a repeat's.
#[derive(Clone, Copy)]
enum RowKey {
    Valid(bool),
    Instance(usize),
}

/// Rows of one table, in either format.
trait Table: Send {
    fn push(
        &mut self,
        row_id: &str,
        key: RowKey,
        cells: &[Cell<'_>],
        args: &ExportArgs,
    ) -> Result<(), Fatal>;
}

impl Table for CsvWriter<Vec<u8>> {
    fn push(
        &mut self,
        row_id: &str,
        key: RowKey,
        cells: &[Cell<'_>],
        _: &ExportArgs,
    ) -> Result<(), Fatal> {
        match key {
            RowKey::Valid(valid) => self.row(row_id, valid, cells),
            RowKey::Instance(number) => self.instance(row_id, number, cells),
        }
        .map_err(io_fail)
    }
}

/// Adds an answer set kept by `--invalid` to a block: its issues, its row and a row per
/// repeat instance.
fn fold<T: Table>(
    args: &ExportArgs,
) -> impl Fn(&mut Part<T>, &str, &Report, &Row<'_>, bool) -> Result<(), Fatal> + Sync + '_ {
    move |part, row_id, report, row, kept| {
        if !kept {
            return Ok(());
        }
        issue_records(&mut part.issues, row_id, report, args.escape_formulas)?;
        let valid = RowKey::Valid(report.is_valid());
        part.main.push(row_id, valid, &row.cells, args)?;
        for instance in &row.instances {
            let key = RowKey::Instance(instance.number);
            part.repeats[instance.table].push(row_id, key, &instance.cells, args)?;
        }
        Ok(())
    }
}

/// Whether `--invalid` keeps an answer set with this report.
pub(crate) fn wanted(invalid: Invalid, report: &Report) -> bool {
    match invalid {
        Invalid::Keep => true,
        Invalid::Skip => report.is_valid(),
        Invalid::Only => !report.is_valid(),
    }
}

/// The `--issues` file, its header written.
fn issues_file(args: &ExportArgs) -> Result<Option<std::io::BufWriter<std::fs::File>>, Fatal> {
    let Some(path) = &args.issues else {
        return Ok(None);
    };
    let mut file = create(path)?;
    write(&mut file, &csv_line(&["row_id", "path", "code"])?)?;
    Ok(Some(file))
}

/// One CSV record as bytes.
fn csv_line(fields: &[&str]) -> Result<Vec<u8>, Fatal> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(fields).map_err(fail)?;
    bytes(writer)
}

/// What a CSV writer into memory wrote.
fn bytes(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, Fatal> {
    writer.into_inner().map_err(|e| Fatal(e.to_string()))
}

fn write(out: &mut impl Write, bytes: &[u8]) -> Result<(), Fatal> {
    out.write_all(bytes).map_err(|e| Fatal(e.to_string()))
}

fn issue_records(
    out: &mut csv::Writer<Vec<u8>>,
    row_id: &str,
    report: &Report,
    escape_formulas: bool,
) -> Result<(), Fatal> {
    let row_id = if escape_formulas {
        survey_schema::tabular::csv::formula_safe(row_id)
    } else {
        row_id.into()
    };
    for issue in &report.issues {
        out.write_record([&row_id, issue.path.as_str(), issue.code.as_str()])
            .map_err(fail)?;
    }
    Ok(())
}

/// Where each repeat's long table goes: beside `-o`, `STEM.REPEAT.EXT`. Without `-o`, none
/// is written (a note says so when the survey has repeats).
fn repeat_paths(args: &ExportArgs, tables: &Tables) -> Result<Vec<PathBuf>, Fatal> {
    let Some(output) = &args.output else {
        if !tables.repeats.is_empty() {
            let names: Vec<String> = tables
                .repeats
                .iter()
                .map(|t| format!("{} as FILE.{}", &t.pointer[1..], t.name))
                .collect();
            tell!(
                "note: the long tables of repeating groups ({}) are written only with -o FILE",
                names.join(", ")
            );
        }
        return Ok(Vec::new());
    };
    let stem = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("export");
    let extension = match args.to {
        To::Csv => "csv",
        To::Parquet => "parquet",
    };
    let paths: Vec<PathBuf> = tables
        .repeats
        .iter()
        .map(|t| output.with_file_name(format!("{stem}.{}.{extension}", t.name)))
        .collect();
    if let Some(clash) = paths.iter().find(|p| *p == output) {
        return Err(Fatal(format!(
            "{} would be both the table and a repeat's table",
            clash.display()
        )));
    }
    for (table, path) in tables.repeats.iter().zip(&paths) {
        tell!(
            "note: the repeat {} is written to {} (a row per instance)",
            &table.pointer[1..],
            path.display()
        );
    }
    Ok(paths)
}

/// Streams the answer sets through [`tabular::row_json`](survey_schema::tabular::row_json) on `jobs` threads (default: one per
/// core): `fold(block, row_id, report, row, kept)` fills each block's value, made by `start`
/// (`kept`: whether `invalid` counts this answer set), and `sink` takes the blocks' values in
/// input order. An answer set that cannot be read is reported on standard error and skipped;
/// the result counts what was read.
pub(crate) fn rows<T: Send>(
    survey: &Survey,
    tables: &Tables,
    reading: Reading<'_>,
    start: impl Fn() -> T + Sync,
    fold: impl Fn(&mut T, &str, &Report, &Row<'_>, bool) -> Result<(), Fatal> + Sync,
    mut sink: impl FnMut(T) -> Result<(), Fatal>,
) -> Result<Read, Fatal> {
    let Reading {
        inputs,
        jobs,
        invalid,
    } = reading;
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let options = ValidateOptions::default();
    let mut read = Read::default();
    each_block(
        inputs,
        jobs,
        |block| -> Result<(T, Vec<String>, Read), Fatal> {
            let mut value = start();
            let mut unreadable = Vec::new();
            let mut counted = Read::default();
            block.each(survey, |row_id, json| {
                let outcome = json.and_then(|json| {
                    survey_schema::tabular::row_json(
                        survey,
                        tables,
                        json,
                        &options,
                        |report, row| {
                            let kept = wanted(invalid, report);
                            counted.answer_sets += 1;
                            counted.invalid += usize::from(!report.is_valid());
                            counted.kept += usize::from(kept);
                            fold(&mut value, row_id, report, row, kept)
                        },
                    )
                    .map_err(|e| e.to_string())
                });
                match outcome {
                    Ok(done) => done,
                    Err(why) => {
                        unreadable.push(format!("{row_id}: {why}"));
                        Ok(())
                    }
                }
            })?;
            counted.unreadable = unreadable.len();
            Ok((value, unreadable, counted))
        },
        |result| {
            let (value, unreadable, counted) = result?;
            for line in &unreadable {
                tell!("{line}");
            }
            read.add(counted);
            sink(value)
        },
    )?;
    Ok(read)
}

/// Standard output, or the file `-o` names.
pub(crate) fn output(path: Option<&Path>) -> Result<Box<dyn Write>, Fatal> {
    Ok(match path {
        Some(path) => Box::new(create(path)?),
        None => Box::new(crate::terminal::Escaping::new(
            std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock()),
        )),
    })
}

pub(crate) fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, Fatal> {
    std::fs::File::create(path)
        .map(|file| std::io::BufWriter::with_capacity(1 << 20, file))
        .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))
}

#[allow(clippy::needless_pass_by_value, reason = "used as `map_err(io_fail)`")]
fn io_fail(error: std::io::Error) -> Fatal {
    Fatal(error.to_string())
}

#[allow(clippy::needless_pass_by_value, reason = "used as `map_err(fail)`")]
pub(crate) fn fail(error: csv::Error) -> Fatal {
    Fatal(error.to_string())
}

#[cfg(not(feature = "parquet"))]
fn parquet(_: &ExportArgs) -> Result<bool, Fatal> {
    Err(Fatal(
        "this survey command was built without Parquet; build it with the `parquet` feature: \
         cargo install --path cli --features parquet, from a clone of the repository"
            .into(),
    ))
}

#[cfg(feature = "parquet")]
fn parquet(args: &ExportArgs) -> Result<bool, Fatal> {
    use survey_schema::tabular::parquet::{Batch, Key, schema, writer};

    let Some(path) = &args.output else {
        return Err(Fatal("Parquet is written to a file: give -o FILE".into()));
    };
    let Some(survey) = load_survey(&args.survey)? else {
        return Ok(false);
    };
    let tables = survey_schema::tabular::tables(&survey);
    let arrow = |e: &dyn std::fmt::Display| Fatal(format!("Parquet: {e}"));
    let mut main =
        writer(create(path)?, schema(&tables.columns, Key::Valid)).map_err(|e| arrow(&e))?;
    let mut repeats = Vec::new();
    for (table, path) in tables.repeats.iter().zip(repeat_paths(args, &tables)?) {
        repeats.push(
            writer(create(&path)?, schema(&table.columns, Key::Instance)).map_err(|e| arrow(&e))?,
        );
    }
    let mut issues = issues_file(args)?;
    let start = || Part {
        main: Batch::new(&tables.columns, Key::Valid),
        repeats: tables
            .repeats
            .iter()
            .map(|t| Batch::new(&t.columns, Key::Instance))
            .collect(),
        issues: csv::Writer::from_writer(Vec::new()),
    };
    let read = rows(
        &survey,
        &tables,
        Reading {
            inputs: &args.answers,
            jobs: args.jobs,
            invalid: args.invalid,
        },
        start,
        fold(args),
        |mut block| {
            if !block.main.is_empty() {
                main.write(&block.main.finish().map_err(|e| arrow(&e))?)
                    .map_err(|e| arrow(&e))?;
            }
            for (writer, part) in repeats.iter_mut().zip(&mut block.repeats) {
                if !part.is_empty() {
                    writer
                        .write(&part.finish().map_err(|e| arrow(&e))?)
                        .map_err(|e| arrow(&e))?;
                }
            }
            if let Some(issues) = issues.as_mut() {
                write(issues, &bytes(block.issues)?)?;
            }
            Ok(())
        },
    )?;
    main.close().map_err(|e| arrow(&e))?;
    for writer in repeats {
        writer.close().map_err(|e| arrow(&e))?;
    }
    if let Some(mut writer) = issues {
        writer.flush().map_err(|e| Fatal(e.to_string()))?;
    }
    Ok(read.finish("export", args.invalid))
}

#[cfg(feature = "parquet")]
impl Table for survey_schema::tabular::parquet::Batch {
    fn push(
        &mut self,
        row_id: &str,
        key: RowKey,
        cells: &[Cell<'_>],
        _: &ExportArgs,
    ) -> Result<(), Fatal> {
        match key {
            RowKey::Valid(valid) => self.push_row(row_id, valid, cells),
            RowKey::Instance(number) => self.push_instance(row_id, number, cells),
        }
        .map_err(|e| Fatal(format!("Parquet: {e}")))
    }
}
