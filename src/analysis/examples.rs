//! Example answer sets that cover a survey. Each independent component is covered on its
//! own: an answer starts from the first item of the component (a question to enable, or a
//! test to make true or false) that no earlier answer covers, and takes in every later
//! uncovered item it can while it keeps the component's rules. The k-th answers of all
//! components make the k-th example, which the validator checks.

use serde_json::Value;

use super::domain::Val;
use super::findings::{leaf_paths, own_condition, sections_of};
use super::search::{Goal, Outcome, Search};
use super::witness;
use super::{ANALYSIS_BOUND, Analyser, Found, Reach, WITNESS_ATTEMPTS};

/// What an example should do.
#[derive(Clone)]
enum Item<'c> {
    /// Enable the node.
    Enable(usize),
    /// Make this goal (a test of a condition, where its question can be shown) hold.
    Test(Goal<'c>),
}

pub(super) fn examples(
    analyser: &Analyser<'_>,
    search: &mut Search<'_>,
    found: &Found,
    cover: bool,
) -> Vec<Value> {
    let survey = analyser.survey;
    let count = survey.nodes.len();
    let mut values = vec![Val::Absent; count];
    let mut enabled = vec![false; count];
    let components = analyser.components();
    let mut answers: Vec<Vec<Vec<Val>>> = Vec::with_capacity(components.len());
    for nodes in &components {
        let rules = analyser.rules_in(nodes);
        let items = items(analyser, found, nodes, cover);
        let mut done = vec![false; items.len()];
        let mut mine: Vec<Vec<Val>> = Vec::new();
        for first in 0..items.len() {
            if done[first] || search.spent > ANALYSIS_BOUND {
                continue;
            }
            done[first] = true;
            let mut goals = rules.clone();
            goals.push(goal(&items[first]));
            if !local(survey, search, nodes, &goals, &mut values, &mut enabled) {
                continue;
            }
            let mut current: Vec<Val> = nodes.iter().map(|&n| values[n].clone()).collect();
            let mut on: Vec<bool> = nodes.iter().map(|&n| enabled[n]).collect();
            for next in first + 1..items.len() {
                let covered = matches!(items[next], Item::Enable(n)
                    if nodes.binary_search(&n).is_ok_and(|k| on[k]));
                if done[next] || covered || search.spent > ANALYSIS_BOUND {
                    continue;
                }
                goals.push(goal(&items[next]));
                if local(survey, search, nodes, &goals, &mut values, &mut enabled) {
                    current = nodes.iter().map(|&n| values[n].clone()).collect();
                    on = nodes.iter().map(|&n| enabled[n]).collect();
                    done[next] = true;
                } else {
                    goals.pop();
                }
            }
            for (k, item) in items.iter().enumerate() {
                if let Item::Enable(n) = item
                    && nodes.binary_search(n).is_ok_and(|i| on[i])
                {
                    done[k] = true;
                }
            }
            mine.push(current);
        }
        answers.push(mine);
    }
    let (witnesses, _) =
        analyser.assemble(search, &components, &answers, &mut values, &mut enabled);
    let mut out: Vec<Value> = Vec::new();
    for witness in witnesses.into_iter().filter(|w| w.complete) {
        if !out.contains(&witness.answers) {
            out.push(witness.answers);
        }
    }
    out
}

/// The items of one component: enable each node that can be enabled; with `cover`, make
/// each test of each condition true and false where its question can be shown.
fn items<'c>(
    analyser: &Analyser<'c>,
    found: &Found,
    nodes: &[usize],
    cover: bool,
) -> Vec<Item<'c>> {
    let survey = analyser.survey;
    let mut items = Vec::new();
    for &index in nodes {
        if !matches!(found.reach[index], Some(Reach::Yes(_))) {
            continue;
        }
        items.push(Item::Enable(index));
        let node = &survey.nodes[index];
        let Some(own) = own_condition(node).filter(|_| cover) else {
            continue;
        };
        let mut leaves = Vec::new();
        leaf_paths(own, String::new(), &mut leaves);
        for (leaf, _) in leaves {
            for value in [true, false] {
                let mut goal = vec![Goal::ParentEnabled(index)];
                goal.extend(sections_of(node).iter().map(Goal::Holds));
                goal.push(Goal::Leaf(leaf, value));
                items.push(Item::Test(Goal::All(goal)));
            }
        }
    }
    items
}

fn goal<'c>(item: &Item<'c>) -> Goal<'c> {
    match item {
        Item::Enable(node) => Goal::Enabled(*node),
        Item::Test(goal) => goal.clone(),
    }
}

/// Answers to the component's `nodes` under which every goal holds and every answerable
/// required question is answered, left in `values` and `enabled`.
fn local(
    survey: &crate::survey::Survey,
    search: &mut Search<'_>,
    nodes: &[usize],
    goals: &[Goal<'_>],
    values: &mut [Val],
    enabled: &mut [bool],
) -> bool {
    let goal = Goal::All(goals.to_vec());
    let order = search.closure(&goal);
    let mut attempts = 0;
    let mut complete = false;
    let outcome = search.run(&goal, &order, &mut |s| {
        attempts += 1;
        complete = witness::fill(survey, s, nodes, values, enabled);
        complete || attempts >= WITNESS_ATTEMPTS
    });
    outcome == Outcome::Found && complete
}
