//! Every Japanese and English text the crate writes, whatever the stage: the messages of
//! answer issues, the analysis's findings, the codebook's words for conditions and value
//! labels, the DDI codebook's and the report's headings.
//!
//! [`Words`] is what a language says; [`ja`] and [`en`] are the two catalogues, and
//! [`Locale::words`] is the one place that picks one. A stage asks the catalogue for a
//! sentence with its parts (an id, a count, a label) and never writes a word of its own, so
//! each text reads the same wherever it appears. Messages name the question and may quote
//! the offending scalar (cut to 40 characters); they never echo the answer set.

mod en;
mod ja;

use crate::condition::Comparison;
use crate::issue::{Expected, IssueCode};

/// The language of issue messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Locale {
    /// Japanese.
    #[default]
    Ja,
    /// English.
    En,
}

impl Locale {
    /// The BCP 47 tag (`ja`, `en`), also used to pick survey text.
    #[must_use]
    pub fn tag(self) -> &'static str {
        self.words().tag()
    }

    /// The locale for a tag; `None` for a tag without a catalogue.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Locale> {
        [Locale::Ja, Locale::En]
            .into_iter()
            .find(|locale| locale.tag() == tag)
    }

    /// The catalogue of this language.
    pub(crate) fn words(self) -> &'static dyn Words {
        match self {
            Locale::Ja => &ja::Ja,
            Locale::En => &en::En,
        }
    }
}

/// What an issue is about, beyond its code.
#[derive(Debug, Clone)]
pub(crate) enum Detail<'v> {
    None,
    /// The kind of value expected (`boolean`, `an array of choice values`, ...), and the
    /// questions whose conditions test the answer (`Q10-1, Q10-2`; empty for none).
    Expected(Expected, &'v str),
    /// The offending scalar, quoted for a message.
    Value(&'v str),
    /// A count or length against its limit.
    Count {
        actual: usize,
        limit: u64,
    },
    /// A value outside `[min, max]` (either side may be open).
    Range {
        value: &'v str,
        min: Option<String>,
        max: Option<String>,
    },
    /// The survey's own message of a failed rule.
    Text(&'v str),
}

/// The parts of an issue's message, read from its [`Detail`] (empty where it has none).
pub(crate) struct Parts<'v> {
    /// The quoted scalar.
    pub(crate) value: &'v str,
    /// A count and its limit.
    pub(crate) actual: usize,
    pub(crate) limit: u64,
    /// The answer type expected, in words.
    pub(crate) expected: &'static str,
    /// The questions whose conditions test the answer (`Q10-1, Q10-2`), or nothing.
    pub(crate) tested_by: &'v str,
    /// The survey's text of a failed rule.
    pub(crate) text: &'v str,
    /// A range's bounds, either side open.
    pub(crate) min: Option<&'v str>,
    pub(crate) max: Option<&'v str>,
}

impl<'v> Parts<'v> {
    fn of(detail: &'v Detail<'v>, vocabulary: &Vocabulary) -> Parts<'v> {
        let mut parts = Parts {
            value: "",
            actual: 0,
            limit: 0,
            expected: "",
            tested_by: "",
            text: "",
            min: None,
            max: None,
        };
        match detail {
            Detail::None => {}
            Detail::Expected(e, tested_by) => {
                parts.expected = vocabulary.expected[*e as usize];
                parts.tested_by = tested_by;
            }
            Detail::Value(v) => parts.value = v,
            Detail::Count { actual, limit } => (parts.actual, parts.limit) = (*actual, *limit),
            Detail::Range { value, min, max } => {
                parts.value = value;
                parts.min = min.as_deref();
                parts.max = max.as_deref();
            }
            Detail::Text(text) => parts.text = text,
        }
        parts
    }
}

/// Renders the message of one issue about `subject` (a question id or answer key).
pub(crate) fn message(
    code: IssueCode,
    locale: Locale,
    subject: &str,
    detail: &Detail<'_>,
) -> String {
    let words = locale.words();
    words.issue(code, subject, &Parts::of(detail, words.vocabulary()))
}

/// What a finding of the analysis is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Noun {
    Question,
    Field,
    Row,
    Column,
    Specify,
    Section,
    Rule,
    /// The whole analysis (its overall bound).
    Survey,
}

/// The sentence of a finding of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Said<'a> {
    Unreachable,
    RequiredUnreachable,
    BlockedByRules,
    AlwaysEnabled,
    /// A test of the question `tested` that never matters.
    InertTest {
        tested: &'a str,
    },
    RulesConflict,
    RuleNeverApplies,
    RuleNeverFails,
    RuleNeverHolds,
    /// The whole analysis reached its bound (`steps`).
    Spent {
        steps: u64,
    },
    /// One check reached the bound of a search (`steps`).
    Bounded {
        steps: u64,
    },
    /// One check tests answers the analysis cannot enumerate.
    Unknowable,
}

/// One test of a condition, its parts already in words: how the codebook says who is asked.
#[derive(Debug, Clone)]
pub(crate) enum TestWords<'a> {
    Equals(&'a str),
    NotEquals(&'a str),
    In(&'a [String]),
    Includes(&'a str),
    /// The answer against a constant (a number or a date, as written).
    Compare(Comparison, &'a str),
    /// The number of selections or instances against a count.
    Count(Comparison, u32),
    /// The answer against another question's (its name).
    CompareAnswers(Comparison, &'a str),
    Answered(bool),
}

/// The fixed words of the generated sheets and pages. A [`Vocabulary`] lists them in the
/// order of these variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Word {
    /// The label of `true` (a boolean question without labels of its own).
    Yes,
    /// The label of `false`.
    No,
    /// A multiple choice's column: the choice selected (1).
    Selected,
    /// A multiple choice's column: the choice not selected (0).
    NotSelected,
    /// The universe of a question everyone is asked.
    Everyone,
    /// The missing code of a question the skip logic did not ask, in full.
    NotAskedInFull,
    /// The same, short (a count in the report).
    NotAsked,
    NotAnswered,
    /// Those asked a question (a count in the report).
    Asked,
    /// The report's "universe" (who is asked).
    Universe,
    AnswerSets,
    Valid,
    Invalid,
    IssuesFound,
    /// The table's `row_id` column.
    RowIdColumn,
    /// The table's `valid` column.
    ValidColumn,
    /// A long table's instance number column.
    InstanceColumn,
    /// The answer sets a report's figures count.
    Included,
    /// The answer sets a report read and left out of its figures (invalid ones, by default).
    LeftOut,
    /// Lines or files that held no answer set to read.
    Unreadable,
    /// Answers of the wrong JSON type (a count in the report).
    WrongType,
    /// What leads a citation in a generated form (`参考：…`).
    SeeAlso,
    /// What leads what a survey file marks as inferred, in a generated form.
    Inferred,
}

/// The codebook sheet's header, in order.
pub(crate) const SHEET_HEADER: usize = 12;

/// The fixed words of one language: data, where [`Words`] holds the sentences.
pub(crate) struct Vocabulary {
    /// The BCP 47 tag of the language (`ja`).
    pub(crate) tag: &'static str,
    /// Each [`Word`], in the order of its variants.
    pub(crate) words: [&'static str; WORDS],
    /// The codebook sheet's column names.
    pub(crate) sheet_header: [&'static str; SHEET_HEADER],
    /// Conditions joined: all of them, any of them.
    pub(crate) and: &'static str,
    pub(crate) or: &'static str,
    /// `>`, `>=`, `<`, `<=` in words, in the order of [`Comparison`]'s variants.
    pub(crate) comparisons: [&'static str; 4],
    /// Each [`Expected`] answer type in words, in the order of its variants.
    pub(crate) expected: [&'static str; EXPECTED],
}

/// How many [`Word`]s there are.
pub(crate) const WORDS: usize = Word::Inferred as usize + 1;
/// How many [`Expected`] answer types there are.
pub(crate) const EXPECTED: usize = Expected::Instances as usize + 1;

impl Vocabulary {
    /// A comparison in words.
    pub(crate) fn comparison(&self, comparison: Comparison) -> &'static str {
        self.comparisons[match comparison {
            Comparison::GreaterThan => 0,
            Comparison::GreaterOrEqual => 1,
            Comparison::LessThan => 2,
            Comparison::LessOrEqual => 3,
        }]
    }
}

/// What one language says: its [`Vocabulary`] and every sentence of every stage. The two
/// catalogues are `ja::Ja` and `en::En`.
pub(crate) trait Words: Sync {
    /// The fixed words.
    fn vocabulary(&self) -> &'static Vocabulary;

    /// The message of an answer issue about `subject`.
    fn issue(&self, code: IssueCode, subject: &str, parts: &Parts<'_>) -> String;

    /// The sentence of a finding about the `noun` `id`.
    fn finding(&self, said: Said<'_>, noun: Noun, id: &str) -> String;

    /// A negated condition, `inner` already in words.
    fn not(&self, inner: &str) -> String;

    /// One test of the answer to `name`, in words.
    fn test(&self, name: &str, test: &TestWords<'_>) -> String;
}

impl dyn Words {
    /// The BCP 47 tag of the language.
    pub(crate) fn tag(&self) -> &'static str {
        self.vocabulary().tag
    }

    /// A fixed word.
    pub(crate) fn word(&self, word: Word) -> &'static str {
        self.vocabulary().words[word as usize]
    }

    /// The codebook sheet's column names.
    pub(crate) fn sheet_header(&self) -> [&'static str; SHEET_HEADER] {
        self.vocabulary().sheet_header
    }

    /// Conditions joined: all of them (`and`) or any (`or`).
    pub(crate) fn joiner(&self, all: bool) -> &'static str {
        let vocabulary = self.vocabulary();
        if all { vocabulary.and } else { vocabulary.or }
    }
}
