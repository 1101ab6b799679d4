//! Respondent paths: the distinct sets of enabled questions that complete answer sets (every
//! enabled required question answered, every error rule kept) lead to.
//!
//! Questions fall into independent components (a question, its group, the questions its
//! condition tests, and so on): the set of enabled questions is one set of each component,
//! in any combination, so the number of paths is the product of the components' numbers (a
//! rule joins the questions it reads into one component).
//! Each component's sets are enumerated over the classes of answers of the questions that
//! conditions read (others are left unanswered: their answers change no condition); a
//! component whose enumeration reaches [`PATHS_BOUND`] gives a lower and an upper bound.

use std::collections::HashSet;

use super::Analyser;
use super::search::{Goal, Outcome, Search, condition_nodes};
use crate::survey::Survey;

/// Steps the enumeration of one component may take.
pub const PATHS_BOUND: u64 = 200_000;

/// The respondents' paths through a survey ([`Survey::paths`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Paths {
    /// Distinct sets of enabled questions; a lower bound when not `exact`, saturating at
    /// `u128::MAX`.
    pub count: u128,
    /// Whether `count` (and every figure below) is exact: no enumeration reached its bound.
    pub exact: bool,
    /// When not exact: an upper bound on `count` (the number of combinations of answer
    /// classes), saturating.
    pub at_most: Option<u128>,
    /// The fewest questions a respondent can be shown (among the paths enumerated).
    pub fewest: usize,
    /// The most questions a respondent can be shown (among the paths enumerated).
    pub most: usize,
    /// Every question, group field, row, cell and specify box, in document order.
    pub questions: Vec<QuestionReach>,
}

/// How many paths show one question.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct QuestionReach {
    /// The question's id.
    pub id: String,
    /// Its JSON Pointer (`/systems/-/vendor` for a repeat's field).
    pub pointer: String,
    /// The share of paths on which it is enabled, 0 to 1 (0: never, 1: on every path).
    pub share: f64,
}

/// One component's enumeration.
struct Component {
    nodes: Vec<usize>,
    sets: usize,
    /// Per node of `nodes`: on how many of the sets it is enabled.
    on: Vec<usize>,
    fewest: usize,
    most: usize,
    exact: bool,
    at_most: u128,
}

impl Survey {
    /// The respondents' paths: how many distinct sets of enabled questions the complete
    /// answer sets the validator accepts lead to (exact, or bounds when the enumeration
    /// reaches [`PATHS_BOUND`] or meets answers it cannot enumerate), the fewest and most
    /// questions a respondent is shown, and on what share of the paths each question is.
    /// A repeat's fields count once (the paths of one instance).
    #[must_use]
    pub fn paths(&self) -> Paths {
        let analyser = Analyser::new(self);
        let mut search = Search::new(&self.nodes, &analyser.domains, PATHS_BOUND);
        search.complete = true;
        // Answers no condition or rule reads change no path (a group or repeat holds fields
        // that may be read).
        let mut read = vec![false; self.nodes.len()];
        for node in &self.nodes {
            let mut tested = Vec::new();
            if let Some(condition) = &node.condition {
                condition_nodes(condition, &mut tested);
            }
            for t in tested {
                read[t] = true;
            }
        }
        for nodes in &analyser.rule_nodes {
            for &t in nodes {
                read[t] = true;
            }
        }
        search.fixed = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| !read[i] && n.spec.fields().is_none())
            .collect();
        let mut share = vec![0.0; self.nodes.len()];
        let (mut count, mut exact, mut at_most) = (1u128, true, 1u128);
        let (mut fewest, mut most) = (0, 0);
        for nodes in analyser.components() {
            let goal = Goal::All(analyser.rules_in(&nodes));
            let component = enumerate(&mut search, nodes, &goal);
            count = count.saturating_mul(component.sets as u128);
            at_most = at_most.saturating_mul(component.at_most);
            exact &= component.exact;
            fewest += component.fewest;
            most += component.most;
            for (k, &node) in component.nodes.iter().enumerate() {
                #[allow(
                    clippy::cast_precision_loss,
                    reason = "a share needs no more than f64's precision"
                )]
                let fraction = component.on[k] as f64 / component.sets.max(1) as f64;
                share[node] = fraction;
            }
        }
        Paths {
            count,
            exact,
            at_most: (!exact).then_some(at_most.max(count)),
            fewest,
            most,
            questions: self
                .nodes
                .iter()
                .zip(share)
                .map(|(node, share)| QuestionReach {
                    id: node.id.clone(),
                    pointer: node.pointer.clone(),
                    share,
                })
                .collect(),
        }
    }
}

/// Every distinct set of enabled nodes of one component.
fn enumerate(search: &mut Search<'_>, nodes: Vec<usize>, goal: &Goal<'_>) -> Component {
    let varies = nodes.iter().any(|&i| {
        let node = &search.nodes[i];
        node.condition.is_some() || !search.fixed[i]
    });
    if !varies {
        // No condition and no answer read: every node enabled on the one path.
        return Component {
            on: vec![1; nodes.len()],
            sets: 1,
            fewest: nodes.len(),
            most: nodes.len(),
            exact: true,
            at_most: 1,
            nodes,
        };
    }
    let mut sets: HashSet<Vec<u64>> = HashSet::new();
    let outcome = search.run(goal, &nodes, &mut |s| {
        let mut bits = vec![0u64; nodes.len().div_ceil(64)];
        for (k, &node) in nodes.iter().enumerate() {
            if s.is_enabled(node) {
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        sets.insert(bits);
        false
    });
    // Classes of answers the domains may miss could lead to other sets.
    let exact = !matches!(outcome, Outcome::Bound)
        && nodes
            .iter()
            .all(|&i| search.fixed[i] || !search.domains[i].inexact);
    let mut on = vec![0; nodes.len()];
    let (mut fewest, mut most) = (usize::MAX, 0);
    for set in &sets {
        let mut size = 0;
        for (k, count) in on.iter_mut().enumerate() {
            if set[k / 64] >> (k % 64) & 1 == 1 {
                *count += 1;
                size += 1;
            }
        }
        fewest = fewest.min(size);
        most = most.max(size);
    }
    // Combinations of answer classes, an upper bound on the sets.
    let at_most = nodes
        .iter()
        .filter(|&&i| !search.fixed[i])
        .map(|&i| search.domains[i].values.len() as u128 + 1)
        .fold(1u128, u128::saturating_mul);
    Component {
        sets: sets.len(),
        on,
        fewest: if fewest == usize::MAX { 0 } else { fewest },
        most,
        exact,
        at_most,
        nodes,
    }
}
