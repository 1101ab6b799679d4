//! Text to [`SurveyDefinition`]: YAML (serde-saphyr) or JSON (`serde_json`), under
//! [`Limits`], with line and column for every error that has one.
//!
//! Loading only parses. Whether the survey makes sense is [`crate::check`]'s business.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, SeqAccess, Visitor};

use serde_json::Value;

use crate::definition::SurveyDefinition;

/// The syntax of a survey file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// YAML 1.2 (also accepts JSON, a subset of it).
    Yaml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a path's extension names: `.yaml`/`.yml` or `.json`.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Bounds on what a survey file may make the loader do. Every bound has a default that fits
/// real surveys with room to spare; raise one by setting its field.
///
/// ```
/// use survey_schema::Limits;
/// let limits = Limits { max_questions: 50_000, ..Limits::default() };
/// assert_eq!(limits.max_depth, 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input, in bytes (default 8 MiB).
    pub max_input_bytes: usize,
    /// Deepest nesting of maps and lists in the file (default 64).
    pub max_depth: usize,
    /// Most values (scalars, lists and maps) in one file (default 250,000); with the input
    /// size, this bounds the memory a parse may take.
    pub max_nodes: usize,
    /// Most YAML alias uses in one file (default 1,000).
    pub max_aliases: usize,
    /// Most parser events that YAML aliases may replay in total, so that no alias can blow
    /// the document up (default 100,000).
    pub max_alias_expansion: usize,
    /// Most questions, counting group fields and specify boxes (default 10,000).
    pub max_questions: usize,
    /// Most choices in one question or choice set (default 1,000).
    pub max_choices: usize,
    /// Most fields in one group (default 200).
    pub max_fields: usize,
    /// Deepest nesting of `all`/`any`/`not` in one condition (default 32).
    pub max_condition_depth: usize,
    /// Longest `pattern`, in bytes (default 1,000).
    pub max_pattern_bytes: usize,
    /// Largest compiled size of one pattern, in bytes (default 1 MiB).
    pub max_pattern_compiled_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 8 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 250_000,
            max_aliases: 1_000,
            max_alias_expansion: 100_000,
            max_questions: 10_000,
            max_choices: 1_000,
            max_fields: 200,
            max_condition_depth: 32,
            max_pattern_bytes: 1_000,
            max_pattern_compiled_bytes: 1024 * 1024,
        }
    }
}

/// Why a survey file could not be parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path as given.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The path's extension names no known format.
    #[error("cannot tell the format of {}: expected a .yaml, .yml or .json extension", path.display())]
    UnknownFormat {
        /// The path as given.
        path: PathBuf,
    },
    /// The bytes are not UTF-8.
    #[error("input is not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The input is larger than [`Limits::max_input_bytes`].
    #[error("input is {size} bytes, over the limit of {max} bytes (raise Limits::max_input_bytes)")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in force.
        max: usize,
    },
    /// The input holds nothing but whitespace and comments.
    #[error("input is empty")]
    Empty,
    /// The text is not valid YAML or JSON, breaks a parser limit, or does not have the shape of
    /// a survey definition (wrong type, unknown field, missing field, duplicate key).
    #[error("{}{message}", Location::prefix(*location))]
    Syntax {
        /// What is wrong, in one line.
        message: String,
        /// Where, when the parser knows.
        location: Option<Location>,
    },
}

impl LoadError {
    /// A stable `snake_case` code for the error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::Io { .. } => "io",
            LoadError::UnknownFormat { .. } => "unknown_format",
            LoadError::InvalidUtf8 { .. } => "invalid_utf8",
            LoadError::TooLarge { .. } => "too_large",
            LoadError::Empty => "empty",
            LoadError::Syntax { .. } => "syntax",
        }
    }

    /// Where in the text the error is, when known.
    #[must_use]
    pub fn location(&self) -> Option<Location> {
        match self {
            LoadError::Syntax { location, .. } => *location,
            _ => None,
        }
    }
}

/// A position in a source text, both 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
}

impl Location {
    fn prefix(location: Option<Location>) -> String {
        location.map_or_else(String::new, |l| format!("{l}: "))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Checks the size and the encoding of raw bytes and strips a UTF-8 byte order mark.
pub(crate) fn decode<'t>(bytes: &'t [u8], limits: &Limits) -> Result<&'t str, LoadError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(LoadError::TooLarge {
            size: bytes.len(),
            max: limits.max_input_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| LoadError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Reads a survey or answer file under the size limit and returns its text (UTF-8, byte order
/// mark removed) and its format, from the extension.
///
/// # Errors
///
/// [`LoadError::UnknownFormat`], [`LoadError::Io`], [`LoadError::TooLarge`] or
/// [`LoadError::InvalidUtf8`].
pub fn read_path(path: &Path, limits: &Limits) -> Result<(String, Format), LoadError> {
    let format =
        Format::from_path(path).ok_or_else(|| LoadError::UnknownFormat { path: path.into() })?;
    let io_error = |source| LoadError::Io {
        path: path.into(),
        source,
    };
    // Refuse an oversized file before reading it into memory.
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    if size > limits.max_input_bytes as u64 {
        return Err(LoadError::TooLarge {
            size: usize::try_from(size).unwrap_or(usize::MAX),
            max: limits.max_input_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    let text = decode(&bytes, limits)?.to_owned();
    Ok((text, format))
}

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
    let text = decode(text.as_bytes(), limits)?;
    if is_blank(text, format) {
        return Err(LoadError::Empty);
    }
    match format {
        Format::Json => crate::answer::parse(text, limits).map(Value::from),
        Format::Yaml => serde_saphyr::from_str_with_options(text, yaml_options(limits))
            .map_err(|e| yaml_error(&e, limits)),
    }
}

thread_local! {
    /// `(left, max)`: questions the survey being parsed on this thread may still declare, and
    /// the limit. Unbounded outside [`parse`], where the checker's count applies instead.
    static QUESTION_BUDGET: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((usize::MAX, usize::MAX)) };
}

/// Deserializes a list of questions (or fields), failing as soon as the survey declares more
/// than [`Limits::max_questions`], so that a huge file is refused before it is held whole.
pub(crate) fn bounded_questions<'de, D>(
    deserializer: D,
) -> Result<Vec<crate::definition::QuestionDef>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Bounded;
    impl<'de> Visitor<'de> for Bounded {
        type Value = Vec<crate::definition::QuestionDef>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of questions")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut questions = Vec::new();
            while let Some(question) = seq.next_element()? {
                let (left, max) = QUESTION_BUDGET.get();
                if left == 0 {
                    return Err(de::Error::custom(format_args!(
                        "the survey has more than {max} questions (raise Limits::max_questions)"
                    )));
                }
                if left != usize::MAX {
                    QUESTION_BUDGET.set((left - 1, max));
                }
                questions.push(question);
            }
            Ok(questions)
        }
    }
    deserializer.deserialize_seq(Bounded)
}

/// Sets the question budget for one parse and restores it afterwards.
fn with_question_budget<T>(max_questions: usize, parse: impl FnOnce() -> T) -> T {
    let previous = QUESTION_BUDGET.replace((max_questions, max_questions));
    let result = parse();
    QUESTION_BUDGET.set(previous);
    result
}

/// Parses survey text in the given format.
pub(crate) fn parse(
    text: &str,
    format: Format,
    limits: &Limits,
) -> Result<SurveyDefinition, LoadError> {
    let text = decode(text.as_bytes(), limits)?;
    if is_blank(text, format) {
        return Err(LoadError::Empty);
    }
    with_question_budget(limits.max_questions, || match format {
        Format::Yaml => from_yaml(text, limits),
        Format::Json => from_json(text, limits),
    })
}

pub(crate) fn is_blank(text: &str, format: Format) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || (format == Format::Yaml && (line.starts_with('#') || line == "---"))
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
    // YAML 1.2 booleans only: `Y`, `yes` and `on` stay strings (a choice labelled "Y").
    options.strict_booleans = true;
    options
}

fn from_yaml(text: &str, limits: &Limits) -> Result<SurveyDefinition, LoadError> {
    serde_saphyr::from_str_with_options(text, yaml_options(limits))
        .map_err(|e| yaml_error(&e, limits))
}

fn yaml_error(e: &serde_saphyr::Error, limits: &Limits) -> LoadError {
    let location = e.location().map(|l| Location {
        line: usize::try_from(l.line()).unwrap_or(usize::MAX),
        column: usize::try_from(l.column()).unwrap_or(usize::MAX),
    });
    let message = one_line(&e.to_string());
    let message = limit_hint(&message, limits).unwrap_or(message);
    LoadError::Syntax { message, location }
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
    crate::answer::parse(text, limits)?;
    serde_json::from_str(text).map_err(|e| json_error(&e))
}

pub(crate) fn json_error(e: &serde_json::Error) -> LoadError {
    let location = (e.line() > 0).then(|| Location {
        line: e.line(),
        column: e.column().max(1),
    });
    // serde_json appends " at line N column M"; the location is kept apart instead.
    let message = e.to_string();
    let message = message
        .find(" at line ")
        .map_or(message.as_str(), |at| &message[..at]);
    LoadError::Syntax {
        message: message.to_owned(),
        location,
    }
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
