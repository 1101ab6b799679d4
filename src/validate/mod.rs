//! Answers to report: every issue, with a stable code and a JSON Pointer, in question order.
//!
//! One engine (`walk.rs`) walks the compiled program in document order and hands each issue
//! to a sink: [`Survey::is_valid`] stops at the first and allocates nothing;
//! [`Survey::validate`] builds paths and messages only for the issues it keeps. Answers are
//! read through [`Answer`], so the same walk serves a `serde_json::Value` and the borrowed
//! tree that [`Survey::validate_json`] parses text into.

mod walk;

use walk::{Mode, States};

use std::ops::ControlFlow;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::input::{self, Format, LoadError};
use crate::issue::{Issue, IssueCode, RawDetail, RawIssue, Report, Severity};
use crate::json::{self, Answer, Parsed, Rebuild, pointer_token};
use crate::limits::Limits;
use crate::messages::{self, Detail, Locale};
use crate::node::{AnswerSpec, Node, QuestionRef};
use crate::survey::Survey;

/// How to validate. The default is complete, strict, messages in the survey's own language
/// ([`Survey::locale`]), at most 100 issues.
///
/// ```
/// use survey_schema::{Locale, ValidateOptions};
/// let options = ValidateOptions { partial: true, locale: Some(Locale::En), ..ValidateOptions::default() };
/// assert!(!options.lenient);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateOptions {
    /// A draft being filled in: missing required answers are not issues.
    pub partial: bool,
    /// Answers to disabled questions are ignored instead of reported as
    /// `answered_while_disabled`.
    pub lenient: bool,
    /// The language of messages; `None` (the default): the survey's own ([`Survey::locale`]).
    pub locale: Option<Locale>,
    /// The most issues one report holds; the rest are counted as truncated.
    pub max_issues: usize,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            partial: false,
            lenient: false,
            locale: None,
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

impl Survey {
    /// Validates a complete answer set with the default options (strict, messages in the
    /// survey's own language).
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
    /// let options = ValidateOptions { locale: Some(Locale::En), ..ValidateOptions::default() };
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
    pub(crate) fn parse_json(json: &[u8]) -> Result<Parsed<'_>, LoadError> {
        let limits = Limits::default();
        let text = input::text(json, Format::Json, &limits)?;
        json::parse(text, &limits)
    }

    fn report<A: Answer>(&self, answers: &A, options: &ValidateOptions) -> Report {
        let mut report = Report::default();
        self.with_states(|states| {
            let _stopped = self.walk(answers, Self::mode(options), states, &mut |raw| {
                if self.keep(&mut report, &raw, options) {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            });
        });
        report
    }

    /// The mode of a walk that reports (warnings included).
    fn mode(options: &ValidateOptions) -> Mode {
        Mode {
            partial: options.partial,
            lenient: options.lenient,
            warnings: true,
        }
    }

    /// Adds an issue to a report: a failed warning rule to its warnings, any other issue to
    /// its issues while they are under the cap; false (and `truncated`) past the cap.
    fn keep<A: Answer>(
        &self,
        report: &mut Report,
        raw: &RawIssue<'_, A>,
        options: &ValidateOptions,
    ) -> bool {
        let locale = options.locale.unwrap_or_else(|| self.locale());
        if matches!(raw.detail, RawDetail::Rule(k) if !self.rules[k].severity.is_error()) {
            report.warnings.push(self.materialize(raw, locale));
        } else if report.issues.len() >= options.max_issues {
            report.truncated = true;
            return false;
        } else {
            report.issues.push(self.materialize(raw, locale));
        }
        true
    }

    /// Validates an answer set and settles every node in one walk: the report (every issue
    /// up to the cap), `instance(repeat, instance, settled)` after each repeat instance, and
    /// `done(report, settled)` with the states of the whole answer set (none when it is not
    /// an object).
    pub(crate) fn settle<'v, A: Answer, R>(
        &self,
        answers: &'v A,
        options: &ValidateOptions,
        instance: &mut impl FnMut(usize, usize, &Settled<'_, '_, 'v, A>),
        done: impl FnOnce(Report, Option<&Settled<'_, '_, 'v, A>>) -> R,
    ) -> R {
        let mut report = Report::default();
        self.with_states(|states| {
            let mode = Self::mode(options);
            // Every issue is seen (the walk must settle every node), those past the cap only
            // counted as `truncated`.
            let mut sink = |raw: RawIssue<'v, A>| {
                let _kept = self.keep(&mut report, &raw, options);
                ControlFlow::Continue(())
            };
            if !answers.is_object() {
                let _ = sink(RawIssue::root(IssueCode::NotAnObject));
                return done(report, None);
            }
            let _ = self.walk_keys(answers, mode, states, &mut sink, &mut |r, i, s| {
                instance(r, i, &Settled(s));
            });
            done(report, Some(&Settled(states)))
        })
    }

    fn verdict<A: Answer>(&self, answers: &A, options: &ValidateOptions) -> bool {
        self.with_states(|states| {
            self.walk(
                answers,
                Mode {
                    partial: options.partial,
                    lenient: options.lenient,
                    warnings: false,
                },
                states,
                &mut |_| ControlFlow::Break(()),
            )
            .is_continue()
        })
    }

    /// The questions (and group fields) enabled by the answers so far, in order. A field is
    /// listed when its group and its own condition are enabled; a repeat's fields are listed
    /// per instance, after the repeat (`/systems/0/vendor`, `/systems/1/vendor`, ...).
    #[must_use]
    pub fn enabled(&self, answers: &Value) -> Vec<QuestionRef<'_>> {
        self.with_states(|states| {
            let mut fields: Vec<(usize, QuestionRef<'_>)> = Vec::new();
            self.fill_states(answers, states, &mut |repeat, instance, states| {
                let repeat_node = &self.nodes[repeat];
                for field in self.repeat_fields(repeat) {
                    if states.is_enabled(field) {
                        let node = &self.nodes[field];
                        let pointer = Cow::Owned(node.pointer_in(repeat_node, instance));
                        fields.push((
                            repeat,
                            QuestionRef {
                                pointer,
                                ..node.as_ref()
                            },
                        ));
                    }
                }
            });
            let mut fields = fields.into_iter().peekable();
            let mut out = Vec::new();
            for (index, node) in self.nodes.iter().enumerate() {
                if self.in_repeat(index) {
                    continue;
                }
                if states.is_enabled(index) {
                    out.push(node.as_ref());
                }
                while let Some((_, field)) = fields.next_if(|(repeat, _)| *repeat == index) {
                    out.push(field);
                }
            }
            out
        })
    }

    /// Per node, whether the answers enable it (a repeat's field: in some instance).
    pub(crate) fn enabled_nodes(&self, answers: &Value) -> Vec<bool> {
        self.with_states(|states| {
            let mut out = vec![false; self.nodes.len()];
            self.fill_states(answers, states, &mut |repeat, _, states| {
                for field in self.repeat_fields(repeat) {
                    out[field] |= states.is_enabled(field);
                }
            });
            for (index, on) in out.iter_mut().enumerate() {
                if !self.in_repeat(index) {
                    *on = states.is_enabled(index);
                }
            }
            out
        })
    }

    /// An answer set as a `QuestionnaireResponse` of [`Survey::fhir_questionnaire`]
    /// (`in-progress` when `partial`). FHIR has no empty answer: an empty selection, group,
    /// matrix, table, instance or repeat (`[]`, `{}`) is left out, and so reads back as
    /// unanswered, where that keeps the answer set's verdict (under `partial` or not).
    ///
    /// # Errors
    ///
    /// The answers FHIR cannot hold (`null`, an object where a value belongs, an empty text),
    /// and empty answers whose leaving out would change the verdict (`[]` for a required
    /// multiple choice that has no `min_selections`, read back as a missing answer), each an
    /// `unrepresentable` problem at its answer's path.
    pub fn fhir_response(
        &self,
        answers: &serde_json::Value,
        partial: bool,
    ) -> Result<serde_json::Value, crate::fhir::Error> {
        let response = crate::fhir::response(&self.definition, answers, partial)?;
        if let Some((kept, emptied)) = crate::fhir::without_empty_answers(answers) {
            let options = ValidateOptions {
                partial,
                ..ValidateOptions::default()
            };
            if self.is_valid_with(answers, &options) != self.is_valid_with(&kept, &options) {
                return Err(crate::fhir::Error::new(
                    emptied
                        .into_iter()
                        .map(|path| crate::fhir::FhirProblem {
                            code: crate::fhir::FhirProblemCode::Unrepresentable,
                            message: "an empty answer cannot be written in a \
                                      QuestionnaireResponse, and read back as unanswered it \
                                      would change the answer set's verdict"
                                .into(),
                            path,
                        })
                        .collect(),
                ));
            }
        }
        Ok(response)
    }

    /// The answer set without answers to disabled questions and fields. Other keys (unknown
    /// ones included) are kept; a non-object is returned as it is. Idempotent.
    #[must_use]
    pub fn prune(&self, answers: &Value) -> Value {
        self.pruned_tree(answers)
    }

    /// [`Survey::prune`] on JSON bytes (parsed as [`Survey::validate_json`] does), written back
    /// as indented JSON text in which every kept value is as the bytes wrote it: a number is
    /// not rounded or rewritten (`-9223372036854775809` and `1e2` stay so), keys keep their
    /// order.
    ///
    /// ```
    /// # use survey_schema::Survey;
    /// # let survey = Survey::from_yaml("id: d\nversion: '1'\ndefault_locale: en\ntitle: D\nquestions: [{id: n, type: number, title: N}]")?;
    /// let pruned = survey.prune_json(br#"{"n": -9223372036854775809}"#)?;
    /// assert_eq!(pruned, "{\n  \"n\": -9223372036854775809\n}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Survey::validate_json`].
    pub fn prune_json(&self, json: &[u8]) -> Result<String, LoadError> {
        let limits = Limits::default();
        let text = input::text(json, Format::Json, &limits)?;
        let answers = json::parse_as_written(text, &limits)?;
        let pruned = self.pruned_tree(&answers);
        Ok(serde_json::to_string_pretty(&pruned).unwrap_or_default())
    }

    fn pruned_tree<A: Rebuild>(&self, answers: &A) -> A {
        if !answers.is_object() {
            return answers.clone();
        }
        self.with_states(|states| {
            // Each instance of a repeat, pruned while its states are at hand.
            let mut instances: BTreeMap<usize, Vec<A>> = BTreeMap::new();
            self.fill_states(answers, states, &mut |repeat, _, states| {
                if let Some(instance) = states.raw[repeat] {
                    let kept = self.pruned(repeat, instance, &|i| states.is_enabled(i));
                    instances.entry(repeat).or_default().push(kept);
                }
            });
            let pruned = answers.map_entries(|key, value| {
                let Some(&index) = self.top_level.get(key) else {
                    return Some(value.clone());
                };
                if !states.is_enabled(index) {
                    return None;
                }
                Some(match &self.nodes[index].spec {
                    AnswerSpec::Repeat { .. } if value.as_array().is_some() => {
                        A::array(instances.remove(&index).unwrap_or_default())
                    }
                    _ => self.pruned(index, value, &|i| states.is_enabled(i)),
                })
            });
            pruned.unwrap_or_else(|| answers.clone())
        })
    }

    /// An enabled node's answer (or a repeat's instance) without the answers of its disabled
    /// fields, at every depth (a table's rows and their cells); unknown keys are kept, for
    /// validation to report.
    fn pruned<A: Rebuild>(&self, index: usize, value: &A, enabled: &dyn Fn(usize) -> bool) -> A {
        let Some((_, fields)) = self.nodes[index].spec.fields() else {
            return value.clone();
        };
        value
            .map_entries(|k, v| match fields.get(k) {
                None => Some(v.clone()),
                Some(&f) if enabled(f) => Some(self.pruned(f, v, enabled)),
                Some(_) => None,
            })
            .unwrap_or_else(|| value.clone())
    }

    /// Required questions enabled so far, and how many of them are answered; a repeat's
    /// required fields count once per instance.
    #[must_use]
    pub fn progress(&self, answers: &Value) -> Progress {
        self.with_states(|states| {
            let mut progress = Progress::default();
            let mut count = |index: usize, states: &walk::States<'_, '_, Value>| {
                let node = &self.nodes[index];
                if node.required
                    && states.is_enabled(index)
                    && states.parent_answered(node.parent)
                    && self.asks_for(index, states)
                {
                    progress.required += 1;
                    progress.answered += usize::from(states.raw[index].is_some());
                }
            };
            self.fill_states(answers, states, &mut |repeat, _, states| {
                for field in self.repeat_fields(repeat) {
                    count(field, states);
                }
            });
            for index in 0..self.nodes.len() {
                if !self.in_repeat(index) {
                    count(index, states);
                }
            }
            progress
        })
    }

    /// The nodes of a repeat's fields and their specify boxes.
    fn repeat_fields(&self, repeat: usize) -> std::ops::Range<usize> {
        match self.nodes[repeat].spec {
            AnswerSpec::Repeat { end, .. } => repeat + 1..end,
            _ => repeat + 1..repeat + 1,
        }
    }

    /// The repeat whose instances hold a node (its nearest repeat ancestor), if any.
    fn repeat_holding(&self, node: &crate::node::Node) -> Option<usize> {
        let mut parent = node.parent;
        while let Some(p) = parent {
            if matches!(self.nodes[p].spec, AnswerSpec::Repeat { .. }) {
                return Some(p);
            }
            parent = self.nodes[p].parent;
        }
        None
    }

    fn materialize<A: Answer>(&self, raw: &RawIssue<'_, A>, locale: Locale) -> Issue {
        let node = raw.node.map(|i| &self.nodes[i]);
        let mut path = match (node, raw.instance) {
            // An unknown key in an instance, or an instance that is no object.
            (Some(n), Some(instance)) if matches!(n.spec, AnswerSpec::Repeat { .. }) => {
                format!("{}/{instance}", n.pointer)
            }
            // A node of the instance, or (a per-instance rule's first test) one outside it.
            (Some(n), Some(instance)) => match self.repeat_holding(n) {
                Some(repeat) => n.pointer_in(&self.nodes[repeat], instance),
                None => n.pointer.clone(),
            },
            (Some(n), None) => n.pointer.clone(),
            (None, _) => String::new(),
        };
        let base = path.trim_start_matches('/').to_owned();
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
            (Some(n), _) => {
                let top = std::iter::successors(Some(n), |n| n.parent.map(|p| &self.nodes[p]));
                top.last().map_or(&n.id, |top| &top.id).clone()
            }
            (None, None) => String::new(),
        };
        let subject = match (raw.code, raw.key, node) {
            (IssueCode::UnknownQuestion | IssueCode::UnknownField, Some(key), _) => {
                json::cut(key).into_owned()
            }
            (_, _, Some(_)) => base,
            _ => String::new(),
        };
        let shown = match raw.detail {
            RawDetail::Value(v) | RawDetail::Range(v) => Some(match v.literal() {
                Some(literal) => json::cut(literal).into_owned(),
                None => json::quote(&v.to_value()),
            }),
            _ => None,
        };
        // An answer of the wrong type, not an item or an instance of it, names the questions
        // whose conditions test it (they see it, and no test of a value holds on it).
        let tested_by = match (raw.detail, raw.node) {
            (RawDetail::Expected(_), Some(n)) if raw.item.is_none() && raw.instance.is_none() => {
                Node::names(&self.nodes, &Node::testers_of(&self.nodes, n))
            }
            _ => String::new(),
        };
        let detail = match (raw.detail, shown.as_deref()) {
            (RawDetail::Value(_), Some(value)) => Detail::Value(value),
            (RawDetail::Range(_), Some(value)) => {
                let (min, max) = node.map_or((None, None), |n| n.spec.bounds());
                Detail::Range { value, min, max }
            }
            (RawDetail::Expected(e), _) => Detail::Expected(e, &tested_by),
            (RawDetail::Count { actual, limit }, _) => Detail::Count { actual, limit },
            _ => Detail::None,
        };
        let rule = match raw.detail {
            RawDetail::Rule(k) => self.rules.get(k),
            _ => None,
        };
        let detail = match rule {
            Some(rule) => Detail::Text(self.text(&rule.message, locale.tag())),
            None => detail,
        };
        let message = messages::message(raw.code, locale, &subject, &detail);
        Issue {
            code: raw.code,
            path,
            question,
            message,
            severity: rule.map_or(Severity::Error, |rule| rule.severity),
            rule: rule.map(|rule| rule.id.clone()),
        }
    }
}

/// The settled states of a walk: whether each node is enabled, and its answer.
pub(crate) struct Settled<'a, 's, 'v, A>(&'a States<'s, 'v, A>);

impl<'v, A: Answer> Settled<'_, '_, 'v, A> {
    /// Whether the answers enable the node.
    pub(crate) fn is_enabled(&self, node: usize) -> bool {
        self.0.is_enabled(node)
    }

    /// The node's answer, enabled or not.
    pub(crate) fn answer(&self, node: usize) -> Option<&'v A> {
        self.0.raw.get(node).copied().flatten()
    }
}
