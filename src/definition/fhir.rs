//! What a survey imported from a FHIR Questionnaire keeps of the original, so that export and
//! responses give back its linkIds and codes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The original names of an imported Questionnaire's items and codes.
///
/// Keys are the link ids export would otherwise write (`Q1`, `G.f`, `T.r.c`: see
/// `docs/fhir.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FhirDef {
    /// The Questionnaire's canonical `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Link id export would write -> the original linkId, where they differ.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub link_ids: BTreeMap<String, String>,
    /// Link id -> choice value -> the original coding, where the choice value is not the code
    /// or the option's system is not the survey's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub codes: BTreeMap<String, BTreeMap<String, CodingDef>>,
    /// Link id -> the type of the original answer options (`integer`, `string`, `date`) of a
    /// choice question whose options were not codings.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub option_types: BTreeMap<String, OptionType>,
}

/// A FHIR Coding: its code and, when it has one, its system.
///
/// A Coding without a code (an option that has only a `display`, as many published forms
/// write) is told by its display: `display` is written back and compared in responses and
/// conditions. A coding with neither is the choice value's own code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CodingDef {
    /// The code, when the original Coding has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The code system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The display that tells a Coding without a code (unused when `code` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// The value type of a FHIR `answerOption` that is not a Coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OptionType {
    /// `valueInteger`.
    Integer,
    /// `valueString`.
    String,
    /// `valueDate`.
    Date,
}

impl CodingDef {
    /// A coding from its parts.
    #[must_use]
    pub fn new(code: impl Into<String>, system: Option<String>) -> CodingDef {
        CodingDef {
            code: Some(code.into()),
            system,
            display: None,
        }
    }

    /// A coding that has no code and is told by its display.
    #[must_use]
    pub fn by_display(display: impl Into<String>, system: Option<String>) -> CodingDef {
        CodingDef {
            code: None,
            system,
            display: Some(display.into()),
        }
    }
}
