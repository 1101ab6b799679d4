//! Arbitrary bytes as the rules of a survey with numbers, choices, a table and a repeat
//! (`survey check` with rules): a survey that loads is analysed within the analysis's bounds,
//! its witnesses and examples checked, without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use survey_schema::{Format, Limits, Survey};

const HEAD: &str = "id: r\nversion: \"1\"\ndefault_locale: en\ntitle: R\nquestions:\n  - {id: a1, type: integer, title: a1, minimum: 0, maximum: 100}\n  - {id: a2, type: integer, title: a2}\n  - {id: a3, type: number, title: a3}\n  - {id: b, type: boolean, title: b}\n  - {id: c, type: single_choice, title: c, choices: [{value: x, label: x}, {value: y, label: y}]}\n  - {id: m, type: multiple_choice, title: m, choices: [{value: x, label: x}, {value: y, label: y}]}\n  - {id: d, type: date, title: d}\n  - id: T\n    type: table\n    title: T\n    rows: [{id: r1, label: r1}, {id: r2, label: r2}]\n    columns:\n      - {id: n, type: integer, title: n}\n      - {id: e, type: date, title: e}\n  - id: R\n    type: repeat\n    title: R\n    fields:\n      - {id: k, type: integer, title: k}\nrules:\n";

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = std::str::from_utf8(data) else {
        return;
    };
    let text = format!("{HEAD}{rules}");
    if let Ok(survey) = Survey::load(&text, Format::Yaml, &Limits::default()) {
        let analysis = survey_schema::analysis::analyze(&survey);
        for witness in &analysis.witnesses {
            let _ = survey.is_valid(witness);
        }
        for answers in survey_schema::analysis::examples(&survey, false) {
            assert!(
                survey.is_valid(&answers),
                "an example is invalid: {answers}"
            );
        }
    }
});
