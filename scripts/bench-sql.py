#!/usr/bin/env python3
"""Time every query of sql/ on a register, in DuckDB and in Apache Spark local mode (issue 14).

Run by hand, NOT in CI, on a register made by scripts/bench-register.sh (or any `zicha register`
folder):

    ~/.cache/zicha/venv/bin/python scripts/bench-sql.py /tmp/zicha-bench-register/register [RUNS]

Each query runs RUNS times (default 3) after the views are defined; the figures are the wall time
of the first run (cold: Parquet footers and pages read) and the median of the others, and the
number of rows. DuckDB uses sql/views.sql as written. Spark reads the same four tables as
tests/python/test_register.py does (partition values kept as text) and defines current_reports as
views.sql does; a query whose SQL Spark does not accept is reported as such, then run in the
Spark spelling of SPARK_SPELLING (same rows as DuckDB's, checked here), not skipped silently.
"""

import datetime
import statistics
import sys
import time
from pathlib import Path

import duckdb

SQL = Path(__file__).resolve().parent.parent / "sql"
TABLES = ("reports", "signatures", "hazards", "scores")
# DuckDB's ordered aggregate `string_agg(x, sep ORDER BY x)` is not Spark SQL (Spark 4 has
# `string_agg(x, sep) WITHIN GROUP (ORDER BY x)`, which DuckDB does not parse): Spark's spelling.
SPARK_SPELLING = {
    "string_agg(h.hazard_id, ', ' ORDER BY h.hazard_id)":
        "array_join(array_sort(collect_list(h.hazard_id)), ', ')",
}
# For comparing the two engines' rows only: any_value may pick another of several names that one
# credit code was reported under (the generated samples reuse credit codes), so both pick min.
DETERMINISTIC = {"any_value(r.enterprise)": "min(r.enterprise)"}


def deterministic(sql):
    for loose, fixed in DETERMINISTIC.items():
        sql = sql.replace(loose, fixed)
    return sql


def queries():
    return sorted(p for p in SQL.glob("*.sql") if p.name != "views.sql")


def timed(run, runs):
    times, rows = [], None
    for _ in range(runs):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    return times[0], warm, len(rows)


def cell(value):
    """A value as both engines can agree on it: timestamps as naive UTC (DuckDB gives them with a
    zone, Spark in its session's), a date difference as days (DuckDB: an integer, Spark: an
    interval)."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    if isinstance(value, datetime.timedelta):
        return value.days
    return value


def comparable(rows):
    return sorted((tuple(cell(value) for value in row) for row in rows), key=repr)


def duckdb_rows(register):
    """Every query's rows in DuckDB, to compare Spark's with."""
    db = duckdb.connect()
    db.execute("SET VARIABLE register = ?", [str(register)])
    db.execute((SQL / "views.sql").read_text())
    rows = {p.stem: comparable(db.execute(deterministic(p.read_text())).fetchall()) for p in queries()}
    db.close()
    return rows


def duckdb_figures(register, runs):
    db = duckdb.connect()
    db.execute("SET VARIABLE register = ?", [str(register)])
    db.execute((SQL / "views.sql").read_text())
    total = db.execute("SELECT count(*) FROM reports").fetchone()[0]
    print(f"DuckDB {duckdb.__version__}: {total} report rows")
    for path in queries():
        sql = path.read_text()
        cold, warm, n = timed(lambda: db.execute(sql).fetchall(), runs)
        print(f"  {path.stem:36} {cold * 1000:9.1f} ms cold {warm * 1000:9.1f} ms warm {n:7} rows")
    db.close()


def spark_figures(register, runs):
    from pyspark.sql import SparkSession

    started = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]").appName("zicha-bench-sql")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "4g")
        .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    for table in TABLES:
        spark.read.parquet(str(Path(register) / table)).createOrReplaceTempView(table)
    views = (SQL / "views.sql").read_text()
    current = views[views.index("CREATE OR REPLACE VIEW current_reports AS"):].rstrip().rstrip(";")
    spark.sql(current.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW"))
    total = spark.sql("SELECT count(*) FROM reports").collect()[0][0]
    print(f"Spark {spark.version} local[2]: {total} report rows "
          f"(session and table set-up {time.perf_counter() - started:.1f} s)")
    expected = duckdb_rows(register)
    for path in queries():
        sql = path.read_text().rstrip().rstrip(";")
        note = ""
        try:
            spark.sql(sql)
        except Exception as error:  # noqa: BLE001 - report any Spark refusal and go on
            first = str(error).strip().splitlines()[0][:100]
            print(f"  {path.stem:36} not Spark SQL as written: {first}")
            for duck, spelled in SPARK_SPELLING.items():
                sql = sql.replace(duck, spelled)
            note = " (Spark spelling)"
        try:
            cold, warm, n = timed(lambda: spark.sql(sql).collect(), runs)
        except Exception as error:  # noqa: BLE001
            print(f"  {path.stem:36} failed in Spark: {str(error).strip().splitlines()[0][:100]}")
            continue
        got = comparable(tuple(row) for row in spark.sql(deterministic(sql)).collect())
        same = "same rows as DuckDB"
        if got != expected[path.stem]:
            first = next((pair for pair in zip(got, expected[path.stem]) if pair[0] != pair[1]), None)
            same = f"ROWS DIFFER from DuckDB, e.g. {first}"
        print(f"  {path.stem:36} {cold * 1000:9.1f} ms cold {warm * 1000:9.1f} ms warm {n:7} rows, "
              f"{same}{note}")
    spark.stop()


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    register = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) == 3 else 3
    if not (register / "reports").is_dir():
        sys.exit(f"bench-sql: {register} has no reports/ folder: not a register")
    duckdb_figures(register, runs)
    spark_figures(register, runs)


if __name__ == "__main__":
    main()
