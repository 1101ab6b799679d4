//! The native message for every error a JSON Schema validator (ajv) can report on a generated
//! schema, keyed by the error's schema location, so that a form shows the words the native
//! validator would give instead of the validator's defaults ("must NOT be valid").
//!
//! Messages are templates: `{value}` is the offending value (a string in JSON quotes, cut to
//! 40 characters as the native messages do), `{count}` the number of items or characters,
//! `{key}` an unknown key, `{instance}` the index of the repeat's instance that the issue
//! is in (the second token of its JSON Pointer: repeats are top-level questions). `forms/survey-messages.js` fills them in for RJSF and JSON Forms.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::issue::{Expected, IssueCode};
use crate::messages::{Detail, Locale, message};
use crate::node::Node;

/// What a form needs to show the native message for each error that a validator reports on
/// the survey's generated JSON Schema (see [`json_schema::error_messages`](crate::json_schema::error_messages)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorMessages {
    /// The locale of the messages (`ja`, `en`).
    pub locale: &'static str,
    /// Per schema location of an error (ajv's `schemaPath`, e.g.
    /// `#/properties/Q6/allOf/0/not`; for `required`, the location and the missing property,
    /// `#/required/Q2`), the issue it is. A location not listed is matched by its longest
    /// listed prefix (`#/properties/S/oneOf/0/const` is `#/properties/S/oneOf`).
    pub errors: BTreeMap<String, ErrorMessage>,
}

/// The native issue behind one schema location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorMessage {
    /// The issue code the native validator reports.
    pub code: IssueCode,
    /// The JSON Pointer of the native issue when it is not the error's own place: the
    /// disabled question for the `not` of an `else` (ajv places it at the object). For a
    /// field of a repeat, `-` stands for the instance (`/systems/-/vendor`), which is the
    /// error's place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The message template (`{value}`, `{count}`, `{key}`, `{instance}`).
    pub message: String,
    /// For `rule_failed`, the id of the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// A count that no answer reaches, replaced by `{count}` in the rendered template.
const COUNT: usize = usize::MAX;

/// What one schema location is about, before its message is rendered.
#[derive(Clone, Copy)]
pub(super) enum Fault<'f> {
    /// The node's answer has the wrong type (`item`: an item of a multiple choice).
    Type { item: bool },
    /// An instance of a repeat is not an object.
    Instance,
    /// A value of the node's answer (`{value}`).
    Value(IssueCode),
    /// A count of the node's answer (`{count}`) against `limit`.
    Count(IssueCode, u64),
    /// The node's answer outside its bounds.
    Range,
    /// An exclusive choice combined with another.
    Exclusive(&'f str),
    /// The node is required and unanswered.
    Missing,
    /// The node is answered while disabled.
    Disabled,
}

/// Collects entries while the schema is generated.
pub(super) struct Recorder {
    locale: Locale,
    entries: RefCell<BTreeMap<String, ErrorMessage>>,
    /// Per node pointer, the questions whose conditions test its answer (a wrong type's
    /// message names them), for the nodes that have any.
    tested_by: HashMap<String, String>,
}

impl Recorder {
    pub(super) fn new(locale: Locale, nodes: &[Node]) -> Recorder {
        let tested_by = Node::testers(nodes)
            .iter()
            .enumerate()
            // As the validator: not for a field of a repeat's instance.
            .filter(|(i, testers)| !testers.is_empty() && !nodes[*i].pointer.contains("/-/"))
            .map(|(i, testers)| (nodes[i].pointer.clone(), Node::names(nodes, testers)))
            .collect();
        Recorder {
            locale,
            entries: RefCell::new(BTreeMap::new()),
            tested_by,
        }
    }

    /// Records what the schema location `at` means for `node`.
    pub(super) fn node(&self, at: String, node: &Node, fault: Fault<'_>) {
        // A message about an instance of a repeat or a field in one names the instance,
        // which only the error's place tells.
        let pointer = node.pointer.trim_start_matches('/');
        let subject = match fault {
            Fault::Instance => format!("{pointer}/{{instance}}"),
            _ => pointer.replacen("/-/", "/{instance}/", 1),
        };
        let subject = subject.as_str();
        let tested_by = match fault {
            Fault::Type { item: false } => {
                self.tested_by.get(&node.pointer).map_or("", String::as_str)
            }
            _ => "",
        };
        let (code, detail, path) = match fault {
            Fault::Type { item } => {
                let expected = if item {
                    Expected::ChoiceValue
                } else {
                    node.spec.expected()
                };
                (
                    IssueCode::WrongType,
                    Detail::Expected(expected, tested_by),
                    None,
                )
            }
            Fault::Instance => (
                IssueCode::WrongType,
                Detail::Expected(Expected::Object, ""),
                None,
            ),
            Fault::Value(code) => (code, Detail::Value("{value}"), None),
            Fault::Count(code, limit) => (
                code,
                Detail::Count {
                    actual: COUNT,
                    limit,
                },
                None,
            ),
            Fault::Range => {
                let (min, max) = node.spec.bounds();
                (
                    IssueCode::OutOfRange,
                    Detail::Range {
                        value: "{value}",
                        min,
                        max,
                    },
                    None,
                )
            }
            Fault::Exclusive(quoted) => (
                IssueCode::ExclusiveChoiceCombined,
                Detail::Value(quoted),
                None,
            ),
            Fault::Missing => (IssueCode::MissingRequired, Detail::None, None),
            Fault::Disabled => (
                IssueCode::AnsweredWhileDisabled,
                Detail::None,
                Some(node.pointer.clone()),
            ),
        };
        self.add(at, code, subject, &detail, path);
    }

    /// Records what an error anywhere under `at`, the place of a rule, means: the rule
    /// failed, at its question.
    pub(super) fn rule(&self, at: &str, node: &Node, id: &str, text: &str) {
        let subject = node
            .pointer
            .trim_start_matches('/')
            .replacen("/-/", "/{instance}/", 1);
        self.add(
            at.to_owned(),
            IssueCode::RuleFailed,
            &subject,
            &Detail::Text(text),
            Some(node.pointer.clone()),
        );
        if let Some(entry) = self.entries.borrow_mut().get_mut(at) {
            entry.rule = Some(id.to_owned());
        }
    }

    pub(super) fn locale(&self) -> Locale {
        self.locale
    }

    /// Records an error about the whole object at `at` (`not_an_object`) or an unknown key
    /// in it (`unknown_question`, `unknown_field`).
    pub(super) fn object(&self, at: String, code: IssueCode) {
        let subject = if code == IssueCode::NotAnObject {
            ""
        } else {
            "{key}"
        };
        self.add(at, code, subject, &Detail::None, None);
    }

    fn add(
        &self,
        at: String,
        code: IssueCode,
        subject: &str,
        detail: &Detail<'_>,
        path: Option<String>,
    ) {
        let message =
            message(code, self.locale, subject, detail).replace(&COUNT.to_string(), "{count}");
        self.entries.borrow_mut().insert(
            at,
            ErrorMessage {
                code,
                path,
                message,
                rule: None,
            },
        );
    }

    pub(super) fn finish(self) -> ErrorMessages {
        ErrorMessages {
            locale: self.locale.tag(),
            errors: self.entries.into_inner(),
        }
    }
}
