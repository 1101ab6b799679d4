//! A renderer that does not cascade `enableWhen` still hides what the survey disables.
//!
//! Such a renderer (smart-forms is one) reads a hidden item's answer as it was left: after
//! Q11 = yes, Q12 = yes, Q11 = no it hides Q12, but Q12-1 to Q12-6, which test Q12, stay
//! shown unless their own conditions say that Q12 is enabled. Here that renderer is written
//! from its description: it evaluates each item's condition, as the exported Questionnaire
//! reads back, on every answer the answer set holds (disabled questions' too), and hides the
//! items of a hidden item. What it keeps must be what `prune` keeps, on the bundled surveys,
//! on generated ones and on the real Questionnaires of the shared folder that import, R4 and
//! R5. The same renderer run on the survey's own conditions disagrees on some answer sets:
//! the test can fail.

use crate::common;
use crate::fhir::answer_sets;

use common::{mhlw, random_survey};
use serde_json::{Map, Value, json};
use survey_schema::Survey;
use survey_schema::definition::{ConditionDef, QuestionDef, QuestionKind, SurveyDefinition};
use survey_schema::fhir::FhirVersion;

/// Where a condition is evaluated: the whole answer set, the repeat instance and the table
/// row it is in.
#[derive(Clone, Copy)]
struct At<'a> {
    root: &'a Map<String, Value>,
    instance: Option<(&'a str, &'a Map<String, Value>)>,
    row: Option<&'a Map<String, Value>>,
}

impl<'a> At<'a> {
    /// The answer a leaf (or the other side of a comparison) names, as the answer set holds it.
    fn answer(&self, leaf: &ConditionDef) -> Option<&'a Value> {
        if let Some(column) = &leaf.column {
            return self.row?.get(column);
        }
        let question = leaf.question.as_deref()?;
        match (&leaf.field, self.instance) {
            (Some(field), Some((repeat, instance))) if repeat == question => instance.get(field),
            (Some(field), _) => self.root.get(question)?.as_object()?.get(field),
            (None, _) => self.root.get(question),
        }
    }

    fn holds(&self, c: &ConditionDef) -> bool {
        if let Some(items) = &c.all {
            return items.iter().all(|c| self.holds(c));
        }
        if let Some(items) = &c.any {
            return items.iter().any(|c| self.holds(c));
        }
        if let Some(inner) = &c.not {
            return !self.holds(inner);
        }
        let answer = self.answer(c);
        if let Some(answered) = c.answered {
            return answer.is_some() == answered;
        }
        if let Some(value) = &c.not_equals {
            return !answer.is_some_and(|a| same(a, value));
        }
        let Some(answer) = answer else {
            return false;
        };
        if let Some(value) = &c.equals {
            return same(answer, value);
        }
        if let Some(values) = &c.in_ {
            return values.iter().any(|v| same(answer, v));
        }
        if let Some(choice) = &c.includes {
            return answer.as_array().is_some_and(|a| a.contains(choice));
        }
        let tests: [(&Option<Value>, Passes); 4] = [
            (&c.greater_than, std::cmp::Ordering::is_gt),
            (&c.greater_or_equal, std::cmp::Ordering::is_ge),
            (&c.less_than, std::cmp::Ordering::is_lt),
            (&c.less_or_equal, std::cmp::Ordering::is_le),
        ];
        for (bound, passes) in tests {
            let Some(bound) = bound else { continue };
            let bound = match bound.as_object() {
                Some(other) => {
                    let other: ConditionDef = serde_json::from_value(Value::Object(other.clone()))
                        .expect("the other answer of a comparison names an item");
                    match self.answer(&other) {
                        Some(v) => v,
                        None => return false,
                    }
                }
                None => bound,
            };
            return order(answer, bound).is_some_and(passes);
        }
        panic!("a leaf without an operator: {c:?}")
    }
}

/// Whether an ordering passes a comparison.
type Passes = fn(std::cmp::Ordering) -> bool;

/// JSON equality, numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => order(a, b) == Some(std::cmp::Ordering::Equal),
        _ => a == b,
    }
}

/// Numbers by value, dates (`NNNN-NN-NN`) as text, a list by its length.
fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    let count = |v: &Value| match v {
        Value::Array(items) => Some(Value::from(items.len())),
        Value::Number(_) => Some(v.clone()),
        _ => None,
    };
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => exact(x, y),
        (Value::String(x), Value::String(y)) if is_date(x) && is_date(y) => Some(x.cmp(y)),
        (Value::Array(_), _) | (_, Value::Array(_)) => order(&count(a)?, &count(b)?),
        _ => None,
    }
}

/// Numbers compared exactly: 2^63 written as a float is not `i64::MAX`.
fn exact(x: &serde_json::Number, y: &serde_json::Number) -> Option<std::cmp::Ordering> {
    let int = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(x), int(y), x.as_f64()?, y.as_f64()?) {
        (Some(a), Some(b), _, _) => Some(a.cmp(&b)),
        (None, None, a, b) => a.partial_cmp(&b),
        (Some(a), None, _, b) => float_vs(b, a).map(std::cmp::Ordering::reverse),
        (None, Some(b), a, _) => float_vs(a, b),
    }
}

/// A float against an integer, exactly: a float past 2^53 is a whole number.
fn float_vs(f: f64, i: i128) -> Option<std::cmp::Ordering> {
    if !f.is_finite() {
        return f.partial_cmp(&0.0);
    }
    let floor = f.floor();
    #[allow(clippy::cast_possible_truncation)]
    let whole = floor as i128;
    Some(match whole.cmp(&i) {
        std::cmp::Ordering::Equal if floor < f => std::cmp::Ordering::Greater,
        other => other,
    })
}

fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// The choice questions' specify boxes: the box's id and whether the answer picks its choice.
fn specify_boxes<'d>(
    def: &'d SurveyDefinition,
    q: &'d QuestionDef,
    answer: Option<&Value>,
) -> Vec<(&'d str, bool)> {
    let choices = q.choices.as_deref().unwrap_or_else(|| {
        q.choice_set
            .as_ref()
            .and_then(|name| def.choice_sets.get(name))
            .map_or(&[], Vec::as_slice)
    });
    choices
        .iter()
        .filter_map(|choice| {
            let specify = choice.specify.as_ref()?;
            let value = json!(choice.value);
            let picked = answer
                .is_some_and(|a| *a == value || a.as_array().is_some_and(|a| a.contains(&value)));
            Some((specify.id.as_str(), picked))
        })
        .collect()
}

/// What the renderer keeps of `here` (the answers at this level, in `kept`): it shows an
/// item when its holder is shown and its condition holds on the answers as they are.
fn keep(
    def: &SurveyDefinition,
    questions: &[QuestionDef],
    kept: &mut Map<String, Value>,
    at: At<'_>,
    shown: bool,
) {
    for q in questions {
        let shown = shown && q.enable_when.as_ref().is_none_or(|c| at.holds(c));
        if q.kind == QuestionKind::Section {
            keep(
                def,
                q.questions.as_deref().unwrap_or_default(),
                kept,
                at,
                shown,
            );
            continue;
        }
        if !shown {
            kept.remove(&q.id);
            for (id, _) in specify_boxes(def, q, None) {
                kept.remove(id);
            }
            continue;
        }
        for (id, picked) in specify_boxes(def, q, kept.get(&q.id)) {
            if !picked {
                kept.remove(id);
            }
        }
        let Some(Value::Object(_) | Value::Array(_)) = kept.get(&q.id) else {
            continue;
        };
        match q.kind {
            QuestionKind::Group => {
                let fields = q.fields.as_deref().unwrap_or_default();
                if let Some(Value::Object(group)) = kept.get_mut(&q.id) {
                    keep(def, fields, group, at, true);
                }
            }
            QuestionKind::Repeat => {
                let fields = q.fields.as_deref().unwrap_or_default();
                let Some(Value::Array(instances)) = kept.get_mut(&q.id) else {
                    continue;
                };
                for instance in instances.iter_mut() {
                    let Value::Object(object) = instance else {
                        continue;
                    };
                    let raw = object.clone();
                    let inside = At {
                        instance: Some((q.id.as_str(), &raw)),
                        ..at
                    };
                    keep(def, fields, object, inside, true);
                }
            }
            QuestionKind::Matrix | QuestionKind::Table => {
                let Some(Value::Object(rows)) = kept.get_mut(&q.id) else {
                    continue;
                };
                for row in q.rows.iter().flatten() {
                    if !row.enable_when.as_ref().is_none_or(|c| at.holds(c)) {
                        rows.remove(&row.id);
                        continue;
                    }
                    if let (QuestionKind::Table, Some(Value::Object(cells))) =
                        (q.kind, rows.get_mut(&row.id))
                    {
                        let raw = cells.clone();
                        let inside = At {
                            row: Some(&raw),
                            ..at
                        };
                        keep(
                            def,
                            q.columns.as_deref().unwrap_or_default(),
                            cells,
                            inside,
                            true,
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// The answer set as the renderer leaves it.
fn rendered(def: &SurveyDefinition, answers: &Value) -> Value {
    let Value::Object(root) = answers else {
        return answers.clone();
    };
    let mut kept = root.clone();
    let at = At {
        root,
        instance: None,
        row: None,
    };
    keep(def, &def.questions, &mut kept, at, true);
    Value::Object(kept)
}

/// The answer sets on which the renderer, given the conditions of `def`, keeps other answers
/// than `prune`.
fn disagreements(
    survey: &Survey,
    def: &SurveyDefinition,
    sets: &[Value],
) -> Vec<(Value, Value, Value)> {
    sets.iter()
        .filter_map(|answers| {
            let (rendered, pruned) = (rendered(def, answers), survey.prune(answers));
            (rendered != pruned).then(|| (answers.clone(), rendered, pruned))
        })
        .collect()
}

fn exported(survey: &Survey, version: FhirVersion) -> SurveyDefinition {
    let questionnaire = survey.fhir_questionnaire(version, None);
    survey_schema::fhir::import(&questionnaire).expect("the export imports")
}

#[test]
fn a_renderer_that_does_not_cascade_keeps_what_prune_keeps() {
    let mut own_disagree = 0;
    let mut checked = 0;
    let mut surveys: Vec<(String, Survey)> = vec![("mhlw".into(), mhlw())];
    surveys.extend((0..300).map(|seed| (format!("seed {seed}"), random_survey(seed).0)));
    for (i, (name, survey)) in surveys.iter().enumerate() {
        let sets = answer_sets(survey, i as u64, 40);
        for version in [FhirVersion::R4, FhirVersion::R5] {
            let def = exported(survey, version);
            if let Some((answers, rendered, pruned)) = disagreements(survey, &def, &sets).pop() {
                panic!(
                    "{name} {version:?}: the renderer keeps\n{rendered}\nprune keeps\n{pruned}\nof\n{answers}\n{:#}",
                    survey.fhir_questionnaire(version, None)
                );
            }
            checked += sets.len();
        }
        own_disagree += disagreements(survey, survey.definition(), &sets).len();
    }
    assert!(checked > 20_000, "only {checked} answer sets");
    assert!(
        own_disagree >= 10,
        "the survey's own conditions, not cascaded, disagree with prune on only {own_disagree} answer sets"
    );
}

/// The real Questionnaires of the shared folder that import, exported again.
#[test]
fn on_imported_forms_a_renderer_that_does_not_cascade_keeps_what_prune_keeps() {
    let Some(forms) = crate::fhir_cases::imported_forms() else {
        return;
    };
    let mut checked = 0;
    for (seed, (name, survey)) in forms.iter().enumerate() {
        let sets = answer_sets(survey, seed as u64, 60);
        for version in [FhirVersion::R4, FhirVersion::R5] {
            let def = exported(survey, version);
            if let Some((answers, rendered, pruned)) = disagreements(survey, &def, &sets).pop() {
                panic!(
                    "{name} {version:?}: the renderer keeps\n{rendered}\nprune keeps\n{pruned}\nof\n{answers}"
                );
            }
            checked += sets.len();
        }
    }
    assert!(checked >= 1000, "only {checked} answer sets");
}

#[test]
fn q11_no_hides_q12_1_to_q12_6_without_cascading() {
    let survey = mhlw();
    let answers = json!({"Q11": false, "Q12": true, "Q12-1": true, "Q12-6": false});
    let def = exported(&survey, FhirVersion::R4);
    assert_eq!(rendered(&def, &answers), json!({"Q11": false}));
    // Written as the survey writes them, Q12-1 and Q12-6 would stay.
    assert_eq!(
        rendered(survey.definition(), &answers),
        json!({"Q11": false, "Q12-1": true, "Q12-6": false})
    );
}
