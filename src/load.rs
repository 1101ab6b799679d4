//! Text to [`SurveyDefinition`]: YAML (serde-saphyr) or JSON (`serde_json`), under
//! [`Limits`], with line and column for every error that has one.
//!
//! Loading only parses. Whether the survey makes sense is the checker's business.

use std::collections::HashMap;

use serde_json::Value;

use crate::definition::{SurveyDefinition, with_question_budget};
use crate::input::{Format, LoadError, Location};
use crate::json;
use crate::limits::Limits;
use crate::yaml_core::{CoreText, core_text};

/// Parses an answer set (or any JSON value) from YAML or JSON text under the limits: size,
/// nesting depth, YAML aliases, and no duplicate keys.
///
/// ```
/// use survey_schema::{Format, Limits, parse_answers};
/// let answers = parse_answers(r#"{"Q2": true}"#, Format::Json, &Limits::default())?;
/// assert_eq!(answers["Q2"], true);
/// let error = parse_answers(r#"{"Q2": true, "Q2": false}"#, Format::Json, &Limits::default());
/// assert!(error.unwrap_err().to_string().contains("duplicate key"));
/// # Ok::<(), survey_schema::LoadError>(())
/// ```
///
/// # Errors
///
/// [`LoadError::Syntax`] for broken text, a duplicate key or nesting past
/// [`Limits::max_depth`]; [`LoadError::TooLarge`] and [`LoadError::Empty`].
pub fn parse_answers(text: &str, format: Format, limits: &Limits) -> Result<Value, LoadError> {
    let text = crate::input::text(text.as_bytes(), format, limits)?;
    match format {
        Format::Json => json::parse(text, limits).map(Value::from),
        Format::Yaml => {
            let core = core_text(text, true);
            serde_saphyr::from_str_with_options(&core.text, yaml_options(limits))
                .map_err(|e| relocate(yaml_error(&e, limits), &core))
        }
    }
}

/// Parses survey text in the given format.
pub(crate) fn parse(
    text: &str,
    format: Format,
    limits: &Limits,
) -> Result<SurveyDefinition, LoadError> {
    let text = crate::input::text(text.as_bytes(), format, limits)?;
    with_question_budget(limits.max_questions, || match format {
        Format::Yaml => from_yaml(text, limits),
        Format::Json => from_json(text, limits),
    })
}

fn yaml_options(limits: &Limits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_documents = 1;
    budget.max_nodes = limits.max_nodes;
    budget.max_events = limits.max_nodes.saturating_mul(2);
    budget.max_total_scalar_bytes = limits.max_input_bytes;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    options.alias_limits.max_total_replayed_events = limits.max_alias_expansion;
    options.with_snippet = false;
    // The YAML 1.2 core schema (with `yaml_core` for what no option covers): `Y`, `yes` and
    // `on` stay strings (a choice labelled "Y"), and so does `1_000`.
    options.strict_booleans = true;
    options.underscored_numbers_as_strings = true;
    options
}

fn from_yaml(text: &str, limits: &Limits) -> Result<SurveyDefinition, LoadError> {
    let core = core_text(text, false);
    serde_saphyr::from_str_with_options(&core.text, yaml_options(limits)).map_err(|e| {
        let error = name_the_key(relocate(yaml_error(&e, limits), &core), text, limits);
        indentation_hint(error, text)
    })
}

/// An error in the core-schema text, placed in the original.
fn relocate(error: LoadError, core: &CoreText<'_>) -> LoadError {
    match error {
        LoadError::Syntax {
            message,
            location: Some(location),
        } => LoadError::Syntax {
            message,
            location: Some(core.original(location)),
        },
        other => other,
    }
}

fn yaml_error(e: &serde_saphyr::Error, limits: &Limits) -> LoadError {
    let location = e.location().map(|l| Location {
        line: usize::try_from(l.line()).unwrap_or(usize::MAX),
        column: usize::try_from(l.column()).unwrap_or(usize::MAX),
    });
    let message = one_line(&e.to_string());
    let message = limit_hint(&message, limits).unwrap_or_else(|| reword(&message));
    LoadError::Syntax {
        message: crate::quote::message(message),
        location,
    }
}

/// The parser's words for what a user of the crate or the CLI can act on: no library option
/// names, and the YAML structure said in the format's terms.
fn reword(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!("duplicate key `{key}`: each key may appear once in a map");
    }
    if let Some(rest) = message.strip_prefix("non-finite float ") {
        let value = rest.split(" rejected").next().unwrap_or(rest);
        return format!("{value} is not a finite number; infinities and NaN are refused");
    }
    if let Some(rest) = message.strip_prefix("cannot deserialize null into ") {
        let target = rest.split(';').next().unwrap_or(rest);
        return format!("expected a {target}, found nothing (null)");
    }
    message
        .replace("expected sequence start", "expected a list")
        .replace("expected mapping start", "expected a map")
}

/// A missing key that the text writes just after its map, further left, is most likely that
/// key dedented out of the map: the error says so, and where (``missing field `title` ``,
/// with `title:` on line 8 at column 3 where the map's keys are at column 5).
fn indentation_hint(error: LoadError, text: &str) -> LoadError {
    located(error, |message, location| {
        let hint = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .and_then(|key| {
            // The first line after the map's first key that goes left of the map: the key,
            // dedented, or the end of the map (then no hint).
            let (number, line, column) = text
                .lines()
                .enumerate()
                .skip(location.line)
                .take(1_000)
                .map(|(number, line)| {
                    let rest = line.trim_start();
                    (number, rest, line.len() - rest.len() + 1)
                })
                .filter(|(_, rest, _)| !rest.is_empty() && !rest.starts_with('#'))
                .find(|&(_, _, column)| column < location.column)?;
            let written = line.strip_prefix(key)?.trim_start().starts_with(':');
            written.then(|| {
                format!(
                    " (line {} has `{key}:` at column {column}, and this map's keys are at column {}: check its indentation)",
                    number + 1,
                    location.column
                )
            })
        })
        .unwrap_or_default();
        message + &hint
    })
}

/// A syntax error that has a location, its message rewritten by `rewrite`; any other error
/// as it is.
fn located(error: LoadError, rewrite: impl FnOnce(String, Location) -> String) -> LoadError {
    match error {
        LoadError::Syntax {
            message,
            location: Some(location),
        } => LoadError::Syntax {
            message: rewrite(message, location),
            location: Some(location),
        },
        other => other,
    }
}

/// A syntax error of a survey file, naming the key at its location when the source map
/// knows it (`questions: 3` is "`questions`: expected a list of questions").
fn name_the_key(error: LoadError, text: &str, limits: &Limits) -> LoadError {
    located(error, |message, location| {
        let map = SourceMap::build(text, limits);
        match map.path_at(location) {
            Some(path) if !path.is_empty() && !message.starts_with('`') => {
                let expected = if path == "questions" || path.ends_with(".fields") {
                    message.replace("expected a list", "expected a list of questions")
                } else {
                    message
                };
                crate::quote::message(format!("`{path}`: {expected}"))
            }
            _ => message,
        }
    })
}

/// Names the limit behind a parser refusal, and how to raise it.
fn limit_hint(message: &str, limits: &Limits) -> Option<String> {
    if message.contains("alias replay limit") {
        Some(format!(
            "YAML aliases expand past the limit of {} replayed events (raise Limits::max_alias_expansion)",
            limits.max_alias_expansion
        ))
    } else if message.contains("Depth") || message.contains("recursion limit") {
        Some(format!(
            "nesting is deeper than {} levels (raise Limits::max_depth)",
            limits.max_depth
        ))
    } else if message.contains("Aliases") {
        Some(format!(
            "more than {} YAML aliases (raise Limits::max_aliases)",
            limits.max_aliases
        ))
    } else if message.contains("Nodes") || message.contains("Events") {
        Some(format!(
            "more than {} values (raise Limits::max_nodes)",
            limits.max_nodes
        ))
    } else if message.contains("budget breached") {
        Some(format!("{message} (raise Limits::max_input_bytes)"))
    } else {
        None
    }
}

fn from_json(text: &str, limits: &Limits) -> Result<SurveyDefinition, LoadError> {
    // serde_json keeps the last of two equal keys in a map; survey files must not have
    // any, so a first pass looks for them (and enforces the depth limit) while reading the
    // text into a tree of borrowed strings. The second pass deserializes the definition with
    // line and column on its errors.
    json::parse(text, limits)?;
    serde_json::from_str(text).map_err(|e| json::json_error(&e))
}

fn one_line(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    // serde-saphyr puts the location in the text too; it is kept apart.
    let first = first.find(" at line ").map_or(first, |at| &first[..at]);
    first.to_owned()
}

/// Where each node of a parsed file sits, keyed by definition path
/// (`questions[12].enable_when.any[1].question`). Built only when a check fails, to point
/// at the offending line.
#[derive(Debug, Default, Clone)]
pub(crate) struct SourceMap {
    locations: HashMap<String, Location>,
}

impl SourceMap {
    /// Maps a YAML or JSON text; whatever cannot be parsed is left out of the map.
    ///
    /// The walk runs over the parser's events with an explicit stack, so that no nesting can
    /// exhaust the call stack.
    pub(crate) fn build(text: &str, limits: &Limits) -> SourceMap {
        use serde_saphyr::granit_parser::{Event, Parser};

        enum Frame {
            Map { path: String, key: Option<String> },
            Seq { path: String, next: usize },
        }
        let mut map = SourceMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut events = 0usize;
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            events += 1;
            if events > limits.max_nodes.saturating_mul(4) || stack.len() > limits.max_depth {
                break;
            }
            let location = Location {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            let is_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::Alias(..)
                    | Event::MappingStart(..)
                    | Event::SequenceStart(..)
            );
            // A scalar where a map expects a key is the key, not a node.
            if let (
                Event::Scalar(key, ..),
                Some(Frame::Map {
                    key: slot @ None, ..
                }),
            ) = (&event, stack.last_mut())
            {
                *slot = Some(key.to_string());
                continue;
            }
            let path = if is_node {
                let path = match stack.last_mut() {
                    None => String::new(),
                    Some(Frame::Seq { path, next }) => {
                        *next += 1;
                        format!("{path}[{}]", *next - 1)
                    }
                    Some(Frame::Map { path, key }) => {
                        let key = key.take().unwrap_or_default();
                        if path.is_empty() {
                            key
                        } else {
                            format!("{path}.{key}")
                        }
                    }
                };
                map.locations.entry(path.clone()).or_insert(location);
                Some(path)
            } else {
                None
            };
            match event {
                Event::MappingStart(..) => stack.push(Frame::Map {
                    path: path.unwrap_or_default(),
                    key: None,
                }),
                Event::SequenceStart(..) => stack.push(Frame::Seq {
                    path: path.unwrap_or_default(),
                    next: 0,
                }),
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::DocumentEnd => break,
                _ => {}
            }
        }
        map
    }

    /// The shortest path whose node starts at `location`.
    fn path_at(&self, location: Location) -> Option<&str> {
        self.locations
            .iter()
            .filter(|(_, l)| **l == location)
            .map(|(path, _)| path.as_str())
            .min_by_key(|path| (path.len(), *path))
    }

    /// The location of `path`, or of its nearest ancestor that has one.
    pub(crate) fn locate(&self, path: &str) -> Option<Location> {
        let mut path = path;
        loop {
            if let Some(location) = self.locations.get(path) {
                return Some(*location);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}
