//! [`Limits`]: every bound on what an input may make the crate do.

/// Bounds on what a survey file may make the loader do. Every bound has a default that fits
/// real surveys with room to spare; raise one by setting its field.
///
/// ```
/// use survey_schema::Limits;
/// let limits = Limits { max_questions: 50_000, ..Limits::default() };
/// assert_eq!(limits.max_depth, 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input, in bytes (default 8 MiB).
    pub max_input_bytes: usize,
    /// Deepest nesting of maps and lists in the file (default 64).
    pub max_depth: usize,
    /// Most values (scalars, lists and maps) in one file (default 250,000); with the input
    /// size, this bounds the memory a parse may take.
    pub max_nodes: usize,
    /// Most YAML alias uses in one file (default 1,000).
    pub max_aliases: usize,
    /// Most parser events that YAML aliases may replay in total, so that no alias can blow
    /// the document up (default 100,000).
    pub max_alias_expansion: usize,
    /// Most questions, counting group fields and specify boxes (default 10,000).
    pub max_questions: usize,
    /// Most choices in one question or choice set (default 1,000).
    pub max_choices: usize,
    /// Most fields in one group (default 200).
    pub max_fields: usize,
    /// Deepest nesting of `all`/`any`/`not` in one condition (default 32).
    pub max_condition_depth: usize,
    /// Longest `pattern`, in bytes (default 1,000).
    pub max_pattern_bytes: usize,
    /// Largest compiled size of one pattern, in bytes (default 1 MiB).
    pub max_pattern_compiled_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 8 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 250_000,
            max_aliases: 1_000,
            max_alias_expansion: 100_000,
            max_questions: 10_000,
            max_choices: 1_000,
            max_fields: 200,
            max_condition_depth: 32,
            max_pattern_bytes: 1_000,
            max_pattern_compiled_bytes: 1024 * 1024,
        }
    }
}
