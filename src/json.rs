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
use crate::number::{EXACT_F64, compare_literal, compare_numbers};

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
    /// A number as written in the text, when its `f64` may have rounded it (see
    /// [`crate::number`]); `None` for every other answer, and for any `Value`.
    fn literal(&self) -> Option<&str> {
        None
    }
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
    /// A number at or beyond 2^53 that the text wrote as a float or as an integer outside
    /// i64 and u64, or a float literal whose `f64` is integral (`3.0`, `1e-400`): its `f64`
    /// value with the literal, which decides (boxed: it is rare).
    Literal(Box<(Number, &'t str)>),
    /// Any other float of a text read by [`parse_as_written`]: its value, which decides, and
    /// its literal, which is written back (`1e2` stays `1e2`, not `100.0`).
    Written(Box<(Number, &'t str)>),
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
            Parsed::Literal(wide) | Parsed::Written(wide) => Some(&wide.0),
            _ => None,
        }
    }
    fn literal(&self) -> Option<&str> {
        match self {
            Parsed::Literal(wide) => Some(wide.1),
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

/// An answer tree that can be copied with some entries left out (what `prune` returns).
pub(crate) trait Rebuild: Answer + Clone {
    /// The object with each entry `keep` maps to a value, under its own key; `None` for
    /// anything but an object.
    fn map_entries(&self, keep: impl FnMut(&str, &Self) -> Option<Self>) -> Option<Self>;
    /// An array of these items.
    fn array(items: Vec<Self>) -> Self;
}

impl Rebuild for Value {
    fn map_entries(&self, mut keep: impl FnMut(&str, &Value) -> Option<Value>) -> Option<Value> {
        let object = self.as_object()?;
        Some(Value::Object(
            object
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), keep(k, v)?)))
                .collect(),
        ))
    }
    fn array(items: Vec<Value>) -> Value {
        Value::Array(items)
    }
}

impl<'t> Rebuild for Parsed<'t> {
    fn map_entries(
        &self,
        mut keep: impl FnMut(&str, &Parsed<'t>) -> Option<Parsed<'t>>,
    ) -> Option<Parsed<'t>> {
        let Parsed::Object(entries) = self else {
            return None;
        };
        Some(Parsed::Object(
            entries
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), keep(k, v)?)))
                .collect(),
        ))
    }
    fn array(items: Vec<Parsed<'t>>) -> Parsed<'t> {
        Parsed::Array(items)
    }
}

/// JSON equality of an answer with a constant of the survey, as JSON Schema's `const` and
/// `enum` define it: numbers by value (`1` equals `1.0`), everything else structurally.
pub(crate) fn json_equal<A: Answer>(answer: &A, constant: &Value) -> bool {
    match constant {
        Value::Null => answer.is_null(),
        Value::Bool(b) => answer.as_bool() == Some(*b),
        Value::Number(n) => compare_answer(answer, n) == Some(Ordering::Equal),
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
            Parsed::Literal(wide) | Parsed::Written(wide) => Value::Number(wide.0),
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

/// Orders a number answer against a number of the survey: by the literal when the reader
/// kept it, else by value (exactly for integers).
pub(crate) fn compare_answer<A: Answer>(answer: &A, bound: &Number) -> Option<Ordering> {
    match answer.literal() {
        Some(literal) => compare_literal(literal, bound),
        None => compare_numbers(answer.as_number()?, bound),
    }
}

/// Parses JSON text as [`crate::parse_answers`] does (one value, no repeated key, within
/// [`Limits::max_depth`] and [`Limits::max_nodes`]), into a [`Parsed`] tree.
pub(crate) fn parse<'t>(text: &'t str, limits: &Limits) -> Result<Parsed<'t>, LoadError> {
    read(text, limits, false)
}

/// [`parse`], keeping the literal of every float, so that the tree serializes each number as
/// the text wrote it.
pub(crate) fn parse_as_written<'t>(
    text: &'t str,
    limits: &Limits,
) -> Result<Parsed<'t>, LoadError> {
    read(text, limits, true)
}

fn read<'t>(text: &'t str, limits: &Limits, as_written: bool) -> Result<Parsed<'t>, LoadError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let nodes_left = Cell::new(0);
    let numbers = Numbers::new(text);
    Reader::new(limits, &nodes_left, &numbers, as_written)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|e| not_xml(text).unwrap_or_else(|| json_error(&e)))
}

/// The error for a text that is XML where JSON is expected (a FHIR resource in its XML form,
/// say): said as such, rather than as the JSON parser's "expected value" at 1:1.
fn not_xml(text: &str) -> Option<LoadError> {
    let rest = text.trim_start();
    let before = &text[..text.len() - rest.len()];
    rest.starts_with('<').then(|| LoadError::Syntax {
        message: "the text is XML, and JSON is expected (FHIR resources are read in their \
                  JSON form)"
            .to_owned(),
        location: Some(Location {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
        }),
    })
}

/// The visitor that reads one JSON value into a [`Parsed`] tree: the depth still allowed, and
/// the shared count of values still allowed.
#[derive(Clone, Copy)]
struct Reader<'a, 't> {
    limits: &'a Limits,
    depth_left: usize,
    nodes_left: &'a Cell<usize>,
    numbers: &'a Numbers<'t>,
    /// Whether every float keeps its literal ([`Parsed::Written`]).
    as_written: bool,
}

/// Finds the literal of the n-th number of the text, for the rare number that needs it: a
/// cursor that only moves forward, skipping strings, so the text is scanned at most once.
struct Numbers<'t> {
    text: &'t str,
    /// Numbers the reader has visited.
    seen: Cell<usize>,
    /// Numbers the cursor has passed, and where it stands.
    passed: Cell<usize>,
    at: Cell<usize>,
}

impl<'t> Numbers<'t> {
    fn new(text: &'t str) -> Numbers<'t> {
        Numbers {
            text,
            seen: Cell::new(0),
            passed: Cell::new(0),
            at: Cell::new(0),
        }
    }

    /// Counts one number the reader visited.
    fn visit(&self) {
        self.seen.set(self.seen.get() + 1);
    }

    /// The literal of the number the reader visited last.
    fn last(&self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let mut i = self.at.get();
        let mut passed = self.passed.get();
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    while i < bytes.len()
                        && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    passed += 1;
                    if passed == self.seen.get() {
                        self.at.set(i);
                        self.passed.set(passed);
                        return self.text.get(start..i);
                    }
                }
                _ => i += 1,
            }
        }
        None
    }
}

impl<'a, 't> Reader<'a, 't> {
    fn new(
        limits: &'a Limits,
        nodes_left: &'a Cell<usize>,
        numbers: &'a Numbers<'t>,
        as_written: bool,
    ) -> Reader<'a, 't> {
        nodes_left.set(limits.max_nodes);
        Reader {
            limits,
            depth_left: limits.max_depth,
            nodes_left,
            numbers,
            as_written,
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
    fn nested<E: de::Error>(&self) -> Result<Reader<'a, 't>, E> {
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

impl<'de> DeserializeSeed<'de> for Reader<'_, 'de> {
    type Value = Parsed<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parsed<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_, 'de> {
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
        self.numbers.visit();
        Ok(Parsed::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Parsed<'de>, E> {
        self.count()?;
        self.numbers.visit();
        Ok(Parsed::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Parsed<'de>, E> {
        self.count()?;
        self.numbers.visit();
        // As `serde_json::Value`: a float that is not finite (never parsed from JSON) is null.
        let Some(number) = Number::from_f64(v) else {
            return Ok(Parsed::Null);
        };
        // A float literal whose `f64` is integral may not be: `1.0000000000000000001` and
        // `1e-400` read as 1.0 and 0.0. Its literal decides, as a wide number's does.
        let exact = v.abs() >= EXACT_F64 || v.fract() == 0.0;
        if (self.as_written || exact)
            && let Some(literal) = self.numbers.last()
        {
            let wide = Box::new((number, literal));
            return Ok(if exact {
                Parsed::Literal(wide)
            } else {
                Parsed::Written(wide)
            });
        }
        Ok(Parsed::Number(number))
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

impl serde::Serialize for Parsed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap, SerializeSeq};
        match self {
            Parsed::Null => serializer.serialize_unit(),
            Parsed::Bool(b) => serializer.serialize_bool(*b),
            Parsed::Number(n) => n.serialize(serializer),
            // The literal itself: JSON text the reader accepted as one number.
            Parsed::Literal(wide) | Parsed::Written(wide) => {
                serde_json::value::RawValue::from_string(wide.1.to_owned())
                    .map_err(S::Error::custom)?
                    .serialize(serializer)
            }
            Parsed::String(s) => serializer.serialize_str(s),
            Parsed::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Parsed::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key.as_ref(), value)?;
                }
                map.end()
            }
        }
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
        message: crate::quote::message(message.to_owned()),
        location,
    }
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
