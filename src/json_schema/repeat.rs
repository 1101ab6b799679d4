//! Repeats: the schema of each instance, and the conditions of fields that are evaluated once
//! per instance.
//!
//! A field's effective condition inside a repeat is a formula over two kinds of tests: tests
//! of the same instance's fields, which a schema applied to the instance can state, and tests
//! of questions outside the repeat, which only a schema applied to the whole answer set can.
//! A field whose condition tests only its instance gets its `if`/`then`/`else` block in the
//! repeat's `items`. Otherwise the outside tests are decided at the root, one at a time
//! (`if: outside test, then: ..., else: ...`), and each branch holds the instance block with
//! that test's outcome filled in; branches that come out the same are written once. The
//! checks bound the outside tests a field's condition reaches (see `MAX_OUTSIDE_TESTS`), so
//! this stays small.

use serde_json::{Map, Value, json};

use super::messages::Fault;
use super::{Generator, QUALIFY_LEAVES, conjunction};
use crate::condition::Condition;
use crate::issue::IssueCode;
use crate::node::{AnswerSpec, Node, Rule};

/// An effective condition inside a repeat.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Formula {
    True,
    False,
    /// A test of the answer set, decided at the root.
    Outside(Value),
    /// A test of the instance.
    Instance(Value),
    All(Vec<Formula>),
    Any(Vec<Formula>),
    Not(Box<Formula>),
}

impl Formula {
    /// The outside tests in the formula, each once, in order of appearance.
    fn outside(&self, found: &mut Vec<Value>) {
        match self {
            Formula::Outside(test) if !found.contains(test) => found.push(test.clone()),
            Formula::All(items) | Formula::Any(items) => {
                for item in items {
                    item.outside(found);
                }
            }
            Formula::Not(inner) => inner.outside(found),
            _ => {}
        }
    }

    /// The formula with an outside test decided (`None`: every outside test assumed to
    /// hold), constants folded.
    fn decide(&self, test: Option<&Value>, holds: bool) -> Formula {
        match self {
            Formula::Outside(t) if test.is_none_or(|test| test == t) => {
                if holds {
                    Formula::True
                } else {
                    Formula::False
                }
            }
            Formula::All(items) => {
                let mut kept = Vec::new();
                for item in items {
                    match item.decide(test, holds) {
                        Formula::True => {}
                        Formula::False => return Formula::False,
                        other => kept.push(other),
                    }
                }
                match kept.len() {
                    0 => Formula::True,
                    1 => kept.swap_remove(0),
                    _ => Formula::All(kept),
                }
            }
            Formula::Any(items) => {
                let mut kept = Vec::new();
                for item in items {
                    match item.decide(test, holds) {
                        Formula::False => {}
                        Formula::True => return Formula::True,
                        other => kept.push(other),
                    }
                }
                match kept.len() {
                    0 => Formula::False,
                    1 => kept.swap_remove(0),
                    _ => Formula::Any(kept),
                }
            }
            Formula::Not(inner) => match inner.decide(test, holds) {
                Formula::True => Formula::False,
                Formula::False => Formula::True,
                other => Formula::Not(Box::new(other)),
            },
            other => other.clone(),
        }
    }

    /// The schema of a formula without outside tests, applied to the instance.
    fn schema(&self) -> Value {
        match self {
            Formula::True | Formula::Outside(_) => json!({}),
            Formula::False => json!({ "not": {} }),
            Formula::Instance(schema) => schema.clone(),
            Formula::All(items) => {
                conjunction(items.iter().map(Formula::schema).collect()).unwrap_or(json!({}))
            }
            Formula::Any(items) => {
                json!({ "anyOf": items.iter().map(Formula::schema).collect::<Vec<_>>() })
            }
            Formula::Not(inner) => json!({ "not": inner.schema() }),
        }
    }
}

/// One layout of a repeat's fields for the JSON Forms UI schema: shown when `when` holds on
/// the answer set (`None`: always), with per field (and specify box) the schema an instance
/// satisfies exactly when the field is enabled in it (`None`: always).
#[derive(Debug, Clone)]
pub(crate) struct RepeatLayout {
    pub(crate) when: Option<Value>,
    pub(crate) fields: Vec<Option<Value>>,
}

impl Generator<'_> {
    /// The effective condition of a field of a repeat (`None`: enabled in every instance),
    /// with its leaf count.
    pub(super) fn compute_in_instance(&self, index: usize) -> Option<(Formula, usize)> {
        let node = &self.survey.nodes[index];
        node.condition.as_ref().map(|c| self.formula(c))
    }

    fn formula(&self, condition: &Condition) -> (Formula, usize) {
        let list = |items: &[Condition]| {
            let mut leaves = 0;
            let parts: Vec<Formula> = items
                .iter()
                .map(|c| {
                    let (f, n) = self.formula(c);
                    leaves += n;
                    f
                })
                .collect();
            (parts, leaves)
        };
        match condition {
            Condition::All(items) => {
                let (parts, leaves) = list(items);
                (Formula::All(parts), leaves)
            }
            Condition::Any(items) => {
                let (parts, leaves) = list(items);
                (Formula::Any(parts), leaves)
            }
            Condition::Not(inner) => {
                let (f, leaves) = self.formula(inner);
                (Formula::Not(Box::new(f)), leaves)
            }
            Condition::Leaf(leaf) if self.survey.in_repeat(leaf.node) => {
                let positive = Formula::Instance(self.positive_test(leaf.node, &leaf.test));
                let qualifier = self.in_instance[leaf.node]
                    .as_ref()
                    .filter(|(_, leaves)| *leaves <= QUALIFY_LEAVES);
                let (seen, leaves) = match qualifier {
                    Some((enabled, leaves)) => {
                        (Formula::All(vec![enabled.clone(), positive]), leaves + 1)
                    }
                    None => (positive, 1),
                };
                if leaf.test.holds_when_absent() {
                    (Formula::Not(Box::new(seen)), leaves)
                } else {
                    (seen, leaves)
                }
            }
            Condition::Leaf(_) => {
                let (schema, leaves) = self.condition(condition);
                (Formula::Outside(schema), leaves)
            }
        }
    }

    /// The layouts of a repeat's fields, one per combination of the outcomes of the tests of
    /// questions outside the repeat (one layout when there are none): a form layout can only
    /// test the instance, so the outside tests are decided around it.
    pub(super) fn repeat_layouts(&self, repeat: usize) -> Vec<RepeatLayout> {
        let AnswerSpec::Repeat { end, .. } = self.survey.nodes[repeat].spec else {
            return Vec::new();
        };
        let formulas = &self.in_instance[repeat + 1..end];
        let mut outside = Vec::new();
        for (formula, _) in formulas.iter().flatten() {
            formula.outside(&mut outside);
        }
        (0..1usize << outside.len())
            .map(|combination| {
                let holds = |k: usize| combination >> k & 1 == 1;
                let tests: Vec<Value> = outside
                    .iter()
                    .enumerate()
                    .map(|(k, test)| {
                        if holds(k) {
                            test.clone()
                        } else {
                            json!({ "not": test })
                        }
                    })
                    .collect();
                let fields = formulas
                    .iter()
                    .map(|entry| {
                        let (formula, _) = entry.as_ref()?;
                        let decided = outside
                            .iter()
                            .enumerate()
                            .fold(formula.clone(), |f, (k, test)| {
                                f.decide(Some(test), holds(k))
                            });
                        match decided {
                            Formula::True => None,
                            other => Some(other.schema()),
                        }
                    })
                    .collect();
                RepeatLayout {
                    when: conjunction(tests),
                    fields,
                }
            })
            .collect()
    }

    /// The schema of a repeat's answer, at schema location `at`: an array of instances, each
    /// an object of the fields, with the blocks of the fields whose conditions test only the
    /// instance.
    pub(super) fn repeat(&self, node: &Node, at: &str, schema: &mut Map<String, Value>) {
        let AnswerSpec::Repeat {
            fields,
            min_items,
            max_items,
            end,
            ..
        } = &node.spec
        else {
            return;
        };
        // A repeat is a top-level question.
        let Some(&index) = self.survey.top_level.get(node.id.as_str()) else {
            return;
        };
        schema.insert("type".into(), "array".into());
        let items_at = format!("{at}/items");
        let mut items = Map::new();
        items.insert("type".into(), "object".into());
        self.note(|| format!("{items_at}/type"), node, Fault::Instance);
        let names: Vec<&str> = fields
            .iter()
            .map(|&f| self.survey.nodes[f].id.as_str())
            .collect();
        items.insert("propertyNames".into(), json!({ "enum": names }));
        if let Some(recorder) = self.recorder {
            recorder.object(format!("{items_at}/propertyNames"), IssueCode::UnknownField);
        }
        let (properties, required) = self.members(fields, &items_at);
        items.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            items.insert("required".into(), required.into());
        }
        let mut blocks = Vec::new();
        let mut decided_outside = Vec::new();
        for field in index + 1..*end {
            if let Some((formula, _)) = &self.in_instance[field] {
                let mut outside = Vec::new();
                formula.outside(&mut outside);
                if outside.is_empty() {
                    let block_at = format!("{items_at}/allOf/{}", blocks.len());
                    blocks.extend(self.instance_block(field, formula, &block_at));
                } else {
                    decided_outside.push(field);
                }
            }
        }
        for (rule, formulas, outside) in self.instance_rules(index) {
            let block_at = format!("{items_at}/allOf/{}", blocks.len());
            if compares(rule) {
                blocks.push(super::server_only(rule));
            } else if outside.is_empty() {
                blocks.extend(self.instance_rule(rule, &formulas, &block_at));
            }
        }
        // The fields decided at the root are declared in the instance too, under an `if`
        // that never holds: no verdict changes, and a form builder that looks a field up in
        // the instance's schema (JSON Forms, for a repeat's `detail`) finds it.
        if !decided_outside.is_empty() {
            let at = format!("{items_at}/allOf/{}/then/properties", blocks.len());
            let decided_outside: Map<String, Value> = decided_outside
                .iter()
                .map(|&field| {
                    let node = &self.survey.nodes[field];
                    let schema = self.question(node, &format!("{at}/{}", node.id));
                    (node.id.clone(), schema)
                })
                .collect();
            blocks.push(json!({ "if": { "not": {} }, "then": { "properties": decided_outside } }));
        }
        if !blocks.is_empty() {
            items.insert("allOf".into(), blocks.into());
        }
        schema.insert("items".into(), Value::Object(items));
        let count = |key: &str, code, limit: u32, schema: &mut Map<String, Value>| {
            self.note(
                || format!("{at}/{key}"),
                node,
                Fault::Count(code, limit.into()),
            );
            schema.insert(key.into(), limit.into());
        };
        if let Some(min) = min_items {
            count("minItems", IssueCode::TooFewItems, *min, schema);
        }
        if let Some(max) = max_items {
            count("maxItems", IssueCode::TooManyItems, *max, schema);
        }
    }

    /// The root blocks of a repeat's fields whose conditions test questions outside it,
    /// starting at schema location `at`; inside `if` the repeat's own condition when it has
    /// one, so that a form ignoring a disabled repeat ignores its instances too.
    pub(super) fn outside_blocks(&self, repeat: usize, at: &str) -> Option<Value> {
        let node = &self.survey.nodes[repeat];
        let AnswerSpec::Repeat { end, .. } = node.spec else {
            return None;
        };
        let guard = self.enabled[repeat].as_ref().map(|(schema, _)| schema);
        let inner_at = |k: usize| match guard {
            Some(_) => format!("{at}/then/allOf/{k}"),
            None => format!("{at}/allOf/{k}"),
        };
        let mut blocks = Vec::new();
        for field in repeat + 1..end {
            let Some((formula, _)) = &self.in_instance[field] else {
                continue;
            };
            let mut outside = Vec::new();
            formula.outside(&mut outside);
            if !outside.is_empty() {
                let block_at = inner_at(blocks.len());
                let leaf = |f: &[Formula], at: &str| self.instance_block(field, &f[0], at);
                let formulas = [formula.clone()];
                blocks.extend(self.expand(repeat, &formulas, &outside, &block_at, &leaf));
            }
        }
        for (rule, formulas, outside) in self.instance_rules(repeat) {
            if !outside.is_empty() && !compares(rule) {
                let block_at = inner_at(blocks.len());
                let leaf = |f: &[Formula], at: &str| self.instance_rule(rule, f, at);
                blocks.extend(self.expand(repeat, &formulas, &outside, &block_at, &leaf));
            }
        }
        if blocks.is_empty() {
            return None;
        }
        let all = json!({ "allOf": blocks });
        Some(match guard {
            Some(guard) => json!({ "if": guard, "then": all }),
            None => all,
        })
    }

    /// Decides the outside tests one at a time at the root; with all decided, `leaf` gives
    /// the instance block (of a field or a rule, from its formulas with those outcomes filled
    /// in) at the schema location of the repeat's `items`.
    fn expand(
        &self,
        repeat: usize,
        formulas: &[Formula],
        outside: &[Value],
        at: &str,
        leaf: &dyn Fn(&[Formula], &str) -> Option<Value>,
    ) -> Option<Value> {
        let Some((test, rest)) = outside.split_first() else {
            let id = &self.survey.nodes[repeat].id;
            let block = leaf(formulas, &format!("{at}/properties/{id}/items"))?;
            return Some(json!({ "properties": { id.clone(): { "items": block } } }));
        };
        let decided = |holds: bool| -> Vec<Formula> {
            formulas
                .iter()
                .map(|f| f.decide(Some(test), holds))
                .collect()
        };
        let (holds, fails) = (decided(true), decided(false));
        if holds == fails {
            // The test decides nothing here.
            return self.expand(repeat, &holds, rest, at, leaf);
        }
        let then = self.expand(repeat, &holds, rest, &format!("{at}/then"), leaf);
        let otherwise = self.expand(repeat, &fails, rest, &format!("{at}/else"), leaf);
        let mut block = Map::new();
        block.insert("if".into(), test.clone());
        block.insert("then".into(), then.unwrap_or(json!({})));
        if let Some(otherwise) = otherwise {
            block.insert("else".into(), otherwise);
        }
        Some(Value::Object(block))
    }

    /// A rule checked in every instance, from its `when` and `assert` with no outside test
    /// left, at schema location `at`: `{if: when, then: assert}`. `None` when it cannot fail.
    fn instance_rule(&self, rule: &Rule, formulas: &[Formula], at: &str) -> Option<Value> {
        let (when, assert) = (&formulas[0], &formulas[1]);
        if *when == Formula::False || *assert == Formula::True {
            return None;
        }
        if let Some(recorder) = self.recorder {
            let text = self.survey.text(&rule.message, recorder.locale().tag());
            recorder.rule(at, &self.survey.nodes[rule.node], &rule.id, text);
        }
        Some(match when {
            Formula::True => assert.schema(),
            _ => json!({ "if": when.schema(), "then": assert.schema() }),
        })
    }

    /// The `when` and `assert` of a rule checked per instance of `repeat`, as formulas, with
    /// the outside tests they make; `None` for a warning, which no schema holds.
    fn instance_rules(&self, repeat: usize) -> Vec<(&Rule, Vec<Formula>, Vec<Value>)> {
        self.survey
            .rules
            .iter()
            .filter(|rule| rule.repeat == Some(repeat) && rule.severity.is_error())
            .map(|rule| {
                let when = rule
                    .when
                    .as_ref()
                    .map_or(Formula::True, |c| self.formula(c).0);
                let assert = self.formula(&rule.assert).0;
                let mut outside = Vec::new();
                when.outside(&mut outside);
                assert.outside(&mut outside);
                (rule, vec![when, assert], outside)
            })
            .collect()
    }

    /// The block of one field applied to an instance, at schema location `at`: declared
    /// (and required) where the formula holds, forbidden where it does not (not in the form
    /// schema). `None` when there is nothing to say.
    fn instance_block(&self, field: usize, formula: &Formula, at: &str) -> Option<Value> {
        let node = &self.survey.nodes[field];
        let declare = |at: &str| self.declaration(node, at);
        let forbid = |at: &str| {
            self.note(|| format!("{at}/not"), node, Fault::Disabled);
            json!({ "not": { "required": [node.id] } })
        };
        match formula {
            Formula::True => Some(declare(at)),
            Formula::False if self.form => None,
            Formula::False => Some(forbid(at)),
            _ if self.form => {
                Some(json!({ "if": formula.schema(), "then": declare(&format!("{at}/then")) }))
            }
            _ => Some(json!({
                "if": formula.schema(),
                "then": declare(&format!("{at}/then")),
                "else": forbid(&format!("{at}/else")),
            })),
        }
    }
}

/// Whether a rule compares two answers, which only the native validator checks.
fn compares(rule: &Rule) -> bool {
    rule.assert.compares_answers() || rule.when.as_ref().is_some_and(Condition::compares_answers)
}
