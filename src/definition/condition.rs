use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A skip-logic condition as written: exactly one of `all`, `any`, `not`, or a leaf that names
/// a `question` (and, for a group's field, the `field`) with exactly one operator.
///
/// ```yaml
/// enable_when:
///   any:
///     - { question: Q11, equals: true }
///     - not: { question: Q6, includes: none_not_seeking }
/// ```
///
/// The shape is checked when the survey is loaded (see [`crate::ProblemCode`]), so that an
/// author gets a message naming the offending key rather than a generic parse error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ConditionDef {
    /// True when every sub-condition is true (and for an empty list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<ConditionDef>>,
    /// True when at least one sub-condition is true (false for an empty list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<ConditionDef>>,
    /// True when the sub-condition is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<ConditionDef>>,
    /// The question a leaf tests; it must come earlier in the survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The field of a group question that a leaf tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The answer equals this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<serde_json::Value>,
    /// Not `equals`: true also when the question is unanswered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_equals: Option<serde_json::Value>,
    /// The answer is one of these values.
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<Vec<serde_json::Value>>,
    /// A multiple-choice answer contains this choice value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<serde_json::Value>,
    /// A number or date answer is greater than this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greater_than: Option<serde_json::Value>,
    /// A number or date answer is greater than or equal to this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greater_or_equal: Option<serde_json::Value>,
    /// A number or date answer is less than this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than: Option<serde_json::Value>,
    /// A number or date answer is less than or equal to this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_or_equal: Option<serde_json::Value>,
    /// `true`: the question has an answer; `false`: it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<bool>,
}
