//! Writes FHIR resources for `tests/fhir/check_resources.py` (fhir.resources) and the
//! LHC-Forms browser test: the bundled surveys as R4 and R5 Questionnaires, the
//! `QuestionnaireResponse`s of their examples, and 40 generated surveys with a response each.
//! A file's name says its release (`-r4`, `-r5`).
//!
//! `cargo run --example export_fhir -- target/fhir`

#[path = "../it/common/mod.rs"]
mod common;

use std::path::Path;

use serde_json::Value;
use survey_schema::Survey;
use survey_schema::fhir::FhirVersion;

fn write(dir: &Path, name: &str, value: &Value) {
    let text = serde_json::to_string_pretty(value).expect("JSON serializes");
    std::fs::write(dir.join(name), text).expect("the output folder is writable");
}

fn export(dir: &Path, name: &str, survey: &Survey, answer_sets: &[(String, Value)]) {
    for (version, suffix) in [(FhirVersion::R4, "r4"), (FhirVersion::R5, "r5")] {
        write(
            dir,
            &format!("{name}-{suffix}.json"),
            &survey.fhir_questionnaire(version, None),
        );
        for (answers_name, answers) in answer_sets {
            if let Ok(response) = survey.fhir_response(answers, false) {
                write(
                    dir,
                    &format!("{name}-{answers_name}-response-{suffix}.json"),
                    &response,
                );
            }
        }
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/fhir".into());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("the output folder can be made");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, file, examples) in [
        (
            "mhlw",
            "mhlw-hospital-cybersecurity-2024.yaml",
            &["mhlw-complete", "mhlw-skip-paths"][..],
        ),
        (
            "checklist",
            "mhlw-cybersecurity-checklist-2024.yaml",
            &["checklist-complete", "checklist-no-system"][..],
        ),
    ] {
        let survey =
            Survey::from_path(root.join("schema").join(file)).expect("a bundled survey loads");
        let sets: Vec<(String, Value)> = examples
            .iter()
            .filter_map(|e| {
                let text =
                    std::fs::read_to_string(root.join(format!("schema/examples/{e}.json"))).ok()?;
                Some(((*e).to_owned(), serde_json::from_str(&text).ok()?))
            })
            .collect();
        export(dir, name, &survey, &sets);
    }
    for seed in 0..40 {
        let (survey, _) = common::random_survey(seed);
        let mut rng = common::Rng::new(seed);
        let answers = common::valid_answers(&mut rng, &survey);
        export(
            dir,
            &format!("generated-{seed}"),
            &survey,
            &[("valid".into(), answers)],
        );
    }
}
