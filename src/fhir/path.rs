//! The `FHIRPath` that export writes for conditions FHIR's `enableWhen` cannot hold and for the
//! survey's rules, and the parser that reads exactly that subset back.
//!
//! ```text
//! expr   := and (" or " and)*
//! and    := unary (" and " unary)*
//! unary  := "(" expr ")" [".not()"] | "true" | "false" | test [".not()"]
//! test   := item ".exists()" | item ".empty()" | item ".answer.exists()" | item ".answer.empty()"
//!         | item ".answer.value.where(" pred (" or " pred)* ").exists()"
//!         | count op (number | count)
//! item   := "%resource.repeat(item).where(linkId='L')" | "%context.item.where(linkId='L')"
//! count  := item ".count()" | item ".answer.count()"
//! pred   := "$this " op " " (literal | item ".answer.value.first()") | "code = 'C'"
//! ```
//!
//! An item's answer is tested only through `where(...).exists()`, so every test is true or
//! false, never empty: an absent answer fails every test but `.not()` of one and `empty()`,
//! as in the survey format. `%context.item` names a field of the repeat instance or a cell
//! of the table row that a rule is checked in.

use serde_json::{Map, Number, Value};

use super::items::{Answer, Catalogue};
use crate::definition::ConditionDef;

/// Where a condition is written: its leaves' `{column}` and `{question: R, field}` name items
/// of this row or instance.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'s> {
    Top,
    /// A table row (`T.r`): `{column: c}` is `T.r.c`, written relative to the row.
    Row(&'s str),
    /// A repeat (`R`): `{question: R, field: f}` is written relative to the instance.
    Instance(&'s str),
}

const OPERATORS: [(&str, &str); 6] = [
    ("equals", "="),
    ("greater_than", ">"),
    ("greater_or_equal", ">="),
    ("less_than", "<"),
    ("less_or_equal", "<="),
    ("not_equals", "!="),
];

/// The key a leaf names in a scope, and whether it is written relative to the scope.
pub(crate) fn leaf_key(leaf: &ConditionDef, scope: Scope<'_>) -> Option<(String, bool)> {
    if let Some(column) = &leaf.column {
        return match scope {
            Scope::Row(row) => Some((format!("{row}.{column}"), true)),
            _ => None,
        };
    }
    let question = leaf.question.as_ref()?;
    Some(match (&leaf.field, scope) {
        (Some(field), Scope::Instance(repeat)) if repeat == question => {
            (format!("{question}.{field}"), true)
        }
        (Some(field), _) => (format!("{question}.{field}"), false),
        (None, _) => (question.clone(), false),
    })
}

/// Writes a condition as `FHIRPath`; `relative`: the items of the scope's row or instance are
/// named from `%context` (a rule's constraint on that row or instance), else from the whole
/// response (an `enableWhenExpression`).
pub(crate) fn write(
    condition: &ConditionDef,
    catalogue: &Catalogue<'_>,
    scope: Scope<'_>,
    relative: bool,
) -> String {
    Writer {
        catalogue,
        scope,
        relative,
    }
    .expr(condition)
}

struct Writer<'c, 'd> {
    catalogue: &'c Catalogue<'d>,
    scope: Scope<'c>,
    relative: bool,
}

impl Writer<'_, '_> {
    fn expr(&self, c: &ConditionDef) -> String {
        for (items, empty, separator) in [(&c.all, "true", " and "), (&c.any, "false", " or ")] {
            if let Some(items) = items {
                return match items.len() {
                    0 => empty.into(),
                    1 => self.expr(&items[0]),
                    _ => items
                        .iter()
                        .map(|i| self.operand(i))
                        .collect::<Vec<_>>()
                        .join(separator),
                };
            }
        }
        if let Some(inner) = &c.not {
            return format!("({}).not()", self.expr(inner));
        }
        self.leaf(c)
    }

    /// An operand of `and` / `or`: wrapped when it is itself a list.
    fn operand(&self, c: &ConditionDef) -> String {
        let text = self.expr(c);
        if text.contains(" and ") || text.contains(" or ") {
            format!("({text})")
        } else {
            text
        }
    }

    fn item(&self, key: &str, relative: bool) -> String {
        let link = quote(&self.catalogue.link_id(key));
        if relative && self.relative {
            format!("%context.item.where(linkId={link})")
        } else {
            format!("%resource.repeat(item).where(linkId={link})")
        }
    }

    fn leaf(&self, c: &ConditionDef) -> String {
        let Some((key, relative)) = leaf_key(c, self.scope) else {
            return "false".into();
        };
        let item = self.item(&key, relative);
        let answer = self
            .catalogue
            .items
            .get(&key)
            .map_or(Answer::Text, |i| i.answer);
        let container = matches!(answer, Answer::Group | Answer::Count);
        if let Some(answered) = c.answered {
            return match (container, answered) {
                (true, true) => format!("{item}.exists()"),
                (true, false) => format!("{item}.empty()"),
                (false, true) => format!("{item}.answer.exists()"),
                (false, false) => format!("{item}.answer.empty()"),
            };
        }
        if let Some(values) = &c.in_ {
            let preds: Vec<String> = values.iter().map(|v| self.pred(&key, "=", v)).collect();
            if preds.is_empty() {
                return "false".into();
            }
            return format!("{item}.answer.value.where({}).exists()", preds.join(" or "));
        }
        if let Some(choice) = &c.includes {
            return format!(
                "{item}.answer.value.where({}).exists()",
                self.pred(&key, "=", choice)
            );
        }
        for (name, op) in OPERATORS {
            let Some(value) = operand(c, name) else {
                continue;
            };
            let (op, negate) = if op == "!=" { ("=", true) } else { (op, false) };
            let counted = match answer {
                Answer::Count => Some(format!("{item}.count()")),
                Answer::Choice { multiple: true } => Some(format!("{item}.answer.count()")),
                _ => None,
            };
            let guard = |item: &str| {
                if answer == Answer::Count {
                    format!("{item}.exists()")
                } else {
                    format!("{item}.answer.exists()")
                }
            };
            if let Some(other) = as_reference(value) {
                let Some((other_key, other_relative)) = leaf_key(&other, self.scope) else {
                    return "false".into();
                };
                let other_item = self.item(&other_key, other_relative);
                if let Some(count) = counted {
                    let other_answer = self.catalogue.items.get(&other_key).map(|i| i.answer);
                    let other_count = if other_answer == Some(Answer::Count) {
                        format!("{other_item}.count()")
                    } else {
                        format!("{other_item}.answer.count()")
                    };
                    let other_guard = if other_answer == Some(Answer::Count) {
                        format!("{other_item}.exists()")
                    } else {
                        format!("{other_item}.answer.exists()")
                    };
                    return format!(
                        "({} and {other_guard} and {count} {op} {other_count})",
                        guard(&item)
                    );
                }
                return format!(
                    "{item}.answer.value.where($this {op} {other_item}.answer.value.first()).exists()"
                );
            }
            if let Some(count) = counted {
                return format!("({} and {count} {op} {})", guard(&item), literal(value));
            }
            let test = format!(
                "{item}.answer.value.where({}).exists()",
                self.pred(&key, op, value)
            );
            return if negate {
                format!("{test}.not()")
            } else {
                test
            };
        }
        "false".into()
    }

    fn pred(&self, key: &str, op: &str, value: &Value) -> String {
        let choice = matches!(
            self.catalogue.items.get(key).map(|i| i.answer),
            Some(Answer::Choice { .. })
        );
        if let (true, Value::String(v)) = (choice, value) {
            let coding = self.catalogue.coding(key, v);
            format!("{} = {}", coding.fhirpath_field(), quote(coding.text()))
        } else {
            let date = self.catalogue.items.get(key).map(|i| i.answer) == Some(Answer::Date);
            match value {
                Value::String(s) if date => format!("$this {op} @{s}"),
                other => format!("$this {op} {}", literal(other)),
            }
        }
    }
}

fn operand<'c>(c: &'c ConditionDef, name: &str) -> Option<&'c Value> {
    match name {
        "equals" => c.equals.as_ref(),
        "not_equals" => c.not_equals.as_ref(),
        "greater_than" => c.greater_than.as_ref(),
        "greater_or_equal" => c.greater_or_equal.as_ref(),
        "less_than" => c.less_than.as_ref(),
        "less_or_equal" => c.less_or_equal.as_ref(),
        _ => None,
    }
}

/// `{question, field?}` or `{column}` as the right side of a comparison of two answers.
pub(crate) fn as_reference(value: &Value) -> Option<ConditionDef> {
    let map = value.as_object()?;
    let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
    Some(ConditionDef {
        question: text("question"),
        field: text("field"),
        column: text("column"),
        ..ConditionDef::default()
    })
}

fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => quote(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_literal(n),
        _ => "{}".into(),
    }
}

/// A number as `FHIRPath` writes it: no exponent.
fn number_literal(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let text = format!("{f}");
    if text.contains('e') || text.contains("inf") || text.contains("NaN") {
        n.to_string()
    } else {
        text
    }
}

/// A `FHIRPath` string literal.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

// ---------------------------------------------------------------------------------------
// Reading it back.

/// Reads an expression of the subset above back into a condition, or says where it leaves
/// the subset.
pub(crate) fn parse(
    text: &str,
    catalogue: &Catalogue<'_>,
    scope: Scope<'_>,
) -> Result<ConditionDef, String> {
    let mut parser = Parser {
        text,
        at: 0,
        catalogue,
        scope,
        depth: 0,
    };
    let condition = parser.expr()?;
    parser.space();
    if parser.at < text.len() {
        return Err(parser.unexpected());
    }
    Ok(condition)
}

struct Parser<'t, 'c, 'd> {
    text: &'t str,
    at: usize,
    catalogue: &'c Catalogue<'d>,
    scope: Scope<'c>,
    depth: usize,
}

/// Deepest nesting of parentheses read: a hostile expression cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

impl Parser<'_, '_, '_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.space();
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!("expected `{token}` {}", self.unexpected()))
        }
    }

    fn unexpected(&self) -> String {
        let rest: String = self.rest().chars().take(30).collect();
        format!(
            "at character {}: `{rest}` is outside the FHIRPath this crate reads",
            self.at
        )
    }

    fn expr(&mut self) -> Result<ConditionDef, String> {
        let mut items = vec![self.and()?];
        while self.eat(" or ") || self.eat("or ") {
            items.push(self.and()?);
        }
        Ok(joined(items, true))
    }

    fn and(&mut self) -> Result<ConditionDef, String> {
        let mut items = vec![self.unary()?];
        while self.eat("and ") {
            items.push(self.unary()?);
        }
        Ok(joined(items, false))
    }

    fn unary(&mut self) -> Result<ConditionDef, String> {
        self.space();
        let mut parenthesized = false;
        let condition = if self.eat("(") {
            parenthesized = true;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err("the expression nests too deep".into());
            }
            let inner = self.expr()?;
            self.expect(")")?;
            self.depth -= 1;
            inner
        } else if self.eat("true") {
            ConditionDef {
                all: Some(Vec::new()),
                ..ConditionDef::default()
            }
        } else if self.eat("false") {
            ConditionDef {
                any: Some(Vec::new()),
                ..ConditionDef::default()
            }
        } else {
            self.test()?
        };
        if self.eat(".not()") {
            // `test.not()` of one value is `not_equals`; `(...).not()` is `not`.
            if !parenthesized && condition.equals.is_some() {
                let mut leaf = condition;
                leaf.not_equals = leaf.equals.take();
                return Ok(leaf);
            }
            return Ok(ConditionDef {
                not: Some(Box::new(condition)),
                ..ConditionDef::default()
            });
        }
        Ok(condition)
    }

    /// `%resource.repeat(item).where(linkId='L')` or `%context.item.where(linkId='L')`: the
    /// leaf's keys.
    fn item(&mut self) -> Result<(String, ConditionDef), String> {
        let relative = if self.eat("%resource.repeat(item).where(linkId=") {
            false
        } else if self.eat("%context.item.where(linkId=") {
            true
        } else {
            return Err(self.unexpected());
        };
        let link = self.string()?;
        self.expect(")")?;
        let Some(key) = self.catalogue.keys.get(&link).cloned() else {
            return Err(format!("there is no item with linkId `{link}`"));
        };
        let leaf = self.leaf_of(&key, relative)?;
        Ok((key, leaf))
    }

    fn leaf_of(&self, key: &str, relative: bool) -> Result<ConditionDef, String> {
        let parts: Vec<&str> = key.split('.').collect();
        let mut leaf = ConditionDef::default();
        match (parts.as_slice(), self.scope, relative) {
            ([question], _, false) => leaf.question = Some((*question).to_owned()),
            ([question, field], Scope::Instance(repeat), true) if repeat == *question => {
                leaf.question = Some((*question).to_owned());
                leaf.field = Some((*field).to_owned());
            }
            ([question, field], _, false) => {
                leaf.question = Some((*question).to_owned());
                leaf.field = Some((*field).to_owned());
            }
            ([table, row, column], Scope::Row(scope_row), _)
                if scope_row == format!("{table}.{row}") =>
            {
                leaf.column = Some((*column).to_owned());
            }
            _ => return Err(format!("`{key}` cannot be named from here")),
        }
        Ok(leaf)
    }

    fn string(&mut self) -> Result<String, String> {
        self.space();
        if !self.rest().starts_with('\'') {
            return Err(format!("expected a string {}", self.unexpected()));
        }
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    self.at += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some(c @ ('\'' | '\\' | '"' | '`' | '/')) => out.push(c),
                    _ => return Err("an escape this crate does not read".into()),
                },
                c => out.push(c),
            }
        }
        Err("a string without its closing quote".into())
    }

    fn op(&mut self) -> Result<&'static str, String> {
        for op in ["<=", ">=", "!=", "=", "<", ">"] {
            if self.eat(op) {
                return Ok(op);
            }
        }
        Err(format!("expected a comparison {}", self.unexpected()))
    }

    fn test(&mut self) -> Result<ConditionDef, String> {
        let (key, mut leaf) = self.item()?;
        let answer = self.catalogue.items.get(&key).map(|i| i.answer);
        // `item.exists()` (a group or repeat) or `item.answer.exists()` (a question), and the
        // same for `empty()` and `count()`.
        let answer_part = self.eat(".answer");
        if self.eat(".exists()") || self.eat(".empty()") {
            leaf.answered = Some(self.text[..self.at].ends_with(".exists()"));
            return Ok(leaf);
        }
        if self.eat(".count()") {
            return self.count(leaf);
        }
        if !answer_part {
            return Err(format!("expected `.answer` {}", self.unexpected()));
        }
        self.expect(".value.where(")?;
        let mut values = Vec::new();
        let mut single: Option<(&'static str, Value)> = None;
        loop {
            self.space();
            if self.eat("code") {
                self.expect("=")?;
                let code = self.string()?;
                let value = self
                    .catalogue
                    .value_of_code(&key, &code)
                    .ok_or_else(|| format!("`{code}` is not a code of `{key}`"))?;
                values.push(Value::String(value));
            } else {
                self.expect("$this")?;
                let op = self.op()?;
                self.space();
                if self.rest().starts_with('%') {
                    let (_, other) = self.item()?;
                    self.expect(".answer.value.first()")?;
                    single = Some((op, reference(&other)));
                } else {
                    let value = self.literal(answer == Some(Answer::Date))?;
                    if op == "=" {
                        values.push(value);
                    } else {
                        single = Some((op, value));
                    }
                }
            }
            if !self.eat(" or ") && !self.eat("or ") {
                break;
            }
            if single.is_some() {
                return Err(self.unexpected());
            }
        }
        self.expect(").exists()")?;
        if let Some((op, value)) = single {
            if !values.is_empty() {
                return Err(self.unexpected());
            }
            set(&mut leaf, op, value);
            return Ok(leaf);
        }
        match (values.len(), answer) {
            (1, Some(Answer::Choice { multiple: true })) => leaf.includes = values.pop(),
            (1, _) => leaf.equals = values.pop(),
            (_, Some(Answer::Choice { multiple: true })) => {
                return Err("`or` of codes on a multiple choice".into());
            }
            _ => leaf.in_ = Some(values),
        }
        Ok(leaf)
    }

    /// After `.count()`: `op number` or `op item.count()`.
    fn count(&mut self, mut leaf: ConditionDef) -> Result<ConditionDef, String> {
        let op = self.op()?;
        self.space();
        let value = if self.rest().starts_with('%') {
            let (_, other) = self.item()?;
            if !self.eat(".count()") {
                self.expect(".answer.count()")?;
            }
            reference(&other)
        } else {
            self.literal(false)?
        };
        set(&mut leaf, op, value);
        Ok(leaf)
    }

    fn literal(&mut self, date: bool) -> Result<Value, String> {
        self.space();
        if self.rest().starts_with('\'') {
            return self.string().map(Value::String);
        }
        if self.eat("true") {
            return Ok(Value::Bool(true));
        }
        if self.eat("false") {
            return Ok(Value::Bool(false));
        }
        if self.eat("@") {
            let end = self
                .rest()
                .find(|c: char| !(c.is_ascii_digit() || c == '-'))
                .unwrap_or(self.rest().len());
            let text = self.rest()[..end].to_owned();
            self.at += end;
            return Ok(Value::String(text));
        }
        let end = self
            .rest()
            .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.'))
            .unwrap_or(self.rest().len());
        let text = &self.rest()[..end];
        let value: Value = serde_json::from_str(text)
            .ok()
            .filter(Value::is_number)
            .ok_or_else(|| format!("expected a value {}", self.unexpected()))?;
        self.at += end;
        let _ = date;
        Ok(value)
    }
}

/// One operand as itself, several as their `any` (`or`) or `all` (`and`).
fn joined(mut items: Vec<ConditionDef>, any: bool) -> ConditionDef {
    if items.len() == 1 {
        return items.remove(0);
    }
    if any {
        ConditionDef {
            any: Some(items),
            ..ConditionDef::default()
        }
    } else {
        ConditionDef {
            all: Some(items),
            ..ConditionDef::default()
        }
    }
}

fn reference(leaf: &ConditionDef) -> Value {
    let mut map = Map::new();
    for (key, value) in [
        ("question", &leaf.question),
        ("field", &leaf.field),
        ("column", &leaf.column),
    ] {
        if let Some(value) = value {
            map.insert(key.into(), Value::String(value.clone()));
        }
    }
    Value::Object(map)
}

fn set(leaf: &mut ConditionDef, op: &str, value: Value) {
    match op {
        "=" => leaf.equals = Some(value),
        "!=" => leaf.not_equals = Some(value),
        ">" => leaf.greater_than = Some(value),
        ">=" => leaf.greater_or_equal = Some(value),
        "<" => leaf.less_than = Some(value),
        _ => leaf.less_or_equal = Some(value),
    }
}
