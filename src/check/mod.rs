//! Definition to checked nodes: every static check, with all problems collected.
//!
//! `mod.rs` holds the problem types, the survey-level checks and text; `questions.rs` checks
//! each question and builds its node; `conditions.rs` resolves and type-checks conditions.
//!
//! A problem has a stable [`ProblemCode`], a path in the definition
//! (`questions[12].enable_when.any[1].question`) and, when the survey came from text, the
//! line and column of that node. Checking never stops at the first problem, except that a
//! survey over [`Limits::max_questions`] is not checked further.

mod conditions;
mod inferred;
mod questions;
mod rules;
mod structure;

pub(crate) use questions::MAX_OUTSIDE_TESTS;

use std::collections::HashSet;
use std::fmt;

use crate::condition::Condition;
use crate::date;
use crate::definition::{ChoiceDef, QuestionDef, SurveyDefinition, Text};
use crate::input::Location;
use crate::limits::Limits;
use crate::node::{IdMap, Item, Node, Rule, Section};

/// What is wrong with a survey definition. The string form ([`ProblemCode::as_str`]) is
/// stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ProblemCode {
    /// An id or choice value breaks `^[A-Za-z][A-Za-z0-9_-]*$`.
    InvalidId,
    /// Two questions (or two fields of a group) share an id.
    DuplicateId,
    /// Two choices of one question share a value.
    DuplicateChoice,
    /// A `choice_set` names no choice set of the survey.
    UnknownChoiceSet,
    /// A choice question or choice set has no choices, or a group has no fields.
    Empty,
    /// A choice question has both `choices` and `choice_set`, or neither.
    ChoicesConflict,
    /// A constraint key that does not fit the question's type (`pattern` on a boolean).
    NotApplicable,
    /// A group inside a group.
    NestedGroup,
    /// A citation names no entry of `references`.
    UnknownReference,
    /// Text in a locale the survey does not declare.
    UnknownLocale,
    /// Text without the default locale.
    MissingDefaultText,
    /// A condition without exactly one of `all`, `any`, `not` or a leaf with one operator.
    InvalidCondition,
    /// A condition refers to a question (or field) that does not exist.
    UnknownQuestion,
    /// A condition refers to a question that comes later.
    ForwardReference,
    /// A condition refers to its own question (or its own group).
    SelfReference,
    /// An operator that does not fit the referenced question's kind.
    OperatorMismatch,
    /// A comparison value that is not a valid answer to the referenced question.
    InvalidValue,
    /// A lower bound above its upper bound.
    MinAboveMax,
    /// More required selections than there are choices.
    TooManyRequiredSelections,
    /// A pattern that does not compile.
    InvalidPattern,
    /// A pattern that would mean something else in ECMA-262.
    UnportablePattern,
    /// A date that is not a valid `YYYY-MM-DD` calendar date.
    InvalidDate,
    /// A number bound that is not representable (an integer bound outside i64).
    InvalidNumber,
    /// A rule's `when` or `assert` that is decided without answers (always true or false).
    ConstantRule,
    /// A limit of [`Limits`] is exceeded.
    LimitExceeded,
}

impl ProblemCode {
    /// Every code, in the order of the documentation.
    pub const ALL: [ProblemCode; 25] = [
        ProblemCode::InvalidId,
        ProblemCode::DuplicateId,
        ProblemCode::DuplicateChoice,
        ProblemCode::UnknownChoiceSet,
        ProblemCode::Empty,
        ProblemCode::ChoicesConflict,
        ProblemCode::NotApplicable,
        ProblemCode::NestedGroup,
        ProblemCode::UnknownReference,
        ProblemCode::UnknownLocale,
        ProblemCode::MissingDefaultText,
        ProblemCode::InvalidCondition,
        ProblemCode::UnknownQuestion,
        ProblemCode::ForwardReference,
        ProblemCode::SelfReference,
        ProblemCode::OperatorMismatch,
        ProblemCode::InvalidValue,
        ProblemCode::MinAboveMax,
        ProblemCode::TooManyRequiredSelections,
        ProblemCode::InvalidPattern,
        ProblemCode::UnportablePattern,
        ProblemCode::InvalidDate,
        ProblemCode::InvalidNumber,
        ProblemCode::ConstantRule,
        ProblemCode::LimitExceeded,
    ];

    /// The stable `snake_case` code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::InvalidId => "invalid_id",
            ProblemCode::DuplicateId => "duplicate_id",
            ProblemCode::DuplicateChoice => "duplicate_choice",
            ProblemCode::UnknownChoiceSet => "unknown_choice_set",
            ProblemCode::Empty => "empty",
            ProblemCode::ChoicesConflict => "choices_conflict",
            ProblemCode::NotApplicable => "not_applicable",
            ProblemCode::NestedGroup => "nested_group",
            ProblemCode::UnknownReference => "unknown_reference",
            ProblemCode::UnknownLocale => "unknown_locale",
            ProblemCode::MissingDefaultText => "missing_default_text",
            ProblemCode::InvalidCondition => "invalid_condition",
            ProblemCode::UnknownQuestion => "unknown_question",
            ProblemCode::ForwardReference => "forward_reference",
            ProblemCode::SelfReference => "self_reference",
            ProblemCode::OperatorMismatch => "operator_mismatch",
            ProblemCode::InvalidValue => "invalid_value",
            ProblemCode::MinAboveMax => "min_above_max",
            ProblemCode::TooManyRequiredSelections => "too_many_required_selections",
            ProblemCode::InvalidPattern => "invalid_pattern",
            ProblemCode::UnportablePattern => "unportable_pattern",
            ProblemCode::InvalidDate => "invalid_date",
            ProblemCode::InvalidNumber => "invalid_number",
            ProblemCode::ConstantRule => "constant_rule",
            ProblemCode::LimitExceeded => "limit_exceeded",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a survey definition.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// What kind of problem.
    pub code: ProblemCode,
    /// Where in the definition (`questions[3].choices[1].value`).
    pub path: String,
    /// What is wrong, in one lowercase line.
    pub message: String,
    /// Line and column in the source text, when the definition came from text.
    pub location: Option<Location>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "{}: {}: {}", self.code, self.path, self.message)
    }
}

/// Every problem found in a survey definition, in the order of the definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct CheckError {
    /// The problems; never empty.
    pub problems: Vec<Problem>,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "{count} problem{} in the survey definition",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n{problem}")?;
        }
        Ok(())
    }
}

/// `^[A-Za-z][A-Za-z0-9_-]*$`: safe as a JSON Pointer token, a JSON Forms scope segment and
/// an RJSF id.
#[must_use]
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// What the checks produce: every node in document order and the indices of the top-level
/// ones.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) nodes: Vec<Node>,
    /// Top-level answer keys to node indices.
    pub(crate) top_level: IdMap,
    /// Indices of the top-level nodes, in order.
    pub(crate) roots: Vec<usize>,
    /// The sections, in document order.
    pub(crate) sections: Vec<Section>,
    /// The top level as written: nodes and sections, in order.
    pub(crate) layout: Vec<Item>,
    /// The edit checks, in order (a rule checked per table row once per row).
    pub(crate) rules: Vec<Rule>,
}

/// Checks a definition and builds its nodes.
pub(crate) fn check(definition: &SurveyDefinition, limits: &Limits) -> Result<Checked, CheckError> {
    let mut checker = Checker::new(definition, limits);
    checker.run();
    if checker.problems.is_empty() {
        Ok(Checked {
            nodes: checker.nodes,
            top_level: checker.top_level,
            roots: checker.roots,
            sections: checker.sections,
            layout: checker.layout.pop().unwrap_or_default(),
            rules: checker.built_rules,
        })
    } else {
        Err(CheckError {
            problems: checker.problems,
        })
    }
}

/// Where a question being compiled sits.
#[derive(Clone, Copy)]
struct Scope {
    /// The group node whose fields are being compiled.
    group: Option<usize>,
}

struct Checker<'a> {
    def: &'a SurveyDefinition,
    limits: &'a Limits,
    locales: Vec<&'a str>,
    problems: Vec<Problem>,
    nodes: Vec<Node>,
    top_level: IdMap,
    roots: Vec<usize>,
    /// Every top-level answer key of the definition, to tell a forward reference from an
    /// unknown one.
    declared: HashSet<&'a str>,
    sections: Vec<Section>,
    /// The items of the top level and of each open section, innermost last.
    layout: Vec<Vec<Item>>,
    /// The conditions of the open sections, outermost first: every top-level question inside
    /// them is enabled only when all of them hold.
    section_conditions: Vec<Condition>,
    /// The ids of sections, which share the top-level namespace without being answer keys.
    section_ids: HashSet<&'a str>,
    /// The column ids of the table being checked, to tell a later column from an unknown one.
    table_columns: Vec<&'a str>,
    /// Whether a rule's conditions are being checked (they may compare two answers).
    in_rule: bool,
    built_rules: Vec<Rule>,
}

impl<'a> Checker<'a> {
    fn new(def: &'a SurveyDefinition, limits: &'a Limits) -> Self {
        let locales = if def.locales.is_empty() {
            vec![def.default_locale.as_str()]
        } else {
            def.locales.iter().map(String::as_str).collect()
        };
        Checker {
            def,
            limits,
            locales,
            problems: Vec::new(),
            nodes: Vec::new(),
            top_level: IdMap::default(),
            roots: Vec::new(),
            declared: HashSet::new(),
            sections: Vec::new(),
            layout: vec![Vec::new()],
            section_conditions: Vec::new(),
            section_ids: HashSet::new(),
            table_columns: Vec::new(),
            in_rule: false,
            built_rules: Vec::new(),
        }
    }

    fn problem(&mut self, code: ProblemCode, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            code,
            path: path.into(),
            message: crate::quote::message(message.into()),
            location: None,
        });
    }

    fn run(&mut self) {
        let def = self.def;
        self.id(&def.id, "id");
        if !self.locales.contains(&def.default_locale.as_str()) {
            self.problem(
                ProblemCode::UnknownLocale,
                "default_locale",
                format!(
                    "default locale `{}` is not in `locales`",
                    def.default_locale
                ),
            );
        }
        self.text(&def.title, "title");
        self.opt_text(def.description.as_ref(), "description");
        self.inferred(def, &def.inferred, "");
        if let Some(meta) = &def.metadata {
            self.inferred(meta, &meta.inferred, "metadata");
            self.opt_text(meta.issuer.as_ref(), "metadata.issuer");
            self.opt_text(meta.target.as_ref(), "metadata.target");
            self.opt_text(meta.submission.as_ref(), "metadata.submission");
            self.opt_text(meta.contact.as_ref(), "metadata.contact");
            if let Some(period) = &meta.period {
                let start = self.date(&period.start, "metadata.period.start");
                let end = self.date(&period.end, "metadata.period.end");
                if start && end && period.start > period.end {
                    self.problem(
                        ProblemCode::MinAboveMax,
                        "metadata.period",
                        "the period ends before it starts",
                    );
                }
            }
        }
        for (key, reference) in &def.references {
            self.text(&reference.title, format!("references.{key}.title"));
            self.opt_text(
                reference.publisher.as_ref(),
                format!("references.{key}.publisher"),
            );
            self.inferred(reference, &reference.inferred, &format!("references.{key}"));
        }
        for (name, choices) in &def.choice_sets {
            let path = format!("choice_sets.{name}");
            if choices.is_empty() {
                self.problem(
                    ProblemCode::Empty,
                    path.clone(),
                    format!("choice set `{name}` has no choices"),
                );
            }
            self.choice_list(choices, &path);
            // A box is a question of its own: its id would be claimed once per question.
            for (i, choice) in choices.iter().enumerate() {
                if choice.specify.is_some() {
                    self.problem(
                        ProblemCode::NotApplicable,
                        format!("{path}[{i}].specify"),
                        "a choice set's choices have no specify box (each box is a question \
                         of its own: write the choices on the question)",
                    );
                }
            }
        }

        let total = count_questions(&def.questions);
        if total > self.limits.max_questions {
            self.problem(
                ProblemCode::LimitExceeded,
                "questions",
                format!(
                    "{total} questions (with fields and specify boxes) exceed the limit of {} (raise Limits::max_questions)",
                    self.limits.max_questions
                ),
            );
            return;
        }
        self.declare(&def.questions);
        for (index, question) in def.questions.iter().enumerate() {
            self.question(
                question,
                &format!("questions[{index}]"),
                Scope { group: None },
            );
        }
        self.rules();
    }

    fn id(&mut self, id: &str, path: &str) -> bool {
        let ok = is_valid_id(id);
        if !ok {
            self.problem(
                ProblemCode::InvalidId,
                path,
                format!("`{id}` is not a valid id: it must match ^[A-Za-z][A-Za-z0-9_-]*$"),
            );
        }
        ok
    }

    fn date(&mut self, text: &str, path: &str) -> bool {
        let ok = date::parse_date(text).is_some();
        if !ok {
            self.problem(
                ProblemCode::InvalidDate,
                path,
                format!("`{text}` is not a valid YYYY-MM-DD date"),
            );
        }
        ok
    }

    fn opt_text(&mut self, text: Option<&Text>, path: impl Into<String>) {
        if let Some(text) = text {
            self.text(text, path);
        }
    }

    fn text(&mut self, text: &Text, path: impl Into<String>) {
        let Text::Localized(map) = text else { return };
        let path = path.into();
        for locale in map.keys() {
            if !self.locales.contains(&locale.as_str()) {
                self.problem(
                    ProblemCode::UnknownLocale,
                    format!("{path}.{locale}"),
                    format!("locale `{locale}` is not declared in `locales`"),
                );
            }
        }
        if !map.contains_key(&self.def.default_locale) {
            let locale = &self.def.default_locale;
            self.problem(
                ProblemCode::MissingDefaultText,
                path,
                format!("no text in the default locale `{locale}`"),
            );
        }
    }

    fn choice_list(&mut self, choices: &[ChoiceDef], path: &str) {
        if choices.len() > self.limits.max_choices {
            self.problem(
                ProblemCode::LimitExceeded,
                path,
                format!(
                    "{} choices exceed the limit of {} (raise Limits::max_choices)",
                    choices.len(),
                    self.limits.max_choices
                ),
            );
        }
        let mut seen = HashSet::new();
        for (index, choice) in choices.iter().enumerate() {
            let choice_path = format!("{path}[{index}]");
            let value_path = format!("{choice_path}.value");
            if self.id(&choice.value, &value_path) && !seen.insert(choice.value.as_str()) {
                self.problem(
                    ProblemCode::DuplicateChoice,
                    value_path,
                    format!("choice value `{}` appears twice", choice.value),
                );
            }
            self.text(&choice.label, format!("{choice_path}.label"));
            self.inferred(choice, &choice.inferred, &choice_path);
            if let Some(specify) = &choice.specify {
                self.opt_text(
                    specify.title.as_ref(),
                    format!("{choice_path}.specify.title"),
                );
            }
        }
    }
}

/// The nodes a list of questions becomes: fields, specify boxes, the contents of sections,
/// the rows of matrices and the rows and cells of tables included.
fn count_questions(questions: &[QuestionDef]) -> usize {
    questions
        .iter()
        .map(|q| {
            let specify = q
                .choices
                .iter()
                .flatten()
                .filter(|c| c.specify.is_some())
                .count();
            let rows = q.rows.as_ref().map_or(0, Vec::len);
            let cells = rows.saturating_mul(q.columns.as_deref().map_or(0, count_questions));
            1usize
                .saturating_add(specify)
                .saturating_add(q.fields.as_deref().map_or(0, count_questions))
                .saturating_add(q.questions.as_deref().map_or(0, count_questions))
                .saturating_add(rows)
                .saturating_add(cells)
        })
        .fold(0, usize::saturating_add)
}

/// ` (did you mean `x`?)` for the candidate closest to a misspelt `wanted`, when one is close
/// enough to be meant (one edit per three characters, at least one and at most three; case
/// aside), else nothing.
pub(crate) fn did_you_mean<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> String {
    let lower = wanted.to_lowercase();
    let most = (wanted.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != wanted)
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        // Never a wholly other id (`z` for `a`).
        .filter(|&(distance, _)| distance <= most && distance < wanted.chars().count())
        .min()
        .map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"))
}
