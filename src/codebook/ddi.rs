//! The codebook as DDI Codebook 2.5 XML (namespace `ddi:codebook:2_5`): the study's title,
//! id and version, a `fileDscr` per table (the main one and each repeat's long table), and a
//! `var` per column with its labels and question text in every locale of the survey, its
//! universe, value labels and missing-value codes as `catgry`, its format and its references
//! as `notes`. Elements follow the order of the DDI 2.5 schema's sequences.

use std::fmt::Write as _;

use super::Variable;
use crate::messages::{Locale, Word};
use crate::survey::Survey;
use crate::tabular::{Column, ColumnKind};

/// The codes and labels of the two kinds of missing value.
struct Missing<'a> {
    not_asked: &'a str,
    not_answered: &'a str,
}

/// The codebook of [`tabular::tables`](crate::tabular::tables) as DDI Codebook 2.5 XML, with `not_asked` and
/// `not_answered` as the missing-value codes (`survey export`'s CSV codes).
#[must_use]
pub fn ddi(survey: &Survey, not_asked: &str, not_answered: &str) -> String {
    let def = &survey.definition;
    let mut locales: Vec<Locale> = def
        .locales
        .iter()
        .filter_map(|tag| Locale::from_tag(tag))
        .collect();
    let default = Locale::from_tag(&def.default_locale).unwrap_or(Locale::En);
    if !locales.contains(&default) {
        locales.insert(0, default);
    }
    locales.sort_by_key(|l| *l != default);
    let missing = Missing {
        not_asked,
        not_answered,
    };
    let tables = crate::tabular::tables(survey);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<codeBook xmlns=\"ddi:codebook:2_5\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"ddi:codebook:2_5 \
         https://ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd\" \
         version=\"2.5\" ID=\"{}\" xml:lang=\"{}\">",
        // A survey id (`[A-Za-z][A-Za-z0-9_-]*`) is an XML `NCName`, as `xs:ID` wants.
        escape(&def.id),
        default.tag()
    );
    out.push_str("  <stdyDscr>\n    <citation>\n      <titlStmt>\n");
    for (i, locale) in locales.iter().enumerate() {
        let element = if i == 0 { "titl" } else { "parTitl" };
        let _ = writeln!(
            out,
            "        <{element} xml:lang=\"{}\">{}</{element}>",
            locale.tag(),
            escape(survey.text(&def.title, locale.tag()))
        );
    }
    let _ = writeln!(out, "        <IDNo>{}</IDNo>", escape(&def.id));
    out.push_str("      </titlStmt>\n");
    let _ = writeln!(
        out,
        "      <verStmt>\n        <version>{}</version>\n      </verStmt>",
        escape(&def.version)
    );
    out.push_str("    </citation>\n");
    if let Some(description) = &def.description {
        out.push_str("    <stdyInfo>\n");
        for locale in &locales {
            let _ = writeln!(
                out,
                "      <abstract xml:lang=\"{}\">{}</abstract>",
                locale.tag(),
                escape(survey.text(description, locale.tag()))
            );
        }
        out.push_str("    </stdyInfo>\n");
    }
    out.push_str("  </stdyDscr>\n");
    let files: Vec<(String, &[Column])> = std::iter::once(("main".to_owned(), &tables.columns[..]))
        .chain(
            tables
                .repeats
                .iter()
                .map(|t| (t.name.clone(), &t.columns[..])),
        )
        .collect();
    for (index, (name, columns)) in files.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <fileDscr ID=\"F{}\">\n    <fileTxt>\n      <fileName>{}</fileName>\n      \
             <dimensns>\n        <varQnty>{}</varQnty>\n      </dimensns>\n    </fileTxt>\n  \
             </fileDscr>",
            index + 1,
            escape(name),
            columns.len() + 2
        );
    }
    out.push_str("  <dataDscr>\n");
    let mut id = 0;
    for (index, (_, columns)) in files.iter().enumerate() {
        let file = format!("F{}", index + 1);
        let key = if index == 0 { "valid" } else { "instance" };
        for (name, numeric) in [("row_id", false), (key, true)] {
            id += 1;
            let _ = writeln!(
                out,
                "    <var ID=\"V{id}\" name=\"{name}\" files=\"{file}\" intrvl=\"discrete\">\n      \
                 <labl>{}</labl>\n      <varFormat type=\"{}\" schema=\"other\"/>\n    </var>",
                key_label(name, default),
                if numeric { "numeric" } else { "character" }
            );
        }
        let variables: Vec<Vec<Variable>> = locales
            .iter()
            .map(|l| super::variables_for(survey, columns.to_vec(), *l))
            .collect();
        for (position, column) in columns.iter().enumerate() {
            id += 1;
            let texts: Vec<(Locale, &Variable)> = locales
                .iter()
                .zip(&variables)
                .map(|(l, v)| (*l, &v[position]))
                .collect();
            write_var(&mut out, id, &file, column, &texts, &missing);
        }
    }
    out.push_str("  </dataDscr>\n</codeBook>\n");
    out
}

/// One `var` element.
fn write_var(
    out: &mut String,
    id: usize,
    file: &str,
    column: &Column,
    texts: &[(Locale, &Variable)],
    missing: &Missing<'_>,
) {
    let continuous = matches!(column.kind, ColumnKind::Integer | ColumnKind::Number);
    let _ = writeln!(
        out,
        "    <var ID=\"V{id}\" name=\"{}\" files=\"{file}\" intrvl=\"{}\">",
        escape(&column.name),
        if continuous { "contin" } else { "discrete" }
    );
    for (locale, variable) in texts {
        let _ = writeln!(
            out,
            "      <labl xml:lang=\"{}\">{}</labl>",
            locale.tag(),
            escape(&variable.label)
        );
    }
    for (locale, variable) in texts {
        let _ = writeln!(
            out,
            "      <qstn xml:lang=\"{}\">\n        <qstnLit>{}</qstnLit>\n      </qstn>",
            locale.tag(),
            escape(&variable.question)
        );
    }
    for (locale, variable) in texts {
        let everyone = locale.words().word(Word::Everyone);
        let _ = writeln!(
            out,
            "      <universe xml:lang=\"{}\" clusion=\"I\">{}</universe>",
            locale.tag(),
            escape(variable.universe.as_deref().unwrap_or(everyone))
        );
    }
    let Some((_, first)) = texts.first() else {
        return;
    };
    for (index, (code, _)) in first.values.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <catgry>\n        <catValu>{}</catValu>",
            escape(code)
        );
        for (locale, variable) in texts {
            if let Some((_, label)) = variable.values.get(index) {
                let _ = writeln!(
                    out,
                    "        <labl xml:lang=\"{}\">{}</labl>",
                    locale.tag(),
                    escape(label)
                );
            }
        }
        out.push_str("      </catgry>\n");
    }
    for (code, word) in [
        (missing.not_asked, Word::NotAskedInFull),
        (missing.not_answered, Word::NotAnswered),
    ] {
        let _ = writeln!(
            out,
            "      <catgry missing=\"Y\">\n        <catValu>{}</catValu>",
            escape(code)
        );
        for (locale, _) in texts {
            let label = locale.words().word(word);
            let _ = writeln!(
                out,
                "        <labl xml:lang=\"{}\">{label}</labl>",
                locale.tag()
            );
        }
        out.push_str("      </catgry>\n");
    }
    let format = match column.kind {
        ColumnKind::Boolean | ColumnKind::Selected | ColumnKind::Integer | ColumnKind::Number => {
            "<varFormat type=\"numeric\" schema=\"other\"/>"
        }
        ColumnKind::Date => {
            "<varFormat type=\"character\" formatname=\"YYYY-MM-DD\" schema=\"ISO\" category=\"date\"/>"
        }
        ColumnKind::Choice | ColumnKind::Text => "<varFormat type=\"character\" schema=\"other\"/>",
    };
    let _ = writeln!(out, "      {format}");
    // The references, then what the survey file marks as inferred: a note of its own type,
    // so that a reader of the DDI tells the source's words from the encoder's.
    for (locale, variable) in texts {
        for (kind, notes) in [
            ("", &variable.references),
            (" type=\"inferred\"", &variable.inferred),
        ] {
            if !notes.is_empty() {
                let _ = writeln!(
                    out,
                    "      <notes{kind} xml:lang=\"{}\">{}</notes>",
                    locale.tag(),
                    escape(&notes.join("; "))
                );
            }
        }
    }
    out.push_str("    </var>\n");
}

fn key_label(name: &str, locale: Locale) -> &'static str {
    locale.words().word(match name {
        "row_id" => Word::RowIdColumn,
        "valid" => Word::ValidColumn,
        _ => Word::InstanceColumn,
    })
}

/// Text as XML character data or attribute value: the five special characters escaped, and
/// every other control character but tab and line breaks (XML 1.0 does not allow most of
/// them) written as its escape (`\u{1b}`).
fn escape(text: &str) -> String {
    // U+FFFE and U+FFFF are not XML characters either: left out.
    crate::quote::markup(
        text,
        &[
            ('"', "&quot;"),
            ('\'', "&apos;"),
            ('\u{FFFE}', ""),
            ('\u{FFFF}', ""),
        ],
        &['\t', '\n', '\r'],
    )
}
