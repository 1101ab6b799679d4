//! Raw input to text: the size limit, UTF-8 and the byte order mark, the format a path names,
//! and [`LoadError`], the error of every step from bytes to a parsed value.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::limits::Limits;

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
    #[non_exhaustive]
    #[error("{}is not valid UTF-8 (first bad byte at offset {offset})", subject(path.as_deref()))]
    InvalidUtf8 {
        /// The file, when the bytes came from one.
        path: Option<PathBuf>,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The input is larger than [`Limits::max_input_bytes`].
    #[non_exhaustive]
    #[error("{}is {size} bytes, over the limit of {max} bytes (raise Limits::max_input_bytes)", subject(path.as_deref()))]
    TooLarge {
        /// The file, when the bytes came from one.
        path: Option<PathBuf>,
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

/// What an error about raw input names: the file, or "input".
fn subject(path: Option<&Path>) -> String {
    path.map_or_else(|| "input ".to_owned(), |p| format!("{} ", p.display()))
}

impl LoadError {
    /// Whether the input could not be read at all (a missing file, no permission, a path
    /// whose format is unknown), as opposed to input that was read and is not acceptable.
    #[must_use]
    pub fn is_unreadable(&self) -> bool {
        matches!(self, LoadError::Io { .. } | LoadError::UnknownFormat { .. })
    }

    /// The same error, naming `path` as the input it is about.
    #[must_use]
    pub fn in_file(self, path: &Path) -> LoadError {
        match self {
            LoadError::InvalidUtf8 { offset, .. } => LoadError::InvalidUtf8 {
                path: Some(path.into()),
                offset,
            },
            LoadError::TooLarge { size, max, .. } => LoadError::TooLarge {
                path: Some(path.into()),
                size,
                max,
            },
            other => other,
        }
    }

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

/// Checks the size (against [`Limits::max_input_bytes`]) and the encoding of raw bytes,
/// and strips a UTF-8 byte order mark.
///
/// ```
/// use survey_schema::{Limits, decode};
/// assert_eq!(decode("\u{feff}{}".as_bytes(), &Limits::default())?, "{}");
/// assert_eq!(decode(b"\xff", &Limits::default()).unwrap_err().code(), "invalid_utf8");
/// # Ok::<(), survey_schema::LoadError>(())
/// ```
///
/// # Errors
///
/// [`LoadError::TooLarge`] or [`LoadError::InvalidUtf8`].
pub fn decode<'t>(bytes: &'t [u8], limits: &Limits) -> Result<&'t str, LoadError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(LoadError::TooLarge {
            path: None,
            size: bytes.len(),
            max: limits.max_input_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| LoadError::InvalidUtf8 {
        path: None,
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Reads a file under the size limit (refused before it is read) and returns its text,
/// UTF-8 checked and without a byte order mark; errors name the file.
///
/// # Errors
///
/// [`LoadError::Io`], [`LoadError::TooLarge`] or [`LoadError::InvalidUtf8`].
pub fn read_text(path: &Path, limits: &Limits) -> Result<String, LoadError> {
    let io_error = |source| LoadError::Io {
        path: path.into(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    if size > limits.max_input_bytes as u64 {
        return Err(LoadError::TooLarge {
            path: Some(path.into()),
            size: usize::try_from(size).unwrap_or(usize::MAX),
            max: limits.max_input_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    decode(&bytes, limits)
        .map(str::to_owned)
        .map_err(|e| e.in_file(path))
}

/// Reads a survey or answer file under the size limit and returns its text (UTF-8, byte order
/// mark removed) and its format, from the extension.
///
/// # Errors
///
/// [`LoadError::UnknownFormat`], and the errors of [`read_text`].
pub fn read_path(path: &Path, limits: &Limits) -> Result<(String, Format), LoadError> {
    let format =
        Format::from_path(path).ok_or_else(|| LoadError::UnknownFormat { path: path.into() })?;
    Ok((read_text(path, limits)?, format))
}

/// Decodes raw bytes as [`decode`] does and refuses input with nothing in it.
pub(crate) fn text<'t>(
    bytes: &'t [u8],
    format: Format,
    limits: &Limits,
) -> Result<&'t str, LoadError> {
    let text = decode(bytes, limits)?;
    if is_blank(text, format) {
        return Err(LoadError::Empty);
    }
    Ok(text)
}

fn is_blank(text: &str, format: Format) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || (format == Format::Yaml && (line.starts_with('#') || line == "---"))
    })
}

/// A FHIR resource that every command reading surveys or answers also accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resource {
    /// A `Questionnaire`: read as a survey.
    Questionnaire,
    /// A `QuestionnaireResponse`: read as an answer set.
    QuestionnaireResponse,
}

impl Resource {
    fn named(name: &str) -> Option<Resource> {
        match name {
            "Questionnaire" => Some(Resource::Questionnaire),
            "QuestionnaireResponse" => Some(Resource::QuestionnaireResponse),
            _ => None,
        }
    }

    /// The resource a parsed value is, by its top-level `resourceType` (a YAML answer file
    /// can hold a `QuestionnaireResponse` too).
    #[must_use]
    pub fn of(value: &serde_json::Value) -> Option<Resource> {
        Resource::named(value.get("resourceType")?.as_str()?)
    }
}

/// What a text is: the FHIR resource its top-level `resourceType` names, or `None` for a
/// survey file or an answer set (which one the caller knows). The one place this is decided
/// for text: a text that does not name a resource type is told apart at the speed of a
/// substring search, and only one that does is read (its keys, values skipped unparsed).
///
/// ```
/// use survey_schema::{Resource, sniff};
/// assert_eq!(sniff(br#"{"resourceType": "Questionnaire", "item": []}"#), Some(Resource::Questionnaire));
/// assert_eq!(sniff(br#"{"Q1": "QuestionnaireResponse"}"#), None);
/// assert_eq!(sniff(b"id: s\nversion: '1'\n"), None);
/// ```
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<Resource> {
    #[derive(serde::Deserialize)]
    struct Head<'a> {
        #[serde(rename = "resourceType", borrow)]
        resource_type: Option<std::borrow::Cow<'a, str>>,
    }
    memchr::memmem::find(bytes, b"\"resourceType\"")?;
    let head: Head = serde_json::from_slice(bytes).ok()?;
    Resource::named(&head.resource_type?)
}
