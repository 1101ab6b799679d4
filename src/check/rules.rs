//! The survey's edit checks (`rules`): ids, messages, the table a rule is checked per row
//! of, and its `when` and `assert`, which may compare two answers.

use std::collections::HashSet;

use super::{Checker, ProblemCode, Scope};
use crate::condition::Condition;
use crate::definition::{QuestionKind, RuleDef};
use crate::node::{Rule, Shape};

impl<'a> Checker<'a> {
    /// Checks every rule and builds it (once per row for a rule checked per table row).
    pub(super) fn rules(&mut self) {
        let mut ids = HashSet::new();
        self.in_rule = true;
        for (i, rule) in self.def.rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            if self.id(&rule.id, &format!("{path}.id")) && !ids.insert(rule.id.as_str()) {
                self.problem(
                    ProblemCode::DuplicateId,
                    format!("{path}.id"),
                    format!("rule id `{}` is used twice", rule.id),
                );
            }
            self.text(&rule.message, format!("{path}.message"));
            if let Some(repeat) = &rule.for_each_instance {
                if rule.for_each_row.is_some() {
                    self.problem(
                        ProblemCode::InvalidCondition,
                        format!("{path}.for_each_instance"),
                        "a rule is checked per row of a table or per instance of a repeat, not both",
                    );
                    continue;
                }
                let found = self.top_level.get(repeat.as_str()).copied().filter(|&r| {
                    matches!(self.nodes[r].spec, crate::node::AnswerSpec::Repeat { .. })
                });
                match found {
                    Some(repeat) => self.rule(rule, &path, Some(repeat), true),
                    None => self.problem(
                        ProblemCode::UnknownQuestion,
                        format!("{path}.for_each_instance"),
                        format!("there is no repeat `{repeat}`"),
                    ),
                }
                continue;
            }
            let rows = match &rule.for_each_row {
                None => vec![None],
                Some(table) => match self.table_rows_of(table, &path) {
                    Some(rows) => rows.into_iter().map(Some).collect(),
                    None => continue,
                },
            };
            for row in rows {
                let before = self.problems.len();
                self.rule(rule, &path, row, false);
                // A rule's problems are the same in every row: report the first row's only.
                if row.is_some() && self.problems.len() > before {
                    break;
                }
            }
        }
        self.in_rule = false;
    }

    /// The row nodes of the table a rule names, or a problem.
    fn table_rows_of(&mut self, table: &str, path: &str) -> Option<Vec<usize>> {
        let found = self
            .top_level
            .get(table)
            .copied()
            .filter(|&t| self.nodes[t].shape == Shape::Table);
        let Some(table_node) = found else {
            self.problem(
                ProblemCode::UnknownQuestion,
                format!("{path}.for_each_row"),
                format!("there is no table `{table}`"),
            );
            return None;
        };
        let rows = self.nodes[table_node]
            .spec
            .fields()
            .map(|(rows, _)| rows.to_vec())
            .unwrap_or_default();
        let def = self.def;
        self.table_columns = def
            .questions
            .iter()
            .flat_map(|q| std::iter::once(q).chain(q.questions.iter().flatten()))
            .filter(|q| q.id == table && q.kind == QuestionKind::Table)
            .flat_map(|q| q.columns.iter().flatten())
            .map(|c| c.id.as_str())
            .collect();
        Some(rows)
    }

    /// One rule, in one row, in every instance of a repeat (`instance`: `group` is the
    /// repeat), or for the whole answer set.
    fn rule(&mut self, rule: &'a RuleDef, path: &str, group: Option<usize>, instance: bool) {
        let scope = Scope { group };
        let when = rule
            .when
            .as_ref()
            .map(|c| self.condition(c, &format!("{path}.when"), "", scope, 0));
        let assert = self.condition(&rule.assert, &format!("{path}.assert"), "", scope, 0);
        let (Some(assert), Some(when)) = (assert, when.unwrap_or(Some(Condition::All(Vec::new()))))
        else {
            return;
        };
        for (key, condition) in [("when", &when), ("assert", &assert)] {
            if key == "when" && rule.when.is_none() {
                continue;
            }
            if let Some(value) = condition.constant() {
                self.problem(
                    ProblemCode::ConstantRule,
                    format!("{path}.{key}"),
                    format!("`{key}` is always {value}, whatever the answers"),
                );
                return;
            }
        }
        let mut leaves = Vec::new();
        assert.leaves(&mut leaves);
        let Some(node) = leaves.first().map(|leaf| leaf.node) else {
            return;
        };
        if instance && let Some(repeat) = group {
            when.leaves(&mut leaves);
            let end = match self.nodes[repeat].spec {
                crate::node::AnswerSpec::Repeat { end, .. } => end,
                _ => repeat + 1,
            };
            let mut outside: Vec<_> = Vec::new();
            for leaf in leaves {
                if !(repeat + 1..end).contains(&leaf.node) && !outside.contains(&leaf) {
                    outside.push(leaf);
                }
            }
            if outside.len() > super::questions::MAX_OUTSIDE_TESTS {
                self.problem(
                    ProblemCode::LimitExceeded,
                    path,
                    format!(
                        "the rule makes {} different tests of questions outside the repeat, more than {}",
                        outside.len(),
                        super::questions::MAX_OUTSIDE_TESTS
                    ),
                );
                return;
            }
        }
        // A rule checked per table row applies only where the skip logic asks the row: the
        // table's condition and the row's lead its `when` (they are the row's enabling, as
        // the walk evaluates it), so every stage that reads rules reads them too.
        let mut when = rule.when.is_some().then_some(when);
        if !instance && let Some(row) = group {
            let table = self.nodes[row].parent;
            let mut parts: Vec<Condition> = [table, Some(row)]
                .into_iter()
                .flatten()
                .filter_map(|n| self.nodes[n].condition.clone())
                .collect();
            if !parts.is_empty() {
                parts.extend(when);
                when = Some(match parts.len() {
                    1 => parts.remove(0),
                    _ => Condition::All(parts),
                });
            }
        }
        self.built_rules.push(Rule {
            id: rule.id.clone(),
            path: path.to_owned(),
            severity: rule.severity,
            message: rule.message.clone(),
            when,
            assert,
            node,
            repeat: group.filter(|_| instance),
        });
    }
}
