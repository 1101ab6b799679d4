//! The codebook of the analysis table: per column its name, question text, type, value labels,
//! the codes of "not asked" and "not answered", the universe (who is asked: the enable
//! conditions in words) and the references the question cites.

mod ddi;
mod sheet;

pub use ddi::ddi;
pub use sheet::{csv, markdown};

use serde_json::Value;

use crate::condition::{Bound, Condition, Leaf, Test};
use crate::definition::{CitationDef, QuestionDef};
use crate::messages::{Locale, TestWords, Word};
use crate::node::AnswerSpec;
use crate::survey::Survey;
use crate::tabular::{Column, ColumnKind};

/// One variable (column) of the codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Variable {
    /// The column's name ([`tabular::columns`](crate::tabular::columns)).
    pub name: String,
    /// JSON Pointer of the answer it reads.
    pub pointer: String,
    /// The question (for a group field, matrix row or table cell: the question's title, then
    /// the field's, row's or column's), and for a choice column the choice's label.
    pub label: String,
    /// The question as it is asked: the label without the choice, then the question's help
    /// text, if any, on a line of its own.
    pub question: String,
    /// What the column holds.
    pub kind: ColumnKind,
    /// Codes and their labels: a single choice's values, 1/0 of a boolean (its labels) or of a
    /// choice column.
    pub values: Vec<(String, String)>,
    /// Who is asked, as the enable conditions (of the question, its group, row and sections)
    /// in words; `None` when everyone is.
    pub universe: Option<String>,
    /// The references the question cites, as `TITLE SECTION`.
    pub references: Vec<String>,
    /// The item's number as its source prints it (of the question, or of the row or group
    /// the column is in).
    pub number: Option<String>,
    /// What the survey file marks as inferred for this column, as `KEY: REASON` (the
    /// question's own keys, its choice's, then those of the row or group it is in, as
    /// `ID.KEY: REASON`).
    pub inferred: Vec<String>,
}

/// The codebook of [`tabular::columns`](crate::tabular::columns), texts in `locale`.
#[must_use]
pub fn variables(survey: &Survey, locale: Locale) -> Vec<Variable> {
    variables_for(survey, crate::tabular::columns(survey), locale)
}

/// The variables of some columns (the main table's or a repeat's), texts in `locale`.
pub(super) fn variables_for(
    survey: &Survey,
    columns: Vec<Column>,
    locale: Locale,
) -> Vec<Variable> {
    let lang = locale.tag();
    columns
        .into_iter()
        .map(|column| {
            let node = &survey.nodes[column.node];
            let mut label = node.about().numbered(survey.text(&node.title, lang));
            let mut number = node.about().number.clone();
            let mut inferred = survey.inferred_text(&node.about().inferred, lang);
            let mut parent = node.parent;
            while let Some(p) = parent {
                let above = &survey.nodes[p];
                label = format!(
                    "{} / {label}",
                    above.about().numbered(survey.text(&above.title, lang))
                );
                if number.is_none() {
                    number.clone_from(&above.about().number);
                }
                for (key, reason) in &above.about().inferred {
                    inferred.push(format!("{}.{key}: {}", above.id, survey.text(reason, lang)));
                }
                parent = above.parent;
            }
            let choices = match &node.spec {
                AnswerSpec::SingleChoice { choices }
                | AnswerSpec::MultipleChoice { choices, .. } => choices.as_slice(),
                _ => &[],
            };
            let words = locale.words();
            let (yes, no) = match &node.spec {
                AnswerSpec::Boolean {
                    labels: Some((t, f)),
                } => (
                    survey.text(t, lang).to_owned(),
                    survey.text(f, lang).to_owned(),
                ),
                _ => (
                    words.word(Word::Yes).to_owned(),
                    words.word(Word::No).to_owned(),
                ),
            };
            let values = match column.kind {
                ColumnKind::Boolean => vec![("1".into(), yes), ("0".into(), no)],
                ColumnKind::Choice => choices
                    .iter()
                    .map(|c| (c.value.clone(), survey.text(&c.label, lang).to_owned()))
                    .collect(),
                ColumnKind::Selected => vec![
                    ("1".into(), words.word(Word::Selected).into()),
                    ("0".into(), words.word(Word::NotSelected).into()),
                ],
                _ => Vec::new(),
            };
            let mut question = label.clone();
            if let Some(help) = &node.help {
                question.push('\n');
                question.push_str(survey.text(help, lang));
            }
            if let Some(choice) = &column.choice
                && let Some(c) = choices.iter().find(|c| &c.value == choice)
            {
                label = format!("{label}: {}", survey.text(&c.label, lang));
                for (key, reason) in &c.inferred {
                    inferred.push(format!("{}.{key}: {}", c.value, survey.text(reason, lang)));
                }
            }
            Variable {
                name: column.name,
                pointer: column.pointer,
                label,
                question,
                kind: column.kind,
                values,
                universe: universe(survey, column.node, locale),
                references: citations(survey, column.node, lang),
                number,
                inferred,
            }
        })
        .collect()
}

/// The conditions that enable a node (its own, its group's, its row's), in words.
fn universe(survey: &Survey, index: usize, locale: Locale) -> Option<String> {
    let mut parts = Vec::new();
    let mut at = Some(index);
    while let Some(i) = at {
        if let Some(condition) = &survey.nodes[i].condition {
            parts.push(in_words(survey, condition, locale));
        }
        at = survey.nodes[i].parent;
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some(parts.join(locale.words().joiner(true)))
}

fn citations(survey: &Survey, index: usize, lang: &str) -> Vec<String> {
    let def = &survey.definition;
    // The node's definition path (`questions[3]`, `questions[0].fields[2]`) names the
    // question whose citations these are.
    citations_at(&def.questions, &survey.nodes[index].path)
        .iter()
        .map(|c| {
            let title = def
                .references
                .get(&c.reference)
                .map_or(c.reference.as_str(), |r| survey.text(&r.title, lang));
            match &c.section {
                Some(section) => format!("{title} {}", survey.text(section, lang)),
                None => title.to_owned(),
            }
        })
        .collect()
}

fn in_words(survey: &Survey, condition: &Condition, locale: Locale) -> String {
    let list = |items: &[Condition], joiner: &str| {
        let words: Vec<String> = items
            .iter()
            .map(|c| match c {
                Condition::Leaf(_) | Condition::Not(_) => in_words(survey, c, locale),
                _ => format!("({})", in_words(survey, c, locale)),
            })
            .collect();
        words.join(joiner)
    };
    let words = locale.words();
    match condition {
        Condition::All(items) => list(items, words.joiner(true)),
        Condition::Any(items) => list(items, words.joiner(false)),
        Condition::Not(inner) => words.not(&in_words(survey, inner, locale)),
        Condition::Leaf(leaf) => leaf_words(survey, leaf, locale),
    }
}

fn leaf_words(survey: &Survey, leaf: &Leaf, locale: Locale) -> String {
    let node = &survey.nodes[leaf.node];
    let name = node.pointer.trim_start_matches('/');
    let lang = locale.tag();
    let words = locale.words();
    let label = |value: &Value| -> String {
        match (&node.spec, value) {
            (
                AnswerSpec::Boolean {
                    labels: Some((t, f)),
                },
                Value::Bool(b),
            ) => survey.text(if *b { t } else { f }, lang).to_owned(),
            (AnswerSpec::Boolean { .. }, Value::Bool(b)) => {
                words.word(if *b { Word::Yes } else { Word::No }).into()
            }
            (
                AnswerSpec::SingleChoice { choices } | AnswerSpec::MultipleChoice { choices, .. },
                Value::String(v),
            ) => choices
                .iter()
                .find(|c| &c.value == v)
                .map_or_else(|| v.clone(), |c| survey.text(&c.label, lang).to_owned()),
            (_, Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        }
    };
    let other = |node: usize| survey.nodes[node].pointer.trim_start_matches('/');
    let (one, many, bound);
    let test = match &leaf.test {
        Test::Equals(v) => {
            one = label(v);
            TestWords::Equals(&one)
        }
        Test::NotEquals(v) => {
            one = label(v);
            TestWords::NotEquals(&one)
        }
        Test::In(values) => {
            many = values.iter().map(label).collect::<Vec<_>>();
            TestWords::In(&many)
        }
        Test::Includes(c) => {
            one = label(&Value::String(c.clone()));
            TestWords::Includes(&one)
        }
        Test::Compare(c, b) => {
            bound = match b {
                Bound::Number(n) => n.to_string(),
                Bound::Date(d) => d.clone(),
            };
            TestWords::Compare(*c, &bound)
        }
        Test::Count(c, n) => TestWords::Count(*c, *n),
        Test::CompareAnswers(c, node) => TestWords::CompareAnswers(*c, other(*node)),
        Test::Answered(answered) => TestWords::Answered(*answered),
    };
    words.test(name, &test)
}

/// The citations of the question or row a definition path names (`questions[3]`,
/// `questions[0].fields[2]`, `questions[4].rows[1]`); none for a specify box.
fn citations_at<'d>(questions: &'d [QuestionDef], path: &str) -> &'d [CitationDef] {
    let mut current: Option<&QuestionDef> = None;
    for segment in path.split('.') {
        let Some((name, index)) = segment
            .strip_suffix(']')
            .and_then(|s| s.split_once('['))
            .and_then(|(name, i)| Some((name, i.parse::<usize>().ok()?)))
        else {
            return &[];
        };
        let list = match (name, current) {
            ("questions", None) => questions,
            ("questions", Some(q)) => q.questions.as_deref().unwrap_or_default(),
            ("fields", Some(q)) => q.fields.as_deref().unwrap_or_default(),
            ("columns", Some(q)) => q.columns.as_deref().unwrap_or_default(),
            ("rows", Some(q)) => {
                let rows = q.rows.as_deref().unwrap_or_default();
                return rows.get(index).map_or(&[], |r| r.references.as_slice());
            }
            _ => return &[],
        };
        current = list.get(index);
        if current.is_none() {
            return &[];
        }
    }
    current.map_or(&[], |q| q.references.as_slice())
}
