//! Writes MHLW answer sets with the native verdict, one JSON object a line, for validators
//! outside Rust to compare with (`tests/browser/ajv.test.mjs`): the example files, the
//! scenarios of the validation tests, the example batch, the covering examples of the
//! analysis (`analysis::examples(true)`) and 5,000 generated answer sets.
//!
//! `cargo run --example export_answer_sets > target/answer-sets.jsonl`

#[path = "../it/common/mod.rs"]
mod common;

use std::io::Write;

use serde_json::{Value, json};

fn main() {
    let survey = common::mhlw();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut cases: Vec<(String, Value)> = Vec::new();
    for name in [
        "mhlw-complete.json",
        "mhlw-skip-paths.json",
        "mhlw-invalid.json",
    ] {
        let text = std::fs::read_to_string(format!("{root}/schema/examples/{name}")).unwrap();
        cases.push((name.to_owned(), serde_json::from_str(&text).unwrap()));
    }
    let scenarios: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/tests/fixtures/mhlw-scenarios.json")).unwrap(),
    )
    .unwrap();
    for scenario in scenarios {
        cases.push((
            format!("scenario: {}", scenario["name"].as_str().unwrap()),
            scenario["answers"].clone(),
        ));
    }
    let batch =
        std::fs::read_to_string(format!("{root}/schema/examples/mhlw-batch.jsonl")).unwrap();
    for (line, text) in batch.lines().enumerate() {
        cases.push((
            format!("mhlw-batch.jsonl:{}", line + 1),
            serde_json::from_str(text).unwrap(),
        ));
    }
    for (index, answers) in survey_schema::analysis::examples(&survey, true)
        .into_iter()
        .enumerate()
    {
        cases.push((format!("covering example {index}"), answers));
    }
    let mut rng = common::Rng::new(20_240_201);
    for index in 0..5_000 {
        cases.push((
            format!("generated {index}"),
            common::random_answers(&mut rng, &survey),
        ));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (name, answers) in cases {
        let valid = survey.is_valid(&answers);
        writeln!(
            out,
            "{}",
            json!({ "name": name, "valid": valid, "answers": answers })
        )
        .unwrap();
    }
}
