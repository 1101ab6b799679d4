//! The condition an item is written with: its own, with the conditions that enable each
//! question it tests, so that a renderer that does not cascade `enableWhen` (one that reads
//! a hidden item's answer as it was left) still hides what the survey disables.
//!
//! In the format, as in FHIR R5, a condition sees no answer on a disabled question. A test
//! that fails on no answer (every test but `not_equals` and `answered: false`) is written
//! `all[T, E(Q)]`, where `E(Q)` are the conditions of the question `Q` it tests and of `Q`'s
//! enclosing items, each written the same way; a test that holds on no answer is written
//! `any[not all[E(Q)], T]`. Where disabling cascades, both mean `T`; where it does not, they
//! still mean what `T` means in the survey, since every condition they add is decided on
//! questions that are enabled or that such a condition hides.
//!
//! Left out: the conditions of the item's own enclosing items (a renderer hides what a hidden
//! group holds), those already in the item's own `all`, and the whole expansion where it
//! would pass [`MAX_ADDED`] conditions or a nesting of [`MAX_DEPTH`] (the item keeps its own condition, which still means
//! the same to a renderer that cascades).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::definition::{ConditionDef, QuestionDef, QuestionKind, SurveyDefinition};
use crate::fhir::items::{Answer, Catalogue};
use crate::fhir::path::{self, Scope};

/// At most this many conditions are added to one item's (and held for one question's
/// `E(Q)`).
pub(super) const MAX_ADDED: usize = 64;

/// The deepest nesting of `all`, `any` and `not` written (the survey checks allow
/// [`Limits::max_condition_depth`](crate::Limits::max_condition_depth), 32 by default).
const MAX_DEPTH: usize = 16;

/// One item: its own condition, the table row its condition is written in, and the item
/// that holds it in the Questionnaire.
struct Own {
    condition: Option<ConditionDef>,
    repeat: bool,
    row: Option<String>,
    parent: Option<String>,
}

/// `E(Q)` of every item, by key: `None` where it passed [`MAX_ADDED`].
type Enabling = Option<Rc<Vec<ConditionDef>>>;

/// The items of a definition with the conditions that enable each.
pub(super) struct Effective {
    /// The keys whose answers are counted (a repeat, a multiple choice): a comparison on one
    /// is written with a test that it is answered.
    counted: HashSet<String>,
    items: HashMap<String, Own>,
    enabling: HashMap<String, Enabling>,
    /// The conditions written in place of the items' own.
    written: HashMap<String, ConditionDef>,
}

impl Effective {
    pub(super) fn new(def: &SurveyDefinition, catalogue: &Catalogue<'_>) -> Effective {
        let counted = catalogue
            .items
            .iter()
            .filter(|(_, info)| {
                matches!(
                    info.answer,
                    Answer::Count | Answer::Choice { multiple: true }
                )
            })
            .map(|(key, _)| key.clone())
            .collect();
        let mut effective = Effective {
            counted,
            items: HashMap::new(),
            enabling: HashMap::new(),
            written: HashMap::new(),
        };
        let mut order = Vec::new();
        effective.add_all(&def.questions, None, None, None, &mut order);
        // Conditions refer only to earlier items, and an item comes after the one holding
        // it: in document order, every `E` an item needs is known.
        for key in &order {
            let enabling = effective.enabling_of(key);
            effective.enabling.insert(key.clone(), enabling);
        }
        effective.write_all(&order);
        effective
    }

    /// The condition `key` is written with where it is not its own.
    pub(super) fn written(&self, key: &str) -> Option<&ConditionDef> {
        self.written.get(key)
    }

    /// Decides each item's written condition, in document order. Inside a repeat, the
    /// fields' conditions may make at most `MAX_OUTSIDE_TESTS` different tests of questions
    /// outside it (the survey checks): a field whose expansion would pass that keeps its own.
    fn write_all(&mut self, order: &[String]) {
        let mut outside: HashMap<&str, Vec<ConditionDef>> = HashMap::new();
        let mut written = HashMap::new();
        for key in order {
            let Some(own) = self.items.get(key) else {
                continue;
            };
            if let Some(condition) = &own.condition {
                for repeat in self.repeats_holding(key) {
                    let found = outside.entry(repeat).or_default();
                    for leaf in self.outside_leaves(condition, own.row.as_deref(), repeat) {
                        push_new(found, leaf);
                    }
                }
            }
        }
        for key in order {
            let Some(own) = self.items.get(key) else {
                continue;
            };
            let Some(condition) = &own.condition else {
                continue;
            };
            let Some(candidate) = self.condition_of(key, condition) else {
                continue;
            };
            if depth(&candidate) > MAX_DEPTH {
                continue;
            }
            let repeats = self.repeats_holding(key);
            let mut grown = Vec::new();
            for &repeat in &repeats {
                let mut found = outside.get(repeat).cloned().unwrap_or_default();
                for leaf in self.outside_leaves(&candidate, own.row.as_deref(), repeat) {
                    push_new(&mut found, leaf);
                }
                grown.push((repeat, found));
            }
            if grown
                .iter()
                .any(|(_, found)| found.len() > crate::check::MAX_OUTSIDE_TESTS)
            {
                continue;
            }
            for (repeat, found) in grown {
                outside.insert(repeat, found);
            }
            written.insert(key.clone(), candidate);
        }
        self.written = written;
    }

    /// The keys of the repeats that hold `key`, innermost first.
    fn repeats_holding(&self, key: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = self.items.get(key).and_then(|own| own.parent.as_deref());
        while let Some(parent) = at {
            let Some((parent_key, own)) = self.items.get_key_value(parent) else {
                break;
            };
            if own.repeat {
                out.push(parent_key.as_str());
            }
            at = own.parent.as_deref();
        }
        out
    }

    /// The leaves of `condition` that test an item outside `repeat`, as import may read them
    /// back: a value of `in` as one `equals` each, a comparison of a count with the test
    /// that it is answered.
    fn outside_leaves(
        &self,
        condition: &ConditionDef,
        row: Option<&str>,
        repeat: &str,
    ) -> Vec<ConditionDef> {
        let mut leaves = Vec::new();
        collect_leaves(condition, &mut leaves);
        let inside = format!("{repeat}.");
        let mut out = Vec::new();
        for leaf in leaves {
            let scope = scope_of(row);
            if tested(&leaf, scope)
                .iter()
                .all(|key| key.starts_with(&inside))
            {
                continue;
            }
            if leaf.answered.is_none() && leaf.in_.is_none() && leaf.includes.is_none() {
                for named in named(&leaf) {
                    let key = path::leaf_key(&named, scope).map(|k| k.0);
                    if key.is_some_and(|key| self.counted.contains(&key)) {
                        push_new(
                            &mut out,
                            ConditionDef {
                                answered: Some(true),
                                ..named
                            },
                        );
                    }
                }
            }
            match &leaf.in_ {
                Some(values) => {
                    for value in values {
                        push_new(
                            &mut out,
                            ConditionDef {
                                in_: None,
                                equals: Some(value.clone()),
                                ..leaf.clone()
                            },
                        );
                    }
                }
                None => push_new(&mut out, leaf),
            }
        }
        out
    }

    fn add_all(
        &mut self,
        questions: &[QuestionDef],
        owner: Option<&str>,
        parent: Option<&str>,
        row: Option<&str>,
        order: &mut Vec<String>,
    ) {
        for q in questions {
            let key = match owner {
                Some(owner) => format!("{owner}.{}", q.id),
                None => q.id.clone(),
            };
            self.add(&key, q.enable_when.clone(), row, parent, order);
            if q.kind == QuestionKind::Repeat
                && let Some(own) = self.items.get_mut(&key)
            {
                own.repeat = true;
            }
            match q.kind {
                QuestionKind::Section => {
                    let inner = q.questions.as_deref().unwrap_or_default();
                    self.add_all(inner, owner, Some(&key), row, order);
                }
                QuestionKind::Group | QuestionKind::Repeat => {
                    let fields = q.fields.as_deref().unwrap_or_default();
                    self.add_all(fields, Some(&key), Some(&key), None, order);
                }
                QuestionKind::Matrix => {
                    for r in q.rows.iter().flatten() {
                        let row_key = format!("{key}.{}", r.id);
                        self.add(&row_key, r.enable_when.clone(), None, Some(&key), order);
                    }
                }
                QuestionKind::Table => {
                    for r in q.rows.iter().flatten() {
                        let row_key = format!("{key}.{}", r.id);
                        self.add(&row_key, r.enable_when.clone(), None, Some(&key), order);
                        let columns = q.columns.as_deref().unwrap_or_default();
                        self.add_all(
                            columns,
                            Some(&row_key),
                            Some(&row_key),
                            Some(&row_key),
                            order,
                        );
                    }
                }
                _ => {
                    for choice in q.choices.iter().flatten() {
                        let Some(specify) = &choice.specify else {
                            continue;
                        };
                        let (specify_key, leaf) =
                            specify_leaf(q, owner, &choice.value, &specify.id);
                        self.add(&specify_key, Some(leaf), row, Some(&key), order);
                    }
                }
            }
        }
    }

    fn add(
        &mut self,
        key: &str,
        condition: Option<ConditionDef>,
        row: Option<&str>,
        parent: Option<&str>,
        order: &mut Vec<String>,
    ) {
        self.items.insert(
            key.to_owned(),
            Own {
                condition,
                repeat: false,
                row: row.map(str::to_owned),
                parent: parent.map(str::to_owned),
            },
        );
        order.push(key.to_owned());
    }

    /// `E(key)`: the item's own condition and those of the items holding it, each expanded.
    fn enabling_of(&self, key: &str) -> Enabling {
        let own = self.items.get(key)?;
        let mut out: Vec<ConditionDef> = match &own.parent {
            Some(parent) => self.enabling.get(parent).cloned().flatten()?.to_vec(),
            None => Vec::new(),
        };
        if let Some(condition) = &own.condition {
            let scope = scope_of(own.row.as_deref());
            let expanded = self.expand(condition, scope, own.row.as_deref(), &[])?;
            for conjunct in conjuncts(expanded) {
                push_new(&mut out, conjunct);
            }
        }
        (out.len() <= MAX_ADDED && out.iter().all(|c| depth(c) <= MAX_DEPTH)).then(|| Rc::new(out))
    }

    /// The condition `item` is written with, or `None` where its own is written as it is
    /// (no test needs more, or the expansion passed [`MAX_ADDED`]).
    pub(super) fn condition_of(
        &self,
        item: &str,
        condition: &ConditionDef,
    ) -> Option<ConditionDef> {
        let own = self.items.get(item)?;
        // What a renderer showing the item's parent already knows to be true.
        let shown: Vec<ConditionDef> = match &own.parent {
            Some(parent) => self.enabling.get(parent).cloned().flatten()?.to_vec(),
            None => Vec::new(),
        };
        let scope = scope_of(own.row.as_deref());
        let row = own.row.as_deref();
        let tops = match &condition.all {
            Some(items) if is_list_only(condition) => items.clone(),
            _ => vec![condition.clone()],
        };
        let mut out: Vec<ConditionDef> = tops.clone();
        let mut changed = false;
        for top in &tops {
            if is_leaf(top) && !top.holds_when_absent() {
                for added in self.added(top, scope, row, &shown)? {
                    changed = true;
                    push_new(&mut out, added);
                }
            } else {
                let expanded = self.expand(top, scope, row, &shown)?;
                if &expanded != top {
                    changed = true;
                    if let Some(at) = out.iter().position(|c| c == top) {
                        out[at] = expanded;
                    }
                }
            }
        }
        if !changed || out.len() > tops.len() + MAX_ADDED {
            return None;
        }
        Some(match out.len() {
            1 => out.remove(0),
            _ => ConditionDef {
                all: Some(out),
                ..ConditionDef::default()
            },
        })
    }

    /// The conditions that enable the questions `leaf` tests, less those in `shown`; `None`
    /// where one is unknown or too long, or belongs to another table row.
    fn added(
        &self,
        leaf: &ConditionDef,
        scope: Scope<'_>,
        row: Option<&str>,
        shown: &[ConditionDef],
    ) -> Option<Vec<ConditionDef>> {
        let mut out = Vec::new();
        for key in tested(leaf, scope) {
            let own = self.items.get(&key)?;
            if own.row.is_some() && own.row.as_deref() != row {
                return None;
            }
            for c in self.enabling.get(&key).cloned().flatten()?.iter() {
                if !shown.contains(c) {
                    push_new(&mut out, c.clone());
                }
            }
        }
        Some(out)
    }

    /// `condition` with every test expanded; `None` where a test's `E` is unknown or too
    /// long.
    fn expand(
        &self,
        condition: &ConditionDef,
        scope: Scope<'_>,
        row: Option<&str>,
        shown: &[ConditionDef],
    ) -> Option<ConditionDef> {
        let list = |items: &Vec<ConditionDef>| {
            items
                .iter()
                .map(|c| self.expand(c, scope, row, shown))
                .collect::<Option<Vec<_>>>()
        };
        if let (Some(items), true) = (&condition.all, is_list_only(condition)) {
            return Some(ConditionDef {
                all: Some(list(items)?),
                ..ConditionDef::default()
            });
        }
        if let (Some(items), true) = (&condition.any, is_list_only(condition)) {
            return Some(ConditionDef {
                any: Some(list(items)?),
                ..ConditionDef::default()
            });
        }
        if let Some(inner) = &condition.not {
            return Some(ConditionDef {
                not: Some(Box::new(self.expand(inner, scope, row, shown)?)),
                ..ConditionDef::default()
            });
        }
        let added = self.added(condition, scope, row, shown)?;
        if added.is_empty() {
            return Some(condition.clone());
        }
        let enabled = match added.len() {
            1 => added[0].clone(),
            _ => ConditionDef {
                all: Some(added.clone()),
                ..ConditionDef::default()
            },
        };
        Some(if condition.holds_when_absent() {
            ConditionDef {
                any: Some(vec![
                    ConditionDef {
                        not: Some(Box::new(enabled)),
                        ..ConditionDef::default()
                    },
                    condition.clone(),
                ]),
                ..ConditionDef::default()
            }
        } else {
            let mut all = vec![condition.clone()];
            all.extend(added);
            ConditionDef {
                all: Some(all),
                ..ConditionDef::default()
            }
        })
    }
}

impl ConditionDef {
    /// Whether a leaf holds on an absent answer (`docs/format.md`, "Skip logic", rule 3).
    fn holds_when_absent(&self) -> bool {
        self.not_equals.is_some() || self.answered == Some(false)
    }
}

/// The specify box of `choice` of `q`: its key and the leaf that enables it.
pub(super) fn specify_leaf(
    q: &QuestionDef,
    owner: Option<&str>,
    choice: &str,
    specify_id: &str,
) -> (String, ConditionDef) {
    let multiple = q.kind == QuestionKind::MultipleChoice;
    let value = Some(serde_json::json!(choice));
    let leaf = ConditionDef {
        question: Some(owner.map_or_else(|| q.id.clone(), str::to_owned)),
        field: owner.map(|_| q.id.clone()),
        equals: value.clone().filter(|_| !multiple),
        includes: value.filter(|_| multiple),
        ..ConditionDef::default()
    };
    let key = match owner {
        Some(owner) => format!("{owner}.{specify_id}"),
        None => specify_id.to_owned(),
    };
    (key, leaf)
}

fn scope_of(row: Option<&str>) -> Scope<'_> {
    row.map_or(Scope::Top, Scope::Row)
}

fn is_leaf(c: &ConditionDef) -> bool {
    c.all.is_none() && c.any.is_none() && c.not.is_none()
}

/// Whether `c` is only a list (a checked condition is, when it has one).
fn is_list_only(c: &ConditionDef) -> bool {
    c.question.is_none() && c.column.is_none() && c.not.is_none()
}

/// The keys of the items a leaf tests: the question, and the other answer of a comparison.
fn tested(leaf: &ConditionDef, scope: Scope<'_>) -> Vec<String> {
    named(leaf)
        .iter()
        .filter_map(|name| path::leaf_key(name, scope).map(|k| k.0))
        .collect()
}

/// The names of the items a leaf tests (`question`, `field`, `column` only): the question,
/// and the other answer of a comparison.
fn named(leaf: &ConditionDef) -> Vec<ConditionDef> {
    let name = |c: &ConditionDef| ConditionDef {
        question: c.question.clone(),
        field: c.field.clone(),
        column: c.column.clone(),
        ..ConditionDef::default()
    };
    let mut out = vec![name(leaf)];
    let values = [
        &leaf.equals,
        &leaf.not_equals,
        &leaf.greater_than,
        &leaf.greater_or_equal,
        &leaf.less_than,
        &leaf.less_or_equal,
    ];
    for value in values.into_iter().flatten() {
        out.extend(path::as_reference(value).as_ref().map(name));
    }
    out
}

/// The items of a top-level `all`, or the condition alone.
fn conjuncts(c: ConditionDef) -> Vec<ConditionDef> {
    match c.all {
        Some(items) if is_list_only(&c) => items,
        _ => vec![c],
    }
}

fn collect_leaves(c: &ConditionDef, out: &mut Vec<ConditionDef>) {
    if is_leaf(c) {
        out.push(c.clone());
    }
    for inner in c.all.iter().chain(c.any.iter()).flatten() {
        collect_leaves(inner, out);
    }
    if let Some(inner) = &c.not {
        collect_leaves(inner, out);
    }
}

/// The nesting of lists and `not` in `c` (a leaf is 0).
fn depth(c: &ConditionDef) -> usize {
    let lists = c.all.iter().chain(c.any.iter()).flatten().map(depth).max();
    let not = c.not.as_deref().map(depth);
    if is_leaf(c) {
        0
    } else {
        1 + lists.into_iter().chain(not).max().unwrap_or(0)
    }
}

fn push_new(out: &mut Vec<ConditionDef>, c: ConditionDef) {
    if !out.contains(&c) {
        out.push(c);
    }
}
