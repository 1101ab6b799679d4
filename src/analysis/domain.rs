//! The answers the analysis tries for each node: one representative of every class of
//! answers that the survey's tests tell apart, each a valid answer of its question.
//!
//! A test compares an answer with constants, so answers between the same constants pass the
//! same tests: a number question needs each constant, one number in each gap between them
//! and one beyond them (within its bounds); a choice question needs each mentioned choice and
//! one other; a multiple choice needs each combination of the mentioned choices. Where a
//! class may hold an answer the analysis could not build (a text matching a pattern, a
//! number between two adjacent floats), the node's domain is marked inexact, and no verdict
//! that depends on it says "never".

use std::collections::HashSet;

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Number, Value};

use crate::condition::{Bound, Condition, Leaf, Test};
use crate::date;
use crate::node::{AnswerSpec, Node};
use crate::program::Program;

/// Most mentioned choices of one multiple choice whose combinations are all tried.
const MAX_COMBINED_CHOICES: usize = 10;
/// Most answers tried in each gap between two constants: as many as the numbers or dates a
/// rule compares together, up to this (beyond it, not every order of their answers is tried,
/// and the domains say so).
const MAX_PER_GAP: usize = 16;
/// The values all domains keep together, shared out among the nodes: each node keeps
/// at most its share (or [`MIN_DOMAIN_SHARE`], whichever is more), and a domain cut to it is
/// inexact.
const MAX_DOMAIN_VALUES: usize = 1_000_000;
/// The fewest values a node may keep, however many nodes share [`MAX_DOMAIN_VALUES`].
const MIN_DOMAIN_SHARE: usize = 64;
/// Most instances a witness writes for one repeat.
pub(crate) const MAX_WITNESS_INSTANCES: u32 = 1_000;

/// A node's value in the search.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Absent,
    /// An answer: a scalar, or a multiple choice's selections.
    Json(Value),
    /// A group, matrix, table or table row answered (an object of its fields).
    Object,
    /// A repeat answered with this many instances.
    Count(u32),
}

/// The answers tried for one node, in order; absence is always possible besides.
#[derive(Debug, Clone, Default)]
pub(crate) struct Domain {
    pub(crate) values: Vec<Val>,
    /// Some class of answers may have no representative here.
    pub(crate) inexact: bool,
}

/// The domain of every node, from the tests every condition and rule makes of it.
///
/// Nodes that rules compare with each other (`less_or_equal: {question: total}`) share their
/// constants, and each gap between them gets as many answers as the nodes compared
/// together, so that every order of their answers is tried.
pub(crate) fn domains(nodes: &[Node], program: &Program, conditions: &[&Condition]) -> Vec<Domain> {
    let mut tests: Vec<Vec<&Test>> = vec![Vec::new(); nodes.len()];
    let mut sets = Sets::new(nodes.len());
    let mut leaves: Vec<&Leaf> = Vec::new();
    for condition in conditions {
        condition.leaves(&mut leaves);
    }
    for leaf in leaves {
        if let Test::CompareAnswers(_, other) = leaf.test {
            sets.join(leaf.node, other);
        }
        tests[leaf.node].push(&leaf.test);
    }
    let groups = sets.groups();
    let mut group_of = vec![0; nodes.len()];
    for (g, members) in groups.iter().enumerate() {
        for &i in members {
            group_of[i] = g;
        }
    }
    // Every node's share of the values the analysis keeps, so that memory stays bounded
    // whatever the survey compares.
    let share = (MAX_DOMAIN_VALUES / nodes.len().max(1)).max(MIN_DOMAIN_SHARE);
    let orders: Vec<Order<'_>> = groups
        .iter()
        .map(|together| Order::of(nodes, together, &tests, share))
        .collect();
    (0..nodes.len())
        .map(|i| {
            let order = &orders[group_of[i]];
            let compared = groups[group_of[i]].len() > 1;
            let mut domain = domain(i, &nodes[i], program, &tests[i], order);
            let ordered = matches!(
                nodes[i].spec,
                AnswerSpec::Integer { .. } | AnswerSpec::Number { .. } | AnswerSpec::Date { .. }
            );
            // Selections and instances compared by number, and texts, are not enumerated by
            // every order; numbers and dates are, unless the group was too large for it.
            domain.inexact |= compared && !ordered || ordered && order.capped;
            if domain.values.len() > share {
                domain.values.truncate(share);
                domain.inexact = true;
            }
            domain
        })
        .collect()
}

/// Disjoint sets of indices `0..n` (union-find with path halving).
pub(crate) struct Sets(Vec<usize>);

impl Sets {
    pub(crate) fn new(n: usize) -> Sets {
        Sets((0..n).collect())
    }

    pub(crate) fn root(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    pub(crate) fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        self.0[a] = b;
    }

    /// The members of each set, in order, the sets in the order of their first member.
    pub(crate) fn groups(&mut self) -> Vec<Vec<usize>> {
        let n = self.0.len();
        let mut at: Vec<Option<usize>> = vec![None; n];
        let mut out: Vec<Vec<usize>> = Vec::new();
        for i in 0..n {
            let r = self.root(i);
            let slot = *at[r].get_or_insert(out.len());
            if slot == out.len() {
                out.push(Vec::new());
            }
            out[slot].push(i);
        }
        out
    }
}

/// The constants an ordered answer (a number or a date) is tried around: those of the node
/// and of every node compared with it, their bounds, and how many answers each gap needs.
struct Order<'t> {
    numbers: Vec<&'t Number>,
    dates: Vec<&'t str>,
    per_gap: u32,
    /// Fewer answers per gap, or fewer constants, than every order of the answers needs.
    capped: bool,
}

impl<'t> Order<'t> {
    /// The constants of the nodes compared `together`, with room for at most `share`
    /// answers per node.
    fn of(
        nodes: &'t [Node],
        together: &[usize],
        tests: &[Vec<&'t Test>],
        share: usize,
    ) -> Order<'t> {
        let per_gap = together.len().min(MAX_PER_GAP);
        let mut order = Order {
            numbers: Vec::new(),
            dates: Vec::new(),
            per_gap: u32::try_from(per_gap).unwrap_or(u32::MAX),
            capped: per_gap < together.len(),
        };
        for &i in together {
            order.numbers.extend(mentioned_numbers(&tests[i]));
            for test in &tests[i] {
                match test {
                    Test::Equals(v) | Test::NotEquals(v) => order.dates.extend(v.as_str()),
                    Test::In(values) => order.dates.extend(values.iter().filter_map(Value::as_str)),
                    Test::Compare(_, Bound::Date(d)) => order.dates.push(d),
                    _ => {}
                }
            }
            if together.len() > 1 {
                match &nodes[i].spec {
                    AnswerSpec::Number { minimum, maximum } => {
                        order.numbers.extend(minimum.iter().chain(maximum));
                    }
                    AnswerSpec::Date { earliest, latest } => {
                        order
                            .dates
                            .extend(earliest.iter().chain(latest).map(String::as_str));
                    }
                    _ => {}
                }
            }
        }
        // Each constant brings up to `2 * per_gap + 2` answers: no more constants than the
        // share holds.
        let room = (share / (2 * per_gap + 2)).max(1);
        let mut seen = HashSet::new();
        order.numbers.retain(|n| seen.insert(*n));
        let mut seen = HashSet::new();
        order.dates.retain(|d| seen.insert(*d));
        if order.numbers.len() > room || order.dates.len() > room {
            order.numbers.truncate(room);
            order.dates.truncate(room);
            order.capped = true;
        }
        order
    }
}

fn domain(
    index: usize,
    node: &Node,
    program: &Program,
    tests: &[&Test],
    order: &Order<'_>,
) -> Domain {
    let valid = |value: &Value| program.accepts(index, value);
    let mut inexact = false;
    let values: Vec<Value> = match &node.spec {
        AnswerSpec::Group { .. } => {
            return Domain {
                values: vec![Val::Object],
                inexact: false,
            };
        }
        AnswerSpec::Repeat {
            min_items,
            max_items,
            ..
        } => return repeat_domain(*min_items, *max_items, tests),
        AnswerSpec::Boolean { .. } => vec![Value::Bool(true), Value::Bool(false)],
        AnswerSpec::SingleChoice { choices } => {
            let mentioned = mentioned_strings(tests);
            let mut values: Vec<Value> = choices
                .iter()
                .filter(|c| mentioned.contains(&c.value.as_str()))
                .map(|c| Value::String(c.value.clone()))
                .collect();
            values.extend(
                choices
                    .iter()
                    .find(|c| !mentioned.contains(&c.value.as_str()))
                    .map(|c| Value::String(c.value.clone())),
            );
            values
        }
        AnswerSpec::MultipleChoice { choices, min, .. } => {
            let mentioned: Vec<&str> = choices
                .iter()
                .map(|c| c.value.as_str())
                .filter(|v| {
                    tests
                        .iter()
                        .any(|t| matches!(t, Test::Includes(c) if c == v))
                })
                .collect();
            inexact |= mentioned.len() > MAX_COMBINED_CHOICES;
            let mentioned = &mentioned[..mentioned.len().min(MAX_COMBINED_CHOICES)];
            let others: Vec<&str> = choices
                .iter()
                .filter(|c| !c.exclusive && !mentioned.contains(&c.value.as_str()))
                .map(|c| c.value.as_str())
                .collect();
            // The numbers of selections a count test tells apart (`greater_than: 2`: 1, 2, 3).
            let mut sizes: Vec<usize> = Vec::new();
            for test in tests {
                if let Test::Count(_, c) = test {
                    let c = *c as usize;
                    sizes.extend([c.saturating_sub(1), c, c.saturating_add(1)]);
                }
            }
            let mut values = Vec::new();
            for mask in 0u32..1 << mentioned.len() {
                let picked: Vec<&str> = (0..mentioned.len())
                    .filter(|bit| mask >> bit & 1 == 1)
                    .map(|bit| mentioned[bit])
                    .collect();
                let selection = |extra: usize| {
                    let items = picked.iter().chain(&others[..extra]);
                    Value::Array(items.map(|s| Value::String((*s).to_owned())).collect())
                };
                // The fewest other choices that make the selection valid.
                let least = (min.unwrap_or(0) as usize).saturating_sub(picked.len());
                let fewest = (least..=others.len()).map(selection).find(|v| valid(v));
                values.extend(fewest);
                // And a selection of every size a count test tells apart.
                for &size in &sizes {
                    let Some(extra) = size.checked_sub(picked.len()) else {
                        continue;
                    };
                    if extra <= others.len() {
                        let v = selection(extra);
                        if valid(&v) && !values.contains(&v) {
                            values.push(v);
                        }
                    }
                }
            }
            values
        }
        AnswerSpec::Text { .. } => {
            let mentioned = mentioned_strings(tests);
            let mut values: Vec<Value> = mentioned
                .iter()
                .map(|s| Value::String((*s).to_owned()))
                .filter(|v| valid(v))
                .collect();
            values.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            match other_text(node, &mentioned, &valid) {
                Some(other) => values.push(Value::String(other)),
                None => inexact = true,
            }
            values
        }
        AnswerSpec::Integer { minimum, maximum } => {
            integers(order, minimum.map(i128::from), maximum.map(i128::from))
                .into_iter()
                .map(integer_value)
                .collect()
        }
        AnswerSpec::Number { minimum, maximum } => {
            let (values, gaps) = numbers(order, minimum.as_ref(), maximum.as_ref());
            inexact |= gaps;
            values
        }
        AnswerSpec::Date { earliest, latest } => {
            dates(order, earliest.as_deref(), latest.as_deref())
        }
    };
    let mut seen = HashSet::new();
    let values: Vec<Val> = values
        .into_iter()
        .filter(|v| valid(v) && seen.insert(v.to_string()))
        .map(Val::Json)
        .collect();
    Domain { values, inexact }
}

/// The strings that `equals`, `not_equals` and `in` compare an answer with.
fn mentioned_strings<'t>(tests: &[&'t Test]) -> Vec<&'t str> {
    let mut out: Vec<&str> = Vec::new();
    let mut add = |v: &'t Value| {
        if let Some(s) = v.as_str()
            && !out.contains(&s)
        {
            out.push(s);
        }
    };
    for test in tests {
        match test {
            Test::Equals(v) | Test::NotEquals(v) => add(v),
            Test::In(values) => values.iter().for_each(&mut add),
            _ => {}
        }
    }
    out
}

/// The numbers the tests compare an answer with.
fn mentioned_numbers<'t>(tests: &[&'t Test]) -> Vec<&'t Number> {
    let mut out = Vec::new();
    for test in tests {
        match test {
            Test::Equals(Value::Number(n))
            | Test::NotEquals(Value::Number(n))
            | Test::Compare(_, Bound::Number(n)) => out.push(n),
            Test::In(values) => out.extend(values.iter().filter_map(Value::as_number)),
            _ => {}
        }
    }
    out
}

fn repeat_domain(min: Option<u32>, max: Option<u32>, tests: &[&Test]) -> Domain {
    let (low, high) = (min.unwrap_or(0), max.unwrap_or(u32::MAX));
    let mut counts = vec![low, high, 0, 1];
    for test in tests {
        if let Test::Count(_, c) = test {
            counts.extend([c.saturating_sub(1), *c, c.saturating_add(1)]);
        }
    }
    counts.retain(|c| (low..=high).contains(c));
    counts.sort_unstable();
    counts.dedup();
    Domain {
        values: counts.into_iter().map(Val::Count).collect(),
        inexact: false,
    }
}

/// Each constant, its neighbours and the bounds: every class of integers between the
/// constants, within the bounds, holds `per_gap` of them (or all its integers).
fn integers(order: &Order<'_>, minimum: Option<i128>, maximum: Option<i128>) -> Vec<i128> {
    let k = i128::from(order.per_gap);
    let mut points: Vec<i128> = Vec::new();
    for n in &order.numbers {
        let (floor, ceil) = match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => (i128::from(i), i128::from(i)),
            (None, Some(u), _) => (i128::from(u), i128::from(u)),
            // A float bound: the integers on either side of it (far beyond i64 they clamp).
            #[allow(
                clippy::cast_possible_truncation,
                reason = "a float beyond i128 saturates, and is far outside any integer bound"
            )]
            (None, None, Some(f)) => (f.floor() as i128, f.ceil() as i128),
            _ => continue,
        };
        points.extend((floor - k..=floor).chain(ceil..=ceil + k));
    }
    points.extend(minimum.iter().flat_map(|m| *m..*m + k));
    points.extend(maximum.iter().flat_map(|m| *m - k + 1..=*m));
    if points.is_empty() {
        points.extend(0..k);
    }
    let low = minimum.unwrap_or(i128::from(i64::MIN));
    let high = maximum.unwrap_or(i128::from(i64::MAX));
    points.retain(|p| (low..=high).contains(p));
    points.sort_unstable();
    points.dedup();
    points
}

fn integer_value(n: i128) -> Value {
    i64::try_from(n).map_or(Value::Null, |n| Value::Number(n.into()))
}

/// Each constant and bound, `per_gap` numbers between each two neighbours, and as many
/// beyond the least and the greatest. `true` when two neighbours are too close for floats
/// between them: decimals there are not built.
fn numbers(
    order: &Order<'_>,
    minimum: Option<&Number>,
    maximum: Option<&Number>,
) -> (Vec<Value>, bool) {
    let k = order.per_gap;
    let mut points: Vec<f64> = order
        .numbers
        .iter()
        .copied()
        .chain(minimum)
        .chain(maximum)
        .filter_map(Number::as_f64)
        .collect();
    let mut inexact = points.iter().any(|f| f.abs() >= crate::number::EXACT_F64);
    if points.is_empty() {
        points.push(0.0);
    }
    points.sort_by(f64::total_cmp);
    points.dedup();
    let mut candidates = points.clone();
    for pair in points.windows(2) {
        for j in 1..=k {
            let inside = pair[0] + (pair[1] - pair[0]) * f64::from(j) / f64::from(k + 1);
            if inside > pair[0] && inside < pair[1] {
                candidates.push(inside);
            } else {
                inexact = true;
            }
        }
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        for j in 1..=k {
            candidates.push(first - first.abs().max(1.0) * f64::from(j));
            candidates.push(last + last.abs().max(1.0) * f64::from(j));
        }
    }
    let values = candidates
        .into_iter()
        .filter_map(|f| {
            if f.fract() == 0.0 && f.abs() < crate::number::EXACT_F64 {
                #[allow(
                    clippy::cast_possible_truncation,
                    reason = "a whole float below 2^53 is an exact i64"
                )]
                Some(Value::Number((f as i64).into()))
            } else {
                Number::from_f64(f).map(Value::Number)
            }
        })
        .collect();
    (values, inexact)
}

/// Each date constant with `per_gap` days either side of it, and the bounds.
fn dates(order: &Order<'_>, earliest: Option<&str>, latest: Option<&str>) -> Vec<Value> {
    let k = i64::from(order.per_gap);
    let mut days: Vec<i64> = Vec::new();
    for day in order.dates.iter().filter_map(|d| date::day_number(d)) {
        days.extend(day - k..=day + k);
    }
    days.extend(
        earliest
            .and_then(date::day_number)
            .iter()
            .flat_map(|d| *d..*d + k),
    );
    days.extend(
        latest
            .and_then(date::day_number)
            .iter()
            .flat_map(|d| *d - k + 1..=*d),
    );
    if days.is_empty() {
        days.extend(
            date::day_number("2024-04-01")
                .iter()
                .flat_map(|d| *d..*d + k),
        );
    }
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .filter_map(date::from_day_number)
        .map(Value::String)
        .collect()
}

/// A valid text answer that is none of `mentioned`: common shapes first, then strings built
/// from the question's pattern.
fn other_text(node: &Node, mentioned: &[&str], valid: &impl Fn(&Value) -> bool) -> Option<String> {
    let AnswerSpec::Text {
        min_length,
        pattern,
        ..
    } = &node.spec
    else {
        return None;
    };
    let mut candidates: Vec<String> = [
        "a",
        "other",
        "0",
        "a@example.com",
        "03-1234-5678",
        "https://example.com",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    if let Some(pattern) = pattern
        && let Ok(hir) = regex_syntax::Parser::new().parse(&pattern.portable)
    {
        candidates.extend((0..24).map(|seed| sample(&hir, seed)));
    }
    let least = min_length.unwrap_or(0) as usize;
    let padded: Vec<String> = candidates
        .iter()
        .filter_map(|c| {
            let short = least.checked_sub(c.chars().count())?;
            let end = c.chars().last().unwrap_or('a');
            Some(format!("{c}{}", end.to_string().repeat(short)))
        })
        .collect();
    candidates.extend(padded);
    candidates
        .into_iter()
        .find(|c| !mentioned.contains(&c.as_str()) && valid(&Value::String(c.clone())))
}

/// A string the pattern matches; `seed` picks among alternatives, repetition counts and the
/// characters of a class, so that different seeds give different strings.
fn sample(hir: &Hir, seed: usize) -> String {
    let mut out = String::new();
    let mut state = seed;
    build(hir, &mut state, &mut out, 0);
    out
}

fn build(hir: &Hir, state: &mut usize, out: &mut String, depth: usize) {
    if depth > 64 || out.len() > 4096 {
        return;
    }
    let pick = |state: &mut usize, n: usize| {
        let choice = *state % n.max(1);
        *state = *state / n.max(1) + choice;
        choice
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let nice = ['a', '0', 'A', 'x', '1', ' '];
            let found = nice.iter().find(|c| {
                class
                    .ranges()
                    .iter()
                    .any(|r| (r.start()..=r.end()).contains(c))
            });
            let ranges = class.ranges();
            let fallback = ranges
                .get(pick(state, ranges.len()))
                .map(regex_syntax::hir::ClassUnicodeRange::start);
            out.extend(found.copied().or(fallback));
        }
        HirKind::Class(Class::Bytes(class)) => {
            out.extend(class.ranges().first().map(|r| char::from(r.start())));
        }
        HirKind::Repetition(repetition) => {
            let extra = u32::try_from(pick(state, 3)).unwrap_or(0);
            let count = match repetition.max {
                Some(max) => (repetition.min + extra).min(max),
                None => repetition.min + extra,
            };
            for _ in 0..count.min(64) {
                build(&repetition.sub, state, out, depth + 1);
            }
        }
        HirKind::Capture(capture) => build(&capture.sub, state, out, depth + 1),
        HirKind::Concat(items) => {
            for item in items {
                build(item, state, out, depth + 1);
            }
        }
        HirKind::Alternation(items) => {
            if let Some(item) = items.get(pick(state, items.len())) {
                build(item, state, out, depth + 1);
            }
        }
    }
}
