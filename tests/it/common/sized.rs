//! Surveys of a given size with an answer set that answers every question.

/// Kinds the sized surveys cycle through, with the condition a follower puts on each and a
/// valid answer that satisfies it.
pub const SIZED_KINDS: [(&str, &str, &str); 7] = [
    ("type: boolean", "equals: true", "true"),
    (
        "type: single_choice, choices: [{value: c0, label: A}, {value: c1, label: B}, {value: c2, label: C}]",
        "in: [c0, c1]",
        "\"c0\"",
    ),
    (
        "type: multiple_choice, min_selections: 1, choices: [{value: c0, label: A}, {value: c1, label: B}, {value: none, label: N, exclusive: true}]",
        "includes: c0",
        "[\"c0\", \"c1\"]",
    ),
    (
        "type: text, max_length: 40",
        "answered: true",
        "\"回答テキスト\"",
    ),
    (
        "type: integer, minimum: 0, maximum: 100",
        "greater_or_equal: 3",
        "42",
    ),
    ("type: number, maximum: 1000", "less_than: 100", "2.5"),
    (
        "type: date, earliest: \"2024-01-01\"",
        "greater_or_equal: \"2024-02-01\"",
        "\"2024-02-10\"",
    ),
];

/// A survey of `count` questions mixing every kind (a group of three fields every 50
/// questions), where every fifth question depends on the one before it; and a valid answer set
/// that answers every question. Both as JSON text.
pub fn sized_survey(count: usize) -> (String, String) {
    let mut questions = Vec::with_capacity(count);
    let mut answers = Vec::with_capacity(count);
    for i in 0..count {
        let id = format!("q{i}");
        if i % 50 == 49 {
            questions.push(format!(
                "{{id: {id}, type: group, title: G{i}, required: true, fields: [{{id: a, type: text, title: A, required: true}}, {{id: b, type: integer, title: B}}, {{id: c, type: boolean, title: C, enable_when: {{question: {id}, field: b, greater_than: 1}}}}]}}"
            ));
            answers.push(format!(
                "\"{id}\": {{\"a\": \"x\", \"b\": 2, \"c\": false}}"
            ));
            continue;
        }
        let (kind, _, answer) = SIZED_KINDS[i % SIZED_KINDS.len()];
        let condition = if i % 5 == 4 && (i - 1) % 50 != 49 {
            let (_, test, _) = SIZED_KINDS[(i - 1) % SIZED_KINDS.len()];
            format!(", enable_when: {{question: q{}, {test}}}", i - 1)
        } else {
            String::new()
        };
        questions.push(format!(
            "{{id: {id}, title: \"質問 {i}\", required: true, {kind}{condition}}}"
        ));
        answers.push(format!("\"{id}\": {answer}"));
    }
    let mut yaml = String::from(
        "id: sized\nversion: \"1\"\ndefault_locale: ja\ntitle: 生成された調査\nquestions:\n",
    );
    for question in &questions {
        yaml.push_str("  - ");
        yaml.push_str(question);
        yaml.push('\n');
    }
    (yaml, format!("{{{}}}", answers.join(", ")))
}
