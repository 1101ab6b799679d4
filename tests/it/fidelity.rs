//! The bundled forms against their sources. Every Japanese text of the 2024 survey that the
//! file does not mark `inferred` occurs in the seed document it was encoded from (whitespace
//! and list bullets aside; read from the shared folder beside the clone); and every inferred
//! mark of both bundled files gives its reason in each of the survey's locales.

use crate::common;

use survey_schema::definition::{
    ChoiceDef, CitationDef, Inferred, QuestionDef, RowDef, SurveyDefinition, Text,
};

const CHECKLIST: &str = "schema/mhlw-cybersecurity-checklist-2024.yaml";

fn definition(path: &str) -> SurveyDefinition {
    survey_schema::Survey::from_path(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .definition()
        .clone()
}

/// A text without whitespace and the bullets a document's text layer adds to lists.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '・' | '•'))
        .collect()
}

/// Every `ja` text of the survey not marked inferred, with where it is.
#[derive(Default)]
struct Texts(Vec<(String, String)>);

impl Texts {
    fn add(&mut self, at: &str, text: Option<&Text>, inferred: &Inferred, key: &str) {
        if inferred.contains_key(key) {
            return;
        }
        if let Some(ja) = text.and_then(|t| t.exact("ja", "ja")) {
            self.0.push((format!("{at}.{key}"), ja.to_owned()));
        }
    }

    fn citations(&mut self, at: &str, citations: &[CitationDef]) {
        for (i, c) in citations.iter().enumerate() {
            let at = format!("{at}.references[{i}]");
            self.add(&at, c.section.as_ref(), &c.inferred, "section");
            self.add(&at, c.quote.as_ref(), &c.inferred, "quote");
        }
    }

    fn choices(&mut self, at: &str, choices: &[ChoiceDef]) {
        for (i, c) in choices.iter().enumerate() {
            self.add(&format!("{at}[{i}]"), Some(&c.label), &c.inferred, "label");
        }
    }

    fn rows(&mut self, at: &str, rows: &[RowDef]) {
        for (i, r) in rows.iter().enumerate() {
            let at = format!("{at}.rows[{i}]");
            self.add(&at, Some(&r.label), &r.inferred, "label");
            self.add(&at, r.help.as_ref(), &r.inferred, "help");
            self.citations(&at, &r.references);
        }
    }

    fn questions(&mut self, at: &str, questions: &[QuestionDef]) {
        for q in questions {
            let at = format!("{at}/{}", q.id);
            let inf = &q.inferred;
            self.add(&at, Some(&q.title), inf, "title");
            self.add(&at, q.help.as_ref(), inf, "help");
            self.add(&at, q.note.as_ref(), inf, "note");
            self.add(&at, q.true_label.as_ref(), inf, "true_label");
            self.add(&at, q.false_label.as_ref(), inf, "false_label");
            self.citations(&at, &q.references);
            if !inf.contains_key("choices") {
                self.choices(
                    &format!("{at}.choices"),
                    q.choices.as_deref().unwrap_or_default(),
                );
            }
            if !inf.contains_key("choice_labels") {
                for (value, label) in q.choice_labels.iter().flatten() {
                    self.add(&at, Some(label), inf, value);
                }
            }
            self.rows(&at, q.rows.as_deref().unwrap_or_default());
            for list in [&q.fields, &q.questions, &q.columns] {
                self.questions(&at, list.as_deref().unwrap_or_default());
            }
        }
    }

    fn of(def: &SurveyDefinition) -> Texts {
        let mut texts = Texts::default();
        texts.add("", Some(&def.title), &def.inferred, "title");
        texts.add("", def.description.as_ref(), &def.inferred, "description");
        if let Some(m) = &def.metadata {
            for (key, text) in [
                ("issuer", &m.issuer),
                ("target", &m.target),
                ("submission", &m.submission),
                ("contact", &m.contact),
            ] {
                texts.add("metadata", text.as_ref(), &m.inferred, key);
            }
        }
        for (name, r) in &def.references {
            let at = format!("references.{name}");
            texts.add(&at, Some(&r.title), &r.inferred, "title");
            texts.add(&at, r.publisher.as_ref(), &r.inferred, "publisher");
        }
        for (name, choices) in &def.choice_sets {
            texts.choices(&format!("choice_sets.{name}"), choices);
        }
        texts.questions("questions", &def.questions);
        for rule in &def.rules {
            texts.add(
                &format!("rules.{}", rule.id),
                Some(&rule.message),
                &Inferred::new(),
                "message",
            );
        }
        texts
    }
}

#[test]
fn every_japanese_text_of_the_2024_survey_not_marked_inferred_is_in_its_seed() {
    let Some(seeds) = common::shared("seeds") else {
        return;
    };
    let seed = squeeze(&std::fs::read_to_string(seeds.join("000_78f2d477bea58130.txt")).unwrap());
    let def = common::mhlw().definition().clone();
    let texts = Texts::of(&def);
    assert!(texts.0.len() > 100, "{} texts", texts.0.len());
    let missing: Vec<String> = texts
        .0
        .iter()
        .flat_map(|(at, text)| text.lines().map(move |line| (at, line)))
        .filter(|(_, line)| {
            let line = squeeze(line);
            !line.is_empty() && !seed.contains(&line)
        })
        .map(|(at, line)| format!("{at}: {line}"))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the seed and not marked inferred:\n{}",
        missing.join("\n")
    );
}

/// Every inferred mark of a definition, with where it is.
fn marks(def: &SurveyDefinition) -> Vec<(String, Text)> {
    fn of(at: &str, inferred: &Inferred, out: &mut Vec<(String, Text)>) {
        for (key, reason) in inferred {
            out.push((format!("{at}.inferred.{key}"), reason.clone()));
        }
    }
    fn questions(at: &str, qs: &[QuestionDef], out: &mut Vec<(String, Text)>) {
        for q in qs {
            let at = format!("{at}/{}", q.id);
            of(&at, &q.inferred, out);
            for c in q.choices.iter().flatten() {
                of(&format!("{at}.{}", c.value), &c.inferred, out);
            }
            for c in &q.references {
                of(&at, &c.inferred, out);
            }
            for r in q.rows.iter().flatten() {
                of(&format!("{at}/{}", r.id), &r.inferred, out);
            }
            for list in [&q.fields, &q.questions, &q.columns] {
                questions(&at, list.as_deref().unwrap_or_default(), out);
            }
        }
    }
    let mut out = Vec::new();
    of("", &def.inferred, &mut out);
    if let Some(m) = &def.metadata {
        of("metadata", &m.inferred, &mut out);
    }
    for (name, r) in &def.references {
        of(&format!("references.{name}"), &r.inferred, &mut out);
    }
    questions("questions", &def.questions, &mut out);
    out
}

#[test]
fn every_inference_of_both_bundled_files_gives_its_reason_in_every_locale() {
    for (def, at_least) in [
        (common::mhlw().definition().clone(), 30),
        (definition(CHECKLIST), 10),
    ] {
        let marks = marks(&def);
        assert!(marks.len() >= at_least, "{}: {} marks", def.id, marks.len());
        for (at, reason) in &marks {
            for locale in &def.locales {
                let text = reason.exact(locale, &def.default_locale).unwrap_or("");
                assert!(
                    text.chars().filter(|c| !c.is_whitespace()).count() >= 20,
                    "{}: {at} gives no reason in `{locale}`: {text:?}",
                    def.id
                );
            }
        }
    }
}

#[test]
fn a_mark_names_a_key_its_element_sets() {
    let survey = survey_schema::Survey::from_yaml(
        "id: s\nversion: '1'\ndefault_locale: en\ntitle: S\nquestions:\n  \
         - { id: q, type: boolean, title: Q, required: true, inferred: { requried: a guess } }\n",
    );
    let message = survey.unwrap_err().to_string();
    assert!(
        message.contains("questions[0].inferred.requried"),
        "{message}"
    );
    assert!(message.contains("did you mean `required`"), "{message}");
}
