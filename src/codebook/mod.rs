//! The codebook of the analysis table: per column its name, question text, type, value labels,
//! the codes of "not asked" and "not answered", the universe (who is asked: the enable
//! conditions in words) and the references the question cites.

mod ddi;
mod sheet;

pub use sheet::{csv, markdown};

use serde_json::Value;

use crate::condition::{Bound, Comparison, Condition, Leaf, Test};
use crate::definition::{CitationDef, QuestionDef};
use crate::messages::Locale;
use crate::node::AnswerSpec;
use crate::survey::Survey;
use crate::tabular::{Column, ColumnKind};

/// One variable (column) of the codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Variable {
    /// The column's name ([`Survey::columns`]).
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
}

impl Survey {
    /// The codebook of [`Survey::columns`], texts in `locale`.
    #[must_use]
    pub fn codebook(&self, locale: Locale) -> Vec<Variable> {
        self.variables(self.columns(), locale)
    }

    /// The variables of some columns (the main table's or a repeat's), texts in `locale`.
    fn variables(&self, columns: Vec<Column>, locale: Locale) -> Vec<Variable> {
        let lang = locale.tag();
        columns
            .into_iter()
            .map(|column| {
                let node = &self.nodes[column.node];
                let mut label = self.text(&node.title, lang).to_owned();
                let mut parent = node.parent;
                while let Some(p) = parent {
                    label = format!("{} / {label}", self.text(&self.nodes[p].title, lang));
                    parent = self.nodes[p].parent;
                }
                let choices = match &node.spec {
                    AnswerSpec::SingleChoice { choices }
                    | AnswerSpec::MultipleChoice { choices, .. } => choices.as_slice(),
                    _ => &[],
                };
                let (yes, no) = match (&node.spec, locale) {
                    (
                        AnswerSpec::Boolean {
                            labels: Some((t, f)),
                        },
                        _,
                    ) => (self.text(t, lang).to_owned(), self.text(f, lang).to_owned()),
                    (_, Locale::Ja) => ("はい".to_owned(), "いいえ".to_owned()),
                    (_, Locale::En) => ("yes".to_owned(), "no".to_owned()),
                };
                let values = match column.kind {
                    ColumnKind::Boolean => vec![("1".into(), yes), ("0".into(), no)],
                    ColumnKind::Choice => choices
                        .iter()
                        .map(|c| (c.value.clone(), self.text(&c.label, lang).to_owned()))
                        .collect(),
                    ColumnKind::Selected => {
                        let (picked, not) = match locale {
                            Locale::Ja => ("選択", "非選択"),
                            Locale::En => ("selected", "not selected"),
                        };
                        vec![("1".into(), picked.into()), ("0".into(), not.into())]
                    }
                    _ => Vec::new(),
                };
                let mut question = label.clone();
                if let Some(help) = &node.help {
                    question.push('\n');
                    question.push_str(self.text(help, lang));
                }
                if let Some(choice) = &column.choice
                    && let Some(c) = choices.iter().find(|c| &c.value == choice)
                {
                    label = format!("{label}: {}", self.text(&c.label, lang));
                }
                Variable {
                    name: column.name,
                    pointer: column.pointer,
                    label,
                    question,
                    kind: column.kind,
                    values,
                    universe: self.universe(column.node, locale),
                    references: self.citations(column.node, lang),
                }
            })
            .collect()
    }

    /// The conditions that enable a node (its own, its group's, its row's), in words.
    fn universe(&self, index: usize, locale: Locale) -> Option<String> {
        let mut parts = Vec::new();
        let mut at = Some(index);
        while let Some(i) = at {
            if let Some(condition) = &self.nodes[i].condition {
                parts.push(self.words(condition, locale));
            }
            at = self.nodes[i].parent;
        }
        if parts.is_empty() {
            return None;
        }
        parts.reverse();
        Some(parts.join(and(locale)))
    }

    fn citations(&self, index: usize, lang: &str) -> Vec<String> {
        let def = &self.definition;
        // The node's definition path (`questions[3]`, `questions[0].fields[2]`) names the
        // question whose citations these are.
        citations_at(&def.questions, &self.nodes[index].path)
            .iter()
            .map(|c| {
                let title = def
                    .references
                    .get(&c.reference)
                    .map_or(c.reference.as_str(), |r| self.text(&r.title, lang));
                match &c.section {
                    Some(section) => format!("{title} {}", self.text(section, lang)),
                    None => title.to_owned(),
                }
            })
            .collect()
    }

    fn words(&self, condition: &Condition, locale: Locale) -> String {
        let list = |items: &[Condition], joiner: &str| {
            let words: Vec<String> = items
                .iter()
                .map(|c| match c {
                    Condition::Leaf(_) | Condition::Not(_) => self.words(c, locale),
                    _ => format!("({})", self.words(c, locale)),
                })
                .collect();
            words.join(joiner)
        };
        match (condition, locale) {
            (Condition::All(items), _) => list(items, and(locale)),
            (Condition::Any(items), Locale::Ja) => list(items, " または "),
            (Condition::Any(items), Locale::En) => list(items, " or "),
            (Condition::Not(inner), Locale::Ja) => {
                format!("次に当たらない場合（{}）", self.words(inner, locale))
            }
            (Condition::Not(inner), Locale::En) => format!("not ({})", self.words(inner, locale)),
            (Condition::Leaf(leaf), _) => self.leaf_words(leaf, locale),
        }
    }

    fn leaf_words(&self, leaf: &Leaf, locale: Locale) -> String {
        let node = &self.nodes[leaf.node];
        let name = node.pointer.trim_start_matches('/').to_owned();
        let lang = locale.tag();
        let label = |value: &Value| -> String {
            match (&node.spec, value) {
                (
                    AnswerSpec::Boolean {
                        labels: Some((t, f)),
                    },
                    Value::Bool(b),
                ) => self.text(if *b { t } else { f }, lang).to_owned(),
                (AnswerSpec::Boolean { .. }, Value::Bool(b)) => match (locale, b) {
                    (Locale::Ja, true) => "はい".into(),
                    (Locale::Ja, false) => "いいえ".into(),
                    (Locale::En, true) => "yes".into(),
                    (Locale::En, false) => "no".into(),
                },
                (
                    AnswerSpec::SingleChoice { choices }
                    | AnswerSpec::MultipleChoice { choices, .. },
                    Value::String(v),
                ) => choices
                    .iter()
                    .find(|c| &c.value == v)
                    .map_or_else(|| v.clone(), |c| self.text(&c.label, lang).to_owned()),
                (_, Value::String(s)) => s.clone(),
                (_, other) => other.to_string(),
            }
        };
        let bound = |b: &Bound| match b {
            Bound::Number(n) => n.to_string(),
            Bound::Date(d) => d.clone(),
        };
        let op = |c: Comparison| match (c, locale) {
            (Comparison::GreaterThan, Locale::Ja) => "より大きい",
            (Comparison::GreaterOrEqual, Locale::Ja) => "以上の",
            (Comparison::LessThan, Locale::Ja) => "未満の",
            (Comparison::LessOrEqual, Locale::Ja) => "以下の",
            (Comparison::GreaterThan, Locale::En) => ">",
            (Comparison::GreaterOrEqual, Locale::En) => ">=",
            (Comparison::LessThan, Locale::En) => "<",
            (Comparison::LessOrEqual, Locale::En) => "<=",
        };
        match (&leaf.test, locale) {
            (Test::Equals(v), Locale::Ja) => format!("{name}で「{}」と回答した場合", label(v)),
            (Test::Equals(v), Locale::En) => format!("if {name} = {}", label(v)),
            (Test::NotEquals(v), Locale::Ja) => {
                format!("{name}で「{}」と回答していない場合", label(v))
            }
            (Test::NotEquals(v), Locale::En) => format!("if {name} ≠ {}", label(v)),
            (Test::In(values), Locale::Ja) => {
                let labels: Vec<String> =
                    values.iter().map(|v| format!("「{}」", label(v))).collect();
                format!("{name}で{}のいずれかと回答した場合", labels.concat())
            }
            (Test::In(values), Locale::En) => {
                let labels: Vec<String> = values.iter().map(label).collect();
                format!("if {name} is one of {}", labels.join(", "))
            }
            (Test::Includes(c), Locale::Ja) => {
                format!(
                    "{name}で「{}」を選択した場合",
                    label(&Value::String(c.clone()))
                )
            }
            (Test::Includes(c), Locale::En) => {
                format!("if {name} includes {}", label(&Value::String(c.clone())))
            }
            (Test::Compare(c, b), Locale::Ja) => format!("{name}が{}{}場合", bound(b), op(*c)),
            (Test::Compare(c, b), Locale::En) => format!("if {name} {} {}", op(*c), bound(b)),
            (Test::Count(c, n), Locale::Ja) => format!("{name}の件数が{n}{}場合", op(*c)),
            (Test::Count(c, n), Locale::En) => format!("if the number of {name} {} {n}", op(*c)),
            (Test::CompareAnswers(c, other), Locale::Ja) => {
                let other = self.nodes[*other].pointer.trim_start_matches('/');
                format!("{name}が{other}{}場合", op(*c))
            }
            (Test::CompareAnswers(c, other), Locale::En) => {
                let other = self.nodes[*other].pointer.trim_start_matches('/');
                format!("if {name} {} {other}", op(*c))
            }
            (Test::Answered(true), Locale::Ja) => format!("{name}に回答した場合"),
            (Test::Answered(false), Locale::Ja) => format!("{name}に回答していない場合"),
            (Test::Answered(true), Locale::En) => format!("if {name} is answered"),
            (Test::Answered(false), Locale::En) => format!("if {name} is not answered"),
        }
    }
}

fn and(locale: Locale) -> &'static str {
    match locale {
        Locale::Ja => " かつ ",
        Locale::En => " and ",
    }
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
