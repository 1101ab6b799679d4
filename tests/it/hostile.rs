//! Hostile and broken input: each gets a clear error (or a bounded, correct answer), never a
//! panic, a hang or unbounded memory. Run alone to measure the peak memory of the suite:
//! `/usr/bin/time -v cargo test --release --test it hostile -- --test-threads=1`.

use std::fmt::Write;
use survey_schema::fhir::FhirProblemCode;

use serde_json::{Value, json};
use survey_schema::{Error, Format, Limits, LoadError, Survey, ValidateOptions, parse_answers};

const HEAD: &str = "id: t\nversion: \"1\"\ndefault_locale: en\ntitle: T\n";

fn survey_error(text: &str, format: Format) -> String {
    match Survey::load(text, format, &Limits::default()) {
        Ok(_) => panic!("a hostile survey loaded"),
        Err(Error::Load(e)) => format!("{}: {e}", e.code()),
        Err(Error::Check(e)) => e
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.code, p.message))
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => e.to_string(),
    }
}

fn yaml_answers_error(text: &str) -> String {
    let error =
        parse_answers(text, Format::Yaml, &Limits::default()).expect_err("hostile answers parsed");
    format!("{}: {error}", error.code())
}

fn answers_error(text: &str) -> String {
    let error =
        parse_answers(text, Format::Json, &Limits::default()).expect_err("hostile answers parsed");
    format!("{}: {error}", error.code())
}

fn assert_contains(found: &str, expected: &str) {
    assert!(
        found.contains(expected),
        "expected {expected:?} in:\n{found}"
    );
}

fn small_survey() -> Survey {
    Survey::from_yaml(&format!(
        "{HEAD}questions:\n  - {{id: q, type: boolean, title: Q}}\n  - {{id: n, type: integer, title: N}}\n  - {{id: t, type: text, title: T, pattern: \"^(a+)+$\"}}\n  - {{id: m, type: multiple_choice, title: M, choices: [{{value: x, label: X}}, {{value: y, label: Y}}]}}\n"
    ))
    .unwrap()
}

#[test]
fn billion_laughs() {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        writeln!(yaml, "{name}: &{name} [{refs}]").unwrap();
    }
    assert_contains(
        &survey_error(&format!("{HEAD}questions: []\n{yaml}"), Format::Yaml),
        "syntax: ",
    );
    // Read as plain data, where every alias would be expanded, the bomb is refused.
    assert_contains(&yaml_answers_error(&yaml), "Limits::max_alias");
}

#[test]
fn one_large_anchor_aliased_many_times() {
    let items = vec!["x"; 20_000].join(", ");
    let aliases = vec!["*big"; 20_000].join(", ");
    let yaml = format!("anchor: &big [{items}]\nuses: [{aliases}]\n");
    assert_contains(
        &survey_error(&format!("{HEAD}questions: []\n{yaml}"), Format::Yaml),
        "syntax: ",
    );
    assert_contains(&yaml_answers_error(&yaml), "Limits::max_alias");
}

#[test]
fn deep_block_nesting() {
    let mut yaml = String::new();
    for depth in 0..3_000 {
        yaml.push_str(&" ".repeat(depth));
        yaml.push_str("a:\n");
    }
    let indented = yaml.lines().fold(String::new(), |mut out, line| {
        writeln!(out, "  {line}").unwrap();
        out
    });
    assert_contains(
        &survey_error(
            &format!("{HEAD}questions: []\ndescription:\n{indented}"),
            Format::Yaml,
        ),
        "syntax: 8:",
    );
    assert_contains(
        &yaml_answers_error(&yaml),
        "nesting is deeper than 64 levels (raise Limits::max_depth)",
    );
}

#[test]
fn a_hundred_thousand_brackets() {
    let text = "[".repeat(100_000);
    assert_contains(
        &survey_error(&text, Format::Json),
        "nesting is deeper than the limit of 64 levels",
    );
    assert_contains(&survey_error(&text, Format::Yaml), "Limits::max_depth");
    assert_contains(
        &answers_error(&text),
        "nesting is deeper than the limit of 64 levels",
    );
}

#[test]
fn duplicate_keys() {
    assert_contains(
        &survey_error(&format!("{HEAD}title: U\nquestions: []\n"), Format::Yaml),
        "duplicate",
    );
    assert_contains(
        &answers_error(r#"{"q": true, "q": false}"#),
        "duplicate key `q`",
    );
}

#[test]
fn a_ten_megabyte_string() {
    let big = "あ".repeat(10 * 1024 * 1024 / 3 + 1);
    let survey = format!("{HEAD}questions:\n  - {{id: q, type: text, title: \"{big}\"}}\n");
    assert_contains(&survey_error(&survey, Format::Yaml), "too_large: ");
    assert_contains(
        &survey_error(&survey, Format::Yaml),
        "Limits::max_input_bytes",
    );
    let answers = format!("{{\"t\": \"{big}\"}}");
    assert_contains(&answers_error(&answers), "too_large: ");
}

#[test]
fn an_integer_of_forty_digits() {
    let forty = "1234567890123456789012345678901234567890";
    let survey =
        format!("{HEAD}questions:\n  - {{id: n, type: integer, title: N, maximum: {forty}}}\n");
    assert!(Survey::from_yaml(&survey).is_err());
    let json = format!(
        r#"{{"id": "t", "version": "1", "default_locale": "en", "title": "T", "questions": [{{"id": "n", "type": "integer", "title": "N", "maximum": {forty}}}]}}"#
    );
    assert_contains(&survey_error(&json, Format::Json), "invalid_number");
    // In an answer it is out of range, never rounded into range.
    let report = small_survey().validate(
        &parse_answers(
            &format!(r#"{{"n": {forty}}}"#),
            Format::Json,
            &Limits::default(),
        )
        .unwrap(),
    );
    assert_eq!(report.issues[0].code.as_str(), "out_of_range");
    let report = small_survey().validate(
        &parse_answers(
            &format!(r#"{{"n": -{forty}}}"#),
            Format::Json,
            &Limits::default(),
        )
        .unwrap(),
    );
    assert_eq!(report.issues[0].code.as_str(), "out_of_range");
}

#[test]
fn a_condition_nested_a_thousand_deep() {
    let mut condition = "{question: q, equals: true}".to_owned();
    for _ in 0..1_000 {
        condition = format!("{{not: {condition}}}");
    }
    let yaml = format!(
        "{HEAD}questions:\n  - {{id: q, type: boolean, title: Q}}\n  - {{id: r, type: boolean, title: R, enable_when: {condition}}}\n"
    );
    assert_contains(&survey_error(&yaml, Format::Yaml), "depth");
}

#[test]
fn conditions_nested_just_within_the_depth_limit() {
    // Deep enough to pass the parser's depth limit and reach the checks, which refuse it; on
    // a test thread's small stack, in a debug build, nothing overflows.
    for depth in [40, 55, 59] {
        let mut condition = "{question: q, equals: true}".to_owned();
        for _ in 0..depth {
            condition = format!("{{not: {condition}}}");
        }
        let yaml = format!(
            "{HEAD}questions:\n  - {{id: q, type: boolean, title: Q}}\n  - {{id: r, type: boolean, title: R, enable_when: {condition}}}\n"
        );
        assert_contains(
            &survey_error(&yaml, Format::Yaml),
            "Limits::max_condition_depth",
        );
        let json =
            serde_json::to_string(&parse_answers(&yaml, Format::Yaml, &Limits::default()).unwrap())
                .unwrap();
        assert_contains(
            &survey_error(&json, Format::Json),
            "Limits::max_condition_depth",
        );
    }
}

#[test]
fn catastrophic_backtracking_pattern_is_linear() {
    let survey = small_survey();
    let mut text = "a".repeat(100_000);
    text.push('!');
    let report = survey.validate(&json!({ "t": text }));
    assert_eq!(report.issues[0].code.as_str(), "pattern_mismatch");
    assert!(survey.is_valid(&json!({ "t": "a".repeat(100_000) })));
}

#[test]
fn invalid_utf8() {
    let error = small_survey()
        .validate_json(b"{\"t\": \"\xff\xfe\"}", &ValidateOptions::default())
        .unwrap_err();
    assert!(
        matches!(error, LoadError::InvalidUtf8 { offset: 7, .. }),
        "{error}"
    );
    let path = std::env::temp_dir().join(format!("hostile-utf8-{}.yaml", std::process::id()));
    std::fs::write(&path, b"id: \xc3\x28\n").unwrap();
    let error = Survey::from_path(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(error.code(), "invalid_utf8");
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let with_bom = format!("\u{feff}{HEAD}questions: [{{id: q, type: boolean, title: Q}}]\n");
    assert!(Survey::from_yaml(&with_bom).is_ok());
    assert!(
        small_survey()
            .validate_json(
                "\u{feff}{\"q\": true}".as_bytes(),
                &ValidateOptions::default()
            )
            .unwrap()
            .is_valid()
    );
}

#[test]
fn empty_inputs() {
    assert_eq!(survey_error("", Format::Yaml), "empty: input is empty");
    assert_eq!(
        survey_error("\n\n# nothing\n", Format::Yaml),
        "empty: input is empty"
    );
    assert_eq!(answers_error(""), "empty: input is empty");
}

#[test]
fn a_hundred_thousand_questions() {
    let mut yaml = format!("{HEAD}questions:\n");
    for i in 0..100_000 {
        writeln!(yaml, "- {{id: q{i}, type: boolean, title: Q}}").unwrap();
    }
    let error = survey_error(&yaml, Format::Yaml);
    assert_contains(
        &error,
        "more than 10000 questions (raise Limits::max_questions)",
    );
}

#[test]
fn ten_thousand_choices_and_a_thousand_fields() {
    let choices: Vec<String> = (0..10_000)
        .map(|i| format!("{{value: c{i}, label: C}}"))
        .collect();
    let yaml = format!(
        "{HEAD}questions:\n  - {{id: m, type: multiple_choice, title: M, choices: [{}]}}\n",
        choices.join(", ")
    );
    assert_contains(&survey_error(&yaml, Format::Yaml), "Limits::max_choices");
    let fields: Vec<String> = (0..1_000)
        .map(|i| format!("{{id: f{i}, type: text, title: F}}"))
        .collect();
    let yaml = format!(
        "{HEAD}questions:\n  - {{id: g, type: group, title: G, fields: [{}]}}\n",
        fields.join(", ")
    );
    assert_contains(&survey_error(&yaml, Format::Yaml), "Limits::max_fields");
}

#[test]
fn oversized_patterns() {
    let long = "a".repeat(2_000);
    let yaml =
        format!("{HEAD}questions:\n  - {{id: t, type: text, title: T, pattern: \"{long}\"}}\n");
    assert_contains(
        &survey_error(&yaml, Format::Yaml),
        "Limits::max_pattern_bytes",
    );
    let yaml = format!(
        "{HEAD}questions:\n  - {{id: t, type: text, title: T, pattern: \"(?:[a-z]{{1000}}){{1000}}\"}}\n"
    );
    assert_contains(&survey_error(&yaml, Format::Yaml), "invalid_pattern: ");
}

#[test]
fn a_hundred_thousand_unknown_keys() {
    let mut answers = serde_json::Map::new();
    for i in 0..100_000 {
        answers.insert(format!("k{i}"), json!(i));
    }
    let survey = small_survey();
    let report = survey.validate(&Value::Object(answers.clone()));
    assert_eq!(report.issues.len(), 100);
    assert!(report.truncated);
    assert!(!survey.is_valid(&Value::Object(answers)));
}

#[test]
fn answers_nested_ten_thousand_deep() {
    let text = format!("{{\"q\": {}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert_contains(
        &answers_error(&text),
        "nesting is deeper than the limit of 64 levels",
    );
    let text = format!("{}{{}}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    assert_contains(
        &answers_error(&text),
        "nesting is deeper than the limit of 64 levels",
    );
}

#[test]
fn a_huge_multiple_choice_answer() {
    let items = vec![json!("x"); 100_000];
    let report = small_survey().validate(&json!({ "m": items }));
    assert_eq!(report.issues.len(), 100);
    assert_eq!(report.issues[0].code.as_str(), "duplicate_choice");
}

#[test]
fn several_yaml_documents() {
    let yaml = format!("{HEAD}questions: []\n---\n{HEAD}questions: []\n");
    assert_contains(&survey_error(&yaml, Format::Yaml), "syntax: ");
}

#[test]
fn non_finite_numbers() {
    let yaml = format!("{HEAD}questions:\n  - {{id: n, type: number, title: N, maximum: .inf}}\n");
    assert!(Survey::from_yaml(&yaml).is_err());
    assert_contains(&answers_error(r#"{"n": NaN}"#), "syntax: ");
}

#[test]
fn trailing_garbage_and_control_characters() {
    assert_contains(
        &answers_error(r#"{"q": true} {"q": false}"#),
        "trailing characters",
    );
    let report = small_survey().validate(&json!({ "\u{0}\u{202e}": 1 }));
    assert_eq!(report.issues[0].code.as_str(), "unknown_question");
    assert_eq!(report.issues[0].path, "/\u{0}\u{202e}");
}

#[test]
fn messages_quote_at_most_forty_characters() {
    let key = "k".repeat(1_000_000);
    let report = small_survey().validate(&json!({ key.clone(): 1, "t": "b".repeat(1_000_000) }));
    assert_eq!(report.issues.len(), 2);
    for issue in &report.issues {
        assert!(
            issue.message.chars().count() < 120,
            "{}",
            issue.message.len()
        );
    }
    assert_eq!(
        report.issues[0].path.len(),
        1 + key.len(),
        "the path still names the key in full"
    );
}

#[test]
fn wrong_answer_types_everywhere() {
    let survey = small_survey();
    for answers in [
        json!(null),
        json!(1),
        json!("q"),
        json!([{"q": true}]),
        json!(true),
    ] {
        let report = survey.validate(&answers);
        assert_eq!(report.issues.len(), 1);
        assert_eq!(report.issues[0].code.as_str(), "not_an_object");
    }
}

#[test]
fn four_million_tiny_values() {
    let text = format!("[{}1]", "1,".repeat(4_000_000));
    assert_contains(
        &answers_error(&text),
        "more than 250000 values (raise Limits::max_nodes)",
    );
    assert_contains(
        &yaml_answers_error(&text),
        "more than 250000 values (raise Limits::max_nodes)",
    );
}

/// `validate_json` parses into a tree of its own; it must refuse exactly what `parse_answers`
/// refuses, with the same error, and accept the rest.
#[test]
fn validate_json_refuses_what_parse_answers_refuses() {
    let survey = small_survey();
    let many = (0..40).fold(String::new(), |mut out, i| {
        let _ = write!(out, "\"k{i}\": {i}, ");
        out
    });
    let cases = [
        String::new(),
        "  \n".into(),
        "{".into(),
        "{}}".into(),
        "{} []".into(),
        r#"{"t": 1, "t": 2}"#.into(),
        r#"{"a": {"x": 1, "\u0078": 2}}"#.into(),
        format!("{{{many}\"k7\": 0}}"),
        format!("{{{many}\"k39\": 0}}"),
        format!("{{{many}\"k40\": 0}}"),
        format!("{{\"a\": {}{}}}", "[".repeat(200), "]".repeat(200)),
        format!("{{\"a\": {}{}}}", "[".repeat(60), "]".repeat(60)),
        format!("{{\"a\": [{}0]}}", "0,".repeat(300_000)),
        r#"{"t": NaN}"#.into(),
        r#"{"t": 1e400}"#.into(),
        r#"{"t": -0.0, "u": 18446744073709551616}"#.into(),
        r#"{"t": "\ud800"}"#.into(),
        r#"{"t": "\ud83d\ude00 \" \\ \n"}"#.into(),
        "\u{feff}{\"t\": \"x\"}".into(),
        "[1, 2]".into(),
    ];
    for text in &cases {
        let expected = parse_answers(text, Format::Json, &Limits::default())
            .map(|_| ())
            .map_err(|e| e.to_string());
        let got = survey
            .validate_json(text.as_bytes(), &ValidateOptions::default())
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(got, expected, "{}", &text[..text.len().min(80)]);
    }
}

#[test]
fn a_table_of_ten_thousand_rows_by_two_hundred_columns() {
    let mut rows = String::new();
    for r in 0..10_000 {
        let _ = write!(rows, "{{id: r{r}, label: R}},");
    }
    let mut columns = String::new();
    for c in 0..200 {
        let _ = write!(columns, "{{id: c{c}, type: boolean, title: C}},");
    }
    let text = format!(
        "{HEAD}questions:\n  - {{id: t, type: table, title: T, rows: [{rows}], columns: [{columns}]}}\n"
    );
    let started = std::time::Instant::now();
    let error = survey_error(&text, Format::Yaml);
    assert_contains(&error, "limit_exceeded");
    assert_contains(&error, "raise Limits::max_questions");
    assert!(started.elapsed().as_secs() < 10);
    // Within the question budget, the row limit speaks.
    let mut rows = String::new();
    for r in 0..300 {
        let _ = write!(rows, "{{id: r{r}, label: R}},");
    }
    let text = format!(
        "{HEAD}questions:\n  - {{id: t, type: table, title: T, rows: [{rows}], columns: [{{id: c, type: text, title: C}}]}}\n"
    );
    assert_contains(
        &survey_error(&text, Format::Yaml),
        "300 rows exceed the limit of 200 (raise Limits::max_fields)",
    );
}

#[test]
fn sections_nested_a_thousand_deep() {
    let mut text = String::from(HEAD);
    text.push_str("questions:\n");
    let mut open = String::new();
    for depth in 0..1_000 {
        let _ = write!(
            open,
            "[{{id: s{depth}, type: section, title: S, questions: "
        );
    }
    let _ = writeln!(
        text,
        "  - {{id: root, type: section, title: S, questions: {open}[{{id: q, type: boolean, title: Q}}]{}}}]",
        "}]".repeat(1_000)
    );
    let error = survey_error(&text, Format::Yaml);
    assert_contains(&error, "questions are nested deeper than 12 levels");
    // Eleven sections inside each other load, on a test thread's stack, in a debug build.
    let nested = |depth: usize| {
        let mut text = format!("{HEAD}questions:\n");
        text.push_str("  - ");
        for d in 0..depth {
            let _ = write!(text, "{{id: s{d}, type: section, title: S, questions: [");
        }
        text.push_str("{id: q, type: boolean, title: Q}");
        text.push_str(&"]}".repeat(depth));
        text.push('\n');
        text
    };
    assert!(Survey::from_yaml(&nested(11)).is_ok());
    assert_contains(
        &survey_error(&nested(12), Format::Yaml),
        "nested deeper than 12",
    );
    // JSON too.
    let mut json_text =
        String::from(r#"{"id":"t","version":"1","default_locale":"en","title":"T","questions":"#);
    for depth in 0..1_000 {
        let _ = write!(
            json_text,
            r#"[{{"id":"s{depth}","type":"section","title":"S","questions":"#
        );
    }
    json_text.push_str(r#"[{"id":"q","type":"boolean","title":"Q"}]"#);
    json_text.push_str(&"}]".repeat(1_000));
    json_text.push('}');
    assert_contains(
        &survey_error(&json_text, Format::Json),
        "nesting is deeper than",
    );
}

#[test]
fn a_table_answer_with_a_hundred_thousand_unknown_rows() {
    let survey = Survey::from_yaml(&format!(
        "{HEAD}questions:\n  - {{id: t, type: table, title: T, rows: [{{id: r, label: R}}], columns: [{{id: c, type: boolean, title: C}}]}}\n"
    ))
    .unwrap();
    let mut rows = serde_json::Map::new();
    for r in 0..100_000 {
        rows.insert(format!("x{r}"), json!({ "c": true }));
    }
    let answers = json!({ "t": Value::Object(rows) });
    let report = survey.validate(&answers);
    assert!(report.truncated);
    assert_eq!(report.issues.len(), 100);
    assert_eq!(report.issues[0].code.as_str(), "unknown_field");
}

/// Items nested `depth` deep, each a group holding the next.
fn nested_items(depth: usize, leaf: Value) -> Value {
    let mut item = leaf;
    for level in (0..depth).rev() {
        item =
            serde_json::json!({ "linkId": format!("g{level}"), "type": "group", "item": [item] });
    }
    item
}

#[test]
fn a_questionnaire_nested_300_deep_is_refused_without_recursing() {
    let leaf = serde_json::json!({ "linkId": "x", "type": "string" });
    let questionnaire = serde_json::json!({
        "resourceType": "Questionnaire", "status": "active", "item": [nested_items(300, leaf)]
    });
    let problems = survey_schema::fhir::import(&questionnaire).expect_err("refused");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].code, FhirProblemCode::TooDeep);
    // As JSON text, the reader's depth limit refuses it first.
    let text = serde_json::to_string(&questionnaire).unwrap();
    assert_contains(&survey_error(&text, Format::Json), "nest");
}

#[test]
fn a_response_nested_250_deep_is_refused_without_recursing() {
    let survey = small_survey();
    // Items nested in answers (where a specify box goes) of a question the survey has, 250
    // deep (a thousand JSON levels: dropping a `Value` recurses, so the test cannot go far
    // deeper on a test thread's stack; the reader stops at 20).
    let mut item = serde_json::json!({ "linkId": "q", "answer": [{ "valueBoolean": true }] });
    for _ in 0..250 {
        item = serde_json::json!({ "linkId": "q", "answer": [{ "valueBoolean": true, "item": [item] }] });
    }
    let response = serde_json::json!({
        "resourceType": "QuestionnaireResponse", "status": "completed", "item": [item]
    });
    let problems = survey
        .answers_from_response(&response)
        .expect_err("refused");
    assert_eq!(problems[0].code, FhirProblemCode::TooDeep);
}

#[test]
fn hostile_fhirpath_is_refused_with_where_it_stops() {
    let expression = |text: &str| {
        serde_json::json!({
            "resourceType": "Questionnaire", "status": "active",
            "item": [
                { "linkId": "a", "type": "boolean" },
                { "linkId": "b", "type": "string", "extension": [{
                    "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression",
                    "valueExpression": { "language": "text/fhirpath", "expression": text } }] }
            ]
        })
    };
    let deep = format!("{}true{}", "(".repeat(100_000), ")".repeat(100_000));
    let unclosed = format!(
        "%resource.repeat(item).where(linkId='{}",
        "a".repeat(1_000_000)
    );
    for (text, why) in [
        (deep.as_str(), "nests too deep"),
        (unclosed.as_str(), "closing quote"),
        (
            "%resource.item.where(linkId='a').answer.value = true",
            "outside the FHIRPath",
        ),
        (
            "%resource.repeat(item).where(linkId='zz').answer.exists()",
            "no item with linkId `zz`",
        ),
        (
            "%resource.repeat(item).where(linkId='a').answer.value.where($this = 'x\\u0041').exists()",
            "escape",
        ),
    ] {
        let problems = survey_schema::fhir::import(&expression(text)).expect_err("refused");
        assert_eq!(problems[0].code, FhirProblemCode::Expression);
        assert_contains(&problems[0].message, why);
    }
}
