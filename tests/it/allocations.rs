//! `is_valid` allocates nothing on a valid answer set, and `validate_json` does not allocate
//! the strings of the text: counted by a global allocator (`allocation-counter`, so that this
//! crate keeps `unsafe_code = "forbid"`).

use crate::common;

use serde_json::Value;

fn allocations<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let mut result = None;
    let info = allocation_counter::measure(|| result = Some(f()));
    (result.unwrap(), info.count_total)
}

#[test]
fn is_valid_makes_no_allocation_on_valid_mhlw_answers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/mhlw-hospital-cybersecurity-2024.yaml"
    );
    let survey = survey_schema::Survey::from_path(path).unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/examples/");
    for name in ["mhlw-complete.json", "mhlw-skip-paths.json"] {
        let answers: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}{name}")).unwrap())
                .unwrap();
        // Warm up the e-mail and tel patterns, which are compiled once per process.
        assert!(survey.is_valid(&answers));
        let (valid, count) = allocations(|| survey.is_valid(&answers));
        assert!(valid, "{name}");
        assert_eq!(count, 0, "{name}: is_valid allocated {count} times");
    }
    // The counter does count: a report of issues allocates.
    let (_, count) = allocations(|| survey.validate(&serde_json::json!({})));
    assert!(count > 0);
}

#[test]
fn is_valid_makes_no_allocation_on_valid_checklist_answers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/mhlw-cybersecurity-checklist-2024.yaml"
    );
    let survey = survey_schema::Survey::from_path(path).unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/examples/");
    for name in ["checklist-complete.json", "checklist-no-system.json"] {
        let text = std::fs::read_to_string(format!("{dir}{name}")).unwrap();
        let answers: Value = serde_json::from_str(&text).unwrap();
        assert!(survey.is_valid(&answers));
        let (valid, count) = allocations(|| survey.is_valid(&answers));
        assert!(valid, "{name}");
        assert_eq!(count, 0, "{name}: is_valid allocated {count} times");
        // The text path reads the tables' rows and cells without allocating their strings.
        let options = survey_schema::ValidateOptions::default();
        let (valid, _) = allocations(|| survey.is_valid_json(text.as_bytes(), &options));
        assert!(valid.unwrap(), "{name}");
    }
}

/// Keys and string values of a JSON value.
fn strings(value: &Value) -> u64 {
    match value {
        Value::String(_) => 1,
        Value::Array(items) => items.iter().map(strings).sum(),
        Value::Object(map) => map.iter().map(|(_, v)| 1 + strings(v)).sum(),
        _ => 0,
    }
}

#[test]
fn validate_json_borrows_strings_from_the_text() {
    let survey = survey_schema::Survey::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/mhlw-hospital-cybersecurity-2024.yaml"
    ))
    .unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/examples/mhlw-complete.json"
    ))
    .unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let options = survey_schema::ValidateOptions::default();
    // Warm up the e-mail and tel patterns, which are compiled once per process.
    assert!(survey.is_valid(&value));
    let (report, count) = allocations(|| survey.validate_json(text.as_bytes(), &options).unwrap());
    assert!(report.is_valid(), "{report}");
    // Parsing into a `Value` allocates once per string and more; the borrowed tree only
    // allocates its arrays and objects.
    let (_, value_count) = allocations(|| serde_json::from_str::<Value>(&text).unwrap());
    let strings = strings(&value);
    assert!(
        count < strings && count < value_count,
        "validate_json allocated {count} times for {strings} strings (a Value: {value_count})"
    );
}

#[test]
fn is_valid_makes_no_allocation_on_surveys_up_to_2048_questions_and_fields() {
    for count in [200, 1_000, 1_900] {
        let (yaml, answers) = common::sized_survey(count);
        let survey = survey_schema::Survey::from_yaml(&yaml).unwrap();
        let nodes = survey.questions().count();
        assert!(nodes <= 2048, "{count}: {nodes} nodes");
        let answers: Value = serde_json::from_str(&answers).unwrap();
        assert!(survey.is_valid(&answers));
        let (valid, allocated) = allocations(|| survey.is_valid(&answers));
        assert!(valid);
        assert_eq!(
            allocated, 0,
            "{count} questions: is_valid allocated {allocated} times"
        );
    }
    // Past 2,048 the walk takes its two buffers from the heap.
    let (yaml, answers) = common::sized_survey(2_000);
    let survey = survey_schema::Survey::from_yaml(&yaml).unwrap();
    let answers: Value = serde_json::from_str(&answers).unwrap();
    let (valid, allocated) = allocations(|| survey.is_valid(&answers));
    assert!(valid);
    assert_eq!(allocated, 2);
}

#[test]
fn is_valid_makes_no_allocation_on_valid_repeat_answers() {
    let survey = survey_schema::Survey::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/systems-repeat.yaml"
    ))
    .unwrap();
    let instance = |i: usize| serde_json::json!({ "name": format!("system {i}"), "remote": i.is_multiple_of(2), "vendor": "v", "gateway": true });
    let answers = serde_json::json!({
        "external": true,
        "systems": [instance(0), { "name": "b", "remote": false }, instance(2)],
        "inventory": true,
    });
    assert!(survey.is_valid(&answers), "{}", survey.validate(&answers));
    let (valid, count) = allocations(|| survey.is_valid(&answers));
    assert!(valid);
    assert_eq!(count, 0, "is_valid allocated {count} times");
    let text = answers.to_string();
    let options = survey_schema::ValidateOptions::default();
    let (valid, _) = allocations(|| survey.is_valid_json(text.as_bytes(), &options));
    assert!(valid.unwrap());
}
