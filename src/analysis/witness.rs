//! From a search's answers to a whole answer set: every other node in document order gets
//! the first answer of its domain when it is enabled and answerable (and nothing otherwise),
//! and the native validator has the last word.

use serde_json::{Map, Value};

use super::domain::{MAX_WITNESS_INSTANCES, Val};
use super::search::Search;
use crate::node::AnswerSpec;
use crate::survey::Survey;
use crate::validate::ValidateOptions;

/// An answer set built from a search, with what the native validator says of it.
#[derive(Debug, Clone)]
pub(crate) struct Witness {
    pub(crate) answers: Value,
    /// Valid as a complete answer set (otherwise only as a draft, `partial`).
    pub(crate) complete: bool,
    /// Per node: enabled somewhere in the answer set.
    pub(crate) enabled: Vec<bool>,
}

/// Gives each of `nodes` (in document order, closed under what their states depend on) its
/// value and enabled state: the search's where it assigned one, otherwise the first answer
/// of its domain when it is enabled and answerable (answering more enables more). Returns
/// whether every answerable required node has an answer (a complete answer set, as far as
/// `nodes` go).
pub(crate) fn fill(
    survey: &Survey,
    search: &Search<'_>,
    nodes: &[usize],
    values: &mut [Val],
    enabled: &mut [bool],
) -> bool {
    let mut complete = true;
    // Required matrices left out whose rows are all conditional: complete only if none of
    // their rows is enabled, which is known once the rows are filled.
    let mut left_out = Vec::new();
    for &index in nodes {
        let (on, open) = status(survey, index, values, enabled);
        let rows = survey.nodes[index].conditional_rows(&survey.nodes);
        let required = survey.nodes[index].required && rows.is_none();
        let value = if search.is_assigned(index) {
            search.value(index).clone()
        } else if open {
            search.domains[index]
                .values
                .first()
                .cloned()
                .unwrap_or(Val::Absent)
        } else {
            Val::Absent
        };
        complete &= !(open && required && value == Val::Absent);
        if let Some(rows) = rows.filter(|_| open && value == Val::Absent) {
            left_out.push(rows);
        }
        values[index] = value;
        enabled[index] = on;
    }
    complete
        && left_out
            .iter()
            .all(|rows| rows.iter().all(|&r| !enabled[r]))
}

/// The answer set of every node's value, if the validator accepts it (at least as a draft).
pub(crate) fn judge(survey: &Survey, values: &[Val]) -> Option<Witness> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); survey.nodes.len()];
    let mut roots = Vec::new();
    for (index, node) in survey.nodes.iter().enumerate() {
        match node.parent {
            Some(p) => children[p].push(index),
            None => roots.push(index),
        }
    }
    let answers = Value::Object(object(survey, &roots, values, &children)?);
    let complete = survey.is_valid(&answers);
    let draft = ValidateOptions {
        partial: true,
        ..ValidateOptions::default()
    };
    if !complete && !survey.is_valid_with(&answers, &draft) {
        return None;
    }
    Some(Witness {
        enabled: survey.enabled_nodes(&answers),
        answers,
        complete,
    })
}

/// [`Search::status`] on the completed values of the earlier nodes.
fn status(survey: &Survey, index: usize, values: &[Val], enabled: &[bool]) -> (bool, bool) {
    let node = &survey.nodes[index];
    let (parent_on, parent_holds, repeat_field) = match node.parent {
        None => (true, true, false),
        Some(p) => {
            let on = enabled[p];
            let holds = on && matches!(values[p], Val::Object | Val::Count(1..));
            let repeat = matches!(survey.nodes[p].spec, AnswerSpec::Repeat { .. });
            (on, holds, repeat)
        }
    };
    let seen = |j: usize| -> &Val { if enabled[j] { &values[j] } else { &Val::Absent } };
    let on = parent_on
        && (!repeat_field || parent_holds)
        && node.condition.as_ref().is_none_or(|c| holds(c, &seen));
    (on, on && parent_holds)
}

fn holds<'v>(condition: &crate::condition::Condition, seen: &impl Fn(usize) -> &'v Val) -> bool {
    use crate::condition::{Condition, Test};
    match condition {
        Condition::All(items) => items.iter().all(|c| holds(c, seen)),
        Condition::Any(items) => items.iter().any(|c| holds(c, seen)),
        Condition::Not(inner) => !holds(inner, seen),
        Condition::Leaf(leaf) => {
            if let Test::CompareAnswers(..) = leaf.test {
                // Only rules compare two answers; enable conditions never do.
                return false;
            }
            super::search::test(&leaf.test, seen(leaf.node))
        }
    }
}

/// The object of `members`' answers; a repeat's instances are copies of one instance.
fn object(
    survey: &Survey,
    members: &[usize],
    values: &[Val],
    children: &[Vec<usize>],
) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for &m in members {
        let value = match &values[m] {
            Val::Absent => continue,
            Val::Json(v) => v.clone(),
            Val::Object => Value::Object(object(survey, &children[m], values, children)?),
            Val::Count(k) => {
                if *k > MAX_WITNESS_INSTANCES {
                    return None;
                }
                let instance = Value::Object(object(survey, &children[m], values, children)?);
                Value::Array(vec![instance; *k as usize])
            }
        };
        map.insert(survey.nodes[m].id.clone(), value);
    }
    Some(map)
}
