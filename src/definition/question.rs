use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CitationDef, ConditionDef, Inferred, Text};

/// The kind of a question, written as its `type` field. It fixes the shape of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuestionKind {
    /// Yes or no; the answer is `true` or `false`.
    Boolean,
    /// One choice; the answer is the choice's `value`.
    SingleChoice,
    /// Several choices; the answer is an array of distinct choice values.
    MultipleChoice,
    /// Free text; the answer is a string.
    Text,
    /// A whole number; the answer is a JSON number with no fractional part, within i64.
    Integer,
    /// Any finite number.
    Number,
    /// A calendar date; the answer is a `YYYY-MM-DD` string.
    Date,
    /// A composite question; the answer is an object keyed by the ids of its `fields`.
    Group,
    /// A titled container of `questions` (and of sections): no answer of its own, its
    /// `enable_when` disables everything inside it. The answer set stays flat.
    Section,
    /// Rows sharing one choice list (a Likert grid); the answer is an object keyed by row id,
    /// each value a choice (or, with `multiple: true`, an array of choices).
    Matrix,
    /// Fixed rows that each answer the same typed `columns`; the answer is an object keyed by
    /// row id, each value an object keyed by column id.
    Table,
    /// A group answered any number of times (`min_items` to `max_items`); the answer is an
    /// array of instances, each an object keyed by the ids of its `fields`.
    Repeat,
}

impl QuestionKind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [QuestionKind; 12] = [
        QuestionKind::Boolean,
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::Text,
        QuestionKind::Integer,
        QuestionKind::Number,
        QuestionKind::Date,
        QuestionKind::Group,
        QuestionKind::Section,
        QuestionKind::Matrix,
        QuestionKind::Table,
        QuestionKind::Repeat,
    ];

    /// The name used in the `type` field (`single_choice`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Boolean => "boolean",
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Text => "text",
            QuestionKind::Integer => "integer",
            QuestionKind::Number => "number",
            QuestionKind::Date => "date",
            QuestionKind::Group => "group",
            QuestionKind::Section => "section",
            QuestionKind::Matrix => "matrix",
            QuestionKind::Table => "table",
            QuestionKind::Repeat => "repeat",
        }
    }
}

/// A well-known text format, checked by one documented pattern that the generated JSON
/// Schema repeats, so that both sides agree (see [`crate::json_schema`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TextFormat {
    /// An e-mail address.
    Email,
    /// A telephone number.
    Tel,
    /// An `http` or `https` URL.
    Url,
}

impl TextFormat {
    /// The documented pattern that decides the format, natively and in the generated JSON
    /// Schema.
    ///
    /// ```
    /// use survey_schema::{TextFormat, TEL_PATTERN};
    /// assert_eq!(TextFormat::Tel.pattern(), TEL_PATTERN);
    /// ```
    #[must_use]
    pub fn pattern(self) -> &'static str {
        match self {
            TextFormat::Email => crate::pattern::EMAIL_PATTERN,
            TextFormat::Tel => crate::pattern::TEL_PATTERN,
            TextFormat::Url => crate::pattern::URL_PATTERN,
        }
    }

    /// The compiled [`TextFormat::pattern`].
    pub(crate) fn regex(self) -> &'static regex::Regex {
        match self {
            TextFormat::Email => &crate::pattern::EMAIL,
            TextFormat::Tel => &crate::pattern::TEL,
            TextFormat::Url => &crate::pattern::URL,
        }
    }

    /// The name the survey file uses (`email`, `tel`, `url`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            TextFormat::Email => "email",
            TextFormat::Tel => "tel",
            TextFormat::Url => "url",
        }
    }
}

/// One question (or one field of a group question) as written.
///
/// Which constraint keys apply depends on `type`; a key that does not fit the type is a
/// definition error rather than silently ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = discriminate)]
#[non_exhaustive]
pub struct QuestionDef {
    /// The answer key: `^[A-Za-z][A-Za-z0-9_-]*$`, unique in the survey (in the group, for a field).
    pub id: String,
    /// The kind of question.
    #[serde(rename = "type")]
    pub kind: QuestionKind,
    /// The question as asked.
    pub title: Text,
    /// The item's number as its source prints it (`Q10-1`, `(3)`); generated forms show it
    /// before the title. Not an id: answers are keyed by `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Guidance shown with the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// An instruction shown before the question, such as who is to answer it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Citations of the survey's reference documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<CitationDef>,
    /// Whether an answer is required when the question is enabled.
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        deserialize_with = "super::scalar::flag"
    )]
    pub required: bool,
    /// The question is asked only when this condition holds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "shallow_condition"
    )]
    pub enable_when: Option<ConditionDef>,
    /// Label of the `true` answer of a boolean question (`はい`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub true_label: Option<Text>,
    /// Label of the `false` answer of a boolean question (`いいえ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_label: Option<Text>,
    /// The choices of a choice question, written in place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<ChoiceDef>>,
    /// The name of a reusable choice set, instead of `choices`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_set: Option<String>,
    /// Labels that replace those of the `choice_set` for this question, keyed by choice
    /// value (a shared set of codes whose wording differs per question).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_labels: Option<std::collections::BTreeMap<String, Text>>,
    /// Fewest choices a multiple-choice answer may hold.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::scalar::count"
    )]
    pub min_selections: Option<u32>,
    /// Most choices a multiple-choice answer may hold.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::scalar::count"
    )]
    pub max_selections: Option<u32>,
    /// Shortest text, in Unicode scalar values.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::scalar::count"
    )]
    pub min_length: Option<u32>,
    /// Longest text, in Unicode scalar values.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::scalar::count"
    )]
    pub max_length: Option<u32>,
    /// A regular expression the text must contain a match of (anchor it with `^...$` for a
    /// whole-text match). Only syntax that means the same in Rust and ECMA-262 is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// A well-known format the text must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
    /// Smallest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Number>,
    /// Largest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Number>,
    /// Earliest allowed date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest: Option<String>,
    /// Latest allowed date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// The fields of a group or of each instance of a repeat, in order.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "bounded_fields"
    )]
    pub fields: Option<Vec<QuestionDef>>,
    /// The questions (and sections) of a section, in order.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "bounded_fields"
    )]
    pub questions: Option<Vec<QuestionDef>>,
    /// The rows of a matrix or a table, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowDef>>,
    /// The columns of a table, in order: questions of the leaf kinds that every row answers.
    /// A column's `enable_when` may test an earlier column of the same row with
    /// `{column: ID, ...}`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "bounded_fields"
    )]
    pub columns: Option<Vec<QuestionDef>>,
    /// Fewest instances a repeat's answer may hold.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::scalar::count"
    )]
    pub min_items: Option<u32>,
    /// Most instances a repeat's answer may hold.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::scalar::count"
    )]
    pub max_items: Option<u32>,
    /// A matrix whose rows each take several choices (an array), not one.
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        deserialize_with = "super::scalar::flag"
    )]
    pub multiple: bool,
    /// What the question says that its source does not: per key of this question (`type`,
    /// `required`, `title`, ...), why it was inferred. See [`Inferred`].
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}

/// One row of a matrix or a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RowDef {
    /// The row's key in the answer (same rules as question ids), unique in its matrix or table.
    pub id: String,
    /// What the respondent sees: the row's item.
    pub label: Text,
    /// The item's number as its source prints it (`(1)`); generated forms show it before
    /// the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Guidance shown with the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// Citations of the survey's reference documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<CitationDef>,
    /// The row is asked only when this condition holds (it may test earlier questions).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "shallow_condition"
    )]
    pub enable_when: Option<ConditionDef>,
    /// The row may be left out even when its matrix or table is `required` (an item the
    /// source says need not always be filled in).
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        deserialize_with = "super::scalar::flag"
    )]
    pub optional: bool,
    /// What the row says that its source does not, per key. See [`Inferred`].
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}

impl QuestionDef {
    /// The keys that only some kinds take, with those kinds; every other key (`id`, `type`,
    /// `title`, `help`, `note`, `references`, `enable_when`) fits every kind. The checker and
    /// the meta-schema both read this table.
    pub(crate) const KIND_KEYS: &'static [(&'static str, &'static [QuestionKind])] = {
        use QuestionKind as K;
        const CHOICE: &[K] = &[K::SingleChoice, K::MultipleChoice, K::Matrix];
        const SELECTIONS: &[K] = &[K::MultipleChoice, K::Matrix];
        const NUMBERS: &[K] = &[K::Integer, K::Number];
        const ANSWERED: &[K] = &[
            K::Boolean,
            K::SingleChoice,
            K::MultipleChoice,
            K::Text,
            K::Integer,
            K::Number,
            K::Date,
            K::Group,
            K::Matrix,
            K::Table,
            K::Repeat,
        ];
        &[
            ("required", ANSWERED),
            ("true_label", &[K::Boolean]),
            ("false_label", &[K::Boolean]),
            ("choices", CHOICE),
            ("choice_set", CHOICE),
            ("choice_labels", CHOICE),
            ("min_selections", SELECTIONS),
            ("max_selections", SELECTIONS),
            ("min_length", &[K::Text]),
            ("max_length", &[K::Text]),
            ("pattern", &[K::Text]),
            ("format", &[K::Text]),
            ("minimum", NUMBERS),
            ("maximum", NUMBERS),
            ("earliest", &[K::Date]),
            ("latest", &[K::Date]),
            ("fields", &[K::Group, K::Repeat]),
            ("questions", &[K::Section]),
            ("rows", &[K::Matrix, K::Table]),
            ("columns", &[K::Table]),
            ("multiple", &[K::Matrix]),
            ("min_items", &[K::Repeat]),
            ("max_items", &[K::Repeat]),
        ]
    };

    /// Whether the question sets a key of [`QuestionDef::KIND_KEYS`].
    pub(crate) fn has(&self, key: &str) -> bool {
        match key {
            "required" => self.required,
            "true_label" => self.true_label.is_some(),
            "false_label" => self.false_label.is_some(),
            "choices" => self.choices.is_some(),
            "choice_set" => self.choice_set.is_some(),
            "choice_labels" => self.choice_labels.is_some(),
            "min_selections" => self.min_selections.is_some(),
            "max_selections" => self.max_selections.is_some(),
            "min_length" => self.min_length.is_some(),
            "max_length" => self.max_length.is_some(),
            "pattern" => self.pattern.is_some(),
            "format" => self.format.is_some(),
            "minimum" => self.minimum.is_some(),
            "maximum" => self.maximum.is_some(),
            "earliest" => self.earliest.is_some(),
            "latest" => self.latest.is_some(),
            "fields" => self.fields.is_some(),
            "questions" => self.questions.is_some(),
            "rows" => self.rows.is_some(),
            "columns" => self.columns.is_some(),
            "multiple" => self.multiple,
            "min_items" => self.min_items.is_some(),
            "max_items" => self.max_items.is_some(),
            _ => false,
        }
    }
}

/// The meta-schema of a question, discriminated by `type`: the common keys for every
/// question, and under an `if` on each `type` the keys that kind takes (and only those), so
/// that an editor offers what fits the kind.
fn discriminate(schema: &mut schemars::Schema) {
    use serde_json::{Map, Value, json};
    let Some(Value::Object(properties)) = schema.remove("properties") else {
        return;
    };
    let kinds = |key: &str| {
        QuestionDef::KIND_KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, kinds)| *kinds)
    };
    let (mut common, mut specific) = (Map::new(), Map::new());
    for (key, value) in properties {
        if kinds(&key).is_some() {
            specific.insert(key, value);
        } else {
            common.insert(key, value);
        }
    }
    let common_keys: Vec<String> = common.keys().cloned().collect();
    let branches: Vec<Value> = QuestionKind::ALL
        .iter()
        .map(|&kind| {
            let own: Map<String, Value> = specific
                .iter()
                .filter(|(key, _)| kinds(key).is_some_and(|ks| ks.contains(&kind)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut names: Vec<&str> = common_keys.iter().map(String::as_str).collect();
            names.extend(own.keys().map(String::as_str));
            json!({
                "if": { "properties": { "type": { "const": kind.as_str() } }, "required": ["type"] },
                "then": { "properties": own, "propertyNames": { "enum": names } }
            })
        })
        .collect();
    schema.insert("properties".into(), Value::Object(common));
    schema.remove("additionalProperties");
    schema.insert("allOf".into(), Value::Array(branches));
}

/// Reads a condition as plain data first, then builds the [`ConditionDef`] by hand.
/// Conditions are the one recursive part of the format; serde's derived code spends so much
/// stack per level in a debug build that nesting within [`Limits::max_depth`] could overflow
/// a small stack, where this conversion spends little.
///
/// [`Limits::max_depth`]: crate::Limits::max_depth
pub(super) fn shallow_condition<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ConditionDef>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    ConditionDef::from_value(value)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// [`shallow_condition`] for a condition that must be given.
pub(super) fn required_condition<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ConditionDef, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    ConditionDef::from_value(value).map_err(serde::de::Error::custom)
}

fn bounded_fields<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<QuestionDef>>, D::Error> {
    super::budget::bounded_questions(deserializer).map(Some)
}

/// One choice of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ChoiceDef {
    /// The stable data code stored in answers (same rule as ids).
    pub value: String,
    /// What the respondent sees.
    pub label: Text,
    /// A "none of these" choice that cannot be combined with others in a multiple choice.
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        deserialize_with = "super::scalar::flag"
    )]
    pub exclusive: bool,
    /// A free-text box that is asked when this choice is picked (for an "other" choice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specify: Option<SpecifyDef>,
    /// What the choice says that its source does not, per key. See [`Inferred`].
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}

/// The free-text "please specify" box of a choice. Its answer is a separate text answer under
/// its own `id`, enabled exactly when the choice is picked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SpecifyDef {
    /// The answer key of the text (same rules as question ids).
    pub id: String,
    /// The prompt; defaults to the choice's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Whether the text must be given when the choice is picked.
    #[serde(
        default,
        skip_serializing_if = "std::ops::Not::not",
        deserialize_with = "super::scalar::flag"
    )]
    pub required: bool,
    /// Longest text, in Unicode scalar values.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::scalar::count"
    )]
    pub max_length: Option<u32>,
}
