//! Hostile input for the grown format (tables, repeats, rules, FHIR): each case gets a clear
//! error in the user's own terms or the right result, never a panic, a hang or unbounded
//! memory.

use std::fmt::Write as _;

use survey_schema::{Error, Format, Limits, Survey};

const HEAD: &str = "id: t\nversion: \"1\"\ndefault_locale: en\ntitle: T\n";

/// The problems of a survey that must not pass the checks, as `code path: message` lines.
fn problems(text: &str) -> Vec<String> {
    match Survey::load(text, Format::Yaml, &Limits::default()) {
        Ok(_) => panic!("a hostile survey passed the checks:\n{text}"),
        Err(Error::Check(e)) => e
            .problems
            .iter()
            .map(|p| format!("{} {}: {}", p.code, p.path, p.message))
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn table_with_column_condition(condition: &str) -> String {
    format!(
        "{HEAD}questions:\n  - id: T\n    type: table\n    title: T\n    rows: [{{id: r1, label: r1}}, {{id: r2, label: r2}}]\n    columns:\n      - {{id: a, type: boolean, title: a}}\n      - {{id: b, type: boolean, title: b, enable_when: {condition}}}\n"
    )
}

#[test]
fn a_column_condition_cannot_reach_into_a_row_or_its_own_table() {
    let into_row = problems(&table_with_column_condition(
        "{question: T, field: r1, answered: true}",
    ));
    assert_eq!(into_row.len(), 1, "{into_row:?}");
    assert!(
        into_row[0].starts_with(
            "invalid_condition questions[0].columns[1].enable_when.field: the condition of column `b` tests row `r1` of its own table"
        ),
        "{into_row:?}"
    );
    let other_row = problems(&table_with_column_condition(
        "{question: T, field: r2, equals: true}",
    ));
    assert!(
        other_row[0].starts_with("invalid_condition"),
        "{other_row:?}"
    );
    let own_table = problems(&table_with_column_condition(
        "{question: T, answered: true}",
    ));
    assert_eq!(own_table.len(), 1, "{own_table:?}");
    assert!(
        own_table[0].starts_with("self_reference questions[0].columns[1].enable_when.question"),
        "{own_table:?}"
    );
    let no_row = problems(&table_with_column_condition(
        "{question: T, field: a, answered: true}",
    ));
    assert!(no_row[0].starts_with("unknown_question"), "{no_row:?}");
    // Inside an `all`, too.
    let nested = problems(&table_with_column_condition(
        "{all: [{column: a, equals: true}, {question: T, field: r1, answered: true}]}",
    ));
    assert!(nested[0].starts_with("invalid_condition"), "{nested:?}");
    // What a column may test still loads: an earlier column of its row.
    Survey::from_yaml(&table_with_column_condition("{column: a, equals: true}"))
        .unwrap_or_else(|e| panic!("{e}"));
}

const ANSWERED: &str = "questions:\n  - {id: B, type: boolean, title: B}\n  - {id: G, type: group, title: G, fields: [{id: f, type: boolean, title: f}]}\n  - {id: R, type: repeat, title: R, fields: [{id: x, type: boolean, title: x}]}\n";

/// The `code path` of each problem a response is refused for.
fn response_problems(response: &serde_json::Value) -> Vec<String> {
    let survey = Survey::from_yaml(&format!("{HEAD}{ANSWERED}")).unwrap_or_else(|e| panic!("{e}"));
    match survey.answers_from_response(response) {
        Ok(converted) => panic!("read as {}", converted.answers),
        Err(error) => error
            .iter()
            .map(|p| format!("{} {}", p.code, p.path))
            .collect(),
    }
}

fn response(items: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({"resourceType": "QuestionnaireResponse", "status": "completed", "item": items})
}

#[test]
fn a_malformed_response_is_refused_at_its_path() {
    use serde_json::json;
    let boolean = |b: bool| json!({"linkId": "B", "answer": [{"valueBoolean": b}]});
    assert_eq!(
        response_problems(&response(&json!([boolean(true), boolean(false)]))),
        ["repeated_item QuestionnaireResponse.item[1]"]
    );
    let group = |b: bool| json!({"linkId": "G", "item": [{"linkId": "G.f", "answer": [{"valueBoolean": b}]}]});
    assert_eq!(
        response_problems(&response(&json!([group(true), group(false)]))),
        ["repeated_item QuestionnaireResponse.item[1]"]
    );
    assert_eq!(
        response_problems(&response(
            &json!([{"linkId": "B", "answer": {"valueBoolean": true}}])
        )),
        ["invalid_element QuestionnaireResponse.item[0].answer"]
    );
    assert_eq!(
        response_problems(&response(&json!([{"linkId": "B", "answer": [true]}]))),
        ["invalid_element QuestionnaireResponse.item[0].answer[0]"]
    );
    assert_eq!(
        response_problems(&response(&json!({"linkId": "B"}))),
        ["invalid_element QuestionnaireResponse.item"]
    );
    assert_eq!(
        response_problems(
            &json!({"resourceType": "QuestionnaireResponse", "status": 5, "item": [{"linkId": 5, "answer": "x"}]})
        ),
        [
            "invalid_element QuestionnaireResponse.status",
            "invalid_element QuestionnaireResponse.item[0].linkId"
        ]
    );
    assert_eq!(
        response_problems(&response(&json!([{"answer": [{"valueBoolean": true}]}]))),
        ["missing_link_id QuestionnaireResponse.item[0]"]
    );
    assert_eq!(
        response_problems(&response(
            &json!([{"linkId": "B", "answer": [{"valueBoolean": true, "valueString": "x"}]}])
        )),
        ["invalid_element QuestionnaireResponse.item[0].answer[0]"]
    );
}

#[test]
fn what_a_response_may_hold_still_reads() {
    use serde_json::json;
    let survey = Survey::from_yaml(&format!("{HEAD}{ANSWERED}")).unwrap_or_else(|e| panic!("{e}"));
    // A repeat's instances are several items of one linkId; many answers to one item that
    // does not repeat read as a list, which validation reports as `wrong_type`.
    let instance = |b: bool| json!({"linkId": "R", "item": [{"linkId": "R.x", "answer": [{"valueBoolean": b}]}]});
    let read = survey
        .answers_from_response(&response(&json!([
            instance(true),
            instance(false),
            {"linkId": "B", "answer": [{"valueBoolean": true}, {"valueBoolean": true}]}
        ])))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        read.answers,
        json!({"R": [{"x": true}, {"x": false}], "B": [true, true]})
    );
    let report = survey.validate(&read.answers);
    assert_eq!(report.issues[0].code.as_str(), "wrong_type");
    assert_eq!(
        read.locate(&report.issues[0].path),
        "QuestionnaireResponse.item[2]"
    );
}

/// The `code path` of each problem a Questionnaire is refused for.
fn import_problems(questionnaire: &serde_json::Value) -> Vec<String> {
    match survey_schema::fhir::import(questionnaire) {
        Ok(def) => panic!("imported {} questions", def.questions.len()),
        Err(error) => error
            .iter()
            .map(|p| format!("{} {}", p.code, p.path))
            .collect(),
    }
}

fn questionnaire(items: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({"resourceType": "Questionnaire", "status": "active", "item": items})
}

#[test]
fn a_malformed_questionnaire_is_refused_at_its_path() {
    use serde_json::json;
    let boolean = json!({"linkId": "a", "type": "boolean", "text": "A"});
    assert_eq!(
        import_problems(&json!({"resourceType": "Questionnaire", "item": boolean})),
        ["invalid_element Questionnaire.item"]
    );
    assert_eq!(
        import_problems(&questionnaire(&json!([
            {"linkId": "a", "type": "choice", "text": "A", "answerOption": {"valueCoding": {"code": "x"}}},
            {"linkId": 5, "type": "boolean", "text": "B"},
            {"linkId": "c", "type": 7, "text": ["x"]},
            {"linkId": "d", "type": "boolean", "text": "D", "required": "yes"},
            {"linkId": "e", "type": "group", "text": "E", "item": [boolean, 3]},
        ]))),
        [
            "invalid_element Questionnaire.item[0].answerOption",
            "invalid_element Questionnaire.item[1].linkId",
            "invalid_element Questionnaire.item[2].type",
            "invalid_element Questionnaire.item[2].text",
            "invalid_element Questionnaire.item[3].required",
            "invalid_element Questionnaire.item[4].item[1]",
        ]
    );
}

#[test]
fn duplicate_option_codes_are_refused() {
    use serde_json::json;
    let coded =
        |code: &str, display: &str| json!({"valueCoding": {"code": code, "display": display}});
    assert_eq!(
        import_problems(&questionnaire(
            &json!([{"linkId": "c", "type": "choice", "text": "C",
            "answerOption": [coded("x", "X"), coded("y", "Y"), coded("x", "X again")]}])
        )),
        ["duplicate_option Questionnaire.item[0].answerOption[2]"]
    );
    // The same code in two systems is two options, and so are two displays that make one value.
    let system = |s: &str| json!({"valueCoding": {"system": s, "code": "x"}});
    let shown = |d: &str| json!({"valueCoding": {"display": d}});
    survey_schema::fhir::import(&questionnaire(&json!([
        {"linkId": "c", "type": "choice", "text": "C", "answerOption": [system("urn:a"), system("urn:b")]},
        {"linkId": "d", "type": "choice", "text": "D", "answerOption": [shown("Not at all"), shown("Not-at-all")]}
    ])))
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn items_nested_past_the_format_are_refused_at_import() {
    use serde_json::json;
    let nested = |levels: usize| {
        let mut item = json!({"linkId": "leaf", "type": "boolean", "text": "L"});
        for d in 0..levels {
            item = json!({"linkId": format!("g{d}"), "type": "group", "text": "G", "item": [item]});
        }
        questionnaire(&json!([item]))
    };
    // Eleven groups hold the leaf in the twelfth list of questions: it loads and checks.
    Survey::from_questionnaire(&nested(11)).unwrap_or_else(|e| panic!("{e}"));
    let problems = import_problems(&nested(13));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("too_deep Questionnaire.item[0].item[0]"),
        "{problems:?}"
    );
    let problems = import_problems(&nested(12));
    assert!(problems[0].starts_with("too_deep"), "{problems:?}");
}

#[test]
fn messages_quote_at_most_80_characters_and_no_control_character() {
    // A 4 MB linkId in an enableWhen, a 3 MB extension URL, a key full of ESC.
    let link = "x".repeat(4_000_000);
    let questionnaire = serde_json::json!({
        "resourceType": "Questionnaire", "status": "draft",
        "item": [
            {"linkId": "a", "type": "boolean", "text": "A",
             "extension": [{"url": format!("http://example.org/{}", "u".repeat(3_000_000)),
                            "valueString": "v"}]},
            {"linkId": "b", "type": "boolean", "text": "B",
             "enableWhen": [{"question": link, "operator": "=", "answerBoolean": true}]},
            {"linkId": "c\u{1b}[2J", "type": "boolean", "text": "C"}
        ]
    });
    let refused = survey_schema::fhir::import(&questionnaire).expect_err("refused");
    assert!(refused.len() >= 2, "{refused:?}");
    for problem in &refused {
        let message = problem.to_string();
        assert!(message.len() < 600, "{} bytes", message.len());
        assert!(!message.chars().any(char::is_control), "{message}");
    }
    assert!(
        refused
            .iter()
            .any(|p| p.to_string().contains(&format!("`{}…`", "x".repeat(79)))),
        "{refused:?}"
    );
    // A survey's problems and a syntax error quote as little.
    let ghost = format!(
        "{HEAD}questions:\n  - {{id: q, type: boolean, title: q, enable_when: {{question: \"{}\\e\", equals: true}}}}\n",
        "g".repeat(100_000)
    );
    for line in problems(&ghost) {
        assert!(
            line.len() < 600 && !line.chars().any(char::is_control),
            "{line}"
        );
    }
    let key = format!(
        "{HEAD}questions:\n  - {{id: q, type: boolean, title: q, \"{}\\e\": 1}}\n",
        "k".repeat(100_000)
    );
    let error = Survey::from_yaml(&key)
        .expect_err("an unknown key")
        .to_string();
    assert!(
        error.len() < 1_200 && !error.chars().any(char::is_control),
        "{error}"
    );
}

#[test]
fn the_markdown_codebook_and_the_report_show_markup_and_escape_controls() {
    let survey = Survey::from_yaml(&format!(
        "{HEAD}questions:\n  - {{id: q, type: single_choice, title: \"<img src=x onerror=alert(1)> & \\e[2J\\0\", choices: [{{value: a, label: \"<script>x</script>\"}}]}}\n"
    ))
    .expect("loads");
    let markdown =
        survey_schema::codebook::markdown(&survey, survey_schema::Locale::En, ".a", ".b");
    assert!(
        !markdown.contains("<img") && !markdown.contains("<script"),
        "{markdown}"
    );
    assert!(
        markdown.contains("&lt;img src=x onerror=alert(1)&gt; &amp; \\u{1b}[2J\\0"),
        "{markdown}"
    );
    assert!(markdown.contains("&lt;script&gt;"), "{markdown}");
    let ddi = survey_schema::codebook::ddi(&survey, ".a", ".b");
    assert!(ddi.contains("\\u{1b}[2J\\0"), "{ddi}");
    let mut tally = survey_schema::tabular::Tally::new(&survey);
    let tables = survey_schema::tabular::tables(&survey);
    survey_schema::tabular::row_json(
        &survey,
        &tables,
        br#"{"q": "a"}"#,
        &survey_schema::ValidateOptions::default(),
        |r, row| tally.add(r, &row.cells),
    )
    .expect("a row");
    let page = survey_schema::report::html(&survey, &tally, survey_schema::Locale::En);
    assert!(
        !page
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    );
    assert!(page.contains("\\u{1b}[2J"), "the title is on the page");
    assert!(!page.contains("<img"));
}

/// `n` integer questions `a1..an`, and what `rules` writes after them.
fn integers(n: usize, rules: &str) -> String {
    let mut text = format!("{HEAD}questions:\n");
    for i in 1..=n {
        writeln!(text, "  - {{ id: a{i}, type: integer, title: A{i} }}").unwrap();
    }
    text.push_str(rules);
    text
}

/// The analysis of `text`, with the most bytes it held at once.
fn analysis_with_peak(text: &str) -> (survey_schema::analysis::Analysis, u64) {
    let survey = Survey::from_yaml(text).unwrap();
    let mut analysis = None;
    let info =
        allocation_counter::measure(|| analysis = Some(survey_schema::analysis::analyze(&survey)));
    (analysis.unwrap(), info.bytes_max)
}

/// The hostile cases that made the analysis grow with the square of the rules (a chain of
/// 3,000 comparisons held 656 MB, 6,000 past 2 GB) or of a condition's tests (one rule over
/// 5,000 questions, 1.8 GB): memory stays bounded, and what the bound cut off is said, once
/// for the survey, not once per rule.
#[test]
fn the_analysis_stays_bounded_whatever_the_rules_compare() {
    const MB: u64 = 1 << 20;
    let mut chain = String::from("rules:\n");
    for i in 1..3_000 {
        writeln!(
            chain,
            "  - {{ id: r{i}, assert: {{ question: a{i}, less_or_equal: {{ question: a{} }} }}, message: m }}",
            i + 1
        )
        .unwrap();
    }
    let (analysis, peak) = analysis_with_peak(&integers(3_000, &chain));
    assert!(
        peak < 200 * MB,
        "a chain of 3,000 rules held {} MB",
        peak / MB
    );
    let undecided = analysis
        .findings
        .iter()
        .filter(|f| f.code == survey_schema::analysis::FindingCode::Undecided)
        .count();
    assert!(
        undecided <= 2,
        "{undecided} undecided findings for one bound"
    );

    let pairs: Vec<String> = (1..5_000)
        .map(|i| {
            format!(
                "{{ question: a{i}, less_or_equal: {{ question: a{} }} }}",
                i + 1
            )
        })
        .collect();
    let wide = format!(
        "rules:\n  - {{ id: wide, assert: {{ all: [ {} ] }}, message: m }}\n",
        pairs.join(", ")
    );
    let (analysis, peak) = analysis_with_peak(&integers(5_000, &wide));
    assert!(
        peak < 200 * MB,
        "one rule over 5,000 questions held {} MB",
        peak / MB
    );
    // Whatever it could not decide, it never calls the rule one that cannot fail or hold.
    assert!(
        analysis
            .findings
            .iter()
            .all(|f| matches!(f.code, survey_schema::analysis::FindingCode::Undecided))
    );

    let tests: Vec<String> = (1..5_000)
        .map(|i| format!("{{ question: a{i}, greater_than: {i} }}"))
        .collect();
    let mut last = integers(4_999, "");
    writeln!(
        last,
        "  - {{ id: last, type: integer, title: last, enable_when: {{ all: [ {} ] }} }}",
        tests.join(", ")
    )
    .unwrap();
    let (analysis, peak) = analysis_with_peak(&last);
    assert!(
        peak < 200 * MB,
        "one condition of 4,999 tests held {} MB",
        peak / MB
    );
    let verdict = analysis.questions.last().unwrap();
    assert_eq!(verdict.id, "last");
    // Answers enable it: the analysis may run out of steps before it finds them, and then it
    // says so, but it never calls the question unreachable.
    assert!(
        matches!(
            verdict.reach,
            survey_schema::analysis::Reachability::Reachable { .. }
                | survey_schema::analysis::Reachability::Undecided
        ),
        "{:?}",
        verdict.reach
    );
}
