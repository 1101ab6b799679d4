//! Loading survey text: syntax errors with locations, wrong types, unknown fields, duplicate
//! keys, encodings, formats by extension, and no panic on any mutation of a real file.

use crate::common;

use common::Rng;
use survey_schema::{Error, Format, Limits, LoadError, Survey};

fn load_error(text: &str, format: Format) -> LoadError {
    match Survey::load(text, format, &Limits::default()) {
        Err(Error::Load(error)) => error,
        Err(other) => panic!("expected a load error, got {other}"),
        Ok(_) => panic!("expected a load error, got a survey"),
    }
}

const MINIMAL: &str = "id: t\nversion: \"1\"\ndefault_locale: ja\ntitle: T\nquestions:\n  - {id: a, type: boolean, title: A}\n";

#[test]
fn minimal_yaml_and_json_load() {
    assert!(Survey::from_yaml(MINIMAL).is_ok());
    let json = r#"{"id": "t", "version": "1", "default_locale": "ja", "title": "T", "questions": [{"id": "a", "type": "boolean", "title": "A"}]}"#;
    assert!(Survey::from_json(json).is_ok());
    // JSON is YAML too.
    assert!(Survey::from_yaml(json).is_ok());
}

#[test]
fn broken_yaml_says_where() {
    let error = load_error("id: t\nquestions: [\n  {id: a\n", Format::Yaml);
    assert_eq!(error.code(), "syntax");
    assert!(error.location().is_some(), "{error}");
}

#[test]
fn wrong_types_and_unknown_fields_say_which_and_where() {
    let error = load_error(
        &MINIMAL.replace("type: boolean", "type: yes_no"),
        Format::Yaml,
    );
    let text = error.to_string();
    assert!(text.contains("yes_no") && text.starts_with("6:"), "{text}");
    let error = load_error(&format!("{MINIMAL}colour: red\n"), Format::Yaml);
    assert!(
        error.to_string().contains("unknown field `colour`"),
        "{error}"
    );
    let error = load_error(
        &MINIMAL.replace("title: A}", "title: A, required: maybe}"),
        Format::Yaml,
    );
    assert!(
        error.to_string().starts_with("6:") && error.to_string().contains("boolean"),
        "{error}"
    );
    let error = load_error(
        &MINIMAL.replace(
            "questions:\n  - {id: a, type: boolean, title: A}\n",
            "questions: 3\n",
        ),
        Format::Yaml,
    );
    assert_eq!(error.code(), "syntax");
    let error = load_error(
        r#"{"id": "t", "version": "1", "default_locale": "ja", "title": "T", "questions": [{"id": 1}]}"#,
        Format::Json,
    );
    assert_eq!(error.location().map(|l| l.line), Some(1), "{error}");
}

#[test]
fn yaml_1_1_booleans_stay_strings() {
    // A choice labelled `Y` or `no` is text, not a boolean.
    let yaml = MINIMAL.replace("{id: a, type: boolean, title: A}", "{id: a, type: single_choice, title: no, choices: [{value: y, label: Y}, {value: n, label: off}]}");
    let survey = Survey::from_yaml(&yaml).unwrap();
    assert_eq!(survey.definition().questions[0].title.get("ja", "ja"), "no");
}

#[test]
fn duplicate_keys_are_errors_in_both_formats() {
    let error = load_error("id: t\nid: u\n", Format::Yaml);
    assert!(
        error.to_string().to_lowercase().contains("duplicate"),
        "{error}"
    );
    let error = load_error(r#"{"id": "t", "id": "u"}"#, Format::Json);
    assert!(error.to_string().contains("duplicate key `id`"), "{error}");
    let error = load_error(
        r#"{"id": "t", "version": "1", "default_locale": "ja", "title": {"ja": "A", "ja": "B"}, "questions": []}"#,
        Format::Json,
    );
    assert!(error.to_string().contains("duplicate"), "{error}");
}

#[test]
fn empty_and_comment_only_inputs_are_empty() {
    for text in ["", "   \n", "# only a comment\n---\n"] {
        assert_eq!(load_error(text, Format::Yaml).code(), "empty", "{text:?}");
    }
    assert_eq!(load_error("", Format::Json).code(), "empty");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    assert!(Survey::from_yaml(&format!("\u{feff}{MINIMAL}")).is_ok());
}

#[test]
fn files_are_read_by_extension() {
    let dir = std::env::temp_dir().join(format!("survey-schema-loading-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = dir.join("s.yml");
    std::fs::write(&yaml, MINIMAL).unwrap();
    assert!(Survey::from_path(&yaml).is_ok());
    let txt = dir.join("s.txt");
    std::fs::write(&txt, MINIMAL).unwrap();
    assert!(matches!(
        Survey::from_path(&txt),
        Err(Error::Load(LoadError::UnknownFormat { .. }))
    ));
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, b"id: \xff\xfe\n").unwrap();
    let error = Survey::from_path(&bad).unwrap_err();
    assert_eq!(error.code(), "invalid_utf8", "{error}");
    let missing = Survey::from_path(dir.join("missing.yaml")).unwrap_err();
    assert_eq!(missing.code(), "io");
    assert!(missing.to_string().contains("missing.yaml"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn limits_are_named_in_their_errors() {
    let limits = Limits {
        max_input_bytes: 100,
        ..Limits::default()
    };
    let error = Survey::load(&MINIMAL.repeat(3), Format::Yaml, &limits).unwrap_err();
    assert!(
        error.to_string().contains("Limits::max_input_bytes"),
        "{error}"
    );
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(load_error(&deep, Format::Json).code(), "syntax");
    assert_eq!(load_error(&deep, Format::Yaml).code(), "syntax");
}

#[test]
fn no_mutation_of_a_real_survey_panics() {
    let original = std::fs::read_to_string(common::mhlw_path()).unwrap();
    let bytes = original.as_bytes();
    let mut rng = Rng::new(7);
    let snippets: [&[u8]; 8] = [b"{", b"]", b": ", b"\n  - ", b"&a ", b"*a", b"\"", b"\t"];
    for round in 0..300 {
        let mut mutated = bytes.to_vec();
        for _ in 0..rng.range(1, 4) {
            let at = rng.below(mutated.len());
            match rng.below(3) {
                0 => {
                    let end = (at + rng.below(40)).min(mutated.len());
                    mutated.drain(at..end);
                }
                1 => {
                    let snippet = rng.pick(&snippets);
                    mutated.splice(at..at, snippet.iter().copied());
                }
                _ => mutated.truncate(at),
            }
        }
        // Cut at a character boundary: invalid UTF-8 is a different test.
        let text = String::from_utf8_lossy(&mutated);
        let result = std::panic::catch_unwind(|| {
            let _ = Survey::from_yaml(&text);
            let _ = Survey::from_json(&text);
        });
        assert!(result.is_ok(), "round {round} panicked");
    }
}
