//! Regular expressions that mean the same in the Rust `regex` crate and in ECMA-262.
//!
//! A survey's `pattern` is checked natively with `regex` (linear time) and by form builders
//! with JavaScript's `RegExp` (ajv uses the `u` flag). The two dialects agree on a common
//! core; [`Pattern::new`] accepts only that core and rewrites `.` to the class both engines
//! read alike (JavaScript's `.` also refuses `\r`, U+2028 and U+2029; Rust's refuses `\n`
//! only). The same portable source goes into the generated JSON Schema.
//!
//! The well-known text formats are checked with the documented patterns below, which the JSON
//! Schema repeats word for word.

use std::sync::LazyLock;

use regex::Regex;

/// The rule for `format: email`: a local part of the characters RFC 5322 allows unquoted, an
/// `@`, and a domain of at least two dot-separated DNS labels.
pub const EMAIL_PATTERN: &str = "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";

/// The rule for `format: tel`: ASCII digits in groups separated by single hyphens or spaces,
/// optionally led by `+` (`03-6812-7837`, `+81 3 6812 7837`, `0368127837`).
pub const TEL_PATTERN: &str = "^\\+?[0-9]+(?:[- ][0-9]+)*$";

/// The rule for `format: url`: `http` or `https`, a host of letters, digits, dots and
/// hyphens, an optional port, then printable ASCII without spaces.
pub const URL_PATTERN: &str = "^https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?$";

pub(crate) static EMAIL: LazyLock<Regex> = LazyLock::new(|| compile_builtin(EMAIL_PATTERN));
pub(crate) static TEL: LazyLock<Regex> = LazyLock::new(|| compile_builtin(TEL_PATTERN));
pub(crate) static URL: LazyLock<Regex> = LazyLock::new(|| compile_builtin(URL_PATTERN));

fn compile_builtin(source: &str) -> Regex {
    // The built-in patterns are constants covered by tests; failing here is a crate bug.
    Regex::new(source).expect("built-in pattern compiles")
}

/// A checked, compiled, portable pattern.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// The portable source, as emitted into JSON Schema.
    pub(crate) portable: String,
    pub(crate) regex: Regex,
}

/// Why a pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatternError {
    /// Syntax outside the common core of the two dialects.
    Unportable(String),
    /// The regex crate refuses it (syntax, or over the compiled-size limit).
    Invalid(String),
}

impl Pattern {
    pub(crate) fn new(source: &str, compiled_size_limit: usize) -> Result<Pattern, PatternError> {
        let portable = portable(source).map_err(PatternError::Unportable)?;
        let regex = regex::RegexBuilder::new(&portable)
            .size_limit(compiled_size_limit)
            .build()
            .map_err(|e| PatternError::Invalid(one_line(&e.to_string())))?;
        Ok(Pattern { portable, regex })
    }
}

fn one_line(message: &str) -> String {
    message
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .to_owned()
}

const ANY_CHAR: &str = "[^\\n\\r\\u2028\\u2029]";

/// Rewrites `source` into the portable dialect, or says which construct is not portable.
fn portable(source: &str) -> Result<String, String> {
    /// What the last token outside a class was, for where a quantifier may stand: JavaScript
    /// refuses a quantifier with nothing to repeat (at the start, after `(`, `|`, `^` or `$`)
    /// and a quantifier on a quantifier (but for the lazy `?`), where Rust accepts some.
    #[derive(PartialEq)]
    enum Last {
        Atom,
        Quantifier,
        LazyQuantifier,
        Other,
    }
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() + 16);
    let mut i = 0;
    let mut in_class = false;
    let mut last = Last::Other;
    let quantify = |last: &mut Last, lazy_allowed: bool| -> Result<(), String> {
        match *last {
            Last::Atom => *last = Last::Quantifier,
            Last::Quantifier if lazy_allowed => *last = Last::LazyQuantifier,
            _ => {
                return Err(
                    "a quantifier must follow a character, class or group it can repeat".into(),
                );
            }
        }
        Ok(())
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let len = escape(&chars[i..], in_class)?;
                out.extend(&chars[i..i + len]);
                i += len;
                if !in_class {
                    last = Last::Atom;
                }
                continue;
            }
            '[' if in_class => {
                return Err("`[` inside a character class must be escaped as `\\[`".into());
            }
            '[' => {
                in_class = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                // A leading `]` is literal in Rust but closes an empty class in JavaScript.
                if chars.get(i + 1) == Some(&']') {
                    return Err("an empty character class `[]` or `[^]` is not portable".into());
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
                last = Last::Atom;
            }
            '&' | '-' | '~' if in_class && chars.get(i + 1) == Some(&c) => {
                return Err(format!("`{c}{c}` inside a character class is not portable"));
            }
            _ if in_class => out.push(c),
            '.' => {
                out.push_str(ANY_CHAR);
                last = Last::Atom;
            }
            '(' if chars.get(i + 1) == Some(&'?') => {
                if chars.get(i + 2) == Some(&':') {
                    out.push_str("(?:");
                    i += 3;
                    last = Last::Other;
                    continue;
                }
                return Err(
                    "only `(?:` groups are portable: lookaround, named groups and flags are not"
                        .into(),
                );
            }
            '{' => {
                let len = quantifier(&chars[i..]).ok_or(
                    "`{` must start a quantifier `{n}`, `{n,}` or `{n,m}`; escape it as `\\{`",
                )?;
                quantify(&mut last, false)?;
                out.extend(&chars[i..i + len]);
                i += len;
                continue;
            }
            '*' | '+' => {
                quantify(&mut last, false)?;
                out.push(c);
            }
            '?' => {
                quantify(&mut last, true)?;
                out.push(c);
            }
            '}' | ']' => return Err(format!("a lone `{c}` must be escaped as `\\{c}`")),
            '(' | '|' | '^' | '$' => {
                out.push(c);
                last = Last::Other;
            }
            _ => {
                out.push(c);
                last = Last::Atom;
            }
        }
        i += 1;
    }
    if in_class {
        return Err("unclosed character class".into());
    }
    Ok(out)
}

/// Length of the escape at the start of `chars`, if it is portable.
fn escape(chars: &[char], in_class: bool) -> Result<usize, String> {
    let Some(&next) = chars.get(1) else {
        return Err("a pattern cannot end with `\\`".into());
    };
    match next {
        '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '^' | '$'
        | '/' | 'n' | 'r' | 't' | 'f' | 'v' => Ok(2),
        '-' if in_class => Ok(2),
        'x' if chars.len() >= 4 && chars[2..4].iter().all(char::is_ascii_hexdigit) => Ok(4),
        'u' if chars.len() >= 6 && chars[2..6].iter().all(char::is_ascii_hexdigit) => Ok(6),
        'd' | 'D' | 'w' | 'W' | 's' | 'S' => Err(unportable_class(next)),
        'b' | 'B' => Err(format!(
            "`\\{next}` (word boundary) is Unicode-aware in Rust and ASCII-only in JavaScript; anchor with `^` and `$`, or match the separator itself, e.g. `[^A-Za-z0-9_]`"
        )),
        '1'..='9' | 'k' => Err("backreferences are not portable".into()),
        'p' | 'P' => Err("Unicode property classes are not portable".into()),
        other => Err(format!("the escape `\\{other}` is not portable")),
    }
}

/// Why a shorthand class is not portable, and the class to write instead.
fn unportable_class(letter: char) -> String {
    let (meaning, class) = match letter.to_ascii_lowercase() {
        'd' => (
            "any Unicode digit in Rust but only 0-9 in JavaScript",
            "[0-9]",
        ),
        'w' => (
            "Unicode letters and digits in Rust but only ASCII ones in JavaScript",
            "[A-Za-z0-9_]",
        ),
        _ => (
            "different sets of Unicode spaces in Rust and JavaScript",
            "[ \\t\\n\\r]",
        ),
    };
    let class = if letter.is_ascii_uppercase() {
        class.replacen('[', "[^", 1)
    } else {
        class.to_owned()
    };
    format!("`\\{letter}` matches {meaning}; write the class out: `{class}`")
}

/// Length of a `{n}`, `{n,}` or `{n,m}` quantifier at the start of `chars`.
fn quantifier(chars: &[char]) -> Option<usize> {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_patterns_compile_and_are_portable() {
        for source in [
            EMAIL_PATTERN,
            TEL_PATTERN,
            URL_PATTERN,
            crate::date::DATE_PATTERN,
        ] {
            Pattern::new(source, 1 << 20).unwrap();
        }
    }

    #[test]
    fn unportable_constructs_are_named() {
        for (source, needle) in [
            ("\\d+", "`\\d`"),
            ("\\w", "`\\w`"),
            ("\\bx", "word boundary"),
            ("\\d", "`[0-9]`"),
            ("\\D", "`[^0-9]`"),
            ("\\w", "`[A-Za-z0-9_]`"),
            ("\\W", "`[^A-Za-z0-9_]`"),
            ("\\s", "`[ \\t\\n\\r]`"),
            ("\\S", "`[^ \\t\\n\\r]`"),
            ("(?=a)", "lookaround"),
            ("(a)\\1", "backreferences"),
            ("[[a]]", "inside a character class"),
            ("a{", "quantifier"),
            ("\\p{Han}", "Unicode property"),
            ("(?i)a", "flags"),
            ("^[0-9]{3}$?", "quantifier must follow"),
            ("*a", "quantifier must follow"),
            ("a|+b", "quantifier must follow"),
            ("(?:+)", "quantifier must follow"),
            ("a**", "quantifier must follow"),
            ("a{2}{3}", "quantifier must follow"),
        ] {
            let error = portable(source).unwrap_err();
            assert!(error.contains(needle), "{source}: {error}");
        }
    }

    #[test]
    fn lazy_quantifiers_and_quantified_groups_are_portable() {
        for source in ["a*?", "(?:ab)+", "[a-z]{2,3}?", "\\(x\\)?", "(a|b)*c"] {
            Pattern::new(source, 1 << 20).unwrap_or_else(|e| panic!("{source}: {e:?}"));
        }
    }

    #[test]
    fn dot_is_rewritten_outside_classes_only() {
        assert_eq!(portable("a.b[.]").unwrap(), format!("a{ANY_CHAR}b[.]"));
    }
}
