# The register (zicha register, issue 14): the queries in sql/ are run in the tests with DuckDB's
# Python package, the embedded engine a regulator's office uses on the Parquet dataset.
pip_install "duckdb==2.0.1"
