//! The link ids of a definition's items, and what each item answers.
//!
//! A top-level question or section keeps its id; a group's field, a matrix's row, a table's
//! row and a repeat's field are `OWNER.ID`, a table's cell `TABLE.ROW.COLUMN`; a specify box
//! is its id (`GROUP.ID` inside a group). Ids never hold a dot, so these never collide; the
//! display items export adds use `:` (`Q1:help`). An imported survey maps them to the
//! original linkIds (`fhir.link_ids`).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::definition::{
    ChoiceDef, FhirDef, OptionType, QuestionDef, QuestionKind, SurveyDefinition,
};

/// What a condition or an answer on an item compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    Boolean,
    /// A choice: `valueCoding` (or the original option type of an imported form).
    Choice {
        multiple: bool,
    },
    Text,
    Integer,
    Number,
    Date,
    /// A repeat: conditions count its instances.
    Count,
    /// A group, matrix, table or table row: answered when a field is.
    Group,
    /// A section: not an answer key.
    Section,
}

/// One item of the definition.
#[derive(Debug, Clone)]
pub(crate) struct Info<'d> {
    /// The link id export writes (the original one of an imported form).
    pub(crate) link_id: String,
    pub(crate) answer: Answer,
    /// The choices of a choice item.
    pub(crate) choices: Vec<&'d ChoiceDef>,
    /// The original option type of an imported choice item whose options were not codings.
    pub(crate) option_type: Option<OptionType>,
}

/// Every item of a definition by the link id export would write.
pub(crate) struct Catalogue<'d> {
    pub(crate) def: &'d SurveyDefinition,
    pub(crate) items: HashMap<String, Info<'d>>,
    /// Original link ids -> keys (for reading responses and expressions).
    pub(crate) keys: HashMap<String, String>,
    mapping: Option<&'d FhirDef>,
}

impl<'d> Catalogue<'d> {
    pub(crate) fn new(def: &'d SurveyDefinition) -> Catalogue<'d> {
        let mut catalogue = Catalogue {
            def,
            items: HashMap::new(),
            keys: HashMap::new(),
            mapping: def.fhir.as_ref(),
        };
        catalogue.add_all(&def.questions, None);
        catalogue
    }

    fn add_all(&mut self, questions: &'d [QuestionDef], owner: Option<&str>) {
        for q in questions {
            let key = match owner {
                Some(owner) => format!("{owner}.{}", q.id),
                None => q.id.clone(),
            };
            match q.kind {
                QuestionKind::Section => {
                    self.add(&key, Answer::Section, Vec::new());
                    self.add_all(q.questions.as_deref().unwrap_or_default(), owner);
                }
                QuestionKind::Group => {
                    self.add(&key, Answer::Group, Vec::new());
                    self.add_all(q.fields.as_deref().unwrap_or_default(), Some(&key));
                }
                QuestionKind::Repeat => {
                    self.add(&key, Answer::Count, Vec::new());
                    self.add_all(q.fields.as_deref().unwrap_or_default(), Some(&key));
                }
                QuestionKind::Matrix => {
                    self.add(&key, Answer::Group, Vec::new());
                    for row in q.rows.iter().flatten() {
                        let answer = Answer::Choice {
                            multiple: q.multiple,
                        };
                        let choices = self.choices(q);
                        self.add(&format!("{key}.{}", row.id), answer, choices);
                    }
                }
                QuestionKind::Table => {
                    self.add(&key, Answer::Group, Vec::new());
                    for row in q.rows.iter().flatten() {
                        let row_key = format!("{key}.{}", row.id);
                        self.add(&row_key, Answer::Group, Vec::new());
                        self.add_all(q.columns.as_deref().unwrap_or_default(), Some(&row_key));
                    }
                }
                _ => {
                    let choices = self.choices(q);
                    self.add(&key, answer_of(q.kind), choices);
                    for choice in q.choices.iter().flatten() {
                        if let Some(specify) = &choice.specify {
                            let specify_key = match owner {
                                Some(owner) => format!("{owner}.{}", specify.id),
                                None => specify.id.clone(),
                            };
                            self.add(&specify_key, Answer::Text, Vec::new());
                        }
                    }
                }
            }
        }
    }

    fn add(&mut self, key: &str, answer: Answer, choices: Vec<&'d ChoiceDef>) {
        let link_id = self
            .mapping
            .and_then(|m| m.link_ids.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_owned());
        let option_type = self.mapping.and_then(|m| m.option_types.get(key)).copied();
        self.keys.insert(link_id.clone(), key.to_owned());
        self.items.insert(
            key.to_owned(),
            Info {
                link_id,
                answer,
                choices,
                option_type,
            },
        );
    }

    /// A choice question's (or matrix's) choices, from its list or its choice set.
    pub(crate) fn choices(&self, q: &'d QuestionDef) -> Vec<&'d ChoiceDef> {
        match (&q.choices, &q.choice_set) {
            (Some(choices), _) => choices.iter().collect(),
            (None, Some(name)) => self
                .def
                .choice_sets
                .get(name)
                .map(|set| set.iter().collect())
                .unwrap_or_default(),
            (None, None) => Vec::new(),
        }
    }

    /// The link id of a key.
    pub(crate) fn link_id(&self, key: &str) -> String {
        self.items
            .get(key)
            .map_or_else(|| key.to_owned(), |info| info.link_id.clone())
    }

    /// The code system of a key's choices: the survey's (`urn:survey-schema:SURVEY:KEY`).
    pub(crate) fn system(&self, key: &str) -> String {
        let base = self
            .mapping
            .and_then(|m| m.url.clone())
            .unwrap_or_else(|| format!("urn:survey-schema:{}", self.def.id));
        format!("{base}:{key}")
    }

    /// The coding of a choice value: the original one of an imported form, else the survey's
    /// system and the value.
    pub(crate) fn coding(&self, key: &str, value: &str) -> Coding {
        if let Some(coding) = self
            .mapping
            .and_then(|m| m.codes.get(key))
            .and_then(|codes| codes.get(value))
        {
            let code = match (&coding.code, &coding.display) {
                (None, None) => Some(value.to_owned()),
                (code, _) => code.clone(),
            };
            return Coding {
                system: coding.system.clone(),
                display: coding.display.clone().filter(|_| code.is_none()),
                code,
            };
        }
        let system = if self.mapping.is_some_and(|m| m.codes.contains_key(key)) {
            // An imported form's codes without a system stay without one.
            None
        } else {
            Some(self.system(key))
        };
        Coding {
            system,
            code: Some(value.to_owned()),
            display: None,
        }
    }

    /// The choice value of a code given for a key (any system matches, as a condition's
    /// coding without a system does).
    pub(crate) fn value_of_code(&self, key: &str, code: &str) -> Option<String> {
        if let Some(codes) = self.mapping.and_then(|m| m.codes.get(key))
            && let Some((value, _)) = codes.iter().find(|(_, c)| c.code.as_deref() == Some(code))
        {
            return Some(value.clone());
        }
        let info = self.items.get(key)?;
        info.choices
            .iter()
            .find(|c| c.value == code)
            .map(|c| c.value.clone())
    }

    /// The choice value an option value of an imported form's own type (`valueString`,
    /// `valueInteger`, `valueDate`, written as text) names for a key.
    pub(crate) fn value_of_option(&self, key: &str, code: &str) -> Option<String> {
        if let Some(codes) = self.mapping.and_then(|m| m.codes.get(key)) {
            if let Some((value, _)) = codes.iter().find(|(_, c)| c.code.as_deref() == Some(code)) {
                return Some(value.clone());
            }
            if self
                .mapping
                .is_some_and(|m| m.option_types.contains_key(key))
            {
                return None;
            }
        }
        let info = self.items.get(key)?;
        let choice = info.choices.iter().find(|c| c.value == code)?;
        Some(choice.value.clone())
    }

    /// The choice value of a Coding given for a key (in a response's `valueCoding`), or
    /// `None` when it is no option's.
    pub(crate) fn value_of_coding(&self, key: &str, given: &Value) -> Option<String> {
        let info = self.items.get(key)?;
        info.choices
            .iter()
            .find(|c| self.coding(key, &c.value).matches(given))
            .map(|c| c.value.clone())
    }
}

/// A choice's FHIR Coding, as export writes it and responses and conditions compare it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Coding {
    pub(crate) system: Option<String>,
    /// The code; `None` for an imported option that has only a display.
    pub(crate) code: Option<String>,
    /// The display that tells a Coding without a code.
    pub(crate) display: Option<String>,
}

impl Coding {
    /// The Coding as FHIR JSON: its system, its code, or the display that stands for it.
    pub(crate) fn json(&self) -> Map<String, Value> {
        let mut coding = Map::new();
        if let Some(system) = &self.system {
            coding.insert("system".into(), Value::String(system.clone()));
        }
        if let Some(code) = &self.code {
            coding.insert("code".into(), Value::String(code.clone()));
        } else if let Some(display) = &self.display {
            coding.insert("display".into(), Value::String(display.clone()));
        }
        coding
    }

    /// What stands for the coding where one text is written (an option of another type, a
    /// `FHIRPath` test): the code, else the display.
    pub(crate) fn text(&self) -> &str {
        self.code
            .as_deref()
            .or(self.display.as_deref())
            .unwrap_or_default()
    }

    /// Whether a FHIR Coding given is this one: the same code (a missing system on either
    /// side matches any), or, for a coding without a code, the same display.
    pub(crate) fn matches(&self, given: &Value) -> bool {
        let field = |name: &str| given.get(name).and_then(Value::as_str);
        let system = field("system");
        let systems = system.is_none() || self.system.is_none() || system == self.system.as_deref();
        systems
            && match (&self.code, field("code")) {
                (Some(code), Some(given)) => code == given,
                (None, None) => {
                    self.display.is_some() && self.display.as_deref() == field("display")
                }
                _ => false,
            }
    }

    /// The `FHIRPath` test that a Coding is this one.
    pub(crate) fn fhirpath_field(&self) -> &'static str {
        if self.code.is_some() {
            "code"
        } else {
            "display"
        }
    }
}

/// What a question of a kind answers (a leaf kind's value, a repeat's count, a section
/// nothing).
pub(crate) fn answer_of(kind: QuestionKind) -> Answer {
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
        QuestionKind::Group | QuestionKind::Matrix | QuestionKind::Table => Answer::Group,
    }
}
