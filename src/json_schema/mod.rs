//! Survey to JSON Schema, exactly as strict as the native validator.
//!
//! The encoding is the one that react-jsonschema-form, JSON Forms, ajv and the `jsonschema`
//! crate all handle:
//!
//! - unconditional questions sit in the root `properties`; unknown keys are rejected with
//!   `propertyNames: {enum: [...]}` (a root `additionalProperties: false` would not see
//!   properties declared inside `then`);
//! - each conditional question (or group field) gets one block in a flat root `allOf`:
//!   `if` holds its *effective* condition, `then` declares it (and requires it when it is
//!   required), `else` forbids it with `not: {required: [id]}`;
//! - the effective condition is the question's own condition and its group's, where every
//!   leaf that tests question `R` is itself qualified by `R`'s effective condition, because a
//!   disabled question is seen as unanswered (so a form hides Q12-1 when Q11 turns to "no",
//!   even while Q12's stale "yes" is still in its data); every leaf that tests a value lists
//!   `R` in `required`, so an empty form does not satisfy it. A qualification of more than 16
//!   leaves is left out, which keeps the schema linear in the survey and changes no verdict
//!   (see `QUALIFY_LEAVES`);
//! - choices are `oneOf` of `{const, title}`; multiple choice is an array with
//!   `uniqueItems`, and an exclusive choice adds
//!   `not: {allOf: [<holds v>, <holds an item other than v>]}` (the choice with any other
//!   item: a repeat of it alone is only a duplicate), where "the array holds an item that
//!   is S" is written `not: {items: {not: S}}` rather than `contains: S`: ajv 8 carries the
//!   outcome of a `contains` from one item of an enclosing `items` to the next (a repeat's
//!   instances), and the two forms mean the same;
//! - text formats and dates use the documented patterns ([`crate::EMAIL_PATTERN`], ...)
//!   rather than `format`, which validators treat as an annotation; date bounds are
//!   patterns too, since JSON Schema cannot order strings;
//! - no custom keywords, so ajv's strict mode accepts the schema;
//! - the form schema ([`JsonSchemaOptions::form`]) leaves out the `else` branches: answers to
//!   disabled questions are ignored, as in lenient validation.
//!
//! [`json_schema::error_messages`](crate::json_schema::error_messages) records, while the schema is generated, what each keyword that
//! can fail means natively (see `messages`).
//!
//! ```
//! use survey_schema::{Survey, json_schema::{Draft, JsonSchemaOptions}};
//! let survey = Survey::from_yaml(r#"
//! id: demo
//! version: "1"
//! default_locale: en
//! title: Demo
//! questions:
//!   - { id: smoker, type: boolean, title: Do you smoke?, required: true }
//!   - { id: per_day, type: integer, title: How many?, required: true,
//!       enable_when: { question: smoker, equals: true } }
//! "#)?;
//! let schema = survey_schema::json_schema::generate(&survey, &JsonSchemaOptions::default());
//! assert_eq!(schema.get("$schema").unwrap(), "http://json-schema.org/draft-07/schema#");
//! assert_eq!(schema.get("allOf").unwrap()[0]["if"]["required"][0], "smoker");
//! # Ok::<(), survey_schema::Error>(())
//! ```

use serde_json::{Map, Value, json};

mod messages;
mod repeat;

pub use messages::{ErrorMessage, ErrorMessages};
use repeat::Formula;
pub(crate) use repeat::RepeatLayout;

use crate::condition::{Bound, Comparison, Condition, Test};
use crate::date::{DATE_PATTERN, date_order_pattern};
use crate::issue::IssueCode;
use crate::messages::Locale;
use crate::node::{AnswerSpec, Choice, Node, Rule};
use crate::survey::Survey;
use messages::{Fault, Recorder};

/// The JSON Schema dialect to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Draft {
    /// Draft-07, what RJSF and JSON Forms run through ajv by default.
    #[default]
    Draft07,
    /// Draft 2020-12.
    Draft2020_12,
}

impl Draft {
    /// The dialect's meta-schema URI, used as `$schema`.
    #[must_use]
    pub fn meta_schema_uri(self) -> &'static str {
        match self {
            Draft::Draft07 => "http://json-schema.org/draft-07/schema#",
            Draft::Draft2020_12 => "https://json-schema.org/draft/2020-12/schema",
        }
    }
}

/// Settings of [`json_schema::generate`](crate::json_schema::generate).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonSchemaOptions {
    /// The dialect (default draft-07).
    pub draft: Draft,
    /// The locale of titles and descriptions (default: the survey's default locale).
    pub locale: Option<String>,
    /// The form schema: an answer to a disabled question is ignored rather than refused (no
    /// `else`), as [`ValidateOptions::lenient`](crate::ValidateOptions::lenient) does, so a
    /// form whose data keeps answers to questions it has hidden stays submittable; the server
    /// then stores [`Survey::prune`](crate::Survey::prune)'s answers.
    pub form: bool,
}

impl JsonSchemaOptions {
    /// Options for a draft and a locale.
    #[must_use]
    pub fn new(draft: Draft, locale: Option<&str>) -> Self {
        JsonSchemaOptions {
            draft,
            locale: locale.map(str::to_owned),
            form: false,
        }
    }
}

/// Generates the JSON Schema of the survey's answer sets.
#[must_use]
pub fn generate(survey: &Survey, options: &JsonSchemaOptions) -> schemars::Schema {
    let locale = options.locale.as_deref().unwrap_or(survey.default_locale());
    let mut generator = Generator::new(survey, locale, options.draft);
    generator.form = options.form;
    schemars::Schema::try_from(generator.root()).unwrap_or_default()
}

/// The native message, in `locale`, for each error that a validator can report on the
/// survey's generated JSON Schema (any draft, strict or form): what a form shows instead of
/// the validator's own words. `forms/survey-messages.js` applies it in RJSF and JSON Forms.
///
/// ```
/// use survey_schema::{Locale, Survey, json_schema};
/// let survey = Survey::from_yaml(
///     "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  - {id: Q2, type: boolean, title: Q2, required: true}\n",
/// )?;
/// let messages = json_schema::error_messages(&survey, Locale::En);
/// assert_eq!(messages.errors["#/required/Q2"].message, "Q2: an answer is required");
/// assert_eq!(messages.errors["#/properties/Q2/type"].code.as_str(), "wrong_type");
/// # Ok::<(), survey_schema::Error>(())
/// ```
#[must_use]
pub fn error_messages(survey: &Survey, locale: Locale) -> ErrorMessages {
    let recorder = Recorder::new(locale, &survey.nodes);
    let mut generator = Generator::new(survey, survey.default_locale(), Draft::Draft07);
    generator.recorder = Some(&recorder);
    generator.root();
    recorder.finish()
}

/// The conditions the JSON Forms UI schema's rules use, all from one generator.
pub(crate) struct LayoutConditions {
    /// Per node, the JSON Schema that an answer set satisfies exactly when the node is
    /// enabled (`None` when it always is, and for the fields of repeats).
    pub(crate) nodes: Vec<Option<Value>>,
    /// Per section, when its own condition holds (`None` when it always does).
    pub(crate) sections: Vec<Option<Value>>,
    /// Per node, for a repeat: the layouts of its fields.
    pub(crate) repeats: Vec<Vec<RepeatLayout>>,
}

pub(crate) fn layout_conditions(survey: &Survey) -> LayoutConditions {
    let generator = Generator::new(survey, survey.default_locale(), Draft::Draft07);
    let sections = survey
        .sections
        .iter()
        .map(|section| section.condition.as_ref().map(|c| generator.condition(c).0))
        .collect();
    let repeats = (0..survey.nodes.len())
        .map(|index| generator.repeat_layouts(index))
        .collect();
    let nodes = generator
        .enabled
        .into_iter()
        .map(|e| e.map(|(schema, _)| schema))
        .collect();
    LayoutConditions {
        nodes,
        sections,
        repeats,
    }
}

/// A leaf that tests question `R` is qualified by `R`'s effective condition when that has at
/// most this many leaves. Past it the bare test is written: the verdict is the same (an answer
/// to a disabled `R` is rejected by `R`'s own block), only a form builder showing a stale
/// answer could differ, and the schema stays linear in the survey whatever the conditions'
/// shape (qualifying without a bound grows exponentially on chains that fork and rejoin).
const QUALIFY_LEAVES: usize = 16;

struct Generator<'a> {
    survey: &'a Survey,
    locale: &'a str,
    draft: Draft,
    /// Per node, in document order: the schema that holds exactly when it is enabled (`None`
    /// when it always is) and the number of leaves written out in it; `None` for a repeat's
    /// fields, whose conditions hold per instance.
    enabled: Vec<Option<(Value, usize)>>,
    /// Per node, for a field of a repeat: its effective condition in an instance (`None`
    /// when it always holds, and for every other node), with its leaf count.
    in_instance: Vec<Option<(Formula, usize)>>,
    /// The form schema: no `else`.
    form: bool,
    /// Where the meaning of each failing keyword goes, when the messages are wanted.
    recorder: Option<&'a Recorder>,
}

impl<'a> Generator<'a> {
    fn new(survey: &'a Survey, locale: &'a str, draft: Draft) -> Self {
        let mut generator = Generator {
            survey,
            locale,
            draft,
            enabled: Vec::with_capacity(survey.nodes.len()),
            in_instance: Vec::with_capacity(survey.nodes.len()),
            form: false,
            recorder: None,
        };
        // Conditions refer only to earlier nodes, so one pass in order computes each
        // effective condition from those already computed.
        for index in 0..survey.nodes.len() {
            if survey.in_repeat(index) {
                let in_instance = generator.compute_in_instance(index);
                generator.in_instance.push(in_instance);
                generator.enabled.push(None);
            } else {
                let enabled = generator.compute_enabled(index);
                generator.enabled.push(enabled);
                generator.in_instance.push(None);
            }
        }
        generator
    }

    fn root(&self) -> Value {
        let draft = self.draft;
        let survey = self.survey;
        let definition = survey.definition();
        let mut root = Map::new();
        root.insert("$schema".into(), draft.meta_schema_uri().into());
        root.insert(
            "title".into(),
            survey.text(&definition.title, self.locale).into(),
        );
        if let Some(description) = &definition.description {
            root.insert(
                "description".into(),
                survey.text(description, self.locale).into(),
            );
        }
        root.insert("type".into(), "object".into());
        let names: Vec<&str> = survey.question_ids().collect();
        root.insert("propertyNames".into(), json!({ "enum": names }));
        if let Some(recorder) = self.recorder {
            recorder.object("#/type".into(), IssueCode::NotAnObject);
            recorder.object("#/propertyNames".into(), IssueCode::UnknownQuestion);
        }
        let (properties, required) = self.members(&survey.roots, "#");
        root.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            root.insert("required".into(), required.into());
        }
        let mut blocks: Vec<Value> = survey
            .nodes
            .iter()
            .enumerate()
            .filter(|&(index, node)| node.condition.is_some() && !survey.in_repeat(index))
            .enumerate()
            .map(|(block, (index, node))| {
                self.conditional_block(index, node, &format!("#/allOf/{block}"))
            })
            .collect();
        for &index in &survey.roots {
            if let Some(block) = self.outside_blocks(index, &format!("#/allOf/{}", blocks.len())) {
                blocks.push(block);
            }
        }
        for &index in &survey.roots {
            let node = &survey.nodes[index];
            if let Some(rows) = node.conditional_rows(&survey.nodes) {
                let at = format!("#/allOf/{}", blocks.len());
                blocks.push(self.asked_rows(index, rows, &at));
            }
        }
        for rule in survey
            .rules
            .iter()
            .filter(|rule| rule.severity.is_error() && rule.repeat.is_none())
        {
            let at = format!("#/allOf/{}", blocks.len());
            blocks.push(self.rule(rule, &at));
        }
        if !blocks.is_empty() {
            root.insert("allOf".into(), blocks.into());
        }
        Value::Object(root)
    }

    /// The unconditional members of an object (the root or a group, whose schema is at
    /// `at`): their schemas and the required ones.
    fn members(&self, indices: &[usize], at: &str) -> (Map<String, Value>, Vec<String>) {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for &index in indices {
            let node = &self.survey.nodes[index];
            if node.condition.is_some() {
                continue;
            }
            let schema = self.question(node, &format!("{at}/properties/{}", node.id));
            properties.insert(node.id.clone(), schema);
            if node.required && node.conditional_rows(&self.survey.nodes).is_none() {
                self.note(
                    || format!("{at}/required/{}", node.id),
                    node,
                    Fault::Missing,
                );
                required.push(node.id.clone());
            }
        }
        (properties, required)
    }

    /// Records what a failure at schema location `at` means for `node` (the location is
    /// only built when the messages are wanted).
    fn note(&self, at: impl FnOnce() -> String, node: &Node, fault: Fault<'_>) {
        if let Some(recorder) = self.recorder {
            recorder.node(at(), node, fault);
        }
    }

    /// `{if, then, else}` for a node with its own condition, at schema location `at` (the
    /// form schema has no `else`).
    fn conditional_block(&self, index: usize, node: &Node, at: &str) -> Value {
        let condition = self.enabled[index]
            .as_ref()
            .map_or_else(|| json!({}), |(v, _)| v.clone());
        // Where the node's object sits in `then` and `else`: inside its groups, outermost
        // first (a table cell is two levels down: table, row).
        let ancestors = self.ancestors(node);
        let mut inside = String::new();
        for &ancestor in ancestors.iter().rev() {
            inside.push_str("/properties/");
            inside.push_str(&self.survey.nodes[ancestor].id);
        }
        let (then_at, else_at) = (format!("{at}/then{inside}"), format!("{at}/else{inside}"));
        let mut then = self.declaration(node, &then_at);
        self.note(|| format!("{else_at}/not"), node, Fault::Disabled);
        let mut otherwise = json!({ "not": { "required": [node.id] } });
        for &ancestor in &ancestors {
            let id = &self.survey.nodes[ancestor].id;
            then = json!({ "properties": { id.clone(): then } });
            otherwise = json!({ "properties": { id.clone(): otherwise } });
        }
        if self.form {
            json!({ "if": condition, "then": then })
        } else {
            json!({ "if": condition, "then": then, "else": otherwise })
        }
    }

    /// The `required` of a matrix or table all of whose rows are conditional, at schema
    /// location `at`: the matrix is required where it and one of its rows are enabled.
    fn asked_rows(&self, index: usize, rows: &[usize], at: &str) -> Value {
        let node = &self.survey.nodes[index];
        let mut parts: Vec<Value> = self.enabled[index].iter().map(|(v, _)| v.clone()).collect();
        let any: Vec<Value> = rows
            .iter()
            .filter_map(|&row| self.survey.nodes[row].condition.as_ref())
            .map(|condition| self.condition(condition).0)
            .collect();
        parts.push(json!({ "anyOf": any }));
        self.note(
            || format!("{at}/then/required/{}", node.id),
            node,
            Fault::Missing,
        );
        let condition = conjunction(parts).unwrap_or_else(|| json!({}));
        json!({ "if": condition, "then": { "required": [node.id] } })
    }

    /// An edit check of severity `error`, at schema location `at`: `{if: when, then: assert}`
    /// (or `assert` alone). A rule that compares two answers cannot be written in JSON
    /// Schema; its place holds a `$comment` saying that only the native validator checks it.
    fn rule(&self, rule: &Rule, at: &str) -> Value {
        let compares = rule.assert.compares_answers()
            || rule.when.as_ref().is_some_and(Condition::compares_answers);
        if compares {
            return server_only(rule);
        }
        if let Some(recorder) = self.recorder {
            let text = self.survey.text(&rule.message, recorder.locale().tag());
            recorder.rule(at, &self.survey.nodes[rule.node], &rule.id, text);
        }
        let assert = self.condition(&rule.assert).0;
        match &rule.when {
            Some(when) => json!({ "if": self.condition(when).0, "then": assert }),
            None => assert,
        }
    }

    /// A conditional node declared in the object at schema location `at`: its schema under
    /// `properties`, and `required` when it is required.
    fn declaration(&self, node: &Node, at: &str) -> Value {
        let mut declare = Map::new();
        let schema = self.question(node, &format!("{at}/properties/{}", node.id));
        declare.insert("properties".into(), json!({ node.id.clone(): schema }));
        if node.required && node.conditional_rows(&self.survey.nodes).is_none() {
            self.note(
                || format!("{at}/required/{}", node.id),
                node,
                Fault::Missing,
            );
            declare.insert("required".into(), json!([node.id]));
        }
        Value::Object(declare)
    }

    /// The schema that holds exactly when the node is enabled (`None` when it always is),
    /// with its leaf count.
    fn compute_enabled(&self, index: usize) -> Option<(Value, usize)> {
        let node = &self.survey.nodes[index];
        let mut parts = Vec::new();
        let mut leaves = 0;
        if let Some(parent) = node.parent
            && let Some((parent_enabled, parent_leaves)) = self.qualifier(parent)
        {
            parts.push(parent_enabled.clone());
            leaves += parent_leaves;
        }
        if let Some(condition) = &node.condition {
            let (schema, count) = self.condition(condition);
            parts.push(schema);
            leaves += count;
        }
        conjunction(parts).map(|schema| (schema, leaves))
    }

    /// The effective condition of a node, when it is small enough to be written into the
    /// conditions that depend on it.
    fn qualifier(&self, index: usize) -> Option<&(Value, usize)> {
        self.enabled[index]
            .as_ref()
            .filter(|(_, leaves)| *leaves <= QUALIFY_LEAVES)
    }

    /// A condition as a schema, with the number of leaves written out in it.
    fn condition(&self, condition: &Condition) -> (Value, usize) {
        match condition {
            Condition::All(items) => {
                let (parts, leaves) = self.conditions(items);
                (conjunction(parts).unwrap_or_else(|| json!({})), leaves)
            }
            Condition::Any(items) if items.is_empty() => (json!({ "not": {} }), 0),
            Condition::Any(items) => {
                let (parts, leaves) = self.conditions(items);
                (json!({ "anyOf": parts }), leaves)
            }
            Condition::Not(inner) => {
                let (schema, leaves) = self.condition(inner);
                (json!({ "not": schema }), leaves)
            }
            Condition::Leaf(leaf) => {
                // What the leaf's question shows to conditions is its answer when enabled and
                // nothing otherwise; `seen` holds when it shows an answer passing the
                // positive form of the test.
                let positive = self.positive_test(leaf.node, &leaf.test);
                let (seen, leaves) = match self.qualifier(leaf.node) {
                    Some((enabled, leaves)) => {
                        (json!({ "allOf": [enabled, positive] }), leaves + 1)
                    }
                    None => (positive, 1),
                };
                let schema = if leaf.test.holds_when_absent() {
                    json!({ "not": seen })
                } else {
                    seen
                };
                (schema, leaves)
            }
        }
    }

    fn conditions(&self, items: &[Condition]) -> (Vec<Value>, usize) {
        let mut leaves = 0;
        let parts = items
            .iter()
            .map(|c| {
                let (schema, count) = self.condition(c);
                leaves += count;
                schema
            })
            .collect();
        (parts, leaves)
    }

    /// The schema of "the node is answered and the answer passes the test's positive form"
    /// (`not_equals` as `equals`, `answered: false` as `answered: true`).
    fn positive_test(&self, index: usize, test: &Test) -> Value {
        let value_schema = match test {
            Test::Equals(v) | Test::NotEquals(v) => Some(json!({ "const": v })),
            Test::In(values) => {
                // `enum` must list each value once (`in: [a, a]` is allowed, and 1 is 1.0).
                let mut distinct: Vec<&Value> = Vec::with_capacity(values.len());
                for value in values {
                    if !distinct
                        .iter()
                        .any(|seen| crate::json::json_equal(*seen, value))
                    {
                        distinct.push(value);
                    }
                }
                Some(json!({ "enum": distinct }))
            }
            Test::Includes(choice) => {
                Some(json!({ "type": "array", "not": { "items": { "not": { "const": choice } } } }))
            }
            Test::Compare(op, Bound::Number(bound)) => {
                let keyword = match op {
                    Comparison::GreaterThan => "exclusiveMinimum",
                    Comparison::GreaterOrEqual => "minimum",
                    Comparison::LessThan => "exclusiveMaximum",
                    Comparison::LessOrEqual => "maximum",
                };
                Some(json!({ "type": "number", keyword: bound }))
            }
            Test::Compare(op, Bound::Date(bound)) => {
                let (greater, or_equal) = match op {
                    Comparison::GreaterThan => (true, false),
                    Comparison::GreaterOrEqual => (true, true),
                    Comparison::LessThan => (false, false),
                    Comparison::LessOrEqual => (false, true),
                };
                Some(
                    json!({ "type": "string", "pattern": date_order_pattern(bound, greater, or_equal) }),
                )
            }
            Test::Count(op, bound) => Some(match op {
                Comparison::GreaterThan => {
                    json!({ "type": "array", "minItems": u64::from(*bound) + 1 })
                }
                Comparison::GreaterOrEqual => json!({ "type": "array", "minItems": bound }),
                Comparison::LessThan if *bound == 0 => json!({ "not": {} }),
                Comparison::LessThan => json!({ "type": "array", "maxItems": bound - 1 }),
                Comparison::LessOrEqual => json!({ "type": "array", "maxItems": bound }),
            }),
            // Never written: a rule that compares two answers becomes a `$comment`.
            Test::CompareAnswers(..) => Some(json!({})),
            Test::Answered(_) => None,
        };
        let node = &self.survey.nodes[index];
        let mut at_node = Map::new();
        if let Some(schema) = value_schema {
            at_node.insert("properties".into(), json!({ node.id.clone(): schema }));
        }
        at_node.insert("required".into(), json!([node.id]));
        // Inside each group around it, innermost first: the group is an object holding it.
        for ancestor in self.ancestors(node) {
            let id = &self.survey.nodes[ancestor].id;
            let mut inner = Map::new();
            inner.insert("type".into(), "object".into());
            inner.extend(at_node);
            at_node = Map::new();
            at_node.insert("properties".into(), json!({ id.clone(): inner }));
            at_node.insert("required".into(), json!([id]));
        }
        // In a repeat, the test is of one instance, which may not be an object (`[5]`): it
        // then holds no answer, as the walk sees it, and `required` alone would hold on it.
        if self.survey.in_repeat(index) {
            at_node.insert("type".into(), "object".into());
        }
        Value::Object(at_node)
    }

    /// The groups around a node, innermost first, up to its repeat (not included): a field
    /// of a repeat is tested and declared inside an instance.
    fn ancestors(&self, node: &Node) -> Vec<usize> {
        std::iter::successors(node.parent, |&p| self.survey.nodes[p].parent)
            .take_while(|&p| !matches!(self.survey.nodes[p].spec, AnswerSpec::Repeat { .. }))
            .collect()
    }

    /// The schema of one question, at schema location `at`.
    fn question(&self, node: &Node, at: &str) -> Value {
        let survey = self.survey;
        let mut schema = Map::new();
        let about = node.about();
        let title = about.numbered(survey.text(&node.title, self.locale));
        schema.insert("title".into(), title.into());
        if let Some(guidance) = survey.guidance(Some(about), node.help.as_ref(), self.locale) {
            schema.insert("description".into(), guidance.into());
        }
        if !about.inferred.is_empty() {
            schema.insert(
                "$comment".into(),
                survey.inferred_comment(about, self.locale).into(),
            );
        }
        let mark = |rest: &str, fault: Fault| self.note(|| format!("{at}/{rest}"), node, fault);
        mark("type", Fault::Type { item: false });
        let mut extra: Vec<Value> = Vec::new();
        match &node.spec {
            AnswerSpec::Boolean { labels } => {
                schema.insert("type".into(), "boolean".into());
                if let Some((yes, no)) = labels {
                    mark("oneOf", Fault::Type { item: false });
                    schema.insert(
                        "oneOf".into(),
                        json!([
                            { "const": true, "title": survey.text(yes, self.locale) },
                            { "const": false, "title": survey.text(no, self.locale) },
                        ]),
                    );
                }
            }
            AnswerSpec::SingleChoice { choices } => {
                schema.insert("type".into(), "string".into());
                mark("oneOf", Fault::Value(IssueCode::UnknownChoice));
                schema.insert("oneOf".into(), self.choices(choices));
            }
            AnswerSpec::MultipleChoice { choices, min, max } => {
                schema.insert("type".into(), "array".into());
                schema.insert("uniqueItems".into(), true.into());
                mark("uniqueItems", Fault::Value(IssueCode::DuplicateChoice));
                schema.insert(
                    "items".into(),
                    json!({ "type": "string", "oneOf": self.choices(choices) }),
                );
                mark("items/type", Fault::Type { item: true });
                mark("items/oneOf", Fault::Value(IssueCode::UnknownChoice));
                if let Some(min) = min {
                    mark(
                        "minItems",
                        Fault::Count(IssueCode::TooFewChoices, (*min).into()),
                    );
                    schema.insert("minItems".into(), (*min).into());
                }
                if let Some(max) = max {
                    mark(
                        "maxItems",
                        Fault::Count(IssueCode::TooManyChoices, (*max).into()),
                    );
                    schema.insert("maxItems".into(), (*max).into());
                }
                for choice in choices.iter().filter(|c| c.exclusive) {
                    if let Some(recorder) = self.recorder {
                        let quoted = crate::json::quote(&Value::String(choice.value.clone()));
                        recorder.node(
                            format!("{at}/allOf/{}/not", extra.len()),
                            node,
                            Fault::Exclusive(&quoted),
                        );
                    }
                    extra.push(json!({
                        "not": { "allOf": [
                            { "not": { "items": { "not": { "const": choice.value } } } },
                            { "not": { "items": { "const": choice.value } } },
                        ] }
                    }));
                }
            }
            AnswerSpec::Text {
                min_length,
                max_length,
                pattern,
                format,
            } => {
                schema.insert("type".into(), "string".into());
                if let Some(min) = min_length {
                    mark(
                        "minLength",
                        Fault::Count(IssueCode::TooShort, (*min).into()),
                    );
                    schema.insert("minLength".into(), (*min).into());
                }
                if let Some(max) = max_length {
                    mark("maxLength", Fault::Count(IssueCode::TooLong, (*max).into()));
                    schema.insert("maxLength".into(), (*max).into());
                }
                let mut patterns: Vec<(&str, Fault<'_>)> = Vec::new();
                if let Some(pattern) = pattern {
                    patterns.push((&pattern.portable, Fault::Value(IssueCode::PatternMismatch)));
                }
                if let Some(format) = format {
                    patterns.push((format.pattern(), Fault::Value(IssueCode::InvalidFormat)));
                }
                self.patterns(node, at, &mut schema, &mut extra, patterns);
            }
            AnswerSpec::Integer { minimum, maximum } => {
                schema.insert("type".into(), "integer".into());
                // Integers outside i64 are out of range natively; the bounds say so here.
                mark("minimum", Fault::Range);
                schema.insert("minimum".into(), minimum.unwrap_or(i64::MIN).into());
                if let Some(max) = maximum {
                    mark("maximum", Fault::Range);
                    schema.insert("maximum".into(), (*max).into());
                } else {
                    mark("exclusiveMaximum", Fault::Range);
                    schema.insert("exclusiveMaximum".into(), (1u64 << 63).into());
                }
            }
            AnswerSpec::Number { minimum, maximum } => {
                schema.insert("type".into(), "number".into());
                if let Some(min) = minimum {
                    mark("minimum", Fault::Range);
                    schema.insert("minimum".into(), min.clone().into());
                }
                if let Some(max) = maximum {
                    mark("maximum", Fault::Range);
                    schema.insert("maximum".into(), max.clone().into());
                }
            }
            AnswerSpec::Date { earliest, latest } => {
                schema.insert("type".into(), "string".into());
                let mut patterns = vec![(
                    DATE_PATTERN.to_owned(),
                    Fault::Value(IssueCode::InvalidDate),
                )];
                if let Some(earliest) = earliest {
                    patterns.push((date_order_pattern(earliest, true, true), Fault::Range));
                }
                if let Some(latest) = latest {
                    patterns.push((date_order_pattern(latest, false, true), Fault::Range));
                }
                let patterns = patterns.iter().map(|(p, f)| (p.as_str(), *f)).collect();
                self.patterns(node, at, &mut schema, &mut extra, patterns);
            }
            AnswerSpec::Repeat { .. } => self.repeat(node, at, &mut schema),
            AnswerSpec::Group { fields, .. } => {
                schema.insert("type".into(), "object".into());
                let names: Vec<&str> = fields
                    .iter()
                    .map(|&f| survey.nodes[f].id.as_str())
                    .collect();
                schema.insert("propertyNames".into(), json!({ "enum": names }));
                if let Some(recorder) = self.recorder {
                    recorder.object(format!("{at}/propertyNames"), IssueCode::UnknownField);
                }
                let (properties, required) = self.members(fields, at);
                schema.insert("properties".into(), Value::Object(properties));
                if !required.is_empty() {
                    schema.insert("required".into(), required.into());
                }
            }
        }
        if !extra.is_empty() {
            schema.insert("allOf".into(), extra.into());
        }
        Value::Object(schema)
    }

    /// The first pattern goes in `pattern`; further ones in `allOf`, since a schema object
    /// has one `pattern`.
    fn patterns(
        &self,
        node: &Node,
        at: &str,
        schema: &mut Map<String, Value>,
        extra: &mut Vec<Value>,
        patterns: Vec<(&str, Fault<'_>)>,
    ) {
        for (i, (pattern, fault)) in patterns.into_iter().enumerate() {
            if i == 0 {
                self.note(|| format!("{at}/pattern"), node, fault);
                schema.insert("pattern".into(), pattern.into());
            } else {
                let k = extra.len();
                self.note(|| format!("{at}/allOf/{k}/pattern"), node, fault);
                extra.push(json!({ "pattern": pattern }));
            }
        }
    }

    fn choices(&self, choices: &[Choice]) -> Value {
        choices
            .iter()
            .map(|c| json!({ "const": c.value, "title": self.survey.text(&c.label, self.locale) }))
            .collect()
    }
}

/// The place of a rule that compares two answers, which JSON Schema cannot.
fn server_only(rule: &Rule) -> Value {
    json!({ "$comment": format!(
        "rule {}: compares two answers, which JSON Schema cannot; the server's native validation checks it",
        rule.id
    ) })
}

fn conjunction(mut parts: Vec<Value>) -> Option<Value> {
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(json!({ "allOf": parts })),
    }
}
