# The register (zicha register, issue 14): the queries in sql/ are run in the tests with DuckDB's
# Python package, the embedded engine a regulator's office uses on the Parquet dataset, and two of
# them with Apache Spark in local mode (pyspark; Spark 4 runs on Java 17, Debian's headless JRE).
command -v java >/dev/null || apt_install openjdk-17-jre-headless
pip_install "duckdb==2.0.1" "pyspark==4.3.0"
