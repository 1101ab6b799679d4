//! The `inferred` marks of a survey file: each names a key its element sets, with a reason
//! in the survey's locales; and a row's `optional`, which only a required matrix or table
//! with another row to ask can take.

use serde::Serialize;

use super::{Checker, ProblemCode};
use crate::definition::{Inferred, QuestionDef};

impl Checker<'_> {
    /// The marks of one element (`path` is where the element is): every key named is one
    /// the element sets, and every reason is text like any other.
    pub(super) fn inferred(&mut self, element: &impl Serialize, inferred: &Inferred, path: &str) {
        if inferred.is_empty() {
            return;
        }
        // The element's keys as written: serialising drops every key left unset.
        let keys: Vec<String> = match serde_json::to_value(element) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| k != "inferred")
                .collect(),
            _ => Vec::new(),
        };
        for (key, reason) in inferred {
            let at = if path.is_empty() {
                format!("inferred.{key}")
            } else {
                format!("{path}.inferred.{key}")
            };
            if !keys.iter().any(|k| k == key) {
                self.problem(
                    ProblemCode::NotApplicable,
                    at.clone(),
                    format!(
                        "`inferred` names `{key}`, which this element does not set{}",
                        super::did_you_mean(key, keys.iter().map(String::as_str))
                    ),
                );
            }
            self.text(reason, at);
        }
    }

    /// `optional` rows: only in a required matrix or table, and not on every row of it (the
    /// table would then require nothing: leave `required` off the table instead).
    pub(super) fn optional_rows(&mut self, q: &QuestionDef, path: &str) {
        let rows = q.rows.as_deref().unwrap_or_default();
        let optional = rows.iter().filter(|r| r.optional).count();
        if optional == 0 {
            return;
        }
        if !q.required {
            for (i, _) in rows.iter().enumerate().filter(|(_, r)| r.optional) {
                self.problem(
                    ProblemCode::NotApplicable,
                    format!("{path}.rows[{i}].optional"),
                    "`optional` applies to a row of a required matrix or table; every row of \
                     this one is optional already",
                );
            }
        } else if optional == rows.len() {
            self.problem(
                ProblemCode::NotApplicable,
                format!("{path}.rows"),
                "every row is `optional`, so `required` would ask for nothing: leave \
                 `required` off the table instead",
            );
        }
    }
}
