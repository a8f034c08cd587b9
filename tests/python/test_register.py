"""The queries in sql/ on a generated register (issue 14 §1), run with DuckDB's Python package, and
two of them in Apache Spark (pyspark, local mode), which must give the same rows.

The register is made the way an office makes it: `zicha sample` bundles of four sectors over three
months, rendered and signed (`zicha render`, `zicha sign`), two of them signed again later
(resubmissions), one broken file, registered in two runs with a trust list that holds one of the
two signing keys. Every expected result is computed here from the bundles (their inspection.json
and `zicha score --json`) and from how the files were made, never from the Parquet files.

Run: python3 tests/python/test_register.py (ZICHA_BIN names the zicha binary; default
target/debug/zicha).
"""

import collections
import datetime
import hashlib
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
ZICHA = os.environ.get("ZICHA_BIN") or str(ROOT / "target" / "debug" / "zicha")
SQL = ROOT / "sql"
SECTORS = ["construction", "city-gas", "school", "power"]
N_REPORTS = 24
RESUBMITTED = (1, 6)
PASSPHRASE = "register test 安全第一"


def zicha(*args):
    env = dict(os.environ, ZICHA_PASSPHRASE=PASSPHRASE)
    run = subprocess.run([ZICHA, *map(str, args)], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise AssertionError(f"zicha {' '.join(map(str, args))}: {run.returncode}\n{run.stderr}")
    return run


def fingerprint(cert_pem):
    der = ssl.PEM_cert_to_DER_cert(Path(cert_pem).read_text())
    return hashlib.sha256(der).hexdigest()


class Made:
    """One signed report as made: its bundle's data and score, and who signed it."""

    def __init__(self, idx, date, data, score, path, cert):
        self.idx = idx
        self.date = date
        self.data = data
        self.score = score
        self.path = path
        self.cert = cert
        self.sha256 = hashlib.sha256(Path(path).read_bytes()).hexdigest()

    @property
    def credit_code(self):
        return self.data["organisation"]["credit_code"]

    @property
    def inspection_id(self):
        return self.data["inspection"]["id"]


class Generated:
    """The register, made once for every test of this file."""

    @classmethod
    def make(cls):
        cls.work = Path(tempfile.mkdtemp(prefix="zicha-register-"))
        work = cls.work
        keys = {}
        for name, signer in (("trusted", "周敏"), ("other", "王强")):
            zicha("keygen", "--org", "钱塘建设工程有限公司", "--credit-code", "913301006RBJTUXMGU",
                  "--signer", signer, "--not-before", "2025-12-01T00:00:00+08:00",
                  "-o", work / name)
            keys[name] = fingerprint(work / name / "cert.pem")
        cls.keys = keys
        (work / "trust.txt").write_text(keys["trusted"] + "\n")
        batch1, batch2 = work / "batch1", work / "batch2"
        batch1.mkdir()
        batch2.mkdir()
        cls.current = []
        cls.superseded = []
        for idx in range(N_REPORTS):
            sector = SECTORS[idx % len(SECTORS)]
            date = datetime.date(2026, 1 + idx % 3, 3 + idx)
            bundle = work / f"b{idx:02}.zicha"
            zicha("sample", sector, "--seed", 1 + idx // len(SECTORS), "--date", date, "-o", bundle)
            pdf = work / f"r{idx:02}.pdf"
            zicha("render", bundle, "--time", f"{date}T18:00:00+08:00", "-o", pdf)
            with zipfile.ZipFile(bundle) as archive:
                data = json.loads(archive.read("inspection.json"))
            # The register re-scores as of the report's day (the render time's, CST).
            score = json.loads(zicha("score", "--json", "--as-of", date, bundle).stdout)
            key = "other" if idx % 3 == 0 else "trusted"
            # One unit's keys sign every enterprise's report: `zicha sign` refuses another unit's
            # certificate for a reserved box, so they sign outside the boxes as 检查人 (as another
            # tool could) and the verifier reports the party mismatch.
            signed = batch1 / f"r{idx:02}.pdf"
            zicha("sign", pdf, "--key", work / key / "key.pem", "--cert", work / key / "cert.pem",
                  "--page", "1", "--role", "检查人", "--time", f"{date}T18:10:00+08:00", "-o", signed)
            made = Made(idx, date, data, score, signed, keys[key])
            if idx in RESUBMITTED:
                cls.superseded.append(made)
                again = batch2 / f"r{idx:02}-again.pdf"
                zicha("sign", pdf, "--key", work / key / "key.pem", "--cert",
                      work / key / "cert.pem", "--page", "1", "--role", "检查人", "--time",
                      f"{date + datetime.timedelta(days=2)}T09:00:00+08:00", "-o", again)
                made = Made(idx, date, data, score, again, keys[key])
            cls.current.append(made)
        (batch1 / "broken.pdf").write_text("这不是PDF")
        cls.register = work / "register"
        trust = ["--trust", work / "trust.txt"]
        zicha("register", batch1, "--to", cls.register, *trust)
        cls.second_run = zicha("register", batch1, batch2, "--to", cls.register, *trust).stderr


def setUpModule():
    Generated.make()


def tearDownModule():
    shutil.rmtree(Generated.work, ignore_errors=True)


def duckdb_with_views():
    db = duckdb.connect()
    db.execute("SET VARIABLE register = ?", [str(Generated.register)])
    db.execute((SQL / "views.sql").read_text())
    return db


class RegisterQueries(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for name in ("current", "superseded", "keys", "second_run"):
            setattr(cls, name, getattr(Generated, name))
        cls.db = duckdb_with_views()

    @classmethod
    def tearDownClass(cls):
        cls.db.close()

    def query(self, name):
        return self.db.execute((SQL / f"{name}.sql").read_text()).fetchall()

    def test_every_file_is_a_row_and_the_second_run_adds_only_the_new_files(self):
        self.assertIn(f"registered {len(RESUBMITTED)} files", self.second_run)
        self.assertIn(f"{N_REPORTS + 1} already registered", self.second_run)
        rows = self.db.execute("SELECT verdict, month FROM reports").fetchall()
        self.assertEqual(len(rows), N_REPORTS + len(RESUBMITTED) + 1)
        self.assertIn(("invalid", "unknown"), rows)
        current = self.db.execute("SELECT file_sha256 FROM current_reports").fetchall()
        expected = {made.sha256 for made in self.current}
        broken = hashlib.sha256("这不是PDF".encode()).hexdigest()
        self.assertEqual({sha for (sha,) in current}, expected | {broken})

    def test_open_major_hazards_by_enterprise(self):
        per_enterprise = collections.defaultdict(list)
        for made in self.current:
            for hazard in made.data["hazards"]:
                if hazard["level"] == "重大" and hazard["status"] != "已销号":
                    per_enterprise[made.credit_code].append(hazard["id"])
        expected = sorted(((code, len(ids), ", ".join(sorted(ids)))
                           for code, ids in per_enterprise.items()),
                          key=lambda row: (-row[1], row[0]))
        rows = [(code, n, ids) for code, _, n, ids in self.query("open-major-hazards-by-enterprise")]
        self.assertTrue(expected, "the generated register has open 重大 hazards")
        self.assertEqual(rows, expected)

    def test_overdue_hazards(self):
        today = datetime.date.today()
        expected = []
        for made in self.current:
            for hazard in made.data["hazards"]:
                deadline = (hazard.get("rectification") or {}).get("deadline")
                if hazard["status"] == "已销号" or not deadline:
                    continue
                deadline = datetime.date.fromisoformat(deadline)
                if deadline < today:
                    expected.append((made.credit_code, made.inspection_id, hazard["id"],
                                     deadline, (today - deadline).days))
        rows = [(code, inspection, hazard, deadline, days)
                for code, _, inspection, hazard, _, _, deadline, days, _
                in self.query("overdue-hazards")]
        self.assertTrue(expected, "the generated register has overdue hazards")
        self.assertEqual(sorted(rows), sorted(expected))
        self.assertEqual([row[4] for row in rows], sorted((row[4] for row in rows), reverse=True))

    def test_stop_work_sites(self):
        expected = sorted((made.credit_code, made.inspection_id, made.date)
                          for made in self.current if made.score["stop_work"])
        self.assertTrue(expected, "the generated register has stop-work sites")
        # Every sample fires a trigger: what this checks is that each site is listed once, from
        # its current report (a resubmitted one is not listed twice).
        rows = sorted((code, inspection, date)
                      for code, _, _, _, inspection, date, _ in self.query("stop-work-sites"))
        self.assertEqual(rows, expected)

    def test_grade_distribution_by_sector_and_month(self):
        expected = collections.Counter(
            (SECTORS[made.idx % len(SECTORS)], made.date.strftime("%Y-%m"),
             made.score["grade"] or "无等级")
            for made in self.current)
        self.assertGreater(len({grade for (_, _, grade) in expected}), 1)
        rows = self.query("grade-distribution")
        self.assertEqual({row[:3]: row[3] for row in rows}, dict(expected))
        self.assertEqual(rows, sorted(rows, key=lambda row: row[:3]))

    def test_resubmissions_name_the_file_they_supersede(self):
        later = {made.idx: made for made in self.current}
        expected = [(made.inspection_id, 2, made.sha256, later[made.idx].sha256)
                    for made in self.superseded]
        rows = [(inspection, revision, earlier, sha)
                for inspection, _, revision, earlier, _, _, sha, _, _, _
                in self.query("resubmissions")]
        self.assertEqual(sorted(rows), sorted(expected))

    def test_signatures_not_in_the_trust_list(self):
        expected = sorted((made.credit_code, made.inspection_id, made.cert, "unknown")
                          for made in self.current if made.cert != self.keys["trusted"])
        rows = sorted((code, inspection, cert, trust)
                      for code, _, inspection, _, _, _, _, cert, trust
                      in self.query("untrusted-signatures"))
        self.assertEqual(len(expected), len([i for i in range(N_REPORTS) if i % 3 == 0]))
        self.assertEqual(rows, expected)


def comparable(rows):
    """Rows with timestamps as naive UTC (DuckDB gives them with a zone, Spark in its session's)."""
    def cell(value):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value
    return [tuple(cell(value) for value in row) for row in rows]


class SparkAgreesWithDuckDB(unittest.TestCase):
    """The same dataset read by Apache Spark in local mode: the same SQL gives the same rows."""

    @classmethod
    def setUpClass(cls):
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            if os.environ.get("ZICHA_REQUIRE_TOOLS") == "1":
                raise
            raise unittest.SkipTest("pyspark is not installed")
        cls.spark = (
            SparkSession.builder.master("local[2]").appName("zicha-register-test")
            # `month=2026-03` stays text, as DuckDB reads it (Spark would make it a date).
            .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate())
        cls.spark.sparkContext.setLogLevel("ERROR")
        for table in ("reports", "signatures", "hazards", "scores"):
            cls.spark.read.parquet(str(Generated.register / table)).createOrReplaceTempView(table)
        # The same definition as sql/views.sql's.
        views = (SQL / "views.sql").read_text()
        current = views[views.index("CREATE OR REPLACE VIEW current_reports AS"):].rstrip().rstrip(";")
        cls.spark.sql(current.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW"))
        cls.db = duckdb_with_views()

    @classmethod
    def tearDownClass(cls):
        cls.db.close()
        cls.spark.stop()

    def same_rows(self, name):
        sql = (SQL / f"{name}.sql").read_text().rstrip().rstrip(";")
        in_spark = comparable(tuple(row) for row in self.spark.sql(sql).collect())
        in_duckdb = comparable(self.db.execute(sql).fetchall())
        self.assertTrue(in_duckdb)
        self.assertEqual(in_spark, in_duckdb)

    def test_grade_distribution(self):
        self.same_rows("grade-distribution")

    def test_resubmissions(self):
        self.same_rows("resubmissions")


if __name__ == "__main__":
    unittest.main(verbosity=2)
