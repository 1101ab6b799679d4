//! The checked, compiled survey: the only input later stages accept.
//!
//! Questions, group fields and "specify" boxes are flattened into one list of nodes in
//! document order; ids are interned to indices and conditions are compiled to refer to
//! those indices. Validation reads the compact program compiled from the nodes
//! (`crate::program`); the nodes keep names, text and kinds for reports and generation.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use crate::check::{self, CheckError};
use crate::condition::Condition;
use crate::definition::{QuestionKind, SurveyDefinition, Text, TextFormat};
use crate::load::{self, Format, Limits, SourceMap};
use crate::program::Program;

/// Answer keys to node indices. The keys are the survey's own ids, fixed when it is checked;
/// answers only look keys up, so a fast unkeyed hash is safe (no one can add colliding keys).
pub(crate) type IdMap = HashMap<Box<str>, usize, BuildHasherDefault<IdHasher>>;

/// FxHash-style multiply-rotate hashing of short ASCII ids.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A survey that has passed every definition check. Build one with [`Survey::from_yaml`],
/// [`Survey::from_json`], [`Survey::from_path`] or [`Survey::from_definition`]; it is
/// immutable, `Send + Sync`, and cheap to share behind an `Arc`.
///
/// ```
/// use survey_schema::Survey;
/// let survey = Survey::from_yaml(r#"
/// id: demo
/// version: "1"
/// default_locale: en
/// title: Demo
/// questions:
///   - { id: smoker, type: boolean, title: Do you smoke?, required: true }
///   - id: per_day
///     type: integer
///     title: How many per day?
///     minimum: 1
///     enable_when: { question: smoker, equals: true }
/// "#)?;
/// assert_eq!(survey.question_ids().collect::<Vec<_>>(), ["smoker", "per_day"]);
/// # Ok::<(), survey_schema::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Survey {
    pub(crate) definition: SurveyDefinition,
    pub(crate) nodes: Vec<Node>,
    /// Top-level answer keys to node indices.
    pub(crate) top_level: IdMap,
    /// Indices of the top-level nodes, in order.
    pub(crate) roots: Vec<usize>,
    /// The rules validation reads, compiled from `nodes`.
    pub(crate) program: Program,
}

/// A question, group field or specify box, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) id: String,
    /// JSON Pointer of the answer (`/Q1/email`).
    pub(crate) pointer: String,
    /// The group this node is a field of.
    pub(crate) parent: Option<usize>,
    pub(crate) title: Text,
    pub(crate) help: Option<Text>,
    pub(crate) required: bool,
    pub(crate) condition: Option<Condition>,
    pub(crate) kind: Kind,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Boolean {
        labels: Option<(Text, Text)>,
    },
    SingleChoice {
        choices: Vec<Choice>,
    },
    MultipleChoice {
        choices: Vec<Choice>,
        min: Option<u32>,
        max: Option<u32>,
    },
    Text {
        min_length: Option<u32>,
        max_length: Option<u32>,
        pattern: Option<crate::pattern::Pattern>,
        format: Option<TextFormat>,
    },
    Integer {
        minimum: Option<i64>,
        maximum: Option<i64>,
    },
    Number {
        minimum: Option<serde_json::Number>,
        maximum: Option<serde_json::Number>,
    },
    Date {
        earliest: Option<String>,
        latest: Option<String>,
    },
    Group {
        /// Indices of the fields, in order.
        fields: Vec<usize>,
        /// Field ids to node indices.
        index: IdMap,
    },
}

impl Kind {
    pub(crate) fn question_kind(&self) -> QuestionKind {
        match self {
            Kind::Boolean { .. } => QuestionKind::Boolean,
            Kind::SingleChoice { .. } => QuestionKind::SingleChoice,
            Kind::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            Kind::Text { .. } => QuestionKind::Text,
            Kind::Integer { .. } => QuestionKind::Integer,
            Kind::Number { .. } => QuestionKind::Number,
            Kind::Date { .. } => QuestionKind::Date,
            Kind::Group { .. } => QuestionKind::Group,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: Text,
    pub(crate) exclusive: bool,
}

/// Where to find a question: its id, its JSON Pointer in an answer set, and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct QuestionRef<'a> {
    /// The question's id (for a group field, the field's id).
    pub id: &'a str,
    /// JSON Pointer of its answer (`/Q12-1`, `/Q1/email`).
    pub pointer: &'a str,
    /// The question kind.
    pub kind: QuestionKind,
}

impl Survey {
    /// Loads and checks a YAML survey definition.
    ///
    /// # Errors
    ///
    /// [`Error::Load`](crate::Error::Load) when the text is not a well-formed definition,
    /// [`Error::Check`](crate::Error::Check) with every problem found when it breaks a rule.
    pub fn from_yaml(text: &str) -> Result<Survey, crate::Error> {
        Survey::load(text, Format::Yaml, &Limits::default())
    }

    /// Loads and checks a JSON survey definition.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_yaml`].
    pub fn from_json(text: &str) -> Result<Survey, crate::Error> {
        Survey::load(text, Format::Json, &Limits::default())
    }

    /// Loads and checks a survey file; `.yaml`/`.yml` and `.json` extensions choose the format.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_yaml`], plus [`LoadError::Io`](crate::LoadError::Io) and
    /// [`LoadError::UnknownFormat`](crate::LoadError::UnknownFormat).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Survey, crate::Error> {
        Survey::from_path_with_limits(path.as_ref(), &Limits::default())
    }

    /// [`Survey::from_path`] under the given limits.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_path`].
    pub fn from_path_with_limits(path: &Path, limits: &Limits) -> Result<Survey, crate::Error> {
        let (text, format) = load::read_path(path, limits)?;
        Survey::load(&text, format, limits)
    }

    /// Loads and checks survey text in the given format under the given limits.
    ///
    /// Problems found by the checks carry the line and column of the offending node.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_yaml`].
    pub fn load(text: &str, format: Format, limits: &Limits) -> Result<Survey, crate::Error> {
        let definition = load::parse(text, format, limits)?;
        check::check(definition, limits).map_err(|mut error| {
            let map = SourceMap::build(text, limits);
            for problem in &mut error.problems {
                problem.location = map.locate(&problem.path);
            }
            // Report in the order of the text (a stable sort keeps each node's problems in
            // the order they were found).
            error.problems.sort_by_key(|p| p.location);
            crate::Error::Check(error)
        })
    }

    /// Checks a definition built in code (or deserialized by the caller).
    ///
    /// # Errors
    ///
    /// A [`CheckError`] listing every problem found.
    pub fn from_definition(definition: SurveyDefinition) -> Result<Survey, CheckError> {
        check::check(definition, &Limits::default())
    }

    /// The definition this survey was built from.
    #[must_use]
    pub fn definition(&self) -> &SurveyDefinition {
        &self.definition
    }

    /// The survey's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.definition.id
    }

    /// The locale every text of the survey has.
    #[must_use]
    pub fn default_locale(&self) -> &str {
        &self.definition.default_locale
    }

    /// The ids of the top-level questions (and specify boxes) in order; these are the keys
    /// of an answer set.
    pub fn question_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.roots.iter().map(|&i| self.nodes[i].id.as_str())
    }

    /// Every question, group field and specify box, in document order.
    pub fn questions(&self) -> impl Iterator<Item = QuestionRef<'_>> + '_ {
        self.nodes.iter().map(Node::as_ref)
    }

    pub(crate) fn text<'a>(&'a self, text: &'a Text, locale: &str) -> &'a str {
        text.get(locale, &self.definition.default_locale)
    }
}

impl Node {
    pub(crate) fn as_ref(&self) -> QuestionRef<'_> {
        QuestionRef {
            id: &self.id,
            pointer: &self.pointer,
            kind: self.kind.question_kind(),
        }
    }
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub(crate) fn pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}
