//! Conditions as `enableWhen` where FHIR can say them, as `FHIRPath` where it cannot, and
//! rules as `questionnaire-constraint`.

use serde_json::{Map, Value, json};

use super::{Exporter, fhir_id, option_value, value_key};
use crate::definition::{ConditionDef, RuleDef};
use crate::fhir::items::Answer;
use crate::fhir::path::{self, Scope};
use crate::fhir::{CONSTRAINT, ENABLE_WHEN_EXPRESSION};

impl Exporter<'_, '_> {
    /// `enableWhen` (+ `enableBehavior`) where the condition maps, else the SDC
    /// `enableWhenExpression`.
    /// The condition is `key`'s own, written with those of the questions it tests
    /// ([`effective`](super::effective)).
    pub(super) fn enable_when(
        &self,
        item: &mut Map<String, Value>,
        key: &str,
        condition: &ConditionDef,
        scope: Scope<'_>,
    ) {
        let condition = self.effective.written(key).unwrap_or(condition);
        if let Some((list, behavior)) = self.enable_when_list(condition, scope) {
            item.insert("enableWhen".into(), Value::Array(list));
            if let Some(behavior) = behavior {
                item.insert("enableBehavior".into(), json!(behavior));
            }
            return;
        }
        let expression = path::write(condition, self.catalogue, scope, false);
        let ext = json!({ "url": ENABLE_WHEN_EXPRESSION, "valueExpression": {
            "language": "text/fhirpath", "expression": expression
        } });
        item.insert("extension".into(), json!([ext]));
    }

    pub(super) fn enable_when_list(
        &self,
        condition: &ConditionDef,
        scope: Scope<'_>,
    ) -> Option<(Vec<Value>, Option<&'static str>)> {
        if let Some(values) = &condition.in_ {
            if values.is_empty() {
                return None;
            }
            let list = values
                .iter()
                .map(|v| {
                    let leaf = ConditionDef {
                        equals: Some(v.clone()),
                        in_: None,
                        ..condition.clone()
                    };
                    self.simple(&leaf, scope)
                })
                .collect::<Option<Vec<Value>>>()?;
            let behavior = (list.len() > 1).then_some("any");
            return Some((list, behavior));
        }
        let (items, behavior) = match (&condition.all, &condition.any) {
            (Some(items), _) => (items, "all"),
            (_, Some(items)) => (items, "any"),
            _ => return self.simple(condition, scope).map(|v| (vec![v], None)),
        };
        if items.len() < 2 {
            return None;
        }
        let list = items
            .iter()
            .map(|c| self.simple(c, scope))
            .collect::<Option<Vec<Value>>>()?;
        Some((list, Some(behavior)))
    }

    /// One `enableWhen` for a leaf FHIR can say.
    pub(super) fn simple(&self, leaf: &ConditionDef, scope: Scope<'_>) -> Option<Value> {
        // FHIR's `!=` on a repeating item: no answer equals the value.
        if let Some(inner) = &leaf.not {
            let includes = inner.includes.as_ref()?;
            let plain = ConditionDef {
                question: inner.question.clone(),
                field: inner.field.clone(),
                column: inner.column.clone(),
                includes: Some(includes.clone()),
                ..ConditionDef::default()
            };
            if plain != **inner {
                return None;
            }
            let mut ew = self.simple(&plain, scope)?;
            ew["operator"] = json!("!=");
            return Some(ew);
        }
        if leaf.all.is_some() || leaf.any.is_some() || leaf.in_.is_some() {
            return None;
        }
        let (key, _) = path::leaf_key(leaf, scope)?;
        let info = self.catalogue.items.get(&key)?;
        let question = json!(info.link_id);
        if let Some(answered) = leaf.answered {
            if matches!(info.answer, Answer::Group | Answer::Count) {
                return None;
            }
            return Some(
                json!({ "question": question, "operator": "exists", "answerBoolean": answered }),
            );
        }
        let (operator, value) = [
            ("=", &leaf.equals),
            ("=", &leaf.includes),
            ("!=", &leaf.not_equals),
            (">", &leaf.greater_than),
            (">=", &leaf.greater_or_equal),
            ("<", &leaf.less_than),
            ("<=", &leaf.less_or_equal),
        ]
        .into_iter()
        .find_map(|(op, v)| v.as_ref().map(|v| (op, v)))?;
        if value.is_object() {
            return None;
        }
        let (answer_key, answer) = match (info.answer, value) {
            (Answer::Boolean, Value::Bool(b)) => ("answerBoolean", json!(b)),
            (Answer::Choice { multiple }, Value::String(v)) => {
                if multiple && operator == "!=" {
                    return None;
                }
                if let Some(t) = info.option_type {
                    (
                        answer_key_of(t),
                        option_value(t, self.catalogue.coding(&key, v).text()),
                    )
                } else {
                    let coding = self.catalogue.coding(&key, v).json();
                    ("answerCoding", Value::Object(coding))
                }
            }
            // FHIR strings are never empty: a test on "" is written as an expression.
            (Answer::Text, Value::String(v)) if !v.is_empty() => ("answerString", json!(v)),
            (Answer::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {
                if value_key("valueInteger", n) == "valueInteger" {
                    ("answerInteger", json!(n))
                } else {
                    ("answerDecimal", json!(n))
                }
            }
            (Answer::Number, Value::Number(n)) => ("answerDecimal", json!(n)),
            (Answer::Date, Value::String(v)) => ("answerDate", json!(v)),
            _ => return None,
        };
        Some(json!({ "question": question, "operator": operator, answer_key: answer }))
    }

    pub(super) fn constraint(&self, rule: &RuleDef, scope: Scope<'_>) -> Value {
        let assert = path::write(&rule.assert, self.catalogue, scope, true);
        let expression = match &rule.when {
            Some(when) => format!(
                "({}).not() or ({assert})",
                path::write(when, self.catalogue, scope, true)
            ),
            // An assert that reads as "not W or A" would read back as a `when`: say there is
            // none.
            None if matches!(rule.assert.any.as_deref(), Some([first, _]) if first.not.is_some()) =>
            {
                format!("(true).not() or ({assert})")
            }
            None => assert,
        };
        json!({ "url": CONSTRAINT, "extension": [
            { "url": "key", "valueId": fhir_id(&rule.id) },
            { "url": "severity", "valueCode": if rule.severity.is_error() { "error" } else { "warning" } },
            { "url": "expression", "valueString": expression },
            { "url": "human", "valueString": self.text(&rule.message) }
        ] })
    }
}

fn answer_key_of(t: crate::definition::OptionType) -> &'static str {
    match t {
        crate::definition::OptionType::Integer => "answerInteger",
        crate::definition::OptionType::String => "answerString",
        crate::definition::OptionType::Date => "answerDate",
    }
}
