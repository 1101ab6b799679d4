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
//! let ui = survey_schema::ui_schema::json_forms(&survey, None);
//! assert_eq!(ui["type"], "VerticalLayout");
//! assert_eq!(ui["elements"][1]["scope"], "#/properties/per_day");
//! assert_eq!(ui["elements"][1]["rule"]["effect"], "SHOW");
//! # Ok::<(), survey_schema::Error>(())
//! ```

use serde_json::{Map, Value, json};

use crate::json_schema::LayoutConditions;
use crate::node::{About, AnswerSpec, Item, Shape};
use crate::survey::Survey;

/// The JSON Forms UI schema of the survey, with labels in `locale` (default: the
/// survey's default locale).
#[must_use]
pub fn json_forms(survey: &Survey, locale: Option<&str>) -> Value {
    let ui = Ui {
        survey,
        locale: locale.unwrap_or(survey.default_locale()),
        conditions: crate::json_schema::layout_conditions(survey),
    };
    json!({ "type": "VerticalLayout", "elements": ui.items(&survey.layout) })
}

struct Ui<'a> {
    survey: &'a Survey,
    locale: &'a str,
    /// Per node its effective condition, per section its own, per repeat the layouts of
    /// its fields.
    conditions: LayoutConditions,
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
                    let about = About::of(section.about.as_deref());
                    layout.insert(
                        "label".into(),
                        about
                            .numbered(self.survey.text(&section.title, self.locale))
                            .into(),
                    );
                    // The section's id as its translation key; its note, help and citations
                    // as labels on top.
                    layout.insert("i18n".into(), section.id.clone().into());
                    let mut elements = Vec::new();
                    if let Some(guidance) =
                        self.survey
                            .guidance(Some(about), section.help.as_ref(), self.locale)
                    {
                        elements.push(json!({ "type": "Label", "text": guidance }));
                    }
                    elements.extend(self.items(&section.items));
                    layout.insert("elements".into(), elements.into());
                    if let Some(rule) = rule(self.conditions.sections[s].as_ref()) {
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
        let element = self.bare_element(index, scope);
        self.with_guidance(index, element)
    }

    /// The element with a label before it for the question's note and one after it per
    /// citation, in a layout that takes over the element's rule (the labels are shown and
    /// hidden with their question). The element itself when the question has neither.
    fn with_guidance(&self, index: usize, mut element: Value) -> Value {
        let about = self.survey.nodes[index].about();
        if about.note.is_none() && about.citations.is_empty() {
            return element;
        }
        let label = |text: String| json!({ "type": "Label", "text": text });
        let rule = element.as_object_mut().and_then(|e| e.remove("rule"));
        let mut elements = Vec::new();
        if let Some(note) = &about.note {
            elements.push(label(self.survey.text(note, self.locale).to_owned()));
        }
        elements.push(element);
        for citation in &about.citations {
            elements.push(label(self.survey.citation_line(citation, self.locale)));
        }
        let mut layout = Map::new();
        layout.insert("type".into(), "VerticalLayout".into());
        layout.insert("elements".into(), elements.into());
        if let Some(rule) = rule {
            layout.insert("rule".into(), rule);
        }
        Value::Object(layout)
    }

    fn bare_element(&self, index: usize, scope: String) -> Value {
        let node = &self.survey.nodes[index];
        let condition = self.conditions.nodes[index].as_ref();
        if matches!(node.spec, AnswerSpec::Repeat { .. }) {
            return self.repeat(index, &scope);
        }
        let AnswerSpec::Group { fields, .. } = &node.spec else {
            return control(self.survey, index, scope, self.locale, condition);
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
            node.about()
                .numbered(self.survey.text(&node.title, self.locale))
                .into(),
        );
        element.insert("elements".into(), children.into());
        if node.condition.is_some()
            && let Some(rule) = rule(condition)
        {
            element.insert("rule".into(), rule);
        }
        Value::Object(element)
    }

    /// A repeat: an array control whose `detail` lays out one instance, each field with the
    /// rule that tests the instance. When the fields' conditions test questions outside the
    /// repeat, one such control per combination of those tests' outcomes, each in a layout
    /// shown only under its combination. Rules go on layouts around the array controls, not
    /// on the controls: JSON Forms' vanilla array renderer does not hide itself.
    fn repeat(&self, index: usize, scope: &str) -> Value {
        let node = &self.survey.nodes[index];
        let layouts = &self.conditions.repeats[index];
        let controls: Vec<Value> = layouts
            .iter()
            .map(|layout| {
                let elements: Vec<Value> = layout
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(k, field_condition)| {
                        let field = index + 1 + k;
                        let id = &self.survey.nodes[field].id;
                        let scope = format!("#/properties/{id}");
                        control(
                            self.survey,
                            field,
                            scope,
                            self.locale,
                            field_condition.as_ref(),
                        )
                    })
                    .collect();
                let mut array = control(self.survey, index, scope.to_owned(), self.locale, None);
                if let Value::Object(array) = &mut array {
                    array.insert(
                        "options".into(),
                        json!({ "detail": { "type": "VerticalLayout", "elements": elements } }),
                    );
                }
                shown_when(array, layout.when.as_ref())
            })
            .collect();
        let own = node
            .condition
            .as_ref()
            .and(self.conditions.nodes[index].as_ref());
        match <[Value; 1]>::try_from(controls) {
            Ok([control]) => shown_when(control, own),
            Err(controls) => shown_when(
                json!({ "type": "VerticalLayout", "elements": controls }),
                own,
            ),
        }
    }
}

/// An element inside a vertical layout that is shown only when `condition` holds, or the
/// element itself when it always is.
fn shown_when(element: Value, condition: Option<&Value>) -> Value {
    match rule(condition) {
        Some(rule) => json!({ "type": "VerticalLayout", "elements": [element], "rule": rule }),
        None => element,
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
    control.insert(
        "label".into(),
        node.about()
            .numbered(survey.text(&node.title, locale))
            .into(),
    );
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
