use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// In a table column's condition, an earlier column of the same row (instead of
    /// `question`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
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

/// An operator of a leaf condition; [`Operator::key`] is its key in the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operator {
    Equals,
    NotEquals,
    In,
    Includes,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
    Answered,
}

impl Operator {
    /// Every operator, in the order of the documentation.
    pub(crate) const ALL: [Operator; 9] = [
        Operator::Equals,
        Operator::NotEquals,
        Operator::In,
        Operator::Includes,
        Operator::GreaterThan,
        Operator::GreaterOrEqual,
        Operator::LessThan,
        Operator::LessOrEqual,
        Operator::Answered,
    ];

    /// The operator's key in a condition (`greater_or_equal`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Operator::Equals => "equals",
            Operator::NotEquals => "not_equals",
            Operator::In => "in",
            Operator::Includes => "includes",
            Operator::GreaterThan => "greater_than",
            Operator::GreaterOrEqual => "greater_or_equal",
            Operator::LessThan => "less_than",
            Operator::LessOrEqual => "less_or_equal",
            Operator::Answered => "answered",
        }
    }

    fn from_key(key: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.key() == key)
    }
}

impl ConditionDef {
    /// The operators this leaf holds, with their values, in the order of [`Operator::ALL`].
    pub(crate) fn operators(&self) -> Vec<(Operator, Value)> {
        Operator::ALL
            .into_iter()
            .filter_map(|op| Some((op, self.operand(op)?)))
            .collect()
    }

    fn operand(&self, operator: Operator) -> Option<Value> {
        match operator {
            Operator::Equals => self.equals.clone(),
            Operator::NotEquals => self.not_equals.clone(),
            Operator::In => self.in_.clone().map(Value::Array),
            Operator::Includes => self.includes.clone(),
            Operator::GreaterThan => self.greater_than.clone(),
            Operator::GreaterOrEqual => self.greater_or_equal.clone(),
            Operator::LessThan => self.less_than.clone(),
            Operator::LessOrEqual => self.less_or_equal.clone(),
            Operator::Answered => self.answered.map(Value::Bool),
        }
    }

    /// Sets an operator's value, with the type errors serde's derive would give.
    fn set(&mut self, operator: Operator, value: Value) -> Result<(), String> {
        match operator {
            Operator::Equals => self.equals = Some(value),
            Operator::NotEquals => self.not_equals = Some(value),
            Operator::In => match value {
                Value::Array(items) => self.in_ = Some(items),
                other => return Err(invalid(&other, "a list for `in`")),
            },
            Operator::Includes => self.includes = Some(value),
            Operator::GreaterThan => self.greater_than = Some(value),
            Operator::GreaterOrEqual => self.greater_or_equal = Some(value),
            Operator::LessThan => self.less_than = Some(value),
            Operator::LessOrEqual => self.less_or_equal = Some(value),
            Operator::Answered => match value {
                Value::Bool(answered) => self.answered = Some(answered),
                other => return Err(invalid(&other, "a boolean for `answered`")),
            },
        }
        Ok(())
    }

    /// Builds a condition from plain data, with the errors serde's derive would give.
    pub(crate) fn from_value(value: Value) -> Result<ConditionDef, String> {
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
                "column" => condition.column = Some(text(value, "column")?),
                other => {
                    let Some(operator) = Operator::from_key(other) else {
                        let operators: Vec<&str> = Operator::ALL.map(Operator::key).to_vec();
                        return Err(format!(
                            "unknown field `{other}` in a condition, expected one of all, any, not, question, field, column, {}",
                            operators.join(", ")
                        ));
                    };
                    condition.set(operator, value)?;
                }
            }
        }
        Ok(condition)
    }
}

fn invalid(value: &Value, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", kind(value))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}
