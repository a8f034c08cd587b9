//! The .zicha bundle: round trip, determinism, schema version, damaged and inconsistent files.

use std::io::Write;

use time::macros::date;
use zicha_core::Error;
use zicha_core::bundle::{Bundle, SCHEMA_VERSION};
use zicha_core::catalog;
use zicha_core::inspection::{Answer, Response};

pub(crate) fn sample(sector: &str, seed: u64) -> Bundle {
    let checklist = catalog::by_id(sector).unwrap();
    zicha_core::sample::sample(
        checklist,
        catalog::source_of(&checklist.reference()),
        seed,
        date!(2026 - 11 - 20),
    )
}

/// A zip with the given entries, for hand-made broken bundles.
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn round_trip_is_exact_and_deterministic() {
    for sector in ["construction", "coal-mine", "school"] {
        let mut bundle = sample(sector, 7);
        let photo = bundle.add_photo(
            b"\xFF\xD8\xFF\xE0 not really a jpeg".to_vec(),
            "jpg",
            "现场",
        );
        let item = bundle
            .data
            .inspection
            .answers
            .keys()
            .next()
            .unwrap()
            .clone();
        bundle
            .data
            .inspection
            .answers
            .get_mut(&item)
            .unwrap()
            .photos
            .push(photo);
        bundle.data.hazards[0].photos_before.push(photo);
        let bytes = bundle.to_zip().unwrap();
        assert_eq!(
            bundle.to_zip().unwrap(),
            bytes,
            "{sector}: same data, same bytes"
        );
        let read = Bundle::from_zip(&bytes).unwrap();
        assert_eq!(read, bundle, "{sector}");
        let checklist = read.checklist().unwrap();
        assert_eq!(checklist.id, sector);
        read.validate(&checklist).unwrap();
    }
}

#[test]
fn samples_are_valid_and_reproducible() {
    for checklist in catalog::builtin() {
        let bundle = sample(&checklist.id, 3);
        bundle
            .validate(checklist)
            .unwrap_or_else(|e| panic!("{}: {e}", checklist.id));
        let hazards = bundle.data.hazards.len();
        assert!(
            (3..=6).contains(&hazards),
            "{}: {hazards} hazards",
            checklist.id
        );
        assert_eq!(
            sample(&checklist.id, 3),
            bundle,
            "{}: same seed, same sample",
            checklist.id
        );
        assert_ne!(
            sample(&checklist.id, 4).data,
            bundle.data,
            "{}: another seed, another sample",
            checklist.id
        );
    }
}

#[test]
fn a_newer_schema_is_refused_clearly() {
    let json = format!(
        "{{\"schema_version\": {}, \"anything\": \"new\"}}",
        SCHEMA_VERSION + 1
    );
    let error = Bundle::from_zip(&zip_of(&[("inspection.json", json.as_bytes())])).unwrap_err();
    assert_eq!(
        error,
        Error::UnsupportedVersion {
            found: SCHEMA_VERSION + 1,
            supported: SCHEMA_VERSION
        }
    );
    assert!(
        error.to_string().contains("newer than this Zicha supports"),
        "{error}"
    );
}

#[test]
fn broken_bundles_name_the_problem() {
    #[track_caller]
    fn check(bytes: &[u8], needle: &str) {
        let error = Bundle::from_zip(bytes).unwrap_err().to_string();
        assert!(error.contains(needle), "expected {needle:?} in {error:?}");
    }
    check(b"not a zip at all", "not a .zicha bundle");
    check(
        &zip_of(&[("photos/readme.txt", b"x")]),
        "photos/readme.txt: a photo must be named",
    );
    check(
        &zip_of(&[("other.json", b"{}")]),
        "inspection.json is missing",
    );
    check(
        &zip_of(&[(
            "inspection.json",
            b"{\"schema_version\": 1,\n  \"organisation\": 3}",
        )]),
        "inspection.json:2:",
    );
    check(
        &zip_of(&[("inspection.json", b"{}")]),
        "missing field `schema_version`",
    );
    let good = sample("school", 1);
    let json = serde_json::to_vec(&good.data).unwrap();
    let fake_hash = "0".repeat(64);
    check(
        &zip_of(&[
            ("inspection.json", &json),
            (&format!("photos/{fake_hash}.jpg"), b"abc"),
        ]),
        "content does not match its SHA-256",
    );
    let hash = zicha_core::hash::Sha256::of(b"abc");
    check(
        &zip_of(&[
            ("inspection.json", &json),
            (&format!("photos/{hash}.exe"), b"abc"),
        ]),
        "unsupported photo type .exe",
    );
}

#[test]
fn inconsistent_data_is_refused_by_validate() {
    let bundle = sample("construction", 2);
    let checklist = bundle.checklist().unwrap();
    let mut missing_photo = bundle.clone();
    missing_photo.data.hazards[0]
        .photos_after
        .push(zicha_core::hash::Sha256::of(b"gone"));
    let error = missing_photo.validate(&checklist).unwrap_err().to_string();
    assert!(error.contains("is not in the bundle"), "{error}");

    let mut bad_code = bundle.clone();
    bad_code
        .data
        .organisation
        .credit_code
        .replace_range(17.., "0");
    if bad_code.data.organisation.credit_code == bundle.data.organisation.credit_code {
        bad_code
            .data
            .organisation
            .credit_code
            .replace_range(17.., "1");
    }
    let error = bad_code.validate(&checklist).unwrap_err().to_string();
    assert!(
        error.starts_with("organisation.credit_code: check character is"),
        "{error}"
    );

    let mut bad_answer = bundle.clone();
    let deduction_item = checklist
        .items()
        .find(|(_, i)| i.kind.name() == "deduction")
        .unwrap()
        .1
        .id
        .clone();
    bad_answer.data.inspection.answers.insert(
        deduction_item.clone(),
        Answer::new(Response::Measured { value: 1.0 }),
    );
    let error = bad_answer.validate(&checklist).unwrap_err().to_string();
    assert_eq!(
        error,
        format!("answers.{deduction_item}: a measured value does not fit a deduction item")
    );

    let mut other_checklist = bundle.clone();
    other_checklist.checklist_source = Some(
        catalog::SOURCES
            .iter()
            .find(|(id, _)| *id == "school")
            .unwrap()
            .1
            .to_owned(),
    );
    let error = other_checklist.checklist().unwrap_err().to_string();
    assert!(error.contains("checklist.toml is school"), "{error}");

    let mut duplicate = bundle;
    let first = duplicate.data.hazards[0].clone();
    duplicate.data.hazards.push(first);
    let error = duplicate.validate(&checklist).unwrap_err().to_string();
    assert!(error.contains("is used twice"), "{error}");
}

#[test]
fn without_checklist_toml_the_builtin_is_used_by_hash() {
    let mut bundle = sample("city-gas", 1);
    bundle.checklist_source = None;
    assert_eq!(bundle.checklist().unwrap().id, "city-gas");
    bundle.data.inspection.checklist.version = "1999.1".into();
    let error = bundle.checklist().unwrap_err().to_string();
    assert!(
        error.contains("has no checklist city-gas version 1999.1"),
        "{error}"
    );
}

/// A bundle made before checklists had to word their hazards (no `hazard_zh`, 重大 items on a
/// standard not declared a 判定标准, five 100% tags outside construction) still opens and scores:
/// the authoring rules apply to the files Zicha ships, not to checklists recorded in old data.
#[test]
fn a_checklist_recorded_before_the_authoring_rules_still_opens() {
    let mut bundle = sample("hazardous-chemicals", 3);
    let current = bundle
        .checklist_source
        .clone()
        .expect("samples embed their checklist");
    let old: String = current
        .lines()
        .filter(|line| !line.starts_with("hazard_zh =") && !line.starts_with("judgement ="))
        .map(|line| line.replace("\"topic:dust\"", "\"five100:rules\""))
        .collect::<Vec<_>>()
        .join("\n");
    let (strict, problems) = zicha_core::checklist::parse(&old);
    assert!(
        problems
            .iter()
            .any(|problem| problem.message.contains("`hazard_zh` is missing")),
        "the old text breaks today's authoring rules"
    );
    let old_reference = strict.expect("readable").reference();
    bundle.data.inspection.checklist = old_reference.clone();
    bundle.checklist_source = Some(old);
    let reopened = Bundle::from_zip(&bundle.to_zip().unwrap()).expect("the old bundle opens");
    let checklist = reopened.checklist().expect("its checklist is read");
    assert_eq!(checklist.reference(), old_reference);
    let report = zicha_core::score::score(
        &checklist,
        &reopened.data.inspection,
        &reopened.data.hazards,
        date!(2026 - 11 - 28),
    );
    assert_eq!(
        report.progress.answered,
        reopened.data.inspection.answers.len()
    );
}
/// A hazard as Zicha wrote it before issue 11 §8 (no 类别, 定标准, interim measures, 治理方案,
/// 挂牌督办 or 销号 record), closed by the one person who also rectified it.
const OLD_HAZARD: &str = r#"{
  "id": "H-2026-101",
  "description": "临边防护栏杆缺失",
  "location": "3#楼五层",
  "level": "重大",
  "found_by": "王伟",
  "found_at": "2026-11-20",
  "rectification": {
    "measures": "补设防护栏杆",
    "funds_yuan": 3000,
    "deadline": "2026-11-22",
    "responsible": "王伟",
    "plan": "设警戒区"
  },
  "status": "已销号",
  "history": [
    {"from": "待整改", "to": "整改中", "by": "王伟", "at": "2026-11-20T10:00:00+08:00"},
    {"from": "整改中", "to": "待验收", "by": "王伟", "at": "2026-11-21T10:00:00+08:00"},
    {"from": "待验收", "to": "已销号", "by": "王伟", "at": "2026-11-21T16:00:00+08:00",
     "verification_passed": true}
  ]
}"#;

#[test]
fn a_bundle_of_the_previous_shape_opens_with_the_new_fields_empty() {
    let bundle = sample("construction", 2);
    let checklist = bundle.checklist().unwrap();
    let mut json = serde_json::to_value(&bundle.data).unwrap();
    // Take away every field the issue 11 §8 change added, then add a hazard written by hand.
    let hazards = json["hazards"].as_array_mut().unwrap();
    for hazard in hazards.iter_mut() {
        let hazard = hazard.as_object_mut().unwrap();
        for key in ["category", "governance_plan", "supervision", "closure"] {
            hazard.remove(key);
        }
        let rectification = hazard["rectification"].as_object_mut().unwrap();
        rectification.remove("acceptance_standard");
        rectification.remove("interim_measures");
    }
    hazards.push(serde_json::from_str(OLD_HAZARD).unwrap());
    let text = serde_json::to_string_pretty(&json).unwrap();
    for added in [
        "acceptance_standard",
        "interim_measures",
        "governance_plan",
        "supervision",
        "closure",
        "category",
        "on_the_spot",
    ] {
        assert!(!text.contains(added), "{added} left in the old shape");
    }
    let source = bundle.checklist_source.clone().unwrap();
    let read = Bundle::from_zip(&zip_of(&[
        ("inspection.json", text.as_bytes()),
        ("checklist.toml", source.as_bytes()),
    ]))
    .unwrap();
    read.validate(&checklist).unwrap();
    assert_eq!(read.data.hazards.len(), bundle.data.hazards.len() + 1);
    for hazard in &read.data.hazards {
        assert_eq!(hazard.category, None, "{}", hazard.id);
        assert!(hazard.governance_plan.is_empty(), "{}", hazard.id);
        assert_eq!(hazard.supervision, None, "{}", hazard.id);
        assert!(hazard.closure.is_empty(), "{}", hazard.id);
        assert_eq!(
            hazard.rectification.acceptance_standard, "",
            "{}",
            hazard.id
        );
        assert_eq!(hazard.rectification.interim_measures, "", "{}", hazard.id);
    }
    let old = read.data.hazards.last().unwrap();
    assert_eq!(
        (old.id.as_str(), old.status, old.history.len()),
        ("H-2026-101", zicha_core::ledger::Status::Closed, 3)
    );
}

#[test]
fn sample_hazards_carry_the_new_records() {
    // The construction sample's first hazard is a 重大 one (a 重大 item fails in every sample that
    // has one): it has its 治理方案, 挂牌督办 record and the 五定 with 定标准 and interim measures.
    let bundle = sample("construction", 2);
    let major = &bundle.data.hazards[0];
    assert_eq!(major.level, zicha_core::checklist::Level::Major);
    assert_eq!(major.governance_plan.missing(), Vec::<&str>::new());
    assert_eq!(major.missing_plan_fields(), Vec::<&str>::new());
    let supervision = major.supervision.as_ref().unwrap();
    assert_eq!(supervision.authority, "县安全生产委员会办公室");
    assert_eq!(supervision.document_no, "安委办督〔2026〕01号");
    for hazard in &bundle.data.hazards {
        assert!(!hazard.rectification.acceptance_standard.is_empty());
        assert!(!hazard.rectification.interim_measures.is_empty());
        // 验收 by someone other than the person responsible.
        for step in hazard
            .history
            .iter()
            .filter(|s| s.verification_passed.is_some())
        {
            assert_ne!(step.by, hazard.rectification.responsible, "{}", hazard.id);
        }
    }
}

/// A bundle written before the register of 重大危险源 (issue 11 §7) has no `major_sources`: it
/// opens, writes back the same `inspection.json`, and scores target 5 on its items as before.
#[test]
fn bundles_without_a_register_open_unchanged() {
    let mut bundle = sample("construction", 2);
    bundle.data.project.as_mut().unwrap().major_sources.clear();
    let json = bundle.data.to_json().unwrap();
    assert!(!String::from_utf8_lossy(&json).contains("major_sources"));
    let reopened = Bundle::from_zip(&bundle.to_zip().unwrap()).unwrap();
    assert_eq!(reopened.data.to_json().unwrap(), json);
    assert!(reopened.data.major_sources().is_empty());
    let checklist = reopened.checklist().unwrap();
    let report = zicha_core::score::score_with(
        &checklist,
        &reopened.data.inspection,
        &reopened.data.hazards,
        reopened.data.major_sources(),
        date!(2026 - 11 - 28),
    );
    let major = report
        .five_100
        .iter()
        .find(|rate| rate.target == zicha_core::checklist::Target::MajorSources)
        .unwrap();
    assert_eq!(major.basis, zicha_core::score::RateBasis::Items);
    // The sample answers target 5's items; each failed one is a gap, by item id.
    assert!(major.denominator > 0);
    assert!(
        major.gaps.iter().all(|gap| gap.starts_with("t5-")),
        "{:?}",
        major.gaps
    );
}
