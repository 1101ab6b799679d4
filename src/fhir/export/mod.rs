//! A checked definition to a FHIR Questionnaire (R4 or R5 JSON).

mod conditions;
mod effective;

use serde_json::{Map, Value, json};

use super::items::Catalogue;
use super::path::Scope;
use super::{
    CITATION, ENTRY_FORMAT, FALSE_LABEL, FORMAT, FhirVersion, INFERRED, ITEM_CONTROL,
    ITEM_CONTROL_SYSTEM, KIND, MAX_OCCURS, MAX_VALUE, MIN_LENGTH, MIN_OCCURS, MIN_VALUE,
    OPTION_EXCLUSIVE, REGEX, TRANSLATION, TRUE_LABEL, extension,
};
use crate::definition::{
    ChoiceDef, CitationDef, OptionType, QuestionDef, QuestionKind, SurveyDefinition, Text,
};

/// The definition as a FHIR Questionnaire: texts in `locale` (the default locale when `None`)
/// with the other locales in `translation` extensions.
///
/// The definition should be one a [`Survey`](crate::Survey) was built from
/// ([`Survey::fhir_questionnaire`](crate::Survey::fhir_questionnaire)); the mapping is in the
/// `docs/fhir.md`.
#[must_use]
pub(crate) fn questionnaire(
    def: &SurveyDefinition,
    version: FhirVersion,
    locale: Option<&str>,
) -> Value {
    let catalogue = Catalogue::new(def);
    let effective = effective::Effective::new(def, &catalogue);
    let locale = locale.unwrap_or(&def.default_locale);
    let exporter = Exporter {
        def,
        catalogue: &catalogue,
        effective: &effective,
        version,
        locale,
    };
    let mut q = Map::new();
    q.insert("resourceType".into(), json!("Questionnaire"));
    q.insert("id".into(), json!(fhir_id(&def.id)));
    q.insert(
        "url".into(),
        json!(
            def.fhir
                .as_ref()
                .and_then(|f| f.url.clone())
                .unwrap_or_else(|| format!("urn:survey-schema:{}", def.id))
        ),
    );
    q.insert("version".into(), json!(def.version));
    q.insert("name".into(), json!(computable_name(&def.id)));
    exporter.text_into(&mut q, "title", &def.title);
    q.insert("status".into(), json!("active"));
    q.insert("language".into(), json!(locale));
    if let Some(description) = &def.description {
        exporter.text_into(&mut q, "description", description);
    }
    if let Some(period) = def.metadata.as_ref().and_then(|m| m.period.as_ref()) {
        q.insert(
            "effectivePeriod".into(),
            json!({ "start": period.start, "end": period.end }),
        );
    }
    if let Some(issuer) = def.metadata.as_ref().and_then(|m| m.issuer.as_ref()) {
        q.insert("publisher".into(), json!(exporter.text(issuer)));
    }
    let mut constraints: Vec<Value> = def
        .rules
        .iter()
        .filter(|r| r.for_each_row.is_none() && r.for_each_instance.is_none())
        .map(|r| exporter.constraint(r, Scope::Top))
        .collect();
    // What the survey, its metadata and its references mark as inferred, keyed by the
    // path of the key in the survey file (`metadata.period`, `references.NAME.publisher`).
    let mut inferred = def.inferred.clone();
    if let Some(metadata) = &def.metadata {
        for (key, reason) in &metadata.inferred {
            inferred.insert(format!("metadata.{key}"), reason.clone());
        }
    }
    for (name, reference) in &def.references {
        for (key, reason) in &reference.inferred {
            inferred.insert(format!("references.{name}.{key}"), reason.clone());
        }
    }
    constraints.extend(exporter.inferred(&inferred));
    if !constraints.is_empty() {
        q.insert("extension".into(), Value::Array(constraints));
    }
    q.insert(
        "item".into(),
        Value::Array(exporter.items(&def.questions, None, Scope::Top)),
    );
    Value::Object(q)
}

/// A FHIR resource id: `[A-Za-z0-9\-\.]{1,64}`.
pub(super) fn fhir_id(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if out.is_empty() {
        out.push('q');
    }
    out
}

/// A computable name: `[A-Z]([A-Za-z0-9_]){0,254}`.
fn computable_name(id: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out.truncate(255);
    out
}

struct Exporter<'e, 'd> {
    def: &'d SurveyDefinition,
    catalogue: &'e Catalogue<'d>,
    effective: &'e effective::Effective,
    version: FhirVersion,
    locale: &'e str,
}

impl Exporter<'_, '_> {
    fn text<'t>(&self, text: &'t Text) -> &'t str {
        text.get(self.locale, &self.def.default_locale)
    }

    /// `key` and `_key` with a `translation` extension per other locale.
    fn text_into(&self, map: &mut Map<String, Value>, key: &str, text: &Text) {
        map.insert(key.into(), json!(self.text(text)));
        if let Text::Localized(texts) = text {
            let translations: Vec<Value> = texts
                .iter()
                .filter(|(lang, _)| lang.as_str() != self.locale)
                .map(|(lang, content)| {
                    json!({ "url": TRANSLATION, "extension": [
                        { "url": "lang", "valueCode": lang },
                        { "url": "content", "valueString": content }
                    ] })
                })
                .collect();
            if !translations.is_empty() {
                map.insert(format!("_{key}"), json!({ "extension": translations }));
            }
        }
    }

    fn items(
        &self,
        questions: &[QuestionDef],
        owner: Option<&str>,
        scope: Scope<'_>,
    ) -> Vec<Value> {
        questions
            .iter()
            .map(|q| self.item(q, owner, scope))
            .collect()
    }

    /// An item; `scope` is a table row's, whose cells' conditions name `{column: c}`.
    fn item(&self, q: &QuestionDef, owner: Option<&str>, scope: Scope<'_>) -> Value {
        let key = match owner {
            Some(owner) => format!("{owner}.{}", q.id),
            None => q.id.clone(),
        };
        let mut item = self.base(&key, &q.title);
        let mut children = self.displays(&key, q.help.as_ref(), q.note.as_ref(), &q.references);
        let mut extensions = Vec::new();
        self.marks(&mut item, &mut extensions, q.number.as_deref(), &q.inferred);
        let item_type = match q.kind {
            QuestionKind::Boolean => {
                if let (Some(t), Some(f)) = (&q.true_label, &q.false_label) {
                    extensions.push(extension(TRUE_LABEL, "valueString", &json!(self.text(t))));
                    extensions.push(extension(FALSE_LABEL, "valueString", &json!(self.text(f))));
                }
                "boolean"
            }
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                let multiple = q.kind == QuestionKind::MultipleChoice;
                if multiple {
                    item.insert("repeats".into(), json!(true));
                    occurs(
                        &mut extensions,
                        q.required,
                        q.min_selections,
                        q.max_selections,
                    );
                }
                item.insert("answerOption".into(), self.options(&key, q));
                children.extend(self.specify_items(q, owner));
                match self.catalogue.items.get(&key).and_then(|i| i.option_type) {
                    Some(OptionType::Integer) => "integer",
                    Some(OptionType::String) => "string",
                    Some(OptionType::Date) => "date",
                    None => self.choice_type(),
                }
            }
            QuestionKind::Text => {
                Self::text_constraints(q, &mut item, &mut extensions);
                "string"
            }
            QuestionKind::Integer | QuestionKind::Number => {
                let (key, item_type) = if q.kind == QuestionKind::Integer {
                    ("valueInteger", "integer")
                } else {
                    ("valueDecimal", "decimal")
                };
                bounds(&mut extensions, key, q.minimum.as_ref(), q.maximum.as_ref());
                item_type
            }
            QuestionKind::Date => {
                if let Some(earliest) = &q.earliest {
                    extensions.push(extension(MIN_VALUE, "valueDate", &json!(earliest)));
                }
                if let Some(latest) = &q.latest {
                    extensions.push(extension(MAX_VALUE, "valueDate", &json!(latest)));
                }
                extensions.push(extension(ENTRY_FORMAT, "valueString", &json!("YYYY-MM-DD")));
                "date"
            }
            QuestionKind::Section => {
                extensions.push(kind("section"));
                children.extend(self.items(
                    q.questions.as_deref().unwrap_or_default(),
                    owner,
                    Scope::Top,
                ));
                "group"
            }
            QuestionKind::Group | QuestionKind::Repeat => {
                if q.kind == QuestionKind::Group {
                    extensions.push(kind("group"));
                } else {
                    extensions.push(kind("repeat"));
                    extensions.push(control("gtable"));
                    item.insert("repeats".into(), json!(true));
                    occurs(&mut extensions, q.required, q.min_items, q.max_items);
                    for rule in self
                        .def
                        .rules
                        .iter()
                        .filter(|r| r.for_each_instance.as_deref() == Some(&q.id))
                    {
                        extensions.push(self.constraint(rule, Scope::Instance(&q.id)));
                    }
                }
                children.extend(self.items(
                    q.fields.as_deref().unwrap_or_default(),
                    Some(&key),
                    Scope::Top,
                ));
                "group"
            }
            QuestionKind::Matrix => {
                extensions.push(kind("matrix"));
                extensions.push(control("table"));
                children.extend(self.matrix_rows(q, &key));
                "group"
            }
            QuestionKind::Table => {
                extensions.push(kind("table"));
                extensions.push(control("grid"));
                children.extend(self.table_rows(q, &key));
                "group"
            }
        };
        item.insert("type".into(), json!(item_type));
        if q.required {
            item.insert("required".into(), json!(true));
        }
        if let Some(condition) = &q.enable_when {
            self.enable_when(&mut item, &key, condition, scope);
        }
        self.finish(item, extensions, children)
    }

    /// An item's printed number as its `prefix`, and what it marks as inferred as one
    /// extension per key.
    fn marks(
        &self,
        item: &mut Map<String, Value>,
        extensions: &mut Vec<Value>,
        number: Option<&str>,
        inferred: &crate::definition::Inferred,
    ) {
        if let Some(number) = number {
            item.insert("prefix".into(), json!(number));
        }
        extensions.extend(self.inferred(inferred));
    }

    /// What an element marks as inferred: per key an extension with the key, the reason in
    /// the export's locale and, as nested `translation` extensions, in the others (a
    /// sub-extension's `valueString` takes no `_valueString` of its own in every model).
    pub(super) fn inferred(&self, inferred: &crate::definition::Inferred) -> Vec<Value> {
        inferred
            .iter()
            .map(|(key, reason)| {
                let mut text = Map::new();
                self.text_into(&mut text, "valueString", reason);
                let mut parts = vec![
                    json!({ "url": "key", "valueString": key }),
                    json!({ "url": "reason", "valueString": text["valueString"] }),
                ];
                if let Some(Value::Object(translations)) = text.get("_valueString")
                    && let Some(Value::Array(list)) = translations.get("extension")
                {
                    parts.extend(list.iter().cloned());
                }
                json!({ "url": INFERRED, "extension": parts })
            })
            .collect()
    }

    fn base(&self, key: &str, title: &Text) -> Map<String, Value> {
        let mut item = Map::new();
        item.insert("linkId".into(), json!(self.catalogue.link_id(key)));
        self.text_into(&mut item, "text", title);
        item
    }

    fn finish(
        &self,
        mut item: Map<String, Value>,
        extensions: Vec<Value>,
        children: Vec<Value>,
    ) -> Value {
        if (item.contains_key("enableWhen") || item.contains_key("extension"))
            && self.version == FhirVersion::R5
        {
            item.insert("disabledDisplay".into(), json!("hidden"));
        }
        if !extensions.is_empty() {
            let mut all = item
                .remove("extension")
                .and_then(|e| e.as_array().cloned())
                .unwrap_or_default();
            all.extend(extensions);
            item.insert("extension".into(), Value::Array(all));
        }
        if !children.is_empty() {
            item.insert("item".into(), Value::Array(children));
        }
        // FHIR's order: extension first reads best; serde keeps insertion order.
        let mut ordered = Map::new();
        if let Some(ext) = item.remove("extension") {
            ordered.insert("extension".into(), ext);
        }
        ordered.extend(item);
        Value::Object(ordered)
    }

    fn choice_type(&self) -> &'static str {
        match self.version {
            FhirVersion::R4 => "choice",
            FhirVersion::R5 => "coding",
        }
    }

    fn options(&self, key: &str, q: &QuestionDef) -> Value {
        let choices = self.catalogue.choices(q);
        self.option_list(key, &choices, q)
    }

    fn option_list(&self, key: &str, choices: &[&ChoiceDef], q: &QuestionDef) -> Value {
        let option_type = self.catalogue.items.get(key).and_then(|i| i.option_type);
        let options: Vec<Value> = choices
            .iter()
            .map(|choice| {
                let label = q
                    .choice_labels
                    .as_ref()
                    .and_then(|labels| labels.get(&choice.value))
                    .unwrap_or(&choice.label);
                let mut option = Map::new();
                let mut marks = Vec::new();
                if choice.exclusive {
                    marks.push(extension(OPTION_EXCLUSIVE, "valueBoolean", &json!(true)));
                }
                marks.extend(self.inferred(&choice.inferred));
                if !marks.is_empty() {
                    option.insert("extension".into(), Value::Array(marks));
                }
                if let Some(t) = option_type {
                    option.insert(
                        format!("value{}", option_type_name(t)),
                        option_value(t, self.catalogue.coding(key, &choice.value).text()),
                    );
                } else {
                    let coding = self.catalogue.coding(key, &choice.value);
                    let code_less = coding.code.is_none();
                    let mut coding = coding.json();
                    if !code_less {
                        // A Coding without a code keeps the display that tells it.
                        self.text_into(&mut coding, "display", label);
                    }
                    option.insert("valueCoding".into(), Value::Object(coding));
                }
                Value::Object(option)
            })
            .collect();
        Value::Array(options)
    }

    fn specify_items(&self, q: &QuestionDef, owner: Option<&str>) -> Vec<Value> {
        let mut out = Vec::new();
        for choice in q.choices.iter().flatten() {
            let Some(specify) = &choice.specify else {
                continue;
            };
            let (specify_key, leaf) = effective::specify_leaf(q, owner, &choice.value, &specify.id);
            let mut item = self.base(
                &specify_key,
                specify.title.as_ref().unwrap_or(&choice.label),
            );
            item.insert("type".into(), json!("string"));
            if specify.required {
                item.insert("required".into(), json!(true));
            }
            if let Some(max) = specify.max_length {
                item.insert("maxLength".into(), json!(max));
            }
            self.enable_when(&mut item, &specify_key, &leaf, Scope::Top);
            out.push(self.finish(item, vec![kind("specify")], Vec::new()));
        }
        out
    }

    fn text_constraints(
        q: &QuestionDef,
        item: &mut Map<String, Value>,
        extensions: &mut Vec<Value>,
    ) {
        if let Some(max) = q.max_length {
            item.insert("maxLength".into(), json!(max));
        }
        if let Some(min) = q.min_length {
            extensions.push(extension(MIN_LENGTH, "valueInteger", &json!(min)));
        }
        if let Some(pattern) = &q.pattern {
            extensions.push(extension(
                REGEX,
                "valueString",
                &json!(whole_match(pattern)),
            ));
        }
        if let Some(format) = q.format {
            extensions.push(extension(FORMAT, "valueCode", &json!(format.key())));
            extensions.push(extension(
                REGEX,
                "valueString",
                &json!(whole_match(format.pattern())),
            ));
        }
    }

    fn matrix_rows(&self, q: &QuestionDef, key: &str) -> Vec<Value> {
        let choices = self.catalogue.choices(q);
        q.rows
            .iter()
            .flatten()
            .map(|row| {
                let row_key = format!("{key}.{}", row.id);
                let mut item = self.base(&row_key, &row.label);
                let children = self.displays(&row_key, row.help.as_ref(), None, &row.references);
                let mut extensions = Vec::new();
                self.marks(
                    &mut item,
                    &mut extensions,
                    row.number.as_deref(),
                    &row.inferred,
                );
                item.insert("type".into(), json!(self.choice_type()));
                if q.required && !row.optional {
                    item.insert("required".into(), json!(true));
                }
                if q.multiple {
                    item.insert("repeats".into(), json!(true));
                    occurs(
                        &mut extensions,
                        q.required,
                        q.min_selections,
                        q.max_selections,
                    );
                }
                item.insert(
                    "answerOption".into(),
                    self.option_list(&row_key, &choices, q),
                );
                if let Some(condition) = &row.enable_when {
                    self.enable_when(&mut item, &row_key, condition, Scope::Top);
                }
                self.finish(item, extensions, children)
            })
            .collect()
    }

    fn table_rows(&self, q: &QuestionDef, key: &str) -> Vec<Value> {
        let columns = q.columns.as_deref().unwrap_or_default();
        q.rows
            .iter()
            .flatten()
            .map(|row| {
                let row_key = format!("{key}.{}", row.id);
                let mut item = self.base(&row_key, &row.label);
                let mut children =
                    self.displays(&row_key, row.help.as_ref(), None, &row.references);
                let mut extensions = vec![kind("row")];
                self.marks(
                    &mut item,
                    &mut extensions,
                    row.number.as_deref(),
                    &row.inferred,
                );
                item.insert("type".into(), json!("group"));
                if q.required && !row.optional {
                    item.insert("required".into(), json!(true));
                }
                if let Some(condition) = &row.enable_when {
                    self.enable_when(&mut item, &row_key, condition, Scope::Top);
                }
                for rule in self
                    .def
                    .rules
                    .iter()
                    .filter(|r| r.for_each_row.as_deref() == Some(&q.id))
                {
                    extensions.push(self.constraint(rule, Scope::Row(&row_key)));
                }
                children.extend(self.items(columns, Some(&row_key), Scope::Row(&row_key)));
                self.finish(item, extensions, children)
            })
            .collect()
    }

    /// Display children: help (item control `help`), the note, and one per citation.
    fn displays(
        &self,
        key: &str,
        help: Option<&Text>,
        note: Option<&Text>,
        references: &[CitationDef],
    ) -> Vec<Value> {
        let link = self.catalogue.link_id(key);
        let mut out = Vec::new();
        for (text, marker, suffix) in [
            (help, control("help"), "help"),
            (note, kind("note"), "note"),
        ] {
            if let Some(text) = text {
                let mut item = Map::new();
                item.insert("extension".into(), json!([marker]));
                item.insert("linkId".into(), json!(format!("{link}:{suffix}")));
                self.text_into(&mut item, "text", text);
                item.insert("type".into(), json!("display"));
                out.push(Value::Object(item));
            }
        }
        for (i, citation) in references.iter().enumerate() {
            let mut parts = vec![json!({ "url": "reference", "valueString": citation.reference })];
            let mut words = Vec::new();
            if let Some(reference) = self.def.references.get(&citation.reference) {
                parts.push(json!({ "url": "title", "valueString": self.text(&reference.title) }));
                if let Some(edition) = &reference.edition {
                    parts.push(json!({ "url": "edition", "valueString": edition }));
                }
                if let Some(url) = &reference.url {
                    parts.push(json!({ "url": "url", "valueUri": url }));
                }
                let mut title = self.text(&reference.title).to_owned();
                if let Some(edition) = &reference.edition {
                    title = format!("{title}（{edition}）");
                }
                words.push(title);
            }
            if let Some(section) = &citation.section {
                parts.push(json!({ "url": "section", "valueString": self.text(section) }));
                words.push(self.text(section).to_owned());
            }
            if let Some(quote) = &citation.quote {
                parts.push(json!({ "url": "quote", "valueString": self.text(quote) }));
                words.push(self.text(quote).to_owned());
            }
            let mut item = Map::new();
            item.insert(
                "extension".into(),
                json!([{ "url": CITATION, "extension": parts }]),
            );
            item.insert("linkId".into(), json!(format!("{link}:ref{}", i + 1)));
            item.insert("text".into(), json!(words.join(" — ")));
            item.insert("type".into(), json!("display"));
            out.push(Value::Object(item));
        }
        out
    }
}

/// A pattern that is searched for, as a FHIR `regex` that must match the whole value.
pub(crate) fn whole_match(pattern: &str) -> String {
    format!("[\\s\\S]*(?:{pattern})[\\s\\S]*")
}

fn kind(name: &str) -> Value {
    extension(KIND, "valueCode", &json!(name))
}

fn control(code: &str) -> Value {
    json!({ "url": ITEM_CONTROL, "valueCodeableConcept": { "coding": [
        { "system": ITEM_CONTROL_SYSTEM, "code": code }
    ] } })
}

/// `minOccurs` and `maxOccurs`. A required item without a minimum gets `minOccurs` 0: the
/// format's `required` is answered by `[]`, FHIR's asks for one answer unless told otherwise
/// (and import reads it so).
fn occurs(extensions: &mut Vec<Value>, required: bool, min: Option<u32>, max: Option<u32>) {
    let min = if required {
        Some(min.unwrap_or(0))
    } else {
        min
    };
    if let Some(min) = min {
        extensions.push(extension(MIN_OCCURS, "valueInteger", &json!(min)));
    }
    if let Some(max) = max {
        extensions.push(extension(MAX_OCCURS, "valueInteger", &json!(max)));
    }
}

fn bounds(
    extensions: &mut Vec<Value>,
    key: &'static str,
    min: Option<&serde_json::Number>,
    max: Option<&serde_json::Number>,
) {
    for (url, bound) in [(MIN_VALUE, min), (MAX_VALUE, max)] {
        if let Some(bound) = bound {
            extensions.push(extension(url, value_key(key, bound), &json!(bound)));
        }
    }
}

/// `valueInteger` for a FHIR integer (32 bits); `valueDecimal` for an integer beyond it.
pub(crate) fn value_key(key: &'static str, n: &serde_json::Number) -> &'static str {
    let fits = n.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
    if key == "valueInteger" && !fits {
        "valueDecimal"
    } else {
        key
    }
}

pub(crate) fn option_type_name(t: crate::definition::OptionType) -> &'static str {
    match t {
        crate::definition::OptionType::Integer => "Integer",
        crate::definition::OptionType::String => "String",
        crate::definition::OptionType::Date => "Date",
    }
}

/// A choice value as the original option's value.
pub(crate) fn option_value(t: crate::definition::OptionType, value: &str) -> Value {
    match t {
        crate::definition::OptionType::Integer => value
            .parse::<i64>()
            .map_or_else(|_| json!(value), |n| json!(n)),
        _ => json!(value),
    }
}
