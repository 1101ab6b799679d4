//! The crate's one JSON reader (answers and JSON survey files), and what every stage needs of
//! JSON: number order, equality with a constant, pointer tokens, values quoted in messages.
//!
//! The walk reads answers through [`Answer`], implemented by `serde_json::Value` (answers a
//! caller already holds) and by [`Parsed`], the tree [`parse`] reads JSON text into: strings
//! are borrowed from the text unless they hold escapes, and objects are lists of entries, so
//! parsing allocates once per array or object rather than once per string and hashes nothing.
//! [`parse`] also enforces what every JSON input must meet (no repeated key, the depth and
//! value limits): [`Survey::validate_json`] walks its tree, `parse_answers` turns it into a
//! `Value`, and JSON survey files are checked with it before they are deserialized.
//!
//! [`Survey::validate_json`]: crate::Survey::validate_json

use std::borrow::Cow;
use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::input::{LoadError, Location};
use crate::limits::Limits;

/// A JSON answer as the walk sees it.
pub(crate) trait Answer: Sized {
    fn as_str(&self) -> Option<&str>;
    fn as_bool(&self) -> Option<bool>;
    fn as_number(&self) -> Option<&Number>;
    fn as_array(&self) -> Option<&[Self]>;
    /// The entries of an object, in order.
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)>>;
    fn is_object(&self) -> bool;
    fn is_null(&self) -> bool;
    /// The answer as a `Value`, for a message.
    fn to_value(&self) -> Cow<'_, Value>;
}

impl Answer for Value {
    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }
    fn as_bool(&self) -> Option<bool> {
        Value::as_bool(self)
    }
    fn as_number(&self) -> Option<&Number> {
        Value::as_number(self)
    }
    fn as_array(&self) -> Option<&[Value]> {
        Value::as_array(self).map(Vec::as_slice)
    }
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Value)>> {
        Value::as_object(self).map(|map| map.iter().map(|(k, v)| (k.as_str(), v)))
    }
    fn is_object(&self) -> bool {
        Value::is_object(self)
    }
    fn is_null(&self) -> bool {
        Value::is_null(self)
    }
    fn to_value(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self)
    }
}

/// A JSON value parsed from text, borrowing what it can from the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Parsed<'t> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'t, str>),
    Array(Vec<Parsed<'t>>),
    Object(Vec<(Cow<'t, str>, Parsed<'t>)>),
}

impl Answer for Parsed<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Parsed::String(s) => Some(s),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match self {
            Parsed::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn as_number(&self) -> Option<&Number> {
        match self {
            Parsed::Number(n) => Some(n),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&[Self]> {
        match self {
            Parsed::Array(items) => Some(items),
            _ => None,
        }
    }
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)>> {
        match self {
            Parsed::Object(entries) => Some(entries.iter().map(|(k, v)| (k.as_ref(), v))),
            _ => None,
        }
    }
    fn is_object(&self) -> bool {
        matches!(self, Parsed::Object(_))
    }
    fn is_null(&self) -> bool {
        matches!(self, Parsed::Null)
    }
    fn to_value(&self) -> Cow<'_, Value> {
        Cow::Owned(self.clone().into())
    }
}

/// JSON equality of an answer with a constant of the survey, as JSON Schema's `const` and
/// `enum` define it: numbers by value (`1` equals `1.0`), everything else structurally.
pub(crate) fn json_equal<A: Answer>(answer: &A, constant: &Value) -> bool {
    match constant {
        Value::Null => answer.is_null(),
        Value::Bool(b) => answer.as_bool() == Some(*b),
        Value::Number(n) => answer
            .as_number()
            .is_some_and(|a| compare_numbers(a, n) == Some(std::cmp::Ordering::Equal)),
        Value::String(s) => answer.as_str() == Some(s.as_str()),
        Value::Array(items) => answer.as_array().is_some_and(|answers| {
            answers.len() == items.len() && answers.iter().zip(items).all(|(a, c)| json_equal(a, c))
        }),
        Value::Object(map) => answer.entries().is_some_and(|mut entries| {
            let mut count = 0;
            entries.all(|(key, a)| {
                count += 1;
                map.get(key).is_some_and(|c| json_equal(a, c))
            }) && count == map.len()
        }),
    }
}

impl From<Parsed<'_>> for Value {
    fn from(parsed: Parsed<'_>) -> Value {
        match parsed {
            Parsed::Null => Value::Null,
            Parsed::Bool(b) => Value::Bool(b),
            Parsed::Number(n) => Value::Number(n),
            Parsed::String(s) => Value::String(s.into_owned()),
            Parsed::Array(items) => Value::Array(items.into_iter().map(Value::from).collect()),
            Parsed::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), Value::from(v)))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

/// Parses JSON text as [`crate::parse_answers`] does (one value, no repeated key, within
/// [`Limits::max_depth`] and [`Limits::max_nodes`]), into a [`Parsed`] tree.
pub(crate) fn parse<'t>(text: &'t str, limits: &Limits) -> Result<Parsed<'t>, LoadError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let nodes_left = Cell::new(0);
    Reader::new(limits, &nodes_left)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|e| json_error(&e))
}

/// The visitor that reads one JSON value into a [`Parsed`] tree: the depth still allowed, and
/// the shared count of values still allowed.
#[derive(Clone, Copy)]
struct Reader<'a> {
    limits: &'a Limits,
    depth_left: usize,
    nodes_left: &'a Cell<usize>,
}

impl<'a> Reader<'a> {
    fn new(limits: &'a Limits, nodes_left: &'a Cell<usize>) -> Reader<'a> {
        nodes_left.set(limits.max_nodes);
        Reader {
            limits,
            depth_left: limits.max_depth,
            nodes_left,
        }
    }

    /// Counts one value.
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let left = self.nodes_left.get();
        if left == 0 {
            return Err(E::custom(format_args!(
                "more than {} values (raise Limits::max_nodes)",
                self.limits.max_nodes
            )));
        }
        self.nodes_left.set(left - 1);
        Ok(())
    }

    /// The budget of the items of an array or object.
    fn nested<E: de::Error>(&self) -> Result<Reader<'a>, E> {
        match self.depth_left.checked_sub(1) {
            Some(depth_left) => Ok(Reader {
                depth_left,
                ..*self
            }),
            None => Err(E::custom(format_args!(
                "nesting is deeper than the limit of {} levels (raise Limits::max_depth)",
                self.limits.max_depth
            ))),
        }
    }
}

fn duplicate_key<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate key `{key}`"))
}

/// An object key, borrowed from the text unless it holds escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

/// Objects up to this many keys are checked for a repeated key by comparing with each
/// earlier key; larger ones through a hash set.
const LINEAR_KEYS: usize = 16;

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Parsed<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parsed<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Parsed<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Parsed<'de>, E> {
        self.count()?;
        Ok(Parsed::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Parsed<'de>, E> {
        self.count()?;
        Ok(Parsed::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Parsed<'de>, E> {
        self.count()?;
        Ok(Parsed::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Parsed<'de>, E> {
        self.count()?;
        // As `serde_json::Value`: a float that is not finite (never parsed from JSON) is null.
        Ok(Number::from_f64(v).map_or(Parsed::Null, Parsed::Number))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Parsed<'de>, E> {
        self.count()?;
        Ok(Parsed::String(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Parsed<'de>, E> {
        self.count()?;
        Ok(Parsed::String(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Parsed<'de>, E> {
        self.count()?;
        Ok(Parsed::String(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Parsed<'de>, E> {
        self.count()?;
        Ok(Parsed::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed<'de>, A::Error> {
        self.count()?;
        let inner = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Parsed::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed<'de>, A::Error> {
        self.count()?;
        let inner = self.nested()?;
        let mut entries: Vec<(Cow<'de, str>, Parsed<'de>)> = Vec::new();
        // Keys borrowed from the text are put in the set without copying.
        let mut seen: Option<HashSet<Cow<'de, str>>> = None;
        while let Some(key) = map.next_key_seed(Key)? {
            let repeated = match &mut seen {
                Some(seen) => !seen.insert(key.clone()),
                None => entries.iter().any(|(k, _)| *k == key),
            };
            if repeated {
                return Err(duplicate_key(&key));
            }
            if seen.is_none() && entries.len() == LINEAR_KEYS {
                let mut keys: HashSet<Cow<'de, str>> =
                    entries.iter().map(|(k, _)| k.clone()).collect();
                keys.insert(key.clone());
                seen = Some(keys);
            }
            let value = map.next_value_seed(inner)?;
            entries.push((key, value));
        }
        Ok(Parsed::Object(entries))
    }
}

pub(crate) fn json_error(e: &serde_json::Error) -> LoadError {
    let location = (e.line() > 0).then(|| Location {
        line: e.line(),
        column: e.column().max(1),
    });
    // serde_json appends " at line N column M"; the location is kept apart instead.
    let message = e.to_string();
    let message = message
        .find(" at line ")
        .map_or(message.as_str(), |at| &message[..at]);
    LoadError::Syntax {
        message: message.to_owned(),
        location,
    }
}

/// Orders two JSON numbers by value, exactly for integers.
pub(crate) fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    // One side is negative and the other above i64::MAX, or one is a float.
    if let (Some(_), Some(_)) = (a.as_i64(), b.as_u64()) {
        return Some(Ordering::Less);
    }
    if let (Some(_), Some(_)) = (a.as_u64(), b.as_i64()) {
        return Some(Ordering::Greater);
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub(crate) fn pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// A value for a message, cut to 40 characters: messages quote at most the offending scalar,
/// and never at length.
pub(crate) fn quote(value: &Value) -> String {
    match value {
        Value::String(text) => serde_json::to_string(cut(text).as_ref()).unwrap_or_default(),
        other => cut(&other.to_string()).into_owned(),
    }
}

/// `text` cut to 40 characters (37 and an ellipsis), without reading past them.
pub(crate) fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    if text.char_indices().nth(40).is_none() {
        return text.into();
    }
    let end = text.char_indices().nth(37).map_or(text.len(), |(at, _)| at);
    format!("{}...", &text[..end]).into()
}
