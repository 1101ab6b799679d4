//! The analysis table as Apache Arrow record batches and a Parquet file (feature `parquet`).
//!
//! Columns are typed: booleans and picked choices `Boolean`, single choices dictionary-encoded
//! strings, texts `Utf8`, integers `Int64`, numbers `Float64`, dates `Date32`. A cell without
//! an answer is null, and its reason is in a second column: for every column `NAME` a
//! dictionary-encoded string column `NAME__why` (made unique as column names are) that is
//! null where `NAME` holds an answer, else `not_asked`, `not_answered`, `wrong_type` (the
//! answer has the wrong JSON type, or one the column's type cannot hold: a date that is no
//! date, an integer beyond 64 bits) or `out_of_range` (a date of the year 0000, which no
//! Python, pandas or Stata date holds; the CSV keeps it). Each value column's field metadata names its reason
//! column (`survey:why`), and each reason column's names its value column (`survey:of`).
//!
//! The main table leads with `row_id` (`Utf8`) and `valid` (`Boolean`); a repeat's long
//! table with `row_id` and `instance` (`Int64`, from 1).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::Arc;

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    StringDictionaryBuilder,
};
use arrow_array::types::{Int8Type, Int32Type};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};

use super::{Cell, Column, ColumnKind, Datum, unique};

/// `date::day_number` of 1970-01-01, Arrow's day 0.
const UNIX_EPOCH_DAY: i64 = 719_468;

/// The reasons a cell has no answer, as the reason columns write them: the last is a date of
/// the year 0000, a valid answer (as in RFC 3339) that Parquet could hold but Python's,
/// pandas' and Stata's dates cannot, so that a plain `pandas.read_parquet` reads every file.
pub const REASONS: [&str; 4] = ["not_asked", "not_answered", "wrong_type", "out_of_range"];

/// `date::day_number` of 0001-01-01, the first day every reader's dates hold.
const FIRST_READABLE_DAY: i64 = 306;

/// The second key column of a table: `valid` in the main table, `instance` in a repeat's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The main table: `row_id`, `valid`.
    Valid,
    /// A repeat's long table: `row_id`, `instance`.
    Instance,
}

/// The Arrow schema of a table with these columns: the two key columns, then each column
/// followed by its reason column.
#[must_use]
pub fn schema(columns: &[Column], key: Key) -> SchemaRef {
    let mut taken: HashSet<String> = columns.iter().map(|c| c.name.clone()).collect();
    taken.extend(super::RESERVED.iter().map(|&n| n.to_owned()));
    let mut fields = vec![
        Field::new("row_id", DataType::Utf8, false),
        match key {
            Key::Valid => Field::new("valid", DataType::Boolean, false),
            Key::Instance => Field::new("instance", DataType::Int64, false),
        },
    ];
    for column in columns {
        let why = unique(&format!("{}__why", column.name), &mut taken);
        let value_type = match column.kind {
            ColumnKind::Boolean | ColumnKind::Selected => DataType::Boolean,
            ColumnKind::Choice => dictionary(DataType::Int32),
            ColumnKind::Text => DataType::Utf8,
            ColumnKind::Integer => DataType::Int64,
            ColumnKind::Number => DataType::Float64,
            ColumnKind::Date => DataType::Date32,
        };
        fields.push(
            Field::new(&column.name, value_type, true)
                .with_metadata(HashMap::from([("survey:why".to_owned(), why.clone())])),
        );
        fields.push(
            Field::new(why, dictionary(DataType::Int8), true).with_metadata(HashMap::from([(
                "survey:of".to_owned(),
                column.name.clone(),
            )])),
        );
    }
    Arc::new(Schema::new(fields))
}

fn dictionary(key: DataType) -> DataType {
    DataType::Dictionary(Box::new(key), Box::new(DataType::Utf8))
}

/// Rows of one table gathered into a [`RecordBatch`].
pub struct Batch {
    schema: SchemaRef,
    kinds: Vec<ColumnKind>,
    row_id: StringBuilder,
    key: KeyBuilder,
    values: Vec<Box<dyn ArrayBuilder>>,
    reasons: Vec<StringDictionaryBuilder<Int8Type>>,
}

enum KeyBuilder {
    Valid(BooleanBuilder),
    Instance(Int64Builder),
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("rows", &self.row_id.len())
            .finish_non_exhaustive()
    }
}

impl Batch {
    /// An empty batch of a table with these columns.
    #[must_use]
    pub fn new(columns: &[Column], key: Key) -> Batch {
        let values = columns
            .iter()
            .map(|column| -> Box<dyn ArrayBuilder> {
                match column.kind {
                    ColumnKind::Boolean | ColumnKind::Selected => Box::new(BooleanBuilder::new()),
                    ColumnKind::Choice => Box::new(StringDictionaryBuilder::<Int32Type>::new()),
                    ColumnKind::Text => Box::new(StringBuilder::new()),
                    ColumnKind::Integer => Box::new(Int64Builder::new()),
                    ColumnKind::Number => Box::new(Float64Builder::new()),
                    ColumnKind::Date => Box::new(Date32Builder::new()),
                }
            })
            .collect();
        Batch {
            schema: schema(columns, key),
            kinds: columns.iter().map(|c| c.kind).collect(),
            row_id: StringBuilder::new(),
            key: match key {
                Key::Valid => KeyBuilder::Valid(BooleanBuilder::new()),
                Key::Instance => KeyBuilder::Instance(Int64Builder::new()),
            },
            values,
            reasons: columns
                .iter()
                .map(|_| StringDictionaryBuilder::new())
                .collect(),
        }
    }

    /// The number of rows so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.row_id.len()
    }

    /// Whether no row was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a row of the main table ([`Key::Valid`]): its id, whether it is valid and a cell
    /// per column.
    ///
    /// # Errors
    ///
    /// When the batch is a repeat's, or the cells do not match the columns.
    pub fn push_row(
        &mut self,
        row_id: &str,
        valid: bool,
        cells: &[Cell<'_>],
    ) -> Result<(), ArrowError> {
        let KeyBuilder::Valid(key) = &mut self.key else {
            return Err(ArrowError::InvalidArgumentError(
                "a repeat's table has no `valid`".into(),
            ));
        };
        key.append_value(valid);
        self.push(row_id, cells)
    }

    /// Adds a row of a repeat's long table ([`Key::Instance`]): the answer set's row id, the
    /// instance number and a cell per column.
    ///
    /// # Errors
    ///
    /// When the batch is the main table's, or the cells do not match the columns.
    pub fn push_instance(
        &mut self,
        row_id: &str,
        instance: usize,
        cells: &[Cell<'_>],
    ) -> Result<(), ArrowError> {
        let KeyBuilder::Instance(key) = &mut self.key else {
            return Err(ArrowError::InvalidArgumentError(
                "the main table has no `instance`".into(),
            ));
        };
        key.append_value(i64::try_from(instance).unwrap_or(i64::MAX));
        self.push(row_id, cells)
    }

    fn push(&mut self, row_id: &str, cells: &[Cell<'_>]) -> Result<(), ArrowError> {
        if cells.len() != self.kinds.len() {
            return Err(ArrowError::InvalidArgumentError(format!(
                "{} cells for {} columns",
                cells.len(),
                self.kinds.len()
            )));
        }
        self.row_id.append_value(row_id);
        for (index, cell) in cells.iter().enumerate() {
            let reason = match cell {
                Cell::NotAsked => Some(REASONS[0]),
                Cell::NotAnswered => Some(REASONS[1]),
                Cell::WrongType => Some(REASONS[2]),
                Cell::Answer(datum) => self.append(index, *datum).err(),
            };
            match reason {
                Some(reason) => {
                    self.append_null(index);
                    self.reasons[index].append_value(reason);
                }
                None => self.reasons[index].append_null(),
            }
        }
        Ok(())
    }

    /// Appends an answer to its column; else the reason it is null: `wrong_type` when the
    /// column's type cannot hold it, `out_of_range` for a date no reader holds.
    fn append(&mut self, index: usize, datum: Datum<'_>) -> Result<(), &'static str> {
        const WRONG_TYPE: Result<(), &str> = Err(REASONS[2]);
        let builder = self.values[index].as_any_mut();
        match (self.kinds[index], datum) {
            (ColumnKind::Boolean | ColumnKind::Selected, Datum::Bool(b)) => {
                let Some(b_builder) = builder.downcast_mut::<BooleanBuilder>() else {
                    return WRONG_TYPE;
                };
                b_builder.append_value(b);
            }
            (ColumnKind::Choice, Datum::Text(text)) => {
                let Some(builder) = builder.downcast_mut::<StringDictionaryBuilder<Int32Type>>()
                else {
                    return WRONG_TYPE;
                };
                builder.append_value(text);
            }
            (ColumnKind::Text, Datum::Text(text)) => {
                let Some(builder) = builder.downcast_mut::<StringBuilder>() else {
                    return WRONG_TYPE;
                };
                builder.append_value(text);
            }
            (ColumnKind::Integer, Datum::Number(n)) => {
                let (Some(builder), Some(n)) = (builder.downcast_mut::<Int64Builder>(), integer(n))
                else {
                    return WRONG_TYPE;
                };
                builder.append_value(n);
            }
            (ColumnKind::Number, Datum::Number(n)) => {
                let (Some(builder), Some(n)) =
                    (builder.downcast_mut::<Float64Builder>(), n.as_f64())
                else {
                    return WRONG_TYPE;
                };
                builder.append_value(n);
            }
            (ColumnKind::Date, Datum::Text(text)) => {
                let day = crate::date::day_number(text);
                if day.is_some_and(|d| d < FIRST_READABLE_DAY) {
                    return Err(REASONS[3]);
                }
                let days = day.and_then(|day| i32::try_from(day - UNIX_EPOCH_DAY).ok());
                let (Some(builder), Some(days)) = (builder.downcast_mut::<Date32Builder>(), days)
                else {
                    return WRONG_TYPE;
                };
                builder.append_value(days);
            }
            _ => return WRONG_TYPE,
        }
        Ok(())
    }

    fn append_null(&mut self, index: usize) {
        let builder = self.values[index].as_any_mut();
        if let Some(b) = builder.downcast_mut::<BooleanBuilder>() {
            b.append_null();
        } else if let Some(b) = builder.downcast_mut::<StringDictionaryBuilder<Int32Type>>() {
            b.append_null();
        } else if let Some(b) = builder.downcast_mut::<StringBuilder>() {
            b.append_null();
        } else if let Some(b) = builder.downcast_mut::<Int64Builder>() {
            b.append_null();
        } else if let Some(b) = builder.downcast_mut::<Float64Builder>() {
            b.append_null();
        } else if let Some(b) = builder.downcast_mut::<Date32Builder>() {
            b.append_null();
        }
    }

    /// The rows as a record batch of [`schema`]; the batch is empty again after.
    ///
    /// # Errors
    ///
    /// When Arrow refuses the arrays (it should not: they are built to the schema).
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(self.row_id.finish())];
        arrays.push(match &mut self.key {
            KeyBuilder::Valid(b) => Arc::new(b.finish()),
            KeyBuilder::Instance(b) => Arc::new(b.finish()),
        });
        for (value, reason) in self.values.iter_mut().zip(&mut self.reasons) {
            arrays.push(value.finish());
            arrays.push(Arc::new(reason.finish()));
        }
        RecordBatch::try_new(self.schema.clone(), arrays)
    }
}

/// An integer answer as `i64`: an integer, or a float without a fraction within range.
fn integer(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        #[allow(
            clippy::cast_possible_truncation,
            reason = "in range and without a fraction"
        )]
        (f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i64)
    })
}

/// Rows per row group: small enough that a writer holds a few megabytes whatever the input's
/// size, large enough for readers to skip well.
const ROW_GROUP: usize = 65_536;

/// A Parquet writer of a table of [`schema`]: Snappy compression, dictionary encoding, row
/// groups of 65,536 rows.
///
/// # Errors
///
/// When the writer cannot start (the schema is not one Parquet can hold).
pub fn writer<W: Write + Send>(out: W, schema: SchemaRef) -> Result<ArrowWriter<W>, ParquetError> {
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP))
        .set_created_by(format!("survey-schema {}", env!("CARGO_PKG_VERSION")))
        .build();
    ArrowWriter::try_new(out, schema, Some(properties))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_readable_day_is_0001_01_01() {
        assert_eq!(
            crate::date::day_number("0001-01-01"),
            Some(super::FIRST_READABLE_DAY)
        );
    }

    #[test]
    fn the_epoch_constant_is_1970_01_01() {
        assert_eq!(
            crate::date::day_number("1970-01-01"),
            Some(super::UNIX_EPOCH_DAY)
        );
    }
}
