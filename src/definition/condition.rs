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

impl ConditionDef {
    /// Builds a condition from plain data, with the errors serde's derive would give.
    pub(crate) fn from_value(value: serde_json::Value) -> Result<ConditionDef, String> {
        use serde_json::Value;
        let invalid = |value: &Value, expected: &str| {
            format!("invalid type: {}, expected {expected}", kind(value))
        };
        let Value::Object(map) = value else {
            return Err(invalid(&value, "a condition (a map)"));
        };
        let list = |value: Value, key: &str| -> Result<Vec<ConditionDef>, String> {
            match value {
                Value::Array(items) => items.into_iter().map(ConditionDef::from_value).collect(),
                other => Err(invalid(
                    &other,
                    &format!("a list of conditions for `{key}`"),
                )),
            }
        };
        let text = |value: Value, key: &str| -> Result<String, String> {
            match value {
                Value::String(text) => Ok(text),
                other => Err(invalid(&other, &format!("a string for `{key}`"))),
            }
        };
        let mut condition = ConditionDef::default();
        for (key, value) in map {
            match key.as_str() {
                "all" => condition.all = Some(list(value, "all")?),
                "any" => condition.any = Some(list(value, "any")?),
                "not" => condition.not = Some(Box::new(ConditionDef::from_value(value)?)),
                "question" => condition.question = Some(text(value, "question")?),
                "field" => condition.field = Some(text(value, "field")?),
                "equals" => condition.equals = Some(value),
                "not_equals" => condition.not_equals = Some(value),
                "in" => match value {
                    Value::Array(items) => condition.in_ = Some(items),
                    other => return Err(invalid(&other, "a list for `in`")),
                },
                "includes" => condition.includes = Some(value),
                "greater_than" => condition.greater_than = Some(value),
                "greater_or_equal" => condition.greater_or_equal = Some(value),
                "less_than" => condition.less_than = Some(value),
                "less_or_equal" => condition.less_or_equal = Some(value),
                "answered" => match value {
                    Value::Bool(answered) => condition.answered = Some(answered),
                    other => return Err(invalid(&other, "a boolean for `answered`")),
                },
                other => {
                    return Err(format!(
                        "unknown field `{other}` in a condition, expected one of all, any, not, question, field, equals, not_equals, in, includes, greater_than, greater_or_equal, less_than, less_or_equal, answered"
                    ));
                }
            }
        }
        Ok(condition)
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "sequence",
        serde_json::Value::Object(_) => "map",
    }
}
