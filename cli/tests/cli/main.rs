//! The `survey` command line's tests, one binary: every command run as a user runs it, from the
//! repository's root, on the bundled surveys and batches.

#[path = "../../../tests/it/common/mod.rs"]
mod common;

mod commands;
mod docs;
mod export;
mod hostile;
mod language;
