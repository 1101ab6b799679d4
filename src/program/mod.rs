//! The validation program: what a walk over an answer set reads, compiled from the nodes
//! into a few flat arrays.
//!
//! Each node is one 16-byte [`Step`] in document order; its rule sits in the table of its
//! kind, at the step's `rule` index, and those tables are also read in document order. Choice
//! values and string constants live in one buffer, conditions are prefix-ordered [`Op`]s in
//! one array. A walk over a large survey therefore streams through a few compact arrays
//! instead of following a pointer per choice, per condition and per constant.

mod rules;

use std::num::NonZeroU32;

use regex::Regex;
use serde_json::{Number, Value};

use crate::condition::{Bound, Comparison, Condition, Test};
use crate::date;
use crate::definition::{QuestionKind, TextFormat};
use crate::json::{Answer, compare_answer, json_equal};
use crate::node::{AnswerSpec, Node, Rule};
use crate::number::{compare_literal, compare_literals, compare_numbers};

/// An index stored as index + 1, so that `Option<Slot>` takes four bytes and a [`Step`]
/// stays at 16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot(NonZeroU32);

impl Slot {
    /// The slot of `index`; `None` past `u32::MAX - 1`, which no checked survey reaches (its
    /// text would be gigabytes).
    fn new(index: usize) -> Option<Slot> {
        u32::try_from(index)
            .ok()
            .and_then(|i| i.checked_add(1))
            .and_then(NonZeroU32::new)
            .map(Slot)
    }

    pub(crate) fn get(self) -> usize {
        (self.0.get() - 1) as usize
    }
}

/// A survey's compiled rules; built once by [`Program::compile`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Program {
    /// One per node, in document order.
    pub(crate) steps: Vec<Step>,
    /// Every condition, each one prefix-ordered; a step's `condition` is its first op.
    ops: Vec<Op>,
    /// Constants of `equals`, `not_equals` and `in`.
    consts: Vec<Const>,
    /// Constants that are not strings or booleans (numbers, arrays, objects).
    values: Vec<Value>,
    /// Number bounds of conditions.
    numbers: Vec<Number>,
    /// The ids of the top-level nodes, in order, in [`Program::strings`]: answer keys in
    /// question order are matched against them without hashing.
    root_ids: Vec<Span>,
    /// Top-level ids, choice values, string constants and date bounds, end to end.
    strings: String,
    /// Choice values of every choice question, end to end; a [`ChoiceRule`] owns a range.
    choices: Vec<ChoiceValue>,
    pub(crate) choice_rules: Vec<ChoiceRule>,
    pub(crate) text_rules: Vec<TextRule>,
    pub(crate) integer_rules: Vec<(Option<i64>, Option<i64>)>,
    pub(crate) number_rules: Vec<(Option<Number>, Option<Number>)>,
    date_rules: Vec<(Option<Span>, Option<Span>)>,
    pub(crate) repeat_rules: Vec<RepeatRule>,
    /// The survey's edit checks, in order.
    pub(crate) checks: Vec<Check>,
    /// Indices of the checks that run once after the walk, and per repeat node of those
    /// that run in each of its instances, so that neither pass reads the other's.
    pub(crate) global_checks: Vec<u32>,
    pub(crate) instance_checks: std::collections::HashMap<usize, Vec<u32>>,
    /// Per repeat node, the per-instance checks that test a question after the repeat: they
    /// run in a second pass over the instances, once every later question is settled.
    pub(crate) late_instance_checks: std::collections::BTreeMap<usize, Vec<u32>>,
    /// Nodes that checks ask to be answered (see [`Check::present`]).
    pub(crate) present: Vec<u32>,
}

/// An edit check as the walk evaluates it, after every node is settled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Check {
    /// The nodes whose answers `when` asks for, when it is only that (`answered: true`, alone
    /// or under `all`, the common guard of a comparison): a range of [`Program::present`],
    /// tested without evaluating ops.
    pub(crate) present: (u32, u32),
    /// The first op of the rest of `when`, when the rule has one.
    pub(crate) when: Option<Slot>,
    /// The first op of `assert`.
    pub(crate) assert: u32,
    pub(crate) warning: bool,
}

/// The bounds of a repeat and the steps of its fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RepeatRule {
    pub(crate) min: Option<u32>,
    pub(crate) max: Option<u32>,
    /// The step just past the repeat's last field or specify box.
    pub(crate) end: u32,
}

/// One node of the walk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    /// The group this node is a field of.
    pub(crate) parent: Option<Slot>,
    /// The first op of the node's condition.
    pub(crate) condition: Option<Slot>,
    /// The index of the node's rule in the table of its kind (unused for booleans and groups).
    pub(crate) rule: u32,
    /// Which rule table `rule` indexes.
    pub(crate) kind: QuestionKind,
    pub(crate) required: bool,
}

// A walk over a large survey streams through the steps; keep them at 16 bytes.
const _: () = assert!(std::mem::size_of::<Step>() == 16);

/// A range of [`Program::strings`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy)]
struct ChoiceValue {
    value: Span,
    exclusive: bool,
}

/// The choices and selection bounds of a choice question.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChoiceRule {
    start: u32,
    end: u32,
    pub(crate) min: Option<u32>,
    pub(crate) max: Option<u32>,
    /// Whether any choice is exclusive.
    pub(crate) has_exclusive: bool,
}

impl ChoiceRule {
    /// How many choices the question offers.
    pub(crate) fn count(&self) -> usize {
        (self.end - self.start) as usize
    }
}

#[derive(Debug, Clone)]
pub(crate) struct TextRule {
    pub(crate) min_length: Option<u32>,
    pub(crate) max_length: Option<u32>,
    pub(crate) pattern: Option<Regex>,
    /// The compiled pattern of the text's `format`.
    pub(crate) format: Option<&'static Regex>,
}

/// One op of a prefix-ordered condition. A composite op's children follow it; `end` is the
/// index just past its last descendant, so a settled `all` or `any` skips the rest at once.
#[derive(Debug, Clone, Copy)]
enum Op {
    All {
        end: u32,
    },
    Any {
        end: u32,
    },
    Not {
        end: u32,
    },
    Leaf {
        node: u32,
        test: FlatTest,
        /// The verdict on an absent answer ([`Test::holds_when_absent`]).
        when_absent: bool,
    },
}

/// A leaf's test, its operands in the program's tables: `Equals`, `NotEquals` and `In` name
/// [`Program::consts`], `CompareNumber` names [`Program::numbers`], the rest hold spans of
/// [`Program::strings`].
#[derive(Debug, Clone, Copy)]
enum FlatTest {
    Equals(u32),
    NotEquals(u32),
    /// A range of [`Program::consts`].
    In {
        start: u32,
        end: u32,
    },
    Includes(Span),
    CompareNumber(Comparison, u32),
    CompareDate(Comparison, Span),
    /// A repeat's number of instances.
    Count(Comparison, u32),
    /// The answer against another node's (numbers or dates).
    CompareNode(Comparison, u32),
    Answered(bool),
}

/// A constant of a condition: strings in [`Program::strings`], booleans and null inline, and
/// anything else (numbers, arrays, objects) in [`Program::values`].
#[derive(Debug, Clone, Copy)]
enum Const {
    String(Span),
    Bool(bool),
    Null,
    /// An index into [`Program::values`].
    Other(u32),
}

/// An index as stored in the program. Every table is far below `u32::MAX` entries (the
/// survey text would be gigabytes), so the conversion saturates rather than fails.
fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Program {
    /// Compiles the nodes of a checked survey.
    pub(crate) fn compile(nodes: &[Node], rules: &[Rule]) -> Program {
        let mut program = Program::default();
        for rule in rules {
            let start = index(program.present.len());
            let answered = |c: &Condition| match c {
                Condition::Leaf(leaf) if leaf.test == Test::Answered(true) => Some(leaf.node),
                _ => None,
            };
            let guard: Option<Vec<usize>> = match &rule.when {
                Some(Condition::All(items)) => items.iter().map(answered).collect(),
                Some(leaf) => answered(leaf).map(|node| vec![node]),
                None => None,
            };
            let when = match guard {
                Some(nodes) => {
                    program.present.extend(nodes.into_iter().map(index));
                    None
                }
                None => rule
                    .when
                    .as_ref()
                    .and_then(|c| Slot::new(program.condition(c))),
            };
            let assert = index(program.condition(&rule.assert));
            let k = index(program.checks.len());
            match rule.repeat {
                Some(repeat) if tests_after(rule, repeat_end(nodes, repeat)) => {
                    program
                        .late_instance_checks
                        .entry(repeat)
                        .or_default()
                        .push(k);
                }
                Some(repeat) => program.instance_checks.entry(repeat).or_default().push(k),
                None => program.global_checks.push(k),
            }
            program.checks.push(Check {
                present: (start, index(program.present.len())),
                when,
                assert,
                warning: !rule.severity.is_error(),
            });
        }
        for node in nodes {
            let condition = node
                .condition
                .as_ref()
                .and_then(|c| Slot::new(program.condition(c)));
            if node.parent.is_none() {
                let id = program.string(&node.id);
                program.root_ids.push(id);
            }
            let (kind, rule) = program.rule(&node.spec);
            program.steps.push(Step {
                parent: node.parent.and_then(Slot::new),
                condition,
                rule,
                kind,
                required: node.required,
            });
        }
        program
    }

    /// Appends a node's rule to the table of its kind; returns the kind and the rule's index.
    fn rule(&mut self, spec: &AnswerSpec) -> (QuestionKind, u32) {
        match spec {
            AnswerSpec::Boolean { .. } => (QuestionKind::Boolean, 0),
            AnswerSpec::Group { .. } => (QuestionKind::Group, 0),
            AnswerSpec::Repeat {
                min_items,
                max_items,
                end,
                ..
            } => {
                self.repeat_rules.push(RepeatRule {
                    min: *min_items,
                    max: *max_items,
                    end: index(*end),
                });
                (QuestionKind::Repeat, index(self.repeat_rules.len() - 1))
            }
            AnswerSpec::SingleChoice { choices } | AnswerSpec::MultipleChoice { choices, .. } => {
                let start = index(self.choices.len());
                for choice in choices {
                    let value = self.string(&choice.value);
                    self.choices.push(ChoiceValue {
                        value,
                        exclusive: choice.exclusive,
                    });
                }
                let (min, max, kind) = match spec {
                    AnswerSpec::MultipleChoice { min, max, .. } => {
                        (*min, *max, QuestionKind::MultipleChoice)
                    }
                    _ => (None, None, QuestionKind::SingleChoice),
                };
                self.choice_rules.push(ChoiceRule {
                    start,
                    end: index(self.choices.len()),
                    min,
                    max,
                    has_exclusive: choices.iter().any(|c| c.exclusive),
                });
                (kind, index(self.choice_rules.len() - 1))
            }
            AnswerSpec::Text {
                min_length,
                max_length,
                pattern,
                format,
            } => {
                self.text_rules.push(TextRule {
                    min_length: *min_length,
                    max_length: *max_length,
                    pattern: pattern.as_ref().map(|p| p.regex.clone()),
                    format: format.map(TextFormat::regex),
                });
                (QuestionKind::Text, index(self.text_rules.len() - 1))
            }
            AnswerSpec::Integer { minimum, maximum } => {
                self.integer_rules.push((*minimum, *maximum));
                (QuestionKind::Integer, index(self.integer_rules.len() - 1))
            }
            AnswerSpec::Number { minimum, maximum } => {
                self.number_rules.push((minimum.clone(), maximum.clone()));
                (QuestionKind::Number, index(self.number_rules.len() - 1))
            }
            AnswerSpec::Date { earliest, latest } => {
                let earliest = earliest.as_deref().map(|s| self.string(s));
                let latest = latest.as_deref().map(|s| self.string(s));
                self.date_rules.push((earliest, latest));
                (QuestionKind::Date, index(self.date_rules.len() - 1))
            }
        }
    }

    fn string(&mut self, s: &str) -> Span {
        let start = index(self.strings.len());
        self.strings.push_str(s);
        Span {
            start,
            end: index(self.strings.len()),
        }
    }

    fn text(&self, span: Span) -> &str {
        self.strings
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    /// Appends a condition in prefix order and returns the index of its first op. Recursion
    /// is bounded by the checked condition depth.
    fn condition(&mut self, condition: &Condition) -> usize {
        let at = self.ops.len();
        match condition {
            Condition::All(items) | Condition::Any(items) => {
                self.ops.push(Op::All { end: 0 });
                for item in items {
                    self.condition(item);
                }
                let end = index(self.ops.len());
                self.ops[at] = match condition {
                    Condition::All(_) => Op::All { end },
                    _ => Op::Any { end },
                };
            }
            Condition::Not(inner) => {
                self.ops.push(Op::Not { end: 0 });
                self.condition(inner);
                self.ops[at] = Op::Not {
                    end: index(self.ops.len()),
                };
            }
            Condition::Leaf(leaf) => {
                let test = match &leaf.test {
                    Test::Equals(value) => FlatTest::Equals(self.constant(value)),
                    Test::NotEquals(value) => FlatTest::NotEquals(self.constant(value)),
                    Test::In(values) => {
                        let start = index(self.consts.len());
                        for value in values {
                            self.constant(value);
                        }
                        FlatTest::In {
                            start,
                            end: index(self.consts.len()),
                        }
                    }
                    Test::Includes(choice) => FlatTest::Includes(self.string(choice)),
                    Test::Compare(op, Bound::Number(bound)) => {
                        self.numbers.push(bound.clone());
                        FlatTest::CompareNumber(*op, index(self.numbers.len() - 1))
                    }
                    Test::Compare(op, Bound::Date(bound)) => {
                        FlatTest::CompareDate(*op, self.string(bound))
                    }
                    Test::Count(op, bound) => FlatTest::Count(*op, *bound),
                    Test::CompareAnswers(op, other) => FlatTest::CompareNode(*op, index(*other)),
                    Test::Answered(answered) => FlatTest::Answered(*answered),
                };
                self.ops.push(Op::Leaf {
                    node: index(leaf.node),
                    test,
                    when_absent: leaf.test.holds_when_absent(),
                });
            }
        }
        at
    }

    fn constant(&mut self, value: &Value) -> u32 {
        let constant = match value {
            Value::String(s) => Const::String(self.string(s)),
            Value::Bool(b) => Const::Bool(*b),
            Value::Null => Const::Null,
            other => {
                self.values.push(other.clone());
                Const::Other(index(self.values.len() - 1))
            }
        };
        self.consts.push(constant);
        index(self.consts.len() - 1)
    }

    /// Evaluates the condition starting at op `at`; `seen(node)` is the answer the node
    /// shows to conditions (`None` when it is unanswered or disabled).
    pub(crate) fn eval<'v, A: Answer + 'v>(
        &self,
        at: usize,
        seen: &impl Fn(usize) -> Option<&'v A>,
    ) -> bool {
        match self.ops.get(at) {
            Some(&Op::All { end }) => self
                .children(at, end)
                .all(|child| self.eval(child as usize, seen)),
            Some(&Op::Any { end }) => self
                .children(at, end)
                .any(|child| self.eval(child as usize, seen)),
            Some(Op::Not { .. }) => !self.eval(at + 1, seen),
            Some(&Op::Leaf {
                node,
                test: FlatTest::CompareNode(op, other),
                ..
            }) => match (seen(node as usize), seen(other as usize)) {
                (Some(a), Some(b)) => compare_answers(a, b).is_some_and(|o| op.holds(o)),
                _ => false,
            },
            Some(&Op::Leaf {
                node,
                test,
                when_absent,
            }) => match seen(node as usize) {
                Some(answer) => self.test(test, answer),
                None => when_absent,
            },
            None => true,
        }
    }

    /// The first ops of the children of the composite op at `at`.
    fn children(&self, at: usize, end: u32) -> impl Iterator<Item = u32> + '_ {
        let mut next = index(at + 1);
        std::iter::from_fn(move || {
            let child = next;
            if child >= end {
                return None;
            }
            next = match self.ops.get(child as usize) {
                Some(Op::All { end } | Op::Any { end } | Op::Not { end }) => *end,
                _ => child + 1,
            };
            Some(child)
        })
    }

    /// A test's verdict on a present answer.
    fn test<A: Answer>(&self, test: FlatTest, value: &A) -> bool {
        match test {
            FlatTest::Equals(c) => self.equals(value, c),
            FlatTest::NotEquals(c) => !self.equals(value, c),
            FlatTest::In { start, end } => (start..end).any(|c| self.equals(value, c)),
            FlatTest::Includes(choice) => {
                let choice = self.text(choice);
                value
                    .as_array()
                    .is_some_and(|items| items.iter().any(|v| v.as_str() == Some(choice)))
            }
            FlatTest::CompareNumber(op, bound) => self
                .numbers
                .get(bound as usize)
                .and_then(|bound| compare_answer(value, bound))
                .is_some_and(|ordering| op.holds(ordering)),
            FlatTest::CompareDate(op, bound) => value
                .as_str()
                .filter(|s| date::is_date_shaped(s))
                .is_some_and(|s| op.holds(s.cmp(self.text(bound)))),
            FlatTest::Count(op, bound) => value
                .as_array()
                .is_some_and(|items| op.holds(items.len().cmp(&(bound as usize)))),
            FlatTest::Answered(expected) => expected,
            // Decided in `eval`, which sees both answers.
            FlatTest::CompareNode(..) => false,
        }
    }

    /// JSON equality with constant `c`, as JSON Schema's `const` defines it.
    fn equals<A: Answer>(&self, value: &A, c: u32) -> bool {
        match self.consts.get(c as usize) {
            Some(&Const::String(s)) => value.as_str() == Some(self.text(s)),
            Some(&Const::Bool(b)) => value.as_bool() == Some(b),
            Some(Const::Null) => value.is_null(),
            Some(&Const::Other(i)) => self
                .values
                .get(i as usize)
                .is_some_and(|expected| json_equal(value, expected)),
            None => false,
        }
    }

    /// The id of the `position`-th top-level node.
    pub(crate) fn root_id(&self, position: usize) -> Option<&str> {
        self.root_ids.get(position).map(|&id| self.text(id))
    }

    /// The position of `value` among the choices of `rule`.
    pub(crate) fn choice_index(&self, rule: &ChoiceRule, value: &str) -> Option<usize> {
        self.choice_values(rule)
            .position(|(choice, _)| choice == value)
    }

    /// The values of `rule`'s choices, with whether each is exclusive.
    pub(crate) fn choice_values<'p>(
        &'p self,
        rule: &ChoiceRule,
    ) -> impl Iterator<Item = (&'p str, bool)> + 'p {
        self.choices
            .get(rule.start as usize..rule.end as usize)
            .unwrap_or_default()
            .iter()
            .map(|c| (self.text(c.value), c.exclusive))
    }

    /// The earliest and latest dates of a date rule.
    pub(crate) fn date_rule(&self, rule: u32) -> (Option<&str>, Option<&str>) {
        self.date_rules
            .get(rule as usize)
            .map_or((None, None), |&(earliest, latest)| {
                (earliest.map(|s| self.text(s)), latest.map(|s| self.text(s)))
            })
    }
}

/// Orders two answers: numbers exactly (as written, when the reader kept the literal), dates
/// (strings of the `YYYY-MM-DD` shape) as text, arrays (selections, instances) by their
/// length; `None` for anything else.
fn compare_answers<A: Answer>(a: &A, b: &A) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.as_array(), b.as_array()) {
        return Some(x.len().cmp(&y.len()));
    }
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        let dates = date::is_date_shaped(x) && date::is_date_shaped(y);
        return dates.then(|| x.cmp(y));
    }
    let (x, y) = (a.as_number()?, b.as_number()?);
    match (a.literal(), b.literal()) {
        (None, None) => compare_numbers(x, y),
        (Some(literal), None) => compare_literal(literal, y),
        (None, Some(literal)) => compare_literal(literal, x).map(std::cmp::Ordering::reverse),
        (Some(left), Some(right)) => compare_literals(left, right),
    }
}

/// The node just past a repeat's fields.
fn repeat_end(nodes: &[Node], repeat: usize) -> usize {
    match nodes[repeat].spec {
        AnswerSpec::Repeat { end, .. } => end,
        _ => repeat + 1,
    }
}

/// Whether a rule tests a node at or past `end` (a question after its repeat).
fn tests_after(rule: &crate::node::Rule, end: usize) -> bool {
    let mut leaves = Vec::new();
    if let Some(when) = &rule.when {
        when.leaves(&mut leaves);
    }
    rule.assert.leaves(&mut leaves);
    leaves.iter().any(|leaf| {
        leaf.node >= end || matches!(leaf.test, Test::CompareAnswers(_, other) if other >= end)
    })
}
