//! Export answer sets to Parquet with the library, then read the file back with the Arrow
//! project's reader: every valid MHLW answer set of the bundled batch as a row, each cell an
//! answer or null with its reason beside it (`not_asked`, `not_answered`, `wrong_type`).
//! Needs the `parquet` feature.
//!
//! ```sh
//! cargo run --example parquet_round_trip --features parquet
//! ```

use std::fs::File;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use survey_schema::Survey;
use survey_schema::tabular::parquet::{Batch, Key, schema, writer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let survey = Survey::from_path(format!(
        "{root}/schema/mhlw-hospital-cybersecurity-2024.yaml"
    ))?;
    let batch_text = std::fs::read_to_string(format!("{root}/schema/examples/mhlw-batch.jsonl"))?;

    // Write: the valid answer sets, one row each.
    let columns = survey_schema::tabular::columns(&survey);
    let mut batch = Batch::new(&columns, Key::Valid);
    let mut written = 0;
    for (line, text) in batch_text.lines().enumerate() {
        let Ok(answers) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        if !survey.is_valid(&answers) {
            continue;
        }
        let cells = survey_schema::tabular::row(&survey, &columns, &answers);
        batch.push_row(&format!("mhlw-batch.jsonl:{}", line + 1), true, &cells)?;
        written += 1;
    }
    let path = std::env::temp_dir().join(format!(
        "survey-schema-example-{}.parquet",
        std::process::id()
    ));
    let mut out = writer(File::create(&path)?, schema(&columns, Key::Valid))?;
    out.write(&batch.finish()?)?;
    out.close()?;

    // Read back: the rows, and who was not asked Q10-1.
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&path)?)?.build()?;
    let (mut rows, mut not_asked) = (0, 0);
    for record_batch in reader {
        let record_batch = record_batch?;
        rows += record_batch.num_rows();
        let why = record_batch
            .column_by_name("Q10_1__why")
            .ok_or("no reason column for Q10-1")?;
        let why = arrow_cast_strings(why)?;
        not_asked += why
            .iter()
            .filter(|w| w.as_deref() == Some("not_asked"))
            .count();
    }
    std::fs::remove_file(&path)?;
    println!(
        "{written} valid answer sets written, {rows} rows read back; Q10-1 not asked in {not_asked}"
    );
    assert_eq!(rows, written);
    Ok(())
}

/// A string column (dictionary-encoded as written, or plain) as its strings.
fn arrow_cast_strings(
    column: &arrow_array::ArrayRef,
) -> Result<Vec<Option<String>>, Box<dyn std::error::Error>> {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int8Type;
    if let Some(dictionary) = column.as_dictionary_opt::<Int8Type>() {
        let values = dictionary.values().as_string::<i32>();
        return Ok(dictionary
            .keys()
            .iter()
            .map(|key| key.map(|k| values.value(usize::try_from(k).unwrap_or(0)).to_owned()))
            .collect());
    }
    let strings = column
        .as_string_opt::<i32>()
        .ok_or_else(|| format!("a reason column of type {}", column.data_type()))?;
    Ok(strings.iter().map(|s| s.map(str::to_owned)).collect())
}
