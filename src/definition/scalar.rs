//! Typed numbers and booleans of a survey file, read by the YAML 1.2 core schema: a field
//! that takes an integer takes a plain integer (`max_length: 10`), never a quoted one
//! (`'10'`) or a YAML 1.1 spelling (`1_000`, `0b1010`), which are strings; a field that takes
//! a boolean takes `true` or `false`, never `'true'` or `yes`. The YAML reader is lenient
//! with typed fields, so these ask for "any value" and refuse what is not of the type.

use std::fmt;

use serde::Deserializer;
use serde::de::{Error, Unexpected, Visitor};

struct Count;

impl Visitor<'_> for Count {
    type Value = u32;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer from 0 to 4294967295")
    }
    fn visit_u64<E: Error>(self, v: u64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }
    fn visit_i64<E: Error>(self, v: i64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }
}

struct Flag;

impl Visitor<'_> for Flag {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean (true or false)")
    }
    fn visit_bool<E: Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
}

/// An optional count (`min_length`, `max_selections`, ...).
pub(crate) fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    deserializer.deserialize_any(Count).map(Some)
}

/// A boolean (`required`, `exclusive`).
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(Flag)
}
