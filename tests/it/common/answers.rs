//! Answer sets for a survey: valid ones, and ones with the mistakes respondents make.

use serde_json::{Map, Value, json};
use survey_schema::definition::{ChoiceDef, QuestionDef};
use survey_schema::{QuestionKind, Survey, SurveyDefinition, TextFormat};

use super::{EMAILS, PATTERNS, Rng, TELS, URLS, WORDS, choices_of, matrix_row_def};

/// A valid answer to a question (not a group).
pub fn valid_value(rng: &mut Rng, definition: &SurveyDefinition, def: &QuestionDef) -> Value {
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
pub fn valid_scalar(rng: &mut Rng, def: &QuestionDef) -> Value {
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
pub fn letters(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| *rng.pick(&['x', 'あ', '😀', 'é'])).collect()
}

/// Whether `2024-MM-DD` is a real day (2024 is a leap year).
pub fn real_day(date: &str) -> bool {
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
pub fn is_enabled(survey: &Survey, answers: &Value, pointer: &str) -> bool {
    survey.enabled(answers).iter().any(|q| q.pointer == pointer)
}

/// Answers `defs`, whose answers go in the object at `at` (a JSON Pointer) of `answers`.
pub fn fill(rng: &mut Rng, survey: &Survey, defs: &[QuestionDef], at: &str, answers: &mut Value) {
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
            QuestionKind::Repeat => {
                set(answers, json!([]));
                let min = def.min_items.unwrap_or(0);
                let max = def.max_items.unwrap_or(min + 3);
                for instance in 0..rng.range(i64::from(min), i64::from(max)) {
                    if let Some(Value::Array(items)) = answers.pointer_mut(&pointer) {
                        items.push(json!({}));
                    }
                    fill(
                        rng,
                        survey,
                        def.fields.as_deref().unwrap_or_default(),
                        &format!("{pointer}/{instance}"),
                        answers,
                    );
                }
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
pub fn find_def<'d>(questions: &'d [QuestionDef], id: &str) -> Option<&'d QuestionDef> {
    questions.iter().find_map(|q| {
        if q.kind == QuestionKind::Section {
            find_def(q.questions.as_deref().unwrap_or_default(), id)
        } else {
            (q.id == id).then_some(q)
        }
    })
}

/// Answers the specify boxes that the answer to `question` enabled.
pub fn specify(rng: &mut Rng, question: &QuestionDef, answers: &mut Map<String, Value>) {
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
pub fn bad_value(rng: &mut Rng, definition: &SurveyDefinition, def: &QuestionDef) -> Value {
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
                    } else if def.kind == QuestionKind::Repeat {
                        // A wrong value in one instance, an instance that is no object, or
                        // too many instances.
                        let mut items = map.get(&id).cloned().unwrap_or_else(|| json!([]));
                        let fields = def.fields.as_deref().unwrap_or_default();
                        if let Value::Array(list) = &mut items {
                            match rng.below(4) {
                                0 => list.push(json!(1)),
                                1 => list.extend((0..4).map(|_| json!({}))),
                                _ if !list.is_empty() && !fields.is_empty() => {
                                    let at = rng.below(list.len());
                                    let field = rng.pick(fields);
                                    if let Some(obj) = list[at].as_object_mut() {
                                        obj.insert(
                                            field.id.clone(),
                                            bad_value(rng, definition, field),
                                        );
                                    }
                                }
                                _ => list.push(json!({})),
                            }
                        }
                        map.insert(id, items);
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
                let repeat = def.is_some_and(|d| d.kind == QuestionKind::Repeat);
                if let Some(Value::Array(items)) = map.get_mut(&id).filter(|_| repeat) {
                    match items.iter_mut().next().and_then(Value::as_object_mut) {
                        Some(first) if rng.chance(50) => {
                            first.insert("zz".into(), json!(1));
                        }
                        Some(first) => {
                            let keys: Vec<String> = first.keys().cloned().collect();
                            if !keys.is_empty() {
                                first.remove(rng.pick(&keys));
                            }
                        }
                        None => items.clear(),
                    }
                }
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
                        QuestionKind::Group
                            | QuestionKind::Matrix
                            | QuestionKind::Table
                            | QuestionKind::Repeat
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
