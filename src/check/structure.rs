//! Sections, matrices and tables to nodes. A section is no node: its condition is folded into
//! the condition of each top-level question inside it, and it is kept for the layout. A
//! matrix is a group whose fields are its rows (each a choice question over the shared
//! choices); a table is a group of rows, each a group whose fields are the table's columns.

use super::{Checker, ProblemCode, Scope};
use crate::condition::Condition;
use crate::definition::{QuestionDef, QuestionKind, RowDef};
use crate::node::{About, AnswerSpec, IdMap, Item, Node, Section, Shape};

impl<'a> Checker<'a> {
    /// Lists every top-level answer key (inside sections too), to tell a forward reference
    /// from an unknown one.
    pub(super) fn declare(&mut self, questions: &'a [QuestionDef]) {
        for question in questions {
            if question.kind == QuestionKind::Section {
                self.declare(question.questions.as_deref().unwrap_or_default());
                continue;
            }
            self.declared.insert(&question.id);
            for choice in question.choices.iter().flatten() {
                if let Some(specify) = &choice.specify {
                    self.declared.insert(&specify.id);
                }
            }
        }
    }

    /// Checks a section and the questions inside it.
    pub(super) fn section(&mut self, q: &'a QuestionDef, path: &str, scope: Scope) {
        if scope.group.is_some() {
            self.problem(
                ProblemCode::NestedGroup,
                path,
                "a section can hold questions, but not be a field, a row or a column",
            );
            return;
        }
        if self.id(&q.id, &format!("{path}.id")) {
            let taken = self.top_level.contains_key(q.id.as_str())
                || self.declared.contains(q.id.as_str())
                || !self.section_ids.insert(&q.id);
            if taken {
                self.problem(
                    ProblemCode::DuplicateId,
                    format!("{path}.id"),
                    format!("id `{}` is used twice in the survey", q.id),
                );
            }
        }
        self.texts(q, path);
        let condition = q
            .enable_when
            .as_ref()
            .and_then(|c| self.condition(c, &format!("{path}.enable_when"), &q.id, scope, 0));
        let questions = q.questions.as_deref().unwrap_or_default();
        if questions.is_empty() {
            self.problem(
                ProblemCode::Empty,
                format!("{path}.questions"),
                "a section needs at least one question",
            );
        }
        let index = self.sections.len();
        self.sections.push(Section {
            id: q.id.clone(),
            path: path.to_owned(),
            title: q.title.clone(),
            help: q.help.clone(),
            about: super::questions::about_question(q),
            condition: condition.clone(),
            items: Vec::new(),
        });
        let depth = self.section_conditions.len();
        if let Some(condition) = condition {
            self.section_conditions.push(condition);
        }
        self.layout.push(Vec::new());
        for (i, question) in questions.iter().enumerate() {
            self.question(question, &format!("{path}.questions[{i}]"), scope);
        }
        let items = self.layout.pop().unwrap_or_default();
        self.section_conditions.truncate(depth);
        self.sections[index].items = items;
        if let Some(outer) = self.layout.last_mut() {
            outer.push(Item::Section(index));
        }
    }

    /// A top-level question's own condition with the conditions of the sections around it.
    pub(super) fn in_sections(&self, own: Option<Condition>) -> Option<Condition> {
        if self.section_conditions.is_empty() {
            return own;
        }
        let mut all = self.section_conditions.clone();
        all.extend(own);
        Some(Condition::All(all))
    }

    /// The rows of a matrix or table: checked, within the limit. None when there are none to
    /// build.
    fn rows(&mut self, q: &'a QuestionDef, path: &str, index: usize) -> Option<&'a [RowDef]> {
        if self.nodes[index].parent.is_some() {
            self.problem(
                ProblemCode::NestedGroup,
                path,
                format!("a {} cannot be a field, a row or a column", q.kind.as_str()),
            );
            return None;
        }
        let rows = q.rows.as_deref().unwrap_or_default();
        if rows.is_empty() {
            self.problem(
                ProblemCode::Empty,
                format!("{path}.rows"),
                format!("a {} needs at least one row", q.kind.as_str()),
            );
            return None;
        }
        if !self.within_max_fields(rows.len(), path, "rows") {
            return None;
        }
        Some(rows)
    }

    /// Adds one row node under a matrix or table; returns its index.
    fn row(
        &mut self,
        q: &'a QuestionDef,
        row: &'a RowDef,
        path: &str,
        owner: usize,
        (spec, shape): (AnswerSpec, Shape),
    ) -> usize {
        let scope = Scope { group: Some(owner) };
        let index = self.nodes.len();
        if self.id(&row.id, &format!("{path}.id")) {
            self.claim_id(&row.id, index, &format!("{path}.id"), scope);
        }
        self.text(&row.label, format!("{path}.label"));
        self.opt_text(row.help.as_ref(), format!("{path}.help"));
        self.inferred(row, &row.inferred, path);
        for (i, citation) in row.references.iter().enumerate() {
            self.citation(citation, &format!("{path}.references[{i}]"));
        }
        let condition = row
            .enable_when
            .as_ref()
            .and_then(|c| self.condition(c, &format!("{path}.enable_when"), &row.id, scope, 0));
        let pointer = self.pointer(Some(owner), &row.id);
        self.add_node(Node {
            id: row.id.clone(),
            path: path.to_owned(),
            folded: 0,
            pointer,
            parent: Some(owner),
            title: row.label.clone(),
            help: row.help.clone(),
            about: About {
                number: row.number.clone(),
                note: None,
                citations: row.references.clone(),
                inferred: row.inferred.clone(),
            }
            .boxed(),
            required: q.required && !row.optional,
            condition,
            spec,
            shape,
        });
        index
    }

    /// A matrix's rows: each a choice question over the matrix's choices.
    pub(super) fn matrix_rows(&mut self, q: &'a QuestionDef, path: &str, index: usize) {
        let choices = self.choices(q, path);
        let Some(rows) = self.rows(q, path, index) else {
            return;
        };
        if q.multiple {
            self.bounds(
                q.min_selections,
                q.max_selections,
                path,
                "min_selections",
                "max_selections",
            );
        } else {
            for (key, set) in [
                ("min_selections", q.min_selections.is_some()),
                ("max_selections", q.max_selections.is_some()),
            ] {
                if set {
                    self.problem(
                        ProblemCode::NotApplicable,
                        format!("{path}.{key}"),
                        format!("`{key}` applies to a matrix with `multiple: true` only"),
                    );
                }
            }
        }
        // A specify box is enabled by its choice being the answer; a matrix answers per row.
        for (i, choice) in q.choices.iter().flatten().enumerate() {
            if choice.specify.is_some() {
                self.problem(
                    ProblemCode::NotApplicable,
                    format!("{path}.choices[{i}].specify"),
                    "a matrix's choices have no specify box (a matrix is answered per row; \
                     a table with a choice column can have one per row)",
                );
            }
        }
        for (i, row) in rows.iter().enumerate() {
            let spec = if q.multiple {
                AnswerSpec::MultipleChoice {
                    choices: choices.clone(),
                    min: q.min_selections,
                    max: q.max_selections,
                }
            } else {
                AnswerSpec::SingleChoice {
                    choices: choices.clone(),
                }
            };
            self.row(
                q,
                row,
                &format!("{path}.rows[{i}]"),
                index,
                (spec, Shape::Question),
            );
        }
    }

    /// A table's rows, each a group of the table's columns. The columns are checked once:
    /// problems they have are reported for the first row only.
    pub(super) fn table_rows(&mut self, q: &'a QuestionDef, path: &str, index: usize) {
        let Some(rows) = self.rows(q, path, index) else {
            return;
        };
        let columns = q.columns.as_deref().unwrap_or_default();
        if columns.is_empty() {
            self.problem(
                ProblemCode::Empty,
                format!("{path}.columns"),
                "a table needs at least one column",
            );
            return;
        }
        if !self.within_max_fields(columns.len(), path, "columns") {
            return;
        }
        self.table_columns = columns.iter().map(|c| c.id.as_str()).collect();
        for (i, row) in rows.iter().enumerate() {
            let group = AnswerSpec::Group {
                fields: Vec::new(),
                index: IdMap::default(),
            };
            let row_index = self.row(
                q,
                row,
                &format!("{path}.rows[{i}]"),
                index,
                (group, Shape::Row),
            );
            let before = self.problems.len();
            for (j, column) in columns.iter().enumerate() {
                self.question(
                    column,
                    &format!("{path}.columns[{j}]"),
                    Scope {
                        group: Some(row_index),
                    },
                );
            }
            if i > 0 {
                self.problems.truncate(before);
            }
        }
    }
}
