//! Respondent paths: the distinct sets of enabled questions that complete answer sets (every
//! enabled required question answered, every error rule kept) lead to.
//!
//! Questions fall into independent components (a question, its group, the questions its
//! condition tests, the questions a rule reads together, and so on): the set of enabled
//! questions is one set of each component, in any combination, so the number of paths is the
//! product of the components' numbers. A small component is enumerated over the classes of
//! answers of the questions that conditions and rules read (others are left as they come:
//! their answers change no set). A large one is split on its first question: for each of its
//! answers, the rest falls apart into smaller independent parts again. The families of sets
//! of two answers are added when they are disjoint (a question always shown in one and never
//! in the other) and merged when the answers look the same to every test; otherwise the
//! count becomes a range. A part that reaches [`PATHS_BOUND`] gives a range too.

#![allow(
    clippy::cast_precision_loss,
    reason = "shares of paths are fractions; f64 holds them well enough"
)]

use std::collections::HashSet;

use super::Analyser;
use super::search::{Goal, Outcome, Search, condition_nodes};
use crate::survey::Survey;

/// Steps the enumeration of one part of 64 questions may take (a larger part gets
/// proportionally fewer).
pub const PATHS_BOUND: u64 = 200_000;
/// Steps a part is enumerated for, beyond two per question, before it is split on its first
/// question instead (a part whose answers are all forced takes one step per question).
const DIRECT: u64 = 1_024;
/// Steps all enumerations may take together; past them, no part is split any more.
const PATHS_TOTAL: u64 = 20_000_000;
/// Splits nested deeper than this enumerate what is left (within the bound).
const MAX_SPLITS: usize = 256;

/// The respondents' paths through a survey ([`analysis::paths`](crate::analysis::paths)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Paths {
    /// Distinct sets of enabled questions; a lower bound when not `exact`, saturating at
    /// `u128::MAX`.
    pub count: u128,
    /// Whether `count` (and every figure below) is exact.
    pub exact: bool,
    /// When not exact: an upper bound on `count`, saturating.
    pub at_most: Option<u128>,
    /// The fewest questions a respondent can be shown.
    pub fewest: usize,
    /// The most questions a respondent can be shown.
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

/// The sets of enabled nodes of one part of the survey.
#[derive(Debug, Clone)]
struct Family {
    /// The part's nodes, in document order.
    nodes: Vec<usize>,
    count: u128,
    exact: bool,
    at_most: u128,
    fewest: usize,
    most: usize,
    /// Per node: the share of the sets it is in; whether it is in every set; in none.
    share: Vec<f64>,
    always: Vec<bool>,
    never: Vec<bool>,
}

impl Family {
    /// One node, on one path.
    fn single(node: usize, on: bool) -> Family {
        Family {
            nodes: vec![node],
            count: 1,
            exact: true,
            at_most: 1,
            fewest: usize::from(on),
            most: usize::from(on),
            share: vec![if on { 1.0 } else { 0.0 }],
            always: vec![on],
            never: vec![!on],
        }
    }

    /// No path through `scope`: every answer breaks a rule.
    fn empty(scope: &[usize]) -> Family {
        Family {
            nodes: scope.to_vec(),
            count: 0,
            exact: true,
            at_most: 0,
            fewest: 0,
            most: 0,
            share: vec![0.0; scope.len()],
            always: vec![false; scope.len()],
            never: vec![true; scope.len()],
        }
    }

    /// A part left unexplored once every bound is spent: nothing known but its size.
    fn unknown(scope: &[usize], combinations: u128) -> Family {
        Family {
            nodes: scope.to_vec(),
            count: 0,
            exact: false,
            at_most: combinations,
            fewest: 0,
            most: scope.len(),
            share: vec![0.0; scope.len()],
            always: vec![false; scope.len()],
            never: vec![false; scope.len()],
        }
    }

    /// Every combination of a set of each of `parts` (disjoint nodes).
    fn product(parts: Vec<Family>) -> Family {
        let mut out = Family {
            count: 1,
            at_most: 1,
            ..Family::empty(&[])
        };
        for part in parts {
            out.count = out.count.saturating_mul(part.count);
            out.at_most = out.at_most.saturating_mul(part.at_most);
            out.exact &= part.exact;
            out.fewest += part.fewest;
            out.most += part.most;
            out.nodes.extend(part.nodes);
            out.share.extend(part.share);
            out.always.extend(part.always);
            out.never.extend(part.never);
        }
        let mut order: Vec<usize> = (0..out.nodes.len()).collect();
        order.sort_by_key(|&k| out.nodes[k]);
        Family {
            nodes: order.iter().map(|&k| out.nodes[k]).collect(),
            share: order.iter().map(|&k| out.share[k]).collect(),
            always: order.iter().map(|&k| out.always[k]).collect(),
            never: order.iter().map(|&k| out.never[k]).collect(),
            ..out
        }
    }

    /// The union of families over the same nodes: a sum when they are pairwise disjoint,
    /// otherwise a range.
    fn union(scope: &[usize], families: Vec<Family>) -> Family {
        // Answers that break a rule lead nowhere; an unexplored part stays, as a range.
        let families: Vec<Family> = families
            .into_iter()
            .filter(|f| f.count > 0 || !f.exact)
            .collect();
        let Some(first) = families.first() else {
            return Family::empty(scope);
        };
        let disjoint = families.iter().enumerate().all(|(i, a)| {
            families[i + 1..].iter().all(|b| {
                (0..a.nodes.len())
                    .any(|k| (a.always[k] && b.never[k]) || (a.never[k] && b.always[k]))
            })
        });
        let total: u128 = families.iter().fold(0, |n, f| n.saturating_add(f.count));
        let weight: f64 = families.iter().map(|f| f.count as f64).sum();
        let k_nodes = first.nodes.len();
        Family {
            nodes: first.nodes.clone(),
            count: if disjoint {
                total
            } else {
                families.iter().map(|f| f.count).max().unwrap_or(0)
            },
            exact: disjoint && families.iter().all(|f| f.exact),
            at_most: families.iter().fold(0, |n, f| n.saturating_add(f.at_most)),
            fewest: families.iter().map(|f| f.fewest).min().unwrap_or(0),
            most: families.iter().map(|f| f.most).max().unwrap_or(0),
            share: (0..k_nodes)
                .map(|k| {
                    let part: f64 = families.iter().map(|f| f.share[k] * f.count as f64).sum();
                    if weight > 0.0 { part / weight } else { 0.0 }
                })
                .collect(),
            always: (0..k_nodes)
                .map(|k| families.iter().all(|f| f.always[k]))
                .collect(),
            never: (0..k_nodes)
                .map(|k| families.iter().all(|f| f.never[k]))
                .collect(),
        }
    }
}

/// The enumeration: the search (with its `fixed` and `complete` settings), the rules, and
/// what each node's family needs.
struct Walk<'a, 's> {
    analyser: &'a Analyser<'s>,
    search: Search<'a>,
    /// Steps a part is enumerated for before it is split.
    direct: u64,
}

/// The respondents' paths: how many distinct sets of enabled questions the complete
/// answer sets the validator accepts lead to (exact, or a range when the enumeration
/// reaches [`PATHS_BOUND`] or cannot tell two families apart), the fewest and most
/// questions a respondent is shown, and on what share of the paths each question is.
/// A repeat's fields count once (the paths of one instance).
#[must_use]
pub fn paths(survey: &Survey) -> Paths {
    paths_splitting_after(survey, DIRECT)
}

/// [`analysis::paths`](crate::analysis::paths), splitting a part once its enumeration takes `steps` steps: for
/// tests that hold the split to the plain enumeration.
#[doc(hidden)]
#[must_use]
pub fn paths_splitting_after(survey: &Survey, steps: u64) -> Paths {
    let analyser = Analyser::new(survey);
    let mut search = Search::new(&survey.nodes, &analyser.domains, PATHS_BOUND, PATHS_TOTAL);
    search.complete = true;
    // Answers no condition or rule reads change no path (a group or repeat holds fields
    // that may be read).
    let mut read = vec![false; survey.nodes.len()];
    for node in &survey.nodes {
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
    search.fixed = survey
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| !read[i] && n.spec.fields().is_none())
        .collect();
    let mut walk = Walk {
        analyser: &analyser,
        search,
        direct: steps,
    };
    let parts: Vec<Family> = analyser
        .components()
        .into_iter()
        .map(|nodes| walk.family(&nodes, 0))
        .collect();
    let all = Family::product(parts);
    let mut share = vec![0.0; survey.nodes.len()];
    for (k, &node) in all.nodes.iter().enumerate() {
        share[node] = all.share[k];
    }
    Paths {
        count: all.count,
        exact: all.exact,
        at_most: (!all.exact).then_some(all.at_most.max(all.count)),
        fewest: all.fewest,
        most: all.most,
        questions: survey
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

impl Walk<'_, '_> {
    /// The family of `scope` (sorted, closed under what its nodes' states depend on but for
    /// nodes already assigned).
    fn family(&mut self, scope: &[usize], splits: usize) -> Family {
        let Some((&hub, rest)) = scope.split_first() else {
            return Family::product(Vec::new());
        };
        // Looking at and splitting the part is work too.
        self.search.spent += scope.len() as u64;
        let combinations = scope
            .iter()
            .filter(|&&i| !self.search.fixed[i])
            .map(|&i| self.search.domains[i].values.len() as u128 + 1)
            .fold(1u128, u128::saturating_mul);
        if self.search.spent > PATHS_TOTAL {
            return Family::unknown(scope, combinations);
        }
        // Enumerate a part that is small in fact (most answers forced, or few classes);
        // split one that is not, while splits last.
        let last = splits >= MAX_SPLITS;
        let steps = if last {
            Self::full(scope)
        } else {
            self.direct + 2 * scope.len() as u64
        };
        let (direct, bounded) = self.enumerate(scope, combinations, steps);
        if !bounded || last {
            return direct;
        }
        let rules = Goal::All(self.analyser.rules_in(scope));
        let mut families: Vec<Family> = Vec::new();
        let mut looks: Vec<(Vec<Option<bool>>, Option<u32>)> = Vec::new();
        for pick in 0..self.search.options(hub) {
            self.search.set(hub, pick);
            // A value a rule compares with another answer is its own look, and so is the
            // answer of a group or repeat (its fields can be answered or not).
            let own = self.analyser.rule_nodes.iter().any(|r| r.contains(&hub))
                || self.search.nodes[hub].spec.fields().is_some();
            let look = (self.looks(hub, rest), own.then_some(pick));
            if self.search.holds(&rules) != Some(false) && !looks.contains(&look) {
                looks.push(look);
                let mut parts = vec![Family::single(hub, self.search.is_enabled(hub))];
                for part in self.analyser.parts(rest) {
                    parts.push(self.family(&part, splits + 1));
                }
                families.push(Family::product(parts));
            }
            self.search.unset(hub);
        }
        let union = Family::union(scope, families);
        if union.exact || self.search.spent > PATHS_TOTAL {
            return union;
        }
        // Families that may overlap: the whole part, enumerated within the bound, may still
        // be exact.
        match self.enumerate(scope, combinations, Self::full(scope)) {
            (whole, false) => whole,
            _ => union,
        }
    }

    /// How the hub's value looks to the rest: its enabled state and the outcome of every
    /// test of it there (two values that look the same lead to the same sets).
    fn looks(&self, hub: usize, rest: &[usize]) -> Vec<Option<bool>> {
        let mut out = vec![Some(self.search.is_enabled(hub))];
        let mut leaves = Vec::new();
        for &node in rest {
            if let Some(condition) = &self.search.nodes[node].condition {
                condition.leaves(&mut leaves);
            }
        }
        for goal in self.analyser.rules_in(rest) {
            out.push(self.search.holds(&goal));
        }
        for leaf in leaves.into_iter().filter(|l| l.node == hub) {
            out.push(self.search.holds(&Goal::Leaf(leaf, true)));
        }
        out
    }

    /// The steps of a last enumeration: [`PATHS_BOUND`] for a part of 64 questions, fewer for
    /// a larger one (each set it finds costs its size), never fewer than two per question.
    fn full(scope: &[usize]) -> u64 {
        let size = scope.len().max(64) as u64;
        (PATHS_BOUND.saturating_mul(64) / size).max(2 * size)
    }

    /// Every distinct set of enabled nodes of `scope`, by enumeration.
    /// Also whether the enumeration reached its bound.
    /// Within `steps` steps.
    fn enumerate(&mut self, scope: &[usize], combinations: u128, steps: u64) -> (Family, bool) {
        let goal = Goal::All(self.analyser.rules_in(scope));
        let mut sets: HashSet<Vec<u64>> = HashSet::new();
        let size = scope.len().max(64) as u64;
        self.search.bound = steps;
        let mut found = 0u64;
        let outcome = self.search.run(&goal, scope, &mut |s| {
            found += 1;
            let mut bits = vec![0u64; scope.len().div_ceil(64)];
            for (k, &node) in scope.iter().enumerate() {
                if s.is_enabled(node) {
                    bits[k / 64] |= 1 << (k % 64);
                }
            }
            sets.insert(bits);
            false
        });
        self.search.spent += found * size;
        // Classes of answers the domains may miss could lead to other sets.
        let bounded = matches!(outcome, Outcome::Bound);
        let exact = !bounded
            && scope
                .iter()
                .all(|&i| self.search.fixed[i] || !self.search.domains[i].inexact);
        let mut on = vec![0usize; scope.len()];
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
        let count = sets.len();
        let family = Family {
            nodes: scope.to_vec(),
            count: count as u128,
            exact,
            at_most: if exact {
                count as u128
            } else {
                combinations.max(count as u128)
            },
            fewest: if count == 0 { 0 } else { fewest },
            most,
            share: on.iter().map(|&n| n as f64 / count.max(1) as f64).collect(),
            always: on.iter().map(|&n| count > 0 && n == count).collect(),
            never: on.iter().map(|&n| n == 0).collect(),
        };
        (family, bounded)
    }
}
