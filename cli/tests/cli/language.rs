//! The language the command line speaks: the survey's own unless `--locale` says otherwise.

use crate::commands::{run, temp_file};

/// Without `--locale`, every command speaks the survey's `default_locale` (English where the
/// crate has no catalogue for it); `--locale` overrides it.
#[test]
fn every_command_speaks_the_surveys_own_language_by_default() {
    let survey = |locale: &str| {
        format!(
            "id: s\nversion: '1'\ndefault_locale: {locale}\nlocales: [{locale}, ja, en]\ntitle: T\nquestions:\n  - {{ id: a, type: boolean, title: A }}\n  - {{ id: b, type: integer, title: B, enable_when: {{ all: [ {{ question: a, equals: true }}, {{ question: a, answered: true }} ] }} }}\n"
        )
    };
    let answers = temp_file("locale-answers.json", br#"{"a": true, "b": "x"}"#);
    for (locale, issue, finding, universe) in [
        (
            "en",
            "the answer must be an integer",
            "never changes",
            "if a = yes",
        ),
        (
            "ja",
            "回答は整数でなければなりません",
            "表示を変えることがありません",
            "aで「はい」と回答した場合",
        ),
        (
            "fr",
            "the answer must be an integer",
            "never changes",
            "if a = yes",
        ),
    ] {
        let file = temp_file(&format!("locale-{locale}.yaml"), survey(locale).as_bytes());
        let (_, out, _) = run(&["validate", &file, &answers], None);
        assert!(out.contains(issue), "validate, {locale}: {out}");
        let (_, _, err) = run(&["check", &file], None);
        assert!(err.contains(finding), "check, {locale}: {err}");
        let (_, out, _) = run(&["codebook", &file], None);
        assert!(out.contains(universe), "codebook, {locale}: {out}");
    }
    let file = temp_file("locale-ja.yaml", survey("ja").as_bytes());
    let (_, out, _) = run(&["validate", "--locale", "en", &file, &answers], None);
    assert!(out.contains("the answer must be an integer"), "{out}");
    let (_, _, err) = run(&["check", "--locale", "en", &file], None);
    assert!(err.contains("never changes"), "{err}");
}
