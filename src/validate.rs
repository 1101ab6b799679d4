//! Answers to report: every issue, with a stable code and a JSON Pointer, in question order.
//!
//! One engine walks the compiled program in document order and hands each issue to a sink:
//! [`Survey::is_valid`] stops at the first and allocates nothing; [`Survey::validate`]
//! builds paths and messages only for the issues it keeps. Answers are read through
//! [`Answer`], so the same walk serves a `serde_json::Value` and the borrowed tree that
//! [`Survey::validate_json`] parses text into.

use std::fmt;
use std::ops::ControlFlow;

use serde_json::{Map, Number, Value};

use crate::answer::{self, Answer, Parsed};
use crate::condition::compare_numbers;
use crate::definition::QuestionKind;
use crate::load::{self, Limits, LoadError};
use crate::messages::{self, Detail, Expected, Locale};
use crate::pattern;
use crate::program::{NONE, Program, Step, TextRule};
use crate::survey::{Kind, QuestionRef, Survey, pointer_token};

/// What is wrong with an answer. The string form ([`IssueCode::as_str`]) is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum IssueCode {
    /// The answer set is not a JSON object.
    NotAnObject,
    /// A key of the answer set names no question.
    UnknownQuestion,
    /// A key of a group's answer names no field of the group.
    UnknownField,
    /// A required, enabled question has no answer.
    MissingRequired,
    /// A disabled question has an answer (strict mode).
    AnsweredWhileDisabled,
    /// The answer has the wrong JSON type (`null` included).
    WrongType,
    /// A choice value that the question does not offer.
    UnknownChoice,
    /// A multiple-choice answer lists a value twice.
    DuplicateChoice,
    /// An exclusive choice combined with other choices.
    ExclusiveChoiceCombined,
    /// Fewer selections than `min_selections`.
    TooFewChoices,
    /// More selections than `max_selections`.
    TooManyChoices,
    /// Text shorter than `min_length` (Unicode scalar values).
    TooShort,
    /// Text longer than `max_length` (Unicode scalar values).
    TooLong,
    /// Text without a match of `pattern`.
    PatternMismatch,
    /// Text not in its `format` (email, tel, url).
    InvalidFormat,
    /// A number or date outside its bounds, or an integer outside i64.
    OutOfRange,
    /// A string that is not a valid `YYYY-MM-DD` date.
    InvalidDate,
}

impl IssueCode {
    /// Every code, in the order of the documentation.
    pub const ALL: [IssueCode; 17] = [
        IssueCode::NotAnObject,
        IssueCode::UnknownQuestion,
        IssueCode::UnknownField,
        IssueCode::MissingRequired,
        IssueCode::AnsweredWhileDisabled,
        IssueCode::WrongType,
        IssueCode::UnknownChoice,
        IssueCode::DuplicateChoice,
        IssueCode::ExclusiveChoiceCombined,
        IssueCode::TooFewChoices,
        IssueCode::TooManyChoices,
        IssueCode::TooShort,
        IssueCode::TooLong,
        IssueCode::PatternMismatch,
        IssueCode::InvalidFormat,
        IssueCode::OutOfRange,
        IssueCode::InvalidDate,
    ];

    /// The stable `snake_case` code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::NotAnObject => "not_an_object",
            IssueCode::UnknownQuestion => "unknown_question",
            IssueCode::UnknownField => "unknown_field",
            IssueCode::MissingRequired => "missing_required",
            IssueCode::AnsweredWhileDisabled => "answered_while_disabled",
            IssueCode::WrongType => "wrong_type",
            IssueCode::UnknownChoice => "unknown_choice",
            IssueCode::DuplicateChoice => "duplicate_choice",
            IssueCode::ExclusiveChoiceCombined => "exclusive_choice_combined",
            IssueCode::TooFewChoices => "too_few_choices",
            IssueCode::TooManyChoices => "too_many_choices",
            IssueCode::TooShort => "too_short",
            IssueCode::TooLong => "too_long",
            IssueCode::PatternMismatch => "pattern_mismatch",
            IssueCode::InvalidFormat => "invalid_format",
            IssueCode::OutOfRange => "out_of_range",
            IssueCode::InvalidDate => "invalid_date",
        }
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for IssueCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem with an answer set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Issue {
    /// What is wrong.
    pub code: IssueCode,
    /// JSON Pointer to the answer (`/Q12-1`, `/Q6/2`, `/Q1/email`); a missing answer points
    /// where it belongs, and `not_an_object` points at the root (`""`).
    pub path: String,
    /// The top-level question the issue is about (for a group field, the group); for an
    /// unknown key, the key itself; empty for `not_an_object`.
    pub question: String,
    /// A one-line message in the requested locale.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            if self.path.is_empty() {
                "/"
            } else {
                &self.path
            },
            self.code,
            self.message
        )
    }
}

/// The outcome of [`Survey::validate`]: every issue in question order, up to the cap.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The issues found.
    pub issues: Vec<Issue>,
    /// Whether issues were left out because [`ValidateOptions::max_issues`] was reached.
    pub truncated: bool,
}

impl Report {
    /// True when there is no issue.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.issues.is_empty() {
            return f.write_str("valid");
        }
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{issue}")?;
        }
        if self.truncated {
            f.write_str("\n(more issues left out)")?;
        }
        Ok(())
    }
}

/// How to validate. The default is complete, strict, Japanese, at most 100 issues.
///
/// ```
/// use survey_schema::{Locale, ValidateOptions};
/// let options = ValidateOptions { partial: true, locale: Locale::En, ..ValidateOptions::default() };
/// assert!(!options.lenient);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateOptions {
    /// A draft being filled in: missing required answers are not issues.
    pub partial: bool,
    /// Answers to disabled questions are ignored instead of reported as
    /// `answered_while_disabled`.
    pub lenient: bool,
    /// The language of messages.
    pub locale: Locale,
    /// The most issues one report holds; the rest are counted as truncated.
    pub max_issues: usize,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            partial: false,
            lenient: false,
            locale: Locale::Ja,
            max_issues: 100,
        }
    }
}

/// How far an answer set is: required questions that are enabled, and how many of them
/// have an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Progress {
    /// Required questions (and fields of answered groups) that are enabled.
    pub required: usize,
    /// Those of them that have an answer.
    pub answered: usize,
}

impl Progress {
    /// `answered / required`, or 1 when nothing is required.
    #[must_use]
    #[allow(
        clippy::cast_precision_loss,
        reason = "a progress figure, not an exact count"
    )]
    pub fn fraction(&self) -> f64 {
        if self.required == 0 {
            1.0
        } else {
            self.answered as f64 / self.required as f64
        }
    }
}

/// The state of one walk: each node's answer (given whether or not the node is enabled) and
/// whether the node is enabled, one bit per node.
struct States<'s, 'v, A> {
    raw: &'s mut [Option<&'v A>],
    enabled: &'s mut [u64],
}

impl<'v, A: Answer> States<'_, 'v, A> {
    fn clear(&mut self) {
        self.raw.fill(None);
        self.enabled.fill(0);
    }

    fn is_enabled(&self, node: usize) -> bool {
        self.enabled
            .get(node / 64)
            .is_some_and(|word| word >> (node % 64) & 1 == 1)
    }

    fn enable(&mut self, node: usize) {
        if let Some(word) = self.enabled.get_mut(node / 64) {
            *word |= 1 << (node % 64);
        }
    }

    /// The answer a condition sees: none when the node is disabled.
    fn seen(&self, node: usize) -> Option<&'v A> {
        if self.is_enabled(node) {
            self.raw.get(node).copied().flatten()
        } else {
            None
        }
    }

    /// Whether the node's group has an object answer (true for a top-level node).
    fn parent_answered(&self, parent: Option<usize>) -> bool {
        parent.is_none_or(|p| self.raw[p].is_some_and(Answer::is_object))
    }
}

/// Surveys up to this many nodes are walked with small stack buffers (1 KiB of answer
/// slots), and up to [`LARGE_STACK_NODES`] with larger ones (16 KiB), so that `is_valid` does
/// not allocate; a larger survey takes two heap buffers per walk.
const SMALL_STACK_NODES: usize = 128;
const LARGE_STACK_NODES: usize = 2048;

/// Runs `f` on states for `nodes` nodes in buffers of `N` slots and `WORDS` (= `N / 64`)
/// enabled words on the stack; `nodes` is at most `N`.
fn on_stack<'v, const N: usize, const WORDS: usize, A: 'v, R>(
    nodes: usize,
    f: impl FnOnce(&mut States<'_, 'v, A>) -> R,
) -> R {
    let mut raw = [None; N];
    let mut enabled = [0; WORDS];
    f(&mut States {
        raw: &mut raw[..nodes],
        enabled: &mut enabled,
    })
}

/// An issue before its path and message are built.
struct RawIssue<'v, A> {
    code: IssueCode,
    node: Option<usize>,
    /// An unknown key (under `node`, or at the root).
    key: Option<&'v str>,
    /// An array item of the node's answer.
    item: Option<usize>,
    detail: RawDetail<'v, A>,
}

enum RawDetail<'v, A> {
    None,
    Expected(Expected),
    Value(&'v A),
    Count { actual: usize, limit: u64 },
    Range(&'v A),
}

// Derived, these would ask `A: Copy`; the references are `Copy` whatever `A` is.
impl<A> Clone for RawDetail<'_, A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for RawDetail<'_, A> {}

impl Survey {
    /// Validates a complete answer set with the default options (strict, Japanese messages).
    ///
    /// ```
    /// use survey_schema::{Survey, ValidateOptions, Locale};
    /// let survey = Survey::from_yaml(r#"
    /// id: demo
    /// version: "1"
    /// default_locale: en
    /// title: Demo
    /// questions:
    ///   - { id: smoker, type: boolean, title: Do you smoke?, required: true }
    ///   - { id: per_day, type: integer, title: How many?, minimum: 1, required: true,
    ///       enable_when: { question: smoker, equals: true } }
    /// "#)?;
    /// let options = ValidateOptions { locale: Locale::En, ..ValidateOptions::default() };
    /// let report = survey.validate_with(&serde_json::json!({"smoker": false, "per_day": 3}), &options);
    /// assert_eq!(report.issues[0].code.as_str(), "answered_while_disabled");
    /// assert_eq!(report.issues[0].path, "/per_day");
    /// # Ok::<(), survey_schema::Error>(())
    /// ```
    #[must_use]
    pub fn validate(&self, answers: &Value) -> Report {
        self.validate_with(answers, &ValidateOptions::default())
    }

    /// Validates an answer set with the given options.
    #[must_use]
    pub fn validate_with(&self, answers: &Value, options: &ValidateOptions) -> Report {
        self.report(answers, options)
    }

    /// True when a complete answer set has no issue (strict mode). Allocates nothing on a
    /// valid answer set of a survey up to 2,048 questions and fields (a larger one takes two
    /// buffers per call).
    #[must_use]
    pub fn is_valid(&self, answers: &Value) -> bool {
        self.is_valid_with(answers, &ValidateOptions::default())
    }

    /// [`Survey::is_valid`] with the mode flags of `options` (locale and cap play no part).
    #[must_use]
    pub fn is_valid_with(&self, answers: &Value, options: &ValidateOptions) -> bool {
        self.verdict(answers, options)
    }

    /// Parses a JSON answer set from bytes and validates it: the entry point for callers that
    /// hold JSON text (a request body, a line of a batch). The text is checked as
    /// [`parse_answers`](crate::parse_answers) checks it under the default [`Limits`]
    /// (size, nesting depth, UTF-8, duplicate keys), with the same errors, and the report is
    /// the one [`Survey::validate_with`] gives on the parsed value. No `serde_json::Value` is
    /// built: strings are borrowed from the text unless they hold escapes.
    ///
    /// ```
    /// # use survey_schema::{Survey, ValidateOptions};
    /// # let survey = Survey::from_yaml("id: d\nversion: '1'\ndefault_locale: en\ntitle: D\nquestions: [{id: q, type: boolean, title: Q}]")?;
    /// let report = survey.validate_json(br#"{"q": "yes"}"#, &ValidateOptions::default())?;
    /// assert_eq!(report.issues[0].code.as_str(), "wrong_type");
    /// assert!(survey.validate_json(br#"{"q": true, "q": false}"#, &ValidateOptions::default()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when the bytes are not one well-formed JSON value within the limits.
    pub fn validate_json(
        &self,
        json: &[u8],
        options: &ValidateOptions,
    ) -> Result<Report, LoadError> {
        let answers = Self::parse_json(json)?;
        Ok(self.report(&answers, options))
    }

    /// [`Survey::is_valid_with`] on JSON bytes, parsed as [`Survey::validate_json`] does.
    ///
    /// # Errors
    ///
    /// As [`Survey::validate_json`].
    pub fn is_valid_json(&self, json: &[u8], options: &ValidateOptions) -> Result<bool, LoadError> {
        let answers = Self::parse_json(json)?;
        Ok(self.verdict(&answers, options))
    }

    /// Parses answer bytes as [`parse_answers`](crate::parse_answers) does, into a tree that
    /// borrows its strings from the text.
    fn parse_json(json: &[u8]) -> Result<Parsed<'_>, LoadError> {
        let limits = Limits::default();
        let text = load::decode(json, &limits)?;
        if load::is_blank(text, load::Format::Json) {
            return Err(LoadError::Empty);
        }
        answer::parse(text, &limits)
    }

    fn report<A: Answer>(&self, answers: &A, options: &ValidateOptions) -> Report {
        let mut report = Report::default();
        self.with_states(|states| {
            let _stopped = self.walk(
                answers,
                options.partial,
                options.lenient,
                states,
                &mut |raw| {
                    if report.issues.len() >= options.max_issues {
                        report.truncated = true;
                        return ControlFlow::Break(());
                    }
                    report.issues.push(self.materialize(&raw, options.locale));
                    ControlFlow::Continue(())
                },
            );
        });
        report
    }

    fn verdict<A: Answer>(&self, answers: &A, options: &ValidateOptions) -> bool {
        self.with_states(|states| {
            self.walk(
                answers,
                options.partial,
                options.lenient,
                states,
                &mut |_| ControlFlow::Break(()),
            )
            .is_continue()
        })
    }

    /// The questions (and group fields) enabled by the answers so far, in order. A field is
    /// listed when its group and its own condition are enabled.
    #[must_use]
    pub fn enabled(&self, answers: &Value) -> Vec<QuestionRef<'_>> {
        self.with_states(|states| {
            self.fill_states(answers, states);
            self.nodes
                .iter()
                .enumerate()
                .filter(|&(index, _)| states.is_enabled(index))
                .map(|(_, n)| n.as_ref())
                .collect()
        })
    }

    /// The answer set without answers to disabled questions and fields. Other keys (unknown
    /// ones included) are kept; a non-object is returned as it is. Idempotent.
    #[must_use]
    pub fn prune(&self, answers: &Value) -> Value {
        let Some(object) = answers.as_object() else {
            return answers.clone();
        };
        self.with_states(|states| {
            self.fill_states(answers, states);
            let mut out = Map::new();
            for (key, value) in object {
                let Some(&index) = self.top_level.get(key.as_str()) else {
                    out.insert(key.clone(), value.clone());
                    continue;
                };
                if !states.is_enabled(index) {
                    continue;
                }
                let value = match (&self.nodes[index].kind, value) {
                    (Kind::Group { index: fields, .. }, Value::Object(inner)) => Value::Object(
                        inner
                            .iter()
                            .filter(|(k, _)| {
                                fields.get(k.as_str()).is_none_or(|&f| states.is_enabled(f))
                            })
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    ),
                    _ => value.clone(),
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        })
    }

    /// Required questions enabled so far, and how many of them are answered.
    #[must_use]
    pub fn progress(&self, answers: &Value) -> Progress {
        self.with_states(|states| {
            self.fill_states(answers, states);
            let mut progress = Progress::default();
            for (index, node) in self.nodes.iter().enumerate() {
                let counts = node.required
                    && states.is_enabled(index)
                    && states.parent_answered(node.parent);
                if counts {
                    progress.required += 1;
                    progress.answered += usize::from(states.raw[index].is_some());
                }
            }
            progress
        })
    }

    fn with_states<'v, A: 'v, R>(&self, f: impl FnOnce(&mut States<'_, 'v, A>) -> R) -> R {
        let nodes = self.nodes.len();
        if nodes <= SMALL_STACK_NODES {
            on_stack::<SMALL_STACK_NODES, { SMALL_STACK_NODES / 64 }, A, R>(nodes, f)
        } else if nodes <= LARGE_STACK_NODES {
            on_stack::<LARGE_STACK_NODES, { LARGE_STACK_NODES / 64 }, A, R>(nodes, f)
        } else {
            f(&mut States {
                raw: &mut vec![None; nodes],
                enabled: &mut vec![0; nodes.div_ceil(64)],
            })
        }
    }

    /// Fills `states` with answers and enabled states, without reporting anything.
    fn fill_states<'v>(&self, answers: &'v Value, states: &mut States<'_, 'v, Value>) {
        let _ = self.walk(answers, true, true, states, &mut |_| {
            ControlFlow::Continue(())
        });
    }

    /// Reports every issue of an answer set, in question order, to `sink`, and leaves each
    /// node's answer and enabled state in `states`, which start cleared (as
    /// [`Survey::with_states`] makes them). Returns `Break` when the sink stopped it.
    fn walk<'v, A: Answer>(
        &self,
        answers: &'v A,
        partial: bool,
        lenient: bool,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let Some(object) = answers.entries() else {
            return sink(RawIssue {
                code: IssueCode::NotAnObject,
                node: None,
                key: None,
                item: None,
                detail: RawDetail::None,
            });
        };
        if self.walk_in_order(object, partial, lenient, states) {
            return ControlFlow::Continue(());
        }
        states.clear();
        // Answer keys usually come in question order: try the question after the last one
        // found before hashing the key.
        let mut cursor = 0;
        for (key, value) in answers.entries().into_iter().flatten() {
            let in_order = (self.program.root_id(cursor) == Some(key)).then(|| self.roots[cursor]);
            let found = in_order.or_else(|| self.top_level.get(key).copied());
            if let Some(index) = found {
                cursor = match in_order {
                    Some(_) => cursor + 1,
                    None => self
                        .roots
                        .binary_search(&index)
                        .map_or(cursor, |position| position + 1),
                };
            }
            match found {
                Some(index) => states.raw[index] = Some(value),
                None => sink(RawIssue {
                    code: IssueCode::UnknownQuestion,
                    node: None,
                    key: Some(key),
                    item: None,
                    detail: RawDetail::None,
                })?,
            }
        }
        for (index, step) in self.program.steps.iter().enumerate() {
            self.visit(index, step, partial, lenient, states, sink)?;
        }
        ControlFlow::Continue(())
    }

    /// The walk of the common case, a valid answer set whose keys come in question order:
    /// each key is matched as the walk reaches its question, so every answer is read once,
    /// while it is in cache. True when the answer set is valid and every key was matched in
    /// order; anything else (an issue, an unknown or out-of-order key) returns false, and the
    /// caller starts over with the general walk, which finds and reports the issues.
    fn walk_in_order<'v, A: Answer>(
        &self,
        object: impl Iterator<Item = (&'v str, &'v A)>,
        partial: bool,
        lenient: bool,
        states: &mut States<'_, 'v, A>,
    ) -> bool {
        let mut entries = object.peekable();
        let mut root = 0;
        for (index, step) in self.program.steps.iter().enumerate() {
            if step.parent == NONE {
                // `roots` lists the top-level nodes in document order, so this node is the
                // `root`-th; were it not, the key would stay unmatched and the general walk run.
                if let Some(&(key, value)) = entries.peek()
                    && self.roots.get(root) == Some(&index)
                    && self.program.root_id(root) == Some(key)
                {
                    states.raw[index] = Some(value);
                    entries.next();
                }
                root += 1;
            }
            let visited = self.visit(index, step, partial, lenient, states, &mut |_| {
                ControlFlow::Break(())
            });
            if visited.is_break() {
                return false;
            }
        }
        entries.peek().is_none()
    }

    /// Settles whether one node is enabled and checks its answer.
    fn visit<'v, A: Answer>(
        &self,
        index: usize,
        step: &Step,
        partial: bool,
        lenient: bool,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let parent = (step.parent != NONE).then_some(step.parent as usize);
        let parent_enabled = parent.is_none_or(|p| states.is_enabled(p));
        let enabled = parent_enabled
            && (step.condition == NONE || self.program.eval(step.condition, &|j| states.seen(j)));
        if enabled {
            states.enable(index);
        }
        match (enabled, states.raw[index]) {
            (true, Some(value)) => {
                if step.kind == QuestionKind::Group
                    && let Some(inner) = value.entries()
                    && let Kind::Group { index: fields, .. } = &self.nodes[index].kind
                {
                    for (key, field_value) in inner {
                        match fields.get(key) {
                            Some(&field) => states.raw[field] = Some(field_value),
                            None => sink(RawIssue {
                                code: IssueCode::UnknownField,
                                node: Some(index),
                                key: Some(key),
                                item: None,
                                detail: RawDetail::None,
                            })?,
                        }
                    }
                }
                self.program.check(index, step, value, sink)?;
            }
            // A field is judged only inside a group answer that is an object.
            (true, None) if step.required && !partial && states.parent_answered(parent) => {
                sink(RawIssue {
                    code: IssueCode::MissingRequired,
                    node: Some(index),
                    key: None,
                    item: None,
                    detail: RawDetail::None,
                })?;
            }
            (false, Some(_)) if !lenient && parent_enabled => {
                sink(RawIssue {
                    code: IssueCode::AnsweredWhileDisabled,
                    node: Some(index),
                    key: None,
                    item: None,
                    detail: RawDetail::None,
                })?;
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn materialize<A: Answer>(&self, raw: &RawIssue<'_, A>, locale: Locale) -> Issue {
        let node = raw.node.map(|i| &self.nodes[i]);
        let mut path = node.map_or_else(String::new, |n| n.pointer.clone());
        if let Some(key) = raw.key {
            path.push('/');
            path.push_str(&pointer_token(key));
        }
        if let Some(item) = raw.item {
            path.push('/');
            path.push_str(&item.to_string());
        }
        let question = match (node, raw.key) {
            (None, Some(key)) => key.to_owned(),
            (Some(n), _) => n.parent.map_or(&n.id, |p| &self.nodes[p].id).clone(),
            (None, None) => String::new(),
        };
        let subject = match (raw.code, raw.key, node) {
            (IssueCode::UnknownQuestion | IssueCode::UnknownField, Some(key), _) => {
                messages::cut(key).into_owned()
            }
            (_, _, Some(n)) => n.pointer.trim_start_matches('/').to_owned(),
            _ => String::new(),
        };
        let shown = match raw.detail {
            RawDetail::Value(v) | RawDetail::Range(v) => Some(v.to_value()),
            _ => None,
        };
        let detail = match (raw.detail, shown.as_deref()) {
            (RawDetail::Value(_), Some(value)) => Detail::Value(value),
            (RawDetail::Range(_), Some(value)) => {
                let (min, max) = node.map_or((None, None), |n| bounds(&n.kind));
                Detail::Range { value, min, max }
            }
            (RawDetail::Expected(e), _) => Detail::Expected(e),
            (RawDetail::Count { actual, limit }, _) => Detail::Count { actual, limit },
            _ => Detail::None,
        };
        let message = messages::message(raw.code, locale, &subject, &detail);
        Issue {
            code: raw.code,
            path,
            question,
            message,
        }
    }
}

/// The bounds of a number or date question, as text for messages.
fn bounds(kind: &Kind) -> (Option<String>, Option<String>) {
    match kind {
        Kind::Integer { minimum, maximum } => (
            Some(minimum.unwrap_or(i64::MIN).to_string()),
            Some(maximum.unwrap_or(i64::MAX).to_string()),
        ),
        Kind::Number { minimum, maximum } => (
            minimum.as_ref().map(ToString::to_string),
            maximum.as_ref().map(ToString::to_string),
        ),
        Kind::Date { earliest, latest } => (earliest.clone(), latest.clone()),
        _ => (None, None),
    }
}

/// 2^63 as f64: every integral f64 in `[-2^63, 2^63)` converts to i64 exactly.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// An integral JSON number as i64; `Err(true)` when integral but outside i64, `Err(false)`
/// when not integral.
pub(crate) fn as_integer(n: &Number) -> Result<i64, bool> {
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    if n.as_u64().is_some() {
        return Err(true);
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.fract() != 0.0 || !f.is_finite() {
        return Err(false);
    }
    if (-TWO_POW_63..TWO_POW_63).contains(&f) {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "integral and within i64, checked above"
        )]
        Ok(f as i64)
    } else {
        Err(true)
    }
}

impl Program {
    /// Checks one present answer of an enabled node against its rule.
    fn check<'v, A: Answer>(
        &self,
        index: usize,
        step: &Step,
        value: &'v A,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let issue = |code, item, detail| RawIssue {
            code,
            node: Some(index),
            key: None,
            item,
            detail,
        };
        let wrong = |expected| issue(IssueCode::WrongType, None, RawDetail::Expected(expected));
        let counted = |code, actual, limit| {
            issue(
                code,
                None,
                RawDetail::Count {
                    actual,
                    limit: u64::from(limit),
                },
            )
        };
        let rule = step.rule as usize;
        match step.kind {
            QuestionKind::Boolean => {
                if value.as_bool().is_none() {
                    sink(wrong(Expected::Boolean))?;
                }
            }
            QuestionKind::SingleChoice => match value.as_str() {
                None => sink(wrong(Expected::ChoiceValue))?,
                Some(s) if self.choice_index(&self.choice_rules[rule], s).is_none() => sink(
                    issue(IssueCode::UnknownChoice, None, RawDetail::Value(value)),
                )?,
                Some(_) => {}
            },
            QuestionKind::MultipleChoice => {
                let Some(items) = value.as_array() else {
                    return sink(wrong(Expected::ChoiceArray));
                };
                let choices = &self.choice_rules[rule];
                let mut picked = Picked::new(choices.count());
                for (i, item) in items.iter().enumerate() {
                    match item.as_str().map(|s| self.choice_index(choices, s)) {
                        None => sink(issue(
                            IssueCode::WrongType,
                            Some(i),
                            RawDetail::Expected(Expected::ChoiceValue),
                        ))?,
                        Some(None) => sink(issue(
                            IssueCode::UnknownChoice,
                            Some(i),
                            RawDetail::Value(item),
                        ))?,
                        Some(Some(choice)) => {
                            if !picked.insert(choice) {
                                sink(issue(
                                    IssueCode::DuplicateChoice,
                                    Some(i),
                                    RawDetail::Value(item),
                                ))?;
                            }
                        }
                    }
                }
                if let Some(min) = choices.min
                    && items.len() < min as usize
                {
                    sink(counted(IssueCode::TooFewChoices, items.len(), min))?;
                }
                if let Some(max) = choices.max
                    && items.len() > max as usize
                {
                    sink(counted(IssueCode::TooManyChoices, items.len(), max))?;
                }
                // As JSON Schema's `not: {allOf: [{contains: {const: v}}, {minItems: 2}]}`: an
                // exclusive value in an array of two or more items, whatever the others are.
                if choices.has_exclusive && items.len() >= 2 {
                    for (choice, _) in self
                        .choice_values(choices)
                        .filter(|&(_, exclusive)| exclusive)
                    {
                        if let Some(item) = items.iter().find(|v| v.as_str() == Some(choice)) {
                            sink(issue(
                                IssueCode::ExclusiveChoiceCombined,
                                None,
                                RawDetail::Value(item),
                            ))?;
                            break;
                        }
                    }
                }
            }
            QuestionKind::Text => {
                let TextRule {
                    min_length,
                    max_length,
                    pattern,
                    format,
                } = &self.text_rules[rule];
                let Some(text) = value.as_str() else {
                    return sink(wrong(Expected::String));
                };
                // A string has at most as many scalar values as bytes and at least a quarter as
                // many, so most lengths are settled without counting.
                let bytes = text.len();
                let settled = min_length.is_none_or(|min| bytes / 4 >= min as usize)
                    && max_length.is_none_or(|max| bytes <= max as usize);
                let length = if settled { 0 } else { text.chars().count() };
                if let Some(min) = min_length
                    && !settled
                    && length < *min as usize
                {
                    sink(counted(IssueCode::TooShort, length, *min))?;
                }
                if let Some(max) = max_length
                    && !settled
                    && length > *max as usize
                {
                    sink(counted(IssueCode::TooLong, length, *max))?;
                }
                if let Some(pattern) = pattern
                    && !pattern.is_match(text)
                {
                    sink(issue(
                        IssueCode::PatternMismatch,
                        None,
                        RawDetail::Value(value),
                    ))?;
                }
                if let Some(format) = format
                    && !pattern::format_regex(*format).is_match(text)
                {
                    sink(issue(
                        IssueCode::InvalidFormat,
                        None,
                        RawDetail::Value(value),
                    ))?;
                }
            }
            QuestionKind::Integer => {
                let (minimum, maximum) = self.integer_rules[rule];
                let Some(number) = value.as_number() else {
                    return sink(wrong(Expected::Integer));
                };
                match as_integer(number) {
                    Err(false) => sink(wrong(Expected::Integer))?,
                    Err(true) => sink(issue(IssueCode::OutOfRange, None, RawDetail::Range(value)))?,
                    Ok(n) => {
                        if minimum.is_some_and(|min| n < min) || maximum.is_some_and(|max| n > max)
                        {
                            sink(issue(IssueCode::OutOfRange, None, RawDetail::Range(value)))?;
                        }
                    }
                }
            }
            QuestionKind::Number => {
                let (minimum, maximum) = &self.number_rules[rule];
                let Some(number) = value.as_number() else {
                    return sink(wrong(Expected::Number));
                };
                let below = minimum.as_ref().is_some_and(|min| {
                    compare_numbers(number, min) == Some(std::cmp::Ordering::Less)
                });
                let above = maximum.as_ref().is_some_and(|max| {
                    compare_numbers(number, max) == Some(std::cmp::Ordering::Greater)
                });
                if below || above {
                    sink(issue(IssueCode::OutOfRange, None, RawDetail::Range(value)))?;
                }
            }
            QuestionKind::Date => {
                let (earliest, latest) = self.date_rule(step.rule);
                let Some(text) = value.as_str() else {
                    return sink(wrong(Expected::Date));
                };
                if pattern::parse_date(text).is_none() {
                    return sink(issue(IssueCode::InvalidDate, None, RawDetail::Value(value)));
                }
                let early = earliest.is_some_and(|e| text < e);
                let late = latest.is_some_and(|l| text > l);
                if early || late {
                    sink(issue(IssueCode::OutOfRange, None, RawDetail::Range(value)))?;
                }
            }
            QuestionKind::Group => {
                if !value.is_object() {
                    sink(wrong(Expected::Object))?;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// Which choices an answer has picked: bits on the stack for up to 1,024 choices.
enum Picked {
    Small([u64; 16]),
    Large(Vec<bool>),
}

impl Picked {
    fn new(choices: usize) -> Picked {
        if choices <= 1024 {
            Picked::Small([0; 16])
        } else {
            Picked::Large(vec![false; choices])
        }
    }

    /// Marks a choice; false when it was already marked.
    fn insert(&mut self, choice: usize) -> bool {
        match self {
            Picked::Small(bits) => {
                let (word, bit) = (choice / 64, 1u64 << (choice % 64));
                let fresh = bits[word] & bit == 0;
                bits[word] |= bit;
                fresh
            }
            Picked::Large(seen) => !std::mem::replace(&mut seen[choice], true),
        }
    }
}
