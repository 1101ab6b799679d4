//! Shared test helpers: a seeded random source, a generator of random surveys, and a
//! generator of answer sets biased so that about half are valid.
//!
//! Everything is a pure function of a `u64` seed, so a failing case is replayed from the
//! seed that the failing test prints.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss,
    reason = "generators work on small numbers"
)]

use serde_json::{Map, Value, json};
use survey_schema::definition::{ChoiceDef, QuestionDef};
use survey_schema::{QuestionKind, Survey, SurveyDefinition, TextFormat};

pub const MHLW_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schema/mhlw-hospital-cybersecurity-2024.yaml"
);

/// The bundled MHLW survey.
pub fn mhlw() -> Survey {
    Survey::from_path(MHLW_PATH).expect("the bundled MHLW survey loads")
}

/// splitmix64: small, fast, and good enough to drive generators.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo) as u64 + 1)) as i64
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Text the generated surveys use, small so that conditions on text sometimes hold.
const WORDS: [&str; 5] = ["a", "b", "ab", "あ", "漢字"];
/// Patterns of generated text questions, each with answers that match and one that does not.
const PATTERNS: [(&str, &[&str], &str); 3] = [
    ("^[0-9]{3}-[0-9]{4}$", &["100-0001", "060-0000"], "1000001"),
    ("^[A-Z][a-z]+$", &["Tokyo", "Osaka"], "tokyo"),
    ("^.{2}$", &["ab", "あい"], "abc"),
];
const EMAILS: [&str; 2] = ["taro@example.jp", "a.b+c@mail.example.com"];
const TELS: [&str; 3] = ["03-6812-7837", "+81 3 6812 7837", "0368127837"];
const URLS: [&str; 2] = ["https://example.jp/a?b=c", "http://localhost:8080"];

/// What a condition may refer to: an earlier question or field and its definition.
#[derive(Clone)]
struct Target {
    question: String,
    field: Option<String>,
    /// A column of the same table row (`{column: id}`), instead of `question`.
    column: Option<String>,
    def: QuestionDef,
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
        ]);
        let mut question = if kind == "matrix" {
            random_matrix(rng, &id, index, &targets)
        } else if kind == "table" {
            random_table(rng, &id, index, &targets)
        } else if kind == "group" {
            let mut fields = Vec::new();
            let mut field_targets: Vec<Target> = Vec::new();
            for f in 0..rng.range(1, 3) {
                let fkind = *rng.pick(&[
                    "boolean",
                    "single_choice",
                    "text",
                    "integer",
                    "date",
                    "multiple_choice",
                ]);
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
    json!({
        "id": "random",
        "version": "1",
        "default_locale": "ja",
        "locales": ["ja", "en"],
        "title": { "ja": "無作為", "en": "random" },
        "choice_sets": choice_sets,
        "questions": questions,
    })
}

/// Closes the innermost open section: its questions go into it, and it joins the level
/// around it.
fn close_section(open: &mut Vec<(Value, Vec<Value>)>, questions: &mut Vec<Value>) {
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
fn matrix_row_def(matrix: &QuestionDef) -> QuestionDef {
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

fn random_rows(rng: &mut Rng, targets: &[Target]) -> Vec<Value> {
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

fn random_matrix(rng: &mut Rng, id: &str, index: usize, targets: &[Target]) -> Value {
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
    matrix
}

fn random_table(rng: &mut Rng, id: &str, index: usize, targets: &[Target]) -> Value {
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
    json!({ "id": id, "type": "table", "title": { "ja": format!("一覧{index}"), "en": format!("table {index}") }, "rows": random_rows(rng, targets), "columns": columns, "required": rng.chance(50) })
}

fn random_leaf_question(rng: &mut Rng, id: &str, kind: &str) -> Value {
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

fn choice_values(def: &QuestionDef) -> Vec<String> {
    match (&def.choices, &def.choice_set) {
        (Some(choices), _) => choices.iter().map(|c| c.value.clone()).collect(),
        (None, Some(_)) => vec!["s0".into(), "s1".into()],
        _ => Vec::new(),
    }
}

fn random_condition(rng: &mut Rng, targets: &[Target], depth: usize) -> Value {
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

fn choices_of<'a>(definition: &'a SurveyDefinition, def: &'a QuestionDef) -> &'a [ChoiceDef] {
    match (&def.choices, &def.choice_set) {
        (Some(choices), _) => choices,
        (None, Some(name)) => &definition.choice_sets[name],
        _ => &[],
    }
}

/// A valid answer to a question (not a group).
fn valid_value(rng: &mut Rng, definition: &SurveyDefinition, def: &QuestionDef) -> Value {
    match def.kind {
        QuestionKind::Boolean => json!(rng.chance(50)),
        QuestionKind::SingleChoice => json!(rng.pick(choices_of(definition, def)).value),
        QuestionKind::MultipleChoice => {
            let choices = choices_of(definition, def);
            let min = def.min_selections.unwrap_or(0) as usize;
            let max = def.max_selections.map_or(choices.len(), |m| m as usize);
            let exclusive: Vec<&ChoiceDef> = choices.iter().filter(|c| c.exclusive).collect();
            let plain: Vec<&ChoiceDef> = choices.iter().filter(|c| !c.exclusive).collect();
            if !exclusive.is_empty() && min <= 1 && rng.chance(25) {
                return json!([rng.pick(&exclusive).value]);
            }
            let upper = max.min(plain.len());
            let lower = min.min(upper);
            let n = rng.range(lower as i64, upper as i64) as usize;
            let mut pool = plain.clone();
            let mut picked = Vec::new();
            for _ in 0..n {
                let i = rng.below(pool.len());
                picked.push(json!(pool.remove(i).value));
            }
            Value::Array(picked)
        }
        _ => valid_scalar(rng, def),
    }
}

/// A valid answer to a text, integer, number or date question (`{}` for other kinds).
fn valid_scalar(rng: &mut Rng, def: &QuestionDef) -> Value {
    match def.kind {
        QuestionKind::Text => {
            if let Some(format) = def.format {
                return json!(match format {
                    TextFormat::Email => *rng.pick(&EMAILS),
                    TextFormat::Tel => *rng.pick(&TELS),
                    _ => *rng.pick(&URLS),
                });
            }
            if let Some(pattern) = &def.pattern
                && let Some((_, good, _)) = PATTERNS.iter().find(|(p, _, _)| p == pattern)
            {
                return json!(rng.pick(good));
            }
            let min = def.min_length.unwrap_or(0) as usize;
            let max = def.max_length.map_or(min + 3, |m| m as usize);
            if rng.chance(30) {
                let n = if rng.chance(50) { min } else { max };
                return json!(letters(rng, n));
            }
            let word = *rng.pick(&WORDS);
            if (min..=max).contains(&word.chars().count()) {
                return json!(word);
            }
            let n = rng.range(min as i64, max as i64) as usize;
            json!(letters(rng, n))
        }
        QuestionKind::Integer => {
            let lo = def
                .minimum
                .as_ref()
                .and_then(serde_json::Number::as_i64)
                .unwrap_or(i64::MIN);
            let hi = def
                .maximum
                .as_ref()
                .and_then(serde_json::Number::as_i64)
                .unwrap_or(i64::MAX);
            match rng.below(6) {
                0 => json!(lo),
                1 => json!(hi),
                _ => json!(rng.range(lo.max(-2), hi.min(12))),
            }
        }
        QuestionKind::Number => {
            let lo = def
                .minimum
                .as_ref()
                .and_then(serde_json::Number::as_f64)
                .unwrap_or(-3.0);
            let hi = def
                .maximum
                .as_ref()
                .and_then(serde_json::Number::as_f64)
                .unwrap_or(8.0);
            if hi > 1e15 && rng.chance(40) {
                return def.maximum.clone().map_or(json!(0), Value::Number);
            }
            let (lo, hi) = (lo.max(-3.0), hi.min(8.0));
            let steps = rng.range(0, 8) as f64 / 8.0;
            json!(lo + (hi - lo) * steps)
        }
        QuestionKind::Date => {
            let lo = def.earliest.clone().unwrap_or_else(|| "2024-01-01".into());
            let hi = def.latest.clone().unwrap_or_else(|| "2024-02-29".into());
            if rng.chance(30) {
                return json!(if rng.chance(50) { lo } else { hi });
            }
            // A day of the year around the bounds (2024 and 2025, days 1 to 28 of each month).
            for _ in 0..200 {
                let year = if lo.as_str() >= "2025" || rng.chance(30) {
                    2025
                } else {
                    2024
                };
                let date = format!("{year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28));
                if date >= lo && date <= hi {
                    return json!(date);
                }
            }
            json!(lo)
        }
        _ => json!({}),
    }
}

/// `n` characters from several scripts and planes.
fn letters(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| *rng.pick(&['x', 'あ', '😀', 'é'])).collect()
}

/// Whether `2024-MM-DD` is a real day (2024 is a leap year).
fn real_day(date: &str) -> bool {
    let month: u32 = date[5..7].parse().unwrap_or(0);
    let day: u32 = date[8..10].parse().unwrap_or(0);
    let days = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day)
}

/// An answer set that is valid for the survey: questions are answered in order, each
/// enabled one (always when required, often when optional), with valid values; inside
/// sections, groups, matrices and tables alike.
pub fn valid_answers(rng: &mut Rng, survey: &Survey) -> Value {
    let mut answers = json!({});
    fill(
        rng,
        survey,
        &survey.definition().questions,
        "",
        &mut answers,
    );
    answers
}

/// Whether the node at `pointer` is enabled for the answers so far.
fn is_enabled(survey: &Survey, answers: &Value, pointer: &str) -> bool {
    survey.enabled(answers).iter().any(|q| q.pointer == pointer)
}

/// Answers `defs`, whose answers go in the object at `at` (a JSON Pointer) of `answers`.
fn fill(rng: &mut Rng, survey: &Survey, defs: &[QuestionDef], at: &str, answers: &mut Value) {
    let definition = survey.definition();
    for def in defs {
        if def.kind == QuestionKind::Section {
            fill(
                rng,
                survey,
                def.questions.as_deref().unwrap_or_default(),
                at,
                answers,
            );
            continue;
        }
        let pointer = format!("{at}/{}", def.id);
        if !is_enabled(survey, answers, &pointer) || !(def.required || rng.chance(70)) {
            continue;
        }
        let set = |answers: &mut Value, value: Value| {
            if let Some(Value::Object(map)) = answers.pointer_mut(at) {
                map.insert(def.id.clone(), value);
            }
        };
        match def.kind {
            QuestionKind::Group => {
                set(answers, json!({}));
                fill(
                    rng,
                    survey,
                    def.fields.as_deref().unwrap_or_default(),
                    &pointer,
                    answers,
                );
            }
            QuestionKind::Matrix => {
                set(answers, json!({}));
                let row_def = matrix_row_def(def);
                for row in def.rows.iter().flatten() {
                    let row_pointer = format!("{pointer}/{}", row.id);
                    if is_enabled(survey, answers, &row_pointer) && (def.required || rng.chance(70))
                    {
                        let value = valid_value(rng, definition, &row_def);
                        if let Some(Value::Object(map)) = answers.pointer_mut(&pointer) {
                            map.insert(row.id.clone(), value);
                        }
                    }
                }
            }
            QuestionKind::Table => {
                set(answers, json!({}));
                for row in def.rows.iter().flatten() {
                    let row_pointer = format!("{pointer}/{}", row.id);
                    if is_enabled(survey, answers, &row_pointer) && (def.required || rng.chance(70))
                    {
                        if let Some(Value::Object(map)) = answers.pointer_mut(&pointer) {
                            map.insert(row.id.clone(), json!({}));
                        }
                        let columns = def.columns.as_deref().unwrap_or_default();
                        fill(rng, survey, columns, &row_pointer, answers);
                    }
                }
            }
            _ => {
                set(answers, valid_value(rng, definition, def));
                if let Some(Value::Object(map)) = answers.pointer_mut(at) {
                    specify(rng, def, map);
                }
            }
        }
    }
}

/// The definition of a top-level question, inside sections too.
fn find_def<'d>(questions: &'d [QuestionDef], id: &str) -> Option<&'d QuestionDef> {
    questions.iter().find_map(|q| {
        if q.kind == QuestionKind::Section {
            find_def(q.questions.as_deref().unwrap_or_default(), id)
        } else {
            (q.id == id).then_some(q)
        }
    })
}

/// Answers the specify boxes that the answer to `question` enabled.
fn specify(rng: &mut Rng, question: &QuestionDef, answers: &mut Map<String, Value>) {
    let Some(choices) = &question.choices else {
        return;
    };
    let answer = answers.get(&question.id).cloned().unwrap_or(Value::Null);
    for choice in choices {
        let Some(spec) = &choice.specify else {
            continue;
        };
        let picked = answer.as_str() == Some(&choice.value)
            || answer
                .as_array()
                .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(&choice.value)));
        if picked && (spec.required || rng.chance(50)) {
            answers.insert(spec.id.clone(), json!(rng.pick(&["x", "その他", ""])));
        }
    }
}

/// Wrong or borderline values for a question, each likely but not certain to be invalid.
fn bad_value(rng: &mut Rng, definition: &SurveyDefinition, def: &QuestionDef) -> Value {
    let generic = [
        json!(null),
        json!("x"),
        json!(1),
        json!(1.5),
        json!([]),
        json!({}),
        json!(true),
        json!(1e40),
        serde_json::from_str::<Value>("-9223372036854775809").unwrap(),
    ];
    if rng.chance(35) {
        return rng.pick(&generic).clone();
    }
    match def.kind {
        QuestionKind::SingleChoice => json!(*rng.pick(&["zzz", "c9", "s7", ""])),
        QuestionKind::MultipleChoice => {
            let values: Vec<String> = choices_of(definition, def)
                .iter()
                .map(|c| c.value.clone())
                .collect();
            let mut items: Vec<Value> = (0..rng.range(0, 4))
                .map(|_| json!(rng.pick(&values)))
                .collect();
            if rng.chance(30) {
                items.push(json!("zzz"));
            }
            if rng.chance(20) {
                items.push(json!(3));
            }
            Value::Array(items)
        }
        QuestionKind::Text => {
            if let Some((_, _, bad)) = def
                .pattern
                .as_ref()
                .and_then(|p| PATTERNS.iter().find(|(q, _, _)| q == p))
            {
                return json!(bad);
            }
            if let (Some(min), Some(max)) = (def.min_length, def.max_length)
                && rng.chance(50)
            {
                let n = if min > 0 && rng.chance(50) {
                    min - 1
                } else {
                    max + 1
                };
                return json!(letters(rng, n as usize));
            }
            json!(*rng.pick(&[
                "",
                "abcdefghij",
                "not an email",
                "03-",
                "ftp://x",
                "あいうえおかきくけこ",
                "a\nb"
            ]))
        }
        QuestionKind::Integer => json!(*rng.pick(&[
            json!(-100),
            json!(100),
            json!(3.0),
            json!(2.5),
            json!(9_223_372_036_854_775_807_u64),
            json!(9_223_372_036_854_775_808_u64),
            json!(i64::MIN),
            json!(-9.3e18),
            // The f64s next to -2^63 and 2^63, and -2^63 itself as a float (what
            // -9223372036854775809 and -9223372036854775808.5 become in a `Value`).
            json!(-9_223_372_036_854_777_856.0),
            json!(-9_223_372_036_854_774_784.0),
            json!(-9_223_372_036_854_775_808.0),
            json!(9_223_372_036_854_774_784.0),
            json!(9_223_372_036_854_775_808.0),
            json!(0)
        ])),
        QuestionKind::Number => json!(*rng.pick(&[
            json!(-100),
            json!(100.5),
            json!(2.5),
            json!(-1.5),
            json!(0),
            json!(9_007_199_254_740_994_u64),
            json!(-9_007_199_254_740_994_i64),
            json!(9_007_199_254_740_993_u64),
        ])),
        QuestionKind::Date if rng.chance(40) => {
            // One day outside a bound.
            let days: Vec<String> = (1..=12)
                .flat_map(|m| (1..=31).map(move |d| format!("2024-{m:02}-{d:02}")))
                .filter(|d| real_day(d))
                .collect();
            let before = def
                .earliest
                .as_ref()
                .and_then(|lo| days.iter().rev().find(|d| *d < lo));
            let after = def
                .latest
                .as_ref()
                .and_then(|hi| days.iter().find(|d| *d > hi));
            json!(before.or(after).map_or("2023-12-31", String::as_str))
        }
        QuestionKind::Date => json!(*rng.pick(&[
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "2023-12-31",
            "2024-03-01",
            "2024-02-29",
            "20240101",
            "0000-02-29"
        ])),
        QuestionKind::Boolean => json!(*rng.pick(&["true", "はい", "0"])),
        _ => json!({ "zz": 1 }),
    }
}

/// An answer set biased so that about half are valid: a valid one, then with even odds one
/// to three mistakes of the kinds respondents make.
pub fn random_answers(rng: &mut Rng, survey: &Survey) -> Value {
    let mut answers = valid_answers(rng, survey);
    if rng.chance(50) {
        return answers;
    }
    let definition = survey.definition();
    let ids: Vec<String> = survey.question_ids().map(str::to_owned).collect();
    for _ in 0..rng.range(1, 3) {
        let Some(map) = answers.as_object_mut() else {
            break;
        };
        let id = rng.pick(&ids).clone();
        let def = find_def(&definition.questions, &id);
        match rng.below(10) {
            // A wrong or borderline value.
            0..=2 => {
                if let Some(def) = def {
                    if def.kind == QuestionKind::Matrix {
                        let mut inner = map.get(&id).cloned().unwrap_or_else(|| json!({}));
                        if let (Some(obj), Some(row)) = (
                            inner.as_object_mut(),
                            def.rows.as_ref().map(|r| rng.pick(r)),
                        ) {
                            let row_def = matrix_row_def(def);
                            obj.insert(row.id.clone(), bad_value(rng, definition, &row_def));
                        }
                        map.insert(id, inner);
                    } else if def.kind == QuestionKind::Table {
                        let mut inner = map.get(&id).cloned().unwrap_or_else(|| json!({}));
                        let row = def.rows.as_ref().map(|r| rng.pick(r).id.clone());
                        let column = def.columns.as_ref().map(|c| rng.pick(c).clone());
                        if let (Some(obj), Some(row), Some(column)) =
                            (inner.as_object_mut(), row, column)
                        {
                            let cells = obj.entry(row).or_insert_with(|| json!({}));
                            if let Some(cells) = cells.as_object_mut() {
                                cells
                                    .insert(column.id.clone(), bad_value(rng, definition, &column));
                            } else {
                                *cells = json!({ column.id.clone(): bad_value(rng, definition, &column) });
                            }
                        }
                        map.insert(id, inner);
                    } else if def.kind == QuestionKind::Group {
                        let mut inner = map.get(&id).cloned().unwrap_or_else(|| json!({}));
                        if let (Some(obj), Some(field)) = (
                            inner.as_object_mut(),
                            def.fields.as_ref().map(|f| rng.pick(f)),
                        ) {
                            obj.insert(field.id.clone(), bad_value(rng, definition, field));
                        }
                        map.insert(id, inner);
                    } else {
                        map.insert(id, bad_value(rng, definition, def));
                    }
                }
            }
            // A missing answer.
            3 => {
                map.remove(&id);
            }
            // A group field removed, or an unknown field added.
            4 => {
                if let Some(Value::Object(inner)) = map.get_mut(&id) {
                    if rng.chance(50) {
                        let keys: Vec<String> = inner.keys().cloned().collect();
                        if !keys.is_empty() {
                            inner.remove(rng.pick(&keys));
                        }
                    } else {
                        inner.insert("zz".into(), json!(1));
                    }
                }
            }
            // An answer to a question that may be disabled, or a changed driving answer.
            5 | 6 => {
                if let Some(def) = def
                    && !matches!(
                        def.kind,
                        QuestionKind::Group | QuestionKind::Matrix | QuestionKind::Table
                    )
                {
                    map.insert(id, valid_value(rng, definition, def));
                }
            }
            // An unknown key.
            7 => {
                map.insert("Q99".into(), json!(true));
            }
            // An exclusive choice combined with another, or a duplicate.
            8 => {
                let choices: Vec<ChoiceDef> = def
                    .map(|d| choices_of(definition, d).to_vec())
                    .unwrap_or_default();
                if let Some(Value::Array(items)) = map.get_mut(&id) {
                    let exclusive = choices.iter().find(|c| c.exclusive);
                    match exclusive {
                        Some(choice) if rng.chance(70) => {
                            if items.is_empty() {
                                items.push(json!(choices[0].value));
                            }
                            let at = rng.below(items.len() + 1);
                            items.insert(at, json!(choice.value));
                        }
                        _ => {
                            if let Some(first) = items.first().cloned() {
                                items.push(first);
                            }
                        }
                    }
                }
            }
            // Not an object at all (rarely).
            _ => {
                if rng.chance(10) {
                    answers = json!([1, 2]);
                    break;
                }
                map.insert(id, json!(null));
            }
        }
    }
    answers
}

/// Kinds the sized surveys cycle through, with the condition a follower puts on each and a
/// valid answer that satisfies it.
const SIZED_KINDS: [(&str, &str, &str); 7] = [
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

/// Fails unless the checked-in file at `relative` (from the crate root) holds exactly
/// `fresh`, saying how to regenerate it; with `UPDATE_GENERATED=1` it rewrites the file first.
pub fn assert_fresh(relative: &str, fresh: &str, regenerate: &str) {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var("UPDATE_GENERATED").is_ok() {
        std::fs::write(&path, fresh).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == fresh,
        "{relative} is stale; regenerate it with\n  {regenerate}\nor run the tests with UPDATE_GENERATED=1"
    );
}
