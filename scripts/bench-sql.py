#!/usr/bin/env python3
"""Time every query of sql/ on a register, in DuckDB and in Apache Spark local mode (issue 14).

Run by hand, NOT in CI, on a register made by scripts/bench-register.sh (or any `zicha register`
folder):

    ~/.cache/zicha/venv/bin/python scripts/bench-sql.py /tmp/zicha-bench-register/register [RUNS]

Each query runs RUNS times (default 3) after the views are defined; the figures are the wall time
of the first run (cold: Parquet footers and pages read) and the median of the others, and the
number of rows. DuckDB uses sql/views.sql as written. Spark reads the same four tables as
tests/python/test_register.py does (partition values kept as text) and defines current_reports as
views.sql does; a query whose SQL Spark does not accept is reported as such, not skipped silently.
"""

import statistics
import sys
import time
from pathlib import Path

import duckdb

SQL = Path(__file__).resolve().parent.parent / "sql"
TABLES = ("reports", "signatures", "hazards", "scores")


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
    for path in queries():
        sql = path.read_text().rstrip().rstrip(";")
        try:
            cold, warm, n = timed(lambda: spark.sql(sql).collect(), runs)
        except Exception as error:  # noqa: BLE001 - report any Spark refusal and go on
            first = str(error).strip().splitlines()[0][:120]
            print(f"  {path.stem:36} not accepted by Spark SQL: {first}")
            continue
        print(f"  {path.stem:36} {cold * 1000:9.1f} ms cold {warm * 1000:9.1f} ms warm {n:7} rows")
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
