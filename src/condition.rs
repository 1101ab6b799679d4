//! Skip-logic conditions with their question references resolved to node indices, as the
//! checks build them and schema generation reads them; the program flattens them for
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
    /// The number of a repeat's instances against a whole number.
    Count(Comparison, u32),
    /// The answer against another node's answer of the same kind (numbers, dates); only in
    /// rules. False when either is absent.
    CompareAnswers(Comparison, usize),
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

impl Condition {
    /// Whether the condition compares two answers somewhere (which JSON Schema cannot say).
    pub(crate) fn compares_answers(&self) -> bool {
        let mut leaves = Vec::new();
        self.leaves(&mut leaves);
        leaves
            .iter()
            .any(|leaf| matches!(leaf.test, Test::CompareAnswers(..)))
    }

    /// The value of a condition that its shape alone decides (`all: []`, `any: []`, and
    /// `not`, `all` and `any` of those), whatever the answers.
    pub(crate) fn constant(&self) -> Option<bool> {
        match self {
            Condition::All(items) => {
                let values: Vec<Option<bool>> = items.iter().map(Condition::constant).collect();
                if values.contains(&Some(false)) {
                    Some(false)
                } else if values.iter().all(|v| *v == Some(true)) {
                    Some(true)
                } else {
                    None
                }
            }
            Condition::Any(items) => {
                let values: Vec<Option<bool>> = items.iter().map(Condition::constant).collect();
                if values.contains(&Some(true)) {
                    Some(true)
                } else if values.iter().all(|v| *v == Some(false)) {
                    Some(false)
                } else {
                    None
                }
            }
            Condition::Not(inner) => inner.constant().map(|v| !v),
            Condition::Leaf(_) => None,
        }
    }

    /// Every leaf of the condition, in order.
    pub(crate) fn leaves<'c>(&'c self, out: &mut Vec<&'c Leaf>) {
        match self {
            Condition::All(items) | Condition::Any(items) => {
                for item in items {
                    item.leaves(out);
                }
            }
            Condition::Not(inner) => inner.leaves(out),
            Condition::Leaf(leaf) => out.push(leaf),
        }
    }
}

impl Test {
    /// `not_equals` is `not equals`, and `answered: false` is true, on an absent answer;
    /// every other test is false there.
    pub(crate) fn holds_when_absent(&self) -> bool {
        matches!(self, Test::NotEquals(_) | Test::Answered(false))
    }
}

impl Comparison {
    /// Whether an answer ordered `ordering` against the bound passes.
    pub(crate) fn holds(self, ordering: Ordering) -> bool {
        match self {
            Comparison::GreaterThan => ordering == Ordering::Greater,
            Comparison::GreaterOrEqual => ordering != Ordering::Less,
            Comparison::LessThan => ordering == Ordering::Less,
            Comparison::LessOrEqual => ordering != Ordering::Greater,
        }
    }
}
