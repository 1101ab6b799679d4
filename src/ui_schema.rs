//! Survey to a JSON Forms UI schema: what JSON Forms needs beyond the JSON Schema.
//!
//! A vertical layout with one control per question in survey order (a section, a group, a
//! matrix and a table as group layouts; a table row as a group of its cells side by side),
//! labels in the chosen locale, and for each conditional question
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

use crate::node::{AnswerSpec, Item, Shape};
use crate::survey::Survey;

impl Survey {
    /// The JSON Forms UI schema of the survey, with labels in `locale` (default: the
    /// survey's default locale).
    #[must_use]
    pub fn json_forms_ui_schema(&self, locale: Option<&str>) -> Value {
        let (conditions, sections) = crate::json_schema::layout_conditions(self);
        let ui = Ui {
            survey: self,
            locale: locale.unwrap_or(self.default_locale()),
            conditions,
            sections,
        };
        json!({ "type": "VerticalLayout", "elements": ui.items(&self.layout) })
    }
}

struct Ui<'a> {
    survey: &'a Survey,
    locale: &'a str,
    /// Per node, its effective condition as a schema.
    conditions: Vec<Option<Value>>,
    /// Per section, its own condition as a schema.
    sections: Vec<Option<Value>>,
}

impl Ui<'_> {
    /// The elements of a level of the layout: sections as group layouts.
    fn items(&self, items: &[Item]) -> Vec<Value> {
        items
            .iter()
            .map(|item| match *item {
                Item::Node(index) => {
                    let id = &self.survey.nodes[index].id;
                    self.element(index, format!("#/properties/{id}"))
                }
                Item::Section(s) => {
                    let section = &self.survey.sections[s];
                    let mut layout = Map::new();
                    layout.insert("type".into(), "Group".into());
                    layout.insert(
                        "label".into(),
                        self.survey.text(&section.title, self.locale).into(),
                    );
                    // The section's id as its translation key; its help as a label on top.
                    layout.insert("i18n".into(), section.id.clone().into());
                    let mut elements = Vec::new();
                    if let Some(help) = &section.help {
                        let text = self.survey.text(help, self.locale);
                        elements.push(json!({ "type": "Label", "text": text }));
                    }
                    elements.extend(self.items(&section.items));
                    layout.insert("elements".into(), elements.into());
                    if let Some(rule) = rule(self.sections[s].as_ref()) {
                        layout.insert("rule".into(), rule);
                    }
                    Value::Object(layout)
                }
            })
            .collect()
    }

    /// A node's element: a control, or for a group, matrix or table a group layout of its
    /// fields or rows (a table row lays its cells out side by side).
    fn element(&self, index: usize, scope: String) -> Value {
        let node = &self.survey.nodes[index];
        let AnswerSpec::Group { fields, .. } = &node.spec else {
            return control(
                self.survey,
                index,
                scope,
                self.locale,
                self.conditions[index].as_ref(),
            );
        };
        let children: Vec<Value> = fields
            .iter()
            .map(|&field| {
                let id = &self.survey.nodes[field].id;
                self.element(field, format!("{scope}/properties/{id}"))
            })
            .collect();
        let children = if node.shape == Shape::Row {
            vec![json!({ "type": "HorizontalLayout", "elements": children })]
        } else {
            children
        };
        let mut element = Map::new();
        element.insert("type".into(), "Group".into());
        element.insert(
            "label".into(),
            self.survey.text(&node.title, self.locale).into(),
        );
        element.insert("elements".into(), children.into());
        if node.condition.is_some()
            && let Some(rule) = rule(self.conditions[index].as_ref())
        {
            element.insert("rule".into(), rule);
        }
        Value::Object(element)
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
