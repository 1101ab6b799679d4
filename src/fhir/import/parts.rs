//! An item's settings, texts, options, specify boxes, matrix rows and table rows.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Value, json};

use super::conditions::BLANK;
use super::{Importer, join, pattern_of, sanitize};
use crate::definition::{
    ChoiceDef, CitationDef, CodingDef, OptionType, QuestionDef, QuestionKind, ReferenceDef, RowDef,
    SpecifyDef, Text,
};
use crate::fhir::FhirProblemCode;
use crate::fhir::items::Answer;
use crate::fhir::{
    CITATION, CONSTRAINT, ENABLE_WHEN_EXPRESSION, FALSE_LABEL, FORMAT, INFERRED, ITEM_CONTROL,
    KIND, MAX_OCCURS, MAX_VALUE, MIN_LENGTH, MIN_OCCURS, MIN_VALUE, OPTION_EXCLUSIVE, REGEX,
    TRUE_LABEL, extensions,
};

impl Importer {
    /// One key an element marks as inferred (`urn:survey-schema:inferred`, with a `key` and
    /// a `reason`), into `into`; without both parts it is a problem at `at`.
    pub(super) fn inferred_mark(
        &mut self,
        ext: &Value,
        into: &mut crate::definition::Inferred,
        at: &str,
    ) {
        let parts = crate::fhir::list(ext, "extension");
        let part = |name: &str| {
            parts
                .iter()
                .find(|p| p.get("url").and_then(Value::as_str) == Some(name))
        };
        let key = part("key")
            .and_then(|p| p.get("valueString"))
            .and_then(Value::as_str);
        // The reason, and its translations as the nested `translation` extensions beside it.
        let translations: Vec<Value> = parts
            .iter()
            .filter(|p| p.get("url").and_then(Value::as_str) == Some(crate::fhir::TRANSLATION))
            .cloned()
            .collect();
        let reason = part("reason")
            .and_then(|p| p.get("valueString"))
            .cloned()
            .map(|text| json!({ "v": text, "_v": { "extension": translations } }))
            .and_then(|element| self.text(&element, "v"));
        match (key, reason) {
            (Some(key), Some(reason)) => {
                into.insert(key.to_owned(), reason);
            }
            _ => self.problem(
                FhirProblemCode::UnsupportedExtension,
                at,
                format!("`{INFERRED}` needs a `key` and a `reason`"),
            ),
        }
    }

    pub(super) fn setting(
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
                    q.minimum = value;
                } else {
                    q.maximum = value;
                }
            }
            (MIN_VALUE | MAX_VALUE, QuestionKind::Date) => {
                let value = ext
                    .get("valueDate")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if url == MIN_VALUE {
                    q.earliest = value;
                } else {
                    q.latest = value;
                }
            }
            (MIN_LENGTH, QuestionKind::Text) => q.min_length = int(ext),
            (REGEX, QuestionKind::Text) => {
                let regex = ext.get("valueString").and_then(Value::as_str).unwrap_or("");
                if q.format
                    .is_some_and(|f| crate::fhir::export::whole_match(f.pattern()) == regex)
                {
                    return;
                }
                match pattern_of(regex) {
                    Ok(pattern) => q.pattern = Some(pattern),
                    Err(why) => self.problem(FhirProblemCode::UnsupportedRegex, at, why),
                }
            }
            (FORMAT, QuestionKind::Text) => {
                q.format =
                    serde_json::from_value(ext.get("valueCode").cloned().unwrap_or_default()).ok();
                if q.format.is_some_and(|f| {
                    q.pattern.as_deref() == Some(&crate::fhir::export::whole_match(f.pattern()))
                }) {
                    q.pattern = None;
                }
            }
            (MIN_OCCURS, QuestionKind::MultipleChoice) => q.min_selections = int(ext),
            (MAX_OCCURS, QuestionKind::MultipleChoice) => q.max_selections = int(ext),
            (MIN_OCCURS, QuestionKind::Repeat) => q.min_items = int(ext),
            (MAX_OCCURS, QuestionKind::Repeat) => q.max_items = int(ext),
            // On an item with one answer, published forms (LOINC's PHQ-9) write
            // `minOccurs: 1` to mean "required" and `maxOccurs: 1` for the one answer it
            // takes anyway; more than one answer has no place there.
            (MIN_OCCURS | MAX_OCCURS, kind)
                if !matches!(kind, QuestionKind::Section | QuestionKind::Group)
                    && int(ext).is_some_and(|n| n <= 1) =>
            {
                if url == MIN_OCCURS && int(ext) == Some(1) {
                    q.required = true;
                }
            }
            (TRUE_LABEL, QuestionKind::Boolean) => {
                q.true_label = ext
                    .get("valueString")
                    .and_then(Value::as_str)
                    .map(Text::from);
            }
            (FALSE_LABEL, QuestionKind::Boolean) => {
                q.false_label = ext
                    .get("valueString")
                    .and_then(Value::as_str)
                    .map(Text::from);
            }
            (KIND, _) => {}
            _ => self.problem(
                FhirProblemCode::UnsupportedExtension,
                at,
                format!("`{url}` does not apply to a {} question", kind.as_str()),
            ),
        }
    }

    pub(super) fn display_child(&mut self, q: &mut QuestionDef, display: &Value, at: &str) {
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
                FhirProblemCode::DisplayCondition,
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
    pub(super) fn options(
        &mut self,
        q: &mut QuestionDef,
        key: &str,
        item: &Value,
        item_type: &str,
        at: &str,
    ) {
        // The options' own type (a `choice` item may offer strings too), else the item's.
        let first = crate::fhir::list(item, "answerOption").first();
        let has = |key: &str| first.is_some_and(|o| o.get(key).is_some());
        let option_type = if has("valueCoding") {
            None
        } else if has("valueInteger") {
            Some(OptionType::Integer)
        } else if has("valueDate") {
            Some(OptionType::Date)
        } else if has("valueString") {
            Some(OptionType::String)
        } else {
            match item_type {
                "integer" => Some(OptionType::Integer),
                "string" | "text" => Some(OptionType::String),
                "date" => Some(OptionType::Date),
                _ => None,
            }
        };
        let mut choices = Vec::new();
        let mut codes = BTreeMap::new();
        let mut taken = HashSet::new();
        let mut seen = HashMap::new();
        let ours = "urn:survey-schema:".to_string();
        for (i, option) in crate::fhir::list(item, "answerOption").iter().enumerate() {
            let here = format!("{at}.answerOption[{i}]");
            let mut option_inferred = crate::definition::Inferred::new();
            for (j, ext) in crate::fhir::list(option, "extension").iter().enumerate() {
                let at = format!("{here}.extension[{j}]");
                match ext.get("url").and_then(Value::as_str) {
                    Some(OPTION_EXCLUSIVE) => {}
                    Some(INFERRED) => self.inferred_mark(ext, &mut option_inferred, &at),
                    _ => self.unsupported_extension(ext, &at),
                }
            }
            let exclusive = extensions(option, OPTION_EXCLUSIVE)
                .any(|e| e.get("valueBoolean") == Some(&Value::Bool(true)));
            let mut by_display = None;
            let (code, system, label) = if let Some(coding) = option.get("valueCoding") {
                let system = coding
                    .get("system")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let display = coding.get("display").and_then(Value::as_str);
                let code = match (coding.get("code").and_then(Value::as_str), display) {
                    (Some(code), _) => code.to_owned(),
                    // A Coding told by its display alone: the choice value comes from it.
                    (None, Some(display)) if !display.is_empty() => {
                        by_display = Some(display.to_owned());
                        value_from_display(display, i)
                    }
                    _ => {
                        self.problem(
                            FhirProblemCode::UnsupportedOption,
                            format!("{here}.valueCoding"),
                            "a Coding with neither a code nor a display",
                        );
                        continue;
                    }
                };
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
                    FhirProblemCode::UnsupportedOption,
                    &here,
                    "an answer option that is not a Coding, a string, an integer or a date",
                );
                continue;
            };
            // One code (with its system) names one option: a second would make every answer
            // and condition on it ambiguous.
            let told_by = by_display.clone().unwrap_or_else(|| code.clone());
            let identity = (system.clone(), by_display.is_some(), told_by);
            if let Some(first) = seen.insert(identity, i) {
                self.problem(
                    FhirProblemCode::DuplicateOption,
                    &here,
                    format!(
                        "the option `{code}` is given twice (first at `answerOption[{first}]`)"
                    ),
                );
                continue;
            }
            let mut value = sanitize(&code);
            let base = value.clone();
            let mut n = 2;
            while !taken.insert(value.clone()) {
                value = format!("{base}_{n}");
                n += 1;
            }
            let survey_system = system.as_deref().is_some_and(|s| s.starts_with(&ours));
            if let Some(display) = by_display {
                codes.insert(value.clone(), CodingDef::by_display(display, system));
            } else if value != code || (system.is_some() && !survey_system) || option_type.is_some()
            {
                codes.insert(
                    value.clone(),
                    CodingDef::new(code, system.filter(|_| !survey_system)),
                );
            }
            let mut choice: ChoiceDef =
                serde_json::from_value(json!({ "value": value, "label": "" })).expect(BLANK);
            choice.label = label;
            choice.exclusive = exclusive;
            choice.inferred = option_inferred;
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

    pub(super) fn specify(
        &mut self,
        q: &mut QuestionDef,
        s: &Value,
        owner: Option<&str>,
        at: &str,
    ) {
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
                FhirProblemCode::NestedQuestion,
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

    pub(super) fn matrix(&mut self, q: &mut QuestionDef, key: &str, rows: &[&Value], at: &str) {
        let mut defs = Vec::new();
        let mut required = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let here = format!("{at}.item[{i}]");
            let Some(row_q) = self.item(row, Some(key), None, &here) else {
                continue;
            };
            if i == 0 {
                q.choices.clone_from(&row_q.choices);
                q.multiple = row_q.kind == QuestionKind::MultipleChoice;
                q.min_selections = row_q.min_selections;
                q.max_selections = row_q.max_selections;
                let row_key = format!("{key}.{}", row_q.id);
                if let Some(codes) = self.mapping.codes.get(&row_key).cloned() {
                    self.mapping.codes.insert(key.to_owned(), codes);
                }
            }
            let mut def: RowDef =
                serde_json::from_value(json!({ "id": row_q.id, "label": "" })).expect(BLANK);
            def.label = row_q.title;
            def.number = row_q.number;
            def.help = row_q.help;
            def.references = row_q.references;
            def.inferred = row_q.inferred;
            required.push(row_q.required);
            defs.push(def);
        }
        optional_rows(q, &mut defs, &required);
        q.rows = Some(defs);
    }

    pub(super) fn table(&mut self, q: &mut QuestionDef, key: &str, rows: &[&Value], at: &str) {
        let mut defs = Vec::new();
        let mut required = Vec::new();
        let mut marks = crate::definition::Inferred::new();
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
            self.defer_enable_when(row, &row_key, &here);
            self.answers.insert(row_key.clone(), Answer::Group);
            for (j, ext) in crate::fhir::list(row, "extension").iter().enumerate() {
                let at = format!("{here}.extension[{j}]");
                match ext.get("url").and_then(Value::as_str).unwrap_or("") {
                    CONSTRAINT => {
                        self.constraints
                            .push((ext.clone(), Some((row_key.clone(), true)), at));
                    }
                    ENABLE_WHEN_EXPRESSION => self.defer_expression(ext, &row_key, None, at),
                    INFERRED => self.inferred_mark(ext, &mut marks, &at),
                    KIND => {}
                    _ => self.unsupported_extension(ext, &at),
                }
            }
            let (displays, cells): (Vec<&Value>, Vec<&Value>) = crate::fhir::list(row, "item")
                .iter()
                .partition(|c| c.get("type").and_then(Value::as_str) == Some("display"));
            let columns = self.items(&cells, Some(&row_key), Some(&row_key), &here);
            if i == 0 {
                q.columns = Some(columns);
            }
            required.push(row.get("required").and_then(Value::as_bool) == Some(true));
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
            def.number = row.get("prefix").and_then(Value::as_str).map(str::to_owned);
            def.inferred = std::mem::take(&mut marks);
            defs.push(def);
        }
        optional_rows(q, &mut defs, &required);
        q.rows = Some(defs);
    }
}

/// A matrix or table is required when any of its rows is; a row that is not, of a required
/// one, is `optional`.
fn optional_rows(q: &mut QuestionDef, rows: &mut [RowDef], required: &[bool]) {
    q.required = required.iter().any(|&r| r);
    if q.required {
        for (row, &required) in rows.iter_mut().zip(required) {
            row.optional = !required;
        }
    }
}

/// The choice value of an option told by its display alone: the display's letters and digits
/// (`Strongly agree` -> `Strongly_agree`, at most 40 characters), else `option_N`.
fn value_from_display(display: &str, index: usize) -> String {
    let mut value = String::new();
    for c in display.chars() {
        if c.is_ascii_alphanumeric() {
            value.push(c);
        } else if !value.is_empty() && !value.ends_with('_') {
            value.push('_');
        }
        if value.len() >= 40 {
            break;
        }
    }
    let value = value.trim_end_matches('_');
    if value.starts_with(|c: char| c.is_ascii_alphabetic()) {
        value.to_owned()
    } else {
        format!("option_{}", index + 1)
    }
}
