//! `survey validate`: answer files one by one, `.jsonl` batches streamed a block at a time on
//! several threads, output in input order.

use crate::terminal::{json_text, say, shown, tell};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};
use survey_schema::{Format, Limits, Report, Resource, Survey, ValidateOptions, parse_answers};

use crate::files::{Fatal, OutputFormat, answer_format, load_survey, read_input};
use crate::responses::{self, Outcome};
use crate::stream;

pub(crate) fn validate(
    survey_path: &Path,
    inputs: &[String],
    options: &ValidateOptions,
    format: OutputFormat,
    jsonl: bool,
    jobs: usize,
) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(survey_path)? else {
        return Ok(false);
    };
    let mut all_valid = true;
    let mut file_results = Vec::new();
    for input in inputs {
        let is_batch = jsonl || is_jsonl(input);
        let name = if input == "-" { "<stdin>" } else { input };
        if is_batch {
            all_valid &= batch(&survey, input, options, format, jobs)?;
            continue;
        }
        let outcome: Outcome = match read_input(input)? {
            Ok(text) => validate_text(&survey, input, &text, options),
            Err(error) => Err(error.to_string()),
        };
        all_valid &= outcome.as_ref().is_ok_and(Report::is_valid);
        match format {
            OutputFormat::Text => print_text(name, &outcome),
            OutputFormat::Json => file_results.push(result_json("file", &json!(name), &outcome)),
        }
    }
    if format == OutputFormat::Json && !file_results.is_empty() {
        let value = if file_results.len() == 1 && inputs.len() == 1 {
            file_results.remove(0)
        } else {
            Value::Array(file_results)
        };
        let text = serde_json::to_string_pretty(&value).map_err(|e| Fatal(e.to_string()))?;
        say!("{}", json_text(text));
    }
    Ok(all_valid)
}

/// Validates one answer set: JSON straight from its bytes, YAML through `parse_answers`.
fn validate_text(survey: &Survey, input: &str, text: &str, options: &ValidateOptions) -> Outcome {
    if answer_format(input, text) == Format::Json
        && let Some(response) = responses::as_response(text)
    {
        return responses::validate_response(survey, &response, options);
    }
    let report = match answer_format(input, text) {
        Format::Yaml => parse_answers(text, Format::Yaml, &Limits::default())
            .map(|answers| survey.validate_with(&answers, options)),
        _ => survey.validate_json(text.as_bytes(), options),
    };
    report.map_err(|e| e.to_string())
}

fn is_jsonl(input: &str) -> bool {
    Path::new(input)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

fn result_json(key: &str, id: &Value, outcome: &Outcome) -> Value {
    match outcome {
        Ok(report) => json!({
            key: id,
            "valid": report.is_valid(),
            "truncated": report.truncated,
            "issues": report.issues,
            "warnings": report.warnings,
        }),
        Err(error) => json!({
            key: id,
            "valid": false,
            "truncated": false,
            "issues": [{ "code": "unreadable", "path": "", "question": "", "message": error, "severity": "error" }],
            "warnings": [],
        }),
    }
}

fn print_text(name: &str, outcome: &Outcome) {
    match outcome {
        Ok(report) if report.is_valid() => {
            say!("{name}: valid{}", warning_count(report));
            for warning in &report.warnings {
                say!("  warning: {warning}");
            }
        }
        Ok(report) => {
            say!(
                "{name}: invalid ({} issue{}{}){}",
                report.issues.len(),
                if report.issues.len() == 1 { "" } else { "s" },
                if report.truncated { ", truncated" } else { "" },
                warning_count(report)
            );
            for line in report.to_string().lines() {
                say!("  {line}");
            }
        }
        Err(error) => say!("{name}: unreadable: {error}"),
    }
}

/// ", 1 warning" after a verdict, when the report has warnings.
fn warning_count(report: &Report) -> String {
    match report.warnings.len() {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    }
}

/// Counts over a batch's answer sets, for the summary line.
#[derive(Default)]
struct Counts {
    total: usize,
    valid: usize,
    warnings: usize,
    codes: BTreeMap<&'static str, usize>,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        self.total += 1;
        match outcome {
            Ok(report) => {
                self.valid += usize::from(report.is_valid());
                self.warnings += report.warnings.len();
                for issue in &report.issues {
                    *self.codes.entry(issue.code.as_str()).or_default() += 1;
                }
            }
            Err(_) => *self.codes.entry("unreadable").or_default() += 1,
        }
    }

    fn merge(&mut self, other: Counts) {
        self.total += other.total;
        self.valid += other.valid;
        self.warnings += other.warnings;
        for (code, n) in other.codes {
            *self.codes.entry(code).or_default() += n;
        }
    }
}

/// One line of a batch validated: a `QuestionnaireResponse` with paths into it, any other
/// line straight from its bytes.
fn line_outcome(survey: &Survey, bytes: &[u8], options: &ValidateOptions) -> Outcome {
    if survey_schema::sniff(bytes) == Some(Resource::QuestionnaireResponse)
        && let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(response) = parse_answers(text, Format::Json, &Limits::default())
    {
        return responses::validate_response(survey, &response, options);
    }
    survey
        .validate_json(bytes, options)
        .map_err(|e| e.to_string())
}

/// The output of one line of a batch.
fn write_line(
    out: &mut Vec<u8>,
    name: &str,
    line: usize,
    outcome: &Outcome,
    format: OutputFormat,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => writeln!(
            out,
            "{}",
            json_text(result_json("line", &json!(line), outcome).to_string())
        ),
        OutputFormat::Text => match outcome {
            Ok(report) if report.is_valid() && report.warnings.is_empty() => {
                writeln!(out, "{}:{line}: valid", shown(name))
            }
            Ok(report) if report.is_valid() => report.warnings.iter().try_for_each(|w| {
                writeln!(
                    out,
                    "{}",
                    shown(&format!("{name}:{line}: valid; warning: {w}"))
                )
            }),
            Ok(report) => report
                .to_string()
                .lines()
                .try_for_each(|text| writeln!(out, "{}", shown(&format!("{name}:{line}: {text}")))),
            Err(error) => writeln!(
                out,
                "{}",
                shown(&format!("{name}:{line}: unreadable: {error}"))
            ),
        },
    }
}

/// Validates a JSON Lines batch (a file, or standard input for `-`) a block at a time on
/// `jobs` threads; output stays in input order and memory does not grow with the batch.
fn batch(
    survey: &Survey,
    name: &str,
    options: &ValidateOptions,
    format: OutputFormat,
    jobs: usize,
) -> Result<bool, Fatal> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let mut counts = Counts::default();
    let work = |block: &stream::Block| {
        let mut text = Vec::new();
        let mut part = Counts::default();
        for (line, bytes) in block.lines() {
            let outcome = match bytes {
                Ok(bytes) => line_outcome(survey, bytes, options),
                Err(why) => Err(why.to_owned()),
            };
            part.add(&outcome);
            // Writing into memory cannot fail.
            let _ = write_line(&mut text, name, line, &outcome, format);
        }
        (text, part)
    };
    let sink = |(text, part): (Vec<u8>, Counts)| {
        counts.merge(part);
        out.write_all(&text).map_err(|e| Fatal(e.to_string()))
    };
    if name == "-" {
        stream::each_batch_block(std::io::stdin(), name, 0, jobs, work, sink)?;
    } else {
        let file =
            std::fs::File::open(name).map_err(|e| Fatal(format!("cannot read {name}: {e}")))?;
        let total = file.metadata().map_or(0, |m| m.len());
        stream::each_batch_block(file, name, total, jobs, work, sink)?;
    }
    out.flush().map_err(|e| Fatal(e.to_string()))?;
    let mut top: Vec<(&str, usize)> = counts.codes.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = top
        .iter()
        .take(5)
        .map(|(code, n)| format!("{code} ({n})"))
        .collect();
    let Counts {
        total,
        valid,
        warnings,
        ..
    } = counts;
    tell!(
        "{name}: {total} answer sets, {valid} valid, {} invalid, {warnings} warning{}{}",
        total - valid,
        if warnings == 1 { "" } else { "s" },
        if top.is_empty() {
            String::new()
        } else {
            format!("; most frequent issues: {}", top.join(", "))
        }
    );
    Ok(valid == total)
}
