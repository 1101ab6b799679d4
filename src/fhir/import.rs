//! A FHIR Questionnaire (R4 or R5 JSON) to a survey definition.
//!
//! What the survey format carries is carried; everything else is a [`FhirProblem`] with the
//! location in the Questionnaire, and the import fails: nothing is dropped in silence, except
//! what only presents or prefills a form (item controls, orientation, option prefixes, scores,
//! `initial` values, item codes), as the README lists.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::items::{Answer, Catalogue};
use super::path::{self, Scope};
use super::{
    CITATION, CONSTRAINT, ENABLE_WHEN_EXPRESSION, FALSE_LABEL, FORMAT, FhirProblem, ITEM_CONTROL,
    KIND, MAX_OCCURS, MAX_VALUE, MIN_LENGTH, MIN_OCCURS, MIN_VALUE, OPTION_EXCLUSIVE, REGEX,
    TRANSLATION, TRUE_LABEL, extensions,
};
use crate::definition::{
    ChoiceDef, CitationDef, CodingDef, ConditionDef, FhirDef, OptionType, QuestionDef,
    QuestionKind, ReferenceDef, RowDef, RuleDef, SpecifyDef, SurveyDefinition, Text,
};

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
/// extension or a FHIRPath expression the format cannot carry, several `enableWhen` without
/// `enableBehavior` (que-12), an option the item cannot have, ... The result still has to pass
/// the survey checks ([`Survey::from_definition`](crate::Survey::from_definition)), which refuse
/// forward references among others.
pub fn import(questionnaire: &Value) -> Result<SurveyDefinition, Vec<FhirProblem>> {
    let mut importer = Importer::default();
    let def = importer.run(questionnaire);
    match def {
        Some(def) if importer.problems.is_empty() => Ok(def),
        _ => Err(importer.problems),
    }
}

#[derive(Default)]
struct Importer {
    problems: Vec<FhirProblem>,
    locales: BTreeSet<String>,
    default_locale: String,
    /// linkId -> key (`Q`, `G.f`, `T.r.c`).
    keys: HashMap<String, String>,
    /// Ids taken per owner key ("" for the top level).
    taken: HashMap<String, HashSet<String>>,
    mapping: FhirDef,
    /// Conditions written as FHIRPath, read once every item is known: key, expression, scope
    /// (the table row of a cell), location.
    expressions: Vec<(String, String, Option<String>, String)>,
    /// Rules: constraint extension, scope owner (repeat or table row key), location.
    constraints: Vec<(Value, Option<(String, bool)>, String)>,
    references: BTreeMap<String, ReferenceDef>,
    /// enableWhen lists read once every item is known: key, list, enableBehavior, location.
    enable_whens: Vec<(String, Value, Option<String>, String)>,
    /// What each key answers, for reading conditions on it.
    answers: HashMap<String, Answer>,
}

impl Importer {
    fn problem(&mut self, code: &'static str, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(FhirProblem {
            code,
            path: path.into(),
            message: message.into(),
        });
    }

    fn run(&mut self, q: &Value) -> Option<SurveyDefinition> {
        if q.get("resourceType").and_then(Value::as_str) != Some("Questionnaire") {
            self.problem(
                "not_a_questionnaire",
                "resourceType",
                "the resource is not a FHIR Questionnaire",
            );
            return None;
        }
        self.default_locale = q
            .get("language")
            .and_then(Value::as_str)
            .map_or("en", |l| l.split('-').next().unwrap_or(l))
            .to_owned();
        self.locales.insert(self.default_locale.clone());
        for (i, ext) in q
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = format!("Questionnaire.extension[{i}]");
            if ext.get("url").and_then(Value::as_str) == Some(CONSTRAINT) {
                self.constraints.push((ext.clone(), None, at));
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
        let items = q
            .get("item")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
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
        def.references = std::mem::take(&mut self.references);
        def.questions = questions;
        def.rules = rules;
        def.fhir = fhir;
        Some(def)
    }

    /// A text with its `translation` extensions.
    fn text(&mut self, element: &Value, key: &str) -> Option<Text> {
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

    fn unsupported_extension(&mut self, ext: &Value, at: &str) {
        let url = ext.get("url").and_then(Value::as_str).unwrap_or("");
        if PRESENTATION.contains(&url) {
            return;
        }
        self.problem(
            "unsupported_extension",
            at,
            format!("the extension `{url}` has no place in the survey format"),
        );
    }

    /// An id for a linkId under an owner: the part after `OWNER.` or the linkId itself when
    /// it is a valid id, else a cleaned one; unique among the owner's.
    fn id_for(&mut self, link: &str, owner: Option<&str>, owner_link: Option<&str>) -> String {
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
    fn items(
        &mut self,
        items: &[Value],
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
                        "display_condition",
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
                    "display_only",
                    at,
                    "display items without a question to attach to",
                ),
            }
        }
        out
    }

    fn check_keys(&mut self, item: &Value, at: &str) {
        for key in item.as_object().into_iter().flat_map(Map::keys) {
            if !ITEM_KEYS.contains(&key.as_str()) {
                self.problem(
                    "unsupported_element",
                    format!("{at}.{key}"),
                    format!("`{key}` has no place in the survey format"),
                );
            }
        }
    }

    fn item(
        &mut self,
        item: &Value,
        owner: Option<&str>,
        row: Option<&str>,
        at: &str,
    ) -> Option<QuestionDef> {
        self.check_keys(item, at);
        let Some(link) = item.get("linkId").and_then(Value::as_str) else {
            self.problem("missing_link_id", at, "an item without a linkId");
            return None;
        };
        let owner_link = owner.map(|o| self.link_of(o));
        let id = self.id_for(link, owner, owner_link.as_deref());
        let key = owner.map_or_else(|| id.clone(), |o| format!("{o}.{id}"));
        if self.keys.insert(link.to_owned(), key.clone()).is_some() {
            self.problem(
                "duplicate_link_id",
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
        let mut title = self
            .text(item, "text")
            .unwrap_or_else(|| Text::Plain(link.to_owned()));
        if let (Some(prefix), Text::Plain(text)) =
            (item.get("prefix").and_then(Value::as_str), &mut title)
        {
            *text = format!("{prefix} {text}");
        }
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
                    "unsupported_type",
                    format!("{at}.type"),
                    format!("items of type `{other}` have no place in the survey format"),
                );
                return None;
            }
        };
        if repeats && !matches!(kind, QuestionKind::MultipleChoice | QuestionKind::Repeat) {
            self.problem(
                "unsupported_repeats",
                format!("{at}.repeats"),
                format!("a repeating `{item_type}` item has no place in the survey format"),
            );
        }
        if let Some(constraint) = item.get("answerConstraint").and_then(Value::as_str) {
            if constraint != "optionsOnly" {
                self.problem("open_choice", format!("{at}.answerConstraint"), format!("`{constraint}`: answers beside the options have no place in the survey format"));
            }
        }
        if item_type == "open-choice" || item.get("answerValueSet").is_some() {
            self.problem(
                "value_set",
                at,
                "answers from a value set or free text beside options are not carried",
            );
        }
        if let Some(display) = item.get("disabledDisplay").and_then(Value::as_str) {
            if display != "hidden" {
                self.problem(
                    "disabled_display",
                    format!("{at}.disabledDisplay"),
                    format!("`{display}`: a disabled item is always hidden in the survey format"),
                );
            }
        }
        let mut q: QuestionDef = serde_json::from_value(json!({
            "id": id, "type": kind.as_str(), "title": ""
        }))
        .ok()?;
        q.title = title;
        q.required = item
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(ew) = item.get("enableWhen") {
            let behavior = item
                .get("enableBehavior")
                .and_then(Value::as_str)
                .map(str::to_owned);
            self.enable_whens
                .push((key.clone(), ew.clone(), behavior, at.to_owned()));
        }
        self.answers.insert(key.clone(), answer_of(kind));
        let children: Vec<Value> = item
            .get("item")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let (displays, questions): (Vec<Value>, Vec<Value>) = children
            .into_iter()
            .partition(|c| c.get("type").and_then(Value::as_str) == Some("display"));
        let mut ext_seen = Vec::new();
        for (i, ext) in item
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let url = ext
                .get("url")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let here = format!("{at}.extension[{i}]");
            match url.as_str() {
                ENABLE_WHEN_EXPRESSION => {
                    let expression = ext
                        .pointer("/valueExpression/expression")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    self.expressions
                        .push((key.clone(), expression, row.map(str::to_owned), here));
                }
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
                let specify: Vec<Value> = questions
                    .into_iter()
                    .filter(|c| {
                        let is_specify = extensions(c, KIND)
                            .any(|e| e.get("valueCode").and_then(Value::as_str) == Some("specify"));
                        if !is_specify {
                            self.problem("nested_question", at, "a question nested under a question (other than a specify box) has no place in the survey format");
                        }
                        is_specify
                    })
                    .collect();
                for s in specify {
                    self.specify(&mut q, &s, owner, at);
                }
            }
        }
        Some(q)
    }

    fn link_of(&self, key: &str) -> String {
        self.mapping
            .link_ids
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    fn setting(
        &mut self,
        q: &mut QuestionDef,
        kind: QuestionKind,
        url: &str,
        ext: &Value,
        at: &str,
    ) {
        let int = |e: &Value| {
            e.get("valueInteger")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
        };
        match (url, kind) {
            (MIN_VALUE | MAX_VALUE, QuestionKind::Integer | QuestionKind::Number) => {
                let value = ext
                    .get("valueInteger")
                    .or_else(|| ext.get("valueDecimal"))
                    .and_then(Value::as_number)
                    .cloned();
                if url == MIN_VALUE {
                    q.minimum = value
                } else {
                    q.maximum = value
                }
            }
            (MIN_VALUE | MAX_VALUE, QuestionKind::Date) => {
                let value = ext
                    .get("valueDate")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if url == MIN_VALUE {
                    q.earliest = value
                } else {
                    q.latest = value
                }
            }
            (MIN_LENGTH, QuestionKind::Text) => q.min_length = int(ext),
            (REGEX, QuestionKind::Text) => {
                let regex = ext.get("valueString").and_then(Value::as_str).unwrap_or("");
                if q.format
                    .is_some_and(|f| super::export::whole_match(f.pattern()) == regex)
                {
                    return;
                }
                match pattern_of(regex) {
                    Ok(pattern) => q.pattern = Some(pattern),
                    Err(why) => self.problem("unsupported_regex", at, why),
                }
            }
            (FORMAT, QuestionKind::Text) => {
                q.format =
                    serde_json::from_value(ext.get("valueCode").cloned().unwrap_or_default()).ok();
                if q.format.is_some_and(|f| {
                    q.pattern.as_deref() == Some(&super::export::whole_match(f.pattern()))
                }) {
                    q.pattern = None;
                }
            }
            (MIN_OCCURS, QuestionKind::MultipleChoice) => q.min_selections = int(ext),
            (MAX_OCCURS, QuestionKind::MultipleChoice) => q.max_selections = int(ext),
            (MIN_OCCURS, QuestionKind::Repeat) => q.min_items = int(ext),
            (MAX_OCCURS, QuestionKind::Repeat) => q.max_items = int(ext),
            (TRUE_LABEL, QuestionKind::Boolean) => {
                q.true_label = ext
                    .get("valueString")
                    .and_then(Value::as_str)
                    .map(Text::from)
            }
            (FALSE_LABEL, QuestionKind::Boolean) => {
                q.false_label = ext
                    .get("valueString")
                    .and_then(Value::as_str)
                    .map(Text::from)
            }
            (KIND, _) => {}
            _ => self.problem(
                "unsupported_extension",
                at,
                format!("`{url}` does not apply to a {} question", kind.as_str()),
            ),
        }
    }

    fn display_child(&mut self, q: &mut QuestionDef, display: &Value, at: &str) {
        let Some(text) = self.text(display, "text") else {
            return;
        };
        let help = extensions(display, ITEM_CONTROL).any(|e| {
            e.pointer("/valueCodeableConcept/coding/0/code")
                .and_then(Value::as_str)
                == Some("help")
        });
        if let Some(citation) = extensions(display, CITATION).next() {
            let part = |name: &str| {
                citation
                    .get("extension")?
                    .as_array()?
                    .iter()
                    .find(|p| p.get("url").and_then(Value::as_str) == Some(name))
                    .and_then(|p| p.get("valueString").or_else(|| p.get("valueUri")))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            if let Some(reference) = part("reference") {
                self.references.entry(reference.clone()).or_insert_with(|| {
                    let mut r: ReferenceDef = serde_json::from_value(
                        json!({ "title": part("title").unwrap_or_else(|| reference.clone()) }),
                    )
                    .expect(BLANK);
                    r.edition = part("edition");
                    r.url = part("url");
                    r
                });
                let mut c: CitationDef =
                    serde_json::from_value(json!({ "reference": reference })).expect(BLANK);
                c.section = part("section").map(Text::Plain);
                c.quote = part("quote").map(Text::Plain);
                q.references.push(c);
                return;
            }
        }
        if display.get("enableWhen").is_some() {
            self.problem(
                "display_condition",
                at,
                "a display item's enableWhen has no place in the survey format",
            );
        }
        if help {
            q.help = Some(join(&[text], q.help.take()));
        } else {
            q.note = Some(join(&[text], q.note.take()));
        }
    }

    /// Choices from `answerOption`.
    fn options(&mut self, q: &mut QuestionDef, key: &str, item: &Value, item_type: &str, at: &str) {
        let option_type = match item_type {
            "integer" => Some(OptionType::Integer),
            "string" | "text" => Some(OptionType::String),
            "date" => Some(OptionType::Date),
            _ => None,
        };
        let mut choices = Vec::new();
        let mut codes = BTreeMap::new();
        let mut taken = HashSet::new();
        let ours = format!("urn:survey-schema:");
        for (i, option) in item
            .get("answerOption")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let here = format!("{at}.answerOption[{i}]");
            for (j, ext) in option
                .get("extension")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if ext.get("url").and_then(Value::as_str) != Some(OPTION_EXCLUSIVE) {
                    self.unsupported_extension(ext, &format!("{here}.extension[{j}]"));
                }
            }
            let exclusive = extensions(option, OPTION_EXCLUSIVE)
                .any(|e| e.get("valueBoolean") == Some(&Value::Bool(true)));
            let (code, system, label) = if let Some(coding) = option.get("valueCoding") {
                let code = coding
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let system = coding
                    .get("system")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let label = self
                    .text(coding, "display")
                    .unwrap_or_else(|| Text::Plain(code.clone()));
                (code, system, label)
            } else if let Some(value) = option
                .get("valueString")
                .or_else(|| option.get("valueDate"))
                .and_then(Value::as_str)
            {
                (value.to_owned(), None, Text::Plain(value.to_owned()))
            } else if let Some(value) = option.get("valueInteger").and_then(Value::as_i64) {
                (value.to_string(), None, Text::Plain(value.to_string()))
            } else {
                self.problem(
                    "unsupported_option",
                    &here,
                    "an answer option that is not a Coding, a string, an integer or a date",
                );
                continue;
            };
            let mut value = sanitize(&code);
            let base = value.clone();
            let mut n = 2;
            while !taken.insert(value.clone()) {
                value = format!("{base}_{n}");
                n += 1;
            }
            let survey_system = system.as_deref().is_some_and(|s| s.starts_with(&ours));
            if value != code || (system.is_some() && !survey_system) || option_type.is_some() {
                codes.insert(
                    value.clone(),
                    CodingDef::new(code, system.filter(|_| !survey_system)),
                );
            }
            let mut choice: ChoiceDef =
                serde_json::from_value(json!({ "value": value, "label": "" })).expect(BLANK);
            choice.label = label;
            choice.exclusive = exclusive;
            choices.push(choice);
        }
        if !codes.is_empty() {
            self.mapping.codes.insert(key.to_owned(), codes);
        }
        if let Some(t) = option_type {
            self.mapping.option_types.insert(key.to_owned(), t);
        }
        q.choices = Some(choices);
    }

    fn specify(&mut self, q: &mut QuestionDef, s: &Value, owner: Option<&str>, at: &str) {
        let Some(link) = s.get("linkId").and_then(Value::as_str) else {
            return;
        };
        let code = s
            .pointer("/enableWhen/0/answerCoding/code")
            .and_then(Value::as_str);
        let owner_link = owner.map(|o| self.link_of(o));
        let id = self.id_for(link, owner, owner_link.as_deref());
        let key = owner.map_or_else(|| id.clone(), |o| format!("{o}.{id}"));
        self.keys.insert(link.to_owned(), key.clone());
        self.answers.insert(key.clone(), Answer::Text);
        if link != key {
            self.mapping.link_ids.insert(key, link.to_owned());
        }
        let title = self.text(s, "text");
        let Some(choice) = q
            .choices
            .iter_mut()
            .flatten()
            .find(|c| Some(c.value.as_str()) == code)
        else {
            self.problem(
                "nested_question",
                at,
                "a specify box whose choice is not found",
            );
            return;
        };
        let mut specify: SpecifyDef = serde_json::from_value(json!({ "id": id })).expect(BLANK);
        specify.title = title.filter(|t| *t != choice.label);
        specify.required = s.get("required").and_then(Value::as_bool).unwrap_or(false);
        specify.max_length = s
            .get("maxLength")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        choice.specify = Some(specify);
    }

    fn matrix(&mut self, q: &mut QuestionDef, key: &str, rows: &[Value], at: &str) {
        let mut defs = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let here = format!("{at}.item[{i}]");
            let Some(row_q) = self.item(row, Some(key), None, &here) else {
                continue;
            };
            if i == 0 {
                q.choices = row_q.choices.clone();
                q.multiple = row_q.kind == QuestionKind::MultipleChoice;
                q.min_selections = row_q.min_selections;
                q.max_selections = row_q.max_selections;
                q.required = row_q.required;
                let row_key = format!("{key}.{}", row_q.id);
                if let Some(codes) = self.mapping.codes.get(&row_key).cloned() {
                    self.mapping.codes.insert(key.to_owned(), codes);
                }
            }
            let mut def: RowDef =
                serde_json::from_value(json!({ "id": row_q.id, "label": "" })).expect(BLANK);
            def.label = row_q.title;
            def.help = row_q.help;
            def.references = row_q.references;
            defs.push(def);
        }
        q.rows = Some(defs);
    }

    fn table(&mut self, q: &mut QuestionDef, key: &str, rows: &[Value], at: &str) {
        let mut defs = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let here = format!("{at}.item[{i}]");
            let Some(link) = row.get("linkId").and_then(Value::as_str) else {
                continue;
            };
            let owner_link = self.link_of(key);
            let id = self.id_for(link, Some(key), Some(&owner_link));
            let row_key = format!("{key}.{id}");
            self.keys.insert(link.to_owned(), row_key.clone());
            if link != row_key {
                self.mapping
                    .link_ids
                    .insert(row_key.clone(), link.to_owned());
            }
            if let Some(ew) = row.get("enableWhen") {
                let behavior = row
                    .get("enableBehavior")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                self.enable_whens
                    .push((row_key.clone(), ew.clone(), behavior, here.clone()));
            }
            self.answers.insert(row_key.clone(), Answer::Group);
            for (j, ext) in row
                .get("extension")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let at = format!("{here}.extension[{j}]");
                match ext.get("url").and_then(Value::as_str).unwrap_or("") {
                    CONSTRAINT => {
                        self.constraints
                            .push((ext.clone(), Some((row_key.clone(), true)), at))
                    }
                    ENABLE_WHEN_EXPRESSION => {
                        let expression = ext
                            .pointer("/valueExpression/expression")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned();
                        self.expressions
                            .push((row_key.clone(), expression, None, at));
                    }
                    KIND => {}
                    _ => self.unsupported_extension(ext, &at),
                }
            }
            let children: Vec<Value> = row
                .get("item")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let (displays, cells): (Vec<Value>, Vec<Value>) = children
                .into_iter()
                .partition(|c| c.get("type").and_then(Value::as_str) == Some("display"));
            let columns = self.items(&cells, Some(&row_key), Some(&row_key), &here);
            if i == 0 {
                q.columns = Some(columns);
                q.required = row
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
            }
            let mut def: RowDef =
                serde_json::from_value(json!({ "id": id, "label": "" })).expect(BLANK);
            def.label = self
                .text(row, "text")
                .unwrap_or_else(|| Text::Plain(link.to_owned()));
            let mut holder: QuestionDef =
                serde_json::from_value(json!({ "id": id, "type": "text", "title": "" }))
                    .expect(BLANK);
            for (j, d) in displays.iter().enumerate() {
                self.display_child(&mut holder, d, &format!("{here}.item[{j}]"));
            }
            def.help = holder.help;
            def.references = holder.references;
            defs.push(def);
        }
        q.rows = Some(defs);
    }

    /// Reads the enableWhen lists and expressions once every item is known, and sets them.
    fn conditions(&mut self, questions: &mut [QuestionDef], id: &str) {
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
                        "expression",
                        at,
                        format!("enableWhenExpression `{expression}`: {why}"),
                    ),
                }
            }
        }
        assign(questions, None, &mut found);
    }

    /// The definition so far, for reading expressions against its items.
    fn partial_definition(&self, questions: &[QuestionDef], id: &str) -> SurveyDefinition {
        let mut def: SurveyDefinition = serde_json::from_value(json!({
            "id": id, "version": "1", "default_locale": self.default_locale, "title": "", "questions": []
        }))
        .expect(BLANK);
        def.questions = questions.to_vec();
        def.fhir = Some(self.mapping.clone());
        def
    }

    fn enable_when(
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
                    "que-12",
                    format!("{at}.enableBehavior"),
                    "several enableWhen need an enableBehavior (que-12)",
                );
                None
            }
        }
    }

    /// One `enableWhen` as a leaf.
    fn enable_when_leaf(&mut self, ew: &Value, at: &str) -> Option<ConditionDef> {
        let link = ew.get("question").and_then(Value::as_str).unwrap_or("");
        let Some(key) = self.keys.get(link).cloned() else {
            self.problem(
                "unknown_question",
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
            .map(|(k, v)| (k.as_str(), v.clone()))
            .unwrap_or(("", Value::Null));
        if operator == "exists" {
            leaf.answered = raw.as_bool();
            return Some(leaf);
        }
        let value = match (answer_key, answer) {
            ("answerCoding", Answer::Choice { .. }) => {
                let code = raw.get("code").and_then(Value::as_str).unwrap_or("");
                let system = raw.get("system").and_then(Value::as_str);
                self.choice_value(&key, code, system, at)?
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
                    "unsupported_condition",
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
                    "unsupported_condition",
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
    fn choice_value(
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
                    c.code == code
                        && (system.is_none() || c.system.is_none() || c.system.as_deref() == system)
                })
                .map(|(v, _)| v.clone()),
            None => Some(code.to_owned()).filter(|c| crate::check::is_valid_id(c)),
        };
        if found.is_none() {
            self.problem(
                "unknown_code",
                at,
                format!("`{code}` is not an answer option of the item"),
            );
        }
        found.map(Value::String)
    }

    /// The survey's rules from `questionnaire-constraint` extensions.
    fn rules(&mut self, questions: &[QuestionDef], id: &str) -> Vec<RuleDef> {
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
                    "unsupported_constraint",
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
                        "expression",
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

const BLANK: &str = "a minimal definition value deserializes";

fn answer_of(kind: QuestionKind) -> Answer {
    match kind {
        QuestionKind::Boolean => Answer::Boolean,
        QuestionKind::SingleChoice => Answer::Choice { multiple: false },
        QuestionKind::MultipleChoice => Answer::Choice { multiple: true },
        QuestionKind::Integer => Answer::Integer,
        QuestionKind::Number => Answer::Number,
        QuestionKind::Date => Answer::Date,
        QuestionKind::Text => Answer::Text,
        QuestionKind::Repeat => Answer::Count,
        QuestionKind::Section => Answer::Section,
        _ => Answer::Group,
    }
}

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

fn join(texts: &[Text], existing: Option<Text>) -> Text {
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
fn pattern_of(regex: &str) -> Result<String, String> {
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
