//! What FHIR input can be refused for: [`FhirProblem`] with a typed [`FhirProblemCode`], and
//! [`Error`], every problem of one resource as one `std::error::Error`.

use std::fmt;

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal,)*) => {
        /// The stable code of a [`FhirProblem`]; [`FhirProblemCode::as_str`] is its text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum FhirProblemCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl FhirProblemCode {
            /// Every code, in the order of the documentation.
            pub const ALL: &'static [FhirProblemCode] = &[$(FhirProblemCode::$variant,)*];

            /// The code as text: `snake_case`, or the FHIR invariant's own name (`que-12`).
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FhirProblemCode::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    /// The resource is no `Questionnaire`.
    NotAQuestionnaire => "not_a_questionnaire",
    /// The resource is no `QuestionnaireResponse`.
    NotAResponse => "not_a_response",
    /// Items nest deeper than the limit.
    TooDeep => "too_deep",
    /// An item has no `linkId`.
    MissingLinkId => "missing_link_id",
    /// Two items share a `linkId`.
    DuplicateLinkId => "duplicate_link_id",
    /// An item type the survey format has no kind for.
    UnsupportedType => "unsupported_type",
    /// `repeats` where the format cannot carry several answers.
    UnsupportedRepeats => "unsupported_repeats",
    /// An answer option of a type or shape the format cannot carry.
    UnsupportedOption => "unsupported_option",
    /// Two answer options of an item with one code (and system).
    DuplicateOption => "duplicate_option",
    /// An `answerValueSet` (the format keeps its choices in the survey).
    ValueSet => "value_set",
    /// An `open-choice` item (a choice or free text).
    OpenChoice => "open_choice",
    /// A question nested under a question.
    NestedQuestion => "nested_question",
    /// A display item that is conditional or holds items.
    DisplayCondition => "display_condition",
    /// A group that holds only display items.
    DisplayOnly => "display_only",
    /// A `disabledDisplay` other than hidden.
    DisabledDisplay => "disabled_display",
    /// A regular expression outside the portable subset.
    UnsupportedRegex => "unsupported_regex",
    /// An extension that would change a verdict if it were ignored.
    UnsupportedExtension => "unsupported_extension",
    /// An element that would change a verdict if it were ignored.
    UnsupportedElement => "unsupported_element",
    /// An `enableWhen` the format's conditions cannot hold.
    UnsupportedCondition => "unsupported_condition",
    /// A `questionnaire-constraint` outside the rules the format carries.
    UnsupportedConstraint => "unsupported_constraint",
    /// A `FHIRPath` expression outside the subset the crate reads.
    Expression => "expression",
    /// A condition on an item that does not exist (or does not come earlier).
    UnknownQuestion => "unknown_question",
    /// A condition on a code that is none of the item's options.
    UnknownCode => "unknown_code",
    /// Several `enableWhen` without `enableBehavior` (FHIR's invariant que-12).
    Que12 => "que-12",
    /// A response whose answers are not an object.
    NotAnObject => "not_an_object",
    /// An answer FHIR cannot hold (`null`, an object where a value belongs).
    Unrepresentable => "unrepresentable",
    /// An element of the wrong JSON type or shape: an `item` or `answer` that is no array of
    /// objects, a `linkId` or `status` that is no string, an answer with two `value[x]`.
    InvalidElement => "invalid_element",
    /// An item that does not repeat given twice among its siblings.
    RepeatedItem => "repeated_item",
}

impl fmt::Display for FhirProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a Questionnaire or a `QuestionnaireResponse` could not be carried, in part or whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhirProblem {
    /// What kind of problem (`unsupported_type`, `expression`, `que-12`, ...).
    pub code: FhirProblemCode,
    /// Where, as a `FHIRPath` location in the resource (`Questionnaire.item[2].enableWhen[0]`).
    pub path: String,
    /// What cannot be carried, and why.
    pub message: String,
}

impl fmt::Display for FhirProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.path, self.code, self.message)
    }
}

/// Every problem of one FHIR resource (never empty): a `std::error::Error`, so `?` carries it,
/// and a slice of [`FhirProblem`]s to read each one.
///
/// ```
/// use survey_schema::fhir::{self, FhirProblemCode};
/// let error = fhir::import(&serde_json::json!({"resourceType": "Patient"})).unwrap_err();
/// assert_eq!(error[0].code, FhirProblemCode::NotAQuestionnaire);
/// let boxed: Box<dyn std::error::Error> = Box::new(error);
/// assert!(boxed.to_string().starts_with("1 FHIR problem: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    problems: Vec<FhirProblem>,
}

impl Error {
    pub(crate) fn new(problems: Vec<FhirProblem>) -> Error {
        Error { problems }
    }

    /// The problems, in the order of the resource.
    #[must_use]
    pub fn problems(&self) -> &[FhirProblem] {
        &self.problems
    }

    /// The problems, owned.
    #[must_use]
    pub fn into_problems(self) -> Vec<FhirProblem> {
        self.problems
    }
}

impl std::ops::Deref for Error {
    type Target = [FhirProblem];

    fn deref(&self) -> &[FhirProblem] {
        &self.problems
    }
}

impl<'a> IntoIterator for &'a Error {
    type Item = &'a FhirProblem;
    type IntoIter = std::slice::Iter<'a, FhirProblem>;

    fn into_iter(self) -> Self::IntoIter {
        self.problems.iter()
    }
}

impl IntoIterator for Error {
    type Item = FhirProblem;
    type IntoIter = std::vec::IntoIter<FhirProblem>;

    fn into_iter(self) -> Self::IntoIter {
        self.problems.into_iter()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "{count} FHIR problem{}",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, problem) in self.problems.iter().enumerate() {
            write!(f, "{}{problem}", if i == 0 { ": " } else { "; " })?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
