//! Conditions as written to conditions over node indices: shape, references (earlier
//! questions only), and operators and values that fit the referenced question.

use std::cmp::Ordering;

use serde_json::Value;

use super::{Checker, ProblemCode, Scope};
use crate::condition::{Bound, Comparison, Condition, Leaf, Test};
use crate::date;
use crate::definition::{ConditionDef, Operator, QuestionDef, QuestionKind, SurveyDefinition};
use crate::json::quote;
use crate::node::{AnswerSpec, Choice, Shape};
use crate::number::compare_numbers;

impl Checker<'_> {
    pub(super) fn condition(
        &mut self,
        c: &ConditionDef,
        path: &str,
        own_id: &str,
        scope: Scope,
        depth: usize,
    ) -> Option<Condition> {
        if depth >= self.limits.max_condition_depth {
            self.problem(
                ProblemCode::LimitExceeded,
                path,
                format!(
                    "conditions are nested deeper than {} levels (raise Limits::max_condition_depth)",
                    self.limits.max_condition_depth
                ),
            );
            return None;
        }
        let operators = c.operators();
        let combinators = [c.all.is_some(), c.any.is_some(), c.not.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        let leaf_keys = operators.len()
            + usize::from(c.question.is_some())
            + usize::from(c.field.is_some())
            + usize::from(c.column.is_some());
        if combinators + usize::from(leaf_keys > 0) != 1 {
            self.problem(
                ProblemCode::InvalidCondition,
                path,
                "a condition needs exactly one of `all`, `any`, `not`, or `question` with an operator",
            );
            return None;
        }
        let list =
            |items: &Vec<ConditionDef>, key: &str, this: &mut Self| -> Option<Vec<Condition>> {
                let compiled: Vec<Option<Condition>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        this.condition(
                            item,
                            &format!("{path}.{key}[{i}]"),
                            own_id,
                            scope,
                            depth + 1,
                        )
                    })
                    .collect();
                compiled.into_iter().collect()
            };
        if let Some(items) = &c.all {
            return list(items, "all", self).map(Condition::All);
        }
        if let Some(items) = &c.any {
            return list(items, "any", self).map(Condition::Any);
        }
        if let Some(inner) = &c.not {
            return self
                .condition(inner, &format!("{path}.not"), own_id, scope, depth + 1)
                .map(|c| Condition::Not(Box::new(c)));
        }
        if c.column.is_none() && c.question.is_none() {
            self.problem(
                ProblemCode::InvalidCondition,
                path,
                "a leaf condition needs `question`",
            );
            return None;
        }
        if operators.len() != 1 {
            self.problem(
                ProblemCode::InvalidCondition,
                path,
                format!(
                    "a leaf condition needs exactly one operator, found {}",
                    operators.len()
                ),
            );
            return None;
        }
        let node = match (&c.question, &c.column) {
            (Some(question), None) => {
                self.resolve(question, c.field.as_deref(), path, own_id, scope)?
            }
            (None, Some(column)) if c.field.is_none() => {
                self.resolve_column(column, path, own_id, scope)?
            }
            _ => {
                self.problem(
                    ProblemCode::InvalidCondition,
                    path,
                    "`column` stands alone: it names a column of the same table row, without `question` or `field`",
                );
                return None;
            }
        };
        let (operator, value) = &operators[0];
        if let Value::Object(reference) = value
            && let Some(comparison) = comparison_of(*operator)
        {
            let path = format!("{path}.{}", operator.key());
            let other = self.reference(reference, &path, own_id, scope)?;
            return self
                .compare_answers(node, other, comparison, &path)
                .map(|test| Condition::Leaf(Leaf { node, test }));
        }
        self.test(
            node,
            *operator,
            value,
            &format!("{path}.{}", operator.key()),
        )
        .map(|test| Condition::Leaf(Leaf { node, test }))
    }

    /// The other side of a comparison between two answers: `{question: ID}` (with `field`),
    /// or `{column: ID}` in a rule checked per table row.
    fn reference(
        &mut self,
        reference: &serde_json::Map<String, Value>,
        path: &str,
        own_id: &str,
        scope: Scope,
    ) -> Option<usize> {
        if !self.in_rule {
            self.problem(
                ProblemCode::InvalidCondition,
                path,
                "a comparison between two answers is allowed only in a rule (`rules`), not in `enable_when`",
            );
            return None;
        }
        let shape_ok = reference
            .keys()
            .all(|k| matches!(k.as_str(), "question" | "field" | "column"));
        let def = ConditionDef::from_value(Value::Object(reference.clone()))
            .ok()
            .filter(|_| shape_ok);
        match def {
            Some(ConditionDef {
                question: Some(question),
                field,
                column: None,
                ..
            }) => self.resolve(&question, field.as_deref(), path, own_id, scope),
            Some(ConditionDef {
                question: None,
                field: None,
                column: Some(column),
                ..
            }) => self.resolve_column(&column, path, own_id, scope),
            _ => {
                self.problem(
                    ProblemCode::InvalidCondition,
                    path,
                    "the other answer of a comparison is `{question: ID}` (with `field: ID` for a group field) or `{column: ID}`",
                );
                None
            }
        }
    }

    /// A comparison between the answers of two nodes of the same kind: numbers (integer or
    /// number), dates, or counts (of a multiple choice's selections or a repeat's instances).
    fn compare_answers(
        &mut self,
        node: usize,
        other: usize,
        comparison: Comparison,
        path: &str,
    ) -> Option<Test> {
        let kind = |i: usize| self.nodes[i].spec.question_kind();
        let family = |k: QuestionKind| match k {
            QuestionKind::Integer | QuestionKind::Number => Some("numbers"),
            QuestionKind::Date => Some("dates"),
            QuestionKind::MultipleChoice | QuestionKind::Repeat => Some("counts"),
            _ => None,
        };
        match (family(kind(node)), family(kind(other))) {
            (Some(a), Some(b)) if a == b => Some(Test::CompareAnswers(comparison, other)),
            _ => {
                let (left, right) = (&self.nodes[node].id, &self.nodes[other].id);
                self.problem(
                    ProblemCode::OperatorMismatch,
                    path,
                    format!(
                        "`{left}`, {}, cannot be compared with `{right}`, {}: both sides must be numbers, both dates, or both counts (multiple choices and repeats)",
                        super::questions::kind_phrase(kind(node)),
                        super::questions::kind_phrase(kind(other))
                    ),
                );
                None
            }
        }
    }

    /// The cell of an earlier column in the same table row.
    fn resolve_column(
        &mut self,
        column: &str,
        path: &str,
        own_id: &str,
        scope: Scope,
    ) -> Option<usize> {
        let column_path = format!("{path}.column");
        let row = scope
            .group
            .filter(|&g| self.nodes[g].shape == crate::node::Shape::Row);
        let Some(row) = row else {
            self.problem(
                ProblemCode::InvalidCondition,
                column_path,
                "`column` applies only in the condition of a table's column",
            );
            return None;
        };
        let found = match &self.nodes[row].spec {
            AnswerSpec::Group { index, .. } => index.get(column).copied(),
            _ => None,
        };
        match found {
            Some(node) if node < self.nodes.len() && column != own_id => Some(node),
            Some(_) => {
                self.problem(
                    ProblemCode::SelfReference,
                    column_path,
                    format!("the condition of `{own_id}` refers to itself"),
                );
                None
            }
            None if self.table_columns.contains(&column) => {
                self.problem(
                    ProblemCode::ForwardReference,
                    column_path,
                    format!(
                        "column `{column}` comes later; a condition may only refer to earlier columns"
                    ),
                );
                None
            }
            None => {
                self.problem(
                    ProblemCode::UnknownQuestion,
                    column_path,
                    format!(
                        "the table has no column `{column}`{}",
                        super::did_you_mean(column, self.table_columns.iter().copied())
                    ),
                );
                None
            }
        }
    }

    /// The node a leaf refers to, which must already be compiled (come earlier).
    fn resolve(
        &mut self,
        question: &str,
        field: Option<&str>,
        path: &str,
        own_id: &str,
        scope: Scope,
    ) -> Option<usize> {
        let question_path = format!("{path}.question");
        let own_group = scope.group.map(|g| self.nodes[g].id.as_str());
        if field.is_none()
            && (question == own_id && scope.group.is_none() || Some(question) == own_group)
        {
            self.problem(
                ProblemCode::SelfReference,
                question_path,
                format!("the condition of `{own_id}` refers to itself"),
            );
            return None;
        }
        let Some(&target) = self.top_level.get(question) else {
            let (code, message) = if self.declared.contains(question) {
                (
                    ProblemCode::ForwardReference,
                    format!(
                        "`{question}` comes later; a condition may only refer to earlier questions"
                    ),
                )
            } else {
                (
                    ProblemCode::UnknownQuestion,
                    format!(
                        "there is no question `{question}`{}",
                        super::did_you_mean(question, self.declared.iter().copied())
                    ),
                )
            };
            self.problem(code, question_path, message);
            return None;
        };
        let self_reference = |this: &mut Self, path: String| {
            this.problem(
                ProblemCode::SelfReference,
                path,
                format!("the condition of `{own_id}` refers to itself"),
            );
        };
        // A column's condition tests earlier columns of its own row with `{column: ID}`; the
        // table itself and its rows (its own included) are out of its reach.
        if let Some(row) = scope.group
            && self.nodes[row].shape == Shape::Row
            && self.nodes[row].parent == Some(target)
        {
            match field {
                None => self.problem(
                    ProblemCode::SelfReference,
                    question_path,
                    format!(
                        "the condition of column `{own_id}` tests its own table `{question}`, which its answer is part of; test an earlier column of the row with `{{column: ID}}`"
                    ),
                ),
                Some(field) if table_declares_row(&self.def.questions, question, field) => self.problem(
                    ProblemCode::InvalidCondition,
                    format!("{path}.field"),
                    format!(
                        "the condition of column `{own_id}` tests row `{field}` of its own table; a condition cannot reach into a row (test an earlier column of the same row with `{{column: ID}}`)"
                    ),
                ),
                Some(field) => self.problem(
                    ProblemCode::UnknownQuestion,
                    format!("{path}.field"),
                    format!("table `{question}` has no row `{field}`"),
                ),
            }
            return None;
        }
        // The question being compiled has claimed its id but has no node yet.
        if target >= self.nodes.len() {
            self_reference(self, question_path);
            return None;
        }
        let Some(field) = field else {
            return Some(target);
        };
        let field_path = format!("{path}.field");
        let Some((_, index)) = self.nodes[target].spec.fields() else {
            self.problem(
                ProblemCode::UnknownQuestion,
                field_path,
                format!("`{question}` is not a group, so it has no field `{field}`"),
            );
            return None;
        };
        let repeat = matches!(self.nodes[target].spec, AnswerSpec::Repeat { .. });
        if let Some(&node) = index.get(field) {
            if repeat && scope.group != Some(target) {
                self.problem(
                    ProblemCode::InvalidCondition,
                    field_path,
                    format!(
                        "`{question}` is a repeat: only a condition inside one of its instances may test a field, that instance's own; elsewhere, test the number of instances (`{{question: {question}, greater_or_equal: 1}}`)"
                    ),
                );
                return None;
            }
            if node < self.nodes.len() {
                return Some(node);
            }
            self_reference(self, field_path);
            return None;
        }
        let in_own_group = scope.group == Some(target);
        if in_own_group && field == own_id {
            self_reference(self, field_path);
        } else if in_own_group && group_declares(self.def, question, field) {
            self.problem(
                ProblemCode::ForwardReference,
                field_path,
                format!(
                    "field `{field}` comes later; a condition may only refer to earlier fields"
                ),
            );
        } else {
            let known = super::did_you_mean(field, index.keys().map(AsRef::as_ref));
            self.problem(
                ProblemCode::UnknownQuestion,
                field_path,
                format!("group `{question}` has no field `{field}`{known}"),
            );
        }
        None
    }

    fn test(&mut self, node: usize, operator: Operator, value: &Value, path: &str) -> Option<Test> {
        let kind = self.nodes[node].spec.question_kind();
        let id = self.nodes[node].id.clone();
        let comparison = comparison_of(operator);
        let fits = match operator {
            Operator::Answered => true,
            Operator::Equals | Operator::NotEquals | Operator::In => !matches!(
                kind,
                QuestionKind::MultipleChoice | QuestionKind::Group | QuestionKind::Repeat
            ),
            Operator::Includes => kind == QuestionKind::MultipleChoice,
            Operator::GreaterThan
            | Operator::GreaterOrEqual
            | Operator::LessThan
            | Operator::LessOrEqual => matches!(
                kind,
                QuestionKind::Integer
                    | QuestionKind::Number
                    | QuestionKind::Date
                    | QuestionKind::MultipleChoice
                    | QuestionKind::Repeat
            ),
        };
        if !fits {
            self.problem(
                ProblemCode::OperatorMismatch,
                path,
                format!(
                    "`{}` does not apply to `{id}`, {}",
                    operator.key(),
                    if self.nodes[node].shape == crate::node::Shape::Row {
                        "a table row (an object: test it with `answered`)".to_owned()
                    } else {
                        super::questions::kind_phrase(kind)
                    }
                ),
            );
            return None;
        }
        // The tested values of equals, not_equals, in and includes are answers; an ordering
        // operator's bound is any value of the type.
        let whole = comparison.is_none();
        let operand = |this: &mut Self, value: &Value, path: &str| -> Option<Value> {
            match this.valid_answer(node, value, whole) {
                Ok(()) => Some(value.clone()),
                Err(why) => {
                    this.problem(
                        ProblemCode::InvalidValue,
                        path,
                        format!("{} is not a valid answer to `{id}`: {why}", quote(value)),
                    );
                    None
                }
            }
        };
        match operator {
            Operator::Answered => value.as_bool().map(Test::Answered),
            Operator::Equals => operand(self, value, path).map(Test::Equals),
            Operator::NotEquals => operand(self, value, path).map(Test::NotEquals),
            Operator::In => {
                let Value::Array(items) = value else {
                    return None;
                };
                if items.is_empty() {
                    self.problem(
                        ProblemCode::InvalidValue,
                        path,
                        "`in` needs at least one value",
                    );
                    return None;
                }
                let checked: Vec<Option<Value>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| operand(self, v, &format!("{path}[{i}]")))
                    .collect();
                checked
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Test::In)
            }
            Operator::Includes => {
                operand(self, &Value::Array(vec![value.clone()]), path)?;
                value.as_str().map(|s| Test::Includes(s.to_owned()))
            }
            Operator::GreaterThan
            | Operator::GreaterOrEqual
            | Operator::LessThan
            | Operator::LessOrEqual => {
                operand(self, value, path)?;
                let comparison = comparison?;
                match (kind, value) {
                    (QuestionKind::Repeat | QuestionKind::MultipleChoice, Value::Number(n)) => n
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .map(|n| Test::Count(comparison, n)),
                    (QuestionKind::Date, Value::String(s)) => {
                        Some(Test::Compare(comparison, Bound::Date(s.clone())))
                    }
                    (_, Value::Number(n)) => {
                        Some(Test::Compare(comparison, Bound::Number(n.clone())))
                    }
                    _ => None,
                }
            }
        }
    }

    /// Whether `value` is a valid answer to the node. A value that `equals`, `not_equals`,
    /// `in` or `includes` tests must be an answer the question accepts (`whole`: its bounds,
    /// lengths, pattern and format too), or the test could never be decided by a valid answer;
    /// an ordering operator takes any value of the type, since a bound outside the range can
    /// be meant.
    fn valid_answer(&self, node: usize, value: &Value, whole: bool) -> Result<(), String> {
        let valid_choice = |choices: &[Choice], v: &Value| match v.as_str() {
            Some(s) if choices.iter().any(|c| c.value == s) => Ok(()),
            Some(s) => Err(format!(
                "`{s}` is not one of its choices{}",
                super::did_you_mean(s, choices.iter().map(|c| c.value.as_str()))
            )),
            None => Err("expected a choice value (a string)".to_owned()),
        };
        match &self.nodes[node].spec {
            AnswerSpec::Boolean { .. } => value
                .as_bool()
                .map(drop)
                .ok_or_else(|| "expected true or false".to_owned()),
            AnswerSpec::SingleChoice { choices } => valid_choice(choices, value),
            AnswerSpec::MultipleChoice { choices, .. } => match value {
                Value::Array(items) => items.iter().try_for_each(|v| valid_choice(choices, v)),
                // An ordering operator's bound: a number of selections.
                Value::Number(n) if !whole => n
                    .as_u64()
                    .filter(|&n| u32::try_from(n).is_ok())
                    .map(drop)
                    .ok_or_else(|| {
                        "a number of selections is a whole number from 0 to 4294967295".to_owned()
                    }),
                _ => Err("expected a list of choice values".to_owned()),
            },
            AnswerSpec::Text {
                min_length,
                max_length,
                pattern,
                format,
            } => {
                let text = value
                    .as_str()
                    .ok_or_else(|| "expected a string".to_owned())?;
                if !whole {
                    return Ok(());
                }
                let length = text.chars().count();
                if let Some(min) = min_length.filter(|&min| length < min as usize) {
                    return Err(format!("shorter than its `min_length` of {min}"));
                }
                if let Some(max) = max_length.filter(|&max| length > max as usize) {
                    return Err(format!("longer than its `max_length` of {max}"));
                }
                if pattern.as_ref().is_some_and(|p| !p.regex.is_match(text)) {
                    return Err("does not match its `pattern`".to_owned());
                }
                match format {
                    Some(format) if !format.regex().is_match(text) => {
                        Err(format!("not in its `format` ({})", format.key()))
                    }
                    _ => Ok(()),
                }
            }
            AnswerSpec::Integer { minimum, maximum } => {
                let Some(n) = value.as_number().and_then(serde_json::Number::as_i64) else {
                    return Err("expected an integer within i64".to_owned());
                };
                if whole
                    && (minimum.is_some_and(|min| n < min) || maximum.is_some_and(|max| n > max))
                {
                    return Err(outside(
                        minimum.map(|m| m.to_string()),
                        maximum.map(|m| m.to_string()),
                    ));
                }
                Ok(())
            }
            AnswerSpec::Number { minimum, maximum } => {
                let n = value
                    .as_number()
                    .ok_or_else(|| "expected a number".to_owned())?;
                let below = minimum
                    .as_ref()
                    .is_some_and(|min| compare_numbers(n, min) == Some(Ordering::Less));
                let above = maximum
                    .as_ref()
                    .is_some_and(|max| compare_numbers(n, max) == Some(Ordering::Greater));
                if whole && (below || above) {
                    return Err(outside(
                        minimum.as_ref().map(ToString::to_string),
                        maximum.as_ref().map(ToString::to_string),
                    ));
                }
                Ok(())
            }
            AnswerSpec::Date { earliest, latest } => {
                let Some(s) = value.as_str().filter(|s| date::parse_date(s).is_some()) else {
                    return Err("expected a YYYY-MM-DD date".to_owned());
                };
                let early = earliest.as_deref().is_some_and(|e| s < e);
                let late = latest.as_deref().is_some_and(|l| s > l);
                if whole && (early || late) {
                    return Err(outside(earliest.clone(), latest.clone()));
                }
                Ok(())
            }
            AnswerSpec::Group { .. } => {
                Err("a group can only be tested with `answered`".to_owned())
            }
            AnswerSpec::Repeat { .. } if whole => Err(
                "a repeat is tested with `answered` or by its number of instances (`greater_or_equal`, ...)"
                    .to_owned(),
            ),
            AnswerSpec::Repeat { .. } => value
                .as_u64()
                .filter(|&n| u32::try_from(n).is_ok())
                .map(drop)
                .ok_or_else(|| {
                    "a number of instances is a whole number from 0 to 4294967295".to_owned()
                }),
        }
    }
}

/// Why a value is outside a question's bounds, naming them.
fn outside(min: Option<String>, max: Option<String>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("outside its range {min} to {max}"),
        (Some(min), None) => format!("below its minimum {min}"),
        (None, Some(max)) => format!("above its maximum {max}"),
        (None, None) => "out of range".to_owned(),
    }
}

/// The comparison an ordering operator makes.
fn comparison_of(operator: Operator) -> Option<Comparison> {
    match operator {
        Operator::GreaterThan => Some(Comparison::GreaterThan),
        Operator::GreaterOrEqual => Some(Comparison::GreaterOrEqual),
        Operator::LessThan => Some(Comparison::LessThan),
        Operator::LessOrEqual => Some(Comparison::LessOrEqual),
        _ => None,
    }
}

/// Whether the table `table` (at the top level or in a section) has a row `row`.
fn table_declares_row(questions: &[QuestionDef], table: &str, row: &str) -> bool {
    questions.iter().any(|q| match q.kind {
        QuestionKind::Section => {
            table_declares_row(q.questions.as_deref().unwrap_or_default(), table, row)
        }
        _ => q.id == table && q.rows.iter().flatten().any(|r| r.id == row),
    })
}

fn group_declares(def: &SurveyDefinition, group: &str, field: &str) -> bool {
    def.questions
        .iter()
        .filter(|q| q.id == group)
        .flat_map(|q| q.fields.iter().flatten())
        .any(|f| {
            f.id == field
                || f.choices
                    .iter()
                    .flatten()
                    .any(|c| c.specify.as_ref().is_some_and(|s| s.id == field))
        })
}
