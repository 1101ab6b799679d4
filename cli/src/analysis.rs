//! `survey examples` and `survey paths`: what the static analysis finds, as answer sets and
//! respondents' paths.

use crate::terminal::say;
use std::path::Path;

use crate::files::{Fatal, OutputFormat, load_survey, write_json};

pub(crate) fn examples(path: &Path, cover: bool, output: Option<&Path>) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(path)? else {
        return Ok(false);
    };
    let mut text = String::new();
    for answers in survey_schema::analysis::examples(&survey, cover) {
        text.push_str(&answers.to_string());
        text.push('\n');
    }
    match output {
        Some(file) => std::fs::write(file, text)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", file.display())))?,
        None => print!("{}", crate::terminal::shown(&text)),
    }
    Ok(true)
}

pub(crate) fn paths(path: &Path, format: OutputFormat) -> Result<bool, Fatal> {
    let Some(survey) = load_survey(path)? else {
        return Ok(false);
    };
    let paths = survey_schema::analysis::paths(&survey);
    if format == OutputFormat::Json {
        let questions: Vec<serde_json::Value> = paths
            .questions
            .iter()
            .map(|q| serde_json::json!({"id": q.id, "pointer": q.pointer, "share": q.share}))
            .collect();
        let value = serde_json::json!({
            "paths": paths.count.to_string(),
            "exact": paths.exact,
            "at_most": paths.at_most.map(|n| n.to_string()),
            "fewest": paths.fewest,
            "most": paths.most,
            "questions": questions,
        });
        write_json(&value, None)?;
        return Ok(true);
    }
    match paths.at_most {
        None => say!("paths: {}", paths.count),
        Some(at_most) => say!(
            "paths: at least {}, at most {at_most} (not exact: see `survey paths --help`)",
            paths.count
        ),
    }
    say!("fewest questions: {}", paths.fewest);
    say!("most questions: {}", paths.most);
    for question in &paths.questions {
        say!("{:>6.1}%  {}", question.share * 100.0, question.pointer);
    }
    Ok(true)
}
