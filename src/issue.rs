//! What an answer check can say: [`IssueCode`], [`Issue`] and [`Report`], and the raw issue
//! that the walk hands on before a path and a message are built for it.

use std::fmt;

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
    /// A repeat answered with fewer instances than `min_items`.
    TooFewItems,
    /// A repeat answered with more instances than `max_items`.
    TooManyItems,
    /// An edit check of the survey (`rules`) does not hold.
    RuleFailed,
}

impl IssueCode {
    /// Every code, in the order of the documentation.
    pub const ALL: [IssueCode; 20] = [
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
        IssueCode::TooFewItems,
        IssueCode::TooManyItems,
        IssueCode::RuleFailed,
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
            IssueCode::TooFewItems => "too_few_items",
            IssueCode::TooManyItems => "too_many_items",
            IssueCode::RuleFailed => "rule_failed",
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

/// How much a failed rule weighs: an `error` makes the answer set invalid, a `warning` is
/// reported beside the issues and never does.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// The answer set is invalid.
    #[default]
    Error,
    /// The answer set stays valid; the respondent is asked to check.
    Warning,
}

impl Severity {
    /// Whether this is [`Severity::Error`].
    #[must_use]
    pub fn is_error(&self) -> bool {
        *self == Severity::Error
    }
}

/// One problem with an answer set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Issue {
    /// What is wrong.
    pub code: IssueCode,
    /// JSON Pointer to the answer (`/Q12-1`, `/Q6/2`, `/Q1/contact`); a missing answer points
    /// where it belongs, and `not_an_object` points at the root (`""`).
    pub path: String,
    /// The top-level question the issue is about (for a group field, the group); for an
    /// unknown key, the key itself; empty for `not_an_object`.
    pub question: String,
    /// A one-line message in the requested locale.
    pub message: String,
    /// `error`, or `warning` for a failed rule of that severity (in [`Report::warnings`]).
    pub severity: Severity,
    /// The id of the failed rule, for `rule_failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
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

/// The outcome of [`Survey::validate`](crate::Survey::validate): every issue in question order, up to the cap.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The issues found: what makes the answer set invalid.
    pub issues: Vec<Issue>,
    /// Failed rules of severity `warning`: reported, never making the answer set invalid.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Issue>,
    /// Whether issues were left out because [`ValidateOptions::max_issues`](crate::ValidateOptions::max_issues) was reached.
    pub truncated: bool,
}

impl Report {
    /// True when there is no issue (warnings do not count).
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.issues.is_empty() {
            f.write_str("valid")?;
        }
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{issue}")?;
        }
        for warning in &self.warnings {
            write!(f, "\nwarning: {warning}")?;
        }
        if self.truncated {
            f.write_str("\n(more issues left out)")?;
        }
        Ok(())
    }
}

/// The answer type a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    Boolean,
    ChoiceValue,
    ChoiceArray,
    String,
    Integer,
    Number,
    Date,
    Object,
    /// A repeat's answer: an array of objects.
    Instances,
}

/// An issue before its path and message are built.
pub(crate) struct RawIssue<'v, A> {
    pub(crate) code: IssueCode,
    pub(crate) node: Option<usize>,
    /// An unknown key (under `node`, or at the root).
    pub(crate) key: Option<&'v str>,
    /// An array item of the node's answer.
    pub(crate) item: Option<usize>,
    /// The instance of the repeat the node is a field of (for the repeat itself, with an
    /// unknown key: the instance the key is in).
    pub(crate) instance: Option<usize>,
    pub(crate) detail: RawDetail<'v, A>,
}

/// What a raw issue is about, beyond its code: borrowed from the answers.
pub(crate) enum RawDetail<'v, A> {
    None,
    Expected(Expected),
    Value(&'v A),
    Count {
        actual: usize,
        limit: u64,
    },
    Range(&'v A),
    /// A rule of the survey, by its index.
    Rule(usize),
}

// Derived, these would ask `A: Copy`; the references are `Copy` whatever `A` is.
impl<A> Clone for RawDetail<'_, A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for RawDetail<'_, A> {}

impl<'v, A> RawIssue<'v, A> {
    /// An issue about a node, with no key, item or detail yet.
    pub(crate) fn at(code: IssueCode, node: usize) -> Self {
        RawIssue {
            code,
            node: Some(node),
            key: None,
            item: None,
            instance: None,
            detail: RawDetail::None,
        }
    }

    /// An issue about the whole answer set.
    pub(crate) fn root(code: IssueCode) -> Self {
        RawIssue {
            code,
            node: None,
            key: None,
            item: None,
            instance: None,
            detail: RawDetail::None,
        }
    }

    /// An issue about an unknown answer key, under a group node or at the root.
    pub(crate) fn unknown_key(code: IssueCode, node: Option<usize>, key: &'v str) -> Self {
        RawIssue {
            code,
            node,
            key: Some(key),
            item: None,
            instance: None,
            detail: RawDetail::None,
        }
    }

    /// The same issue about an item of the node's array answer.
    pub(crate) fn item(self, item: usize) -> Self {
        RawIssue {
            item: Some(item),
            ..self
        }
    }

    /// The same issue in one instance of a repeat.
    pub(crate) fn in_instance(self, instance: usize) -> Self {
        RawIssue {
            instance: Some(instance),
            ..self
        }
    }

    /// The same issue with a detail.
    pub(crate) fn with(self, detail: RawDetail<'v, A>) -> Self {
        RawIssue { detail, ..self }
    }
}
