//! Each question to its node: ids, texts, citations, the keys that fit its kind, choices,
//! bounds, patterns, group fields and specify boxes.

use std::fmt;

use serde_json::Value;

use super::{Checker, ProblemCode, Scope};
use crate::condition::{Condition, Leaf, Test};
use crate::definition::{ChoiceDef, CitationDef, QuestionDef, QuestionKind};
use crate::json::pointer_token;
use crate::node::{About, AnswerSpec, Choice, IdMap, Item, Node, Shape};
use crate::number::compare_numbers;
use crate::pattern::{Pattern, PatternError};

/// The number, note, citations and inferences of a question or section.
pub(super) fn about_question(q: &QuestionDef) -> Option<Box<About>> {
    About {
        number: q.number.clone(),
        note: q.note.clone(),
        citations: q.references.clone(),
        inferred: q.inferred.clone(),
    }
    .boxed()
}

impl<'a> Checker<'a> {
    pub(super) fn question(&mut self, q: &'a QuestionDef, path: &str, scope: Scope) {
        if q.kind == QuestionKind::Section {
            self.section(q, path, scope);
            return;
        }
        let index = self.nodes.len();
        let id_ok = self.id(&q.id, &format!("{path}.id"));
        if id_ok {
            self.claim_id(&q.id, index, &format!("{path}.id"), scope);
        }
        self.texts(q, path);
        self.opt_text(q.true_label.as_ref(), format!("{path}.true_label"));
        self.opt_text(q.false_label.as_ref(), format!("{path}.false_label"));

        let condition = q
            .enable_when
            .as_ref()
            .and_then(|c| self.condition(c, &format!("{path}.enable_when"), &q.id, scope, 0));

        let parent = scope.group;
        let (condition, folded) = if parent.is_none() {
            (self.in_sections(condition), self.section_conditions.len())
        } else {
            (condition, 0)
        };
        let pointer = self.pointer(parent, &q.id);
        let shape = match q.kind {
            QuestionKind::Matrix => Shape::Matrix,
            QuestionKind::Table => Shape::Table,
            _ => Shape::Question,
        };
        // Placeholder spec; a group's fields are compiled after its node exists.
        self.add_node(Node {
            id: q.id.clone(),
            path: path.to_owned(),
            folded,
            pointer,
            parent,
            title: q.title.clone(),
            help: q.help.clone(),
            about: about_question(q),
            required: q.required,
            condition,
            spec: AnswerSpec::Boolean { labels: None },
            shape,
        });
        let kind = self.kind(q, path, index);
        self.nodes[index].spec = kind;
        self.specify_boxes(q, path, index, scope);
    }

    /// The JSON Pointer of an answer key, in its group or at the top.
    pub(super) fn pointer(&self, group: Option<usize>, id: &str) -> String {
        match group {
            // A repeat's fields are answered once per instance: `-` stands for the instance.
            Some(group) if matches!(self.nodes[group].spec, AnswerSpec::Repeat { .. }) => {
                format!("{}/-/{}", self.nodes[group].pointer, pointer_token(id))
            }
            Some(group) => format!("{}/{}", self.nodes[group].pointer, pointer_token(id)),
            None => format!("/{}", pointer_token(id)),
        }
    }

    /// Appends a node and lists it among its group's fields, or among the top-level nodes
    /// (and in the layout of the section it is in).
    pub(super) fn add_node(&mut self, node: Node) {
        let index = self.nodes.len();
        let parent = node.parent;
        self.nodes.push(node);
        if let Some(group) = parent {
            if let Some((fields, _)) = self.nodes[group].spec.fields_mut() {
                fields.push(index);
            }
        } else {
            self.roots.push(index);
            if let Some(items) = self.layout.last_mut() {
                items.push(Item::Node(index));
            }
        }
    }

    /// Registers an answer key in its scope, or reports it as a duplicate.
    pub(super) fn claim_id(&mut self, id: &str, index: usize, path: &str, scope: Scope) {
        let taken = match scope.group {
            Some(group) => self.nodes[group]
                .spec
                .fields_mut()
                .is_some_and(|(_, fields)| fields.insert(id.into(), index).is_some()),
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

    /// What every question and section has: its texts, its citations, and only the keys
    /// of its kind.
    pub(super) fn texts(&mut self, q: &QuestionDef, path: &str) {
        self.text(&q.title, format!("{path}.title"));
        self.opt_text(q.help.as_ref(), format!("{path}.help"));
        self.opt_text(q.note.as_ref(), format!("{path}.note"));
        for (i, citation) in q.references.iter().enumerate() {
            self.citation(citation, &format!("{path}.references[{i}]"));
        }
        self.not_applicable(q, path);
        self.inferred(q, &q.inferred, path);
        self.optional_rows(q, path);
    }

    /// Whether a list of fields, rows or columns (`key`) is within `Limits::max_fields`;
    /// reports it when not.
    pub(super) fn within_max_fields(&mut self, count: usize, path: &str, key: &str) -> bool {
        if count <= self.limits.max_fields {
            return true;
        }
        self.problem(
            ProblemCode::LimitExceeded,
            format!("{path}.{key}"),
            format!(
                "{count} {key} exceed the limit of {} (raise Limits::max_fields)",
                self.limits.max_fields
            ),
        );
        false
    }

    pub(super) fn citation(&mut self, citation: &CitationDef, path: &str) {
        if !self.def.references.contains_key(&citation.reference) {
            self.problem(
                ProblemCode::UnknownReference,
                format!("{path}.reference"),
                format!(
                    "`{}` is not in the survey's references{}",
                    citation.reference,
                    super::did_you_mean(
                        &citation.reference,
                        self.def.references.keys().map(String::as_str)
                    )
                ),
            );
        }
        self.opt_text(citation.section.as_ref(), format!("{path}.section"));
        self.opt_text(citation.quote.as_ref(), format!("{path}.quote"));
        self.inferred(citation, &citation.inferred, path);
    }

    /// A key written for a kind it does not fit (`pattern` on a boolean), from the one table
    /// of which kind takes which key ([`QuestionDef::KIND_KEYS`]).
    pub(super) fn not_applicable(&mut self, q: &QuestionDef, path: &str) {
        for &(key, kinds) in QuestionDef::KIND_KEYS {
            if q.has(key) && !kinds.contains(&q.kind) {
                self.problem(
                    ProblemCode::NotApplicable,
                    format!("{path}.{key}"),
                    format!("`{key}` does not apply to {}", kind_phrase(q.kind)),
                );
            }
        }
    }

    fn kind(&mut self, q: &'a QuestionDef, path: &str, index: usize) -> AnswerSpec {
        match q.kind {
            QuestionKind::Boolean => AnswerSpec::Boolean {
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
            QuestionKind::SingleChoice => AnswerSpec::SingleChoice {
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
                AnswerSpec::MultipleChoice {
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
                AnswerSpec::Text {
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
                AnswerSpec::Integer { minimum, maximum }
            }
            QuestionKind::Number => {
                let minimum = q.minimum.clone();
                let maximum = q.maximum.clone();
                if let (Some(min), Some(max)) = (&minimum, &maximum)
                    && compare_numbers(min, max) == Some(std::cmp::Ordering::Greater)
                {
                    self.problem(
                        ProblemCode::MinAboveMax,
                        format!("{path}.minimum"),
                        format!("minimum {min} is above maximum {max}"),
                    );
                }
                AnswerSpec::Number { minimum, maximum }
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
                AnswerSpec::Date { earliest, latest }
            }
            QuestionKind::Group | QuestionKind::Matrix | QuestionKind::Table => {
                self.nodes[index].spec = AnswerSpec::Group {
                    fields: Vec::new(),
                    index: IdMap::default(),
                };
                match q.kind {
                    QuestionKind::Matrix => self.matrix_rows(q, path, index),
                    QuestionKind::Table => self.table_rows(q, path, index),
                    _ => self.group_fields(q, path, index),
                }
                std::mem::replace(
                    &mut self.nodes[index].spec,
                    AnswerSpec::Boolean { labels: None },
                )
            }
            QuestionKind::Repeat => {
                self.bounds(q.min_items, q.max_items, path, "min_items", "max_items");
                self.nodes[index].spec = AnswerSpec::Repeat {
                    fields: Vec::new(),
                    index: IdMap::default(),
                    min_items: q.min_items,
                    max_items: q.max_items,
                    end: 0,
                };
                self.group_fields(q, path, index);
                let end = self.nodes.len();
                self.outside_tests(index, end, path);
                let mut spec = std::mem::replace(
                    &mut self.nodes[index].spec,
                    AnswerSpec::Boolean { labels: None },
                );
                if let AnswerSpec::Repeat { end: at, .. } = &mut spec {
                    *at = end;
                }
                spec
            }
            // Handled before a node is made (see `question`).
            QuestionKind::Section => AnswerSpec::Boolean { labels: None },
        }
    }

    fn group_fields(&mut self, q: &'a QuestionDef, path: &str, index: usize) {
        let fields = q.fields.as_deref().unwrap_or_default();
        if fields.is_empty() {
            self.problem(
                ProblemCode::Empty,
                format!("{path}.fields"),
                format!("a {} needs at least one field", q.kind.as_str()),
            );
        }
        if self.nodes[index].parent.is_some() {
            self.problem(
                ProblemCode::NestedGroup,
                path,
                format!("a {} cannot be a field, a row or a column", q.kind.as_str()),
            );
            return;
        }
        if !self.within_max_fields(fields.len(), path, "fields") {
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

    /// Bounds the distinct tests of questions outside a repeat in its fields' conditions:
    /// the JSON Schema decides each at the root, and the UI schema lays the repeat out once
    /// per combination of their outcomes.
    fn outside_tests(&mut self, repeat: usize, end: usize, path: &str) {
        let mut found: Vec<&Leaf> = Vec::new();
        for node in self.nodes.get(repeat + 1..end).unwrap_or_default() {
            let mut leaves = Vec::new();
            if let Some(condition) = &node.condition {
                condition.leaves(&mut leaves);
            }
            for leaf in leaves {
                if !(repeat + 1..end).contains(&leaf.node) && !found.contains(&leaf) {
                    found.push(leaf);
                }
            }
        }
        if found.len() > MAX_OUTSIDE_TESTS {
            self.problem(
                ProblemCode::LimitExceeded,
                format!("{path}.fields"),
                format!(
                    "the conditions of the fields make {} different tests of questions outside the repeat, more than {MAX_OUTSIDE_TESTS}",
                    found.len()
                ),
            );
        }
    }

    pub(super) fn bounds<T: PartialOrd + fmt::Display + Copy>(
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
                let why = why.strip_prefix("error: ").unwrap_or(&why);
                self.problem(
                    ProblemCode::InvalidPattern,
                    path,
                    format!("the pattern does not compile: {why}"),
                );
                None
            }
        }
    }

    pub(super) fn choices(&mut self, q: &'a QuestionDef, path: &str) -> Vec<Choice> {
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
                        format!(
                            "there is no choice set `{name}`{}",
                            super::did_you_mean(
                                name,
                                self.def.choice_sets.keys().map(String::as_str)
                            )
                        ),
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
                inferred: c.inferred.clone(),
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
        if q.kind == QuestionKind::Matrix {
            return;
        }
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
            let pointer = self.pointer(scope.group, &specify.id);
            self.add_node(Node {
                id: specify.id.clone(),
                path: spec_path,
                folded: 0,
                pointer,
                parent: scope.group,
                title: specify
                    .title
                    .clone()
                    .unwrap_or_else(|| choice.label.clone()),
                help: None,
                about: None,
                required: specify.required,
                condition: Some(Condition::Leaf(Leaf { node: owner, test })),
                spec: AnswerSpec::Text {
                    min_length: None,
                    max_length: specify.max_length,
                    pattern: None,
                    format: None,
                },
                shape: Shape::Question,
            });
        }
    }
}

/// Most different tests of questions outside a repeat that the conditions of its fields may
/// make; the JSON Schema and the UI schema write a branch for each combination of their
/// outcomes that matters.
pub(crate) const MAX_OUTSIDE_TESTS: usize = 4;

/// "a boolean question", "an integer question": a kind with its article.
pub(super) fn kind_phrase(kind: QuestionKind) -> String {
    let name = kind.as_str();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    match kind {
        QuestionKind::Section
        | QuestionKind::Matrix
        | QuestionKind::Table
        | QuestionKind::Repeat => {
            format!("{article} {name}")
        }
        _ => format!("{article} {name} question"),
    }
}
