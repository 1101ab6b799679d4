//! The findings: what each search decided, turned into warnings at the place in the
//! definition that causes them. A question inside an unreachable section, group or row is
//! not reported again; a column is reported once, when every row agrees.

use std::collections::HashMap;

use super::search::{Goal, Outcome, Search};
use super::{Analyser, Finding, FindingCode, Found, Noun, Reach};
use crate::condition::{Condition, Leaf};
use crate::node::{Item, Node};

/// Every finding: sections, questions in document order, columns, then rules.
pub(super) fn findings(
    analyser: &Analyser<'_>,
    search: &mut Search<'_>,
    found: &Found,
) -> Vec<Finding> {
    let survey = analyser.survey;
    let mut out = Vec::new();
    let mut dead = vec![false; survey.nodes.len()];
    sections(
        analyser,
        search,
        &survey.layout,
        &mut Vec::new(),
        &mut dead,
        &mut out,
    );
    // Column findings per (code, path), in order, counted against the cells of that column.
    let mut per_column: Vec<(usize, Finding)> = Vec::new();
    let mut cells: HashMap<&str, usize> = HashMap::new();
    for (index, node) in survey.nodes.iter().enumerate() {
        if node.parent.is_some_and(|p| dead[p]) {
            dead[index] = true;
        }
        if dead[index] {
            continue;
        }
        let kind = subject(node);
        if kind == Noun::Column {
            *cells.entry(node.path.as_str()).or_default() += 1;
        }
        let mut mine = Vec::new();
        match found.reach[index] {
            Some(Reach::Never { exact: true }) => {
                dead[index] = true;
                let code = if node.required {
                    FindingCode::RequiredUnreachable
                } else {
                    FindingCode::Unreachable
                };
                mine.push(Finding::new(code, condition_path(node), &node.id, kind));
            }
            // With rules in conflict, that finding says it once for every question.
            Some(Reach::Blocked) if !found.conflicts.is_empty() => dead[index] = true,
            Some(Reach::Blocked) => {
                dead[index] = true;
                mine.push(Finding::new(
                    FindingCode::BlockedByRules,
                    condition_path(node),
                    &node.id,
                    kind,
                ));
            }
            Some(Reach::Never { exact: false }) => {
                mine.push(Finding::undecided(
                    condition_path(node),
                    &node.id,
                    kind,
                    false,
                ));
            }
            // Said once for the survey, below.
            Some(Reach::Skipped) => {}
            Some(Reach::Bound) | None => {
                mine.push(Finding::undecided(
                    condition_path(node),
                    &node.id,
                    kind,
                    true,
                ));
            }
            Some(Reach::Yes(_)) => {
                if kind != Noun::Specify
                    && let Some(own) = own_condition(node)
                {
                    let mut context = vec![Goal::ParentEnabled(index)];
                    context.extend(sections_of(node).iter().map(Goal::Holds));
                    let path = format!("{}.enable_when", node.path);
                    mine.extend(condition(search, &context, own, &path, &node.id, kind));
                }
            }
        }
        if kind == Noun::Column {
            for finding in mine {
                let same = |(_, f): &&mut (usize, Finding)| {
                    f.code == finding.code && f.path == finding.path
                };
                match per_column.iter_mut().find(same) {
                    Some((count, _)) => *count += 1,
                    None => per_column.push((1, finding)),
                }
            }
        } else {
            out.extend(mine);
        }
    }
    for (count, finding) in per_column {
        // Reported once, when the finding holds in every row (a leaf's path names the same
        // test in every row).
        let column = finding
            .path
            .split(".enable_when")
            .next()
            .unwrap_or_default();
        if cells.get(column).is_some_and(|&all| all == count) {
            out.push(finding);
        }
    }
    for conflict in &found.conflicts {
        let ids: Vec<&str> = conflict
            .iter()
            .map(|&k| survey.rules[k].id.as_str())
            .collect();
        let path = conflict
            .first()
            .map(|&k| survey.rules[k].path.clone())
            .unwrap_or_default();
        out.push(Finding::new(
            FindingCode::RulesConflict,
            path,
            &ids.join(", "),
            Noun::Rule,
        ));
    }
    rules(analyser, search, &mut out);
    if search.spent > super::ANALYSIS_BOUND {
        out.push(Finding::new(
            FindingCode::Undecided,
            "questions".to_owned(),
            "",
            Noun::Survey,
        ));
    }
    out
}

/// What kind of place a node is, for messages.
fn subject(node: &Node) -> Noun {
    if node.path.ends_with(".specify") {
        Noun::Specify
    } else if node.path.contains(".columns[") {
        Noun::Column
    } else if node.path.contains(".rows[") {
        Noun::Row
    } else if node.parent.is_some() {
        Noun::Field
    } else {
        Noun::Question
    }
}

/// Where a node's finding points: its `enable_when`, or the node when it has none.
fn condition_path(node: &Node) -> String {
    if own_condition(node).is_some() {
        format!("{}.enable_when", node.path)
    } else {
        node.path.clone()
    }
}

/// The node's own written condition (without its sections'); none for a specify box.
pub(super) fn own_condition(node: &Node) -> Option<&Condition> {
    match (&node.condition, node.folded) {
        (Some(condition), 0) => Some(condition),
        (Some(Condition::All(items)), folded) => items.get(folded),
        _ => None,
    }
}

/// The conditions of the sections around a node.
pub(super) fn sections_of(node: &Node) -> &[Condition] {
    match (&node.condition, node.folded) {
        (Some(Condition::All(items)), folded) if folded > 0 => &items[..folded.min(items.len())],
        _ => &[],
    }
}

/// Checks each section's condition against the sections around it, and marks the nodes of
/// an unreachable section.
fn sections<'c>(
    analyser: &'c Analyser<'_>,
    search: &mut Search<'_>,
    items: &[Item],
    outer: &mut Vec<&'c Condition>,
    dead: &mut [bool],
    out: &mut Vec<Finding>,
) {
    let survey = analyser.survey;
    for item in items {
        let Item::Section(s) = *item else { continue };
        let section = &survey.sections[s];
        let depth = outer.len();
        if let Some(own) = &section.condition {
            let context: Vec<Goal<'_>> = outer.iter().map(|c| Goal::Holds(c)).collect();
            let mut goal = context.clone();
            goal.push(Goal::Holds(own));
            let path = format!("{}.enable_when", section.path);
            match decide(search, &Goal::All(goal)) {
                Outcome::Never { exact: true } => {
                    out.push(Finding::new(
                        FindingCode::Unreachable,
                        path,
                        &section.id,
                        Noun::Section,
                    ));
                    mark(survey, &section.items, dead);
                    continue;
                }
                Outcome::Found | Outcome::Refused => {
                    out.extend(condition(
                        search,
                        &context,
                        own,
                        &path,
                        &section.id,
                        Noun::Section,
                    ));
                }
                Outcome::Never { exact: false } => {
                    out.push(Finding::undecided(path, &section.id, Noun::Section, false));
                }
                Outcome::Bound => {
                    out.push(Finding::undecided(path, &section.id, Noun::Section, true));
                }
            }
            outer.push(own);
        }
        sections(analyser, search, &section.items, outer, dead, out);
        outer.truncate(depth);
    }
}

/// Marks every top-level node in `items` (and nested sections) dead.
fn mark(survey: &crate::survey::Survey, items: &[Item], dead: &mut [bool]) {
    for item in items {
        match *item {
            Item::Node(n) => dead[n] = true,
            Item::Section(s) => mark(survey, &survey.sections[s].items, dead),
        }
    }
}

/// Whether some answers make `goal` hold.
fn decide(search: &mut Search<'_>, goal: &Goal<'_>) -> Outcome {
    if search.spent > super::ANALYSIS_BOUND {
        return Outcome::Bound;
    }
    let order = search.closure(goal);
    search.run(goal, &order, &mut |_| true)
}

/// A reachable condition: always true in its context, or holding tests that never matter.
fn condition(
    search: &mut Search<'_>,
    context: &[Goal<'_>],
    own: &Condition,
    path: &str,
    id: &str,
    kind: Noun,
) -> Vec<Finding> {
    let mut goal = context.to_vec();
    goal.push(Goal::Not(Box::new(Goal::Holds(own))));
    if decide(search, &Goal::All(goal)) == (Outcome::Never { exact: true }) {
        return vec![Finding::new(
            FindingCode::AlwaysEnabled,
            path.to_owned(),
            id,
            kind,
        )];
    }
    let mut leaves = Vec::new();
    leaf_paths(own, String::new(), &mut leaves);
    if leaves.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (leaf, suffix) in leaves {
        let inert = [true, false].into_iter().any(|value| {
            let mut goal = context.to_vec();
            goal.push(Goal::Differ(
                Box::new(Goal::Holds(own)),
                Box::new(Goal::HoldsWith(own, leaf, value)),
            ));
            decide(search, &Goal::All(goal)) == (Outcome::Never { exact: true })
        });
        if inert {
            let mut finding =
                Finding::new(FindingCode::InertTest, format!("{path}{suffix}"), id, kind);
            finding.tested = Some(search.nodes[leaf.node].id.clone());
            out.push(finding);
        }
    }
    out
}

/// Each leaf of a condition with its path below the condition (`.all[1].not`).
pub(super) fn leaf_paths<'c>(
    condition: &'c Condition,
    prefix: String,
    out: &mut Vec<(&'c Leaf, String)>,
) {
    match condition {
        Condition::All(items) | Condition::Any(items) => {
            let key = if matches!(condition, Condition::All(_)) {
                "all"
            } else {
                "any"
            };
            for (i, item) in items.iter().enumerate() {
                leaf_paths(item, format!("{prefix}.{key}[{i}]"), out);
            }
        }
        Condition::Not(inner) => leaf_paths(inner, format!("{prefix}.not"), out),
        Condition::Leaf(leaf) => out.push((leaf, prefix)),
    }
}

/// The goals under which a rule applies (its repeat's instance there, its `when` true), and
/// `assert` false (`broken`) when given.
pub(super) fn applies<'c>(
    survey: &'c crate::survey::Survey,
    rule: &'c crate::node::Rule,
    broken: Option<&'c Condition>,
) -> Vec<Goal<'c>> {
    let mut goals = Vec::new();
    if let Some(repeat) = rule.repeat
        && let Some((fields, _)) = survey.nodes[repeat].spec.fields()
        && let Some(&first) = fields.first()
    {
        goals.push(Goal::ParentEnabled(first));
    }
    if let Some(when) = &rule.when {
        goals.push(Goal::Holds(when));
    }
    if let Some(assert) = broken {
        goals.push(Goal::Not(Box::new(Goal::Holds(assert))));
    }
    goals
}

/// Rules that never apply, never fail or never hold; a rule checked per row is reported
/// when every row agrees.
fn rules(analyser: &Analyser<'_>, search: &mut Search<'_>, out: &mut Vec<Finding>) {
    let survey = analyser.survey;
    // Per rule path: id, [never applies, never fails, never holds], undecided (and bounded).
    let mut verdicts: Vec<(String, String, [bool; 3], Option<bool>)> = Vec::new();
    for rule in &survey.rules {
        if search.spent > super::ANALYSIS_BOUND {
            // The rules left are said once for the survey (`undecided` at `questions`).
            break;
        }
        let context = applies(survey, rule, None);
        let never = |search: &mut Search<'_>, extra: Option<Goal<'_>>| {
            let mut goal = context.clone();
            goal.extend(extra);
            decide(search, &Goal::All(goal))
        };
        let applies = never(search, None);
        let (fails, holds) = if applies == Outcome::Found {
            (
                never(search, Some(Goal::Not(Box::new(Goal::Holds(&rule.assert))))),
                never(search, Some(Goal::Holds(&rule.assert))),
            )
        } else {
            (Outcome::Found, Outcome::Found)
        };
        let proved = Outcome::Never { exact: true };
        let flags = [
            applies == proved && rule.when.is_some(),
            fails == proved,
            holds == proved,
        ];
        let outcomes = [applies, fails, holds];
        let undecided = if outcomes.contains(&Outcome::Bound) {
            Some(true)
        } else if outcomes.contains(&Outcome::Never { exact: false }) {
            Some(false)
        } else {
            None
        };
        match verdicts.iter_mut().find(|v| v.0 == rule.path) {
            Some(verdict) => {
                for (kept, new) in verdict.2.iter_mut().zip(flags) {
                    *kept &= new;
                }
                verdict.3 = verdict.3.or(undecided);
            }
            None => verdicts.push((rule.path.clone(), rule.id.clone(), flags, undecided)),
        }
    }
    for (path, id, [applies, fails, holds], undecided) in verdicts {
        let found = [
            (applies, FindingCode::RuleNeverApplies, "when"),
            (fails && !applies, FindingCode::RuleNeverFails, "assert"),
            (holds && !applies, FindingCode::RuleNeverHolds, "assert"),
        ];
        for (flag, code, key) in found {
            if flag {
                out.push(Finding::new(code, format!("{path}.{key}"), &id, Noun::Rule));
            }
        }
        if let Some(bounded) = undecided {
            out.push(Finding::undecided(path, &id, Noun::Rule, bounded));
        }
    }
}
