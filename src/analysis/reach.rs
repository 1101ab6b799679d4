//! Whether each node can be enabled, and the witnesses that show it.
//!
//! The survey falls into independent components (a node, its group, the nodes its
//! condition tests, the nodes a rule reads together, and so on). Each component is searched
//! on its own: for its first node not yet enabled by an earlier answer of the component, a
//! search finds answers to the component that enable it and keep its rules. Components do not
//! interact, so the k-th answer of every component (or its last) make up the k-th witness
//! together: a survey of ten thousand questions needs as many witnesses as its most branched
//! component, each built and checked by the validator once.

use super::domain::{self, Domain, Sets, Val};
use super::findings;
use super::search::{Goal, Outcome, Search, condition_nodes};
use super::witness::{self, Witness};
use super::{ANALYSIS_BOUND, SEARCH_BOUND, WITNESS_ATTEMPTS};

/// Most answers (one per node of a component) the witnesses are built from: a survey whose
/// components need more is told reachable without a witness past it, in bounded memory.
const MAX_STORED_ANSWERS: usize = 2_000_000;
use crate::survey::Survey;

/// Whether a node can be enabled, as far as the analysis decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// Enabled by a witness (its index), or by answers the validator refuses (`None`).
    Yes(Option<usize>),
    /// Answers enable it, but every such answer set breaks an error rule.
    Blocked,
    /// No answers enable it (`exact`: every class of answers was tried).
    Never { exact: bool },
    /// The search reached its bound.
    Bound,
    /// Not searched: the whole analysis had reached its bound.
    Skipped,
}

/// The survey, the domains every search reads, and its error rules as goals.
pub(super) struct Analyser<'s> {
    pub(super) survey: &'s Survey,
    pub(super) domains: Vec<Domain>,
    /// What every error rule asks of an answer set the validator accepts: it does not fail.
    pub(super) rules: Vec<Goal<'s>>,
    /// The nodes each of `rules` reads.
    pub(super) rule_nodes: Vec<Vec<usize>>,
    /// The index in the survey's rules of each of `rules`.
    rule_index: Vec<usize>,
}

/// What the searches found: witnesses, and each node's reach.
pub(super) struct Found {
    pub(super) witnesses: Vec<Witness>,
    pub(super) reach: Vec<Option<Reach>>,
    /// Error rules (indices in the survey's rules) that no answers keep all at once, one
    /// list per component: then no answer set is valid.
    pub(super) conflicts: Vec<Vec<usize>>,
}

impl<'s> Analyser<'s> {
    pub(super) fn new(survey: &'s Survey) -> Analyser<'s> {
        let mut conditions: Vec<&crate::condition::Condition> = survey
            .nodes
            .iter()
            .filter_map(|n| n.condition.as_ref())
            .collect();
        for rule in &survey.rules {
            conditions.extend(&rule.when);
            conditions.push(&rule.assert);
        }
        let errors = survey.rules.iter().filter(|rule| rule.severity.is_error());
        let rules = errors
            .clone()
            .map(|rule| {
                let broken = findings::applies(survey, rule, Some(&rule.assert));
                Goal::Not(Box::new(Goal::All(broken)))
            })
            .collect();
        let rule_nodes = errors
            .map(|rule| {
                let mut nodes = Vec::new();
                for condition in rule.when.iter().chain([&rule.assert]) {
                    condition_nodes(condition, &mut nodes);
                }
                nodes.extend(rule.repeat);
                nodes
            })
            .collect();
        let rule_index = (0..survey.rules.len())
            .filter(|&i| survey.rules[i].severity.is_error())
            .collect();
        Analyser {
            domains: domain::domains(&survey.nodes, &survey.program, &conditions),
            survey,
            rules,
            rule_nodes,
            rule_index,
        }
    }

    pub(super) fn search(&self) -> Search<'_> {
        Search::new(
            &self.survey.nodes,
            &self.domains,
            SEARCH_BOUND,
            ANALYSIS_BOUND,
        )
    }

    /// The error rules that read a node of `component` (sorted), as goals.
    pub(super) fn rules_in(&self, component: &[usize]) -> Vec<Goal<'s>> {
        self.rules_of(component)
            .map(|k| self.rules[k].clone())
            .collect()
    }

    /// The positions in `rules` of the error rules that read a node of `component`.
    fn rules_of<'a>(&'a self, component: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
        (0..self.rules.len()).filter(|&k| {
            self.rule_nodes[k]
                .iter()
                .any(|n| component.binary_search(n).is_ok())
        })
    }

    /// The independent components of the survey's nodes, each in document order.
    pub(super) fn components(&self) -> Vec<Vec<usize>> {
        let all: Vec<usize> = (0..self.survey.nodes.len()).collect();
        self.parts(&all)
    }

    /// The independent parts of `nodes` (sorted), each in document order: nodes are tied by
    /// a group and its fields, a condition and what it tests, a rule and what it reads;
    /// ties through nodes outside `nodes` (assigned already) do not count.
    pub(super) fn parts(&self, nodes: &[usize]) -> Vec<Vec<usize>> {
        let local = |n: usize| nodes.binary_search(&n).ok();
        let mut sets = Sets::new(nodes.len());
        for (k, &node) in nodes.iter().enumerate() {
            let mut linked: Vec<usize> = self.survey.nodes[node].parent.into_iter().collect();
            if let Some(condition) = &self.survey.nodes[node].condition {
                condition_nodes(condition, &mut linked);
            }
            for j in linked.into_iter().filter_map(local) {
                sets.join(k, j);
            }
        }
        for read in &self.rule_nodes {
            let inside: Vec<usize> = read.iter().filter_map(|&n| local(n)).collect();
            for pair in inside.windows(2) {
                sets.join(pair[0], pair[1]);
            }
        }
        sets.groups()
            .into_iter()
            .map(|group| group.into_iter().map(|k| nodes[k]).collect())
            .collect()
    }

    /// Decides whether each node can be enabled, component by component, and builds the
    /// witnesses.
    pub(super) fn reachability(&self, search: &mut Search<'_>) -> Found {
        let survey = self.survey;
        let count = survey.nodes.len();
        let mut reach: Vec<Option<Reach>> = vec![None; count];
        // Which answer of its component enables a node.
        let mut answer_of: Vec<Option<usize>> = vec![None; count];
        let mut values = vec![Val::Absent; count];
        let mut enabled = vec![false; count];
        let components = self.components();
        let mut answers: Vec<Vec<Vec<Val>>> = Vec::with_capacity(components.len());
        let mut conflicts = Vec::new();
        let mut stored = 0;
        for nodes in &components {
            let rules = self.rules_in(nodes);
            let mut mine: Vec<Vec<Val>> = Vec::new();
            for &node in nodes {
                if reach[node].is_some() {
                    continue;
                }
                if search.spent > ANALYSIS_BOUND {
                    reach[node] = Some(Reach::Skipped);
                    continue;
                }
                let mut all = vec![Goal::Enabled(node)];
                all.extend(rules.iter().cloned());
                let goal = Goal::All(all);
                let order = search.closure(&goal);
                let mut attempts = 0;
                let outcome = search.run(&goal, &order, &mut |s| {
                    attempts += 1;
                    // A draft answer (a required question left empty) only when no
                    // complete one comes soon.
                    witness::fill(survey, s, nodes, &mut values, &mut enabled)
                        || attempts >= WITNESS_ATTEMPTS
                });
                if matches!(outcome, Outcome::Found | Outcome::Refused) {
                    if stored + nodes.len() > MAX_STORED_ANSWERS {
                        // Reachable, as the search showed; no more answers are kept.
                        reach[node] = Some(Reach::Yes(None));
                        continue;
                    }
                    stored += nodes.len();
                    for &n in nodes {
                        if enabled[n] && answer_of[n].is_none() {
                            answer_of[n] = Some(mine.len());
                            reach[n] = Some(Reach::Yes(None));
                        }
                    }
                    mine.push(nodes.iter().map(|&n| values[n].clone()).collect());
                    continue;
                }
                reach[node] = Some(Self::without_rules(search, node, outcome));
            }
            if mine.is_empty() && !rules.is_empty() {
                let goal = Goal::All(rules);
                let order = search.closure(&goal);
                if search.run(&goal, &order, &mut |_| true) == (Outcome::Never { exact: true }) {
                    conflicts.push(self.rules_of(nodes).map(|k| self.rule_index[k]).collect());
                }
            }
            answers.push(mine);
        }
        if !conflicts.is_empty() {
            // No answer set is valid: whatever answers enable, no valid one shows.
            for slot in &mut reach {
                if matches!(slot, Some(Reach::Yes(_))) {
                    *slot = Some(Reach::Blocked);
                }
            }
            return Found {
                witnesses: Vec::new(),
                reach,
                conflicts,
            };
        }
        let (witnesses, at_depth) =
            self.assemble(search, &components, &answers, &mut values, &mut enabled);
        for (node, slot) in reach.iter_mut().enumerate() {
            if let (Some(k), Some(Reach::Yes(_))) = (answer_of[node], *slot) {
                // The validator has the last word on what the witness enables.
                let index = at_depth[k].filter(|&w| witnesses[w].enabled[node]);
                *slot = Some(Reach::Yes(index));
            }
        }
        Found {
            witnesses,
            reach,
            conflicts,
        }
    }

    /// When no answers keep the rules and enable `node`: whether answers enable it at all.
    fn without_rules(search: &mut Search<'_>, node: usize, with_rules: Outcome) -> Reach {
        let goal = Goal::Enabled(node);
        let order = search.closure(&goal);
        match search.run(&goal, &order, &mut |_| true) {
            Outcome::Found | Outcome::Refused if with_rules == (Outcome::Never { exact: true }) => {
                Reach::Blocked
            }
            Outcome::Found | Outcome::Refused => Reach::Yes(None),
            Outcome::Never { exact } => Reach::Never { exact },
            Outcome::Bound => Reach::Bound,
        }
    }

    /// The witnesses: the k-th answer of every component (its last when it has fewer, its
    /// default completion when it has none), for each k; with, per k, the index of the
    /// witness when the validator accepts it.
    pub(super) fn assemble(
        &self,
        search: &Search<'_>,
        components: &[Vec<usize>],
        answers: &[Vec<Vec<Val>>],
        values: &mut [Val],
        enabled: &mut [bool],
    ) -> (Vec<Witness>, Vec<Option<usize>>) {
        let depth = answers.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut witnesses = Vec::new();
        let mut at_depth = Vec::with_capacity(depth);
        for k in 0..depth {
            for (nodes, mine) in components.iter().zip(answers) {
                match mine.get(k).or(mine.last()) {
                    Some(answer) => {
                        for (&n, value) in nodes.iter().zip(answer) {
                            values[n] = value.clone();
                        }
                    }
                    None => {
                        witness::fill(self.survey, search, nodes, values, enabled);
                    }
                }
            }
            at_depth.push(witness::judge(self.survey, values).map(|w| {
                witnesses.push(w);
                witnesses.len() - 1
            }));
        }
        (witnesses, at_depth)
    }
}
