//! [`Survey`]: load, check and compile in one value, the only input later stages accept.
//!
//! Questions, group fields and "specify" boxes are flattened into one list of nodes in
//! document order; ids are interned to indices and conditions refer to those indices.
//! Validation reads the compact program compiled from the nodes; the nodes keep names, text
//! and kinds for reports and generation.

use std::path::Path;

use crate::check::{self, CheckError, Checked};
use crate::definition::{SurveyDefinition, Text};
use crate::input::{self, Format, Resource};
use crate::limits::Limits;
use crate::load::{self, SourceMap};
use crate::node::{IdMap, Item, Node, QuestionRef, Rule, Section};
use crate::program::Program;

/// A survey that has passed every definition check. Build one with [`Survey::from_yaml`],
/// [`Survey::from_json`], [`Survey::from_path`] or [`Survey::from_definition`]; it is
/// immutable, `Send + Sync`, and cheap to share behind an `Arc`.
///
/// ```
/// use survey_schema::Survey;
/// let survey = Survey::from_yaml(r#"
/// id: demo
/// version: "1"
/// default_locale: en
/// title: Demo
/// questions:
///   - { id: smoker, type: boolean, title: Do you smoke?, required: true }
///   - id: per_day
///     type: integer
///     title: How many per day?
///     minimum: 1
///     enable_when: { question: smoker, equals: true }
/// "#)?;
/// assert_eq!(survey.question_ids().collect::<Vec<_>>(), ["smoker", "per_day"]);
/// # Ok::<(), survey_schema::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Survey {
    pub(crate) definition: SurveyDefinition,
    pub(crate) nodes: Vec<Node>,
    /// Top-level answer keys to node indices.
    pub(crate) top_level: IdMap,
    /// Indices of the top-level nodes, in order.
    pub(crate) roots: Vec<usize>,
    /// The rules validation reads, compiled from `nodes`.
    pub(crate) program: Program,
    /// The sections, in document order.
    pub(crate) sections: Vec<Section>,
    /// The top level as written: nodes and sections, in order.
    pub(crate) layout: Vec<Item>,
    /// The edit checks, in order (a rule checked per table row once per row).
    pub(crate) rules: Vec<Rule>,
}

impl Survey {
    /// Loads and checks a YAML survey definition.
    ///
    /// # Errors
    ///
    /// [`Error::Load`](crate::Error::Load) when the text is not a well-formed definition,
    /// [`Error::Check`](crate::Error::Check) with every problem found when it breaks a rule.
    pub fn from_yaml(text: &str) -> Result<Survey, crate::error::Error> {
        Survey::load(text, Format::Yaml, &Limits::default())
    }

    /// Loads and checks a JSON survey definition.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_yaml`].
    pub fn from_json(text: &str) -> Result<Survey, crate::error::Error> {
        Survey::load(text, Format::Json, &Limits::default())
    }

    /// Loads and checks a survey file; `.yaml`/`.yml` and `.json` extensions choose the format.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_yaml`], plus [`LoadError::Io`](crate::LoadError::Io) and
    /// [`LoadError::UnknownFormat`](crate::LoadError::UnknownFormat).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Survey, crate::error::Error> {
        Survey::from_path_with_limits(path.as_ref(), &Limits::default())
    }

    /// [`Survey::from_path`] under the given limits.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_path`].
    pub fn from_path_with_limits(
        path: &Path,
        limits: &Limits,
    ) -> Result<Survey, crate::error::Error> {
        let (text, format) = input::read_path(path, limits)?;
        Survey::load(&text, format, limits).map_err(|error| crate::error::Error::File {
            path: path.to_owned(),
            error: Box::new(error),
        })
    }

    /// Loads and checks survey text in the given format under the given limits.
    ///
    /// Problems found by the checks carry the line and column of the offending node.
    ///
    /// # Errors
    ///
    /// As [`Survey::from_yaml`].
    pub fn load(
        text: &str,
        format: Format,
        limits: &Limits,
    ) -> Result<Survey, crate::error::Error> {
        if format == Format::Json && input::sniff(text.as_bytes()) == Some(Resource::Questionnaire)
        {
            let value = load::parse_answers(text, Format::Json, limits)?;
            return Survey::from_questionnaire(&value);
        }
        let definition = load::parse(text, format, limits)?;
        Survey::build(definition, limits).map_err(|mut error| {
            let map = SourceMap::build(text, limits);
            for problem in &mut error.problems {
                problem.location = map.locate(&problem.path);
            }
            // Report in the order of the text (a stable sort keeps each node's problems in
            // the order they were found).
            error.problems.sort_by_key(|p| p.location);
            crate::error::Error::Check(error)
        })
    }

    /// Imports a FHIR Questionnaire (R4 or R5 JSON) and checks the survey it makes
    /// ([`fhir::import`](crate::fhir::import)). [`Survey::load`] and the `from_*` functions do
    /// this for JSON text whose `resourceType` is `Questionnaire`.
    ///
    /// # Errors
    ///
    /// [`Error::Fhir`](crate::Error::Fhir) with what the format cannot carry, or
    /// [`Error::Check`](crate::Error::Check) when the imported survey breaks a rule (a forward
    /// reference, for one).
    pub fn from_questionnaire(
        questionnaire: &serde_json::Value,
    ) -> Result<Survey, crate::error::Error> {
        let definition = crate::fhir::import(questionnaire).map_err(crate::error::Error::Fhir)?;
        Ok(Survey::from_definition(definition)?)
    }

    /// The survey as a FHIR Questionnaire, texts in `locale` (default: the survey's) and the
    /// other locales as `translation` extensions; `docs/fhir.md` has the mapping.
    #[must_use]
    pub fn fhir_questionnaire(
        &self,
        version: crate::fhir::FhirVersion,
        locale: Option<&str>,
    ) -> serde_json::Value {
        crate::fhir::questionnaire(&self.definition, version, locale)
    }

    /// A `QuestionnaireResponse` read as an answer set, with where each answer was in it.
    ///
    /// # Errors
    ///
    /// When the resource is not a `QuestionnaireResponse`.
    pub fn answers_from_response(
        &self,
        response: &serde_json::Value,
    ) -> Result<crate::fhir::Converted, crate::fhir::Error> {
        crate::fhir::answers_from_response(&self.definition, response)
    }

    /// Checks a definition built in code (or deserialized by the caller).
    ///
    /// # Errors
    ///
    /// A [`CheckError`] listing every problem found.
    pub fn from_definition(definition: SurveyDefinition) -> Result<Survey, CheckError> {
        Survey::build(definition, &Limits::default())
    }

    /// Checks a definition and compiles the program validation runs.
    fn build(definition: SurveyDefinition, limits: &Limits) -> Result<Survey, CheckError> {
        let Checked {
            nodes,
            top_level,
            roots,
            sections,
            layout,
            rules,
        } = check::check(&definition, limits)?;
        Ok(Survey {
            program: Program::compile(&nodes, &rules),
            rules,
            definition,
            nodes,
            top_level,
            roots,
            sections,
            layout,
        })
    }

    /// The definition this survey was built from.
    #[must_use]
    pub fn definition(&self) -> &SurveyDefinition {
        &self.definition
    }

    /// The survey's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.definition.id
    }

    /// The locale every text of the survey has.
    #[must_use]
    pub fn default_locale(&self) -> &str {
        &self.definition.default_locale
    }

    /// The language of the crate's own messages about this survey (issues, findings, the
    /// codebook's words) when the caller names none: the survey's `default_locale`, or English
    /// where the crate has no catalogue for it.
    ///
    /// ```
    /// use survey_schema::{Locale, Survey};
    /// let survey = Survey::from_yaml("id: s\nversion: '1'\ndefault_locale: fr\ntitle: T\nquestions: [{id: q, type: text, title: Q}]")?;
    /// assert_eq!(survey.locale(), Locale::En);
    /// # Ok::<(), survey_schema::Error>(())
    /// ```
    #[must_use]
    pub fn locale(&self) -> crate::messages::Locale {
        crate::messages::Locale::from_tag(self.default_locale())
            .unwrap_or(crate::messages::Locale::En)
    }

    /// The ids of the top-level questions (and specify boxes) in order; these are the keys
    /// of an answer set.
    pub fn question_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.roots.iter().map(|&i| self.nodes[i].id.as_str())
    }

    /// Every question, group field and specify box, in document order.
    pub fn questions(&self) -> impl Iterator<Item = QuestionRef<'_>> + '_ {
        self.nodes.iter().map(Node::as_ref)
    }

    /// The question whose answer is at `pointer` in an answer set: a top-level question
    /// (`/Q12-1`), a group field or matrix row (`/Q1/contact`), a table cell
    /// (`/I2b/I2b-2/r1_date`), a repeat's field in one instance (`/systems/3/vendor`, or
    /// `/systems/-/vendor` as [`Survey::questions`] lists it). `None` for a pointer to no
    /// question. Unlike [`QuestionRef::id`], which a group field shares with a question of
    /// the same name, a pointer is unique: the key to use for a question.
    ///
    /// ```
    /// use survey_schema::{QuestionKind, Survey};
    /// let survey = Survey::from_path("schema/mhlw-hospital-cybersecurity-2024.yaml")?;
    /// let contact = survey.question("/Q1/contact").unwrap();
    /// assert_eq!((contact.id, contact.kind), ("contact", QuestionKind::Text));
    /// assert!(survey.question("/Q1/fax").is_none());
    /// # Ok::<(), survey_schema::Error>(())
    /// ```
    #[must_use]
    pub fn question(&self, pointer: &str) -> Option<QuestionRef<'_>> {
        let mut tokens = pointer.strip_prefix('/')?.split('/');
        let mut node = *self.top_level.get(tokens.next()?)?;
        let mut instance = false;
        while let Some(mut token) = tokens.next() {
            if matches!(
                self.nodes[node].spec,
                crate::node::AnswerSpec::Repeat { .. }
            ) {
                // An instance: `-` for any, or its index.
                if token != "-" && token.parse::<usize>().is_err() {
                    return None;
                }
                instance |= token != "-";
                token = tokens.next()?;
            }
            let (_, index) = self.nodes[node].spec.fields()?;
            node = *index.get(token)?;
        }
        let mut found = self.nodes[node].as_ref();
        if instance {
            found.pointer = std::borrow::Cow::Owned(pointer.to_owned());
        }
        Some(found)
    }

    /// Whether a node is a field (or specify box) of a repeat.
    pub(crate) fn in_repeat(&self, index: usize) -> bool {
        self.nodes[index]
            .parent
            .is_some_and(|p| matches!(self.nodes[p].spec, crate::node::AnswerSpec::Repeat { .. }))
    }

    pub(crate) fn text<'a>(&'a self, text: &'a Text, locale: &str) -> &'a str {
        text.get(locale, &self.definition.default_locale)
    }
}

/// The texts a generated form shows around a question beside its title: one way for every
/// generator.
impl Survey {
    /// A citation as a form shows it: "See" in `locale`, the document's title (with its
    /// edition), the section cited, and the quote on a line of its own.
    pub(crate) fn citation_line(
        &self,
        citation: &crate::definition::CitationDef,
        locale: &str,
    ) -> String {
        let see = word(locale, crate::messages::Word::SeeAlso);
        let mut head = match self.definition.references.get(&citation.reference) {
            Some(reference) => {
                let title = self.text(&reference.title, locale);
                match &reference.edition {
                    Some(edition) => format!("{title}（{edition}）"),
                    None => title.to_owned(),
                }
            }
            None => citation.reference.clone(),
        };
        head = format!("{see}: {head}");
        if let Some(section) = &citation.section {
            head = format!("{head} {}", self.text(section, locale));
        }
        match &citation.quote {
            Some(quote) => format!("{head}\n{}", self.text(quote, locale)),
            None => head,
        }
    }

    /// What a form shows with a question or section beside its title, as paragraphs: the
    /// note (who is to answer it), the help, then each citation led by "See" in `locale`.
    /// `None` when there is nothing.
    pub(crate) fn guidance(
        &self,
        about: Option<&crate::node::About>,
        help: Option<&Text>,
        locale: &str,
    ) -> Option<String> {
        let about = crate::node::About::of(about);
        let mut parts: Vec<String> = Vec::new();
        if let Some(note) = &about.note {
            parts.push(self.text(note, locale).to_owned());
        }
        if let Some(help) = help {
            parts.push(self.text(help, locale).to_owned());
        }
        for citation in &about.citations {
            parts.push(self.citation_line(citation, locale));
        }
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }

    /// What a question marks as inferred, for a reader of a generated schema:
    /// `Inferred: KEY: REASON; ...` in `locale`.
    pub(crate) fn inferred_comment(&self, about: &crate::node::About, locale: &str) -> String {
        format!(
            "{}: {}",
            word(locale, crate::messages::Word::Inferred),
            self.inferred_text(&about.inferred, locale).join("; ")
        )
    }

    /// What an element marks as inferred, in words: `KEY: REASON` per key, joined by `; `.
    pub(crate) fn inferred_text(
        &self,
        inferred: &crate::definition::Inferred,
        locale: &str,
    ) -> Vec<String> {
        inferred
            .iter()
            .map(|(key, reason)| format!("{key}: {}", self.text(reason, locale)))
            .collect()
    }
}

/// A fixed word in the language of a survey's `locale` (English for a locale the crate has no
/// words in).
fn word(locale: &str, word: crate::messages::Word) -> &'static str {
    crate::messages::Locale::from_tag(locale)
        .unwrap_or(crate::messages::Locale::En)
        .words()
        .word(word)
}
