//! `enableWhen`, `enableWhenExpression` and constraints, read once every item is known.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::{Importer, sanitize};
use crate::definition::{ConditionDef, QuestionDef, QuestionKind, RuleDef, SurveyDefinition};
use crate::fhir::FhirProblemCode;
use crate::fhir::items::{Answer, Catalogue};
use crate::fhir::path::{self, Scope};

impl Importer {
    /// Reads the enableWhen lists and expressions once every item is known, and sets them.
    pub(super) fn conditions(&mut self, questions: &mut [QuestionDef], id: &str) {
        let mut found: HashMap<String, ConditionDef> = HashMap::new();
        for (key, list, behavior, at) in std::mem::take(&mut self.enable_whens) {
            if let Some(c) = self.enable_when(&list, behavior.as_deref(), &at) {
                found.insert(key, c);
            }
        }
        let expressions = std::mem::take(&mut self.expressions);
        if !expressions.is_empty() {
            let def = self.partial_definition(questions, id);
            let catalogue = Catalogue::new(&def);
            for (key, expression, row, at) in expressions {
                let scope = row.as_deref().map_or(Scope::Top, Scope::Row);
                match path::parse(&expression, &catalogue, scope) {
                    Ok(c) => {
                        found.insert(key, c);
                    }
                    Err(why) => self.problem(
                        FhirProblemCode::Expression,
                        at,
                        format!("enableWhenExpression `{expression}`: {why}"),
                    ),
                }
            }
        }
        assign(questions, None, &mut found);
    }

    /// The definition so far, for reading expressions against its items.
    pub(super) fn partial_definition(
        &self,
        questions: &[QuestionDef],
        id: &str,
    ) -> SurveyDefinition {
        let mut def: SurveyDefinition = serde_json::from_value(json!({
            "id": id, "version": "1", "default_locale": self.default_locale, "title": "", "questions": []
        }))
        .expect(BLANK);
        def.questions = questions.to_vec();
        def.fhir = Some(self.mapping.clone());
        def
    }

    pub(super) fn enable_when(
        &mut self,
        list: &Value,
        behavior: Option<&str>,
        at: &str,
    ) -> Option<ConditionDef> {
        let items = list.as_array()?;
        let mut leaves = Vec::new();
        for (i, ew) in items.iter().enumerate() {
            let here = format!("{at}.enableWhen[{i}]");
            leaves.extend(self.enable_when_leaf(ew, &here));
        }
        if leaves.len() != items.len() {
            return None;
        }
        match (leaves.len(), behavior) {
            (1, _) => leaves.pop(),
            (_, Some("all")) => Some(ConditionDef {
                all: Some(leaves),
                ..ConditionDef::default()
            }),
            (_, Some("any")) => Some(ConditionDef {
                any: Some(leaves),
                ..ConditionDef::default()
            }),
            _ => {
                self.problem(
                    FhirProblemCode::Que12,
                    format!("{at}.enableBehavior"),
                    "several enableWhen need an enableBehavior (que-12)",
                );
                None
            }
        }
    }

    /// One `enableWhen` as a leaf.
    pub(super) fn enable_when_leaf(&mut self, ew: &Value, at: &str) -> Option<ConditionDef> {
        let link = ew.get("question").and_then(Value::as_str).unwrap_or("");
        let Some(key) = self.keys.get(link).cloned() else {
            self.problem(
                FhirProblemCode::UnknownQuestion,
                format!("{at}.question"),
                format!("there is no item with linkId `{link}` before this one"),
            );
            return None;
        };
        let answer = self.answers.get(&key).copied().unwrap_or(Answer::Group);
        let mut leaf = leaf_of_key(&key);
        let operator = ew.get("operator").and_then(Value::as_str).unwrap_or("");
        let (answer_key, raw) = ew
            .as_object()
            .into_iter()
            .flatten()
            .find(|(k, _)| k.starts_with("answer"))
            .map_or(("", Value::Null), |(k, v)| (k.as_str(), v.clone()));
        if operator == "exists" {
            leaf.answered = raw.as_bool();
            return Some(leaf);
        }
        let value = match (answer_key, answer) {
            ("answerCoding", Answer::Choice { .. }) => {
                let system = raw.get("system").and_then(Value::as_str);
                match raw.get("code").and_then(Value::as_str) {
                    Some(code) => self.choice_value(&key, code, system, at)?,
                    None => self.choice_by_display(&key, &raw, at)?,
                }
            }
            ("answerString" | "answerInteger" | "answerDate", Answer::Choice { .. }) => {
                let code = raw.as_str().map_or_else(|| raw.to_string(), str::to_owned);
                self.choice_value(&key, &code, None, at)?
            }
            ("answerBoolean", Answer::Boolean)
            | ("answerString", Answer::Text)
            | ("answerDate", Answer::Date)
            | ("answerInteger" | "answerDecimal", Answer::Integer | Answer::Number) => raw,
            _ => {
                self.problem(
                    FhirProblemCode::UnsupportedCondition,
                    at,
                    format!("`{answer_key}` on this item has no place in the survey format"),
                );
                return None;
            }
        };
        let multiple = answer == Answer::Choice { multiple: true };
        match operator {
            "=" if multiple => leaf.includes = Some(value),
            "=" => leaf.equals = Some(value),
            // FHIR: true when no answer equals the value.
            "!=" if multiple => {
                leaf.includes = Some(value);
                return Some(ConditionDef {
                    not: Some(Box::new(leaf)),
                    ..ConditionDef::default()
                });
            }
            "!=" => leaf.not_equals = Some(value),
            ">" => leaf.greater_than = Some(value),
            ">=" => leaf.greater_or_equal = Some(value),
            "<" => leaf.less_than = Some(value),
            "<=" => leaf.less_or_equal = Some(value),
            other => {
                self.problem(
                    FhirProblemCode::UnsupportedCondition,
                    format!("{at}.operator"),
                    format!("operator `{other}`"),
                );
                return None;
            }
        }
        Some(leaf)
    }

    /// The choice value of a code: codings compare by system and code, and a coding without a
    /// system matches any system.
    pub(super) fn choice_value(
        &mut self,
        key: &str,
        code: &str,
        system: Option<&str>,
        at: &str,
    ) -> Option<Value> {
        let codes = self.mapping.codes.get(key);
        let found = match codes {
            Some(codes) => codes
                .iter()
                .find(|(_, c)| {
                    c.code.as_deref() == Some(code)
                        && (system.is_none() || c.system.is_none() || c.system.as_deref() == system)
                })
                .map(|(v, _)| v.clone()),
            None => Some(code.to_owned()).filter(|c| crate::check::is_valid_id(c)),
        };
        if found.is_none() {
            self.problem(
                FhirProblemCode::UnknownCode,
                at,
                format!("`{code}` is not an answer option of the item"),
            );
        }
        found.map(Value::String)
    }

    /// The choice value of a Coding without a code: the option told by the same display.
    fn choice_by_display(&mut self, key: &str, raw: &Value, at: &str) -> Option<Value> {
        let display = raw.get("display").and_then(Value::as_str);
        let found = self.mapping.codes.get(key).and_then(|codes| {
            codes
                .iter()
                .find(|(_, c)| {
                    c.code.is_none() && display.is_some() && c.display.as_deref() == display
                })
                .map(|(v, _)| v.clone())
        });
        if found.is_none() {
            self.problem(
                FhirProblemCode::UnknownCode,
                at,
                match display {
                    Some(display) => format!("no answer option of the item shows `{display}`"),
                    None => "a Coding with neither a code nor a display".to_owned(),
                },
            );
        }
        found.map(Value::String)
    }

    /// The survey's rules from `questionnaire-constraint` extensions.
    pub(super) fn rules(&mut self, questions: &[QuestionDef], id: &str) -> Vec<RuleDef> {
        let constraints = std::mem::take(&mut self.constraints);
        if constraints.is_empty() {
            return Vec::new();
        }
        let def = self.partial_definition(questions, id);
        let catalogue = Catalogue::new(&def);
        let mut rules = Vec::new();
        let mut seen = HashSet::new();
        for (ext, owner, at) in constraints {
            let part = |name: &str| {
                ext.get("extension")?
                    .as_array()?
                    .iter()
                    .find(|p| p.get("url").and_then(Value::as_str) == Some(name))?
                    .as_object()?
                    .iter()
                    .find(|(k, _)| k.starts_with("value"))
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_owned)
            };
            let (Some(key), Some(expression)) = (part("key"), part("expression")) else {
                self.problem(
                    FhirProblemCode::UnsupportedConstraint,
                    &at,
                    "a constraint without key or expression",
                );
                continue;
            };
            let (scope, for_each_row, for_each_instance) = match &owner {
                None => (Scope::Top, None, None),
                Some((repeat, false)) => (Scope::Instance(repeat), None, Some(repeat.clone())),
                Some((row, true)) => {
                    let table = row.split('.').next().unwrap_or("").to_owned();
                    (Scope::Row(row), Some(table), None)
                }
            };
            if !seen.insert((key.clone(), for_each_row.clone(), for_each_instance.clone())) {
                continue;
            }
            let condition = match path::parse(&expression, &catalogue, scope) {
                Ok(c) => c,
                Err(why) => {
                    self.problem(
                        FhirProblemCode::Expression,
                        &at,
                        format!("constraint `{expression}`: {why}"),
                    );
                    continue;
                }
            };
            let (when, assert) = match condition.any.as_deref() {
                Some(
                    [
                        ConditionDef {
                            not: Some(when), ..
                        },
                        assert,
                    ],
                ) => {
                    let always = when.all.as_ref().is_some_and(Vec::is_empty);
                    ((!always).then(|| (**when).clone()), assert.clone())
                }
                _ => (None, condition),
            };
            let mut rule: RuleDef = serde_json::from_value(json!({
                "id": sanitize(&key),
                "assert": { "all": [] },
                "message": part("human").unwrap_or_else(|| key.clone()),
            }))
            .expect(BLANK);
            rule.when = when;
            rule.assert = assert;
            rule.for_each_row = for_each_row;
            rule.for_each_instance = for_each_instance;
            if part("severity").as_deref() == Some("warning") {
                rule.severity = crate::issue::Severity::Warning;
            }
            rules.push(rule);
        }
        rules
    }
}

pub(super) const BLANK: &str = "a minimal definition value deserializes";

/// The leaf naming a key: `Q`, `{question: G, field: f}`, or a cell of the row it is in.
fn leaf_of_key(key: &str) -> ConditionDef {
    let parts: Vec<&str> = key.split('.').collect();
    let mut leaf = ConditionDef::default();
    match parts.as_slice() {
        [question] => leaf.question = Some((*question).to_owned()),
        [question, field] => {
            leaf.question = Some((*question).to_owned());
            leaf.field = Some((*field).to_owned());
        }
        [.., column] => leaf.column = Some((*column).to_owned()),
        [] => {}
    }
    leaf
}

/// Sets the conditions found by key.
fn assign(
    questions: &mut [QuestionDef],
    owner: Option<&str>,
    found: &mut HashMap<String, ConditionDef>,
) {
    for q in questions {
        let key = owner.map_or_else(|| q.id.clone(), |o| format!("{o}.{}", q.id));
        if let Some(c) = found.remove(&key) {
            q.enable_when = Some(c);
        }
        match q.kind {
            QuestionKind::Section => assign(
                q.questions.as_mut().map_or(&mut [], |v| v.as_mut_slice()),
                owner,
                found,
            ),
            QuestionKind::Group | QuestionKind::Repeat => {
                assign(
                    q.fields.as_mut().map_or(&mut [], |v| v.as_mut_slice()),
                    Some(&key),
                    found,
                );
            }
            QuestionKind::Matrix | QuestionKind::Table => {
                let first = q
                    .rows
                    .iter()
                    .flatten()
                    .next()
                    .map(|r| format!("{key}.{}", r.id));
                for row in q.rows.iter_mut().flatten() {
                    if let Some(c) = found.remove(&format!("{key}.{}", row.id)) {
                        row.enable_when = Some(c);
                    }
                }
                if let (Some(first), Some(columns)) = (first, q.columns.as_mut()) {
                    assign(columns, Some(&first), found);
                }
            }
            _ => {}
        }
    }
}
