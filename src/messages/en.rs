//! The English catalogue.

use super::{Noun, Parts, Said, TestWords, Vocabulary, Words};
use crate::condition::Comparison;
use crate::issue::IssueCode;

/// The fixed words.
static VOCABULARY: Vocabulary = Vocabulary {
    tag: "en",
    words: [
        "yes",
        "no",
        "selected",
        "not selected",
        "everyone",
        "not asked",
        "not asked",
        "not answered",
        "asked",
        "universe",
        "Answer sets",
        "valid",
        "invalid",
        "Issues found",
        "answer set id (file name or line number)",
        "whether the answer set is valid (1 = valid)",
        "instance number (from 1)",
        "counted",
        "left out",
        "unreadable",
        "wrong type",
        "See",
        "Inferred",
    ],
    sheet_header: [
        "name",
        "pointer",
        "label",
        "question",
        "type",
        "values",
        "not asked",
        "not answered",
        "universe",
        "references",
        "number",
        "inferred (what the source does not say, and why)",
    ],
    and: " and ",
    or: " or ",
    comparisons: [">", ">=", "<", "<="],
    expected: [
        "a boolean (true or false)",
        "a choice value (a string)",
        "an array of choice values",
        "a string",
        "an integer",
        "a number",
        "a date (a YYYY-MM-DD string)",
        "an object",
        "an array of objects",
    ],
};

/// English.
pub(crate) struct En;

impl Words for En {
    fn vocabulary(&self) -> &'static Vocabulary {
        &VOCABULARY
    }

    fn issue(&self, code: IssueCode, subject: &str, parts: &Parts<'_>) -> String {
        use IssueCode as C;
        let Parts {
            value,
            actual,
            limit,
            expected,
            tested_by,
            text,
            ..
        } = *parts;
        #[rustfmt::skip]
        let message = match code {
            C::NotAnObject => "the answer set must be a JSON object keyed by question id".to_owned(),
            C::UnknownQuestion => format!("there is no question `{subject}`"),
            C::UnknownField => format!("there is no field `{subject}`"),
            C::MissingRequired => format!("{subject}: an answer is required"),
            C::AnsweredWhileDisabled => format!("{subject}: this question does not apply given the earlier answers, so it must not be answered"),
            C::WrongType if tested_by.is_empty() => format!("{subject}: the answer must be {expected}"),
            C::WrongType => format!("{subject}: the answer must be {expected}; the conditions of {tested_by} test it"),
            C::UnknownChoice => format!("{subject}: {value} is not one of the choices"),
            C::DuplicateChoice => format!("{subject}: choice {value} is selected twice"),
            C::ExclusiveChoiceCombined => format!("{subject}: choice {value} cannot be combined with other choices"),
            C::TooFewChoices => format!("{subject}: select at least {limit} (selected {actual})"),
            C::TooManyChoices => format!("{subject}: select at most {limit} (selected {actual})"),
            C::TooFewItems => format!("{subject}: give at least {limit} entries (given {actual})"),
            C::TooManyItems => format!("{subject}: give at most {limit} entries (given {actual})"),
            C::RuleFailed => format!("{subject}: {text}"),
            C::TooShort => format!("{subject}: enter at least {limit} character{} (got {actual})", plural(limit)),
            C::TooLong => format!("{subject}: enter at most {limit} character{} (got {actual})", plural(limit)),
            C::PatternMismatch => format!("{subject}: {value} does not match the required pattern"),
            C::InvalidFormat => format!("{subject}: {value} is not in the required format"),
            C::OutOfRange => format!("{subject}: {value} is out of range{}", range(parts)),
            C::InvalidDate => format!("{subject}: {value} is not a valid YYYY-MM-DD date"),
        };
        message
    }

    fn finding(&self, said: Said<'_>, noun: Noun, id: &str) -> String {
        let what = match noun {
            Noun::Question => "question",
            Noun::Field => "field",
            Noun::Row => "row",
            Noun::Column => "column",
            Noun::Specify => "specify box",
            Noun::Section => "section",
            Noun::Rule => "rule",
            Noun::Survey => "survey",
        };
        match said {
            Said::Unreachable => {
                format!("{what} `{id}` can never be enabled: no answers make its condition true")
            }
            Said::RequiredUnreachable => {
                format!("required {what} `{id}` can never be enabled, so it is never asked")
            }
            Said::BlockedByRules => format!(
                "{what} `{id}` is enabled only by answers that break a rule: no valid answer set shows it"
            ),
            Said::AlwaysEnabled => format!(
                "the condition of {what} `{id}` is true wherever `{id}` can be shown: it can be removed"
            ),
            Said::InertTest { tested } => {
                format!("this test of `{tested}` never changes whether {what} `{id}` is enabled")
            }
            Said::RulesConflict => {
                format!("no answers keep rules `{id}` all at once: no answer set is valid")
            }
            Said::RuleNeverApplies => {
                format!("rule `{id}` never applies: no answers make its `when` true")
            }
            Said::RuleNeverFails => {
                format!("rule `{id}` can never fail: no answers break its `assert`")
            }
            Said::RuleNeverHolds => {
                format!("rule `{id}` can never hold: every answer set it applies to breaks it")
            }
            Said::Spent { steps } => format!(
                "the analysis reached its bound of {steps} steps: the remaining checks were not made"
            ),
            Said::Bounded { steps } => {
                format!(
                    "the check of {what} `{id}` reached its bound of {steps} steps: not decided"
                )
            }
            Said::Unknowable => format!(
                "the check of {what} `{id}` is not decided: it tests answers the analysis cannot enumerate (texts it cannot build, selections or instances compared by number)"
            ),
        }
    }

    fn not(&self, inner: &str) -> String {
        format!("not ({inner})")
    }

    fn test(&self, name: &str, test: &TestWords<'_>) -> String {
        let op = |c: Comparison| self.vocabulary().comparison(c);
        match test {
            TestWords::Equals(label) => format!("if {name} = {label}"),
            TestWords::NotEquals(label) => format!("if {name} ≠ {label}"),
            TestWords::In(labels) => format!("if {name} is one of {}", labels.join(", ")),
            TestWords::Includes(label) => format!("if {name} includes {label}"),
            TestWords::Compare(c, bound) => format!("if {name} {} {bound}", op(*c)),
            TestWords::Count(c, n) => format!("if the number of {name} {} {n}", op(*c)),
            TestWords::CompareAnswers(c, other) => format!("if {name} {} {other}", op(*c)),
            TestWords::Answered(true) => format!("if {name} is answered"),
            TestWords::Answered(false) => format!("if {name} is not answered"),
        }
    }
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn range(parts: &Parts<'_>) -> String {
    match (parts.min, parts.max) {
        (Some(min), Some(max)) => format!(" ({min} to {max})"),
        (Some(min), None) => format!(" (at least {min})"),
        (None, Some(max)) => format!(" (at most {max})"),
        (None, None) => String::new(),
    }
}
