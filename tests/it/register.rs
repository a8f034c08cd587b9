//! `zicha register`: received reports become rows of a Hive-partitioned Parquet register (read back
//! here with the parquet crate's row reader, DuckDB reads it in tests/python): a broken file is a
//! row with its verdict and reasons, registering the same folder again adds nothing, and a
//! resubmission of the same inspection is linked to the earlier file.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;
use zicha_core::hash::Sha256;

use crate::signing::{keygen, render_report, sign_with};
use crate::support::{temp_dir, zicha};

type Row = BTreeMap<String, Field>;

/// Every row of `table` in the register at `dir`, with its partition as `month`, and the number
/// of Parquet files read.
fn rows(dir: &Path, table: &str) -> (Vec<Row>, usize) {
    let mut files: Vec<PathBuf> = Vec::new();
    let Ok(partitions) = std::fs::read_dir(dir.join(table)) else {
        return (Vec::new(), 0);
    };
    for partition in partitions {
        for file in std::fs::read_dir(partition.unwrap().path()).unwrap() {
            files.push(file.unwrap().path());
        }
    }
    files.sort();
    let mut rows = Vec::new();
    for file in &files {
        assert_eq!(
            file.extension().and_then(|e| e.to_str()),
            Some("parquet"),
            "{} left behind",
            file.display()
        );
        let month = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let month = month.strip_prefix("month=").expect("a Hive partition");
        let reader = SerializedFileReader::try_from(file.as_path()).unwrap();
        for row in reader.get_row_iter(None).unwrap() {
            let mut cells: Row = row
                .unwrap()
                .get_column_iter()
                .map(|(name, field)| (name.clone(), field.clone()))
                .collect();
            cells.insert("month".to_owned(), Field::Str(month.to_owned()));
            rows.push(cells);
        }
    }
    (rows, files.len())
}

fn text(value: &str) -> Field {
    Field::Str(value.to_owned())
}

fn sha256_of(path: &Path) -> String {
    Sha256::of(&std::fs::read(path).unwrap()).to_string()
}

/// The bundle's inspection.json, the data the report embeds.
fn bundle_data(bundle: &Path) -> Value {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(bundle).unwrap()).unwrap();
    let mut json = String::new();
    archive
        .by_name("inspection.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

fn register(paths: &[&Path], to: &Path) -> String {
    let mut args = vec!["register".to_owned()];
    args.extend(paths.iter().map(|p| p.to_str().unwrap().to_owned()));
    args.extend(
        [
            "--to",
            to.to_str().unwrap(),
            "--time",
            "2026-03-05T09:00:00+08:00",
        ]
        .map(String::from),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = zicha(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

#[test]
fn register_is_incremental_links_resubmissions_and_keeps_broken_files() {
    let dir = temp_dir("register");
    let report = render_report(&dir);
    let data = bundle_data(&dir.join("s.zicha"));
    let organisation = data["organisation"]["name"].as_str().unwrap();
    let credit_code = data["organisation"]["credit_code"].as_str().unwrap();
    let party = keygen(&dir, "genuine", "周敏", organisation, credit_code);
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let first = inbox.join("first.pdf");
    let run = sign_with(
        &party,
        &report,
        &first,
        &["--party", "1"],
        "2026-03-02T18:10:00+08:00",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(inbox.join("broken.pdf"), "这不是PDF").unwrap();
    let register_dir = dir.join("register");

    let summary = register(&[&inbox], &register_dir);
    assert!(
        summary.contains("registered 2 files (1 valid, 1 not valid), 0 resubmissions linked, 0 already registered"),
        "{summary}"
    );
    let (reports, n_report_files) = rows(&register_dir, "reports");
    // One file per partition: the inspection's month and `unknown` for the broken file.
    assert_eq!(n_report_files, 2);
    assert_eq!(reports.len(), 2);
    let first_sha = sha256_of(&first);
    let (genuine, broken) = (&reports[0], &reports[1]);
    assert_eq!(genuine["month"], text("2026-03"));
    assert_eq!(genuine["file_sha256"], text(&first_sha));
    assert_eq!(genuine["file_name"], text(first.to_str().unwrap()));
    assert_eq!(genuine["verdict"], text("valid"));
    assert_eq!(genuine["enterprise"], text(organisation));
    assert_eq!(genuine["credit_code"], text(credit_code));
    assert_eq!(genuine["sector"], text("construction"));
    assert_eq!(
        genuine["inspection_id"],
        text(data["inspection"]["id"].as_str().unwrap())
    );
    // 2026-03-01 is day 20,513 after 1970-01-01 (56 years, 14 of them leap, + 31 + 28 days).
    assert_eq!(genuine["inspection_date"], Field::Date(20_513));
    // 2026-03-05T09:00:00+08:00 = 01:00 UTC.
    assert_eq!(
        genuine["received_at"],
        Field::TimestampMicros(1_772_672_400_000_000)
    );
    assert_eq!(genuine["signer_count"], Field::Long(1));
    assert_eq!(genuine["revision"], Field::Long(1));
    assert_eq!(genuine["supersedes"], Field::Null);
    // The open hazards counted from the bundle's ledger, not from the scorer.
    let hazards = data["hazards"].as_array().unwrap();
    let open = |major: bool| {
        hazards
            .iter()
            .filter(|h| h["status"] != "已销号" && (!major || h["level"] == "重大"))
            .count() as i64
    };
    assert_eq!(genuine["hazards_total_open"], Field::Long(open(false)));
    assert_eq!(genuine["hazards_major_open"], Field::Long(open(true)));

    assert_eq!(broken["month"], text("unknown"));
    assert_eq!(broken["verdict"], text("invalid"));
    assert_eq!(
        broken["file_sha256"],
        text(&sha256_of(&inbox.join("broken.pdf")))
    );
    assert!(
        matches!(&broken["reasons"], Field::Str(reasons) if !reasons.is_empty()),
        "{:?}",
        broken["reasons"]
    );
    assert_eq!(broken["enterprise"], Field::Null);
    assert_eq!(broken["signer_count"], Field::Long(0));

    let (signatures, _) = rows(&register_dir, "signatures");
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0]["file_sha256"], text(&first_sha));
    assert_eq!(signatures[0]["signer"], text("周敏"));
    assert_eq!(signatures[0]["role"], text("检查人"));
    assert_eq!(signatures[0]["cert_sha256"], text(&party.fingerprint));
    // 2026-03-02T18:10:00+08:00 = 10:10 UTC; no trust list: trust not checked.
    assert_eq!(
        signatures[0]["signed_at"],
        Field::TimestampMicros(1_772_446_200_000_000)
    );
    assert_eq!(signatures[0]["trusted"], Field::Null);
    assert_eq!(signatures[0]["status"], text("valid"));

    let (hazard_rows, _) = rows(&register_dir, "hazards");
    assert_eq!(hazard_rows.len(), hazards.len());
    for (row, hazard) in hazard_rows.iter().zip(hazards) {
        assert_eq!(row["file_sha256"], text(&first_sha));
        assert_eq!(row["hazard_id"], text(hazard["id"].as_str().unwrap()));
        assert_eq!(row["status"], text(hazard["status"].as_str().unwrap()));
        assert_eq!(row["level"], text(hazard["level"].as_str().unwrap()));
    }
    let (scores, _) = rows(&register_dir, "scores");
    assert!(scores.iter().any(|row| row["kind"] == text("summary_row")));
    assert!(scores.iter().any(|row| row["kind"] == text("section")));
    let index = std::fs::read_to_string(register_dir.join("index.tsv")).unwrap();
    assert_eq!(index.lines().count(), 3, "{index}");

    // The same folder again: nothing new, no new file.
    let summary = register(&[&inbox], &register_dir);
    assert!(
        summary.contains("registered 0 files (0 valid, 0 not valid), 0 resubmissions linked, 2 already registered; 0 Parquet files"),
        "{summary}"
    );
    assert_eq!(rows(&register_dir, "reports"), (reports.clone(), 2));
    assert_eq!(
        std::fs::read_to_string(register_dir.join("index.tsv")).unwrap(),
        index
    );

    // The same report signed again later: a resubmission of the same inspection, and the first
    // file once more under another name (same bytes: registered already).
    let resubmitted = dir.join("resubmitted");
    std::fs::create_dir_all(&resubmitted).unwrap();
    let second = resubmitted.join("second.pdf");
    let run = sign_with(
        &party,
        &report,
        &second,
        &["--party", "1"],
        "2026-03-04T08:00:00+08:00",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::copy(&first, resubmitted.join("copy-of-first.pdf")).unwrap();
    let summary = register(&[&inbox, &resubmitted], &register_dir);
    assert!(
        summary.contains("registered 1 files (1 valid, 0 not valid), 1 resubmissions linked, 3 already registered"),
        "{summary}"
    );
    let (reports, n_report_files) = rows(&register_dir, "reports");
    assert_eq!((reports.len(), n_report_files), (3, 3));
    let second_row = reports
        .iter()
        .find(|row| row["file_sha256"] == text(&sha256_of(&second)))
        .expect("the resubmission is registered");
    assert_eq!(second_row["supersedes"], text(&first_sha));
    assert_eq!(second_row["revision"], Field::Long(2));
    assert_eq!(second_row["inspection_id"], genuine["inspection_id"]);

    // Another run writing the register (or one killed while writing): refused, nothing written.
    std::fs::write(register_dir.join(".register.lock"), "").unwrap();
    let run = zicha(&[
        "register",
        inbox.to_str().unwrap(),
        "--to",
        register_dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains(".register.lock exists: another zicha register is writing"),
        "{}",
        run.stderr
    );
    assert_eq!(rows(&register_dir, "reports").0.len(), 3);
}
