//! The `survey` binary, run for real: output (text and JSON) and exit codes.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

const SURVEY: &str = "schema/mhlw-hospital-cybersecurity-2024.yaml";

/// Runs `survey` in the crate root; returns exit code, stdout and stderr.
pub(crate) fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_survey"))
        .args(args)
        .current_dir(common::root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn transcript(args: &[&str], stdin: Option<&str>) -> String {
    let (code, stdout, stderr) = run(args, stdin);
    format!(
        "$ survey {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    )
}

#[test]
fn check_a_good_and_a_broken_survey() {
    insta::assert_snapshot!("check_ok", transcript(&["check", SURVEY], None));
    insta::assert_snapshot!(
        "check_broken",
        transcript(&["check", "tests/fixtures/broken-survey.yaml"], None)
    );
    insta::assert_snapshot!(
        "check_unparsable",
        transcript(&["check", "tests/fixtures/unparsable-survey.yaml"], None)
    );
    // Diagnostics go to standard error, plain when it is not a terminal; coloured where a
    // terminal (here forced) wants it, and never with NO_COLOR.
    let coloured = |extra: &[(&str, &str)]| {
        let output = Command::new(env!("CARGO_BIN_EXE_survey"))
            .args(["check", "tests/fixtures/broken-survey.yaml"])
            .current_dir(common::root())
            .env_remove("NO_COLOR")
            .envs(extra.iter().copied())
            .output()
            .unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    let forced = coloured(&[("CLICOLOR_FORCE", "1")]);
    insta::assert_snapshot!("check_broken_coloured", forced.replace('\u{1b}', "\\e"));
    assert!(forced.contains("\u{1b}[1m\u{1b}[91merror"), "{forced}");
    let plain = coloured(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(plain.starts_with("error: forward_reference"), "{plain}");
}

#[test]
fn validate_valid_and_invalid_files() {
    insta::assert_snapshot!(
        "validate_text",
        transcript(
            &[
                "validate",
                SURVEY,
                "schema/examples/mhlw-complete.json",
                "schema/examples/mhlw-invalid.json"
            ],
            None
        )
    );
    insta::assert_snapshot!(
        "validate_json_en",
        transcript(
            &[
                "validate",
                "--format",
                "json",
                "--locale",
                "en",
                SURVEY,
                "schema/examples/mhlw-invalid.json"
            ],
            None
        )
    );
    let (code, stdout, _) = run(
        &[
            "validate",
            "--format",
            "json",
            SURVEY,
            "schema/examples/mhlw-complete.json",
        ],
        None,
    );
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"file": "schema/examples/mhlw-complete.json", "valid": true, "truncated": false, "issues": [], "warnings": []})
    );
    let (code, stdout, _) = run(
        &[
            "validate",
            "--format",
            "json",
            SURVEY,
            "schema/examples/mhlw-complete.json",
            "schema/examples/mhlw-skip-paths.json",
        ],
        None,
    );
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(2));
}

#[test]
fn validate_reads_standard_input() {
    insta::assert_snapshot!(
        "validate_stdin",
        transcript(
            &["validate", "--locale", "en", SURVEY, "-"],
            Some(r#"{"Q2": true, "Q10": false, "Q10-1": true}"#)
        )
    );
    let (code, _, _) = run(
        &["validate", "--partial", SURVEY, "-"],
        Some("Q2: true\nQ10: false\n"),
    );
    assert_eq!(code, 0, "a YAML draft on stdin, partial mode");
}

#[test]
fn missing_files_and_bad_usage_are_one_line_errors() {
    insta::assert_snapshot!(
        "missing_answers",
        transcript(&["validate", SURVEY, "no-such-answers.json"], None)
    );
    insta::assert_snapshot!(
        "missing_survey",
        transcript(&["check", "no-such-survey.yaml"], None)
    );
    let (code, _, stderr) = run(&["validate", SURVEY], None);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = run(&["frobnicate"], None);
    assert_eq!(code, 2);
}

const BATCH: &str = r#"{"Q2": true}
{"Q1": {"name": "a", "corporation": "b", "hospital": "c", "phone": "03-1234-5678", "email": "a@example.jp"}, "Q2": true, "Q3": true, "Q4": true, "Q5": true, "Q6": ["self"], "Q7": true, "Q8": true, "Q9": true, "Q10": false, "Q11": false, "Q13-1": true, "Q13-2": true}
{"Q2": tru

[1, 2]
{"Q2": true, "Q2": false}
"#;

#[test]
fn a_batch_with_a_malformed_line_goes_on() {
    insta::assert_snapshot!(
        "batch_text",
        transcript(
            &["validate", "--jsonl", "--locale", "en", SURVEY, "-"],
            Some(BATCH)
        )
    );
    insta::assert_snapshot!(
        "batch_json",
        transcript(
            &[
                "validate", "--jsonl", "--format", "json", "--locale", "en", SURVEY, "-"
            ],
            Some(BATCH)
        )
    );
}

#[test]
fn batch_output_is_the_same_for_one_and_two_jobs() {
    let file = "schema/examples/mhlw-batch.jsonl";
    let (code_one, one, _) = run(
        &["validate", "--format", "json", "--jobs", "1", SURVEY, file],
        None,
    );
    let (code_two, two, summary) = run(
        &["validate", "--format", "json", "--jobs", "2", SURVEY, file],
        None,
    );
    assert_eq!(code_one, 1);
    assert_eq!(code_two, 1);
    assert_eq!(one, two);
    assert!(one.lines().count() >= 1_000);
    assert!(
        summary.contains("answer sets") && summary.contains("most frequent issues"),
        "{summary}"
    );
}

#[test]
fn schema_and_meta_schema_match_the_checked_in_files() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["schema", SURVEY],
            "schema/mhlw-hospital-cybersecurity-2024.schema.json",
        ),
        (
            &["schema", "--locale", "en", SURVEY],
            "schema/mhlw-hospital-cybersecurity-2024.en.schema.json",
        ),
        (
            &["schema", "--ui-schema", "jsonforms", SURVEY],
            "schema/mhlw-hospital-cybersecurity-2024.uischema.json",
        ),
        (&["meta-schema"], "schema/survey-definition.schema.json"),
    ];
    for (args, file) in cases {
        let (code, stdout, stderr) = run(args, None);
        assert_eq!(code, 0, "{stderr}");
        let stored = std::fs::read_to_string(common::root().join(file)).unwrap();
        assert_eq!(stdout, stored, "{args:?}");
    }
    let (code, stdout, _) = run(&["schema", "--draft", "2020-12", SURVEY], None);
    assert_eq!(code, 0);
    assert!(stdout.contains("https://json-schema.org/draft/2020-12/schema"));
}

/// The example batch is generated: 1,200 MHLW answer sets, about half valid.
#[test]
fn example_batch_is_fresh() {
    let survey = common::mhlw();
    let mut rng = common::Rng::new(1_000_003);
    let mut text = String::new();
    for _ in 0..1_200 {
        text.push_str(&serde_json::to_string(&common::random_answers(&mut rng, &survey)).unwrap());
        text.push('\n');
    }
    common::assert_fresh(
        "schema/examples/mhlw-batch.jsonl",
        &text,
        "UPDATE_GENERATED=1 cargo test --all-features --package survey-cli",
    );
}

/// Writes `bytes` to a fresh file named `name` in a temporary folder of this test run.
pub(crate) fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("survey-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

/// An answer set of the MHLW survey with `n` unknown keys, so `n` issues.
fn many_unknown_keys(n: usize) -> String {
    let keys: Vec<String> = (0..n).map(|i| format!("\"X{i}\": 1")).collect();
    format!("{{{}}}", keys.join(", "))
}

#[test]
fn json_output_says_when_a_report_was_truncated() {
    let over = temp_file("over.json", many_unknown_keys(150).as_bytes());
    let exact = temp_file("exact.json", many_unknown_keys(100).as_bytes());
    for (file, truncated) in [(&over, true), (&exact, false)] {
        let (code, stdout, _) = run(
            &["validate", "--partial", "--format", "json", SURVEY, file],
            None,
        );
        assert_eq!(code, 1);
        let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(value["issues"].as_array().unwrap().len(), 100, "{file}");
        assert_eq!(value["truncated"], truncated, "{file}");
    }
    // The same in a batch (`--jsonl`), line by line.
    let batch = temp_file(
        "batch.txt",
        format!("{}\n{}\n", many_unknown_keys(150), many_unknown_keys(3)).as_bytes(),
    );
    let (_, stdout, _) = run(
        &[
            "validate",
            "--partial",
            "--format",
            "json",
            "--jsonl",
            SURVEY,
            &batch,
        ],
        None,
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["truncated"], true);
    assert_eq!(lines[1]["truncated"], false);
    assert_eq!(lines[1]["issues"].as_array().unwrap().len(), 3);
}

#[test]
fn max_issues_sets_the_cap() {
    let file = temp_file("five.json", many_unknown_keys(5).as_bytes());
    let (code, stdout, _) = run(
        &[
            "validate",
            "--format",
            "json",
            "--max-issues",
            "2",
            SURVEY,
            &file,
        ],
        None,
    );
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["issues"].as_array().unwrap().len(), 2);
    assert_eq!(value["truncated"], true);
    let (_, stdout, _) = run(&["validate", "--max-issues", "2", SURVEY, &file], None);
    assert!(stdout.contains("invalid (2 issues, truncated)"), "{stdout}");
    assert!(stdout.contains("(more issues left out)"), "{stdout}");
    let (code, _, stderr) = run(&["validate", "--max-issues", "0", SURVEY, &file], None);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_file_that_is_there_but_no_survey_exits_1_and_is_named() {
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.yaml", b"", "empty"),
        ("comments.yaml", b"# nothing\n", "empty"),
        ("latin1.yaml", b"id: caf\xe9\n", "not valid UTF-8"),
        ("broken.json", b"{\"id\": ", "syntax"),
    ];
    for (name, bytes, needle) in cases {
        let path = temp_file(name, bytes);
        let (code, stdout, stderr) = run(&["check", &path], None);
        assert_eq!(code, 1, "{name}: {stdout}{stderr}");
        assert!(stderr.contains(&path), "{name} is named: {stderr}");
        assert!(stderr.contains(needle), "{name}: {stderr}");
    }
    let (code, _, stderr) = run(&["check", "no/such/survey.yaml"], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/survey.yaml"), "{stderr}");
}

#[test]
fn an_answer_file_that_is_there_but_unreadable_exits_1_and_is_named() {
    for (name, bytes) in [
        ("latin1.json", b"{\"Q2\": \"\xe9\"}".as_slice()),
        ("empty.json", b"".as_slice()),
        ("broken.json", b"{\"Q2\": ".as_slice()),
    ] {
        let path = temp_file(name, bytes);
        let (code, stdout, stderr) = run(&["validate", SURVEY, &path], None);
        assert_eq!(code, 1, "{name}: {stdout}{stderr}");
        assert!(stdout.contains(&format!("{path}: unreadable")), "{stdout}");
    }
    let latin1 = temp_file("latin1-named.json", b"{\"Q2\": \"\xe9\"}");
    let (_, stdout, _) = run(&["validate", SURVEY, &latin1], None);
    assert!(
        stdout.contains("latin1-named.json is not valid UTF-8"),
        "{stdout}"
    );
    let (code, _, _) = run(&["validate", SURVEY, "no/such/answers.json"], None);
    assert_eq!(code, 2);
}

#[test]
fn form_schema_and_messages_match_the_checked_in_files() {
    for (args, file) in [
        (
            vec!["schema", SURVEY, "--form"],
            "schema/mhlw-hospital-cybersecurity-2024.form.schema.json",
        ),
        (
            vec!["schema", SURVEY, "--messages", "en"],
            "schema/mhlw-hospital-cybersecurity-2024.messages.en.json",
        ),
        (
            vec!["schema", SURVEY, "--messages", "ja"],
            "schema/mhlw-hospital-cybersecurity-2024.messages.ja.json",
        ),
    ] {
        let (code, out, err) = run(&args, None);
        assert_eq!(code, 0, "{err}");
        let checked_in = std::fs::read_to_string(common::root().join(file)).unwrap();
        assert_eq!(out, checked_in, "{args:?}");
    }
    let (code, _, err) = run(&["schema", SURVEY, "--messages", "fr"], None);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn prune_drops_answers_to_disabled_questions() {
    let (code, out, err) = run(
        &["prune", SURVEY, "-"],
        Some(r#"{"Q10": false, "Q10-1": true, "Q11": false, "Q12": true, "Q2": true}"#),
    );
    assert_eq!(code, 0, "{err}");
    let pruned: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        pruned,
        serde_json::json!({"Q10": false, "Q11": false, "Q2": true})
    );
    let (code, _, err) = run(&["prune", SURVEY, "-"], Some("{\"Q2\": "));
    assert_eq!(code, 1);
    assert!(err.contains("<stdin>"), "{err}");
}

#[test]
fn prune_keeps_numbers_as_written() {
    // Unknown keys are kept, and so is every number, past 2^63 and in exponent form.
    let (code, out, err) = run(
        &["prune", SURVEY, "-"],
        Some(r#"{"x": -9223372036854775809, "Q10": false, "Q10-1": true, "y": [1e2, 1.50]}"#),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "{\n  \"x\": -9223372036854775809,\n  \"Q10\": false,\n  \"y\": [\n    1e2,\n    1.50\n  ]\n}\n"
    );
}

#[test]
fn warnings_are_shown_and_counted() {
    let survey = "tests/fixtures/beds-rules.yaml";
    let warned = r#"{"opened": "2024-04-01", "renewed": "2024-03-01"}"#;
    let (code, out, _) = run(&["validate", "--locale", "en", survey, "-"], Some(warned));
    assert_eq!(code, 0, "a warning keeps the answer set valid");
    assert!(out.contains("valid, 1 warning"), "{out}");
    assert!(
        out.contains(
            "warning: /renewed: rule_failed: renewed: a renewal is usually after the opening"
        ),
        "{out}"
    );
    let (code, out, _) = run(&["validate", "--format", "json", survey, "-"], Some(warned));
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["valid"], true);
    assert_eq!(value["warnings"][0]["severity"], "warning");
    assert_eq!(value["warnings"][0]["rule"], "renewed-after-opened");
    let batch = format!("{warned}\n{{\"total\": 1, \"wards\": 2}}\n");
    let (code, _, err) = run(
        &["validate", "--jsonl", "--locale", "en", survey, "-"],
        Some(&batch),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "2 answer sets, 1 valid, 1 invalid, 2 warnings; most frequent issues: rule_failed (1)"
        ),
        "{err}"
    );
}

#[test]
fn check_prints_the_analysis_as_warnings() {
    let fixture = "tests/fixtures/analysis/exclusive-choices.yaml";
    insta::assert_snapshot!("check_analysis", transcript(&["check", fixture], None));
    insta::assert_snapshot!(
        "check_analysis_ja",
        transcript(&["check", "--locale", "ja", fixture], None)
    );
    let (code, stdout, _) = run(&["check", "--deny-warnings", fixture], None);
    assert_eq!(code, 1, "{stdout}");
    let (code, stdout, _) = run(&["check", "--deny-warnings", SURVEY], None);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, stderr) = run(&["check", "--no-analysis", fixture], None);
    assert_eq!((code, stderr.contains("warning")), (0, false), "{stderr}");
    assert!(stdout.ends_with("ok (2 questions)\n"), "{stdout}");
}

#[test]
fn examples_are_valid_answer_sets_and_paths_are_counted() {
    for cover in [false, true] {
        let mut args = vec!["examples", SURVEY];
        if cover {
            args.push("--cover");
        }
        let (code, stdout, stderr) = run(&args, None);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.lines().count() >= 1, "{stdout}");
        let (code, verdict, _) = run(&["validate", SURVEY, "-", "--jsonl"], Some(&stdout));
        assert_eq!(code, 0, "{verdict}");
    }
    insta::assert_snapshot!("paths", transcript(&["paths", SURVEY], None));
    let (code, stdout, _) = run(&["paths", SURVEY, "--format", "json"], None);
    assert_eq!(code, 0);
    let paths: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(paths["exact"], true);
    assert_eq!(paths["questions"].as_array().map(Vec::len), Some(25));
}

#[test]
fn fhir_export_then_import_gives_a_survey_that_checks() {
    let questionnaire = temp_file("fhir-export-mhlw-r5.json", b"");
    let (code, _, stderr) = run(
        &[
            "fhir",
            "export",
            SURVEY,
            "--fhir-version",
            "r5",
            "--locale",
            "en",
            "-o",
            &questionnaire,
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&questionnaire).unwrap()).unwrap();
    assert_eq!(exported["resourceType"], "Questionnaire");
    assert_eq!(exported["language"], "en");
    assert_eq!(exported["item"][1]["linkId"], "Q2");
    // Every command that reads a survey reads the Questionnaire.
    let (code, stdout, _) = run(&["check", "--no-analysis", &questionnaire], None);
    assert_eq!(
        (code, stdout.trim_end().ends_with("ok (25 questions)")),
        (0, true),
        "{stdout}"
    );
    let yaml = temp_file("fhir-export-mhlw.yaml", b"");
    let (code, _, stderr) = run(&["fhir", "import", &questionnaire, "-o", &yaml], None);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = run(
        &["validate", &yaml, "schema/examples/mhlw-complete.json"],
        None,
    );
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn fhir_import_refuses_what_it_cannot_carry_with_the_place() {
    let Some(cases) = common::shared("fhir-cases") else {
        return;
    };
    let form = cases.join("imports/q-ew-several-without-enableBehavior.json");
    let (code, _, stderr) = run(&["fhir", "import", &form.to_string_lossy()], None);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Questionnaire.item[2].enableBehavior: que-12: "),
        "{stderr}"
    );
    assert!(stderr.contains("1 problem: not imported"), "{stderr}");
}

/// The MHLW complete example written as a `QuestionnaireResponse` to a temporary file.
fn complete_response(name: &str) -> String {
    let response = temp_file(name, b"");
    let (code, _, stderr) = run(
        &[
            "fhir",
            "response",
            SURVEY,
            "schema/examples/mhlw-complete.json",
            "-o",
            &response,
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    response
}

#[test]
fn fhir_responses_validate_with_paths_into_the_response() {
    if let Some(cases) = common::shared("fhir-cases") {
        let case = cases.join("cases/ew-test-fail");
        let case = case.to_string_lossy();
        let (code, stdout, _) = run(
            &[
                "validate",
                "--locale",
                "en",
                &format!("{case}/questionnaire.json"),
                &format!("{case}/response.json"),
            ],
            None,
        );
        assert_eq!(code, 1, "{stdout}");
        assert!(stdout.contains("QuestionnaireResponse.item["), "{stdout}");
        assert!(stdout.contains("answered_while_disabled"), "{stdout}");
    }
    // Answers to a response and back.
    let response = complete_response("fhir-response-complete.json");
    let (code, stdout, _) = run(&["validate", SURVEY, &response], None);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = run(&["fhir", "answers", SURVEY, &response], None);
    assert_eq!(code, 0);
    let back: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let original: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("schema/examples/mhlw-complete.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(back, original);
}

#[test]
fn fhir_responses_are_read_by_prune_and_in_batches() {
    let response = complete_response("fhir-prune-response.json");
    let (code, stdout, stderr) = run(&["prune", SURVEY, &response], None);
    assert_eq!(code, 0, "{stderr}");
    let pruned: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(pruned["Q2"], true);
    // A batch of two lines: the response, and the same response with an item the survey does
    // not have, which the report places in the response.
    let one_line = serde_json::to_string(
        &serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&response).unwrap())
            .unwrap(),
    )
    .unwrap();
    let mut broken: serde_json::Value = serde_json::from_str(&one_line).unwrap();
    broken["item"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({ "linkId": "Q99", "answer": [{ "valueBoolean": true }] }));
    let batch = format!("{one_line}\n{broken}\n");
    let (code, stdout, _) = run(
        &["validate", "--jsonl", "--format", "json", SURVEY, "-"],
        Some(&batch),
    );
    assert_eq!(code, 1, "{stdout}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["valid"], true, "{stdout}");
    assert_eq!(
        lines[1]["issues"][0]["code"], "unknown_question",
        "{stdout}"
    );
    assert!(
        lines[1]["issues"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("QuestionnaireResponse.item["),
        "{stdout}"
    );
}

#[test]
fn export_writes_a_row_per_answer_set_with_not_asked_and_not_answered() {
    let output = temp_file("export-mhlw.csv", b"");
    let issues = temp_file("export-mhlw-issues.csv", b"");
    let (code, _, stderr) = run(
        &[
            "export",
            SURVEY,
            "schema/examples/mhlw-batch.jsonl",
            "-o",
            &output,
            "--issues",
            &issues,
            "--not-asked",
            "NA",
            "--not-answered",
            "NR",
            "--invalid",
            "keep",
        ],
        None,
    );
    // Every answer set written, flagged; 496 of them invalid: exit 1.
    assert_eq!(code, 1, "{stderr}");
    let mut reader = csv::Reader::from_path(&output).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[..3], ["row_id", "valid", "Q1_name"]);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1_200);
    assert_eq!(
        rows.iter().filter(|r| &r[1] == "1").count(),
        704,
        "the batch's valid answer sets"
    );
    for row in rows.iter().filter(|r| &r[2] != ".w") {
        // (An answer set that is not an object has `.w` in every cell.)
        // Q10-1 is asked exactly when Q10 is answered はい.
        assert_eq!(&row[at("Q10_1")] == "NA", &row[at("Q10")] != "1", "{row:?}");
        // Q12 to Q12-6 only after Q11 = はい.
        if &row[at("Q11")] != "1" {
            assert_eq!(&row[at("Q12_6")], "NA", "{row:?}");
        }
    }
    assert_eq!(&rows[0][0], "schema/examples/mhlw-batch.jsonl:1");
    let issue_rows = csv::Reader::from_path(&issues).unwrap().records().count();
    assert!(
        issue_rows >= 496,
        "every invalid line has an issue ({issue_rows})"
    );
    // --invalid only writes the others.
    let (_, stdout, _) = run(
        &[
            "export",
            SURVEY,
            "schema/examples/mhlw-batch.jsonl",
            "--invalid",
            "only",
        ],
        None,
    );
    assert_eq!(
        csv::Reader::from_reader(stdout.as_bytes())
            .records()
            .count(),
        496
    );
}

#[test]
fn codebook_lists_every_exported_column() {
    let (code, stdout, _) = run(&["codebook", "--to", "csv", "--locale", "en", SURVEY], None);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    let (_, exported, _) = run(
        &["export", SURVEY, "schema/examples/mhlw-complete.json"],
        None,
    );
    let header: Vec<String> = csv::Reader::from_reader(exported.as_bytes())
        .headers()
        .unwrap()
        .iter()
        .skip(2)
        .map(str::to_owned)
        .collect();
    assert_eq!(names, header);
    let (code, markdown, _) = run(&["codebook", SURVEY], None);
    assert_eq!(code, 0);
    assert!(markdown.contains("| Q10_1 | /Q10-1 |"), "{markdown}");
    assert!(markdown.contains("Q10で「はい」と回答した場合"));
}
