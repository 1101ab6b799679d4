//! The architecture, held: modules are layered, imports point one way, no file is too long.
//!
//! A module is a file or folder directly under a crate's `src/` (its root file aside: `lib.rs`
//! of the library, `main.rs` of the command line in `cli/`). An arrow is a `crate::x`
//! reference in code (comments and doc links do not count). A module may refer only to
//! modules before it in its crate's layer list ([`LAYERS`], [`CLI_LAYERS`]), so there is no
//! cycle; the library's code map lists the same modules in the same order. The command line
//! calls the library only: the library never names it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every module of `src/`, in layer order: foundations, definition, load, check, compile,
/// survey, validate, analyse, generate. This list is the one place the order is written.
const LAYERS: &[&str] = &[
    // foundations
    "limits",
    "quote",
    "input",
    "number",
    "json",
    "date",
    "pattern",
    "issue",
    // definition
    "definition",
    // load
    "yaml_core",
    "load",
    // check
    "condition",
    "node",
    "check",
    // exchange
    "fhir",
    "error",
    // compile
    "program",
    // every text of every stage
    "messages",
    // survey
    "survey",
    // validate
    "validate",
    "tabular",
    "codebook",
    "report",
    // analyse
    "analysis",
    // generate
    "json_schema",
    "ui_schema",
    // the user guide (docs/ as module documentation)
    "guide",
];

/// Every module of the command line (`cli/src/`), in layer order: what reaches a terminal,
/// what every command shares, answer input, streaming, then the commands; `main.rs`
/// (arguments and dispatch) above all.
const CLI_LAYERS: &[&str] = &[
    "terminal",
    "files",
    "responses",
    "stream",
    "validate",
    "fhir",
    "export",
    "codebook",
    "report",
    "analysis",
    "reference",
];

const MAX_LINES: usize = 800;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn cli_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cli/src")
}

/// The Rust files of a module (one file, or every file in its folder).
fn files(path: &Path, out: &mut Vec<PathBuf>) {
    let installed = path
        .file_name()
        .is_some_and(|n| n == "node_modules" || n == "target");
    if path.is_dir() && !installed {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in entries {
            files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The modules directly under a crate's `src/` (its root file aside), each with its files.
fn modules_of(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules = BTreeMap::new();
    for entry in fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib"
            || name == "main"
            || (path.is_file() && path.extension().is_none_or(|e| e != "rs"))
        {
            continue;
        }
        let mut list = Vec::new();
        files(&path, &mut list);
        modules.insert(name, list);
    }
    modules
}

/// The modules a file's code refers to as `crate::x`, with the line of the first reference.
fn arrows(text: &str) -> BTreeMap<String, usize> {
    let mut arrows = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue; // `$crate::` or an identifier ending in `crate`
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                arrows.entry(name).or_insert(number + 1);
            }
        }
    }
    arrows
}

/// The library's modules.
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    modules_of(&src())
}

fn assert_listed_once(src: &Path, layers: &[&str]) {
    let found: Vec<String> = modules_of(src).into_keys().collect();
    let mut listed: Vec<String> = layers.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    let mut unique = listed.clone();
    unique.dedup();
    assert_eq!(listed, unique, "a module is listed twice in the layers");
    assert_eq!(
        found,
        listed,
        "the layers must list exactly the modules of {}",
        src.display()
    );
}

#[test]
fn every_module_of_src_is_in_the_layer_order_once() {
    assert_listed_once(&src(), LAYERS);
    assert_listed_once(&cli_src(), CLI_LAYERS);
}

#[test]
fn imports_point_only_to_earlier_layers() {
    assert_layered(&src(), LAYERS);
    assert_layered(&cli_src(), CLI_LAYERS);
}

#[test]
fn the_library_never_names_the_command_line() {
    for paths in modules().into_values() {
        for path in paths {
            let text = fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("survey_cli"),
                "{}: the library refers to the command line",
                path.display()
            );
        }
    }
}

fn assert_layered(src: &Path, layers: &[&str]) {
    let rank = |name: &str| layers.iter().position(|m| *m == name);
    let mut wrong = Vec::new();
    for (module, paths) in modules_of(src) {
        let Some(own) = rank(&module) else { continue };
        for path in paths {
            let text = fs::read_to_string(&path).unwrap();
            for (target, line) in arrows(&text) {
                // Lib-level re-exports (`crate::Survey`) name no module: ask for the path.
                let Some(target_rank) = rank(&target) else {
                    if target.chars().next().is_some_and(char::is_uppercase)
                        || layers.contains(&target.as_str())
                    {
                        wrong.push(format!(
                            "{}:{line}: `crate::{target}`: name the module, not the re-export",
                            path.display()
                        ));
                    }
                    continue;
                };
                if target_rank > own {
                    wrong.push(format!(
                        "{}:{line}: `{module}` refers to `{target}`, a later layer",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_code_map_and_the_mod_lines_follow_the_layer_order() {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let mapped: Vec<String> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("//! - "))
        .filter_map(|item| {
            let item = item.trim_start_matches('[');
            let name = item.strip_prefix('`')?;
            Some(name[..name.find('`')?].to_owned())
        })
        .collect();
    assert_eq!(
        mapped, LAYERS,
        "the code map in lib.rs lists the modules in layer order"
    );
    let declared: Vec<String> = lib
        .lines()
        .filter_map(|line| {
            let line = line.strip_prefix("pub ").unwrap_or(line);
            line.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        declared, LAYERS,
        "the mod lines in lib.rs follow the layer order"
    );
    let main = fs::read_to_string(cli_src().join("main.rs")).unwrap();
    let declared: Vec<&str> = main
        .lines()
        .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    assert_eq!(
        declared, CLI_LAYERS,
        "the mod lines in cli/src/main.rs follow the layer order"
    );
}

#[test]
fn no_source_file_is_longer_than_800_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in [
        "src",
        "cli/src",
        "cli/tests",
        "tests",
        "benches",
        "examples",
        "fuzz/fuzz_targets",
    ] {
        files(&root.join(dir), &mut all);
    }
    // The browser tests and the forms module are code too.
    for dir in ["tests/browser", "tests/browser/src", "forms"] {
        for entry in fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|e| e == "js" || e == "mjs" || e == "jsx")
            {
                all.push(path);
            }
        }
    }
    assert!(all.len() > 40, "{} files", all.len());
    let long: Vec<String> = all
        .iter()
        .filter_map(|path| {
            let lines = fs::read_to_string(path).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split by responsibility: {long:?}");
}

#[test]
fn the_arrow_reader_sees_code_and_not_comments() {
    let text = "use crate::json::Answer;\n// crate::survey in a comment\nlet x = $crate::foo;\n/// [`crate::validate`]\nfoo(crate::date::parse_date(s));";
    let found: Vec<String> = arrows(text).into_keys().collect();
    assert_eq!(found, ["date", "json"]);
}

/// Lines of code (comments, doc comments and a file's `#[cfg(test)]` part aside) that hold
/// Japanese text (kana or kanji: the quotes 「」 a message reader knows are punctuation),
/// with their numbers.
fn japanese_in_code(text: &str) -> Vec<usize> {
    let japanese = |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}');
    text.lines()
        .take_while(|line| line.trim() != "#[cfg(test)]")
        .enumerate()
        .filter(|(_, line)| {
            let code = line.split("//").next().unwrap_or_default();
            code.chars().any(japanese)
        })
        .map(|(number, _)| number + 1)
        .collect()
}

/// Every text a person reads in Japanese (or English) comes from the catalogues of
/// `messages/`: no other module of the library or the command line writes a word of it.
#[test]
fn no_japanese_text_outside_the_messages_module() {
    let mut found = Vec::new();
    for src in [src(), cli_src()] {
        for (module, paths) in modules_of(&src) {
            if src == self::src() && module == "messages" {
                continue;
            }
            for path in paths {
                let text = fs::read_to_string(&path).unwrap();
                for line in japanese_in_code(&text) {
                    found.push(format!("{}:{line}", path.display()));
                }
            }
        }
        for root in ["lib.rs", "main.rs"] {
            if let Ok(text) = fs::read_to_string(src.join(root)) {
                for line in japanese_in_code(&text) {
                    found.push(format!("{}:{line}", src.join(root).display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "Japanese text outside messages/: {found:?}"
    );
}

/// The compiled survey is the model's, with its read API and the validation family: every
/// stage that generates from it (JSON Schema, the UI schema, tables, codebook, analysis)
/// is a function of its own module over `&Survey`, not a method written elsewhere.
#[test]
fn only_the_model_and_validation_implement_survey() {
    let allowed = ["survey", "validate"];
    let mut found = Vec::new();
    for (module, paths) in modules_of(&src()) {
        for path in paths {
            let text = fs::read_to_string(&path).unwrap();
            if text.lines().any(|l| l == "impl Survey {") && !allowed.contains(&module.as_str()) {
                found.push(path.display().to_string());
            }
        }
    }
    assert!(
        found.is_empty(),
        "`impl Survey` outside the model and validate/: {found:?}"
    );
}

#[test]
fn the_japanese_reader_sees_code_and_not_comments_or_tests() {
    let text = "/// `はい`\nlet a = \"いいえ\"; // 「」\nlet b = 1; // 質問\nlet c = \"「{}」\";\nlet e = \"全員\";\n#[cfg(test)]\nlet d = \"回答\";";
    assert_eq!(japanese_in_code(text), [2, 5]);
}
