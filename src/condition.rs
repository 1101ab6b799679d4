//! Skip-logic conditions with their question references resolved to node indices, as the
//! checks build them and schema generation reads them; [`crate::program`] flattens them for
//! evaluation.
//!
//! The semantics are fixed (see the crate docs): a condition sees an answer only when the
//! question it refers to is enabled; on an absent answer every test is false except
//! `not_equals` and `answered: false`.

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

/// The right-hand side of an ordering test.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bound {
    Number(Number),
    /// A valid `YYYY-MM-DD` date; date-shaped strings compare as dates when compared as text.
    Date(String),
}

impl Test {
    /// `not_equals` is `not equals`, and `answered: false` is true, on an absent answer;
    /// every other test is false there.
    pub(crate) fn holds_when_absent(&self) -> bool {
        matches!(self, Test::NotEquals(_) | Test::Answered(false))
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
