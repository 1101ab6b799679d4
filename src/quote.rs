//! What a message may quote of its input: every problem's message goes through [`message`],
//! so a hostile id, key or URL can neither make a message megabytes long nor reach a terminal
//! as a control sequence.

/// The most characters a quoted span (the text between two backticks) keeps; a longer one is
/// cut to `QUOTE_CHARS - 1` characters and "…".
pub(crate) const QUOTE_CHARS: usize = 80;

/// The most characters a whole message keeps.
const MESSAGE_CHARS: usize = 1000;

/// `text` as a message says it: each quoted span (between backticks, or 「 and 」) cut to [`QUOTE_CHARS`]
/// characters, the whole message to 1,000, and every control character written as its escape
/// (`\u{1b}`, `\0`, `\n`), so a message is one line of printable text.
pub(crate) fn message(text: String) -> String {
    if !needs_work(&text) {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(MESSAGE_CHARS * 4));
    let mut quoted = false;
    let mut span = 0usize;
    let mut written = 0usize;
    for c in text.chars() {
        if written >= MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if let Some(open) = delimiter(c, quoted) {
            quoted = open;
            span = 0;
            out.push(c);
            written += 1;
            continue;
        }
        if quoted {
            span += 1;
            if span == QUOTE_CHARS {
                out.push('…');
                written += 1;
                continue;
            }
            if span > QUOTE_CHARS {
                continue;
            }
        }
        push_escaped(&mut out, c);
        written += 1;
    }
    out
}

/// Whether `text` has a control character, a quoted span past [`QUOTE_CHARS`] or more than
/// 1,000 characters.
fn needs_work(text: &str) -> bool {
    let mut quoted = false;
    let mut span = 0usize;
    for (count, c) in text.chars().enumerate() {
        if c.is_control() || count >= MESSAGE_CHARS {
            return true;
        }
        if let Some(open) = delimiter(c, quoted) {
            quoted = open;
            span = 0;
        } else if quoted {
            span += 1;
            if span > QUOTE_CHARS {
                return true;
            }
        }
    }
    false
}

/// Whether `c` opens (`Some(true)`) or closes (`Some(false)`) a quoted span: a backtick
/// toggles, 「 opens and 」 closes (the Japanese messages' quotes).
fn delimiter(c: char, quoted: bool) -> Option<bool> {
    match c {
        '`' => Some(!quoted),
        '「' => Some(true),
        '」' => Some(false),
        _ => None,
    }
}

/// Text for a markup format (XML, HTML, a Markdown table): `&`, `<` and `>` as entities,
/// each character `special` names as its replacement, the characters `kept` as they are, and
/// every other control character as its escape (`\u{1b}`), so no raw NUL or ESC reaches the
/// page.
pub(crate) fn markup(text: &str, special: &[(char, &str)], kept: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if kept.contains(&c) => out.push(c),
            c => match special.iter().find(|(s, _)| *s == c) {
                Some((_, replacement)) => out.push_str(replacement),
                None => push_escaped(&mut out, c),
            },
        }
    }
    out
}

/// Pushes `c`, or its escape when it is a control character.
pub(crate) fn push_escaped(out: &mut String, c: char) {
    if c.is_control() {
        out.extend(c.escape_debug());
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quotes_are_cut_and_controls_escaped() {
        let long = format!("item `{}` is unknown", "x".repeat(4_000_000));
        let cut = message(long);
        assert_eq!(
            cut.chars().count(),
            "item `` is unknown".len() + QUOTE_CHARS
        );
        assert!(cut.contains(&format!("`{}…`", "x".repeat(QUOTE_CHARS - 1))));
        assert_eq!(
            message("a `\u{1b}[2J` b\0".to_owned()),
            "a `\\u{1b}[2J` b\\0"
        );
        assert_eq!(message("plain `id`".to_owned()), "plain `id`");
        let ja = message(format!("質問「{}」", "あ".repeat(200)));
        assert_eq!(ja, format!("質問「{}…」", "あ".repeat(QUOTE_CHARS - 1)));
        let unquoted = message("y".repeat(5000));
        assert_eq!(unquoted.chars().count(), MESSAGE_CHARS + 1);
    }
}
