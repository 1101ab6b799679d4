//! Shared test helpers: a seeded random source, a generator of random surveys, and a
//! generator of answer sets biased so that about half are valid.
//!
//! Everything is a pure function of a `u64` seed, so a failing case is replayed from the
//! seed that the failing test prints.
#![allow(
    dead_code,
    unused_imports,
    reason = "each test binary uses a different part of the helpers"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss,
    reason = "generators work on small numbers"
)]

mod answers;
mod sized;
mod surveys;

pub use answers::*;
pub use sized::*;
pub use surveys::*;

use std::path::{Path, PathBuf};

use survey_schema::Survey;

/// The repository's root: the library's folder, from the library's tests and from the
/// command line's (whose crate is one folder below it; they share these helpers).
pub fn root() -> &'static Path {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if env!("CARGO_PKG_NAME") == "survey-cli" {
        manifest
            .parent()
            .expect("the command line's crate is inside the repository")
    } else {
        manifest
    }
}

/// The bundled MHLW survey's file.
pub fn mhlw_path() -> PathBuf {
    root().join("schema/mhlw-hospital-cybersecurity-2024.yaml")
}

/// The bundled MHLW survey.
pub fn mhlw() -> Survey {
    Survey::from_path(mhlw_path()).expect("the bundled MHLW survey loads")
}

/// The bundled MHLW checklist.
pub fn checklist() -> Survey {
    Survey::from_path(root().join("schema/mhlw-cybersecurity-checklist-2024.yaml"))
        .expect("the bundled checklist loads")
}

/// splitmix64: small, fast, and good enough to drive generators.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo) as u64 + 1)) as i64
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Fails unless the checked-in file at `relative` (from the crate root) holds exactly
/// `fresh`, saying how to regenerate it; with `UPDATE_GENERATED=1` it rewrites the file first.
pub fn assert_fresh(relative: &str, fresh: &str, regenerate: &str) {
    let path = root().join(relative);
    if std::env::var("UPDATE_GENERATED").is_ok() {
        std::fs::write(&path, fresh).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == fresh,
        "{relative} is stale; regenerate it with\n  {regenerate}\nor run the tests with UPDATE_GENERATED=1"
    );
}

/// A public data set of the shared folder beside the clone (`../shared`, or the folder
/// `SURVEY_SHARED` names): conformance corpora are read from their own copy, never copied into
/// the repository. Missing, it is `None` and the run says on standard error which corpus was
/// skipped; under CI (`CI` set) a missing corpus fails the test instead, so CI always runs them.
pub fn shared(corpus: &str) -> Option<PathBuf> {
    use std::io::Write;
    let base =
        std::env::var_os("SURVEY_SHARED").map_or_else(|| root().join("../shared"), PathBuf::from);
    let path = base.join(corpus);
    if path.is_dir() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the public corpus {corpus} is missing at {}: CI must run the tests that read it \
         (set SURVEY_SHARED to the shared folder)",
        path.display()
    );
    // Written to the process's standard error, past the test harness's capture, so that a
    // passing run still says what it skipped.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: the public corpus {corpus} is not at {} (set SURVEY_SHARED)",
        path.display()
    );
    None
}

/// Whether every float in the data is below 2^53 in magnitude: past it, a float can equal an
/// integer for a validator that reads numbers as f64 (2^63 as a float is `i64::MAX` to it),
/// where the native conditions compare exactly; and the text `serde_json` writes for it is
/// another number (`-9.223372036854776e+18` for -2^63), which JSON text keeps exactly.
pub fn exact_floats(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            !n.is_f64()
                || n.as_f64()
                    .is_some_and(|f| f.abs() < 9_007_199_254_740_992.0)
        }
        Value::Array(items) => items.iter().all(exact_floats),
        Value::Object(map) => map.values().all(exact_floats),
        _ => true,
    }
}
