-- The register written by `zicha register PATH... --to DIR`, as DuckDB views. Run this first, after
--   SET VARIABLE register = 'DIR';
-- (a local folder, or an object-store prefix such as 's3://bucket/province/*' with DuckDB's httpfs
-- extension: every office's register under one prefix reads as one table).
--
-- reports, signatures, hazards, scores: every row of every run, `month` from the Hive partition.
-- current_reports: the reports no later submission of the same inspection supersedes (a
-- resubmission names the file it replaces in `supersedes`); the questions below are asked of
-- these, so a report sent twice is counted once. A broken file is a report row with verdict
-- `invalid`, its reasons, and no inspection (month `unknown`). Nothing here filters on the
-- verdict: add `AND r.verdict = 'valid'` to count only reports whose signatures and data verify.
CREATE OR REPLACE VIEW reports AS
SELECT * FROM read_parquet(getvariable('register') || '/reports/*/*.parquet',
                           hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW signatures AS
SELECT * FROM read_parquet(getvariable('register') || '/signatures/*/*.parquet',
                           hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW hazards AS
SELECT * FROM read_parquet(getvariable('register') || '/hazards/*/*.parquet',
                           hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW scores AS
SELECT * FROM read_parquet(getvariable('register') || '/scores/*/*.parquet',
                           hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW current_reports AS
SELECT * FROM reports r
WHERE r.file_sha256 IS NULL
   OR r.file_sha256 NOT IN (SELECT supersedes FROM reports WHERE supersedes IS NOT NULL);
