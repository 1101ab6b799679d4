//! `is_valid` allocates nothing on a valid answer set: counted by a global allocator
//! (`allocation-counter`, so that this crate keeps `unsafe_code = "forbid"`).

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
