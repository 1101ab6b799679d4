//! The search: answers to the nodes a goal depends on, tried in document order from each
//! node's [`Domain`], until the goal holds or every combination has failed.
//!
//! Conditions only test earlier questions, so in document order a node's enabled state is
//! known when the search reaches it; a disabled node (or a field of an unanswered group, or of
//! a repeat without instances) can only be absent. After each answer the goal is evaluated
//! in three-valued logic (a test of a node not yet reached is unknown), and a goal already
//! false cuts the branch. Each search counts its steps and stops at its bound.

use std::cmp::Ordering;

use serde_json::Value;

use super::domain::{Domain, Val};
use crate::condition::{Bound, Condition, Leaf, Test};
use crate::date;
use crate::json::{compare_answer, json_equal};
use crate::node::{AnswerSpec, Node};
use crate::number::compare_numbers;

/// What a search looks for.
#[derive(Debug, Clone)]
pub(crate) enum Goal<'c> {
    /// The node is enabled (in an instance, for a repeat's field).
    Enabled(usize),
    /// The node's group (or repeat instance) is there to hold it: the node can be enabled.
    ParentEnabled(usize),
    Holds(&'c Condition),
    /// The condition with one leaf (by identity) taken as the constant.
    HoldsWith(&'c Condition, &'c Leaf, bool),
    /// One test of a condition is true (or false).
    Leaf(&'c Leaf, bool),
    Not(Box<Goal<'c>>),
    All(Vec<Goal<'c>>),
    /// Exactly one of the two holds.
    Differ(Box<Goal<'c>>, Box<Goal<'c>>),
}

/// How a search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// An assignment makes the goal hold, and the caller accepted it.
    Found,
    /// Assignments make the goal hold, but the caller accepted none of them.
    Refused,
    /// No assignment makes the goal hold (`exact`: every class of answers was tried).
    Never { exact: bool },
    /// The bound was reached first.
    Bound,
}

const ABSENT: u32 = u32::MAX;

/// The tests one step may evaluate: against the analysis's bound, a step whose goal (or
/// whose node's condition) holds more tests counts as one step more for each of this many,
/// so that the bound bounds the work however large the conditions are.
const TESTS_PER_STEP: u64 = 8;

/// What a node can be, given the nodes before it.
#[derive(Debug, Clone, Copy, Default)]
struct Place {
    enabled: bool,
    /// Options below this are answers of the domain; the others, absence.
    answers: u32,
    options: u32,
}

/// A search over one survey's nodes; its buffers are reused from one goal to the next.
pub(crate) struct Search<'a> {
    pub(crate) nodes: &'a [Node],
    pub(crate) domains: &'a [Domain],
    /// Per node: the index of its value in its domain, or [`ABSENT`].
    choice: Vec<u32>,
    enabled: Vec<bool>,
    assigned: Vec<bool>,
    /// Nodes whose answer no condition reads: they are left unanswered (enumerating paths).
    pub(crate) fixed: Vec<bool>,
    /// Only complete answer sets: an enabled required node that can be answered is.
    pub(crate) complete: bool,
    /// Steps one search may take.
    pub(crate) bound: u64,
    /// Steps taken by every search so far.
    pub(crate) spent: u64,
    /// Steps every search together may take: a search stops when they are spent.
    total: u64,
    /// Per node: the tests its condition makes.
    tests: Vec<u64>,
}

impl<'a> Search<'a> {
    /// A search of `nodes` whose every search takes at most `bound` steps, and all of them
    /// together `total`.
    pub(crate) fn new(
        nodes: &'a [Node],
        domains: &'a [Domain],
        bound: u64,
        total: u64,
    ) -> Search<'a> {
        Search {
            nodes,
            domains,
            choice: vec![ABSENT; nodes.len()],
            enabled: vec![false; nodes.len()],
            assigned: vec![false; nodes.len()],
            fixed: Vec::new(),
            complete: false,
            bound,
            spent: 0,
            total,
            tests: nodes
                .iter()
                .map(|n| n.condition.as_ref().map_or(0, count_tests))
                .collect(),
        }
    }

    /// The tests evaluating `goal` may make.
    fn goal_tests(&self, goal: &Goal<'_>) -> u64 {
        match goal {
            Goal::Enabled(node) => 1 + self.tests.get(*node).copied().unwrap_or(0),
            Goal::ParentEnabled(node) => {
                let parent = self.nodes.get(*node).and_then(|n| n.parent);
                1 + parent.map_or(0, |p| self.tests[p])
            }
            Goal::Holds(condition) | Goal::HoldsWith(condition, ..) => count_tests(condition),
            Goal::Leaf(..) => 1,
            Goal::Not(inner) => self.goal_tests(inner),
            Goal::All(items) => items.iter().map(|g| self.goal_tests(g)).sum(),
            Goal::Differ(a, b) => self.goal_tests(a) + self.goal_tests(b),
        }
    }

    /// The value of an assigned node.
    pub(crate) fn value(&self, node: usize) -> &Val {
        match self.choice[node] {
            ABSENT => &Val::Absent,
            i => self.domains[node]
                .values
                .get(i as usize)
                .unwrap_or(&Val::Absent),
        }
    }

    pub(crate) fn is_enabled(&self, node: usize) -> bool {
        self.assigned[node] && self.enabled[node]
    }

    pub(crate) fn is_assigned(&self, node: usize) -> bool {
        self.assigned[node]
    }

    /// The nodes the goal depends on, with every node their enabled states depend on, in
    /// document order.
    pub(crate) fn closure(&mut self, goal: &Goal<'_>) -> Vec<usize> {
        let mut wanted = Vec::new();
        goal_nodes(self.nodes, goal, &mut wanted);
        let mut seen = vec![false; 0];
        let mut out = Vec::new();
        while let Some(node) = wanted.pop() {
            if node >= self.nodes.len() {
                continue;
            }
            if seen.len() <= node {
                seen.resize(node + 1, false);
            }
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            out.push(node);
            wanted.extend(self.nodes[node].parent);
            if let Some(condition) = &self.nodes[node].condition {
                condition_nodes(condition, &mut wanted);
            }
        }
        out.sort_unstable();
        // Building the closure is work too: it counts against the analysis's bound.
        self.spent += out.len() as u64;
        out
    }

    /// Searches for answers to `order` (a closure) under which `goal` holds and `accept`
    /// takes them. The assignment stays readable in `accept`; it is cleared on return.
    pub(crate) fn run(
        &mut self,
        goal: &Goal<'_>,
        order: &[usize],
        accept: &mut dyn FnMut(&Search<'_>) -> bool,
    ) -> Outcome {
        let exact = order.iter().all(|&n| !self.domains[n].inexact);
        let mut held = false;
        let outcome = self.explore(goal, order, &mut |s| {
            held = true;
            accept(s)
        });
        for &node in order {
            self.assigned[node] = false;
            self.choice[node] = ABSENT;
        }
        match outcome {
            Outcome::Never { .. } if held => Outcome::Refused,
            Outcome::Never { .. } => Outcome::Never { exact },
            other => other,
        }
    }

    fn explore(
        &mut self,
        goal: &Goal<'_>,
        order: &[usize],
        accept: &mut dyn FnMut(&Search<'_>) -> bool,
    ) -> Outcome {
        let mut next = vec![0u32; order.len() + 1];
        let mut places = vec![Place::default(); order.len()];
        let mut steps = 0u64;
        let per_step = 1 + self.goal_tests(goal) / TESTS_PER_STEP;
        let mut pos = 0usize;
        loop {
            if pos == order.len() {
                if self.eval(goal) == Some(true) && accept(self) {
                    return Outcome::Found;
                }
                if pos == 0 {
                    return Outcome::Never { exact: true };
                }
                pos -= 1;
                self.assigned[order[pos]] = false;
                continue;
            }
            let node = order[pos];
            // A node's place depends only on the nodes before it: computed when the search
            // arrives at it, kept while it tries its options.
            if next[pos] == 0 {
                places[pos] = self.place(node);
                self.spent += self.tests[node] / TESTS_PER_STEP;
            }
            if next[pos] >= places[pos].options {
                next[pos] = 0;
                if pos == 0 {
                    return Outcome::Never { exact: true };
                }
                pos -= 1;
                self.assigned[order[pos]] = false;
                continue;
            }
            steps += 1;
            self.spent += per_step;
            if steps > self.bound || self.spent > self.total {
                return Outcome::Bound;
            }
            let pick = next[pos];
            next[pos] += 1;
            let place = places[pos];
            self.put(node, &place, pick);
            if self.eval(goal) == Some(false) {
                self.assigned[node] = false;
                continue;
            }
            pos += 1;
            next[pos] = 0;
        }
    }

    /// How many values a node whose earlier nodes are assigned can take: its domain and
    /// absence when it can hold an answer (not absence for a required one with `complete`;
    /// only the first answer, or absence, for a `fixed` one), otherwise only absence.
    pub(crate) fn options(&self, node: usize) -> u32 {
        self.place(node).options
    }

    /// Assigns a node whose earlier nodes are assigned its `pick`-th option (of
    /// [`Search::options`]).
    pub(crate) fn set(&mut self, node: usize, pick: u32) {
        let place = self.place(node);
        self.put(node, &place, pick);
    }

    /// What a node whose earlier nodes are assigned can be.
    fn place(&self, node: usize) -> Place {
        let (enabled, open) = self.status(node);
        let values = u32::try_from(self.domains[node].values.len()).unwrap_or(u32::MAX - 1);
        let fixed = self.fixed.get(node).copied().unwrap_or(false);
        // A required matrix whose rows are all conditional may be left out where none is
        // enabled, which is not known yet: left out is an option (the answer sets found are
        // judged by the validator).
        let required = self.complete
            && self.nodes[node].required
            && self.nodes[node].conditional_rows(self.nodes).is_none()
            && values > 0;
        let options = match (open, fixed, required) {
            (true, false, false) => values + 1,
            (true, false, true) => values,
            _ => 1,
        };
        Place {
            enabled,
            // The picks below `answers` are answers; the rest is absence.
            answers: if open && (required || !fixed) {
                values
            } else {
                0
            },
            options,
        }
    }

    fn put(&mut self, node: usize, place: &Place, pick: u32) {
        self.choice[node] = if pick < place.answers { pick } else { ABSENT };
        self.enabled[node] = place.enabled;
        self.assigned[node] = true;
    }

    /// Takes a node's assignment back.
    pub(crate) fn unset(&mut self, node: usize) {
        self.assigned[node] = false;
        self.choice[node] = ABSENT;
    }

    /// The goal in three-valued logic on the current assignment.
    pub(crate) fn holds(&self, goal: &Goal<'_>) -> Option<bool> {
        self.eval(goal)
    }

    /// Whether a node whose earlier nodes are assigned is enabled, and whether it can hold an
    /// answer (enabled, and its group answered or its repeat holding an instance).
    pub(crate) fn status(&self, node: usize) -> (bool, bool) {
        let (parent_on, parent_holds) = match self.nodes[node].parent {
            None => (true, true),
            Some(p) => self.holds_fields(p),
        };
        let repeat_field = self.nodes[node]
            .parent
            .is_some_and(|p| matches!(self.nodes[p].spec, AnswerSpec::Repeat { .. }));
        let enabled = parent_on
            && (!repeat_field || parent_holds)
            && self.nodes[node]
                .condition
                .as_ref()
                .is_none_or(|c| self.condition(c, None) == Some(true));
        (enabled, enabled && parent_holds)
    }

    /// Whether group or repeat `p` is enabled, and whether it holds its fields (an object, or
    /// at least one instance).
    fn holds_fields(&self, p: usize) -> (bool, bool) {
        let on = self.is_enabled(p);
        let holds = on
            && match self.value(p) {
                Val::Object => true,
                Val::Count(k) => *k >= 1,
                _ => false,
            };
        (on, holds)
    }

    fn eval(&self, goal: &Goal<'_>) -> Option<bool> {
        match goal {
            Goal::Enabled(node) => self.enabled3(*node),
            Goal::ParentEnabled(node) => self.parent3(*node),
            Goal::Holds(condition) => self.condition(condition, None),
            Goal::HoldsWith(condition, leaf, value) => {
                self.condition(condition, Some((leaf, *value)))
            }
            Goal::Leaf(leaf, value) => self.leaf(leaf).map(|b| b == *value),
            Goal::Not(inner) => self.eval(inner).map(|b| !b),
            Goal::All(items) => all3(items.iter().map(|item| self.eval(item))),
            Goal::Differ(a, b) => Some(self.eval(a)? != self.eval(b)?),
        }
    }

    fn enabled3(&self, node: usize) -> Option<bool> {
        if self.assigned[node] {
            return Some(self.enabled[node]);
        }
        let parent = self.parent3(node);
        if parent == Some(false) {
            return Some(false);
        }
        let own = self.nodes[node]
            .condition
            .as_ref()
            .map_or(Some(true), |c| self.condition(c, None));
        match (parent, own) {
            (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }

    /// Whether the node's parent lets it be enabled (a repeat's field needs an instance).
    fn parent3(&self, node: usize) -> Option<bool> {
        let Some(p) = self.nodes[node].parent else {
            return Some(true);
        };
        let on = self.enabled3(p)?;
        if !on || !matches!(self.nodes[p].spec, AnswerSpec::Repeat { .. }) {
            return Some(on);
        }
        self.assigned[p].then(|| matches!(self.value(p), Val::Count(k) if *k >= 1))
    }

    /// What a condition sees of a node: its value when it is enabled.
    fn seen(&self, node: usize) -> Option<&Val> {
        if !self.assigned[node] {
            return None;
        }
        Some(if self.enabled[node] {
            self.value(node)
        } else {
            &Val::Absent
        })
    }

    pub(crate) fn condition(
        &self,
        condition: &Condition,
        with: Option<(&Leaf, bool)>,
    ) -> Option<bool> {
        match condition {
            Condition::All(items) => all3(items.iter().map(|item| self.condition(item, with))),
            // `any` is `not all not`.
            Condition::Any(items) => all3(
                items
                    .iter()
                    .map(|item| self.condition(item, with).map(|b| !b)),
            )
            .map(|b| !b),
            Condition::Not(inner) => self.condition(inner, with).map(|b| !b),
            Condition::Leaf(leaf) => match with {
                Some((target, value)) if std::ptr::eq(target, leaf) => Some(value),
                _ => self.leaf(leaf),
            },
        }
    }

    fn leaf(&self, leaf: &Leaf) -> Option<bool> {
        let seen = self.seen(leaf.node)?;
        if let Test::CompareAnswers(op, other) = leaf.test {
            let other = self.seen(other)?;
            return Some(compare_vals(seen, other).is_some_and(|o| op.holds(o)));
        }
        Some(test(&leaf.test, seen))
    }
}

/// `all` in three-valued logic: false as soon as one is false, true when all are, otherwise
/// unknown.
fn all3(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for item in items {
        match item {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    (!unknown).then_some(true)
}

/// A test's verdict on a value, as the validator gives it.
pub(crate) fn test(test: &Test, value: &Val) -> bool {
    match (value, test) {
        (Val::Absent, _) => test.holds_when_absent(),
        (_, Test::Answered(expected)) => *expected,
        (Val::Count(k), Test::Count(op, c)) => op.holds(k.cmp(c)),
        (Val::Json(v), Test::Count(op, c)) => v
            .as_array()
            .is_some_and(|items| op.holds(items.len().cmp(&(*c as usize)))),
        (Val::Json(v), Test::Equals(c)) => json_equal(v, c),
        (Val::Json(v), Test::NotEquals(c)) => !json_equal(v, c),
        (Val::Json(v), Test::In(cs)) => cs.iter().any(|c| json_equal(v, c)),
        (Val::Json(v), Test::Includes(choice)) => v
            .as_array()
            .is_some_and(|items| items.iter().any(|i| i.as_str() == Some(choice))),
        (Val::Json(v), Test::Compare(op, Bound::Number(b))) => {
            compare_answer(v, b).is_some_and(|o| op.holds(o))
        }
        (Val::Json(v), Test::Compare(op, Bound::Date(d))) => v
            .as_str()
            .filter(|s| date::is_date_shaped(s))
            .is_some_and(|s| op.holds(s.cmp(d.as_str()))),
        (Val::Object | Val::Count(_), Test::NotEquals(_)) => true,
        _ => false,
    }
}

/// Orders two values as a comparison of two answers does.
fn compare_vals(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Count(x), Val::Count(y)) => Some(x.cmp(y)),
        (Val::Json(Value::Array(x)), Val::Json(Value::Array(y))) => Some(x.len().cmp(&y.len())),
        (Val::Json(Value::Number(x)), Val::Json(Value::Number(y))) => compare_numbers(x, y),
        (Val::Json(Value::String(x)), Val::Json(Value::String(y))) => {
            (date::is_date_shaped(x) && date::is_date_shaped(y)).then(|| x.cmp(y))
        }
        _ => None,
    }
}

fn goal_nodes(nodes: &[Node], goal: &Goal<'_>, out: &mut Vec<usize>) {
    match goal {
        Goal::Enabled(node) => out.push(*node),
        Goal::ParentEnabled(node) => out.extend(nodes.get(*node).and_then(|n| n.parent)),
        Goal::Holds(condition) | Goal::HoldsWith(condition, ..) => {
            condition_nodes(condition, out);
        }
        Goal::Leaf(leaf, _) => condition_nodes(&Condition::Leaf((*leaf).clone()), out),
        Goal::Not(inner) => goal_nodes(nodes, inner, out),
        Goal::All(items) => items.iter().for_each(|g| goal_nodes(nodes, g, out)),
        Goal::Differ(a, b) => {
            goal_nodes(nodes, a, out);
            goal_nodes(nodes, b, out);
        }
    }
}

/// How many tests a condition makes.
fn count_tests(condition: &Condition) -> u64 {
    match condition {
        Condition::All(items) | Condition::Any(items) => items.iter().map(count_tests).sum(),
        Condition::Not(inner) => count_tests(inner),
        Condition::Leaf(_) => 1,
    }
}

/// Every node a condition tests.
pub(crate) fn condition_nodes(condition: &Condition, out: &mut Vec<usize>) {
    let mut leaves = Vec::new();
    condition.leaves(&mut leaves);
    for leaf in leaves {
        out.push(leaf.node);
        if let Test::CompareAnswers(_, other) = leaf.test {
            out.push(other);
        }
    }
}
