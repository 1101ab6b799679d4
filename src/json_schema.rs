//! Survey to JSON Schema.
