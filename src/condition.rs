//! Compiled skip-logic conditions and their evaluation over answers.
//!
//! The semantics are fixed (see the crate docs): a condition sees an answer only when the
//! question it refers to is enabled; on an absent answer every test is false except
//! `not_equals` and `answered: false`. The caller supplies what each node "sees", so this
//! module knows nothing of answer sets or enabling.

use std::cmp::Ordering;

use serde_json::{Number, Value};

/// A condition whose question references are node indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Leaf(Leaf),
}

/// One test of one node's answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Leaf {
    pub(crate) node: usize,
    pub(crate) test: Test,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    Equals(Value),
    NotEquals(Value),
    In(Vec<Value>),
    Includes(String),
    Compare(Comparison, Bound),
    Answered(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

impl Comparison {
    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Comparison::GreaterThan => ordering == Ordering::Greater,
            Comparison::GreaterOrEqual => ordering != Ordering::Less,
            Comparison::LessThan => ordering == Ordering::Less,
            Comparison::LessOrEqual => ordering != Ordering::Greater,
        }
    }
}

/// The right-hand side of an ordering test.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bound {
    Number(Number),
    /// A valid `YYYY-MM-DD` date; date-shaped strings compare as dates when compared as text.
    Date(String),
}

impl Condition {
    /// Evaluates the condition; `seen(node)` is the answer the node shows to conditions
    /// (`None` when it is unanswered or disabled).
    pub(crate) fn eval<'v>(&self, seen: &impl Fn(usize) -> Option<&'v Value>) -> bool {
        match self {
            Condition::All(items) => items.iter().all(|c| c.eval(seen)),
            Condition::Any(items) => items.iter().any(|c| c.eval(seen)),
            Condition::Not(inner) => !inner.eval(seen),
            Condition::Leaf(leaf) => leaf.test.eval(seen(leaf.node)),
        }
    }
}

impl Test {
    /// The test's verdict on an answer, or on no answer.
    pub(crate) fn eval(&self, answer: Option<&Value>) -> bool {
        let Some(value) = answer else {
            return self.holds_when_absent();
        };
        match self {
            Test::Equals(expected) => json_equal(value, expected),
            Test::NotEquals(expected) => !json_equal(value, expected),
            Test::In(options) => options.iter().any(|o| json_equal(value, o)),
            Test::Includes(choice) => value
                .as_array()
                .is_some_and(|items| items.iter().any(|v| v.as_str() == Some(choice))),
            Test::Compare(op, Bound::Number(bound)) => value
                .as_number()
                .and_then(|n| compare_numbers(n, bound))
                .is_some_and(|ordering| op.holds(ordering)),
            Test::Compare(op, Bound::Date(bound)) => value
                .as_str()
                .filter(|s| crate::pattern::is_date_shaped(s))
                .is_some_and(|s| op.holds(s.cmp(bound.as_str()))),
            Test::Answered(expected) => *expected,
        }
    }

    /// `not_equals` is `not equals`, and `answered: false` is true, on an absent answer;
    /// every other test is false there.
    pub(crate) fn holds_when_absent(&self) -> bool {
        matches!(self, Test::NotEquals(_) | Test::Answered(false))
    }
}

/// JSON equality as JSON Schema's `const` and `enum` define it: numbers by value
/// (`1` equals `1.0`), everything else structurally.
pub(crate) fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Orders two JSON numbers by value, exactly for integers.
pub(crate) fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    // One side is negative and the other above i64::MAX, or one is a float.
    if let (Some(_), Some(_)) = (a.as_i64(), b.as_u64()) {
        return Some(Ordering::Less);
    }
    if let (Some(_), Some(_)) = (a.as_u64(), b.as_i64()) {
        return Some(Ordering::Greater);
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}
