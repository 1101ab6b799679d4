//! The walk: one pass over the program in document order that settles each node's enabled
//! state, checks its answer and hands every issue to a sink.

use std::ops::ControlFlow;

use crate::definition::QuestionKind;
use crate::issue::{Expected, IssueCode, RawDetail, RawIssue};
use crate::json::Answer;
use crate::node::{AnswerSpec, IdMap};
use crate::program::{Slot, Step};
use crate::survey::Survey;

/// How a walk judges: `partial` (no `missing_required`), `lenient` (no
/// `answered_while_disabled`), and whether failed rules of severity `warning` are reported.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mode {
    pub(super) partial: bool,
    pub(super) lenient: bool,
    pub(super) warnings: bool,
}

/// The state of one walk: each node's answer (given whether or not the node is enabled) and
/// whether the node is enabled, one bit per node.
pub(super) struct States<'s, 'v, A> {
    pub(super) raw: &'s mut [Option<&'v A>],
    enabled: &'s mut [u64],
}

impl<'v, A: Answer> States<'_, 'v, A> {
    fn clear(&mut self) {
        self.raw.fill(None);
        self.enabled.fill(0);
    }

    /// Clears the answers and enabled states of the nodes in `range`.
    fn reset(&mut self, range: std::ops::Range<usize>) {
        if let Some(raw) = self.raw.get_mut(range.clone()) {
            raw.fill(None);
        }
        for node in range {
            if let Some(word) = self.enabled.get_mut(node / 64) {
                *word &= !(1 << (node % 64));
            }
        }
    }

    pub(super) fn is_enabled(&self, node: usize) -> bool {
        self.enabled
            .get(node / 64)
            .is_some_and(|word| word >> (node % 64) & 1 == 1)
    }

    fn enable(&mut self, node: usize) {
        if let Some(word) = self.enabled.get_mut(node / 64) {
            *word |= 1 << (node % 64);
        }
    }

    /// The answer a condition sees: none when the node is disabled.
    fn seen(&self, node: usize) -> Option<&'v A> {
        if self.is_enabled(node) {
            self.raw.get(node).copied().flatten()
        } else {
            None
        }
    }

    /// Whether the node's group has an object answer (true for a top-level node).
    pub(super) fn parent_answered(&self, parent: Option<usize>) -> bool {
        parent.is_none_or(|p| self.raw[p].is_some_and(Answer::is_object))
    }
}

/// Surveys up to this many nodes are walked with small stack buffers (1 KiB of answer
/// slots), then 256, 512 and up to [`LARGE_STACK_NODES`] with larger ones (16 KiB), so that
/// `is_valid` does not allocate and a walk clears no more than about twice what it uses; a
/// larger survey takes two heap buffers per walk.
const SMALL_STACK_NODES: usize = 128;
const LARGE_STACK_NODES: usize = 2048;

/// Runs `f` on states for `nodes` nodes in buffers of `N` slots and `WORDS` (= `N / 64`)
/// enabled words on the stack; `nodes` is at most `N`.
fn on_stack<'v, const N: usize, const WORDS: usize, A: 'v, R>(
    nodes: usize,
    f: impl FnOnce(&mut States<'_, 'v, A>) -> R,
) -> R {
    let mut raw = [None; N];
    let mut enabled = [0; WORDS];
    f(&mut States {
        raw: &mut raw[..nodes],
        enabled: &mut enabled,
    })
}

impl Survey {
    pub(super) fn with_states<'v, A: 'v, R>(
        &self,
        f: impl FnOnce(&mut States<'_, 'v, A>) -> R,
    ) -> R {
        let nodes = self.nodes.len();
        if nodes <= SMALL_STACK_NODES {
            on_stack::<SMALL_STACK_NODES, { SMALL_STACK_NODES / 64 }, A, R>(nodes, f)
        } else if nodes <= 256 {
            on_stack::<256, 4, A, R>(nodes, f)
        } else if nodes <= 512 {
            on_stack::<512, 8, A, R>(nodes, f)
        } else if nodes <= LARGE_STACK_NODES {
            on_stack::<LARGE_STACK_NODES, { LARGE_STACK_NODES / 64 }, A, R>(nodes, f)
        } else {
            f(&mut States {
                raw: &mut vec![None; nodes],
                enabled: &mut vec![0; nodes.div_ceil(64)],
            })
        }
    }

    /// Fills `states` with answers and enabled states, without reporting anything;
    /// `each(repeat, instance, states)` sees the states of each repeat instance.
    pub(super) fn fill_states<'v, A: Answer>(
        &self,
        answers: &'v A,
        states: &mut States<'_, 'v, A>,
        each: &mut impl FnMut(usize, usize, &States<'_, 'v, A>),
    ) {
        if !answers.is_object() {
            return;
        }
        let mode = Mode {
            partial: true,
            lenient: true,
            warnings: false,
        };
        let _ = self.walk_keys(
            answers,
            mode,
            states,
            &mut |_| ControlFlow::Continue(()),
            each,
        );
    }

    /// Reports every issue of an answer set, in question order, to `sink`, and leaves each
    /// node's answer and enabled state in `states`, which start cleared (as
    /// [`Survey::with_states`] makes them). Returns `Break` when the sink stopped it.
    pub(super) fn walk<'v, A: Answer>(
        &self,
        answers: &'v A,
        mode: Mode,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let Some(object) = answers.entries() else {
            return sink(RawIssue::root(IssueCode::NotAnObject));
        };
        if self.walk_in_order(object, mode, states) {
            return ControlFlow::Continue(());
        }
        states.clear();
        self.walk_keys(answers, mode, states, sink, &mut |_, _, _| {})
    }

    /// The general walk: matches every key of the answer set, then visits every node. The
    /// states of a repeat's fields are those of one instance at a time:
    /// `each(repeat, instance, states)` sees them after each instance.
    pub(super) fn walk_keys<'v, A: Answer>(
        &self,
        answers: &'v A,
        mode: Mode,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
        each: &mut impl FnMut(usize, usize, &States<'_, 'v, A>),
    ) -> ControlFlow<()> {
        // Answer keys usually come in question order: try the question after the last one
        // found before hashing the key.
        let mut cursor = 0;
        for (key, value) in answers.entries().into_iter().flatten() {
            let in_order = (self.program.root_id(cursor) == Some(key)).then(|| self.roots[cursor]);
            let found = in_order.or_else(|| self.top_level.get(key).copied());
            if let Some(index) = found {
                cursor = match in_order {
                    Some(_) => cursor + 1,
                    None => self
                        .roots
                        .binary_search(&index)
                        .map_or(cursor, |position| position + 1),
                };
            }
            match found {
                Some(index) => states.raw[index] = Some(value),
                None => sink(RawIssue::unknown_key(IssueCode::UnknownQuestion, None, key))?,
            }
        }
        let mut index = 0;
        while let Some(step) = self.program.steps.get(index) {
            self.visit(index, step, mode, states, sink)?;
            index = if step.kind == QuestionKind::Repeat {
                self.instances(index, step, mode, states, sink, each)?
            } else {
                index + 1
            };
        }
        self.late_checks(mode, states, sink)?;
        self.checks(mode, None, false, states, sink)
    }

    /// The per-instance checks that test a question after their repeat, once every question
    /// is settled: each instance's fields are settled again (their issues were reported by the
    /// walk) and the checks run in it.
    fn late_checks<'v, A: Answer>(
        &self,
        mode: Mode,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        for &repeat in self.program.late_instance_checks.keys() {
            let end = self.program.repeat_rules[self.program.steps[repeat].rule as usize].end;
            let end = end as usize;
            let array = states.raw[repeat];
            let items = array
                .filter(|_| states.is_enabled(repeat))
                .and_then(Answer::as_array);
            let (Some(items), Some((order, fields))) = (items, self.nodes[repeat].spec.fields())
            else {
                continue;
            };
            let reported = &mut |_| ControlFlow::Continue(());
            for (instance, value) in items.iter().enumerate() {
                states.reset(repeat + 1..end);
                states.raw[repeat] = Some(value);
                let Some(entries) = value.entries() else {
                    continue;
                };
                let _ = self.match_fields(repeat, order, fields, entries, states, reported);
                for field in repeat + 1..end {
                    let _ = self.visit(field, &self.program.steps[field], mode, states, reported);
                }
                let sink = &mut |raw: RawIssue<'v, A>| sink(raw.in_instance(instance));
                self.checks(mode, Some(repeat), true, states, sink)?;
            }
            states.raw[repeat] = array;
        }
        ControlFlow::Continue(())
    }

    /// The survey's edit checks, once every node is settled (`repeat: None`), or those of
    /// one repeat once its instance's fields are settled (`late`: those testing a question
    /// after the repeat, once that is settled too): each rule whose `when` holds (or that has
    /// none) and whose `assert` does not is an issue at its question.
    fn checks<'v, A: Answer>(
        &self,
        mode: Mode,
        repeat: Option<usize>,
        late: bool,
        states: &States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let seen = |node: usize| states.seen(node);
        let list = match repeat {
            None => self.program.global_checks.as_slice(),
            Some(r) if late => self
                .program
                .late_instance_checks
                .get(&r)
                .map_or(&[][..], Vec::as_slice),
            Some(r) => self
                .program
                .instance_checks
                .get(&r)
                .map_or(&[][..], Vec::as_slice),
        };
        for &k in list {
            let k = k as usize;
            let check = &self.program.checks[k];
            if check.warning && !mode.warnings {
                continue;
            }
            let (start, end) = check.present;
            let present = self
                .program
                .present
                .get(start as usize..end as usize)
                .unwrap_or_default()
                .iter()
                .all(|&node| seen(node as usize).is_some());
            let applies = present
                && check
                    .when
                    .is_none_or(|at| self.program.eval(at.get(), &seen));
            if applies && !self.program.eval(check.assert as usize, &seen) {
                let node = self.rules[k].node;
                sink(RawIssue::at(IssueCode::RuleFailed, node).with(RawDetail::Rule(k)))?;
            }
        }
        ControlFlow::Continue(())
    }

    /// The walk of the common case, a valid answer set whose keys come in question order:
    /// each key is matched as the walk reaches its question, so every answer is read once,
    /// while it is in cache. True when the answer set is valid and every key was matched in
    /// order; anything else (an issue, an unknown or out-of-order key) returns false, and the
    /// caller starts over with the general walk, which finds and reports the issues.
    fn walk_in_order<'v, A: Answer>(
        &self,
        object: impl Iterator<Item = (&'v str, &'v A)>,
        mode: Mode,
        states: &mut States<'_, 'v, A>,
    ) -> bool {
        let mut entries = object.peekable();
        let mut root = 0;
        let mut index = 0;
        while let Some(step) = self.program.steps.get(index) {
            if step.parent.is_none() {
                // `roots` lists the top-level nodes in document order, so this node is the
                // `root`-th; were it not, the key would stay unmatched and the general walk run.
                if let Some(&(key, value)) = entries.peek()
                    && self.roots.get(root) == Some(&index)
                    && self.program.root_id(root) == Some(key)
                {
                    states.raw[index] = Some(value);
                    entries.next();
                }
                root += 1;
            }
            let stop = &mut |_| ControlFlow::Break(());
            if self.visit(index, step, mode, states, stop).is_break() {
                return false;
            }
            if step.kind != QuestionKind::Repeat {
                index += 1;
                continue;
            }
            match self.instances(index, step, mode, states, stop, &mut |_, _, _| {}) {
                ControlFlow::Continue(next) => index = next,
                ControlFlow::Break(()) => return false,
            }
        }
        let stop = &mut |_| ControlFlow::Break(());
        entries.peek().is_none()
            && self.late_checks(mode, states, stop).is_continue()
            && self.checks(mode, None, false, states, stop).is_continue()
    }

    /// After the node at `index`: when it is an enabled repeat whose answer is an array,
    /// walks its fields once per instance (issues carry the instance). Returns the index of
    /// the next node to visit, past the repeat's fields.
    #[allow(
        clippy::too_many_arguments,
        reason = "the walk's state, passed through"
    )]
    fn instances<'v, A: Answer>(
        &self,
        index: usize,
        step: &Step,
        mode: Mode,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
        each: &mut impl FnMut(usize, usize, &States<'_, 'v, A>),
    ) -> ControlFlow<(), usize> {
        if step.kind != QuestionKind::Repeat {
            return ControlFlow::Continue(index + 1);
        }
        let end = self.program.repeat_rules[step.rule as usize].end as usize;
        let array = states.raw[index];
        let items = array
            .filter(|_| states.is_enabled(index))
            .and_then(Answer::as_array);
        let (Some(items), Some((order, fields))) = (items, self.nodes[index].spec.fields()) else {
            return ControlFlow::Continue(end);
        };
        for (instance, value) in items.iter().enumerate() {
            let sink = &mut |raw: RawIssue<'v, A>| sink(raw.in_instance(instance));
            states.reset(index + 1..end);
            // While an instance is walked, the repeat's slot holds the instance: its fields
            // are judged as a group's are, inside an instance that is an object.
            states.raw[index] = Some(value);
            let object = value.entries();
            let is_object = object.is_some();
            match object {
                Some(entries) => self.match_fields(index, order, fields, entries, states, sink)?,
                None => sink(
                    RawIssue::at(IssueCode::WrongType, index)
                        .with(RawDetail::Expected(Expected::Object)),
                )?,
            }
            for field in index + 1..end {
                self.visit(field, &self.program.steps[field], mode, states, sink)?;
            }
            // An instance that is not an object is its `wrong_type` issue: no rule runs on it.
            if is_object {
                self.checks(mode, Some(index), false, states, sink)?;
            }
            each(index, instance, states);
        }
        states.raw[index] = array;
        ControlFlow::Continue(end)
    }

    /// Puts the answers of an object's keys into the slots of the fields of node `owner` (a
    /// group, a table row or a repeat instance); an unknown key is an issue.
    fn match_fields<'v, A: Answer>(
        &self,
        owner: usize,
        order: &[usize],
        fields: &IdMap,
        entries: impl Iterator<Item = (&'v str, &'v A)>,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        // Keys usually come in field order (a table's rows, a row's cells): try the field
        // after the last one found before hashing the key.
        let mut cursor = 0;
        for (key, value) in entries {
            let next = order.get(cursor).copied();
            let found = next
                .filter(|&f| self.nodes[f].id == key)
                .or_else(|| fields.get(key).copied());
            match found {
                Some(field) => {
                    states.raw[field] = Some(value);
                    cursor = if found == next {
                        cursor + 1
                    } else {
                        order.binary_search(&field).map_or(cursor, |at| at + 1)
                    };
                }
                None => sink(RawIssue::unknown_key(
                    IssueCode::UnknownField,
                    Some(owner),
                    key,
                ))?,
            }
        }
        ControlFlow::Continue(())
    }

    /// Settles whether one node is enabled and checks its answer.
    fn visit<'v, A: Answer>(
        &self,
        index: usize,
        step: &Step,
        mode: Mode,
        states: &mut States<'_, 'v, A>,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let parent = step.parent.map(Slot::get);
        let parent_enabled = parent.is_none_or(|p| states.is_enabled(p));
        let enabled = parent_enabled
            && step
                .condition
                .is_none_or(|at| self.program.eval(at.get(), &|j| states.seen(j)));
        if enabled {
            states.enable(index);
        }
        match (enabled, states.raw[index]) {
            (true, Some(value)) => {
                if step.kind == QuestionKind::Group
                    && let Some(entries) = value.entries()
                    && let AnswerSpec::Group {
                        fields: order,
                        index: fields,
                    } = &self.nodes[index].spec
                {
                    self.match_fields(index, order, fields, entries, states, sink)?;
                }
                self.program.check(index, step, value, sink)?;
            }
            // A field is judged only inside a group answer that is an object.
            (true, None)
                if step.required
                    && !mode.partial
                    && states.parent_answered(parent)
                    && self.asks_for(index, states) =>
            {
                sink(RawIssue::at(IssueCode::MissingRequired, index))?;
            }
            (false, Some(_)) if !mode.lenient && parent_enabled => {
                sink(RawIssue::at(IssueCode::AnsweredWhileDisabled, index))?;
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    /// Whether `required` asks for an answer of the enabled node at `index`: always, but for
    /// a matrix or table all of whose rows are conditional, only where one of them is
    /// enabled (see [`crate::node::Node::conditional_rows`]). Row conditions test earlier
    /// questions and earlier rows of the same matrix, which, with the matrix unanswered, are
    /// unanswered too.
    pub(super) fn asks_for<A: Answer>(&self, index: usize, states: &States<'_, '_, A>) -> bool {
        self.nodes[index]
            .conditional_rows(&self.nodes)
            .is_none_or(|rows| {
                rows.iter().any(|&row| {
                    self.program.steps[row]
                        .condition
                        .is_some_and(|at| self.program.eval(at.get(), &|j| states.seen(j)))
                })
            })
    }
}
