//! What reaches a terminal: every line the command prints goes through [`shown`] (by the
//! [`say!`](crate::terminal::say) and [`tell!`](crate::terminal::tell) macros), so an id or
//! an answer holding ESC, NUL or a vertical tab is printed as its escape (`\u{1b}`, `\0`,
//! `\u{b}`) and cannot clear the screen or move the cursor.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The most characters of a source line a diagnostic shows around its column.
const SNIPPET_CHARS: usize = 100;

/// `text` with every control character except newline and tab written as its escape.
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A control character a terminal would act on (newline and tab are text).
fn hidden(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// JSON text with the control characters `serde_json` leaves raw (DEL and U+0080 to U+009F,
/// which some terminals read as escape sequences) written as `\u` escapes. Such characters
/// occur only inside strings, where the escape means the same character.
pub(crate) fn json_text(text: String) -> String {
    if !text.chars().any(raw_in_json) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 12);
    for c in text.chars() {
        if raw_in_json(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A control character `serde_json` writes as it is.
fn raw_in_json(c: char) -> bool {
    c.is_control() && u32::from(c) >= 0x7f
}

/// The source line of a diagnostic and the caret under `column` (1-based, in characters):
/// at most 100 characters of the line around the column, each control character escaped,
/// "…" where the line was cut.
pub(crate) fn snippet(line: &str, column: usize) -> (String, String) {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let start = if chars.len() <= SNIPPET_CHARS {
        0
    } else {
        at.saturating_sub(SNIPPET_CHARS / 2)
            .min(chars.len() - SNIPPET_CHARS)
    };
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let (mut text, mut caret) = (String::new(), String::new());
    if start > 0 {
        text.push('…');
        caret.push(' ');
    }
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        let shown: String = if hidden(c) {
            c.escape_debug().collect()
        } else {
            c.to_string()
        };
        if i < at {
            let pad = if c == '\t' { '\t' } else { ' ' };
            caret.extend(std::iter::repeat_n(pad, shown.chars().count()));
        }
        text.push_str(&shown);
    }
    if end < chars.len() {
        text.push('…');
    }
    caret.push('^');
    (text, caret)
}

/// Standard output for what a command writes there (a table, a codebook, a Questionnaire):
/// the bytes as they are, but each control character other than newline and tab written as
/// its escape. A file given with `-o` gets the bytes as they are.
pub(crate) struct Escaping<W: Write> {
    inner: W,
    /// The last byte written was 0xC2, the first of a two-byte character that may be a C1
    /// control (U+0080 to U+009F).
    lead: bool,
}

impl<W: Write> Escaping<W> {
    pub(crate) fn new(inner: W) -> Escaping<W> {
        Escaping { inner, lead: false }
    }

    fn escape(&mut self, c: u32) -> io::Result<()> {
        let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
        self.inner
            .write_all(c.escape_debug().collect::<String>().as_bytes())
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if self.lead {
                self.lead = false;
                if (0x80..=0x9f).contains(&b) {
                    self.escape(u32::from(b))?;
                } else {
                    self.inner.write_all(&[0xc2, b])?;
                }
                start = i + 1;
                continue;
            }
            let control = (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f;
            if control || b == 0xc2 {
                self.inner.write_all(&bytes[start..i])?;
                start = i + 1;
                if control {
                    self.escape(u32::from(b))?;
                } else {
                    self.lead = true;
                }
            }
        }
        self.inner.write_all(&bytes[start..])?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.lead) {
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

/// `println!`, each control character but newline and tab escaped.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::terminal::shown(&format!($($arg)*)))
    };
}

/// `eprintln!`, each control character but newline and tab escaped.
macro_rules! tell {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::terminal::shown(&format!($($arg)*)))
    };
}

pub(crate) use {say, tell};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_long_lines_cut() {
        assert_eq!(
            shown("a\u{1b}[2J\0\u{b}b\n\tc"),
            "a\\u{1b}[2J\\0\\u{b}b\n\tc"
        );
        assert_eq!(
            json_text("\"\u{7f}\u{9b}\"".to_owned()),
            "\"\\u007f\\u009b\""
        );
        let (text, caret) = snippet("ab\u{1b}cd", 5);
        assert_eq!(text, "ab\\u{1b}cd");
        assert_eq!(caret, "         ^");
        let long = "x".repeat(1_000_000);
        let (text, caret) = snippet(&long, 500_000);
        assert_eq!(text.chars().count(), SNIPPET_CHARS + 2);
        assert_eq!(caret.chars().count(), SNIPPET_CHARS / 2 + 2);
        let mut out = Escaping::new(Vec::new());
        for piece in [&b"a\x1b[2J\xc2"[..], b"\x9b\xc2", b"\xa9\0\n"] {
            out.write_all(piece).unwrap();
        }
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "a\\u{1b}[2J\\u{9b}\u{a9}\\0\n"
        );
    }
}
