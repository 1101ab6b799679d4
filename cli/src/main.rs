//! `survey`: check survey definitions, validate answer sets, export JSON Schema.
//!
//! Exit codes: 0 all valid, 1 some answer set invalid or unreadable, or the definition has
//! problems (a file that was read but is not acceptable), 2 usage error or a file that cannot
//! be read at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

// In layer order: a module refers only to modules above it (the layer test holds it), and
// `main` (argument parsing and dispatch) to all of them.
mod terminal;
mod files;
mod responses;
mod stream;
mod validate;
mod fhir;
mod export;
mod codebook;
mod report;
mod analysis;
mod reference;

use crate::terminal::{say, tell};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use files::{
    Fatal, LocaleArg, OutputFormat, Severity, answer_format, load_survey, load_survey_text,
    print_diagnostic, read_input, source_lines, write_json, write_text,
};
use survey_schema::json_schema::{Draft, JsonSchemaOptions};
use survey_schema::{Format, Limits, Locale, ValidateOptions, parse_answers};

#[derive(Parser)]
#[command(
    name = "survey",
    version,
    about = "Check survey definitions, validate and export answers, generate JSON Schema, FHIR and codebooks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and check a survey definition, then analyse its logic: questions no answers
    /// enable, conditions always true, tests that never matter, rules that never fail or
    /// never hold (printed as warnings).
    Check {
        /// The survey file (.yaml, .yml or .json).
        survey: PathBuf,
        /// Language of the warnings (default: the survey's default locale, else English).
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
        /// Exit with status 1 when the analysis finds anything.
        #[arg(long)]
        deny_warnings: bool,
        /// Skip the analysis (the definition checks only).
        #[arg(long)]
        no_analysis: bool,
    },
    /// Write valid answer sets that together enable every question that can be enabled,
    /// one per line (JSON Lines).
    Examples {
        /// The survey file.
        survey: PathBuf,
        /// Also make each test of each condition true and false where it can be.
        #[arg(long)]
        cover: bool,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print the respondents' paths: how many distinct sets of enabled questions complete,
    /// valid answer sets lead to, the fewest and most questions a respondent is shown, and
    /// each question's share of the paths. The count is a range when the enumeration
    /// reaches its bound or meets answers it cannot enumerate (texts it cannot build,
    /// selections compared by number).
    Paths {
        /// The survey file.
        survey: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Validate answer sets against a survey.
    Validate {
        /// The survey file.
        survey: PathBuf,
        /// Answer files (.json, .yaml, .yml), `.jsonl` batches (one answer set per line), or
        /// `-` for standard input.
        #[arg(required = true)]
        answers: Vec<String>,
        /// A draft: missing required answers are not issues.
        #[arg(long)]
        partial: bool,
        /// Ignore answers to disabled questions instead of reporting them.
        #[arg(long)]
        lenient: bool,
        /// Language of the messages (default: the survey's default locale, else English).
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Read every answer input as JSON Lines, whatever its extension.
        #[arg(long)]
        jsonl: bool,
        /// Threads for batch validation (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// The most issues reported per answer set; past it the report says `truncated`.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
        max_issues: u32,
    },
    /// Print the JSON Schema of a survey's answer sets.
    Schema {
        /// The survey file.
        survey: PathBuf,
        /// JSON Schema dialect.
        #[arg(long, value_enum, default_value_t = DraftArg::Draft7)]
        draft: DraftArg,
        /// Language of titles and descriptions (default: the survey's default locale).
        #[arg(long)]
        locale: Option<String>,
        /// Print a UI schema for a form builder instead of the JSON Schema.
        #[arg(long, value_enum)]
        ui_schema: Option<UiSchemaArg>,
        /// The form schema: answers to disabled questions are ignored, not refused (pair it
        /// with `survey prune` on the server).
        #[arg(long)]
        form: bool,
        /// Print the native message for each error a validator can report on the schema, in
        /// this language, instead of the schema (for `forms/survey-messages.js`).
        #[arg(long, value_enum, conflicts_with = "ui_schema")]
        messages: Option<LocaleArg>,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print an answer set without its answers to disabled questions (what a server stores
    /// after a form built on the `--form` schema submits).
    Prune {
        /// The survey file.
        survey: PathBuf,
        /// The answer file (.json, .yaml, .yml), or `-` for standard input (JSON or YAML).
        answers: String,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// FHIR: export a survey as a Questionnaire, import a Questionnaire, convert answers to
    /// a response and back. Every command that reads a survey also reads a Questionnaire
    /// (JSON with resourceType Questionnaire); validate also reads responses.
    #[command(subcommand)]
    Fhir(fhir::FhirCommand),
    /// Write answer sets as an analysis table (CSV): a row per valid answer set (every one
    /// with --invalid keep), a column per question, group field, matrix row, table cell and
    /// specify box (0/1 per choice of a multiple choice), each cell the answer, not asked
    /// (the skip logic disabled the question: --not-asked, default .a) or not answered
    /// (--not-answered, default .b).
    Export(export::ExportArgs),
    /// Write the codebook of the export: per column its name, label, type, value labels, the
    /// codes of not asked and not answered, the universe (who is asked, in words) and the
    /// references.
    Codebook(codebook::CodebookArgs),
    /// Count the answers of the valid answer sets (every one with --invalid keep): how many
    /// were read, counted, left out and unreadable, then per column how many were asked, not
    /// asked, left it unanswered or answered, each value's count and percentage of those
    /// asked, numbers and dates summarised (n, min, quartiles, max), and the issue codes by
    /// frequency.
    Report(report::ReportArgs),
    /// Print the JSON Schema of the survey definition format.
    MetaSchema {
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print this command line's reference in Markdown (what `docs/cli.md` holds).
    #[command(hide = true)]
    Reference,
}

#[derive(Clone, Copy, ValueEnum)]
enum UiSchemaArg {
    /// The JSON Forms UI schema: layout, labels and SHOW rules.
    Jsonforms,
}

#[derive(Clone, Copy, ValueEnum)]
enum DraftArg {
    #[value(name = "7")]
    Draft7,
    #[value(name = "2020-12")]
    Draft2020_12,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            survey,
            locale,
            deny_warnings,
            no_analysis,
        } => check(&survey, locale, deny_warnings, !no_analysis),
        Command::Examples {
            survey,
            cover,
            output,
        } => analysis::examples(&survey, cover, output.as_deref()),
        Command::Paths { survey, format } => analysis::paths(&survey, format),
        Command::Validate {
            survey,
            answers,
            partial,
            lenient,
            locale,
            format,
            jsonl,
            jobs,
            max_issues,
        } => {
            let options = ValidateOptions {
                partial,
                lenient,
                locale: locale.map(LocaleArg::locale),
                max_issues: max_issues as usize,
            };
            let jobs = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
                .max(1);
            validate::validate(&survey, &answers, &options, format, jsonl, jobs)
        }
        Command::Schema {
            survey,
            draft,
            locale,
            ui_schema,
            form,
            messages,
            output,
        } => schema(
            &survey,
            &SchemaArgs {
                draft,
                locale: locale.as_deref(),
                ui_schema,
                form,
                messages: messages.map(LocaleArg::locale),
            },
            output.as_deref(),
        ),
        Command::Prune {
            survey,
            answers,
            output,
        } => prune(&survey, &answers, output.as_deref()),
        Command::Fhir(command) => fhir::run(command),
        Command::Export(args) => export::run(&args),
        Command::Codebook(args) => codebook::codebook(&args),
        Command::Report(args) => report::report(&args),
        Command::MetaSchema { output } => write_json(
            &survey_schema::SurveyDefinition::meta_schema(),
            output.as_deref(),
        )
        .map(|()| true),
        Command::Reference => {
            say!("{}", reference::markdown(Cli::command()).trim_end());
            Ok(true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Fatal(message)) => {
            tell!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn check(path: &Path, locale: Option<LocaleArg>, deny: bool, analyse: bool) -> Result<bool, Fatal> {
    let Some((survey, text)) = load_survey_text(path)? else {
        return Ok(false);
    };
    let locale = LocaleArg::or_survey(locale, &survey);
    let count = survey.questions().count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if !analyse {
        say!("{}: ok ({count} question{})", path.display(), plural(count));
        return Ok(true);
    }
    let mut analysis = survey_schema::analysis::analyze(&survey);
    analysis.locate(&text);
    let lines = source_lines(&text);
    for finding in &analysis.findings {
        let message = format!(
            "{}: {}: {}",
            finding.code,
            finding.path,
            finding.message(locale)
        );
        print_diagnostic(path, &lines, finding.location, Severity::Warning, &message);
    }
    let warnings = analysis.findings.len();
    if warnings == 0 {
        say!("{}: ok ({count} question{})", path.display(), plural(count));
    } else {
        say!(
            "{}: ok ({count} question{}), {warnings} warning{}",
            path.display(),
            plural(count),
            plural(warnings)
        );
    }
    Ok(!(deny && warnings > 0))
}

/// What `survey schema` prints.
struct SchemaArgs<'a> {
    draft: DraftArg,
    locale: Option<&'a str>,
    ui_schema: Option<UiSchemaArg>,
    form: bool,
    messages: Option<Locale>,
}

fn schema(path: &Path, args: &SchemaArgs<'_>, output: Option<&Path>) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(path)? else {
        return Ok(false);
    };
    if let Some(locale) = args.messages {
        let messages =
            serde_json::to_value(survey_schema::json_schema::error_messages(&survey, locale))
                .map_err(|e| Fatal(e.to_string()))?;
        write_json(&messages, output)?;
        return Ok(true);
    }
    if let Some(UiSchemaArg::Jsonforms) = args.ui_schema {
        write_json(
            &survey_schema::ui_schema::json_forms(&survey, args.locale),
            output,
        )?;
        return Ok(true);
    }
    let draft = match args.draft {
        DraftArg::Draft7 => Draft::Draft07,
        DraftArg::Draft2020_12 => Draft::Draft2020_12,
    };
    let mut options = JsonSchemaOptions::new(draft, args.locale);
    options.form = args.form;
    write_json(
        &survey_schema::json_schema::generate(&survey, &options).to_value(),
        output,
    )?;
    Ok(true)
}

fn prune(path: &Path, input: &str, output: Option<&Path>) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(path)? else {
        return Ok(false);
    };
    let name = if input == "-" { "<stdin>" } else { input };
    let text = match read_input(input)? {
        Ok(text) => text,
        Err(error) => {
            tell!("{name}: {error}");
            return Ok(false);
        }
    };
    let format = answer_format(input, &text);
    // An answer set in JSON is pruned as text, so that what it keeps stays as written.
    let pruned = if format == Format::Json && survey_schema::sniff(text.as_bytes()).is_none() {
        survey
            .prune_json(text.as_bytes())
            .map_err(|e| e.to_string())
    } else {
        parse_answers(&text, format, &Limits::default())
            .map_err(|e| e.to_string())
            .and_then(|answers| responses::answers_of(&survey, answers))
            .map(|answers| {
                serde_json::to_string_pretty(&survey.prune(&answers)).unwrap_or_default()
            })
    };
    match pruned {
        Ok(mut text) => {
            text.push('\n');
            write_text(&terminal::json_text(text), output)?;
            Ok(true)
        }
        Err(why) => {
            tell!("{name}: {why}");
            Ok(false)
        }
    }
}
