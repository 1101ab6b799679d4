//! FHIR Questionnaire and `QuestionnaireResponse`, both ways.
//!
//! [`Survey::fhir_questionnaire`](crate::Survey::fhir_questionnaire) writes a Questionnaire,
//! [`import`] (or [`Survey::from_questionnaire`](crate::Survey::from_questionnaire), which also
//! checks) reads one, and [`Survey::fhir_response`](crate::Survey::fhir_response) and
//! [`Survey::answers_from_response`](crate::Survey::answers_from_response) convert answer sets.
//!
//! ```
//! use survey_schema::Survey;
//! use survey_schema::fhir::FhirVersion;
//!
//! let survey = Survey::from_path("schema/mhlw-hospital-cybersecurity-2024.yaml")?;
//! let questionnaire = survey.fhir_questionnaire(FhirVersion::R4, Some("en"));
//! assert_eq!(questionnaire["item"][9]["linkId"], "Q10");
//! let back = Survey::from_questionnaire(&questionnaire)?;
//! let answers = serde_json::json!({ "Q11": false, "Q12": true });
//! let draft = survey_schema::ValidateOptions { partial: true, ..Default::default() };
//! assert_eq!(back.validate_with(&answers, &draft).issues[0].code.as_str(), "answered_while_disabled");
//! let response = survey.fhir_response(&answers, true).expect("FHIR can hold these answers");
//! assert_eq!(survey.answers_from_response(&response).expect("a response").answers, answers);
//! # Ok::<(), survey_schema::Error>(())
//! ```
//!
//! The modules:
//!
//! - `export`: a checked definition to a Questionnaire (R4 or R5 JSON).
//! - `import`: a Questionnaire to a definition, with a [`FhirProblem`] for everything the
//!   survey format cannot carry.
//! - `response`: an answer set to a `QuestionnaireResponse` and back.
//! - `problem`: what FHIR input is refused for: [`FhirProblem`], its [`FhirProblemCode`], and
//!   [`Error`], all of one resource's problems.
//! - `path`: the `FHIRPath` subset that export writes for conditions and rules and import reads.
//! - `items`: the link ids of a definition's items and what each item is.
//!
//! The mapping is documented in the `docs/fhir.md`.

mod export;
mod import;
mod items;
mod path;
mod problem;
mod response;

pub use import::import;
pub use problem::{Error, FhirProblem, FhirProblemCode};
pub use response::Converted;

pub(crate) use export::questionnaire;
pub(crate) use response::{answers_from_response, response, without_empty_answers};

use serde_json::{Value, json};

/// The FHIR release a Questionnaire is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FhirVersion {
    /// FHIR R4 (4.0.1), the release of JP Core.
    #[default]
    R4,
    /// FHIR R5 (5.0.0).
    R5,
}

impl FhirVersion {
    /// `fhirVersion` as a Questionnaire states it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FhirVersion::R4 => "4.0.1",
            FhirVersion::R5 => "5.0.0",
        }
    }
}

pub(crate) const TRANSLATION: &str = "http://hl7.org/fhir/StructureDefinition/translation";
pub(crate) const ITEM_CONTROL: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
pub(crate) const ITEM_CONTROL_SYSTEM: &str = "http://hl7.org/fhir/questionnaire-item-control";
pub(crate) const REGEX: &str = "http://hl7.org/fhir/StructureDefinition/regex";
pub(crate) const MIN_LENGTH: &str = "http://hl7.org/fhir/StructureDefinition/minLength";
pub(crate) const MIN_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/minValue";
pub(crate) const MAX_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/maxValue";
pub(crate) const ENTRY_FORMAT: &str = "http://hl7.org/fhir/StructureDefinition/entryFormat";
pub(crate) const MIN_OCCURS: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs";
pub(crate) const MAX_OCCURS: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs";
pub(crate) const OPTION_EXCLUSIVE: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive";
pub(crate) const CONSTRAINT: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint";
pub(crate) const ENABLE_WHEN_EXPRESSION: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
/// What a FHIR item is in the survey format, where FHIR alone does not say (a group answered
/// as one object, a section, a matrix, a table, a repeat, a specify box).
pub(crate) const KIND: &str = "urn:survey-schema:kind";
/// A text question's `format` (`email`, `tel`, `url`), besides the regex that checks it.
pub(crate) const FORMAT: &str = "urn:survey-schema:format";
/// A boolean question's labels.
pub(crate) const TRUE_LABEL: &str = "urn:survey-schema:true-label";
pub(crate) const FALSE_LABEL: &str = "urn:survey-schema:false-label";
/// A citation: a display item holding a reference's title, section and quote.
pub(crate) const CITATION: &str = "urn:survey-schema:citation";
/// What an element of the survey file marks as inferred: per key, a sub-extension `key`
/// and a `reason` (with its translations).
pub(crate) const INFERRED: &str = "urn:survey-schema:inferred";

/// `{url, valueX: value}`.
pub(crate) fn extension(url: &str, key: &str, value: &Value) -> Value {
    json!({ "url": url, key: value })
}

/// The extensions of a FHIR element with the given URL.
pub(crate) fn extensions<'v>(element: &'v Value, url: &'v str) -> impl Iterator<Item = &'v Value> {
    list(element, "extension")
        .iter()
        .filter(move |e| e.get("url").and_then(Value::as_str) == Some(url))
}

/// The list under `key` of a FHIR element, empty when there is none.
pub(crate) fn list<'v>(element: &'v Value, key: &str) -> &'v [Value] {
    element
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

/// The JSON type of a value, for a message (`must be an array, not an object`).
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
