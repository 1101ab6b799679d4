//! Definition to [`Survey`]: every static check, with all problems collected.
//!
//! A problem has a stable [`ProblemCode`], a path in the definition
//! (`questions[12].enable_when.any[1].question`) and, when the survey came from text, the
//! line and column of that node. Checking never stops at the first problem, except that a
//! survey over [`Limits::max_questions`] is not checked further.

use std::collections::HashSet;
use std::fmt;

use serde_json::Value;

use crate::condition::{Bound, Comparison, Condition, Leaf, Test};
use crate::definition::{
    ChoiceDef, CitationDef, ConditionDef, QuestionDef, QuestionKind, SurveyDefinition, Text,
};
use crate::load::{Limits, Location};
use crate::pattern::{self, Pattern, PatternError};
use crate::program::Program;
use crate::survey::{Choice, IdMap, Kind, Node, Survey, pointer_token};

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
    /// A limit of [`Limits`] is exceeded.
    LimitExceeded,
}

impl ProblemCode {
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

/// Checks a definition and compiles it.
pub(crate) fn check(definition: SurveyDefinition, limits: &Limits) -> Result<Survey, CheckError> {
    let mut checker = Checker::new(&definition, limits);
    checker.run();
    if checker.problems.is_empty() {
        let Checker {
            nodes,
            top_level,
            roots,
            ..
        } = checker;
        Ok(Survey {
            definition,
            program: Program::compile(&nodes),
            nodes,
            top_level,
            roots,
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
        }
    }

    fn problem(&mut self, code: ProblemCode, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            code,
            path: path.into(),
            message: message.into(),
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
        if let Some(meta) = &def.metadata {
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
        for question in &def.questions {
            self.declared.insert(&question.id);
            for choice in question.choices.iter().flatten() {
                if let Some(specify) = &choice.specify {
                    self.declared.insert(&specify.id);
                }
            }
        }
        for (index, question) in def.questions.iter().enumerate() {
            self.question(
                question,
                &format!("questions[{index}]"),
                Scope { group: None },
            );
        }
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
        let ok = pattern::parse_date(text).is_some();
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
            if let Some(specify) = &choice.specify {
                self.opt_text(
                    specify.title.as_ref(),
                    format!("{choice_path}.specify.title"),
                );
            }
        }
    }

    fn question(&mut self, q: &'a QuestionDef, path: &str, scope: Scope) {
        let index = self.nodes.len();
        let id_ok = self.id(&q.id, &format!("{path}.id"));
        if id_ok {
            self.claim_id(&q.id, index, &format!("{path}.id"), scope);
        }
        self.text(&q.title, format!("{path}.title"));
        self.opt_text(q.help.as_ref(), format!("{path}.help"));
        self.opt_text(q.note.as_ref(), format!("{path}.note"));
        self.opt_text(q.true_label.as_ref(), format!("{path}.true_label"));
        self.opt_text(q.false_label.as_ref(), format!("{path}.false_label"));
        for (i, citation) in q.references.iter().enumerate() {
            self.citation(citation, &format!("{path}.references[{i}]"));
        }
        self.not_applicable(q, path);

        let condition = q
            .enable_when
            .as_ref()
            .and_then(|c| self.condition(c, &format!("{path}.enable_when"), &q.id, scope, 0));

        let parent = scope.group;
        let pointer = match parent {
            Some(group) => format!("{}/{}", self.nodes[group].pointer, pointer_token(&q.id)),
            None => format!("/{}", pointer_token(&q.id)),
        };
        // Placeholder kind; a group's fields are compiled after its node exists.
        self.nodes.push(Node {
            id: q.id.clone(),
            pointer,
            parent,
            title: q.title.clone(),
            help: q.help.clone(),
            required: q.required,
            condition,
            kind: Kind::Boolean { labels: None },
        });
        match parent {
            Some(group) => {
                if let Kind::Group { fields, .. } = &mut self.nodes[group].kind {
                    fields.push(index);
                }
            }
            None => self.roots.push(index),
        }
        let kind = self.kind(q, path, index);
        self.nodes[index].kind = kind;
        self.specify_boxes(q, path, index, scope);
    }

    /// Registers an answer key in its scope, or reports it as a duplicate.
    fn claim_id(&mut self, id: &str, index: usize, path: &str, scope: Scope) {
        let taken = match scope.group {
            Some(group) => match &mut self.nodes[group].kind {
                Kind::Group { index: fields, .. } => fields.insert(id.into(), index).is_some(),
                _ => false,
            },
            None => self.top_level.insert(id.into(), index).is_some(),
        };
        if taken {
            let place = if scope.group.is_some() {
                "in this group"
            } else {
                "in the survey"
            };
            self.problem(
                ProblemCode::DuplicateId,
                path,
                format!("id `{id}` is used twice {place}"),
            );
        }
    }

    fn citation(&mut self, citation: &CitationDef, path: &str) {
        if !self.def.references.contains_key(&citation.reference) {
            self.problem(
                ProblemCode::UnknownReference,
                format!("{path}.reference"),
                format!("`{}` is not in the survey's references", citation.reference),
            );
        }
        self.opt_text(citation.section.as_ref(), format!("{path}.section"));
        self.opt_text(citation.quote.as_ref(), format!("{path}.quote"));
    }

    fn not_applicable(&mut self, q: &QuestionDef, path: &str) {
        use QuestionKind as K;
        let keys: [(&str, bool, &[K]); 15] = [
            ("true_label", q.true_label.is_some(), &[K::Boolean]),
            ("false_label", q.false_label.is_some(), &[K::Boolean]),
            (
                "choices",
                q.choices.is_some(),
                &[K::SingleChoice, K::MultipleChoice],
            ),
            (
                "choice_set",
                q.choice_set.is_some(),
                &[K::SingleChoice, K::MultipleChoice],
            ),
            (
                "choice_labels",
                q.choice_labels.is_some(),
                &[K::SingleChoice, K::MultipleChoice],
            ),
            (
                "min_selections",
                q.min_selections.is_some(),
                &[K::MultipleChoice],
            ),
            (
                "max_selections",
                q.max_selections.is_some(),
                &[K::MultipleChoice],
            ),
            ("min_length", q.min_length.is_some(), &[K::Text]),
            ("max_length", q.max_length.is_some(), &[K::Text]),
            ("pattern", q.pattern.is_some(), &[K::Text]),
            ("format", q.format.is_some(), &[K::Text]),
            ("minimum", q.minimum.is_some(), &[K::Integer, K::Number]),
            ("maximum", q.maximum.is_some(), &[K::Integer, K::Number]),
            ("earliest", q.earliest.is_some(), &[K::Date]),
            ("latest", q.latest.is_some(), &[K::Date]),
        ];
        for (key, present, kinds) in keys {
            if present && !kinds.contains(&q.kind) {
                self.problem(
                    ProblemCode::NotApplicable,
                    format!("{path}.{key}"),
                    format!("`{key}` does not apply to a {} question", q.kind.as_str()),
                );
            }
        }
        if q.fields.is_some() && q.kind != K::Group {
            self.problem(
                ProblemCode::NotApplicable,
                format!("{path}.fields"),
                format!("`fields` does not apply to a {} question", q.kind.as_str()),
            );
        }
    }

    fn kind(&mut self, q: &'a QuestionDef, path: &str, index: usize) -> Kind {
        match q.kind {
            QuestionKind::Boolean => Kind::Boolean {
                labels: match (&q.true_label, &q.false_label) {
                    (Some(t), Some(f)) => Some((t.clone(), f.clone())),
                    (None, None) => None,
                    _ => {
                        self.problem(
                            ProblemCode::InvalidValue,
                            path,
                            "a boolean question needs both `true_label` and `false_label`, or neither",
                        );
                        None
                    }
                },
            },
            QuestionKind::SingleChoice => Kind::SingleChoice {
                choices: self.choices(q, path),
            },
            QuestionKind::MultipleChoice => {
                let choices = self.choices(q, path);
                self.bounds(
                    q.min_selections,
                    q.max_selections,
                    path,
                    "min_selections",
                    "max_selections",
                );
                if let Some(min) = q.min_selections
                    && !choices.is_empty()
                    && min as usize > choices.len()
                {
                    self.problem(
                        ProblemCode::TooManyRequiredSelections,
                        format!("{path}.min_selections"),
                        format!(
                            "min_selections is {min} but there are only {} choices",
                            choices.len()
                        ),
                    );
                }
                Kind::MultipleChoice {
                    choices,
                    min: q.min_selections,
                    max: q.max_selections,
                }
            }
            QuestionKind::Text => {
                self.bounds(q.min_length, q.max_length, path, "min_length", "max_length");
                let pattern = q
                    .pattern
                    .as_ref()
                    .and_then(|source| self.pattern(source, path));
                Kind::Text {
                    min_length: q.min_length,
                    max_length: q.max_length,
                    pattern,
                    format: q.format,
                }
            }
            QuestionKind::Integer => {
                let minimum = self.integer_bound(q.minimum.as_ref(), &format!("{path}.minimum"));
                let maximum = self.integer_bound(q.maximum.as_ref(), &format!("{path}.maximum"));
                self.bounds(minimum, maximum, path, "minimum", "maximum");
                Kind::Integer { minimum, maximum }
            }
            QuestionKind::Number => {
                let minimum = q.minimum.clone();
                let maximum = q.maximum.clone();
                if let (Some(min), Some(max)) = (&minimum, &maximum)
                    && crate::condition::compare_numbers(min, max)
                        == Some(std::cmp::Ordering::Greater)
                {
                    self.problem(
                        ProblemCode::MinAboveMax,
                        format!("{path}.minimum"),
                        format!("minimum {min} is above maximum {max}"),
                    );
                }
                Kind::Number { minimum, maximum }
            }
            QuestionKind::Date => {
                let earliest = q
                    .earliest
                    .clone()
                    .filter(|d| self.date(d, &format!("{path}.earliest")));
                let latest = q
                    .latest
                    .clone()
                    .filter(|d| self.date(d, &format!("{path}.latest")));
                if let (Some(e), Some(l)) = (&earliest, &latest)
                    && e > l
                {
                    self.problem(
                        ProblemCode::MinAboveMax,
                        format!("{path}.earliest"),
                        format!("earliest {e} is after latest {l}"),
                    );
                }
                Kind::Date { earliest, latest }
            }
            QuestionKind::Group => {
                self.nodes[index].kind = Kind::Group {
                    fields: Vec::new(),
                    index: IdMap::default(),
                };
                self.group_fields(q, path, index);
                std::mem::replace(&mut self.nodes[index].kind, Kind::Boolean { labels: None })
            }
        }
    }

    fn group_fields(&mut self, q: &'a QuestionDef, path: &str, index: usize) {
        let fields = q.fields.as_deref().unwrap_or_default();
        if fields.is_empty() {
            self.problem(
                ProblemCode::Empty,
                format!("{path}.fields"),
                "a group needs at least one field",
            );
        }
        if self.nodes[index].parent.is_some() {
            self.problem(
                ProblemCode::NestedGroup,
                path,
                "a group cannot be a field of another group",
            );
            return;
        }
        if fields.len() > self.limits.max_fields {
            self.problem(
                ProblemCode::LimitExceeded,
                format!("{path}.fields"),
                format!(
                    "{} fields exceed the limit of {} (raise Limits::max_fields)",
                    fields.len(),
                    self.limits.max_fields
                ),
            );
            return;
        }
        for (i, field) in fields.iter().enumerate() {
            self.question(
                field,
                &format!("{path}.fields[{i}]"),
                Scope { group: Some(index) },
            );
        }
    }

    fn bounds<T: PartialOrd + fmt::Display + Copy>(
        &mut self,
        min: Option<T>,
        max: Option<T>,
        path: &str,
        min_key: &str,
        max_key: &str,
    ) {
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            self.problem(
                ProblemCode::MinAboveMax,
                format!("{path}.{min_key}"),
                format!("{min_key} {min} is above {max_key} {max}"),
            );
        }
    }

    fn integer_bound(&mut self, bound: Option<&serde_json::Number>, path: &str) -> Option<i64> {
        let bound = bound?;
        let value = bound.as_i64();
        if value.is_none() {
            self.problem(
                ProblemCode::InvalidNumber,
                path,
                format!("{bound} is not an integer within i64"),
            );
        }
        value
    }

    fn pattern(&mut self, source: &str, path: &str) -> Option<Pattern> {
        let path = format!("{path}.pattern");
        if source.len() > self.limits.max_pattern_bytes {
            self.problem(
                ProblemCode::LimitExceeded,
                path,
                format!(
                    "the pattern is {} bytes, over the limit of {} (raise Limits::max_pattern_bytes)",
                    source.len(),
                    self.limits.max_pattern_bytes
                ),
            );
            return None;
        }
        match Pattern::new(source, self.limits.max_pattern_compiled_bytes) {
            Ok(pattern) => Some(pattern),
            Err(PatternError::Unportable(why)) => {
                self.problem(ProblemCode::UnportablePattern, path, why);
                None
            }
            Err(PatternError::Invalid(why)) => {
                self.problem(ProblemCode::InvalidPattern, path, why);
                None
            }
        }
    }

    fn choices(&mut self, q: &'a QuestionDef, path: &str) -> Vec<Choice> {
        let list: &[ChoiceDef] = match (&q.choices, &q.choice_set) {
            (Some(choices), None) => {
                let list_path = format!("{path}.choices");
                if choices.is_empty() {
                    self.problem(
                        ProblemCode::Empty,
                        list_path.clone(),
                        "a choice question needs at least one choice",
                    );
                }
                self.choice_list(choices, &list_path);
                choices
            }
            (None, Some(name)) => {
                let Some(choices) = self.def.choice_sets.get(name) else {
                    self.problem(
                        ProblemCode::UnknownChoiceSet,
                        format!("{path}.choice_set"),
                        format!("there is no choice set `{name}`"),
                    );
                    return Vec::new();
                };
                choices
            }
            (Some(_), Some(_)) => {
                self.problem(
                    ProblemCode::ChoicesConflict,
                    path,
                    "give either `choices` or `choice_set`, not both",
                );
                return Vec::new();
            }
            (None, None) => {
                self.problem(
                    ProblemCode::ChoicesConflict,
                    path,
                    "a choice question needs `choices` or `choice_set`",
                );
                return Vec::new();
            }
        };
        let mut choices: Vec<Choice> = list
            .iter()
            .map(|c| Choice {
                value: c.value.clone(),
                label: c.label.clone(),
                exclusive: c.exclusive,
            })
            .collect();
        for (value, label) in q.choice_labels.iter().flatten() {
            let label_path = format!("{path}.choice_labels.{value}");
            if q.choice_set.is_none() {
                self.problem(
                    ProblemCode::NotApplicable,
                    label_path,
                    "`choice_labels` applies only with `choice_set`",
                );
                continue;
            }
            self.text(label, label_path.clone());
            match choices.iter_mut().find(|c| &c.value == value) {
                Some(choice) => choice.label = label.clone(),
                None => self.problem(
                    ProblemCode::InvalidValue,
                    label_path,
                    format!("`{value}` is not a value of the choice set"),
                ),
            }
        }
        choices
    }

    /// Adds the specify boxes of a choice question's choices as text nodes right after it.
    fn specify_boxes(&mut self, q: &'a QuestionDef, path: &str, owner: usize, scope: Scope) {
        let Some(choices) = &q.choices else { return };
        let multiple = q.kind == QuestionKind::MultipleChoice;
        for (i, choice) in choices.iter().enumerate() {
            let Some(specify) = &choice.specify else {
                continue;
            };
            let spec_path = format!("{path}.choices[{i}].specify");
            let index = self.nodes.len();
            if self.id(&specify.id, &format!("{spec_path}.id")) {
                self.claim_id(&specify.id, index, &format!("{spec_path}.id"), scope);
            }
            let test = if multiple {
                Test::Includes(choice.value.clone())
            } else {
                Test::Equals(Value::String(choice.value.clone()))
            };
            let pointer = match scope.group {
                Some(group) => format!(
                    "{}/{}",
                    self.nodes[group].pointer,
                    pointer_token(&specify.id)
                ),
                None => format!("/{}", pointer_token(&specify.id)),
            };
            self.nodes.push(Node {
                id: specify.id.clone(),
                pointer,
                parent: scope.group,
                title: specify
                    .title
                    .clone()
                    .unwrap_or_else(|| choice.label.clone()),
                help: None,
                required: specify.required,
                condition: Some(Condition::Leaf(Leaf { node: owner, test })),
                kind: Kind::Text {
                    min_length: None,
                    max_length: specify.max_length,
                    pattern: None,
                    format: None,
                },
            });
            match scope.group {
                Some(group) => {
                    if let Kind::Group { fields, .. } = &mut self.nodes[group].kind {
                        fields.push(index);
                    }
                }
                None => self.roots.push(index),
            }
        }
    }

    fn condition(
        &mut self,
        c: &ConditionDef,
        path: &str,
        own_id: &str,
        scope: Scope,
        depth: usize,
    ) -> Option<Condition> {
        if depth >= self.limits.max_condition_depth {
            self.problem(
                ProblemCode::LimitExceeded,
                path,
                format!(
                    "conditions are nested deeper than {} levels (raise Limits::max_condition_depth)",
                    self.limits.max_condition_depth
                ),
            );
            return None;
        }
        let operators = leaf_operators(c);
        let combinators = [c.all.is_some(), c.any.is_some(), c.not.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        let leaf_keys =
            operators.len() + usize::from(c.question.is_some()) + usize::from(c.field.is_some());
        if combinators + usize::from(leaf_keys > 0) != 1 {
            self.problem(
                ProblemCode::InvalidCondition,
                path,
                "a condition needs exactly one of `all`, `any`, `not`, or `question` with an operator",
            );
            return None;
        }
        let list =
            |items: &Vec<ConditionDef>, key: &str, this: &mut Self| -> Option<Vec<Condition>> {
                let compiled: Vec<Option<Condition>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        this.condition(
                            item,
                            &format!("{path}.{key}[{i}]"),
                            own_id,
                            scope,
                            depth + 1,
                        )
                    })
                    .collect();
                compiled.into_iter().collect()
            };
        if let Some(items) = &c.all {
            return list(items, "all", self).map(Condition::All);
        }
        if let Some(items) = &c.any {
            return list(items, "any", self).map(Condition::Any);
        }
        if let Some(inner) = &c.not {
            return self
                .condition(inner, &format!("{path}.not"), own_id, scope, depth + 1)
                .map(|c| Condition::Not(Box::new(c)));
        }
        let Some(question) = &c.question else {
            self.problem(
                ProblemCode::InvalidCondition,
                path,
                "a leaf condition needs `question`",
            );
            return None;
        };
        if operators.len() != 1 {
            self.problem(
                ProblemCode::InvalidCondition,
                path,
                format!(
                    "a leaf condition needs exactly one operator, found {}",
                    operators.len()
                ),
            );
            return None;
        }
        let node = self.resolve(question, c.field.as_deref(), path, own_id, scope)?;
        let (operator, value) = &operators[0];
        self.test(node, operator, value, &format!("{path}.{operator}"))
            .map(|test| Condition::Leaf(Leaf { node, test }))
    }

    /// The node a leaf refers to, which must already be compiled (come earlier).
    fn resolve(
        &mut self,
        question: &str,
        field: Option<&str>,
        path: &str,
        own_id: &str,
        scope: Scope,
    ) -> Option<usize> {
        let question_path = format!("{path}.question");
        let own_group = scope.group.map(|g| self.nodes[g].id.as_str());
        if field.is_none()
            && (question == own_id && scope.group.is_none() || Some(question) == own_group)
        {
            self.problem(
                ProblemCode::SelfReference,
                question_path,
                format!("the condition of `{own_id}` refers to itself"),
            );
            return None;
        }
        let Some(&target) = self.top_level.get(question) else {
            let (code, message) = if self.declared.contains(question) {
                (
                    ProblemCode::ForwardReference,
                    format!(
                        "`{question}` comes later; a condition may only refer to earlier questions"
                    ),
                )
            } else {
                (
                    ProblemCode::UnknownQuestion,
                    format!("there is no question `{question}`"),
                )
            };
            self.problem(code, question_path, message);
            return None;
        };
        let self_reference = |this: &mut Self, path: String| {
            this.problem(
                ProblemCode::SelfReference,
                path,
                format!("the condition of `{own_id}` refers to itself"),
            );
        };
        // The question being compiled has claimed its id but has no node yet.
        if target >= self.nodes.len() {
            self_reference(self, question_path);
            return None;
        }
        let Some(field) = field else {
            return Some(target);
        };
        let field_path = format!("{path}.field");
        let Kind::Group { index, .. } = &self.nodes[target].kind else {
            self.problem(
                ProblemCode::UnknownQuestion,
                field_path,
                format!("`{question}` is not a group, so it has no field `{field}`"),
            );
            return None;
        };
        if let Some(&node) = index.get(field) {
            if node < self.nodes.len() {
                return Some(node);
            }
            self_reference(self, field_path);
            return None;
        }
        let in_own_group = scope.group == Some(target);
        if in_own_group && field == own_id {
            self_reference(self, field_path);
        } else if in_own_group && group_declares(self.def, question, field) {
            self.problem(
                ProblemCode::ForwardReference,
                field_path,
                format!(
                    "field `{field}` comes later; a condition may only refer to earlier fields"
                ),
            );
        } else {
            self.problem(
                ProblemCode::UnknownQuestion,
                field_path,
                format!("group `{question}` has no field `{field}`"),
            );
        }
        None
    }

    fn test(
        &mut self,
        node: usize,
        operator: &'static str,
        value: &Value,
        path: &str,
    ) -> Option<Test> {
        let kind = self.nodes[node].kind.question_kind();
        let id = self.nodes[node].id.clone();
        let fits = match operator {
            "answered" => true,
            "equals" | "not_equals" | "in" => {
                !matches!(kind, QuestionKind::MultipleChoice | QuestionKind::Group)
            }
            "includes" => kind == QuestionKind::MultipleChoice,
            _ => matches!(
                kind,
                QuestionKind::Integer | QuestionKind::Number | QuestionKind::Date
            ),
        };
        if !fits {
            self.problem(
                ProblemCode::OperatorMismatch,
                path,
                format!(
                    "`{operator}` does not apply to `{id}`, a {} question",
                    kind.as_str()
                ),
            );
            return None;
        }
        let operand = |this: &mut Self, value: &Value, path: &str| -> Option<Value> {
            match this.valid_answer(node, value) {
                Ok(()) => Some(value.clone()),
                Err(why) => {
                    this.problem(
                        ProblemCode::InvalidValue,
                        path,
                        format!(
                            "{} is not a valid answer to `{id}`: {why}",
                            crate::messages::short(value)
                        ),
                    );
                    None
                }
            }
        };
        let comparison = |c| -> Option<Test> {
            match (kind, value) {
                (QuestionKind::Date, Value::String(s)) => {
                    Some(Test::Compare(c, Bound::Date(s.clone())))
                }
                (_, Value::Number(n)) => Some(Test::Compare(c, Bound::Number(n.clone()))),
                _ => None,
            }
        };
        match operator {
            "answered" => value.as_bool().map(Test::Answered),
            "equals" => operand(self, value, path).map(Test::Equals),
            "not_equals" => operand(self, value, path).map(Test::NotEquals),
            "in" => {
                let Value::Array(items) = value else {
                    return None;
                };
                if items.is_empty() {
                    self.problem(
                        ProblemCode::InvalidValue,
                        path,
                        "`in` needs at least one value",
                    );
                    return None;
                }
                let checked: Vec<Option<Value>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| operand(self, v, &format!("{path}[{i}]")))
                    .collect();
                checked
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Test::In)
            }
            "includes" => {
                operand(self, &Value::Array(vec![value.clone()]), path)?;
                value.as_str().map(|s| Test::Includes(s.to_owned()))
            }
            _ => {
                operand(self, value, path)?;
                let op = match operator {
                    "greater_than" => Comparison::GreaterThan,
                    "greater_or_equal" => Comparison::GreaterOrEqual,
                    "less_than" => Comparison::LessThan,
                    _ => Comparison::LessOrEqual,
                };
                comparison(op)
            }
        }
    }

    /// Whether `value` is a valid answer to the node, as far as a condition operand can be
    /// (types, choices, date validity; not lengths or patterns).
    fn valid_answer(&self, node: usize, value: &Value) -> Result<(), String> {
        let valid_choice = |choices: &[Choice], v: &Value| match v.as_str() {
            Some(s) if choices.iter().any(|c| c.value == s) => Ok(()),
            Some(s) => Err(format!("`{s}` is not one of its choices")),
            None => Err("expected a choice value (a string)".to_owned()),
        };
        match &self.nodes[node].kind {
            Kind::Boolean { .. } => value
                .as_bool()
                .map(drop)
                .ok_or_else(|| "expected true or false".to_owned()),
            Kind::SingleChoice { choices } => valid_choice(choices, value),
            Kind::MultipleChoice { choices, .. } => match value {
                Value::Array(items) => items.iter().try_for_each(|v| valid_choice(choices, v)),
                _ => Err("expected a list of choice values".to_owned()),
            },
            Kind::Text { .. } => value
                .as_str()
                .map(drop)
                .ok_or_else(|| "expected a string".to_owned()),
            Kind::Integer { .. } => match value.as_number() {
                Some(n) if n.as_i64().is_some() => Ok(()),
                _ => Err("expected an integer within i64".to_owned()),
            },
            Kind::Number { .. } => value
                .as_number()
                .map(drop)
                .ok_or_else(|| "expected a number".to_owned()),
            Kind::Date { .. } => match value.as_str() {
                Some(s) if pattern::parse_date(s).is_some() => Ok(()),
                _ => Err("expected a YYYY-MM-DD date".to_owned()),
            },
            Kind::Group { .. } => Err("a group can only be tested with `answered`".to_owned()),
        }
    }
}

fn group_declares(def: &SurveyDefinition, group: &str, field: &str) -> bool {
    def.questions
        .iter()
        .filter(|q| q.id == group)
        .flat_map(|q| q.fields.iter().flatten())
        .any(|f| {
            f.id == field
                || f.choices
                    .iter()
                    .flatten()
                    .any(|c| c.specify.as_ref().is_some_and(|s| s.id == field))
        })
}

/// The operators present in a leaf, by name, with their values.
fn leaf_operators(c: &ConditionDef) -> Vec<(&'static str, Value)> {
    let candidates = [
        ("equals", c.equals.clone()),
        ("not_equals", c.not_equals.clone()),
        ("in", c.in_.clone().map(Value::Array)),
        ("includes", c.includes.clone()),
        ("greater_than", c.greater_than.clone()),
        ("greater_or_equal", c.greater_or_equal.clone()),
        ("less_than", c.less_than.clone()),
        ("less_or_equal", c.less_or_equal.clone()),
        ("answered", c.answered.map(Value::Bool)),
    ];
    candidates
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect()
}

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
            1 + specify + q.fields.as_deref().map_or(0, count_questions)
        })
        .sum()
}
