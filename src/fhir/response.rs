//! An answer set to a FHIR `QuestionnaireResponse`, and back.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::items::{Answer, Catalogue};
use super::{Error, FhirProblem, FhirProblemCode, type_name};
use crate::definition::{OptionType, QuestionDef, QuestionKind, SurveyDefinition};

/// The answer set as a `QuestionnaireResponse` of the definition's Questionnaire: one item per
/// answered question (groups, sections, matrices, tables and repeat instances as group items
/// holding their fields), choices as `valueCoding`, a specify box inside the answer of its
/// choice. `partial` writes status `in-progress`, else `completed`.
///
/// # Errors
///
/// A [`FhirProblem`] for each answer FHIR cannot hold (`null`, an object or an array where a
/// value belongs).
pub(crate) fn response(
    def: &SurveyDefinition,
    answers: &Value,
    partial: bool,
) -> Result<Value, Error> {
    let catalogue = Catalogue::new(def);
    let mut writer = Writer {
        catalogue: &catalogue,
        problems: Vec::new(),
    };
    let Some(map) = answers.as_object() else {
        return Err(Error::new(vec![FhirProblem {
            code: FhirProblemCode::NotAnObject,
            path: String::new(),
            message: "the answer set must be a JSON object keyed by question id".into(),
        }]));
    };
    let mut used = Vec::new();
    let mut items = writer.items(&def.questions, None, map, "", &mut used);
    for (key, value) in map {
        if !used.contains(key) {
            items.push(writer.unknown(key, value, &format!("/{key}")));
        }
    }
    if !writer.problems.is_empty() {
        return Err(Error::new(writer.problems));
    }
    without_empty_lists(&mut items);
    let url = def
        .fhir
        .as_ref()
        .and_then(|f| f.url.clone())
        .unwrap_or_else(|| format!("urn:survey-schema:{}", def.id));
    let mut response = json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": format!("{url}|{}", def.version),
        "status": if partial { "in-progress" } else { "completed" },
    });
    if !items.is_empty() {
        response["item"] = Value::Array(items);
    }
    Ok(response)
}

/// The answer set without its empty answers (`[]` and `{}` at any depth, and what emptying
/// them leaves empty), and the JSON Pointer of each: what a response made of it reads back as.
/// `None` when it has none.
pub(crate) fn without_empty_answers(answers: &Value) -> Option<(Value, Vec<String>)> {
    fn strip(value: &Value, pointer: &str, removed: &mut Vec<String>) -> Option<Value> {
        let kept = match value {
            Value::Object(map) => {
                let kept: Map<String, Value> = map
                    .iter()
                    .filter_map(|(k, v)| {
                        let at = format!("{pointer}/{}", crate::json::pointer_token(k));
                        Some((k.clone(), strip(v, &at, removed)?))
                    })
                    .collect();
                (!kept.is_empty()).then_some(Value::Object(kept))
            }
            Value::Array(items) => {
                let kept: Vec<Value> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| strip(v, &format!("{pointer}/{i}"), removed))
                    .collect();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            other => return Some(other.clone()),
        };
        if kept.is_none() {
            removed.push(pointer.to_owned());
        }
        kept
    }
    let object = answers.as_object()?;
    let mut removed = Vec::new();
    let kept: Map<String, Value> = object
        .iter()
        .filter_map(|(k, v)| {
            let at = format!("/{}", crate::json::pointer_token(k));
            Some((k.clone(), strip(v, &at, &mut removed)?))
        })
        .collect();
    // An emptied container stands for the empty answers inside it.
    let outermost: Vec<String> = removed
        .iter()
        .filter(|r| {
            !removed.iter().any(|outer| {
                r.len() > outer.len()
                    && r.starts_with(outer.as_str())
                    && r.as_bytes()[outer.len()] == b'/'
            })
        })
        .cloned()
        .collect();
    (!outermost.is_empty()).then(|| (Value::Object(kept), outermost))
}

/// FHIR JSON has no empty arrays: an `answer` or `item` list with nothing in it is left out,
/// and so is an item left with nothing but its `linkId` (an empty multiple choice, a repeat
/// instance or group with no answers), which is how such an answer reads back: unanswered.
fn without_empty_lists(list: &mut Vec<Value>) {
    for entry in list.iter_mut() {
        let Some(map) = entry.as_object_mut() else {
            continue;
        };
        for key in ["answer", "item"] {
            if let Some(Value::Array(inner)) = map.get_mut(key) {
                without_empty_lists(inner);
                if inner.is_empty() {
                    map.remove(key);
                }
            }
        }
    }
    list.retain(|entry| {
        entry
            .as_object()
            .is_none_or(|map| map.keys().any(|k| k != "linkId"))
    });
}

struct Writer<'c, 'd> {
    catalogue: &'c Catalogue<'d>,
    problems: Vec<FhirProblem>,
}

impl Writer<'_, '_> {
    fn items(
        &mut self,
        questions: &[QuestionDef],
        owner: Option<&str>,
        answers: &Map<String, Value>,
        pointer: &str,
        used: &mut Vec<String>,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        for q in questions {
            let key = owner.map_or_else(|| q.id.clone(), |o| format!("{o}.{}", q.id));
            let link = self.catalogue.link_id(&key);
            if q.kind == QuestionKind::Section {
                let children = self.items(
                    q.questions.as_deref().unwrap_or_default(),
                    owner,
                    answers,
                    pointer,
                    used,
                );
                if !children.is_empty() {
                    out.push(json!({ "linkId": link, "item": children }));
                }
                continue;
            }
            let Some(value) = answers.get(&q.id) else {
                continue;
            };
            used.push(q.id.clone());
            let here = format!("{pointer}/{}", q.id);
            match (q.kind, value) {
                (QuestionKind::Group, Value::Object(fields)) => {
                    let mut inner = Vec::new();
                    let children = self.items(
                        q.fields.as_deref().unwrap_or_default(),
                        Some(&key),
                        fields,
                        &here,
                        &mut inner,
                    );
                    let mut children = children;
                    for (k, v) in fields {
                        if !inner.contains(k) {
                            children.push(self.unknown(k, v, &format!("{here}/{k}")));
                        }
                    }
                    if !children.is_empty() {
                        out.push(json!({ "linkId": link, "item": children }));
                    }
                }
                (QuestionKind::Repeat, Value::Array(instances)) => {
                    for (i, instance) in instances.iter().enumerate() {
                        let at = format!("{here}/{i}");
                        let Some(fields) = instance.as_object() else {
                            self.cannot(&at, "an instance that is not an object");
                            continue;
                        };
                        let mut inner = Vec::new();
                        let mut children = self.items(
                            q.fields.as_deref().unwrap_or_default(),
                            Some(&key),
                            fields,
                            &at,
                            &mut inner,
                        );
                        for (k, v) in fields {
                            if !inner.contains(k) {
                                children.push(self.unknown(k, v, &format!("{at}/{k}")));
                            }
                        }
                        out.push(json!({ "linkId": link, "item": children }));
                    }
                }
                (QuestionKind::Matrix, Value::Object(rows)) => {
                    let mut children = Vec::new();
                    for (row, v) in rows {
                        let row_key = format!("{key}.{row}");
                        let at = format!("{here}/{row}");
                        if self.catalogue.items.contains_key(&row_key) {
                            let answers = self.answers(&row_key, v, &at);
                            children.push(json!({ "linkId": self.catalogue.link_id(&row_key), "answer": answers }));
                        } else {
                            children.push(self.unknown(row, v, &at));
                        }
                    }
                    if !children.is_empty() {
                        out.push(json!({ "linkId": link, "item": children }));
                    }
                }
                (QuestionKind::Table, Value::Object(rows)) => {
                    let mut children = Vec::new();
                    for (row, cells) in rows {
                        let row_key = format!("{key}.{row}");
                        let at = format!("{here}/{row}");
                        match (self.catalogue.items.contains_key(&row_key), cells) {
                            (true, Value::Object(cells)) => {
                                let mut inner = Vec::new();
                                let mut cell_items = self.items(
                                    q.columns.as_deref().unwrap_or_default(),
                                    Some(&row_key),
                                    cells,
                                    &at,
                                    &mut inner,
                                );
                                for (k, v) in cells {
                                    if !inner.contains(k) {
                                        cell_items.push(self.unknown(k, v, &format!("{at}/{k}")));
                                    }
                                }
                                if !cell_items.is_empty() {
                                    children.push(json!({ "linkId": self.catalogue.link_id(&row_key), "item": cell_items }));
                                }
                            }
                            (true, _) => self.cannot(&at, "a table row that is not an object"),
                            (false, v) => children.push(self.unknown(row, v, &at)),
                        }
                    }
                    if !children.is_empty() {
                        out.push(json!({ "linkId": link, "item": children }));
                    }
                }
                (
                    QuestionKind::Group
                    | QuestionKind::Repeat
                    | QuestionKind::Matrix
                    | QuestionKind::Table,
                    _,
                ) => {
                    self.cannot(
                        &here,
                        "a group answer that is not an object (an array for a repeat)",
                    );
                }
                _ => {
                    let mut item = Map::new();
                    item.insert("linkId".into(), json!(link));
                    let mut answer_list = self.answers(&key, value, &here);
                    // Specify boxes go inside the answer of their choice.
                    for choice in q.choices.iter().flatten() {
                        let Some(specify) = &choice.specify else {
                            continue;
                        };
                        let Some(text) = answers.get(&specify.id) else {
                            continue;
                        };
                        used.push(specify.id.clone());
                        let specify_key = owner
                            .map_or_else(|| specify.id.clone(), |o| format!("{o}.{}", specify.id));
                        let child = json!({
                            "linkId": self.catalogue.link_id(&specify_key),
                            "answer": self.answers(&specify_key, text, &format!("{pointer}/{}", specify.id)),
                        });
                        let coding = self.catalogue.coding(&key, &choice.value);
                        let holder = answer_list
                            .iter_mut()
                            .find(|a| a.get("valueCoding").is_some_and(|c| coding.matches(c)));
                        match holder {
                            Some(Value::Object(a)) => a
                                .entry("item")
                                .or_insert_with(|| json!([]))
                                .as_array_mut()
                                .map(|list| list.push(child))
                                .unwrap_or_default(),
                            _ => {
                                // Not picked: kept beside the answers, so that the check
                                // reports it as answered while disabled.
                                item.entry("item")
                                    .or_insert_with(|| json!([]))
                                    .as_array_mut()
                                    .map(|list| list.push(child))
                                    .unwrap_or_default();
                            }
                        }
                    }
                    item.insert("answer".into(), Value::Array(answer_list));
                    out.push(Value::Object(item));
                }
            }
        }
        out
    }

    fn cannot(&mut self, pointer: &str, what: &str) {
        self.problems.push(FhirProblem {
            code: FhirProblemCode::Unrepresentable,
            path: pointer.to_owned(),
            message: crate::quote::message(format!(
                "{what} cannot be written in a QuestionnaireResponse"
            )),
        });
    }

    /// An answer key the survey does not know: written by its JSON type.
    fn unknown(&mut self, key: &str, value: &Value, pointer: &str) -> Value {
        let answers = self.answers("", value, pointer);
        json!({ "linkId": key, "answer": answers })
    }

    /// The `answer` list of a value.
    fn answers(&mut self, key: &str, value: &Value, pointer: &str) -> Vec<Value> {
        let info = self.catalogue.items.get(key);
        let answer = info.map(|i| i.answer);
        if let (Some(Answer::Choice { multiple: true }), Value::Array(values)) = (answer, value) {
            return values
                .iter()
                .filter_map(|v| self.one(key, v, pointer))
                .collect();
        }
        self.one(key, value, pointer).into_iter().collect()
    }

    fn one(&mut self, key: &str, value: &Value, pointer: &str) -> Option<Value> {
        let info = self.catalogue.items.get(key);
        let answer = info.map(|i| i.answer);
        if value.as_str() == Some("") {
            // FHIR strings are never empty.
            self.cannot(pointer, "an empty text");
            return None;
        }
        Some(match (answer, value) {
            (Some(Answer::Choice { .. }), Value::String(v)) => {
                if let Some(t) = info.and_then(|i| i.option_type) {
                    let original = self.catalogue.coding(key, v);
                    let value = super::export::option_value(t, original.text());
                    let name = super::export::option_type_name(t);
                    json!({ format!("value{name}"): value })
                } else {
                    json!({ "valueCoding": self.catalogue.coding(key, v).json() })
                }
            }
            (Some(Answer::Date), Value::String(v))
                if v.len() == 10 && crate::date::parse_date(v).is_some() =>
            {
                json!({ "valueDate": v })
            }
            (_, Value::Bool(b)) => json!({ "valueBoolean": b }),
            (_, Value::String(s)) => json!({ "valueString": s }),
            (Some(Answer::Number), Value::Number(n)) => json!({ "valueDecimal": n }),
            (_, Value::Number(n)) if n.is_i64() || n.is_u64() => {
                json!({ super::export::value_key("valueInteger", n): n })
            }
            (_, Value::Number(n)) => json!({ "valueDecimal": n }),
            (_, _) => {
                self.cannot(pointer, &format!("`{}`", kind_of(value)));
                return None;
            }
        })
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        _ => "a value",
    }
}

/// A `QuestionnaireResponse` read as an answer set.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Converted {
    /// The answer set.
    pub answers: Value,
    /// The response's status is `in-progress`: validate it as a draft.
    pub partial: bool,
    /// JSON Pointer of an answer -> where it is in the response
    /// (`QuestionnaireResponse.item[2].item[0]`).
    pub paths: BTreeMap<String, String>,
}

impl Converted {
    /// Where a JSON Pointer of the answer set is in the response: its own item, else the
    /// nearest item above it, else the response.
    #[must_use]
    pub fn locate(&self, pointer: &str) -> String {
        let mut at = pointer;
        loop {
            if let Some(path) = self.paths.get(at) {
                return path.clone();
            }
            match at.rfind('/') {
                Some(i) => at = &at[..i],
                None => return "QuestionnaireResponse".into(),
            }
        }
    }
}

/// Reads a `QuestionnaireResponse` as an answer set of the definition: items by linkId (the
/// original ones of an imported form), codings by code (and system, when both sides have one).
/// An item the survey does not know keeps its linkId as the answer key, so that validation
/// reports it; a group with no answered item is left out, as FHIR counts it unanswered.
///
/// # Errors
///
/// A [`FhirProblem`] when the resource is not a `QuestionnaireResponse`, or its items nest
/// deeper than any survey's.
pub(crate) fn answers_from_response(
    def: &SurveyDefinition,
    qr: &Value,
) -> Result<Converted, Error> {
    if qr.get("resourceType").and_then(Value::as_str) != Some("QuestionnaireResponse") {
        return Err(Error::new(vec![FhirProblem {
            code: FhirProblemCode::NotAResponse,
            path: "resourceType".into(),
            message: "the resource is not a FHIR QuestionnaireResponse".into(),
        }]));
    }
    let catalogue = Catalogue::new(def);
    let mut reader = Reader {
        catalogue: &catalogue,
        paths: BTreeMap::new(),
        problems: Vec::new(),
    };
    if let Some(status) = qr.get("status")
        && !status.is_string()
    {
        reader.malformed("QuestionnaireResponse.status", "a code (string)", status);
    }
    let mut answers = Map::new();
    let items = reader.list(qr, "item", "QuestionnaireResponse");
    reader.items(items, &mut answers, "", "QuestionnaireResponse");
    if !reader.problems.is_empty() {
        return Err(Error::new(reader.problems));
    }
    Ok(Converted {
        answers: Value::Object(answers),
        partial: qr.get("status").and_then(Value::as_str) == Some("in-progress"),
        paths: reader.paths,
    })
}

struct Reader<'c, 'd> {
    catalogue: &'c Catalogue<'d>,
    paths: BTreeMap<String, String>,
    /// What the response is refused for: elements of the wrong shape, items given twice,
    /// nesting past any survey's.
    problems: Vec<FhirProblem>,
}

/// The deepest nesting of items read from a response (a survey's nest at most 16 deep).
const MAX_NESTING: usize = 20;

impl Reader<'_, '_> {
    fn problem(&mut self, code: FhirProblemCode, path: String, message: String) {
        self.problems.push(FhirProblem {
            code,
            path,
            message: crate::quote::message(message),
        });
    }

    fn malformed(&mut self, path: &str, expected: &str, found: &Value) {
        self.problem(
            FhirProblemCode::InvalidElement,
            path.to_owned(),
            format!("must be {expected}, not {}", type_name(found)),
        );
    }

    /// The list under `key` of an element: an array of objects, or a problem at its path.
    fn list<'v>(&mut self, element: &'v Value, key: &str, at: &str) -> &'v [Value] {
        let Some(value) = element.get(key) else {
            return &[];
        };
        let path = format!("{at}.{key}");
        let Some(items) = value.as_array() else {
            self.malformed(&path, "an array of objects", value);
            return &[];
        };
        if let Some((i, item)) = items.iter().enumerate().find(|(_, v)| !v.is_object()) {
            self.malformed(&format!("{path}[{i}]"), "an object", item);
            return &[];
        }
        items
    }

    fn items(&mut self, items: &[Value], into: &mut Map<String, Value>, pointer: &str, at: &str) {
        if at.matches(".item[").count() >= MAX_NESTING {
            if !self
                .problems
                .iter()
                .any(|p| p.code == FhirProblemCode::TooDeep)
            {
                self.problem(
                    FhirProblemCode::TooDeep,
                    at.to_owned(),
                    format!("items nest deeper than {MAX_NESTING} levels"),
                );
            }
            return;
        }
        let mut given: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let here = format!("{at}.item[{i}]");
            let link = match item.get("linkId") {
                Some(Value::String(link)) => link.as_str(),
                Some(other) => {
                    self.malformed(&format!("{here}.linkId"), "a string", other);
                    continue;
                }
                None => {
                    self.problem(
                        FhirProblemCode::MissingLinkId,
                        here,
                        "the item has no `linkId`".into(),
                    );
                    continue;
                }
            };
            let key = self.catalogue.keys.get(link).cloned();
            let found = key.as_ref().and_then(|k| self.catalogue.items.get(k));
            let answer_kind = found.map(|i| i.answer);
            // Only a repeat's instances are several items with one linkId.
            if answer_kind != Some(Answer::Count)
                && let Some(first) = given.insert(link, i)
            {
                self.problem(
                    FhirProblemCode::RepeatedItem,
                    here,
                    format!(
                        "item `{link}` does not repeat but is given twice (first at `{at}.item[{first}]`)"
                    ),
                );
                continue;
            }
            let name = key
                .as_deref()
                .map_or(link, |k| k.rsplit('.').next().unwrap_or(k))
                .to_owned();
            let children = self.list(item, "item", &here);
            let answers = self.list(item, "answer", &here);
            let target = format!("{pointer}/{}", escape(&name));
            match answer_kind {
                Some(Answer::Section) => self.items(children, into, pointer, &here),
                Some(Answer::Group) if answers.is_empty() => {
                    let mut inner = Map::new();
                    self.items(children, &mut inner, &target, &here);
                    if !inner.is_empty() {
                        self.paths.entry(target).or_insert(here);
                        into.insert(name, Value::Object(inner));
                    }
                }
                Some(Answer::Count) if answers.is_empty() => {
                    let mut instances = match into.remove(&name) {
                        Some(Value::Array(list)) => list,
                        _ => Vec::new(),
                    };
                    let at_instance = format!("{target}/{}", instances.len());
                    let mut inner = Map::new();
                    self.items(children, &mut inner, &at_instance, &here);
                    if !inner.is_empty() {
                        self.paths.insert(at_instance, here.clone());
                        instances.push(Value::Object(inner));
                    }
                    if !instances.is_empty() {
                        self.paths.entry(target).or_insert(here);
                        into.insert(name, Value::Array(instances));
                    }
                }
                answer => {
                    let key = key.unwrap_or_default();
                    let mut values = Vec::new();
                    for (j, a) in answers.iter().enumerate() {
                        let at_answer = format!("{here}.answer[{j}]");
                        values.push(self.value(&key, a, &at_answer));
                        let nested = self.list(a, "item", &at_answer);
                        self.items(nested, into, pointer, &at_answer);
                    }
                    // Specify boxes written beside the answers.
                    if answer.is_some() && !matches!(answer, Some(Answer::Group | Answer::Count)) {
                        self.items(children, into, pointer, &here);
                    }
                    let value = match (answer, values.len()) {
                        (_, 0) if answer.is_some() => continue,
                        (Some(Answer::Choice { multiple: true }), _) => Value::Array(values),
                        (_, 1) => values.remove(0),
                        (None, 0) => Value::Object(Map::new()),
                        _ => Value::Array(values),
                    };
                    self.paths.insert(target, here);
                    into.insert(name, value);
                }
            }
        }
    }

    fn value(&mut self, key: &str, answer: &Value, at: &str) -> Value {
        let info = self.catalogue.items.get(key);
        let mut values = answer
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.starts_with("value"));
        let Some((name, value)) = values.next() else {
            return Value::Null;
        };
        if let Some((other, _)) = values.next() {
            self.problem(
                FhirProblemCode::InvalidElement,
                at.to_owned(),
                format!("an answer holds one `value[x]`, not both `{name}` and `{other}`"),
            );
            return Value::Null;
        }
        let choice = matches!(info.map(|i| i.answer), Some(Answer::Choice { .. }));
        match (name.as_str(), choice) {
            ("valueCoding", true) => {
                if let Some(choice) = self.catalogue.value_of_coding(key, value) {
                    return Value::String(choice);
                }
                // Not an option: `system|code` (or the display), which no choice value is.
                let field = |name: &str| value.get(name).and_then(Value::as_str);
                let code = field("code")
                    .or_else(|| field("display"))
                    .unwrap_or_default();
                Value::String(match field("system") {
                    Some(system) => format!("{system}|{code}"),
                    None => code.to_owned(),
                })
            }
            ("valueString" | "valueInteger" | "valueDate", true)
                if info.is_some_and(|i| i.option_type.is_some()) =>
            {
                let code = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                let expected = self.catalogue.value_of_option(key, &code);
                match (expected, info.and_then(|i| i.option_type), name.as_str()) {
                    (Some(choice), Some(OptionType::Integer), "valueInteger")
                    | (Some(choice), Some(OptionType::String), "valueString")
                    | (Some(choice), Some(OptionType::Date), "valueDate") => Value::String(choice),
                    _ => value.clone(),
                }
            }
            _ => value.clone(),
        }
    }
}

/// A JSON Pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
