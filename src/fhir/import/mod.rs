//! A FHIR Questionnaire (R4 or R5 JSON) to a survey definition.
//!
//! What the survey format carries is carried; everything else is a [`FhirProblem`] with the
//! location in the Questionnaire, and the import fails: nothing is dropped in silence, except
//! what only presents or prefills a form (item controls, orientation, option prefixes, scores,
//! `initial` values, item codes), as `docs/fhir.md` lists.

mod conditions;
mod parts;
mod shape;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::items::Answer;
use super::{
    CONSTRAINT, ENABLE_WHEN_EXPRESSION, Error, FALSE_LABEL, FORMAT, FhirProblem, FhirProblemCode,
    INFERRED, ITEM_CONTROL, KIND, MAX_OCCURS, MAX_VALUE, MIN_LENGTH, MIN_OCCURS, MIN_VALUE, REGEX,
    TRANSLATION, TRUE_LABEL, extensions, list,
};
use crate::definition::{FhirDef, QuestionDef, QuestionKind, ReferenceDef, SurveyDefinition, Text};

use crate::definition::MAX_QUESTION_NESTING;

/// Extensions that only present or prefill a form: read past.
const PRESENTATION: &[&str] = &[
    ITEM_CONTROL,
    "http://hl7.org/fhir/StructureDefinition/questionnaire-choiceOrientation",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-displayCategory",
    "http://hl7.org/fhir/StructureDefinition/entryFormat",
    "http://hl7.org/fhir/StructureDefinition/rendering-style",
    "http://hl7.org/fhir/StructureDefinition/rendering-xhtml",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-optionPrefix",
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-supportLink",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-sliderStepValue",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-shortText",
];

/// Item keys read (or read past, as presentation and prefill).
const ITEM_KEYS: &[&str] = &[
    "linkId",
    "text",
    "_text",
    "type",
    "required",
    "repeats",
    "maxLength",
    "answerOption",
    "enableWhen",
    "enableBehavior",
    "item",
    "extension",
    "prefix",
    "code",
    "initial",
    "disabledDisplay",
    "answerConstraint",
    "readOnly",
    "definition",
    "id",
];

/// Reads a Questionnaire into a survey definition.
///
/// # Errors
///
/// Every [`FhirProblem`] found: a resource that is not a Questionnaire, an item type, an
/// extension or a `FHIRPath` expression the format cannot carry, several `enableWhen` without
/// `enableBehavior` (que-12), an option the item cannot have, ... The result still has to pass
/// the survey checks ([`Survey::from_definition`](crate::Survey::from_definition)), which refuse
/// forward references among others.
pub fn import(questionnaire: &Value) -> Result<SurveyDefinition, Error> {
    let mut importer = Importer::default();
    let def = importer.run(questionnaire);
    match def {
        Some(def) if importer.problems.is_empty() => Ok(def),
        _ => Err(Error::new(importer.problems)),
    }
}

/// An expression to read once every item is known: the key of its item, the expression, the
/// table row a cell's condition names `{column}` in, and its location.
type Pending = (String, String, Option<String>, String);

/// A rule to read once every item is known: the constraint extension, the repeat (`false`) or
/// table row (`true`) it is checked in, and its location.
type Constraint = (Value, Option<(String, bool)>, String);

#[derive(Default)]
pub(super) struct Importer {
    problems: Vec<FhirProblem>,
    locales: BTreeSet<String>,
    default_locale: String,
    /// linkId -> key (`Q`, `G.f`, `T.r.c`).
    keys: HashMap<String, String>,
    /// Ids taken per owner key ("" for the top level).
    taken: HashMap<String, HashSet<String>>,
    mapping: FhirDef,
    /// Conditions written as `FHIRPath`, read once every item is known: key, expression, scope
    /// (the table row of a cell), location.
    expressions: Vec<Pending>,
    /// Rules: constraint extension, scope owner (repeat or table row key), location.
    constraints: Vec<Constraint>,
    references: BTreeMap<String, ReferenceDef>,
    /// enableWhen lists read once every item is known: key, list, enableBehavior, location.
    enable_whens: Vec<(String, Value, Option<String>, String)>,
    /// What each key answers, for reading conditions on it.
    answers: HashMap<String, Answer>,
    /// How many lists of questions the item being read is inside.
    lists: usize,
}

impl Importer {
    pub(super) fn problem(
        &mut self,
        code: FhirProblemCode,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(FhirProblem {
            code,
            path: path.into(),
            message: crate::quote::message(message.into()),
        });
    }

    pub(super) fn problem_count(&self) -> usize {
        self.problems.len()
    }

    pub(super) fn run(&mut self, q: &Value) -> Option<SurveyDefinition> {
        if q.get("resourceType").and_then(Value::as_str) != Some("Questionnaire") {
            self.problem(
                FhirProblemCode::NotAQuestionnaire,
                "resourceType",
                "the resource is not a FHIR Questionnaire",
            );
            return None;
        }
        if !self.shape(q) {
            return None;
        }
        self.default_locale.clear();
        self.default_locale.push_str(
            q.get("language")
                .and_then(Value::as_str)
                .map_or("en", |l| l.split('-').next().unwrap_or(l)),
        );
        self.locales.insert(self.default_locale.clone());
        let mut survey_inferred = crate::definition::Inferred::new();
        for (i, ext) in list(q, "extension").iter().enumerate() {
            let at = format!("Questionnaire.extension[{i}]");
            let url = ext.get("url").and_then(Value::as_str);
            if url == Some(CONSTRAINT) {
                self.constraints.push((ext.clone(), None, at));
            } else if url == Some(INFERRED) {
                self.inferred_mark(ext, &mut survey_inferred, &at);
            } else {
                self.unsupported_extension(ext, &at);
            }
        }
        let url = q.get("url").and_then(Value::as_str).map(str::to_owned);
        let raw_id = q
            .get("id")
            .or_else(|| q.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("questionnaire");
        let id = sanitize(raw_id);
        let title = self
            .text(q, "title")
            .or_else(|| self.text(q, "name"))
            .unwrap_or_else(|| Text::Plain(raw_id.to_owned()));
        let description = self.text(q, "description");
        let items: Vec<&Value> = list(q, "item").iter().collect();
        let mut questions = self.items(&items, None, None, "Questionnaire");
        self.conditions(&mut questions, &id);
        let rules = self.rules(&questions, &id);
        if url.as_deref() != Some(&format!("urn:survey-schema:{id}")) {
            self.mapping.url = url;
        }
        let mapping = std::mem::take(&mut self.mapping);
        let fhir = (mapping != FhirDef::default()).then_some(mapping);
        let locales: Vec<String> = self.locales.iter().cloned().collect();
        let mut def: SurveyDefinition = serde_json::from_value(json!({
            "id": id,
            "version": q.get("version").and_then(Value::as_str).unwrap_or("1"),
            "default_locale": self.default_locale,
            "title": "",
            "questions": [],
        }))
        .ok()?;
        def.locales = if locales.len() > 1 {
            locales
        } else {
            Vec::new()
        };
        def.title = title;
        def.description = description;
        // The marks of the survey's own keys; those of its metadata and references stay
        // behind with the metadata, which a Questionnaire does not carry back.
        survey_inferred.retain(|key, _| match key.as_str() {
            "title" => true,
            "description" => def.description.is_some(),
            _ => false,
        });
        def.inferred = survey_inferred;
        def.references = std::mem::take(&mut self.references);
        def.questions = questions;
        def.rules = rules;
        def.fhir = fhir;
        Some(def)
    }

    /// A text with its `translation` extensions.
    pub(super) fn text(&mut self, element: &Value, key: &str) -> Option<Text> {
        let text = element.get(key).and_then(Value::as_str)?;
        let translations: Vec<(String, String)> = element
            .get(format!("_{key}"))
            .map(|e| {
                extensions(e, TRANSLATION)
                    .filter_map(|t| {
                        let part = |name: &str, value: &str| {
                            t.get("extension")?
                                .as_array()?
                                .iter()
                                .find(|p| p.get("url").and_then(Value::as_str) == Some(name))?
                                .get(value)?
                                .as_str()
                                .map(str::to_owned)
                        };
                        Some((part("lang", "valueCode")?, part("content", "valueString")?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if translations.is_empty() {
            return Some(Text::Plain(text.to_owned()));
        }
        let mut map = BTreeMap::new();
        map.insert(self.default_locale.clone(), text.to_owned());
        for (lang, content) in translations {
            self.locales.insert(lang.clone());
            map.entry(lang).or_insert(content);
        }
        Some(Text::Localized(map))
    }

    pub(super) fn unsupported_extension(&mut self, ext: &Value, at: &str) {
        let url = ext.get("url").and_then(Value::as_str).unwrap_or("");
        if PRESENTATION.contains(&url) {
            return;
        }
        self.problem(
            FhirProblemCode::UnsupportedExtension,
            at,
            format!("the extension `{url}` has no place in the survey format"),
        );
    }

    /// An id for a linkId under an owner: the part after `OWNER.` or the linkId itself when
    /// it is a valid id, else a cleaned one; unique among the owner's.
    pub(super) fn id_for(
        &mut self,
        link: &str,
        owner: Option<&str>,
        owner_link: Option<&str>,
    ) -> String {
        let wanted = owner_link
            .and_then(|o| link.strip_prefix(&format!("{o}.")))
            .filter(|rest| crate::check::is_valid_id(rest))
            .map_or_else(|| sanitize(link), str::to_owned);
        let taken = self
            .taken
            .entry(owner.unwrap_or("").to_owned())
            .or_default();
        let mut id = wanted.clone();
        let mut n = 2;
        while !taken.insert(id.clone()) {
            id = format!("{wanted}_{n}");
            n += 1;
        }
        id
    }

    /// Reads a list of items; display items become the note (or help) of the next question.
    pub(super) fn items(
        &mut self,
        items: &[&Value],
        owner: Option<&str>,
        row: Option<&str>,
        at: &str,
    ) -> Vec<QuestionDef> {
        // Each list read is a list of questions of the survey (its questions, a section's, a
        // group's fields, a table row's cells), which nest at most MAX_QUESTION_NESTING deep.
        if self.lists >= MAX_QUESTION_NESTING {
            self.problem(
                FhirProblemCode::TooDeep,
                at,
                format!(
                    "items nest deeper than the survey format's {MAX_QUESTION_NESTING} levels of questions (sections, groups and tables inside each other)"
                ),
            );
            return Vec::new();
        }
        self.lists += 1;
        let out = self.list(items, owner, row, at);
        self.lists -= 1;
        out
    }

    fn list(
        &mut self,
        items: &[&Value],
        owner: Option<&str>,
        row: Option<&str>,
        at: &str,
    ) -> Vec<QuestionDef> {
        let mut out: Vec<QuestionDef> = Vec::new();
        let mut notes: Vec<Text> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let here = format!("{at}.item[{i}]");
            if item.get("type").and_then(Value::as_str) == Some("display") {
                if let Some(text) = self.text(item, "text") {
                    notes.push(text);
                }
                self.check_keys(item, &here);
                if item.get("enableWhen").is_some() {
                    self.problem(
                        FhirProblemCode::DisplayCondition,
                        &here,
                        "a display item's enableWhen has no place in the survey format",
                    );
                }
                continue;
            }
            if let Some(mut q) = self.item(item, owner, row, &here) {
                if !notes.is_empty() {
                    q.note = Some(join(&notes, q.note.take()));
                    notes.clear();
                }
                out.push(q);
            }
        }
        if !notes.is_empty() {
            match out.last_mut() {
                Some(last) => last.note = Some(join(&notes, last.note.take())),
                None => self.problem(
                    FhirProblemCode::DisplayOnly,
                    at,
                    "display items without a question to attach to",
                ),
            }
        }
        out
    }

    pub(super) fn check_keys(&mut self, item: &Value, at: &str) {
        for key in item.as_object().into_iter().flat_map(Map::keys) {
            if !ITEM_KEYS.contains(&key.as_str()) {
                self.problem(
                    FhirProblemCode::UnsupportedElement,
                    format!("{at}.{key}"),
                    format!("`{key}` has no place in the survey format"),
                );
            }
        }
    }

    pub(super) fn item(
        &mut self,
        item: &Value,
        owner: Option<&str>,
        row: Option<&str>,
        at: &str,
    ) -> Option<QuestionDef> {
        self.check_keys(item, at);
        let Some(link) = item.get("linkId").and_then(Value::as_str) else {
            self.problem(
                FhirProblemCode::MissingLinkId,
                at,
                "an item without a linkId",
            );
            return None;
        };
        let owner_link = owner.map(|o| self.link_of(o));
        let id = self.id_for(link, owner, owner_link.as_deref());
        let key = owner.map_or_else(|| id.clone(), |o| format!("{o}.{id}"));
        if self.keys.insert(link.to_owned(), key.clone()).is_some() {
            self.problem(
                FhirProblemCode::DuplicateLinkId,
                format!("{at}.linkId"),
                format!("linkId `{link}` appears twice"),
            );
        }
        if link != key {
            self.mapping.link_ids.insert(key.clone(), link.to_owned());
        }
        let item_type = item.get("type").and_then(Value::as_str).unwrap_or("");
        let marker = extensions(item, KIND)
            .next()
            .and_then(|e| e.get("valueCode"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let title = self
            .text(item, "text")
            .unwrap_or_else(|| Text::Plain(link.to_owned()));
        let repeats = item
            .get("repeats")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let kind = match (item_type, marker.as_deref(), repeats) {
            ("group", Some("group"), _) => QuestionKind::Group,
            ("group", Some("matrix"), _) => QuestionKind::Matrix,
            ("group", Some("table"), _) => QuestionKind::Table,
            ("group", Some("repeat") | None, true) => QuestionKind::Repeat,
            ("group", _, false) if item.get("required").and_then(Value::as_bool) == Some(true) => {
                QuestionKind::Group
            }
            ("group", _, _) => QuestionKind::Section,
            ("boolean", ..) => QuestionKind::Boolean,
            ("choice" | "coding", _, false) => QuestionKind::SingleChoice,
            ("choice" | "coding", _, true) => QuestionKind::MultipleChoice,
            ("string" | "text" | "integer" | "date", _, r)
                if item.get("answerOption").is_some() =>
            {
                if r {
                    QuestionKind::MultipleChoice
                } else {
                    QuestionKind::SingleChoice
                }
            }
            ("string" | "text", ..) => QuestionKind::Text,
            ("integer", ..) => QuestionKind::Integer,
            ("decimal", ..) => QuestionKind::Number,
            ("date", ..) => QuestionKind::Date,
            (other, ..) => {
                self.problem(
                    FhirProblemCode::UnsupportedType,
                    format!("{at}.type"),
                    format!("items of type `{other}` have no place in the survey format"),
                );
                return None;
            }
        };
        if repeats && !matches!(kind, QuestionKind::MultipleChoice | QuestionKind::Repeat) {
            self.problem(
                FhirProblemCode::UnsupportedRepeats,
                format!("{at}.repeats"),
                format!("a repeating `{item_type}` item has no place in the survey format"),
            );
        }
        if let Some(constraint) = item.get("answerConstraint").and_then(Value::as_str)
            && constraint != "optionsOnly"
        {
            self.problem(
                FhirProblemCode::OpenChoice,
                format!("{at}.answerConstraint"),
                format!(
                    "`{constraint}`: answers beside the options have no place in the survey format"
                ),
            );
        }
        if item_type == "open-choice" || item.get("answerValueSet").is_some() {
            self.problem(
                FhirProblemCode::ValueSet,
                at,
                "answers from a value set or free text beside options are not carried",
            );
        }
        if let Some(display) = item.get("disabledDisplay").and_then(Value::as_str)
            && display != "hidden"
        {
            self.problem(
                FhirProblemCode::DisabledDisplay,
                format!("{at}.disabledDisplay"),
                format!("`{display}`: a disabled item is always hidden in the survey format"),
            );
        }
        let mut q: QuestionDef = serde_json::from_value(json!({
            "id": id, "type": kind.as_str(), "title": ""
        }))
        .ok()?;
        q.title = title;
        q.number = item
            .get("prefix")
            .and_then(Value::as_str)
            .map(str::to_owned);
        q.required = item
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.defer_enable_when(item, &key, at);
        self.answers
            .insert(key.clone(), super::items::answer_of(kind));
        let (displays, questions): (Vec<&Value>, Vec<&Value>) = list(item, "item")
            .iter()
            .partition(|c| c.get("type").and_then(Value::as_str) == Some("display"));
        let mut ext_seen = Vec::new();
        for (i, ext) in list(item, "extension").iter().enumerate() {
            let url = ext
                .get("url")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let here = format!("{at}.extension[{i}]");
            match url.as_str() {
                ENABLE_WHEN_EXPRESSION => self.defer_expression(ext, &key, row, here),
                INFERRED => self.inferred_mark(ext, &mut q.inferred, &here),
                CONSTRAINT if kind == QuestionKind::Repeat => {
                    self.constraints
                        .push((ext.clone(), Some((key.clone(), false)), here));
                }
                KIND | MIN_VALUE | MAX_VALUE | MIN_LENGTH | REGEX | FORMAT | MIN_OCCURS
                | MAX_OCCURS | TRUE_LABEL | FALSE_LABEL => ext_seen.push((url, ext.clone(), here)),
                _ => self.unsupported_extension(ext, &here),
            }
        }
        for (url, ext, here) in ext_seen {
            self.setting(&mut q, kind, &url, &ext, &here);
        }
        // FHIR's `required` on a repeating item asks for at least one answer unless its
        // `minOccurs` says otherwise; the format's asks for the key, which `[]` answers.
        if q.required {
            match kind {
                QuestionKind::MultipleChoice if q.min_selections.is_none() => {
                    q.min_selections = Some(1);
                }
                QuestionKind::Repeat if q.min_items.is_none() => q.min_items = Some(1),
                _ => {}
            }
        }
        if let Some(max) = item.get("maxLength").and_then(Value::as_u64) {
            q.max_length = u32::try_from(max).ok();
        }
        // Display children: help, a note, citations.
        for (i, display) in displays.iter().enumerate() {
            self.display_child(&mut q, display, &format!("{at}.item[{i}]"));
        }
        match kind {
            QuestionKind::Section => {
                q.questions = Some(self.items(&questions, owner, None, at));
            }
            QuestionKind::Group | QuestionKind::Repeat => {
                q.fields = Some(self.items(&questions, Some(&key), None, at));
            }
            QuestionKind::Matrix => self.matrix(&mut q, &key, &questions, at),
            QuestionKind::Table => self.table(&mut q, &key, &questions, at),
            _ => {
                if item.get("answerOption").is_some() {
                    self.options(&mut q, &key, item, item_type, at);
                }
                let specify: Vec<&Value> = questions
                    .into_iter()
                    .filter(|c| {
                        let is_specify = extensions(c, KIND)
                            .any(|e| e.get("valueCode").and_then(Value::as_str) == Some("specify"));
                        if !is_specify {
                            self.problem(FhirProblemCode::NestedQuestion, at, "a question nested under a question (other than a specify box) has no place in the survey format");
                        }
                        is_specify
                    })
                    .collect();
                for s in specify {
                    self.specify(&mut q, s, owner, at);
                }
            }
        }
        Some(q)
    }

    /// Keeps an `enableWhenExpression` to read once every item is known.
    pub(super) fn defer_expression(
        &mut self,
        ext: &Value,
        key: &str,
        row: Option<&str>,
        at: String,
    ) {
        let expression = ext
            .pointer("/valueExpression/expression")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        self.expressions
            .push((key.to_owned(), expression, row.map(str::to_owned), at));
    }

    /// Keeps an item's `enableWhen` (and `enableBehavior`) to read once every item is known.
    pub(super) fn defer_enable_when(&mut self, item: &Value, key: &str, at: &str) {
        if let Some(ew) = item.get("enableWhen") {
            let behavior = item
                .get("enableBehavior")
                .and_then(Value::as_str)
                .map(str::to_owned);
            self.enable_whens
                .push((key.to_owned(), ew.clone(), behavior, at.to_owned()));
        }
    }

    pub(super) fn link_of(&self, key: &str) -> String {
        self.mapping
            .link_ids
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }
}

/// An id from any text: characters outside `[A-Za-z0-9_-]` become `_`, and `q` leads when the
/// text does not start with a letter (`4.1` -> `q4_1`, `Insulin Treated` -> `Insulin_Treated`).
pub(crate) fn sanitize(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
        cleaned
    } else {
        format!("q{cleaned}")
    }
}

pub(super) fn join(texts: &[Text], existing: Option<Text>) -> Text {
    let mut all: Vec<Text> = existing.into_iter().collect();
    all.extend(texts.iter().cloned());
    if all.len() == 1 {
        return all.remove(0);
    }
    let plain: Vec<String> = all
        .iter()
        .map(|t| match t {
            Text::Plain(s) => s.clone(),
            Text::Localized(map) => map.values().next().cloned().unwrap_or_default(),
        })
        .collect();
    Text::Plain(plain.join("\n"))
}

/// A FHIR `regex` (which must match the whole value) as a survey pattern (which is searched
/// for): export's own wrapper unwrapped, else anchored, with `\s`, `\d` and `\w` written as the
/// classes they mean in ASCII.
pub(super) fn pattern_of(regex: &str) -> Result<String, String> {
    if let Some(inner) = regex
        .strip_prefix("[\\s\\S]*(?:")
        .and_then(|r| r.strip_suffix(")[\\s\\S]*"))
    {
        return Ok(inner.to_owned());
    }
    let mut out = String::from("^(?:");
    let mut chars = regex.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') => out.push_str(if in_class {
                    " \\t\\n\\r\\f\\v"
                } else {
                    "[ \\t\\n\\r\\f\\v]"
                }),
                Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                Some('w') => out.push_str(if in_class {
                    "A-Za-z0-9_"
                } else {
                    "[A-Za-z0-9_]"
                }),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => return Err("a regex ending in `\\`".into()),
            },
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push_str(")$");
    crate::pattern::Pattern::new(
        &out,
        crate::limits::Limits::default().max_pattern_compiled_bytes,
    )
    .map(|_| out.clone())
    .map_err(|e| match e {
        crate::pattern::PatternError::Unportable(why)
        | crate::pattern::PatternError::Invalid(why) => {
            format!("regex `{regex}`: {why}")
        }
    })
}
