//! Static analysis of a checked survey: questions no answers can enable, conditions that
//! are always true, tests that never matter, rules that can never fail or never hold; answer
//! sets that cover every question ([`analysis::examples`](crate::analysis::examples)); the respondents' paths
//! ([`analysis::paths`](crate::analysis::paths)).
//!
//! Every verdict comes from a search over representative answers (`domain`): one answer of
//! every class that the survey's tests tell apart, each valid for its question (choices,
//! exclusive choices, selection counts, bounds, patterns). The search is exact where the
//! classes are (booleans, choices, integers, dates, counts, and numbers and texts whose
//! classes it can build); where it is not, or where a search reaches its bound, the analysis
//! says "not decided" rather than "never": it never calls a reachable question unreachable.

mod domain;
mod examples;
mod findings;
mod paths;
mod reach;
mod search;
mod witness;

use std::fmt;

use serde_json::Value;

pub use paths::{PATHS_BOUND, Paths, QuestionReach, paths, paths_splitting_after};

use crate::input::Location;
use crate::limits::Limits;
use crate::load::SourceMap;
use crate::messages::{Locale, Noun, Said};
use crate::survey::Survey;
use reach::{Analyser, Found, Reach};

/// Steps one search may take before it gives up on its question ("not decided").
pub const SEARCH_BOUND: u64 = 20_000;
/// Steps the whole analysis of a survey may take; past them, the remaining checks are
/// not made and the analysis says so.
pub const ANALYSIS_BOUND: u64 = 4_000_000;
/// Completions of a search's answers into an answer set the validator refuses (rules that
/// fail) before the search settles for a draft witness.
const WITNESS_ATTEMPTS: usize = 16;

/// What the analysis found. The string form ([`FindingCode::as_str`]) is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingCode {
    /// A question, group field, row, column, specify box or section that no answers enable.
    Unreachable,
    /// A question that answers enable only by breaking an error rule: no valid answer set
    /// shows it.
    BlockedByRules,
    /// A required question that no answers enable: it is never asked.
    RequiredUnreachable,
    /// A condition that is true whenever its question can be shown at all (its group or
    /// repeat instance there, its sections enabled): it can be removed.
    AlwaysEnabled,
    /// A test inside a condition that never changes the condition's outcome.
    InertTest,
    /// Error rules that no answers keep all at once: no answer set is valid.
    RulesConflict,
    /// A rule whose `when` no answers make true.
    RuleNeverApplies,
    /// A rule that no answers make fail.
    RuleNeverFails,
    /// A rule that every answer set it applies to fails.
    RuleNeverHolds,
    /// A check the analysis could not decide within its bounds ([`SEARCH_BOUND`],
    /// [`ANALYSIS_BOUND`]).
    Undecided,
}

impl FindingCode {
    /// Every code, in the order of the documentation.
    pub const ALL: [FindingCode; 10] = [
        FindingCode::Unreachable,
        FindingCode::BlockedByRules,
        FindingCode::RequiredUnreachable,
        FindingCode::AlwaysEnabled,
        FindingCode::InertTest,
        FindingCode::RulesConflict,
        FindingCode::RuleNeverApplies,
        FindingCode::RuleNeverFails,
        FindingCode::RuleNeverHolds,
        FindingCode::Undecided,
    ];

    /// The stable `snake_case` code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::Unreachable => "unreachable",
            FindingCode::BlockedByRules => "blocked_by_rules",
            FindingCode::RequiredUnreachable => "required_unreachable",
            FindingCode::AlwaysEnabled => "always_enabled",
            FindingCode::InertTest => "inert_test",
            FindingCode::RulesConflict => "rules_conflict",
            FindingCode::RuleNeverApplies => "rule_never_applies",
            FindingCode::RuleNeverFails => "rule_never_fails",
            FindingCode::RuleNeverHolds => "rule_never_holds",
            FindingCode::Undecided => "undecided",
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding: a warning about the survey's logic, where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// What was found.
    pub code: FindingCode,
    /// Where in the definition (`questions[12].enable_when`, `rules[0].assert`).
    pub path: String,
    /// The id of the question, section or rule it is about (empty for the whole survey).
    pub subject: String,
    /// Line and column in the source text, once [`Analysis::locate`] has mapped it.
    pub location: Option<Location>,
    kind: Noun,
    /// For an inert test: the id of the question the test reads.
    tested: Option<String>,
    /// For an undecided check: whether a bound stopped it (otherwise, answers the analysis
    /// cannot enumerate).
    bounded: bool,
}

impl Finding {
    fn new(code: FindingCode, path: String, subject: &str, kind: Noun) -> Finding {
        Finding {
            code,
            path,
            subject: subject.to_owned(),
            location: None,
            kind,
            tested: None,
            bounded: true,
        }
    }

    /// An undecided check; `bounded` when a bound stopped it.
    fn undecided(path: String, subject: &str, kind: Noun, bounded: bool) -> Finding {
        Finding {
            bounded,
            ..Finding::new(FindingCode::Undecided, path, subject, kind)
        }
    }

    /// The finding in one line, in `locale` (what it quotes cut to 80 characters).
    #[must_use]
    pub fn message(&self, locale: Locale) -> String {
        crate::quote::message(self.words(locale))
    }

    fn words(&self, locale: Locale) -> String {
        let said = match self.code {
            FindingCode::Unreachable => Said::Unreachable,
            FindingCode::RequiredUnreachable => Said::RequiredUnreachable,
            FindingCode::BlockedByRules => Said::BlockedByRules,
            FindingCode::AlwaysEnabled => Said::AlwaysEnabled,
            FindingCode::InertTest => Said::InertTest {
                tested: self.tested.as_deref().unwrap_or_default(),
            },
            FindingCode::RulesConflict => Said::RulesConflict,
            FindingCode::RuleNeverApplies => Said::RuleNeverApplies,
            FindingCode::RuleNeverFails => Said::RuleNeverFails,
            FindingCode::RuleNeverHolds => Said::RuleNeverHolds,
            FindingCode::Undecided if self.kind == Noun::Survey => Said::Spent {
                steps: ANALYSIS_BOUND,
            },
            FindingCode::Undecided if self.bounded => Said::Bounded {
                steps: SEARCH_BOUND,
            },
            FindingCode::Undecided => Said::Unknowable,
        };
        locale.words().finding(said, self.kind, &self.subject)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location {
            write!(f, "{location}: ")?;
        }
        write!(
            f,
            "warning: {}: {}: {}",
            self.code,
            self.path,
            self.message(Locale::En)
        )
    }
}

/// The analysis of a survey: its findings, and whether each question can be enabled, with
/// the answers that enable it.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Analysis {
    /// Every finding (sections, questions in document order, columns, rules; after
    /// [`Analysis::locate`], in the order of the text); empty for a survey whose logic is
    /// clean.
    pub findings: Vec<Finding>,
    /// Every question, group field, row, cell and specify box, in document order.
    pub questions: Vec<QuestionVerdict>,
    /// The answer sets that [`Reachability::Reachable`] points into.
    pub witnesses: Vec<Value>,
}

/// Whether answers can enable one question.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QuestionVerdict {
    /// The question's id.
    pub id: String,
    /// Its JSON Pointer (`/systems/-/vendor` for a repeat's field).
    pub pointer: String,
    /// The verdict.
    pub reach: Reachability,
}

/// A verdict of the analysis on one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reachability {
    /// Answers enable it: [`Analysis::witnesses`]`[witness]` does, an answer set the
    /// validator accepts (`complete`), or accepts as a draft (`partial`: some required
    /// question it enables has no answer that keeps every rule). `witness` is `None` when
    /// the answers that enable it break a rule in every completion tried.
    Reachable {
        /// Index into [`Analysis::witnesses`].
        witness: Option<usize>,
        /// The witness is valid as a complete answer set.
        complete: bool,
    },
    /// Answers enable it, but every answer set that does breaks an error rule: no valid
    /// answer set (not even a draft) shows it.
    BlockedByRules,
    /// No answers enable it.
    Unreachable,
    /// Not decided (see [`FindingCode::Undecided`]).
    Undecided,
}

impl Analysis {
    /// Maps each finding's path to its line and column in `text`, the survey's source (the
    /// text it was loaded from), and orders the findings as the text does.
    pub fn locate(&mut self, text: &str) {
        let map = SourceMap::build(text, &Limits::default());
        for finding in &mut self.findings {
            finding.location = map.locate(&finding.path);
        }
        self.findings.sort_by_key(|f| f.location);
    }
}

/// Analyses the survey's logic: questions (fields, rows, columns, specify boxes,
/// sections) that no answers enable, conditions that are always true where their
/// question can be shown, tests that never change their condition's outcome, and rules
/// that never apply, never fail or never hold. Findings carry definition paths; call
/// [`Analysis::locate`] with the source text for lines and columns.
///
/// "Never" is only said when every class of answers was tried; a check that reaches a
/// bound is reported as [`FindingCode::Undecided`].
///
/// ```
/// use survey_schema::{Survey, analysis::FindingCode};
/// let survey = Survey::from_yaml(r#"
/// id: demo
/// version: "1"
/// default_locale: en
/// title: Demo
/// questions:
///   - id: who
///     type: multiple_choice
///     title: Who handles incidents?
///     choices:
///       - { value: survey, label: Our staff }
///       - { value: vendor, label: A vendor }
///       - { value: nobody, label: Nobody, exclusive: true }
///   - id: why
///     type: text
///     title: Why nobody, and who else?
///     enable_when:
///       all:
///         - { question: who, includes: nobody }
///         - { question: who, includes: survey }
/// "#)?;
/// let analysis = survey_schema::analysis::analyze(&survey);
/// assert_eq!(analysis.findings[0].code, FindingCode::Unreachable);
/// assert_eq!(analysis.findings[0].path, "questions[1].enable_when");
/// # Ok::<(), survey_schema::Error>(())
/// ```
#[must_use]
pub fn analyze(survey: &Survey) -> Analysis {
    let analyser = Analyser::new(survey);
    let mut search = analyser.search();
    let found = analyser.reachability(&mut search);
    let findings = findings::findings(&analyser, &mut search, &found);
    let questions = survey
        .nodes
        .iter()
        .zip(&found.reach)
        .map(|(node, reach)| QuestionVerdict {
            id: node.id.clone(),
            pointer: node.pointer.clone(),
            reach: match reach {
                Some(Reach::Yes(witness)) => Reachability::Reachable {
                    witness: *witness,
                    complete: witness.is_some_and(|w| found.witnesses[w].complete),
                },
                Some(Reach::Never { exact: true }) => Reachability::Unreachable,
                Some(Reach::Blocked) => Reachability::BlockedByRules,
                _ => Reachability::Undecided,
            },
        })
        .collect();
    Analysis {
        findings,
        questions,
        witnesses: found.witnesses.into_iter().map(|w| w.answers).collect(),
    }
}

/// A few valid answer sets that together enable every question that can be enabled
/// in a complete answer set (`cover`: and make each test of each condition true and
/// false where the question can be shown), for tests, demos and benchmarks. Each is
/// valid by [`Survey::is_valid`].
#[must_use]
pub fn examples(survey: &Survey, cover: bool) -> Vec<Value> {
    let analyser = Analyser::new(survey);
    let mut search = analyser.search();
    let found = analyser.reachability(&mut search);
    examples::examples(&analyser, &mut search, &found, cover)
}
