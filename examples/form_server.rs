//! A form server's submit handler: a form built on the `--form` schema posts its data; the
//! handler checks it in lenient mode (an answer to a question the respondent's answers hid is
//! ignored, as the form may still hold it), stores the pruned answers (those answers
//! dropped), and answers 422 with the native issues otherwise. No web framework: the handler
//! is a function from a request body to a status and a JSON body, to put behind any of them.
//!
//! ```sh
//! cargo run --example form_server
//! ```

use serde_json::{Value, json};
use survey_schema::{Locale, Survey, ValidateOptions};

/// What the server answers.
struct Response {
    status: u16,
    body: Value,
}

/// The submit handler.
fn submit(survey: &Survey, body: &[u8]) -> Response {
    let options = ValidateOptions {
        lenient: true,
        locale: Some(Locale::En),
        ..ValidateOptions::default()
    };
    let report = match survey.validate_json(body, &options) {
        Ok(report) => report,
        // Not JSON, too large, too deep: the error says where and why.
        Err(error) => {
            return Response {
                status: 400,
                body: json!({ "error": error.to_string() }),
            };
        }
    };
    if !report.is_valid() {
        let issues: Vec<Value> = report
            .issues
            .iter()
            .map(|i| json!({ "code": i.code.as_str(), "path": i.path, "message": i.message }))
            .collect();
        return Response {
            status: 422,
            body: json!({ "issues": issues }),
        };
    }
    // Valid: store what the skip logic asked for and nothing else.
    let answers: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let stored = survey.prune(&answers);
    debug_assert!(
        survey.is_valid(&stored),
        "pruned answers pass the strict validator"
    );
    Response {
        status: 201,
        body: json!({ "stored": stored }),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let survey = Survey::from_yaml(
        r#"
id: pets
version: "1"
default_locale: en
title: Pets at home
questions:
  - { id: has_pet, type: boolean, title: Do you have a pet?, required: true }
  - id: kind
    type: single_choice
    title: What kind?
    required: true
    enable_when: { question: has_pet, equals: true }
    choices: [ { value: cat, label: Cat }, { value: dog, label: Dog } ]
"#,
    )?;
    for (body, expected) in [
        // A complete answer.
        (r#"{"has_pet": true, "kind": "cat"}"#, 201),
        // The respondent picked a kind, then answered no: the form still holds `kind`.
        (r#"{"has_pet": false, "kind": "dog"}"#, 201),
        // A required answer missing.
        (r#"{"has_pet": true}"#, 422),
        // Not JSON.
        (r#"{"has_pet": tru"#, 400),
    ] {
        let response = submit(&survey, body.as_bytes());
        println!("{body}\n  -> {} {}", response.status, response.body);
        assert_eq!(response.status, expected, "{body}");
    }
    Ok(())
}
