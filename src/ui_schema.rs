//! Survey to a JSON Forms UI schema: what JSON Forms needs beyond the JSON Schema.
//!
//! A vertical layout with one control per question in survey order (a group question as a
//! group layout of its fields), labels in the chosen locale, and for each conditional question
//! a `SHOW` rule whose condition is its effective condition: the same schema as the `if` of
//! its block in the generated JSON Schema, evaluated on the whole form data (`scope: "#"`),
//! with `failWhenUndefined: true`.
//!
//! ```
//! use survey_schema::Survey;
//! let survey = Survey::from_yaml(r#"
//! id: demo
//! version: "1"
//! default_locale: en
//! title: Demo
//! questions:
//!   - { id: smoker, type: boolean, title: Do you smoke? }
//!   - { id: per_day, type: integer, title: How many?, enable_when: { question: smoker, equals: true } }
//! "#)?;
//! let ui = survey.json_forms_ui_schema(None);
//! assert_eq!(ui["type"], "VerticalLayout");
//! assert_eq!(ui["elements"][1]["scope"], "#/properties/per_day");
//! assert_eq!(ui["elements"][1]["rule"]["effect"], "SHOW");
//! # Ok::<(), survey_schema::Error>(())
//! ```

use serde_json::{Map, Value, json};

use crate::node::AnswerSpec;
use crate::survey::Survey;

impl Survey {
    /// The JSON Forms UI schema of the survey, with labels in `locale` (default: the
    /// survey's default locale).
    #[must_use]
    pub fn json_forms_ui_schema(&self, locale: Option<&str>) -> Value {
        let locale = locale.unwrap_or(self.default_locale());
        let conditions = crate::json_schema::effective_conditions(self);
        let element = |index: usize, scope: String| -> Value {
            let node = &self.nodes[index];
            let mut element = Map::new();
            let label = self.text(&node.title, locale);
            match &node.spec {
                AnswerSpec::Group { fields, .. } => {
                    element.insert("type".into(), "Group".into());
                    element.insert("label".into(), label.into());
                    let children: Vec<Value> = fields
                        .iter()
                        .map(|&field| {
                            let id = &self.nodes[field].id;
                            control(
                                self,
                                field,
                                format!("{scope}/properties/{id}"),
                                locale,
                                conditions[field].as_ref(),
                            )
                        })
                        .collect();
                    element.insert("elements".into(), children.into());
                    if let Some(rule) = rule(conditions[index].as_ref()) {
                        element.insert("rule".into(), rule);
                    }
                    Value::Object(element)
                }
                _ => control(self, index, scope, locale, conditions[index].as_ref()),
            }
        };
        let elements: Vec<Value> = self
            .roots
            .iter()
            .map(|&index| element(index, format!("#/properties/{}", self.nodes[index].id)))
            .collect();
        json!({ "type": "VerticalLayout", "elements": elements })
    }
}

/// One control. A field inherits its group's rule through the group layout, so a control
/// carries a rule only when its question has a condition of its own.
fn control(
    survey: &Survey,
    index: usize,
    scope: String,
    locale: &str,
    condition: Option<&Value>,
) -> Value {
    let node = &survey.nodes[index];
    let mut control = Map::new();
    control.insert("type".into(), "Control".into());
    control.insert("scope".into(), scope.into());
    control.insert("label".into(), survey.text(&node.title, locale).into());
    if matches!(node.spec, AnswerSpec::MultipleChoice { .. }) {
        control.insert("options".into(), json!({ "format": "checkbox" }));
    }
    if node.condition.is_some()
        && let Some(rule) = rule(condition)
    {
        control.insert("rule".into(), rule);
    }
    Value::Object(control)
}

fn rule(condition: Option<&Value>) -> Option<Value> {
    condition.map(|schema| {
        json!({
            "effect": "SHOW",
            "condition": { "scope": "#", "schema": schema, "failWhenUndefined": true }
        })
    })
}
