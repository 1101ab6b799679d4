//! The rule of each question kind, beside the tables it reads: what makes a present answer of
//! an enabled node wrong.

use std::cmp::Ordering;
use std::ops::ControlFlow;

use super::{Program, Step, TextRule};
use crate::date;
use crate::definition::QuestionKind;
use crate::issue::{Expected, IssueCode, RawDetail, RawIssue};
use crate::json::{Answer, compare_answer};
use crate::number::as_integer;

impl Program {
    /// Whether `value` is an answer node `index` accepts (its kind's rule alone, not the
    /// fields of a group or the instances of a repeat).
    pub(crate) fn accepts(&self, index: usize, value: &serde_json::Value) -> bool {
        self.steps.get(index).is_some_and(|step| {
            self.check(index, step, value, &mut |_| ControlFlow::Break(()))
                .is_continue()
        })
    }

    /// Checks one present answer of an enabled node against its rule.
    pub(crate) fn check<'v, A: Answer>(
        &self,
        index: usize,
        step: &Step,
        value: &'v A,
        sink: &mut impl FnMut(RawIssue<'v, A>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let issue = |code, detail| RawIssue::at(code, index).with(detail);
        let wrong = |expected| issue(IssueCode::WrongType, RawDetail::Expected(expected));
        let counted = |code, actual, limit| {
            issue(
                code,
                RawDetail::Count {
                    actual,
                    limit: u64::from(limit),
                },
            )
        };
        let rule = step.rule as usize;
        match step.kind {
            QuestionKind::Boolean => {
                if value.as_bool().is_none() {
                    sink(wrong(Expected::Boolean))?;
                }
            }
            QuestionKind::SingleChoice => match value.as_str() {
                None => sink(wrong(Expected::ChoiceValue))?,
                Some(s) if self.choice_index(&self.choice_rules[rule], s).is_none() => {
                    sink(issue(IssueCode::UnknownChoice, RawDetail::Value(value)))?;
                }
                Some(_) => {}
            },
            QuestionKind::MultipleChoice => {
                let Some(items) = value.as_array() else {
                    return sink(wrong(Expected::ChoiceArray));
                };
                let choices = &self.choice_rules[rule];
                let mut picked = Picked::new(choices.count());
                for (i, item) in items.iter().enumerate() {
                    match item.as_str().map(|s| self.choice_index(choices, s)) {
                        None => sink(
                            issue(
                                IssueCode::WrongType,
                                RawDetail::Expected(Expected::ChoiceValue),
                            )
                            .item(i),
                        )?,
                        Some(None) => {
                            sink(issue(IssueCode::UnknownChoice, RawDetail::Value(item)).item(i))?;
                        }
                        Some(Some(choice)) => {
                            if !picked.insert(choice) {
                                sink(
                                    issue(IssueCode::DuplicateChoice, RawDetail::Value(item))
                                        .item(i),
                                )?;
                            }
                        }
                    }
                }
                if let Some(min) = choices.min
                    && items.len() < min as usize
                {
                    sink(counted(IssueCode::TooFewChoices, items.len(), min))?;
                }
                if let Some(max) = choices.max
                    && items.len() > max as usize
                {
                    sink(counted(IssueCode::TooManyChoices, items.len(), max))?;
                }
                // An exclusive value with any other item (JSON Schema's
                // `not: {allOf: [{contains: {const: v}}, {contains: {not: {const: v}}}]}`); its
                // repeats alone are only `duplicate_choice` above. The first exclusive choice
                // present, in the order of the choices, is the one reported.
                if choices.has_exclusive && items.len() >= 2 {
                    for (choice, _) in self
                        .choice_values(choices)
                        .filter(|&(_, exclusive)| exclusive)
                    {
                        let Some(item) = items.iter().find(|v| v.as_str() == Some(choice)) else {
                            continue;
                        };
                        if items.iter().any(|v| v.as_str() != Some(choice)) {
                            sink(issue(
                                IssueCode::ExclusiveChoiceCombined,
                                RawDetail::Value(item),
                            ))?;
                        }
                        break;
                    }
                }
            }
            QuestionKind::Text => {
                let TextRule {
                    min_length,
                    max_length,
                    pattern,
                    format,
                } = &self.text_rules[rule];
                let Some(text) = value.as_str() else {
                    return sink(wrong(Expected::String));
                };
                // A string has at most as many scalar values as bytes and at least a quarter as
                // many, so most lengths are settled without counting.
                let bytes = text.len();
                let settled = min_length.is_none_or(|min| bytes / 4 >= min as usize)
                    && max_length.is_none_or(|max| bytes <= max as usize);
                let length = if settled { 0 } else { text.chars().count() };
                if let Some(min) = min_length
                    && !settled
                    && length < *min as usize
                {
                    sink(counted(IssueCode::TooShort, length, *min))?;
                }
                if let Some(max) = max_length
                    && !settled
                    && length > *max as usize
                {
                    sink(counted(IssueCode::TooLong, length, *max))?;
                }
                if let Some(pattern) = pattern
                    && !pattern.is_match(text)
                {
                    sink(issue(IssueCode::PatternMismatch, RawDetail::Value(value)))?;
                }
                if let Some(format) = format
                    && !format.is_match(text)
                {
                    sink(issue(IssueCode::InvalidFormat, RawDetail::Value(value)))?;
                }
            }
            QuestionKind::Integer => {
                let (minimum, maximum) = self.integer_rules[rule];
                let Some(number) = value.as_number() else {
                    return sink(wrong(Expected::Integer));
                };
                match as_integer(number, value.literal()) {
                    Err(false) => sink(wrong(Expected::Integer))?,
                    Err(true) => sink(issue(IssueCode::OutOfRange, RawDetail::Range(value)))?,
                    Ok(n) => {
                        if minimum.is_some_and(|min| n < min) || maximum.is_some_and(|max| n > max)
                        {
                            sink(issue(IssueCode::OutOfRange, RawDetail::Range(value)))?;
                        }
                    }
                }
            }
            QuestionKind::Number => {
                let (minimum, maximum) = &self.number_rules[rule];
                if value.as_number().is_none() {
                    return sink(wrong(Expected::Number));
                }
                let below = minimum
                    .as_ref()
                    .is_some_and(|min| compare_answer(value, min) == Some(Ordering::Less));
                let above = maximum
                    .as_ref()
                    .is_some_and(|max| compare_answer(value, max) == Some(Ordering::Greater));
                if below || above {
                    sink(issue(IssueCode::OutOfRange, RawDetail::Range(value)))?;
                }
            }
            QuestionKind::Date => {
                let (earliest, latest) = self.date_rule(step.rule);
                let Some(text) = value.as_str() else {
                    return sink(wrong(Expected::Date));
                };
                if date::parse_date(text).is_none() {
                    return sink(issue(IssueCode::InvalidDate, RawDetail::Value(value)));
                }
                let early = earliest.is_some_and(|e| text < e);
                let late = latest.is_some_and(|l| text > l);
                if early || late {
                    sink(issue(IssueCode::OutOfRange, RawDetail::Range(value)))?;
                }
            }
            QuestionKind::Repeat => {
                let Some(items) = value.as_array() else {
                    return sink(wrong(Expected::Instances));
                };
                let repeat = self.repeat_rules[rule];
                if let Some(min) = repeat.min
                    && items.len() < min as usize
                {
                    sink(counted(IssueCode::TooFewItems, items.len(), min))?;
                }
                if let Some(max) = repeat.max
                    && items.len() > max as usize
                {
                    sink(counted(IssueCode::TooManyItems, items.len(), max))?;
                }
            }
            // A node's kind is one of answer kinds: matrices and tables are groups.
            QuestionKind::Group
            | QuestionKind::Matrix
            | QuestionKind::Table
            | QuestionKind::Section => {
                if !value.is_object() {
                    sink(wrong(Expected::Object))?;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// Which choices an answer has picked: bits on the stack for up to 1,024 choices.
enum Picked {
    Small([u64; 16]),
    Large(Vec<bool>),
}

impl Picked {
    fn new(choices: usize) -> Picked {
        if choices <= 1024 {
            Picked::Small([0; 16])
        } else {
            Picked::Large(vec![false; choices])
        }
    }

    /// Marks a choice; false when it was already marked.
    fn insert(&mut self, choice: usize) -> bool {
        match self {
            Picked::Small(bits) => {
                let (word, bit) = (choice / 64, 1u64 << (choice % 64));
                let fresh = bits[word] & bit == 0;
                bits[word] |= bit;
                fresh
            }
            Picked::Large(seen) => !std::mem::replace(&mut seen[choice], true),
        }
    }
}
