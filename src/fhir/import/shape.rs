//! The JSON shape of a Questionnaire, checked before it is read: every element the importer
//! reads has the JSON type FHIR gives it, or the import is refused at its path. Without this
//! pass an `item` written as an object would read as no items at all.

use serde_json::Value;

use super::Importer;
use crate::fhir::{FhirProblemCode, type_name};

/// Elements of an item that FHIR gives as lists of elements.
const LISTS: &[&str] = &[
    "item",
    "answerOption",
    "enableWhen",
    "extension",
    "initial",
    "code",
];
/// Elements of an item that are strings (codes, ids, texts).
const STRINGS: &[&str] = &[
    "linkId",
    "type",
    "text",
    "enableBehavior",
    "prefix",
    "definition",
    "disabledDisplay",
    "answerConstraint",
];
/// Elements of an item that are booleans.
const BOOLEANS: &[&str] = &["required", "repeats", "readOnly"];

/// Items nested deeper than this are not walked here; the reader refuses them as too deep.
const MAX_WALK: usize = 64;

impl Importer {
    /// Checks the shape of a Questionnaire; `false` when anything has the wrong JSON type.
    pub(super) fn shape(&mut self, questionnaire: &Value) -> bool {
        let before = self.problem_count();
        for key in ["item", "extension"] {
            self.list_of_objects(questionnaire, key, "Questionnaire");
        }
        for key in [
            "title",
            "name",
            "id",
            "url",
            "version",
            "language",
            "status",
            "description",
        ] {
            self.string(questionnaire, key, "Questionnaire");
        }
        // Children are pushed last first, so that problems come in document order.
        let mut stack: Vec<(&Value, String, usize)> = items(questionnaire)
            .rev()
            .map(|(i, item)| (item, format!("Questionnaire.item[{i}]"), 1))
            .collect();
        while let Some((item, at, depth)) = stack.pop() {
            for key in LISTS {
                self.list_of_objects(item, key, &at);
            }
            for key in STRINGS {
                self.string(item, key, &at);
            }
            for key in BOOLEANS {
                if let Some(value) = item.get(*key)
                    && !value.is_boolean()
                {
                    self.wrong_type(&format!("{at}.{key}"), "a boolean", value);
                }
            }
            if let Some(value) = item.get("maxLength")
                && !value.is_i64()
            {
                self.wrong_type(&format!("{at}.maxLength"), "an integer", value);
            }
            for (j, option) in objects(item, "answerOption") {
                self.list_of_objects(option, "extension", &format!("{at}.answerOption[{j}]"));
            }
            if depth < MAX_WALK {
                stack.extend(
                    items(item).map(|(i, child)| (child, format!("{at}.item[{i}]"), depth + 1)),
                );
            }
        }
        self.problem_count() == before
    }

    fn list_of_objects(&mut self, element: &Value, key: &str, at: &str) {
        let Some(value) = element.get(key) else {
            return;
        };
        let path = format!("{at}.{key}");
        match value.as_array() {
            None => self.wrong_type(&path, "an array", value),
            Some(list) => {
                if let Some((i, other)) = list.iter().enumerate().find(|(_, v)| !v.is_object()) {
                    self.wrong_type(&format!("{path}[{i}]"), "an object", other);
                }
            }
        }
    }

    fn string(&mut self, element: &Value, key: &str, at: &str) {
        if let Some(value) = element.get(key)
            && !value.is_string()
        {
            self.wrong_type(&format!("{at}.{key}"), "a string", value);
        }
    }

    fn wrong_type(&mut self, path: &str, expected: &str, found: &Value) {
        self.problem(
            FhirProblemCode::InvalidElement,
            path,
            format!("must be {expected}, not {}", type_name(found)),
        );
    }
}

/// The objects of the list under `key`, with their places in it.
fn objects<'v>(
    element: &'v Value,
    key: &str,
) -> impl DoubleEndedIterator<Item = (usize, &'v Value)> {
    crate::fhir::list(element, key)
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_object())
}

fn items(element: &Value) -> impl DoubleEndedIterator<Item = (usize, &Value)> {
    objects(element, "item")
}
