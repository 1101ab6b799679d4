//! The YAML 1.2 core schema, for every YAML input (answers and survey files alike).
//!
//! serde-saphyr resolves plain scalars by YAML 1.2 with a few YAML 1.1 habits; the loader
//! turns off what options can (`yes` and `on` stay strings, `1_000` stays a string) and this
//! module does the rest before the text reaches it: a plain scalar that the core schema
//! reads as a string but serde-saphyr would read as a number (`0b101`, `0X1F`, `0O17`,
//! `-0x1F`) is quoted, and a decimal integer written with leading zeros (`0755`, `-007`),
//! which serde-saphyr would read as a float, loses its zeros (core: the integer 755). The
//! edits are recorded, so an error in the edited text is reported at its place in the
//! original.

use std::borrow::Cow;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

use crate::input::Location;

/// The text to hand to serde-saphyr, and the edits that made it.
pub(crate) struct CoreText<'t> {
    pub(crate) text: Cow<'t, str>,
    /// `(line, column of the edit's end in the edited text, columns added)`, in text order.
    edits: Vec<(usize, usize, isize)>,
}

impl CoreText<'_> {
    /// The place in the original text of a location in the edited one.
    pub(crate) fn original(&self, location: Location) -> Location {
        let shift: isize = self
            .edits
            .iter()
            .filter(|&&(line, end, _)| line == location.line && end <= location.column)
            .map(|&(_, _, added)| added)
            .sum();
        Location {
            line: location.line,
            column: location.column.saturating_add_signed(-shift).max(1),
        }
    }
}

/// Rewrites the plain scalars whose meaning differs between serde-saphyr and the core schema.
/// Text that cannot hold one (no scalar starting with `0` and a digit or a radix letter) is
/// passed through without parsing; text that does not parse is passed through too, for serde-saphyr to report.
///
/// `untyped` is for text read as plain data (answers): there a decimal with leading zeros is
/// the integer (`0755` is 755, not serde-saphyr's 755.0). A survey file's string fields take
/// a plain scalar's text as written (`value: 007` is the choice "007"), so its zeros stay.
pub(crate) fn core_text(text: &str, untyped: bool) -> CoreText<'_> {
    let unchanged = |text| CoreText {
        text: Cow::Borrowed(text),
        edits: Vec::new(),
    };
    let candidate = text.as_bytes().windows(2).any(|pair| {
        pair[0] == b'0'
            && matches!(
                pair[1],
                b'0'..=b'9' | b'b' | b'B' | b'X' | b'O' | b'x' | b'o'
            )
    });
    if !candidate {
        return unchanged(text);
    }
    // (byte range, replacement)
    let mut replacements: Vec<(std::ops::Range<usize>, String, usize, usize)> = Vec::new();
    // For each open mapping: whether the next scalar is a key.
    let mut key_next: Vec<Option<bool>> = Vec::new();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else {
            return unchanged(text);
        };
        let is_key = match key_next.last_mut() {
            Some(Some(expect_key)) => {
                let was = *expect_key;
                if matches!(
                    event,
                    Event::Scalar(..)
                        | Event::Alias(..)
                        | Event::MappingStart(..)
                        | Event::SequenceStart(..)
                ) {
                    *expect_key = !was;
                }
                was
            }
            _ => false,
        };
        match event {
            Event::MappingStart(..) => key_next.push(Some(true)),
            Event::SequenceStart(..) => key_next.push(None),
            Event::MappingEnd | Event::SequenceEnd => {
                key_next.pop();
            }
            Event::Scalar(value, ScalarStyle::Plain, _, None) => {
                let replacement = if saphyr_radix_not_core(&value) {
                    Some(format!("\"{value}\""))
                } else if untyped && !is_key {
                    leading_zeros(&value)
                } else {
                    None
                };
                if let (Some(replacement), Some(range)) = (replacement, span.byte_range())
                    && text.get(range.clone()) == Some(value.as_ref())
                {
                    replacements.push((range, replacement, span.end.line(), span.end.col() + 1));
                }
            }
            _ => {}
        }
    }
    if replacements.is_empty() {
        return unchanged(text);
    }
    let mut out = String::with_capacity(text.len() + 2 * replacements.len());
    let mut edits = Vec::with_capacity(replacements.len());
    let mut at = 0;
    let mut shift_on_line = (0, 0isize);
    for (range, replacement, line, end_column) in replacements {
        out.push_str(&text[at..range.start]);
        let removed = text[range.clone()].chars().count();
        let added = replacement.chars().count().cast_signed() - removed.cast_signed();
        out.push_str(&replacement);
        at = range.end;
        if shift_on_line.0 != line {
            shift_on_line = (line, 0);
        }
        shift_on_line.1 += added;
        let edited_end = end_column.saturating_add_signed(shift_on_line.1);
        edits.push((line, edited_end, added));
    }
    out.push_str(&text[at..]);
    CoreText {
        text: Cow::Owned(out),
        edits,
    }
}

/// A radix integer that serde-saphyr reads as a number and the core schema as a string: a
/// sign, an upper-case prefix, or the binary prefix (core has only `0o` and `0x`).
fn saphyr_radix_not_core(value: &str) -> bool {
    let (signed, rest) = match value.strip_prefix(['-', '+']) {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let Some(prefix) = rest.get(..2) else {
        return false;
    };
    let digits = &rest[2..];
    let radix = match prefix {
        "0x" | "0X" => 16,
        "0o" | "0O" => 8,
        "0b" | "0B" => 2,
        _ => return false,
    };
    let digits_ok = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
    digits_ok && (signed || prefix != "0x" && prefix != "0o")
}

/// A decimal integer with leading zeros (core: `[-+]?[0-9]+`), without them.
fn leading_zeros(value: &str) -> Option<String> {
    let (sign, digits) = match value.strip_prefix(['-', '+']) {
        Some(rest) => (&value[..1], rest),
        None => ("", value),
    };
    if digits.len() < 2 || !digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    Some(format!("{}{trimmed}", if sign == "-" { "-" } else { "" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_differs_is_edited() {
        let core = core_text(
            "a: 0b101\nb: 0x1F\nc: [0755, -007, +00, '0b1']\n0b1: 0O17\nd: 2024-01-05\n",
            true,
        );
        assert_eq!(
            core.text,
            "a: \"0b101\"\nb: 0x1F\nc: [755, -7, 0, '0b1']\n\"0b1\": \"0O17\"\nd: 2024-01-05\n"
        );
    }

    #[test]
    fn locations_after_an_edit_map_back() {
        let core = core_text("a: [0b1, 0b1, x]\n", true);
        assert_eq!(core.text, "a: [\"0b1\", \"0b1\", x]\n");
        // `x` is at column 15 in the original and 19 in the edited text.
        let back = core.original(Location {
            line: 1,
            column: 19,
        });
        assert_eq!(
            back,
            Location {
                line: 1,
                column: 15
            }
        );
        let before = core.original(Location { line: 1, column: 2 });
        assert_eq!(before, Location { line: 1, column: 2 });
    }

    #[test]
    fn text_without_candidates_is_not_parsed() {
        assert!(matches!(
            core_text("a: 1_000\n", true).text,
            Cow::Borrowed(_)
        ));
    }
}
