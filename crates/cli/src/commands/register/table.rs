//! One table of the register written as Hive-partitioned Parquet: `TABLE/month=YYYY-MM/part-RUN.parquet`,
//! one file per partition per run, rows buffered per partition and flushed as a row group every
//! [`ROWS_PER_ROW_GROUP`] rows, so memory is bounded by the months a run touches, not its files.
//!
//! Files are written under a name no reader globs (`.part-RUN.parquet.tmp`) and renamed when the
//! run finishes, so a reader never sees half a file and an interrupted run leaves no rows behind.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

/// Rows held per partition before they are written as a row group: row groups large enough for
/// DuckDB's and Spark's scans (they parallelise by row group)...
const ROWS_PER_ROW_GROUP: usize = 8192;

/// ...unless the rows held take more memory than this first (cells and their text, estimated):
/// a hazards row is ~40 cells of Chinese text, 2-4 KB, so 8,192 of them would hold ~25 MB per
/// month a run touches. With this bound a run holds at most 4 MiB per table and month (a month's
/// folder: 16 MiB), whatever the number of files.
const MAX_BUFFERED_BYTES: usize = 4 << 20;

/// What a column holds. Every column is OPTIONAL: a broken file has no inspection to fill them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// UTF-8 text (BYTE_ARRAY, logical type STRING).
    Text,
    /// INT64.
    Int,
    /// DOUBLE.
    Float,
    /// BOOLEAN.
    Bool,
    /// Days since 1970-01-01 (INT32, logical type DATE).
    Date,
    /// Microseconds since 1970-01-01T00:00:00Z (INT64, logical type TIMESTAMP, UTC).
    Timestamp,
}

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(i32),
    Timestamp(i64),
}

impl From<Option<String>> for Value {
    fn from(text: Option<String>) -> Self {
        text.map_or(Value::Null, Value::Text)
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}

/// A table's name and columns.
pub(super) struct Schema {
    pub(super) name: &'static str,
    pub(super) columns: &'static [(&'static str, Kind)],
}

/// A table being written by one run.
pub(super) struct Table {
    schema: &'static Schema,
    /// `DIR/<name>`.
    dir: PathBuf,
    run_id: String,
    parquet_schema: Arc<Type>,
    partitions: BTreeMap<String, Partition>,
}

struct Partition {
    writer: SerializedFileWriter<File>,
    /// One buffer per column.
    buffered: Vec<Vec<Value>>,
    /// The memory the buffered cells take, estimated.
    buffered_bytes: usize,
    temporary: PathBuf,
    target: PathBuf,
}

impl Table {
    pub(super) fn new(
        register: &Path,
        schema: &'static Schema,
        run_id: &str,
    ) -> anyhow::Result<Self> {
        let fields = schema
            .columns
            .iter()
            .map(|&(name, kind)| field(name, kind).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        let parquet_schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?;
        Ok(Table {
            schema,
            dir: register.join(schema.name),
            run_id: run_id.to_owned(),
            parquet_schema: Arc::new(parquet_schema),
            partitions: BTreeMap::new(),
        })
    }

    /// Adds a row to the partition `month` (`YYYY-MM`, or `unknown`).
    pub(super) fn push(&mut self, month: &str, row: Vec<Value>) -> anyhow::Result<()> {
        anyhow::ensure!(
            row.len() == self.schema.columns.len(),
            "{}: a row of {} cells for {} columns (a bug in zicha)",
            self.schema.name,
            row.len(),
            self.schema.columns.len()
        );
        if !self.partitions.contains_key(month) {
            let partition = self.open(month)?;
            self.partitions.insert(month.to_owned(), partition);
        }
        let Some(partition) = self.partitions.get_mut(month) else {
            unreachable!("the partition was just opened")
        };
        for (buffer, value) in partition.buffered.iter_mut().zip(row) {
            partition.buffered_bytes += std::mem::size_of::<Value>()
                + match &value {
                    Value::Text(text) => text.len(),
                    _ => 0,
                };
            buffer.push(value);
        }
        if partition.buffered[0].len() >= ROWS_PER_ROW_GROUP
            || partition.buffered_bytes >= MAX_BUFFERED_BYTES
        {
            write_row_group(self.schema, partition)?;
        }
        Ok(())
    }

    fn open(&self, month: &str) -> anyhow::Result<Partition> {
        let folder = self.dir.join(format!("month={month}"));
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let target = folder.join(format!("part-{}.parquet", self.run_id));
        let temporary = folder.join(format!(".part-{}.parquet.tmp", self.run_id));
        anyhow::ensure!(!target.exists(), "{} exists already", target.display());
        let file = File::create(&temporary)
            .with_context(|| format!("cannot create {}", temporary.display()))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("zicha {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer =
            SerializedFileWriter::new(file, self.parquet_schema.clone(), Arc::new(properties))?;
        Ok(Partition {
            writer,
            buffered: vec![Vec::new(); self.schema.columns.len()],
            buffered_bytes: 0,
            temporary,
            target,
        })
    }

    /// Writes what is buffered and closes every file, still under its temporary name: returns
    /// each (temporary, final) name for [`publish`]. On an error no file is left behind.
    pub(super) fn close(self) -> anyhow::Result<Vec<(PathBuf, PathBuf)>> {
        let mut closed = Vec::new();
        let mut failure = None;
        for (_, mut partition) in self.partitions {
            let names = (partition.temporary.clone(), partition.target.clone());
            if failure.is_none() {
                let written = if partition.buffered[0].is_empty() {
                    Ok(())
                } else {
                    write_row_group(self.schema, &mut partition)
                };
                failure = written
                    .and_then(|()| partition.writer.close().map(drop).map_err(Into::into))
                    .err();
            }
            closed.push(names);
        }
        match failure {
            None => Ok(closed),
            Some(error) => {
                remove_temporaries(&closed);
                Err(error)
            }
        }
    }

    /// Removes the files of a run that failed.
    pub(super) fn abandon(self) {
        for (_, partition) in self.partitions {
            drop(partition.writer);
            let _ = std::fs::remove_file(&partition.temporary);
        }
    }
}

/// Gives closed files their final names, so that readers see them; returns the final names.
pub(super) fn publish(closed: &[(PathBuf, PathBuf)]) -> anyhow::Result<Vec<PathBuf>> {
    let mut published = Vec::new();
    for (temporary, target) in closed {
        std::fs::rename(temporary, target)
            .with_context(|| format!("cannot rename {}", temporary.display()))?;
        published.push(target.clone());
    }
    Ok(published)
}

/// Removes the files of [`Table::close`] when the run cannot be completed.
pub(super) fn remove_temporaries(closed: &[(PathBuf, PathBuf)]) {
    for (temporary, _) in closed {
        let _ = std::fs::remove_file(temporary);
    }
}

fn field(name: &str, kind: Kind) -> parquet::errors::Result<Type> {
    let (physical, logical) = match kind {
        Kind::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
        Kind::Int => (PhysicalType::INT64, None),
        Kind::Float => (PhysicalType::DOUBLE, None),
        Kind::Bool => (PhysicalType::BOOLEAN, None),
        Kind::Date => (PhysicalType::INT32, Some(LogicalType::Date)),
        Kind::Timestamp => (
            PhysicalType::INT64,
            Some(LogicalType::timestamp(true, TimeUnit::MICROS)),
        ),
    };
    Type::primitive_type_builder(name, physical)
        .with_repetition(Repetition::OPTIONAL)
        .with_logical_type(logical)
        .build()
}

/// Writes the buffered rows of `partition` as one row group and empties the buffers.
fn write_row_group(schema: &Schema, partition: &mut Partition) -> anyhow::Result<()> {
    let mut row_group = partition.writer.next_row_group()?;
    let mut idx = 0;
    while let Some(mut column) = row_group.next_column()? {
        let (name, kind) = schema.columns[idx];
        let cells = std::mem::take(&mut partition.buffered[idx]);
        let levels: Vec<i16> = cells
            .iter()
            .map(|cell| i16::from(*cell != Value::Null))
            .collect();
        let mismatch = || {
            anyhow::anyhow!(
                "{}.{name}: a cell of another kind (a bug in zicha)",
                schema.name
            )
        };
        match kind {
            Kind::Text => {
                let values = cells
                    .into_iter()
                    .filter(|cell| *cell != Value::Null)
                    .map(|cell| match cell {
                        Value::Text(text) => Ok(ByteArray::from(text.into_bytes())),
                        _ => Err(mismatch()),
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            Kind::Int | Kind::Timestamp => {
                let values = cells
                    .into_iter()
                    .filter(|cell| *cell != Value::Null)
                    .map(|cell| match (kind, cell) {
                        (Kind::Int, Value::Int(value))
                        | (Kind::Timestamp, Value::Timestamp(value)) => Ok(value),
                        _ => Err(mismatch()),
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                column
                    .typed::<Int64Type>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            Kind::Date => {
                let values = cells
                    .into_iter()
                    .filter(|cell| *cell != Value::Null)
                    .map(|cell| match cell {
                        Value::Date(days) => Ok(days),
                        _ => Err(mismatch()),
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                column
                    .typed::<Int32Type>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            Kind::Float => {
                let values = cells
                    .into_iter()
                    .filter(|cell| *cell != Value::Null)
                    .map(|cell| match cell {
                        Value::Float(value) => Ok(value),
                        _ => Err(mismatch()),
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                column
                    .typed::<DoubleType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            Kind::Bool => {
                let values = cells
                    .into_iter()
                    .filter(|cell| *cell != Value::Null)
                    .map(|cell| match cell {
                        Value::Bool(value) => Ok(value),
                        _ => Err(mismatch()),
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                column
                    .typed::<BoolType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
        }
        column.close()?;
        idx += 1;
    }
    row_group.close()?;
    partition.buffered_bytes = 0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    use super::*;

    static TEST: Schema = Schema {
        name: "test",
        columns: &[
            ("name", Kind::Text),
            ("n", Kind::Int),
            ("day", Kind::Date),
            ("ok", Kind::Bool),
        ],
    };

    #[test]
    fn rows_are_written_in_row_groups_per_partition_with_their_nulls() {
        let dir = std::env::temp_dir().join(format!("zicha-table-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut table = Table::new(&dir, &TEST, "run1").expect("table");
        // 2.5 row groups in one month, 3 rows in another.
        let n_march = 2 * ROWS_PER_ROW_GROUP + ROWS_PER_ROW_GROUP / 2;
        for idx in 0..n_march {
            let name = if idx % 2 == 0 {
                Value::Text(format!("企业{idx}"))
            } else {
                Value::Null
            };
            let row = vec![
                name,
                Value::Int(idx as i64),
                Value::Date(20_513),
                Value::Null,
            ];
            table.push("2026-03", row).expect("pushed");
        }
        for idx in 0..3 {
            let row = vec![
                Value::Null,
                Value::Int(idx),
                Value::Null,
                Value::Bool(idx == 1),
            ];
            table.push("unknown", row).expect("pushed");
        }
        // While the run is under way no reader sees a .parquet file.
        let march = dir.join("test/month=2026-03");
        assert!(!march.join("part-run1.parquet").exists());
        let written = publish(&table.close().expect("closed")).expect("published");
        assert_eq!(
            written,
            [
                march.join("part-run1.parquet"),
                dir.join("test/month=unknown/part-run1.parquet")
            ]
        );
        let reader = SerializedFileReader::try_from(written[0].as_path()).expect("parquet");
        assert_eq!(reader.metadata().num_row_groups(), 3);
        let rows: Vec<_> = reader
            .get_row_iter(None)
            .expect("rows")
            .map(|row| row.expect("row"))
            .collect();
        assert_eq!(rows.len(), n_march);
        let cells = |idx: usize| -> Vec<Field> {
            rows[idx]
                .get_column_iter()
                .map(|(_, field)| field.clone())
                .collect()
        };
        assert_eq!(
            cells(0),
            [
                Field::Str("企业0".to_owned()),
                Field::Long(0),
                Field::Date(20_513),
                Field::Null
            ]
        );
        let last = n_march - 1;
        assert_eq!(cells(last)[0], Field::Null);
        assert_eq!(cells(last)[1], Field::Long(last as i64));
        let reader = SerializedFileReader::try_from(written[1].as_path()).expect("parquet");
        let oks: Vec<Field> = reader
            .get_row_iter(None)
            .expect("rows")
            .map(|row| {
                row.expect("row")
                    .get_column_iter()
                    .nth(3)
                    .expect("ok")
                    .1
                    .clone()
            })
            .collect();
        assert_eq!(
            oks,
            [Field::Bool(false), Field::Bool(true), Field::Bool(false)]
        );
        std::fs::remove_dir_all(&dir).expect("removed");
    }

    #[test]
    fn long_rows_are_written_before_the_row_count_is_reached() {
        let dir = std::env::temp_dir().join(format!("zicha-table-bytes-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut table = Table::new(&dir, &TEST, "run1").expect("table");
        // 64 KiB of text a row: 4 MiB after 64 rows, so 100 rows are two row groups.
        let text = "隐".repeat(64 * 1024 / 3);
        for idx in 0..100 {
            let row = vec![
                Value::Text(text.clone()),
                Value::Int(idx),
                Value::Null,
                Value::Null,
            ];
            table.push("2026-03", row).expect("pushed");
        }
        let written = publish(&table.close().expect("closed")).expect("published");
        let reader = SerializedFileReader::try_from(written[0].as_path()).expect("parquet");
        assert_eq!(reader.metadata().num_row_groups(), 2);
        assert_eq!(reader.metadata().file_metadata().num_rows(), 100);
        std::fs::remove_dir_all(&dir).expect("removed");
    }

    #[test]
    fn a_cell_of_another_kind_is_an_error_not_a_panic() {
        let dir = std::env::temp_dir().join(format!("zicha-table-kind-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut table = Table::new(&dir, &TEST, "run1").expect("table");
        let row = vec![Value::Int(1), Value::Int(1), Value::Null, Value::Null];
        table.push("2026-03", row).expect("buffered");
        let error = table.close().expect_err("a number in a text column");
        assert!(
            !dir.join("test/month=2026-03/.part-run1.parquet.tmp")
                .exists()
        );
        assert_eq!(
            error.to_string(),
            "test.name: a cell of another kind (a bug in zicha)"
        );
        assert_eq!(
            table_short_row_error(&dir),
            "test: a row of 1 cells for 4 columns (a bug in zicha)"
        );
        std::fs::remove_dir_all(&dir).expect("removed");
    }

    fn table_short_row_error(dir: &Path) -> String {
        let mut table = Table::new(dir, &TEST, "run2").expect("table");
        let error = table
            .push("2026-03", vec![Value::Null])
            .expect_err("too short");
        table.abandon();
        error.to_string()
    }
}
