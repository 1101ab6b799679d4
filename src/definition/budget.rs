//! The question budget: a survey over [`Limits::max_questions`] is refused while it is being
//! parsed, before it is held whole.
//!
//! [`Limits::max_questions`]: crate::limits::Limits::max_questions

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::QuestionDef;

thread_local! {
    /// `(left, max)`: questions the survey being parsed on this thread may still declare, and
    /// the limit. Unbounded outside [`with_question_budget`], where the checker's count applies instead.
    static QUESTION_BUDGET: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((usize::MAX, usize::MAX)) };
    /// How many lists of questions the parser is inside (sections, fields, columns).
    static QUESTION_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Lists of questions nest at most this deep (sections in sections, a group's fields, a
/// table's columns): past it, a file is refused while it is parsed. The derived code that
/// reads a question spends a lot of stack per level in a debug build, and real surveys nest
/// a few levels.
pub(crate) const MAX_QUESTION_NESTING: usize = 12;

/// Deserializes a list of questions (or fields), failing as soon as the survey declares more
/// than [`Limits::max_questions`], so that a huge file is refused before it is held whole.
pub(crate) fn bounded_questions<'de, D>(deserializer: D) -> Result<Vec<QuestionDef>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Bounded;
    impl<'de> Visitor<'de> for Bounded {
        type Value = Vec<QuestionDef>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of questions")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            let depth = QUESTION_DEPTH.get();
            if depth >= MAX_QUESTION_NESTING {
                return Err(de::Error::custom(format_args!(
                    "questions are nested deeper than {MAX_QUESTION_NESTING} levels (sections, fields and columns inside each other)"
                )));
            }
            QUESTION_DEPTH.set(depth + 1);
            let result = Bounded::elements(seq);
            QUESTION_DEPTH.set(depth);
            result
        }
    }
    impl Bounded {
        fn elements<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Vec<QuestionDef>, A::Error> {
            let mut questions = Vec::new();
            while let Some(question) = seq.next_element()? {
                let (left, max) = QUESTION_BUDGET.get();
                if left == 0 {
                    return Err(de::Error::custom(format_args!(
                        "the survey has more than {max} questions (raise Limits::max_questions)"
                    )));
                }
                if left != usize::MAX {
                    QUESTION_BUDGET.set((left - 1, max));
                }
                questions.push(question);
            }
            Ok(questions)
        }
    }
    deserializer.deserialize_seq(Bounded)
}

/// Sets the question budget for one parse and restores it afterwards.
pub(crate) fn with_question_budget<T>(max_questions: usize, parse: impl FnOnce() -> T) -> T {
    let previous = QUESTION_BUDGET.replace((max_questions, max_questions));
    let result = parse();
    QUESTION_BUDGET.set(previous);
    result
}
