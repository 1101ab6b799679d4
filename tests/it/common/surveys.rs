//! Random survey definitions: every kind, sections, matrices, tables, conditions.

use serde_json::{Map, Value, json};
use survey_schema::definition::{ChoiceDef, QuestionDef};
use survey_schema::{QuestionKind, Survey, SurveyDefinition};

use super::{Rng, valid_scalar};

/// Text the generated surveys use, small so that conditions on text sometimes hold.
pub const WORDS: [&str; 5] = ["a", "b", "ab", "あ", "漢字"];
/// Patterns of generated text questions, each with answers that match and one that does not.
pub const PATTERNS: [(&str, &[&str], &str); 3] = [
    ("^[0-9]{3}-[0-9]{4}$", &["100-0001", "060-0000"], "1000001"),
    ("^[A-Z][a-z]+$", &["Tokyo", "Osaka"], "tokyo"),
    ("^.{2}$", &["ab", "あい"], "abc"),
];
pub const EMAILS: [&str; 2] = ["taro@example.jp", "a.b+c@mail.example.com"];
pub const TELS: [&str; 3] = ["03-6812-7837", "+81 3 6812 7837", "0368127837"];
pub const URLS: [&str; 2] = ["https://example.jp/a?b=c", "http://localhost:8080"];

/// The kinds of a group's and a repeat's generated fields.
pub const FIELD_KINDS: [&str; 6] = [
    "boolean",
    "single_choice",
    "text",
    "integer",
    "date",
    "multiple_choice",
];

/// What a condition may refer to: an earlier question or field and its definition.
#[derive(Clone)]
pub struct Target {
    pub question: String,
    pub field: Option<String>,
    /// A column of the same table row (`{column: id}`), instead of `question`.
    pub column: Option<String>,
    pub def: QuestionDef,
}

/// A random survey definition, as JSON. Every kind, choice sets with exclusive choices,
/// nested `all`/`any`/`not` conditions, chains of dependent questions, groups whose fields
/// have their own conditions, and specify boxes.
pub fn random_survey_json(rng: &mut Rng) -> Value {
    let mut choice_sets = Map::new();
    let shared: Vec<Value> = (0..rng.range(2, 4))
        .map(|i| json!({ "value": format!("s{i}"), "label": { "ja": format!("共有{i}"), "en": format!("shared {i}") } }))
        .collect();
    choice_sets.insert("shared".into(), Value::Array(shared));
    let count = rng.range(3, 12) as usize;
    let mut questions: Vec<Value> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    // Rules checked per instance of a repeat, made with the repeat.
    let mut instance_rules: Vec<Value> = Vec::new();
    // Per instance rule, how many targets came before its repeat: the rest come after it.
    let mut before_repeat: Vec<usize> = Vec::new();
    let mut repeat_ids: Vec<String> = Vec::new();
    // Open sections, outermost first: each with the questions before it at its level.
    let mut open: Vec<(Value, Vec<Value>)> = Vec::new();
    for index in 0..count {
        let id = format!("q{index}");
        let kind = *rng.pick(&[
            "boolean",
            "single_choice",
            "multiple_choice",
            "text",
            "integer",
            "number",
            "date",
            "group",
            "boolean",
            "single_choice",
            "matrix",
            "table",
            "repeat",
        ]);
        let mut question = if kind == "repeat" {
            repeat_ids.push(id.clone());
            let made = random_repeat(rng, &id, index, &targets, &mut instance_rules);
            before_repeat.resize(instance_rules.len(), targets.len());
            made
        } else if kind == "matrix" {
            random_matrix(rng, &id, index, &targets)
        } else if kind == "table" {
            let made = random_table(rng, &id, index, &targets, &mut instance_rules);
            before_repeat.resize(instance_rules.len(), targets.len());
            made
        } else if kind == "group" {
            let mut fields = Vec::new();
            let mut field_targets: Vec<Target> = Vec::new();
            for f in 0..rng.range(1, 3) {
                let fkind = *rng.pick(&FIELD_KINDS);
                let mut field = random_leaf_question(rng, &format!("f{f}"), fkind);
                let mut scope = targets.clone();
                scope.extend(field_targets.iter().cloned());
                if !scope.is_empty() && rng.chance(35) {
                    field["enable_when"] = random_condition(rng, &scope, 0);
                }
                let def: QuestionDef = serde_json::from_value(field.clone()).unwrap();
                if def.kind != QuestionKind::MultipleChoice || def.choices.is_some() {
                    field_targets.push(Target {
                        question: id.clone(),
                        field: Some(def.id.clone()),
                        column: None,
                        def,
                    });
                }
                fields.push(field);
            }
            json!({ "id": id, "type": "group", "title": { "ja": format!("グループ{index}"), "en": format!("group {index}") }, "fields": fields, "required": rng.chance(50) })
        } else {
            random_leaf_question(rng, &id, kind)
        };
        if !targets.is_empty() && rng.chance(45) {
            // Prefer the latest questions, so that chains of dependent questions form.
            let recent = targets.len().saturating_sub(3);
            let scope = if rng.chance(60) {
                targets[recent..].to_vec()
            } else {
                targets.clone()
            };
            question["enable_when"] = random_condition(rng, &scope, 0);
        }
        marks(&mut question, index);
        let def: QuestionDef = serde_json::from_value(question.clone()).unwrap();
        if def.kind != QuestionKind::Group {
            // Specify boxes are questions too.
            for choice in def.choices.iter().flatten() {
                if let Some(specify) = &choice.specify {
                    let text: QuestionDef = serde_json::from_value(
                        json!({ "id": specify.id, "type": "text", "title": "x" }),
                    )
                    .unwrap();
                    targets.push(Target {
                        question: specify.id.clone(),
                        field: None,
                        column: None,
                        def: text,
                    });
                }
            }
        }
        if matches!(def.kind, QuestionKind::Matrix) {
            // Its rows are choice questions of their own.
            for row in def.rows.iter().flatten() {
                targets.push(Target {
                    question: id.clone(),
                    field: Some(row.id.clone()),
                    column: None,
                    def: matrix_row_def(&def),
                });
            }
        }
        if !matches!(def.kind, QuestionKind::Matrix | QuestionKind::Table) {
            targets.push(Target {
                question: id,
                field: None,
                column: None,
                def,
            });
        }
        // Sections open and close around runs of questions, nested two deep at most; a
        // section's condition tests questions before it.
        while !open.is_empty() && rng.chance(25) {
            close_section(&mut open, &mut questions);
        }
        questions.push(question);
        if open.len() < 2 && rng.chance(15) {
            let mut section = json!({ "id": format!("s{index}"), "type": "section", "title": { "ja": format!("節{index}"), "en": format!("section {index}") }, "questions": [] });
            if !targets.is_empty() && rng.chance(60) {
                section["enable_when"] = random_condition(rng, &targets, 0);
            }
            open.push((section, std::mem::take(&mut questions)));
        }
    }
    while !open.is_empty() {
        close_section(&mut open, &mut questions);
    }
    // Rules per instance and per row may test questions after their repeat or table too (in
    // `when` or `assert`).
    for (rule, &before) in instance_rules.iter_mut().zip(&before_repeat) {
        // Questions after the repeat; not a repeat (its own count is no later question, and
        // another repeat's fields are out of reach).
        let own = rule
            .get("for_each_row")
            .or_else(|| rule.get("for_each_instance"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let later: Vec<Target> = targets[before.min(targets.len())..]
            .iter()
            .filter(|t| !repeat_ids.contains(&t.question) && t.question != own)
            .cloned()
            .collect();
        // Within the bound of four different tests of questions outside a repeat.
        if later.is_empty() || outside_leaves(rule, &own) >= 4 || !rng.chance(80) {
            continue;
        }
        let leaf = random_condition(rng, &later, 0);
        if outside_leaves(rule, &own) + outside_leaves(&leaf, &own) > 4 {
            continue;
        }
        if rng.chance(50) {
            rule["assert"] = json!({ "any": [rule["assert"].take(), leaf] });
        } else {
            rule["when"] = match rule.get_mut("when") {
                Some(when) => json!({ "all": [when.take(), leaf] }),
                None => leaf,
            };
        }
    }
    let mut rules = random_rules(rng, &targets);
    rules.extend(instance_rules);
    json!({
        "id": "random",
        "version": "1",
        "default_locale": "ja",
        "locales": ["ja", "en"],
        "title": { "ja": "無作為", "en": "random" },
        "choice_sets": choice_sets,
        "questions": questions,
        "rules": rules,
    })
}

/// The ordering operators.
const ORDERING: [&str; 4] = [
    "greater_than",
    "greater_or_equal",
    "less_than",
    "less_or_equal",
];

/// An ordering operator with a small count: a test of a multiple choice's selections or a
/// repeat's instances.
fn count_test(rng: &mut Rng) -> (&'static str, Value) {
    let op = *rng.pick(&ORDERING);
    (op, json!(rng.range(0, 3)))
}

/// How many leaves of a rule test a question other than `own`.
fn outside_leaves(value: &Value, own: &str) -> usize {
    match value {
        Value::Object(map) => {
            let here = map
                .get("question")
                .and_then(Value::as_str)
                .is_some_and(|q| q != own);
            usize::from(here) + map.values().map(|v| outside_leaves(v, own)).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(|v| outside_leaves(v, own)).sum(),
        _ => 0,
    }
}

/// Up to three edit checks over the survey's questions: conditions that compare answers with
/// constants (which the JSON Schema encodes) and comparisons between two number or two date
/// answers (which only the native validator checks), some of severity `warning`.
pub fn random_rules(rng: &mut Rng, targets: &[Target]) -> Vec<Value> {
    let mut rules = Vec::new();
    if targets.is_empty() {
        return rules;
    }
    for r in 0..rng.range(0, 3) {
        let mut rule = json!({ "id": format!("rule{r}"), "message": { "ja": format!("規則{r}"), "en": format!("rule {r}") } });
        if rng.chance(50) {
            rule["when"] = random_condition(rng, targets, 1);
        }
        rule["assert"] =
            random_rule_assert(rng, targets).unwrap_or_else(|| random_condition(rng, targets, 1));
        if rng.chance(30) {
            rule["severity"] = "warning".into();
        }
        rules.push(rule);
    }
    rules
}

/// Whether a rule of the definition compares two answers (only the native validator checks
/// such a rule).
pub fn compares_answers(rule: &Value) -> bool {
    match rule {
        Value::Object(map) => map.iter().any(|(key, value)| {
            let ordering = matches!(
                key.as_str(),
                "greater_than" | "greater_or_equal" | "less_than" | "less_or_equal"
            );
            (ordering && value.is_object()) || compares_answers(value)
        }),
        Value::Array(items) => items.iter().any(compares_answers),
        _ => false,
    }
}

/// Whether every issue of a report is a failed rule that compares two answers: what the
/// native validator alone reports, beyond the JSON Schema.
pub fn only_server_rules(survey: &Survey, report: &survey_schema::Report) -> bool {
    let definition = serde_json::to_value(survey.definition()).unwrap_or_default();
    let server: Vec<&str> = definition["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|rule| compares_answers(rule))
        .filter_map(|rule| rule["id"].as_str())
        .collect();
    !report.issues.is_empty()
        && report
            .issues
            .iter()
            .all(|issue| issue.rule.as_deref().is_some_and(|id| server.contains(&id)))
}

/// A repeat of one to three fields, whose conditions test earlier fields of the instance
/// and earlier questions outside it; sometimes a rule checked per instance goes to `rules`.
pub fn random_repeat(
    rng: &mut Rng,
    id: &str,
    index: usize,
    targets: &[Target],
    rules: &mut Vec<Value>,
) -> Value {
    let mut fields = Vec::new();
    let mut field_targets: Vec<Target> = Vec::new();
    // Two conditions of at most two leaves each may test questions outside: within the
    // checks' bound of four different outside tests.
    let mut outside_conditions = 0;
    for f in 0..rng.range(1, 3) {
        let kind = *rng.pick(&FIELD_KINDS);
        let mut field = random_leaf_question(rng, &format!("f{f}"), kind);
        if rng.chance(50) {
            let outside = outside_conditions < 2 && !targets.is_empty() && rng.chance(50);
            let mut scope = field_targets.clone();
            if outside {
                outside_conditions += 1;
                scope.extend(targets.iter().rev().take(3).cloned());
            }
            if !scope.is_empty() {
                let depth = usize::from(outside);
                field["enable_when"] = random_condition(rng, &scope, depth);
            }
        }
        let def: QuestionDef = serde_json::from_value(field.clone()).unwrap();
        if def.kind != QuestionKind::MultipleChoice || def.choices.is_some() {
            field_targets.push(Target {
                question: id.to_owned(),
                field: Some(def.id.clone()),
                column: None,
                def,
            });
        }
        fields.push(field);
    }
    let mut repeat = json!({ "id": id, "type": "repeat", "title": { "ja": format!("繰り返し{index}"), "en": format!("repeat {index}") }, "fields": fields, "required": rng.chance(50) });
    if rng.chance(40) {
        repeat["min_items"] = rng.range(0, 2).into();
    }
    if rng.chance(40) {
        repeat["max_items"] = rng.range(2, 4).into();
    }
    if !field_targets.is_empty() && rng.chance(40) {
        // `when` and `assert` of at most two leaves each: within the bound of four outside
        // tests.
        let mut scope = field_targets.clone();
        if !targets.is_empty() && rng.chance(30) {
            scope.extend(targets.iter().rev().take(2).cloned());
        }
        let mut rule = json!({ "id": format!("{id}-rule"), "for_each_instance": id, "message": { "ja": "繰り返しの規則", "en": "instance rule" } });
        if rng.chance(50) {
            rule["when"] = random_condition(rng, &scope, 1);
        }
        rule["assert"] = random_rule_assert(rng, &field_targets)
            .unwrap_or_else(|| random_condition(rng, &field_targets, 1));
        if rng.chance(20) {
            rule["severity"] = "warning".into();
        }
        rules.push(rule);
    }
    repeat
}

/// Sometimes a comparison between two answers of one kind among `targets`.
fn random_rule_assert(rng: &mut Rng, targets: &[Target]) -> Option<Value> {
    let family = |t: &Target| match t.def.kind {
        QuestionKind::Integer | QuestionKind::Number => Some("number"),
        QuestionKind::Date => Some("date"),
        QuestionKind::MultipleChoice => Some("count"),
        _ => None,
    };
    let comparable: Vec<&Target> = targets.iter().filter(|t| family(t).is_some()).collect();
    if comparable.len() < 2 || !rng.chance(40) {
        return None;
    }
    let a = *rng.pick(&comparable);
    let same: Vec<&&Target> = comparable
        .iter()
        .filter(|t| family(t) == family(a))
        .collect();
    let b = **rng.pick(&same);
    let side = |t: &Target| {
        let mut side = json!({ "question": t.question });
        if let Some(field) = &t.field {
            side["field"] = field.clone().into();
        }
        side
    };
    let mut leaf = side(a);
    let op = *rng.pick(&ORDERING);
    leaf[op] = side(b);
    Some(leaf)
}

/// Closes the innermost open section: its questions go into it, and it joins the level
/// around it.
pub fn close_section(open: &mut Vec<(Value, Vec<Value>)>, questions: &mut Vec<Value>) {
    if let Some((mut section, before)) = open.pop() {
        let inside = std::mem::replace(questions, before);
        if inside.is_empty() {
            return;
        }
        section["questions"] = Value::Array(inside);
        questions.push(section);
    }
}

/// The choice question each row of a matrix is.
pub fn matrix_row_def(matrix: &QuestionDef) -> QuestionDef {
    let kind = if matrix.multiple {
        "multiple_choice"
    } else {
        "single_choice"
    };
    let mut row = json!({ "id": "row", "type": kind, "title": "row" });
    if let Some(choices) = &matrix.choices {
        row["choices"] = serde_json::to_value(choices).unwrap();
    }
    if let Some(set) = &matrix.choice_set {
        row["choice_set"] = set.clone().into();
    }
    if matrix.multiple {
        if let Some(min) = matrix.min_selections {
            row["min_selections"] = min.into();
        }
        if let Some(max) = matrix.max_selections {
            row["max_selections"] = max.into();
        }
    }
    serde_json::from_value(row).unwrap()
}

pub fn random_rows(rng: &mut Rng, targets: &[Target]) -> Vec<Value> {
    (0..rng.range(1, 3))
        .map(|r| {
            let mut row = json!({ "id": format!("r{r}"), "label": { "ja": format!("行{r}"), "en": format!("row {r}") } });
            if !targets.is_empty() && rng.chance(25) {
                row["enable_when"] = random_condition(rng, targets, 1);
            }
            row
        })
        .collect()
}

pub fn random_matrix(rng: &mut Rng, id: &str, index: usize, targets: &[Target]) -> Value {
    let multiple = rng.chance(40);
    let mut matrix = json!({ "id": id, "type": "matrix", "title": { "ja": format!("表{index}"), "en": format!("matrix {index}") }, "rows": random_rows(rng, targets), "required": rng.chance(50) });
    if rng.chance(30) {
        matrix["choice_set"] = "shared".into();
    } else {
        let choices: Vec<Value> = (0..rng.range(2, 4))
            .map(|i| json!({ "value": format!("c{i}"), "label": format!("c{i}") }))
            .collect();
        matrix["choices"] = choices.into();
    }
    if multiple {
        matrix["multiple"] = true.into();
        if rng.chance(40) {
            matrix["min_selections"] = 1.into();
        }
    }
    optional_row(&mut matrix, index);
    matrix
}

/// A table; sometimes a rule checked per row of it goes to `rules`, testing its columns and
/// earlier questions.
pub fn random_table(
    rng: &mut Rng,
    id: &str,
    index: usize,
    targets: &[Target],
    rules: &mut Vec<Value>,
) -> Value {
    let mut columns = Vec::new();
    let mut column_targets: Vec<Target> = Vec::new();
    for c in 0..rng.range(1, 3) {
        let kind = *rng.pick(&["boolean", "single_choice", "text", "integer", "date"]);
        let mut column = random_leaf_question(rng, &format!("c{c}"), kind);
        if rng.chance(40) {
            let scope: Vec<Target> = if !column_targets.is_empty() && rng.chance(70) {
                column_targets.clone()
            } else {
                targets.to_vec()
            };
            if !scope.is_empty() {
                column["enable_when"] = random_condition(rng, &scope, 0);
            }
        }
        let def: QuestionDef = serde_json::from_value(column.clone()).unwrap();
        column_targets.push(Target {
            question: String::new(),
            field: None,
            column: Some(def.id.clone()),
            def,
        });
        columns.push(column);
    }
    if rng.chance(40) {
        let mut scope = column_targets.clone();
        if !targets.is_empty() && rng.chance(30) {
            scope.extend(targets.iter().rev().take(2).cloned());
        }
        let mut rule = json!({ "id": format!("{id}-rule"), "for_each_row": id, "message": { "ja": "行の規則", "en": "row rule" } });
        if rng.chance(50) {
            rule["when"] = random_condition(rng, &scope, 1);
        }
        rule["assert"] = random_condition(rng, &column_targets, 1);
        if rng.chance(20) {
            rule["severity"] = "warning".into();
        }
        rules.push(rule);
    }
    let mut table = json!({ "id": id, "type": "table", "title": { "ja": format!("一覧{index}"), "en": format!("table {index}") }, "rows": random_rows(rng, targets), "columns": columns, "required": rng.chance(50) });
    optional_row(&mut table, index);
    table
}

/// Every fourth question carries its printed number and an inferred mark on its title, and
/// a row of a matrix or table its own (chosen without drawing from the generator, so that the
/// surveys stay as they were): the format's notes on sources go through every stage.
fn marks(question: &mut Value, index: usize) {
    if !index.is_multiple_of(4) {
        return;
    }
    question["number"] = format!("({index})").into();
    question["inferred"] =
        json!({ "title": { "ja": format!("推定{index}"), "en": format!("inferred {index}") } });
    if let Some(row) = question.get_mut("rows").and_then(|r| r.get_mut(0)) {
        row["number"] = "(a)".into();
        row["inferred"] = json!({ "label": "the row's wording" });
    }
}

/// A required matrix or table of several rows has its first row `optional` for every third
/// index (chosen without drawing from the generator, so that the surveys stay as they were).
fn optional_row(question: &mut Value, index: usize) {
    let rows = question["rows"].as_array().map_or(0, Vec::len);
    if question["required"] == true && rows >= 2 && index.is_multiple_of(3) {
        question["rows"][0]["optional"] = true.into();
    }
}

pub fn random_leaf_question(rng: &mut Rng, id: &str, kind: &str) -> Value {
    let mut q = json!({ "id": id, "type": kind, "title": { "ja": format!("質問 {id}"), "en": format!("question {id}") }, "required": rng.chance(60) });
    match kind {
        "single_choice" | "multiple_choice" => {
            if rng.chance(25) {
                q["choice_set"] = "shared".into();
            } else {
                let n = rng.range(2, 5);
                let mut choices: Vec<Value> = (0..n)
                    .map(|i| json!({ "value": format!("c{i}"), "label": { "ja": format!("選択{i}"), "en": format!("choice {i}") } }))
                    .collect();
                if kind == "multiple_choice" && rng.chance(60) {
                    choices.push(json!({ "value": "none", "label": "なし", "exclusive": true }));
                }
                if rng.chance(20) {
                    choices[0]["specify"] = json!({ "id": format!("{id}-other"), "required": rng.chance(50), "max_length": 5 });
                }
                q["choices"] = choices.into();
            }
            if kind == "multiple_choice" {
                if rng.chance(40) {
                    q["min_selections"] = rng.range(0, 2).into();
                }
                if rng.chance(30) {
                    q["max_selections"] = rng.range(2, 3).into();
                }
            }
        }
        "text" => match rng.below(5) {
            0 => {
                q["min_length"] = rng.range(0, 2).into();
                q["max_length"] = rng.range(2, 4).into();
            }
            4 => {
                // Long texts, at and past their bounds.
                q["min_length"] = rng.range(50, 200).into();
                q["max_length"] = rng.range(200, 1000).into();
            }
            1 => q["pattern"] = PATTERNS[rng.below(PATTERNS.len())].0.into(),
            2 => q["format"] = (*rng.pick(&["email", "tel", "url"])).into(),
            _ => {}
        },
        "integer" => {
            if rng.chance(15) {
                // The ends of i64, written out.
                q["minimum"] = i64::MIN.into();
                q["maximum"] = i64::MAX.into();
            } else {
                if rng.chance(60) {
                    q["minimum"] = rng.range(-3, 2).into();
                }
                if rng.chance(60) {
                    q["maximum"] = rng.range(3, 10).into();
                }
            }
        }
        "number" => {
            if rng.chance(15) {
                // Integers past 2^53, where an f64 skips some.
                q["minimum"] = json!(-9_007_199_254_740_993_i64);
                q["maximum"] = json!(9_007_199_254_740_993_u64);
            } else {
                if rng.chance(60) {
                    q["minimum"] = json!(-1.5);
                }
                if rng.chance(60) {
                    q["maximum"] = json!(2.5);
                }
            }
        }
        "date" => {
            if rng.chance(50) {
                q["earliest"] = format!("2024-01-{:02}", rng.range(1, 9)).into();
            }
            if rng.chance(50) {
                q["latest"] = format!("2024-02-{:02}", rng.range(10, 29)).into();
            }
        }
        _ => {}
    }
    q
}

pub fn choice_values(def: &QuestionDef) -> Vec<String> {
    match (&def.choices, &def.choice_set) {
        (Some(choices), _) => choices.iter().map(|c| c.value.clone()).collect(),
        (None, Some(_)) => vec!["s0".into(), "s1".into()],
        _ => Vec::new(),
    }
}

pub fn random_condition(rng: &mut Rng, targets: &[Target], depth: usize) -> Value {
    if depth < 2 && rng.chance(30) {
        return match rng.below(3) {
            0 => {
                json!({ "all": (0..rng.range(1, 3)).map(|_| random_condition(rng, targets, depth + 1)).collect::<Vec<_>>() })
            }
            1 => {
                json!({ "any": (0..rng.range(1, 3)).map(|_| random_condition(rng, targets, depth + 1)).collect::<Vec<_>>() })
            }
            _ => json!({ "not": random_condition(rng, targets, depth + 1) }),
        };
    }
    let target = rng.pick(targets).clone();
    let mut leaf = match &target.column {
        Some(column) => json!({ "column": column }),
        None => json!({ "question": target.question }),
    };
    if let Some(field) = &target.field {
        leaf["field"] = field.clone().into();
    }
    let def = &target.def;
    let (operator, value): (&str, Value) = match def.kind {
        QuestionKind::Boolean => (
            *rng.pick(&["equals", "not_equals", "equals", "answered"]),
            json!(rng.chance(50)),
        ),
        QuestionKind::SingleChoice => {
            let values = choice_values(def);
            match rng.below(4) {
                0 => ("in", json!([rng.pick(&values), rng.pick(&values)])),
                1 => ("not_equals", json!(rng.pick(&values))),
                _ => ("equals", json!(rng.pick(&values))),
            }
        }
        // A multiple choice is tested by a choice or by its number of selections.
        QuestionKind::MultipleChoice if rng.chance(25) => count_test(rng),
        QuestionKind::MultipleChoice => ("includes", json!(rng.pick(&choice_values(def)))),
        // The value of equals and not_equals is an answer the question accepts; an
        // ordering operator takes any value of the type.
        QuestionKind::Text => match rng.below(3) {
            0 => ("equals", valid_scalar(rng, def)),
            1 => ("not_equals", valid_scalar(rng, def)),
            _ => ("answered", json!(rng.chance(50))),
        },
        QuestionKind::Integer | QuestionKind::Number => {
            let op = *rng.pick(&[
                "greater_than",
                "greater_or_equal",
                "less_than",
                "less_or_equal",
                "equals",
                "not_equals",
            ]);
            if op.ends_with("equals") {
                (op, valid_scalar(rng, def))
            } else {
                (op, json!(rng.range(0, 6)))
            }
        }
        QuestionKind::Date => {
            let op = *rng.pick(&[
                "greater_than",
                "greater_or_equal",
                "less_than",
                "less_or_equal",
                "equals",
            ]);
            if op == "equals" {
                (op, valid_scalar(rng, def))
            } else {
                (op, json!(format!("2024-01-{:02}", rng.range(10, 31))))
            }
        }
        // A repeat is tested by its number of instances.
        QuestionKind::Repeat if rng.chance(70) => count_test(rng),
        _ => ("answered", json!(rng.chance(50))),
    };
    let operator = if def.kind == QuestionKind::Group {
        "answered"
    } else {
        operator
    };
    let value = if operator == "answered" {
        json!(rng.chance(60))
    } else {
        value
    };
    leaf[operator] = value;
    leaf
}

/// A random checked survey; panics (with the seed) if the generator made a broken one.
pub fn random_survey(seed: u64) -> (Survey, Value) {
    let mut rng = Rng::new(seed);
    let json = random_survey_json(&mut rng);
    let definition: SurveyDefinition = serde_json::from_value(json.clone()).unwrap_or_else(|e| {
        panic!("seed {seed}: generated definition does not parse: {e}\n{json:#}")
    });
    let survey = Survey::from_definition(definition).unwrap_or_else(|e| {
        panic!("seed {seed}: generated survey fails its checks: {e}\n{json:#}")
    });
    (survey, json)
}

pub fn choices_of<'a>(definition: &'a SurveyDefinition, def: &'a QuestionDef) -> &'a [ChoiceDef] {
    match (&def.choices, &def.choice_set) {
        (Some(choices), _) => choices,
        (None, Some(name)) => &definition.choice_sets[name],
        _ => &[],
    }
}
