#![doc = include_str!("../README.md")]
//!
//! # Code map
//!
//! The survey moves through four stages, each in its own module:
//!
//! - [`definition`]: the serde + schemars types that mirror a survey file, nothing else.
//! - `error`: [`Error`], loading or checking failed.
//! - `load`: text to [`SurveyDefinition`] (YAML via serde-saphyr, JSON via `serde_json`) under
//!   [`Limits`], with line and column on every error.
//! - `check`: definition to [`Survey`]; every static rule, every [`Problem`] collected.
//! - `survey`: the checked [`Survey`]: nodes in document order, ids interned to indices.
//! - `condition`: skip-logic conditions over node indices, as the checks build them and
//!   schema generation reads them.
//! - `program`: what validation reads, compiled from the nodes: a 16-byte step per node,
//!   rule tables per kind, choice values and constants in one buffer, conditions as
//!   prefix-ordered ops; no string hashing or map lookup per condition.
//! - `validate`: answers to a [`Report`] of [`Issue`]s; also `is_valid`, `enabled`,
//!   `prune` and `progress`. One walk in document order, enabled states as a bitset; keys
//!   in question order are matched as the walk reaches their questions.
//! - `messages`: the Japanese and English messages of issues.
//! - `pattern`: regular expressions portable between Rust and ECMA-262, and the documented
//!   email / tel / url / date patterns.
//! - [`json_schema`]: [`Survey`] to JSON Schema (draft-07 or 2020-12).
//! - `ui_schema`: [`Survey`] to a JSON Forms UI schema (layout, labels, `SHOW` rules).
//!
//! # Invariants
//!
//! - A [`Survey`] exists only after every check passed; later stages never re-check the
//!   definition and never fail on it.
//! - Nodes are in document order and a condition refers only to earlier nodes, so one pass
//!   in order decides every question's state.
//! - The generated JSON Schema and the native validator give the same verdict on every
//!   answer set (complete, strict mode); a property test holds them to it.

mod answer;
mod check;
mod condition;
pub mod definition;
mod error;
pub mod json_schema;
mod load;
mod messages;
mod pattern;
mod program;
mod survey;
mod ui_schema;
mod validate;

pub use check::{CheckError, Problem, ProblemCode, is_valid_id};
pub use definition::{QuestionKind, SurveyDefinition, TextFormat};
pub use error::Error;
pub use load::{Format, Limits, LoadError, Location, parse_answers, read_path};
pub use messages::Locale;
pub use pattern::{DATE_PATTERN, EMAIL_PATTERN, TEL_PATTERN, URL_PATTERN};
pub use survey::{QuestionRef, Survey};
pub use validate::{Issue, IssueCode, Progress, Report, ValidateOptions};
