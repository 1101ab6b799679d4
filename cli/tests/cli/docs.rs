//! The docs are the contract: every command transcript of the README and `docs/` (a line
//! `$ cargo survey ...` in a `text` block, then what it prints) is run and must print what it
//! shows, and `docs/cli.md` is the command line's reference as the binary prints it.

use crate::common;

use crate::commands::run;

/// The transcripts of one Markdown file: per `$ cargo survey` line, its arguments and the
/// lines shown after it (`...` marks lines left out).
fn transcripts(markdown: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    let (mut in_block, mut in_text, mut in_transcript) = (false, false, false);
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_text = !in_block && line == "```text";
            in_block = !in_block;
            in_transcript = false;
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ cargo survey ") {
            out.push((
                command.split_whitespace().map(str::to_owned).collect(),
                Vec::new(),
            ));
            in_transcript = true;
        } else if in_transcript && let Some((_, shown)) = out.last_mut() {
            shown.push(line.to_owned());
        }
    }
    out
}

#[test]
fn every_transcript_of_the_docs_prints_what_it_shows() {
    let root = common::root();
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut checked = 0;
    for file in &files {
        let markdown = std::fs::read_to_string(file).unwrap();
        for (args, shown) in transcripts(&markdown) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (_, stdout, stderr) = run(&args, None);
            let streams: [Vec<&str>; 2] = [stdout.lines().collect(), stderr.lines().collect()];
            // Each shown line is printed, in the order shown within its stream (standard
            // output or error, which a terminal interleaves); `...` leaves lines out.
            let mut at = [0, 0];
            for line in shown.iter().filter(|l| l.trim() != "...") {
                let found = (0..2).find_map(|s| {
                    streams[s][at[s]..]
                        .iter()
                        .position(|p| p == line)
                        .map(|i| (s, i))
                });
                let Some((stream, index)) = found else {
                    panic!(
                        "{}: `survey {}` does not print, in order:\n{line}\nIt printed:\n{stdout}{stderr}",
                        file.display(),
                        args.join(" "),
                    );
                };
                at[stream] += index + 1;
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked} transcripts");
}

/// The fenced blocks of a page in a language, in order.
fn blocks(markdown: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line == fence => current = Some(String::new()),
            Some(block) if line == "```" => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// Every YAML and JSON block of the docs is well-formed, and every one that is a whole survey
/// (`id` and `questions` at the top) loads and passes the checks.
#[test]
fn every_yaml_and_json_block_of_the_docs_parses() {
    use survey_schema::{Format, Limits, Survey, parse_answers};
    let root = common::root();
    let mut pages = vec![root.join("README.md")];
    pages.extend(
        std::fs::read_dir(root.join("docs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    let (mut parsed, mut surveys) = (0, 0);
    for page in &pages {
        let markdown = std::fs::read_to_string(page).unwrap();
        for (language, format) in [("yaml", Format::Yaml), ("json", Format::Json)] {
            for block in blocks(&markdown, language) {
                // A line to copy (an editor's schema comment) is no document.
                if block
                    .lines()
                    .all(|l| l.trim().is_empty() || l.starts_with('#'))
                {
                    continue;
                }
                let value = parse_answers(&block, format, &Limits::default()).unwrap_or_else(|e| {
                    panic!(
                        "{}: a {language} block does not parse: {e}\n{block}",
                        page.display()
                    )
                });
                parsed += 1;
                if value.get("id").is_some()
                    && value.get("questions").is_some()
                    && !block.contains('…')
                {
                    Survey::from_yaml(&block).unwrap_or_else(|e| {
                        panic!(
                            "{}: a survey block does not load: {e}\n{block}",
                            page.display()
                        )
                    });
                    surveys += 1;
                }
            }
        }
    }
    assert!(
        parsed >= 8 && surveys >= 1,
        "{parsed} blocks, {surveys} surveys"
    );
}

#[test]
fn the_command_reference_is_the_binary_s_help() {
    let (code, stdout, stderr) = run(&["reference"], None);
    assert_eq!(code, 0, "{stderr}");
    let path = common::root().join("docs/cli.md");
    if std::env::var("UPDATE_GENERATED").is_ok() {
        std::fs::write(&path, &stdout).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap();
    assert!(
        stored == stdout,
        "docs/cli.md is stale; regenerate it with\n  cargo run --package survey-cli -- reference > docs/cli.md\nor run the tests with UPDATE_GENERATED=1"
    );
    // Every subcommand is in it, the nested ones included.
    for command in [
        "check",
        "examples",
        "paths",
        "validate",
        "schema",
        "prune",
        "fhir export",
        "fhir import",
        "fhir response",
        "fhir answers",
        "export",
        "codebook",
        "report",
        "meta-schema",
    ] {
        assert!(
            stored.contains(&format!("## `survey {command}`")),
            "{command}"
        );
    }
}
