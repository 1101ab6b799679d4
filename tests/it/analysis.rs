//! The static analysis, held to what it claims on generated surveys: "unreachable" is
//! never wrong (no generated answer set, valid or a valid draft, enables the question), and
//! "reachable" comes with a witness the validator accepts and that enables the question;
//! examples are valid and cover; the paths agree with the verdicts.

use crate::common;

use std::collections::HashSet;
use std::fmt::Write;

use common::{Rng, random_answers, random_survey, valid_answers};
use serde_json::Value;
use survey_schema::analysis::{FindingCode, QuestionVerdict, Reachability};
use survey_schema::{Locale, Survey, ValidateOptions};

/// The pointers the answers enable, a repeat's instance written `-` (as the analysis
/// names a repeat's fields).
fn enabled(survey: &Survey, answers: &Value) -> HashSet<String> {
    survey
        .enabled(answers)
        .into_iter()
        .map(|q| {
            let tokens: Vec<&str> = q.pointer.split('/').collect();
            if tokens.len() == 4 && tokens[2].bytes().all(|b| b.is_ascii_digit()) {
                format!("/{}/-/{}", tokens[1], tokens[3])
            } else {
                q.pointer.to_string()
            }
        })
        .collect()
}

fn draft() -> ValidateOptions {
    ValidateOptions {
        partial: true,
        ..ValidateOptions::default()
    }
}

/// Answer sets a respondent could send (valid, at least as drafts): generated ones and
/// every witness.
fn answer_sets(survey: &Survey, seed: u64, witnesses: &[Value]) -> Vec<Value> {
    let mut rng = Rng::new(seed ^ 0x5EED);
    let mut out: Vec<Value> = (0..60).map(|_| valid_answers(&mut rng, survey)).collect();
    out.extend((0..60).map(|_| random_answers(&mut rng, survey)));
    out.extend(witnesses.iter().cloned());
    out.retain(|answers| survey.is_valid_with(answers, &draft()));
    out
}

#[test]
fn verdicts_hold_on_generated_surveys() {
    let (mut unreachable, mut reachable, mut undecided, mut without_witness) = (0, 0, 0, 0);
    let mut blocked = 0;
    for seed in 0..400 {
        let (survey, definition) = random_survey(seed);
        let analysis = survey_schema::analysis::analyze(&survey);
        let sets = answer_sets(&survey, seed, &analysis.witnesses);
        let seen: Vec<HashSet<String>> = sets.iter().map(|a| enabled(&survey, a)).collect();
        for QuestionVerdict { pointer, reach, .. } in &analysis.questions {
            let context = || format!("seed {seed}, {pointer}\n{definition:#}");
            // No answer set a respondent could send enables what the analysis calls never.
            let never = |said: &str| {
                if let Some(k) = seen.iter().position(|s| s.contains(pointer)) {
                    panic!("{}\nsaid {said}, but enabled by {}", context(), sets[k]);
                }
            };
            match *reach {
                Reachability::Unreachable => {
                    unreachable += 1;
                    never("unreachable");
                }
                Reachability::Reachable {
                    witness: Some(w),
                    complete,
                } => {
                    reachable += 1;
                    let answers = &analysis.witnesses[w];
                    if complete {
                        assert!(survey.is_valid(answers), "{}\n{answers}", context());
                    } else {
                        assert!(
                            survey.is_valid_with(answers, &draft()),
                            "{}\n{answers}",
                            context()
                        );
                    }
                    assert!(
                        enabled(&survey, answers).contains(pointer),
                        "{}\nthe witness does not enable it: {answers}",
                        context()
                    );
                }
                Reachability::Reachable { witness: None, .. } => without_witness += 1,
                Reachability::BlockedByRules => {
                    blocked += 1;
                    never("blocked by rules");
                }
                Reachability::Undecided => undecided += 1,
                _ => {}
            }
        }
    }
    eprintln!(
        "reachable {reachable}, unreachable {unreachable}, blocked by rules {blocked}, without witness {without_witness}, undecided {undecided}"
    );
    // The generator writes unreachable questions too, or the first half says nothing.
    assert!(unreachable > 20, "{unreachable}");
    // Nearly every verdict is decided and witnessed.
    let total = reachable + unreachable + blocked + without_witness + undecided;
    assert!(
        (without_witness + undecided) * 50 < total,
        "{without_witness} + {undecided} of {total}"
    );
}

#[test]
fn examples_are_valid_and_cover_every_reachable_question() {
    for seed in 0..150 {
        let (survey, _) = random_survey(seed);
        let analysis = survey_schema::analysis::analyze(&survey);
        for cover in [false, true] {
            let examples = survey_schema::analysis::examples(&survey, cover);
            let mut union = HashSet::new();
            for answers in &examples {
                assert!(survey.is_valid(answers), "seed {seed}: {answers}");
                union.extend(enabled(&survey, answers));
            }
            for question in &analysis.questions {
                if matches!(
                    question.reach,
                    Reachability::Reachable { complete: true, .. }
                ) {
                    assert!(
                        union.contains(&question.pointer),
                        "seed {seed} (cover {cover}): no example enables {}",
                        question.pointer
                    );
                }
            }
        }
    }
}

/// Splitting a part on its first question gives what enumerating it gives.
#[test]
fn split_paths_equal_enumerated_paths() {
    let mut compared = 0;
    for seed in 0..150 {
        let (survey, _) = random_survey(seed);
        let whole = survey_schema::analysis::paths(&survey);
        let split = survey_schema::analysis::paths_splitting_after(&survey, 1);
        if whole.exact && split.exact {
            compared += 1;
            assert_eq!(whole.count, split.count, "seed {seed}");
            assert_eq!(
                (whole.fewest, whole.most),
                (split.fewest, split.most),
                "seed {seed}"
            );
            for (a, b) in whole.questions.iter().zip(&split.questions) {
                assert!(
                    (a.share - b.share).abs() < 1e-9,
                    "seed {seed}: {} {} {}",
                    a.pointer,
                    a.share,
                    b.share
                );
            }
        } else if whole.exact {
            // A range must hold the exact count.
            assert!(
                split.count <= whole.count && whole.count <= split.at_most.unwrap_or(u128::MAX),
                "seed {seed}"
            );
        }
    }
    assert!(compared > 75, "{compared} compared");
}

#[test]
fn paths_agree_with_the_verdicts_and_the_answers() {
    let mut exact = 0;
    for seed in 0..150 {
        let (survey, _) = random_survey(seed);
        let analysis = survey_schema::analysis::analyze(&survey);
        let paths = survey_schema::analysis::paths(&survey);
        if !paths.exact {
            continue;
        }
        exact += 1;
        let mut sets = answer_sets(&survey, seed, &analysis.witnesses);
        // Paths are those of complete answer sets.
        sets.retain(|answers| survey.is_valid(answers));
        let mut distinct = HashSet::new();
        for answers in &sets {
            let on = enabled(&survey, answers);
            let mut key: Vec<&String> = on.iter().collect();
            key.sort();
            let size = key.len();
            assert!(
                (paths.fewest..=paths.most).contains(&size),
                "seed {seed}: {size} questions enabled, outside {}..={}: {answers}",
                paths.fewest,
                paths.most,
            );
            distinct.insert(format!("{key:?}"));
        }
        assert!(distinct.len() as u128 <= paths.count, "seed {seed}");
        for (verdict, reach) in analysis.questions.iter().zip(&paths.questions) {
            assert_eq!(verdict.pointer, reach.pointer);
            match verdict.reach {
                Reachability::Unreachable => {
                    assert!(reach.share == 0.0, "seed {seed}: {}", reach.pointer);
                }
                Reachability::Reachable { complete: true, .. } => {
                    assert!(reach.share > 0.0, "seed {seed}: {}", reach.pointer);
                }
                _ => {}
            }
        }
    }
    // Most generated surveys are enumerated exactly, or this test says little.
    assert!(exact > 75, "{exact} of 150 exact");
}

/// Each broken survey under `tests/fixtures/analysis/` names the code it must get on its
/// first line (`# expect: unreachable`); its findings, at their line and column in both
/// languages, are snapshot tested.
#[test]
fn broken_surveys_get_their_warning_at_the_right_place() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/analysis");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 20, "{} fixtures", files.len());
    let mut codes = HashSet::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{name}: no `# expect:` line"));
        let survey = Survey::from_yaml(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut analysis = survey_schema::analysis::analyze(&survey);
        analysis.locate(&text);
        assert!(
            analysis
                .findings
                .iter()
                .any(|f| f.code.as_str() == expected),
            "{name}: expected {expected}, found {:?}",
            analysis.findings
        );
        let mut out = String::new();
        for finding in &analysis.findings {
            let location = finding.location.expect("every finding has a location");
            let _ = write!(
                out,
                "{}:{}: {}: {}\n  en: {}\n  ja: {}\n",
                location.line,
                location.column,
                finding.code,
                finding.path,
                finding.message(Locale::En),
                finding.message(Locale::Ja)
            );
            codes.insert(finding.code);
        }
        insta::assert_snapshot!(format!("analysis_{name}"), out);
    }
    // Every code has a fixture.
    for code in FindingCode::ALL {
        assert!(codes.contains(&code), "no fixture gets {code}");
    }
}

#[test]
fn the_bundled_surveys_analyse_clean() {
    for name in [
        "mhlw-hospital-cybersecurity-2024",
        "mhlw-cybersecurity-checklist-2024",
    ] {
        let path = format!("{}/schema/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
        let survey = Survey::from_path(&path).unwrap();
        let analysis = survey_schema::analysis::analyze(&survey);
        assert!(
            analysis.findings.is_empty(),
            "{name}: {:?}",
            analysis.findings
        );
        assert!(
            analysis
                .questions
                .iter()
                .all(|q| matches!(q.reach, Reachability::Reachable { complete: true, .. })),
            "{name}: every question has a complete witness"
        );
        for answers in survey_schema::analysis::examples(&survey, true) {
            assert!(survey.is_valid(&answers), "{name}: {answers}");
        }
    }
}

/// A chain where each question depends on the one before: every check reads the whole
/// chain, so the analysis reaches its overall bound and says so once, instead of running
/// for minutes.
#[test]
fn a_long_chain_reaches_the_overall_bound_and_says_so() {
    let mut yaml =
        String::from("id: chain\nversion: '1'\ndefault_locale: en\ntitle: Chain\nquestions:\n");
    yaml.push_str("  - {id: q0, type: boolean, title: Q0}\n");
    for i in 1..3_000 {
        let _ = writeln!(
            yaml,
            "  - {{id: q{i}, type: boolean, title: Q{i}, enable_when: {{question: q{}, equals: true}}}}",
            i - 1
        );
    }
    let survey = Survey::from_yaml(&yaml).unwrap();
    let analysis = survey_schema::analysis::analyze(&survey);
    let codes: Vec<FindingCode> = analysis.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [FindingCode::Undecided], "{:?}", analysis.findings);
    assert_eq!(analysis.findings[0].path, "questions");
    // What was decided before the bound stands: every question is reachable.
    assert!(
        analysis
            .questions
            .iter()
            .all(|q| matches!(q.reach, Reachability::Reachable { complete: true, .. }))
    );
}
