//! The survey definition format: plain serde + schemars types that mirror a YAML or JSON
//! survey file one to one, and nothing else.
//!
//! A [`SurveyDefinition`] is what a file *says*; it has not been checked. Turn it into a
//! [`Survey`](crate::Survey) with [`Survey::from_definition`](crate::Survey::from_definition)
//! to get a value that later stages can trust. Unknown fields are errors everywhere.

mod budget;
mod condition;
mod fhir;
mod question;
mod scalar;
mod text;

pub use condition::ConditionDef;
pub use fhir::{CodingDef, FhirDef, OptionType};
pub use question::{ChoiceDef, QuestionDef, QuestionKind, RowDef, SpecifyDef, TextFormat};
pub use text::Text;

pub(crate) use budget::{MAX_QUESTION_NESTING, with_question_budget};
pub(crate) use condition::Operator;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What an element of a survey file says that its source does not: per key of the element
/// (`required`, `type`, `title`, `label`, ...), the reason it was inferred.
///
/// A survey encoded from a printed form or a document marks every inference this way rather
/// than in a comment, so that the tools carry it: the codebook and the DDI export show it, and
/// the FHIR export keeps it. Each key must be one the element sets; `survey check` says so
/// (`not_applicable`) when it is not.
///
/// ```yaml
/// - id: Q6
///   type: multiple_choice
///   title: { ja: 当てはまるものを選択してください。 }
///   inferred:
///     type: { ja: 調査票は単一選択か複数選択かを示していない。, en: The form does not say single or multiple choice. }
/// ```
pub type Inferred = BTreeMap<String, Text>;

/// A whole survey as written in a definition file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SurveyDefinition {
    /// Stable identifier of the survey (same rule as question ids).
    pub id: String,
    /// Version of this survey definition, free form (`"2024"`, `"1.2.0"`).
    pub version: String,
    /// The locale whose text every localised string must have (for example `ja`).
    pub default_locale: String,
    /// Every locale the survey's text may use; defaults to just `default_locale`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locales: Vec<String>,
    /// Title of the survey.
    pub title: Text,
    /// Introductory text shown before the questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Who runs the survey, when, and for whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Documents that questions cite, keyed by a short name used in citations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, ReferenceDef>,
    /// Reusable lists of choices, keyed by name; a question uses one with `choice_set: NAME`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub choice_sets: BTreeMap<String, Vec<ChoiceDef>>,
    /// The questions in the order they are asked.
    #[serde(deserialize_with = "budget::bounded_questions")]
    pub questions: Vec<QuestionDef>,
    /// Edit checks across questions, evaluated after the skip logic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleDef>,
    /// What an imported FHIR Questionnaire keeps of its original linkIds and codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fhir: Option<FhirDef>,
    /// What the survey's own keys (`title`, `description`, ...) say that its source does
    /// not. See [`Inferred`].
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}

impl SurveyDefinition {
    /// The JSON Schema of the survey file format, generated from these types: what
    /// `schema/survey-definition.schema.json` holds and `survey meta-schema` prints, for
    /// editors that complete and check survey files.
    #[must_use]
    pub fn meta_schema() -> serde_json::Value {
        schemars::schema_for!(SurveyDefinition).to_value()
    }

    /// The definition as a YAML survey file (what `survey fhir import` writes).
    ///
    /// # Errors
    ///
    /// When the YAML writer refuses a value; the format's own types hold none it refuses.
    pub fn to_yaml(&self) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        Ok(serde_saphyr::to_string(self)?)
    }
}

/// An edit check: when `when` holds (or always, without it), `assert` must hold, or the
/// answer set has an issue `rule_failed` with the survey's own `message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RuleDef {
    /// The rule's id (same rule as question ids), unique among the rules.
    pub id: String,
    /// Check the rule once per row of this table: `{column: ID}` in its conditions names the
    /// cell of that row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_each_row: Option<String>,
    /// Check the rule once per instance of this repeat: `{question: REPEAT, field: ID}` in
    /// its conditions names the field of that instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_each_instance: Option<String>,
    /// The rule applies only when this condition holds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "question::shallow_condition"
    )]
    pub when: Option<ConditionDef>,
    /// What must hold. Besides the conditions of `enable_when`, an ordering operator may
    /// compare two answers: `{question: S2, greater_or_equal: {question: S1}}`.
    #[serde(rename = "assert", deserialize_with = "question::required_condition")]
    pub assert: ConditionDef,
    /// `error` (default) makes the answer set invalid; `warning` is reported beside it.
    #[serde(default, skip_serializing_if = "crate::issue::Severity::is_error")]
    pub severity: crate::issue::Severity,
    /// What the respondent is told when the rule fails.
    pub message: Text,
}

/// Administrative facts about a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Metadata {
    /// The body that issues the survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Text>,
    /// The period in which answers are collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Who is asked to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Text>,
    /// How answers are submitted (a system, a form, an address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<Text>,
    /// Whom to ask about the survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Text>,
    /// What the metadata says that its source does not, per key. See [`Inferred`].
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}

/// A closed range of dates, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Period {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`.
    pub end: String,
}

/// A document that questions cite (a guideline, a checklist, a standard).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReferenceDef {
    /// Title of the document.
    pub title: Text,
    /// Edition or version, as the document names it (`第6.0版`, `Ver. 4.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Who publishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Text>,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// What the entry says that its source does not, per key. See [`Inferred`].
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}

/// A question's citation of a reference document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CitationDef {
    /// Key of the cited document in the survey's `references` table.
    pub reference: String,
    /// Part, chapter or section cited (`経営管理編 3.1.2 医療情報システムにおける統制上の留意点`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<Text>,
    /// The cited clause, quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Text>,
    /// What the citation says that its source does not, per key. See [`Inferred`].
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}
