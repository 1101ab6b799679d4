//! Checked nodes: every question, group field and specify box of a survey, in document order,
//! with ids interned to indices and conditions resolved to them. The checker builds them; the
//! program, the validator and the generators read them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::condition::Condition;
use crate::definition::{QuestionKind, Text, TextFormat};
use crate::issue::Expected;

/// Answer keys to node indices. The keys are the survey's own ids, fixed when it is checked;
/// answers only look keys up, so a fast unkeyed hash is safe (no one can add colliding keys).
pub(crate) type IdMap = HashMap<Box<str>, usize, BuildHasherDefault<IdHasher>>;

/// FxHash-style multiply-rotate hashing of short ASCII ids.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A question, group field or specify box, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) id: String,
    /// Where the question (row, column, specify box) is in the definition
    /// (`questions[3].rows[1]`).
    pub(crate) path: String,
    /// How many conditions of the sections around the node lead its `condition` (an `all`
    /// of them, then its own when it has one).
    pub(crate) folded: usize,
    /// JSON Pointer of the answer (`/Q1/contact`).
    pub(crate) pointer: String,
    /// The group this node is a field of.
    pub(crate) parent: Option<usize>,
    pub(crate) title: Text,
    pub(crate) help: Option<Text>,
    /// Its printed number, note, citations and inferences (`None` when it has none).
    pub(crate) about: Option<Box<About>>,
    pub(crate) required: bool,
    pub(crate) condition: Option<Condition>,
    pub(crate) spec: AnswerSpec,
    /// What the node is in the survey's structure (forms lay matrices and tables out as such).
    pub(crate) shape: Shape,
}

/// What a form shows around a question or section beside its title and help, and what a
/// codebook says of it: the item's number as printed, the note before it, its citations,
/// and what it says that its source does not.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct About {
    pub(crate) number: Option<String>,
    pub(crate) note: Option<Text>,
    pub(crate) citations: Vec<crate::definition::CitationDef>,
    pub(crate) inferred: crate::definition::Inferred,
}

impl About {
    /// `None` when there is nothing to say, so that most nodes carry no allocation.
    pub(crate) fn boxed(self) -> Option<Box<About>> {
        (self != About::default()).then(|| Box::new(self))
    }

    /// The about of a node or section (an empty one when it has none).
    pub(crate) fn of(about: Option<&About>) -> &About {
        static EMPTY: About = About {
            number: None,
            note: None,
            citations: Vec::new(),
            inferred: std::collections::BTreeMap::new(),
        };
        about.unwrap_or(&EMPTY)
    }

    /// The title as a form shows it: the printed number before it (`Q10-1 事業継続…`).
    pub(crate) fn numbered(&self, title: &str) -> String {
        match &self.number {
            Some(number) => format!("{number} {title}"),
            None => title.to_owned(),
        }
    }
}

/// What a node is in the survey's structure. A matrix and a table are group nodes whose
/// fields are their rows; a table row is a group node whose fields are its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A question, a group field, a specify box, a matrix row or a table cell.
    Question,
    Matrix,
    Table,
    /// A row of a table.
    Row,
}

/// A section as checked: its texts, its own condition (already folded into the condition of
/// every question inside it) and what it holds, in order.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) id: String,
    /// Where the section is in the definition.
    pub(crate) path: String,
    pub(crate) title: Text,
    pub(crate) help: Option<Text>,
    /// Its printed number, note, citations and inferences (`None` when it has none).
    pub(crate) about: Option<Box<About>>,
    pub(crate) condition: Option<Condition>,
    pub(crate) items: Vec<Item>,
}

/// An edit check as checked (a rule checked per table row is one per row).
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) id: String,
    /// Where the rule is in the definition (`rules[2]`).
    pub(crate) path: String,
    pub(crate) severity: crate::issue::Severity,
    pub(crate) message: Text,
    pub(crate) when: Option<Condition>,
    pub(crate) assert: Condition,
    /// The node whose path a failure carries: the first question its `assert` tests.
    pub(crate) node: usize,
    /// The repeat whose every instance the rule is checked in.
    pub(crate) repeat: Option<usize>,
}

/// One entry of the survey's top-level layout, or of a section's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    /// A top-level node.
    Node(usize),
    /// A section, by its index in the survey's sections.
    Section(usize),
}

/// The answer a node takes: its kind with the settings the checks made sure of.
#[derive(Debug, Clone)]
pub(crate) enum AnswerSpec {
    Boolean {
        labels: Option<(Text, Text)>,
    },
    SingleChoice {
        choices: Vec<Choice>,
    },
    MultipleChoice {
        choices: Vec<Choice>,
        min: Option<u32>,
        max: Option<u32>,
    },
    Text {
        min_length: Option<u32>,
        max_length: Option<u32>,
        pattern: Option<crate::pattern::Pattern>,
        format: Option<TextFormat>,
    },
    Integer {
        minimum: Option<i64>,
        maximum: Option<i64>,
    },
    Number {
        minimum: Option<serde_json::Number>,
        maximum: Option<serde_json::Number>,
    },
    Date {
        earliest: Option<String>,
        latest: Option<String>,
    },
    Group {
        /// Indices of the fields, in order.
        fields: Vec<usize>,
        /// Field ids to node indices.
        index: IdMap,
    },
    /// A repeating group: its fields (and their specify boxes) are the nodes right after it,
    /// up to `end`, and are walked once per instance.
    Repeat {
        /// Indices of the fields, in order.
        fields: Vec<usize>,
        /// Field ids to node indices.
        index: IdMap,
        min_items: Option<u32>,
        max_items: Option<u32>,
        /// The index just past the repeat's last field or specify box.
        end: usize,
    },
}

impl AnswerSpec {
    /// The bounds of a number or date question, as text for messages (an integer's are
    /// always both, i64's own when the survey gives none).
    pub(crate) fn bounds(&self) -> (Option<String>, Option<String>) {
        match self {
            AnswerSpec::Integer { minimum, maximum } => (
                Some(minimum.unwrap_or(i64::MIN).to_string()),
                Some(maximum.unwrap_or(i64::MAX).to_string()),
            ),
            AnswerSpec::Number { minimum, maximum } => (
                minimum.as_ref().map(ToString::to_string),
                maximum.as_ref().map(ToString::to_string),
            ),
            AnswerSpec::Date { earliest, latest } => (earliest.clone(), latest.clone()),
            _ => (None, None),
        }
    }

    /// The answer type the node takes, for a `wrong_type` message.
    pub(crate) fn expected(&self) -> Expected {
        match self {
            AnswerSpec::Boolean { .. } => Expected::Boolean,
            AnswerSpec::SingleChoice { .. } => Expected::ChoiceValue,
            AnswerSpec::MultipleChoice { .. } => Expected::ChoiceArray,
            AnswerSpec::Text { .. } => Expected::String,
            AnswerSpec::Integer { .. } => Expected::Integer,
            AnswerSpec::Number { .. } => Expected::Number,
            AnswerSpec::Date { .. } => Expected::Date,
            AnswerSpec::Group { .. } => Expected::Object,
            AnswerSpec::Repeat { .. } => Expected::Instances,
        }
    }

    pub(crate) fn question_kind(&self) -> QuestionKind {
        match self {
            AnswerSpec::Boolean { .. } => QuestionKind::Boolean,
            AnswerSpec::SingleChoice { .. } => QuestionKind::SingleChoice,
            AnswerSpec::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            AnswerSpec::Text { .. } => QuestionKind::Text,
            AnswerSpec::Integer { .. } => QuestionKind::Integer,
            AnswerSpec::Number { .. } => QuestionKind::Number,
            AnswerSpec::Date { .. } => QuestionKind::Date,
            AnswerSpec::Group { .. } => QuestionKind::Group,
            AnswerSpec::Repeat { .. } => QuestionKind::Repeat,
        }
    }

    /// The fields of a group or a repeat, in order, with their ids.
    pub(crate) fn fields(&self) -> Option<(&[usize], &IdMap)> {
        match self {
            AnswerSpec::Group { fields, index } | AnswerSpec::Repeat { fields, index, .. } => {
                Some((fields, index))
            }
            _ => None,
        }
    }

    /// The fields of a group or a repeat, to add to.
    pub(crate) fn fields_mut(&mut self) -> Option<(&mut Vec<usize>, &mut IdMap)> {
        match self {
            AnswerSpec::Group { fields, index } | AnswerSpec::Repeat { fields, index, .. } => {
                Some((fields, index))
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: Text,
    pub(crate) exclusive: bool,
    /// What the choice says that its source does not.
    pub(crate) inferred: crate::definition::Inferred,
}

/// Where to find a question: its id, its JSON Pointer in an answer set, and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QuestionRef<'a> {
    /// The question's id (for a group field, the field's id).
    pub id: &'a str,
    /// JSON Pointer of its answer (`/Q12-1`, `/Q1/contact`, `/systems/3/vendor`). A field of a
    /// repeat listed without an instance ([`Survey::questions`](crate::Survey::questions))
    /// has `-` in the instance's place (`/systems/-/vendor`).
    pub pointer: Cow<'a, str>,
    /// The question kind.
    pub kind: QuestionKind,
}

impl Node {
    /// For every node, the nodes whose condition (their own or their sections') tests its
    /// answer, in document order: the map a form's message catalogue reads for every node.
    pub(crate) fn testers(nodes: &[Node]) -> Vec<Vec<usize>> {
        let mut testers: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (index, node) in nodes.iter().enumerate() {
            for tested in node.tested() {
                if let Some(list) = testers.get_mut(tested)
                    && list.last() != Some(&index)
                {
                    list.push(index);
                }
            }
        }
        testers
    }

    /// The nodes whose condition tests the answer to `target`, in document order: one entry
    /// of [`Node::testers`], for a message about one answer.
    pub(crate) fn testers_of(nodes: &[Node], target: usize) -> Vec<usize> {
        (0..nodes.len())
            .filter(|&i| nodes[i].tested().contains(&target))
            .collect()
    }

    /// The nodes this node's condition tests (both sides of a comparison of two answers), in
    /// the order of its tests.
    fn tested(&self) -> Vec<usize> {
        let mut leaves = Vec::new();
        self.condition.iter().for_each(|c| c.leaves(&mut leaves));
        leaves
            .iter()
            .flat_map(|leaf| {
                let other = match leaf.test {
                    crate::condition::Test::CompareAnswers(_, other) => Some(other),
                    _ => None,
                };
                std::iter::once(leaf.node).chain(other)
            })
            .collect()
    }

    /// `testers` named for a message (`Q10-1, Q10-2`): at most five, then how many more.
    pub(crate) fn names(nodes: &[Node], testers: &[usize]) -> String {
        const NAMED: usize = 5;
        let named: Vec<&str> = testers
            .iter()
            .take(NAMED)
            .map(|&i| nodes[i].pointer.trim_start_matches('/'))
            .collect();
        match testers.len().checked_sub(NAMED) {
            Some(more) if more > 0 => format!("{} (+{more})", named.join(", ")),
            _ => named.join(", "),
        }
    }

    /// The rows of a required matrix or table every row of which has its own condition:
    /// `required` asks for every enabled row, so it asks for nothing (the matrix may be left
    /// out) where none of these is enabled. `None` for every other node, whose `required`
    /// asks for its answer whenever it is enabled.
    pub(crate) fn conditional_rows(&self, nodes: &[Node]) -> Option<&[usize]> {
        if !self.required || !matches!(self.shape, Shape::Matrix | Shape::Table) {
            return None;
        }
        let (rows, _) = self.spec.fields()?;
        (!rows.is_empty() && rows.iter().all(|&r| nodes[r].condition.is_some())).then_some(rows)
    }

    /// Its printed number, note, citations and inferences.
    pub(crate) fn about(&self) -> &About {
        About::of(self.about.as_deref())
    }

    pub(crate) fn as_ref(&self) -> QuestionRef<'_> {
        QuestionRef {
            id: &self.id,
            pointer: Cow::Borrowed(&self.pointer),
            kind: self.spec.question_kind(),
        }
    }

    /// The node's JSON Pointer in one instance of the repeat `repeat` it is a field of
    /// (its own pointer has `-` in the instance's place).
    pub(crate) fn pointer_in(&self, repeat: &Node, instance: usize) -> String {
        let rest = self
            .pointer
            .get(repeat.pointer.len() + 2..)
            .unwrap_or_default();
        format!("{}/{instance}{rest}", repeat.pointer)
    }
}
