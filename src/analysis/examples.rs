//! Example answer sets that cover a survey: each starts from the first item (a question to
//! enable, or a test to make true or false) that no earlier one covers, and takes in every
//! later uncovered item it can while it stays a valid answer set.

use serde_json::Value;

use super::findings::{leaf_paths, own_condition, sections_of};
use super::search::{Goal, Outcome, Search};
use super::witness::{self, Witness};
use super::{ANALYSIS_BOUND, Analyser, Found, Reach};

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
    let mut items: Vec<Item<'_>> = Vec::new();
    for (index, node) in survey.nodes.iter().enumerate() {
        if !matches!(found.reach[index], Some(Reach::Yes(_))) {
            continue;
        }
        items.push(Item::Enable(index));
        if !cover {
            continue;
        }
        let Some(own) = own_condition(node) else {
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
    let mut done = vec![false; items.len()];
    let mut out: Vec<Value> = Vec::new();
    for first in 0..items.len() {
        if done[first] || search.spent > ANALYSIS_BOUND {
            continue;
        }
        done[first] = true;
        let mut goals = vec![goal(&items[first])];
        let Some(mut current) = complete(analyser, search, &goals) else {
            continue;
        };
        for next in first + 1..items.len() {
            if done[next] || covers(&current, &items[next]) || search.spent > ANALYSIS_BOUND {
                continue;
            }
            goals.push(goal(&items[next]));
            match complete(analyser, search, &goals) {
                Some(witness) => {
                    current = witness;
                    done[next] = true;
                }
                None => {
                    goals.pop();
                }
            }
        }
        for (k, item) in items.iter().enumerate() {
            done[k] |= covers(&current, item);
        }
        out.push(current.answers);
    }
    out
}

fn goal<'c>(item: &Item<'c>) -> Goal<'c> {
    match item {
        Item::Enable(node) => Goal::Enabled(*node),
        Item::Test(goal) => goal.clone(),
    }
}

/// Whether the witness already does what the item asks (known for nodes only).
fn covers(witness: &Witness, item: &Item<'_>) -> bool {
    matches!(item, Item::Enable(node) if witness.enabled[*node])
}

/// A complete answer set under which every goal holds.
fn complete(
    analyser: &Analyser<'_>,
    search: &mut Search<'_>,
    goals: &[Goal<'_>],
) -> Option<Witness> {
    let survey = analyser.survey;
    let mut all = goals.to_vec();
    all.extend(analyser.rules.iter().cloned());
    let goal = Goal::All(all);
    let order = search.closure(&goal);
    let mut found = None;
    let mut attempts = 0;
    let outcome = search.run(&goal, &order, &mut |s| {
        attempts += 1;
        match witness::complete(survey, s) {
            Some(w) if w.complete => {
                found = Some(w);
                true
            }
            _ => attempts >= super::WITNESS_ATTEMPTS,
        }
    });
    (outcome == Outcome::Found).then_some(found).flatten()
}
