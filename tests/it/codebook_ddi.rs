//! The DDI Codebook 2.5 XML, read back with an XML parser (`roxmltree`): well-formed, in the
//! `ddi:codebook:2_5` namespace, every element where the DDI 2.5 schema's sequences put it, a
//! `var` per column of every table with the codebook's labels, universe and value labels, on
//! the bundled surveys and generated ones. (The DDI 2.5 XSD is not in any package this
//! project can install, so the schema's content models for the elements written are held
//! here instead.)

use crate::common;

use std::collections::HashSet;

use roxmltree::{Document, Node};
use survey_schema::{Locale, Survey};

const NS: &str = "ddi:codebook:2_5";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The DDI 2.5 content models (`xs:sequence`) of the elements written, in schema order.
const SEQUENCES: &[(&str, &[&str])] = &[
    (
        "codeBook",
        &["docDscr", "stdyDscr", "fileDscr", "dataDscr", "otherMat"],
    ),
    (
        "stdyDscr",
        &[
            "citation",
            "studyAuthorization",
            "stdyInfo",
            "studyDevelopment",
            "method",
            "dataAccs",
            "othrStdyMat",
            "notes",
        ],
    ),
    (
        "citation",
        &[
            "titlStmt", "rspStmt", "prodStmt", "distStmt", "serStmt", "verStmt", "biblCit",
            "holdings", "notes",
        ],
    ),
    (
        "titlStmt",
        &["titl", "subTitl", "altTitl", "parTitl", "IDNo"],
    ),
    ("verStmt", &["version", "verResp", "notes"]),
    (
        "stdyInfo",
        &[
            "studyBudget",
            "subject",
            "abstract",
            "sumDscr",
            "qualityStatement",
            "notes",
            "exPostEvaluation",
        ],
    ),
    ("fileDscr", &["fileTxt", "locMap", "notes"]),
    (
        "fileTxt",
        &[
            "fileName",
            "fileCitation",
            "dataFingerprint",
            "fileCont",
            "fileStrc",
            "dimensns",
            "fileType",
            "format",
            "filePlac",
            "dataChck",
            "ProcStat",
            "dataMsng",
            "software",
            "verStmt",
        ],
    ),
    (
        "dimensns",
        &["caseQnty", "varQnty", "logRecL", "recPrCas", "recNumTot"],
    ),
    ("dataDscr", &["varGrp", "nCubeGrp", "var", "nCube", "notes"]),
    (
        "var",
        &[
            "location",
            "labl",
            "imputation",
            "security",
            "embargo",
            "respUnit",
            "anlysUnit",
            "qstn",
            "valrng",
            "invalrng",
            "undocCod",
            "universe",
            "TotlResp",
            "sumStat",
            "txt",
            "stdCatgry",
            "catgryGrp",
            "catgry",
            "codInstr",
            "verStmt",
            "concept",
            "derivation",
            "varFormat",
            "geoMap",
            "catLevel",
            "notes",
        ],
    ),
    (
        "qstn",
        &[
            "qstnLit", "preQTxt", "postQTxt", "forward", "backward", "ivuInstr",
        ],
    ),
    ("catgry", &["catValu", "labl", "txt", "catStat", "mrow"]),
];

/// Elements that hold text only.
const TEXT_ONLY: &[&str] = &[
    "titl", "parTitl", "IDNo", "version", "abstract", "fileName", "varQnty", "labl", "qstnLit",
    "universe", "catValu", "notes",
];

/// Every element in the namespace, its children in its sequence's order, text where text
/// belongs; `var` attributes as the schema types them.
fn check_node(node: Node<'_, '_>, ids: &mut HashSet<String>, what: &str) {
    let name = node.tag_name().name();
    assert_eq!(node.tag_name().namespace(), Some(NS), "{what}: {name}");
    if let Some(id) = node.attribute("ID") {
        assert!(ids.insert(id.to_owned()), "{what}: ID {id} twice");
        assert!(
            id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'),
            "{what}: {id}"
        );
    }
    let children: Vec<Node<'_, '_>> = node.children().filter(Node::is_element).collect();
    if TEXT_ONLY.contains(&name) {
        assert!(children.is_empty(), "{what}: {name} has elements");
        assert!(
            node.text().is_some_and(|t| !t.trim().is_empty()),
            "{what}: empty {name}"
        );
        return;
    }
    if name == "varFormat" {
        assert!(
            matches!(node.attribute("type"), Some("numeric" | "character")),
            "{what}"
        );
        return;
    }
    let Some((_, order)) = SEQUENCES.iter().find(|(n, _)| *n == name) else {
        panic!("{what}: {name} is not an element this test knows");
    };
    let mut at = 0;
    for child in &children {
        let child_name = child.tag_name().name();
        let Some(position) = order.iter().position(|n| *n == child_name) else {
            panic!("{what}: {child_name} is not allowed in {name}");
        };
        assert!(
            position >= at,
            "{what}: {child_name} out of order in {name}"
        );
        at = position;
        check_node(*child, ids, what);
    }
    if name == "var" {
        assert!(matches!(
            node.attribute("intrvl"),
            Some("discrete" | "contin")
        ));
        assert!(node.attribute("name").is_some());
    }
    if name == "catgry" {
        assert!(matches!(node.attribute("missing"), None | Some("Y")));
        assert_eq!(children[0].tag_name().name(), "catValu");
    }
}

/// Checks the XML of a survey; returns its `var` elements.
fn check(survey: &Survey, what: &str) {
    let xml = survey_schema::codebook::ddi(survey, ".a", ".b");
    let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{what}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "codeBook");
    assert_eq!(root.attribute("version"), Some("2.5"));
    let mut ids = HashSet::new();
    check_node(root, &mut ids, what);
    // A fileDscr per table; every var's file exists.
    let tables = survey_schema::tabular::tables(survey);
    let files: Vec<Node<'_, '_>> = root
        .children()
        .filter(|n| n.has_tag_name((NS, "fileDscr")))
        .collect();
    assert_eq!(files.len(), 1 + tables.repeats.len(), "{what}");
    let vars: Vec<Node<'_, '_>> = root
        .descendants()
        .filter(|n| n.has_tag_name((NS, "var")))
        .collect();
    for var in &vars {
        assert!(ids.contains(var.attribute("files").unwrap()), "{what}");
    }
    // The main table's vars are row_id, valid and the columns, in order.
    let main: Vec<&str> = vars
        .iter()
        .filter(|v| v.attribute("files") == Some("F1"))
        .map(|v| v.attribute("name").unwrap())
        .collect();
    let mut expected = vec!["row_id", "valid"];
    expected.extend(tables.columns.iter().map(|c| c.name.as_str()));
    assert_eq!(main, expected, "{what}");
    for (i, repeat) in tables.repeats.iter().enumerate() {
        let file = format!("F{}", i + 2);
        let names: Vec<&str> = vars
            .iter()
            .filter(|v| v.attribute("files") == Some(file.as_str()))
            .map(|v| v.attribute("name").unwrap())
            .collect();
        let mut expected = vec!["row_id", "instance"];
        expected.extend(repeat.columns.iter().map(|c| c.name.as_str()));
        assert_eq!(names, expected, "{what}");
    }
    // Each main column's texts are the codebook's, in each locale.
    for locale in [Locale::Ja, Locale::En] {
        let tag = locale.tag();
        for variable in survey_schema::codebook::variables(survey, locale) {
            let Some(var) = vars
                .iter()
                .find(|v| v.attribute("name") == Some(variable.name.as_str()))
            else {
                panic!("{what}: no var {}", variable.name);
            };
            let in_lang = |element: &str| {
                var.children()
                    .find(|n| {
                        n.has_tag_name((NS, element))
                            && n.attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
                                == Some(tag)
                    })
                    .and_then(|n| n.text().map(str::to_owned))
            };
            if in_lang("labl").is_none() {
                continue; // the survey has no text in this locale
            }
            assert_eq!(
                in_lang("labl").as_deref(),
                Some(variable.label.as_str()),
                "{what}"
            );
            let everyone = if locale == Locale::Ja {
                "全員"
            } else {
                "everyone"
            };
            assert_eq!(
                in_lang("universe").as_deref(),
                Some(variable.universe.as_deref().unwrap_or(everyone)),
                "{what}: {}",
                variable.name
            );
            let codes: Vec<&str> = var
                .children()
                .filter(|n| n.has_tag_name((NS, "catgry")) && n.attribute("missing").is_none())
                .map(|n| n.first_element_child().unwrap().text().unwrap())
                .collect();
            let expected: Vec<&str> = variable
                .values
                .iter()
                .map(|(code, _)| code.as_str())
                .collect();
            assert_eq!(codes, expected, "{what}: {}", variable.name);
            let missing: Vec<&str> = var
                .children()
                .filter(|n| n.has_tag_name((NS, "catgry")) && n.attribute("missing") == Some("Y"))
                .map(|n| n.first_element_child().unwrap().text().unwrap())
                .collect();
            assert_eq!(missing, [".a", ".b"], "{what}");
        }
    }
}

#[test]
fn the_bundled_surveys_give_ddi_codebook_2_5() {
    check(&common::mhlw(), "mhlw");
    let checklist = Survey::from_path(format!(
        "{ROOT}/schema/mhlw-cybersecurity-checklist-2024.yaml"
    ))
    .unwrap();
    check(&checklist, "checklist");
    let systems = Survey::from_path(format!("{ROOT}/tests/fixtures/systems-repeat.yaml")).unwrap();
    check(&systems, "systems");
    let xml = survey_schema::codebook::ddi(&common::mhlw(), ".a", ".b");
    assert!(xml.contains(
        "<universe xml:lang=\"ja\" clusion=\"I\">Q12で「はい」と回答した場合</universe>"
    ));
    assert!(xml.contains("<universe xml:lang=\"en\" clusion=\"I\">if Q12 = Yes</universe>"));
    assert!(xml.contains("<notes xml:lang=\"ja\">医療情報システムの安全管理に関するガイドライン"));
}

#[test]
fn generated_surveys_give_ddi_codebook_2_5() {
    for seed in 0..60 {
        let (survey, _) = common::random_survey(seed);
        check(&survey, &format!("seed {seed}"));
    }
}

#[test]
fn markup_in_texts_is_escaped() {
    let survey = Survey::from_yaml(
        "id: survey-1\nversion: '<1>'\ndefault_locale: en\ntitle: \"A & B <c>\"\nquestions:\n  \
         - { id: q, type: single_choice, title: \"Is x < y & \\\"z\\\"?\", choices: [{ value: a, label: \"<b>\" }] }\n",
    )
    .unwrap();
    let xml = survey_schema::codebook::ddi(&survey, "'", "\"");
    let doc = Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("ID"), Some("survey-1"));
    let text: Vec<&str> = root.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains(&"A & B <c>"));
    assert!(text.contains(&"Is x < y & \"z\"?"));
    assert!(text.contains(&"<b>"));
    check(&survey, "escaped");
}
