//! The user guide: the pages of `docs/`, one module each, so that their Rust examples run as
//! doctests and what they say is checked with the code. Start with the crate's front page
//! (the README), then the page of the task at hand.

// The pages' links name the crate's items as its front page does.
#[allow(unused_imports)]
use crate::*;

/// Writing a survey: the definition format.
#[doc = include_str!("../docs/format.md")]
pub mod format {}

/// Validating answers from Rust and the command line.
#[doc = include_str!("../docs/validating.md")]
pub mod validating {}

/// The `survey` command: each task, its output and exit codes.
#[doc = include_str!("../docs/commands.md")]
pub mod commands {}

/// The `survey` command's reference, generated from its argument definitions.
#[doc = include_str!("../docs/cli.md")]
pub mod cli_reference {}

/// JSON Schema, the JSON Forms UI schema and form builders.
#[doc = include_str!("../docs/forms.md")]
pub mod forms {}

/// FHIR Questionnaire and `QuestionnaireResponse`.
#[doc = include_str!("../docs/fhir.md")]
pub mod fhir_exchange {}

/// Analysing the answers: tables, codebook, report and recipes.
#[doc = include_str!("../docs/analysis.md")]
pub mod analysing_answers {}

/// Analysing a survey's logic.
#[doc = include_str!("../docs/logic-analysis.md")]
pub mod analysing_logic {}

/// Limits and security.
#[doc = include_str!("../docs/limits.md")]
pub mod security {}

/// Dependencies, and why each.
#[doc = include_str!("../docs/dependencies.md")]
pub mod dependencies {}
