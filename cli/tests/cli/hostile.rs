//! What the command prints when the survey and the answers are full of control characters
//! (ESC, NUL, vertical tab, DEL, C1's CSI): every command, text and JSON, on standard output
//! and standard error, prints none of them raw; each is its escape (`\u{1b}`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A survey whose texts hold control characters and markup.
const SURVEY: &str = r#"id: s
version: "1"
default_locale: en
title: "Title \e[2J \0 \v \u009b \x7f <script>alert(1)</script>"
questions:
  - id: q
    type: single_choice
    title: "Pick \e[31m red"
    choices:
      - { value: a, label: "=HYPERLINK(\"x\") \e[2J" }
      - { value: b, label: "<b>bold</b> \0" }
  - id: t
    type: text
    title: "Text \v"
    enable_when: { question: q, equals: b }
  - id: n
    type: integer
    title: "@N \e"
"#;

/// A survey with problems that quote control characters.
const BROKEN: &str = "id: s\nversion: \"1\"\ndefault_locale: en\ntitle: \"Broken \\e\"\nquestions:\n  - id: q\n    type: boolean\n    title: \"Q \\e[2J\"\n    enable_when: { question: \"\\e[2Jghost\\0\", equals: true }\n";

/// Answers whose texts, wrong values and unknown keys hold control characters.
const ANSWERS: &str = r#"{"q": "b", "t": "\u001b[2J \u0000 \u000b \u009b \u007f =cmd", "n": "\u001b[2J", "\u001bkey": 1}"#;

/// A `QuestionnaireResponse` of the survey whose `linkId`s and answers hold control characters.
const RESPONSE: &str = r#"{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "\u001b[2J", "answer": [{"valueString": "\u001b"}]}, {"linkId": "t", "answer": [{"valueString": "\u009b\u0007"}]}]}"#;

/// A Questionnaire whose `linkId`s and texts hold control characters.
const QUESTIONNAIRE: &str = r#"{"resourceType": "Questionnaire", "status": "draft", "item": [{"linkId": "\u001b[2J", "type": "boolean", "text": "\u001b[31m"}, {"linkId": "b", "type": "string", "text": "\u009b", "enableWhen": [{"question": "\u001bghost", "operator": "exists", "answerBoolean": true}]}]}"#;

fn setup(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("survey-cli-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    write("survey.yaml", SURVEY.as_bytes());
    write("broken.yaml", BROKEN.as_bytes());
    // A raw ESC in a survey file: a syntax error whose snippet shows the line.
    write(
        "raw.yaml",
        b"id: s\nversion: \"1\"\ndefault_locale: en\ntitle: x\nquestions:\n  - {id: q, type: boolean, title: \"\x1b[2J\", bogus\x1b[2J: 1}\n",
    );
    write("answers.json", ANSWERS.as_bytes());
    write(
        "answers.yaml",
        b"q: b\nt: \"\\e[2J \\0 \\v\"\n\"\\ekey\": 1\n",
    );
    let mut batch = Vec::new();
    batch.extend_from_slice(br#"{"q": "a", "n": 3}"#);
    batch.extend_from_slice(b"\n\x1b[2J garbage \x00\x0b\x7f\n");
    batch.extend_from_slice(ANSWERS.as_bytes());
    batch.push(b'\n');
    write("batch.jsonl", &batch);
    write("response.json", RESPONSE.as_bytes());
    write("questionnaire.json", QUESTIONNAIRE.as_bytes());
    dir
}

/// The raw control characters of `text` a terminal would act on.
fn raw(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_survey"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn no_command_prints_a_raw_control_character() {
    let dir = setup("no_command_prints_a_");
    let commands: &[&[&str]] = &[
        &["check", "survey.yaml"],
        &["check", "broken.yaml"],
        &["check", "raw.yaml"],
        &["check", "questionnaire.json"],
        &["examples", "survey.yaml"],
        &["paths", "survey.yaml"],
        &["paths", "survey.yaml", "--format", "json"],
        &["validate", "survey.yaml", "answers.json"],
        &["validate", "survey.yaml", "answers.yaml"],
        &[
            "validate",
            "survey.yaml",
            "answers.json",
            "--format",
            "json",
        ],
        &["validate", "survey.yaml", "batch.jsonl"],
        &["validate", "survey.yaml", "batch.jsonl", "--format", "json"],
        &["validate", "survey.yaml", "response.json"],
        &["schema", "survey.yaml"],
        &["schema", "survey.yaml", "--messages", "en"],
        &["prune", "survey.yaml", "answers.json"],
        &["prune", "survey.yaml", "answers.yaml"],
        &["fhir", "export", "survey.yaml"],
        &["fhir", "import", "questionnaire.json"],
        &["fhir", "response", "survey.yaml", "answers.json"],
        &["fhir", "answers", "survey.yaml", "response.json"],
        &[
            "export",
            "survey.yaml",
            "answers.json",
            "batch.jsonl",
            "--invalid",
            "keep",
        ],
        &["codebook", "survey.yaml"],
        &["codebook", "survey.yaml", "--to", "csv"],
        &["codebook", "survey.yaml", "--to", "ddi"],
        &[
            "report",
            "survey.yaml",
            "answers.json",
            "batch.jsonl",
            "--format",
            "html",
        ],
        &[
            "report",
            "survey.yaml",
            "answers.json",
            "batch.jsonl",
            "--format",
            "json",
        ],
        &[
            "report",
            "survey.yaml",
            "answers.json",
            "batch.jsonl",
            "--format",
            "csv",
            "--invalid",
            "keep",
        ],
        &["meta-schema"],
    ];
    // What prints nothing of the survey's texts or the answers' values: a verdict, counts,
    // ids, the format's own schema.
    let quiet: &[&[&str]] = &[
        &["check", "survey.yaml"],
        &["examples", "survey.yaml"],
        &["paths", "survey.yaml"],
        &["paths", "survey.yaml", "--format", "json"],
        &[
            "report",
            "survey.yaml",
            "answers.json",
            "batch.jsonl",
            "--format",
            "json",
        ],
        &[
            "report",
            "survey.yaml",
            "answers.json",
            "batch.jsonl",
            "--format",
            "csv",
            "--invalid",
            "keep",
        ],
        &["schema", "survey.yaml", "--messages", "en"],
        &["meta-schema"],
    ];
    for args in commands {
        let (code, text) = run(&dir, args);
        assert!((0..=2).contains(&code), "{args:?}: exit {code}\n{text}");
        assert_eq!(raw(&text), Vec::<char>::new(), "{args:?}:\n{text}");
        // Elsewhere the control characters reached the output, escaped.
        let escaped = text.contains("\\u{1b}") || text.contains("\\u001b");
        assert_eq!(escaped, !quiet.contains(args), "{args:?}:\n{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn what_a_message_quotes_is_cut() {
    let dir = setup("what_a_message_quote");
    // A 4 MB linkId in an enableWhen, and a 3 MB extension URL.
    let link = "x".repeat(4_000_000);
    let url = format!("http://example.org/{}", "u".repeat(3_000_000));
    let questionnaire = serde_json::json!({
        "resourceType": "Questionnaire", "status": "draft",
        "item": [
            {"linkId": "a", "type": "boolean", "text": "A",
             "extension": [{"url": url, "valueString": "v"}]},
            {"linkId": "b", "type": "boolean", "text": "B",
             "enableWhen": [{"question": link, "operator": "=", "answerBoolean": true}]}
        ]
    });
    std::fs::write(dir.join("long.json"), questionnaire.to_string()).unwrap();
    for args in [
        &["fhir", "import", "long.json"][..],
        &["check", "long.json"],
    ] {
        let (code, text) = run(&dir, args);
        assert_eq!(code, 1, "{args:?}");
        assert!(text.len() < 4_000, "{args:?}: {} bytes", text.len());
        assert!(text.contains("xxx…"), "{args:?}: {text}");
    }
    // A 1 MB line of a survey file is shown around the column only.
    let long = format!(
        "id: s\nversion: \"1\"\ndefault_locale: en\ntitle: x\nquestions: [{}{{id: q, type: boolean, title: x, bogus: 1}}]\n",
        " ".repeat(1_000_000)
    );
    std::fs::write(dir.join("wide.yaml"), long).unwrap();
    let (code, text) = run(&dir, &["check", "wide.yaml"]);
    assert_eq!(code, 1);
    assert!(text.len() < 2_000, "{} bytes", text.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_was_read_and_is_not_acceptable_exits_1() {
    let dir = setup("a_file_that_was_read");
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).unwrap();
    write(
        "deep.json",
        format!("{}{}", "[".repeat(300), "]".repeat(300)),
    );
    write(
        "many.json",
        format!("{{\"a\": [{}0]}}", "0, ".repeat(300_000)),
    );
    write(
        "q.json",
        "<?xml version=\"1.0\"?>\n<Questionnaire xmlns=\"http://hl7.org/fhir\"/>\n".to_owned(),
    );
    for file in ["deep.json", "many.json", "q.json"] {
        for args in [
            &["check", file][..],
            &["validate", "survey.yaml", file],
            &["prune", "survey.yaml", file],
            &["fhir", "import", file],
            &["fhir", "answers", "survey.yaml", file],
            &["fhir", "response", "survey.yaml", file],
        ] {
            let (code, text) = run(&dir, args);
            assert_eq!(code, 1, "{args:?}: {text}");
            let expected = match file {
                "deep.json" => "nesting is deeper than the limit",
                "many.json" => "more than 250000 values",
                _ => "the text is XML, and JSON is expected",
            };
            assert!(text.contains(expected), "{args:?}: {text}");
        }
    }
    let (code, _) = run(&dir, &["fhir", "import", "missing.json"]);
    assert_eq!(code, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn formulas_are_escaped_for_spreadsheets_on_request() {
    let dir = setup("formulas_are_escaped");
    std::fs::write(
        dir.join("formula.json"),
        r#"{"q": "b", "t": "=1+2", "n": 3}"#,
    )
    .unwrap();
    let (_, plain) = run(&dir, &["export", "survey.yaml", "formula.json"]);
    assert!(
        plain.lines().nth(1).unwrap().ends_with(",=1+2,3"),
        "{plain}"
    );
    let (_, safe) = run(
        &dir,
        &["export", "survey.yaml", "formula.json", "--escape-formulas"],
    );
    assert!(safe.lines().nth(1).unwrap().ends_with(",'=1+2,3"), "{safe}");
    let (_, codebook) = run(&dir, &["codebook", "survey.yaml", "--to", "csv"]);
    assert!(codebook.contains(",@N "), "{codebook}");
    let (_, codebook) = run(
        &dir,
        &[
            "codebook",
            "survey.yaml",
            "--to",
            "csv",
            "--escape-formulas",
        ],
    );
    assert!(!codebook.contains(",@N "), "{codebook}");
    assert!(codebook.contains(",'@N "), "{codebook}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn garbage_lines_are_skipped_and_every_line_keeps_its_number() {
    let dir = setup("garbage_lines");
    // 5,000 tiny lines (more than a block holds), a 9 MB line of NUL bytes (past the limit of
    // an answer set), a short one, then an answer set.
    let mut batch = b"{}\n".repeat(5_000);
    batch.extend(std::iter::repeat_n(0u8, 9 << 20));
    batch.push(b'\n');
    batch.extend_from_slice(b"\0\0\0\n");
    batch.extend_from_slice(br#"{"q": "a", "n": 3}"#);
    batch.push(b'\n');
    std::fs::write(dir.join("garbage.jsonl"), &batch).unwrap();
    let (code, text) = run(&dir, &["validate", "survey.yaml", "garbage.jsonl"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("garbage.jsonl:5000: valid"),
        "{}",
        &text[..200]
    );
    assert!(text.contains("garbage.jsonl:5001: unreadable: the line is longer than"));
    assert!(text.contains("garbage.jsonl:5002: unreadable: 1:1"));
    assert!(text.contains("garbage.jsonl:5003: valid"));
    assert!(
        text.contains("5003 answer sets, 5001 valid, 2 invalid"),
        "{}",
        text.lines().last().unwrap_or("")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
