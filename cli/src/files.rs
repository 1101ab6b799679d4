//! What every command shares: the exit-2 failure, the locale and output arguments, reading
//! a survey (its problems printed rustc-style) and an answer input, writing JSON.

use crate::terminal::tell;
use std::io::{Read, Write};
use std::path::Path;

use clap::ValueEnum;
use serde_json::Value;
use survey_schema::{
    Error, Format, Limits, LoadError, Locale, Survey, decode, read_path, read_text,
};

/// A failure that ends the command with exit code 2.
pub(crate) struct Fatal(pub(crate) String);

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LocaleArg {
    Ja,
    En,
}

impl LocaleArg {
    pub(crate) fn locale(self) -> Locale {
        match self {
            LocaleArg::Ja => Locale::Ja,
            LocaleArg::En => Locale::En,
        }
    }

    /// The language a command speaks: the one asked for, or the survey's own
    /// ([`Survey::locale`]).
    pub(crate) fn or_survey(arg: Option<LocaleArg>, survey: &Survey) -> Locale {
        arg.map_or_else(|| survey.locale(), LocaleArg::locale)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Text,
    Json,
}

/// Loads a survey; definition problems (and files that were read but are no survey) are
/// printed rustc-style and give `Ok(None)`; only a file that cannot be read is fatal.
pub(crate) fn load_survey(path: &Path) -> Result<Option<Survey>, Fatal> {
    Ok(load_survey_text(path)?.map(|(survey, _)| survey))
}

/// [`load_survey`], with the text the survey was read from.
pub(crate) fn load_survey_text(path: &Path) -> Result<Option<(Survey, String)>, Fatal> {
    let limits = Limits::default();
    // The text is kept for the diagnostics; a file that was not read has none to show.
    let (loaded, text) = match read_path(path, &limits) {
        Ok((text, format)) => (Survey::load(&text, format, &limits), text),
        Err(error) => (Err(Error::Load(error)), String::new()),
    };
    match loaded {
        Ok(survey) => Ok(Some((survey, text))),
        Err(Error::Load(error)) if error.is_unreadable() => Err(Fatal(error.to_string())),
        Err(Error::Check(error)) => {
            let lines = source_lines(&text);
            for problem in &error.problems {
                let message = format!("{}: {}: {}", problem.code, problem.path, problem.message);
                print_diagnostic(path, &lines, problem.location, Severity::Error, &message);
            }
            let count = error.problems.len();
            tell!(
                "{}: {count} problem{}",
                path.display(),
                if count == 1 { "" } else { "s" }
            );
            Ok(None)
        }
        Err(Error::Fhir(problems)) => {
            for problem in &problems {
                tell!("{}: {problem}", path.display());
            }
            tell!(
                "{}: {} problem{}: the Questionnaire cannot be carried as a survey",
                path.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            Ok(None)
        }
        Err(Error::Load(error)) => {
            let message = match &error {
                LoadError::Syntax { message, .. } => format!("syntax: {message}"),
                LoadError::Empty => format!("{}: the file is empty", error.code()),
                other => format!("{}: {other}", other.code()),
            };
            print_diagnostic(
                path,
                &source_lines(&text),
                error.location(),
                Severity::Error,
                &message,
            );
            Ok(None)
        }
        Err(error) => Err(Fatal(error.to_string())),
    }
}

/// The lines of a file's text, split once for all of its diagnostics (splitting it again for
/// each of ten thousand warnings took seconds).
pub(crate) fn source_lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Severity {
    /// The survey cannot be used (exit 1).
    Error,
    /// A finding of the analysis (exit 0 unless `--deny-warnings`).
    Warning,
}

/// A diagnostic on standard error, as rustc writes one: `error: message` (or `warning:`),
/// ` --> file:line:column`, then the source line (of [`source_lines`]: at most 100 characters
/// around the column, control characters escaped) and a caret under the column. Coloured on a
/// terminal, unless `NO_COLOR` is set; plain when standard error is a file or a pipe.
pub(crate) fn print_diagnostic(
    path: &Path,
    lines: &[&str],
    location: Option<survey_schema::Location>,
    severity: Severity,
    message: &str,
) {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

    let level = match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = crate::terminal::shown(message).into_owned();
    let file = path.display().to_string();
    let file = crate::terminal::shown(&file).into_owned();
    let rendered = if let Some(location) = location {
        let line = lines
            .get(location.line.saturating_sub(1))
            .copied()
            .unwrap_or("");
        let (line, caret) = crate::terminal::snippet(line, location.column);
        // The caret's place in the shown line, as a byte offset, and the character there.
        let start = line
            .char_indices()
            .nth(caret.chars().count() - 1)
            .map_or(line.len(), |(at, _)| at);
        let end = line[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        let title = level.primary_title(&message);
        let snippet = Snippet::source(&line)
            .line_start(location.line)
            .path(&file)
            .annotation(AnnotationKind::Primary.span(start..end));
        Renderer::styled().render(&[title.element(snippet)])
    } else {
        let title = format!("{file}: {message}");
        Renderer::styled().render(&[annotate_snippets::Group::with_title(
            level.primary_title(title.as_str()),
        )])
    };
    anstream::eprintln!("{rendered}");
}

pub(crate) fn write_json(value: &Value, output: Option<&Path>) -> Result<(), Fatal> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Fatal(e.to_string()))?;
    text.push('\n');
    write_text(&crate::terminal::json_text(text), output)
}

/// Writes text to `output`, or to standard output.
pub(crate) fn write_text(text: &str, output: Option<&Path>) -> Result<(), Fatal> {
    if let Some(path) = output {
        std::fs::write(path, text)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))
    } else {
        let mut out = crate::terminal::Escaping::new(std::io::stdout().lock());
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Fatal(e.to_string()))
    }
}

/// The format of an answer input: by its extension, or on standard input by its first
/// character (JSON starts with `{` or `[`).
pub(crate) fn answer_format(input: &str, text: &str) -> Format {
    if input == "-" {
        if text.trim_start().starts_with(['{', '[']) {
            Format::Json
        } else {
            Format::Yaml
        }
    } else {
        Format::from_path(Path::new(input)).unwrap_or(Format::Json)
    }
}

/// Reads one answer input (a batch is streamed instead). A file that cannot be read at all is
/// fatal; one that was read but is not text within the limits is that input's error.
pub(crate) fn read_input(input: &str) -> Result<Result<String, LoadError>, Fatal> {
    let limits = Limits::default();
    let read = if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(limits.max_input_bytes.saturating_add(1) as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
        decode(&bytes, &limits).map(str::to_owned)
    } else {
        read_text(Path::new(input), &limits)
    };
    match read {
        Err(error) if error.is_unreadable() => Err(Fatal(error.to_string())),
        other => Ok(other),
    }
}
