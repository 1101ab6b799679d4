#![doc = include_str!("../README.md")]
//!
//! # Code map
//!
//! A survey moves through stages, one module (or folder) each, listed here in layer order: a
//! module refers only to modules above it (`tests/it/layers.rs` holds the order).
//!
//! - `limits`: [`Limits`], every bound on what an input may make the crate do.
//! - `quote`: what a message may quote of its input (cut, control characters escaped).
//! - `input`: raw bytes to text (size, UTF-8, byte order mark), the [`Format`] a path names,
//!   [`LoadError`], and [`sniff`], the one place that tells what a text is.
//! - `number`: JSON numbers by value, exactly for integers and for a literal as written where
//!   `f64` would round it.
//! - `json`: the one JSON reader (answers and JSON survey files) into a tree that borrows its
//!   strings; number order, equality with constants, pointer tokens, values quoted in messages.
//! - `date`: `YYYY-MM-DD` dates, their pattern, and patterns that order them.
//! - `pattern`: regular expressions portable between Rust and ECMA-262, and the documented
//!   email / tel / url patterns.
//! - `issue`: what an answer check can say: [`IssueCode`], [`Issue`], [`Report`].
//! - [`definition`]: the serde + schemars types that mirror a survey file, nothing else (and the
//!   question budget that refuses a huge file while it is parsed).
//! - `yaml_core`: the YAML 1.2 core schema for plain scalars, where the YAML parser's own
//!   resolution differs (`0b101` is a string, `0755` the integer 755).
//! - `load`: text to [`SurveyDefinition`] (YAML via serde-saphyr, JSON via the `json` reader)
//!   with line and column on every error, and the source map that locates problems.
//! - `condition`: skip-logic conditions over node indices and the absent-answer rule.
//! - `node`: checked nodes (questions, group fields, specify boxes) in document order.
//! - `check`: definition to nodes (and the survey's edit checks to rules over them); every
//!   static rule, every [`Problem`] collected.
//! - [`fhir`]: FHIR Questionnaire export and import, `QuestionnaireResponse` to answers and
//!   back, and the `FHIRPath` subset that carries conditions FHIR's `enableWhen` cannot hold.
//! - `error`: [`Error`], loading or checking failed.
//! - `program`: what validation runs, compiled from the nodes: a 16-byte step per node, rule
//!   tables per kind with the rule of each kind beside them, constants in one buffer,
//!   conditions as prefix-ordered ops.
//! - `messages`: every Japanese and English text of every stage (issue messages, findings,
//!   the codebook's and the report's words), behind one trait, a catalogue per language.
//! - `survey`: [`Survey`], load -> check -> compile, and its read API.
//! - `validate`: answers to a [`Report`]; also `is_valid`, `enabled`, `prune` and `progress`.
//!   One walk in document order (a repeat's fields once per instance), enabled states as a
//!   bitset, then the edit checks.
//! - [`tabular`]: answer sets as rows of an analysis table whose every cell is an answer, not
//!   asked (disabled by the skip logic) or not answered, a long table per repeating group,
//!   [`tabular::row_json`] making a row and its report in one walk, report counts in bounded
//!   memory, and (feature `parquet`) Arrow record batches and Parquet files.
//! - [`codebook`]: the table's codebook ([`codebook::variables`], [`codebook::csv`] and
//!   [`codebook::markdown`] as a sheet, [`codebook::ddi`] for DDI Codebook 2.5 XML):
//!   labels, value labels, the universe of each column (its enable conditions in words,
//!   Japanese or English).
//! - [`report`]: a batch's [`tabular::Tally`] as a long CSV ([`report::csv`]) or one
//!   self-contained HTML page ([`report::html`]).
//! - [`analysis`]: static analysis of a survey's logic ([`analysis::analyze`]: unreachable
//!   questions, conditions always true, inert tests, rules that never fail or hold), covering
//!   example answer sets and respondent paths; a bounded search over one representative
//!   answer per class of answers that the survey's tests tell apart.
//! - [`json_schema`]: [`Survey`] to JSON Schema (draft-07 or 2020-12, strict or form), and the
//!   native message for each error a validator can report on it.
//! - `ui_schema`: [`Survey`] to a JSON Forms UI schema (layout, labels, `SHOW` rules).
//! - [`guide`]: the pages of `docs/`, whose examples run as doctests.
//!
//! # Invariants
//!
//! - A [`Survey`] exists only after every check passed; later stages never re-check the
//!   definition and never fail on it.
//! - Nodes are in document order and a condition refers only to earlier nodes, so one pass
//!   in order decides every question's state.
//! - The generated JSON Schema and the native validator give the same verdict on every
//!   answer set (complete, strict mode), and the form schema the verdict of lenient mode;
//!   property tests hold them to it.
//! - Every error a validator reports on a generated schema has an entry in
//!   [`json_schema::error_messages`] naming the native issue it is.

mod limits;
mod quote;
mod input;
mod number;
mod json;
mod date;
mod pattern;
mod issue;
pub mod definition;
mod yaml_core;
mod load;
mod condition;
mod node;
mod check;
pub mod fhir;
mod error;
mod program;
mod messages;
mod survey;
mod validate;
pub mod tabular;
pub mod codebook;
pub mod report;
pub mod analysis;
pub mod json_schema;
pub mod ui_schema;
pub mod guide;

pub use check::{CheckError, Problem, ProblemCode, is_valid_id};
pub use codebook::Variable;
pub use date::DATE_PATTERN;
pub use definition::{QuestionKind, SurveyDefinition, TextFormat};
pub use error::Error;
pub use input::{Format, LoadError, Location, Resource, decode, read_path, read_text, sniff};
pub use issue::{Issue, IssueCode, Report, Severity};
pub use limits::Limits;
pub use load::parse_answers;
pub use messages::Locale;
pub use node::QuestionRef;
pub use pattern::{EMAIL_PATTERN, TEL_PATTERN, URL_PATTERN};
pub use survey::Survey;
pub use validate::{Progress, ValidateOptions};
