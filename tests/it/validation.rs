//! Bundle reading and hazard validation on the inputs no other test gave them (issue 19 §5): a
//! checklist.toml that is not UTF-8 or does not parse, schema_version 0, a photo listed but
//! missing, and the branches of `Hazard::validate` that no test reached (empty id or description,
//! a history step from the wrong status, a 即查即改 mark outside the first three steps).

use zicha_core::bundle::Bundle;
use zicha_core::hash::Sha256;
use zicha_core::ledger::{Hazard, Status};

use crate::bundle::{sample, zip_of};

fn json_of(bundle: &Bundle) -> Vec<u8> {
    serde_json::to_vec(&bundle.data).unwrap()
}

#[test]
fn a_checklist_toml_that_is_not_utf8_is_refused_by_name() {
    let json = json_of(&sample("school", 1));
    let error = Bundle::from_zip(&zip_of(&[
        ("inspection.json", &json),
        ("checklist.toml", b"id = \"school\"\n\xff\xfe title"),
    ]))
    .unwrap_err();
    assert_eq!(error.to_string(), "bundle: checklist.toml is not UTF-8");
}

#[test]
fn a_broken_checklist_toml_opens_but_cannot_be_scored() {
    // The zip reads (the text is kept as it is); asking for its checklist names the first problem
    // with line and column.
    let json = json_of(&sample("school", 1));
    let bundle = Bundle::from_zip(&zip_of(&[
        ("inspection.json", &json),
        ("checklist.toml", b"id = \"school\"\n[[section]\nname = 1\n"),
    ]))
    .unwrap();
    let error = bundle.checklist().unwrap_err().to_string();
    assert!(
        error.starts_with("bundle: checklist.toml has problems: 2:"),
        "{error}"
    );
}

#[test]
fn schema_version_0_is_refused() {
    let mut data: serde_json::Value =
        serde_json::from_slice(&json_of(&sample("school", 1))).unwrap();
    data["schema_version"] = 0.into();
    let json = serde_json::to_vec(&data).unwrap();
    let error = Bundle::from_zip(&zip_of(&[("inspection.json", &json)])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "bundle: inspection.json: `schema_version` 0 is not valid"
    );
    // The same file at version 1 opens.
    data["schema_version"] = 1.into();
    let json = serde_json::to_vec(&data).unwrap();
    assert!(Bundle::from_zip(&zip_of(&[("inspection.json", &json)])).is_ok());
}

#[test]
fn a_photo_listed_but_missing_is_refused_by_validate() {
    let mut bundle = sample("construction", 2);
    let checklist = bundle.checklist().unwrap();
    assert_eq!(bundle.validate(&checklist), Ok(()));
    // Listed in inspection.json's `photos`, its file not in the zip, used by no answer or hazard.
    let hash = bundle.add_photo(b"a photo nobody refers to".to_vec(), "jpg", "unused");
    assert_eq!(bundle.validate(&checklist), Ok(()));
    bundle.photos.remove(&hash);
    let error = bundle.validate(&checklist).unwrap_err().to_string();
    assert_eq!(error, format!("photos: photo {hash} is listed but missing"));
    // Through the zip: the bundle reads, and validation refuses it the same way.
    let read = Bundle::from_zip(&bundle.to_zip().unwrap()).unwrap();
    assert_eq!(
        read.validate(&checklist).unwrap_err().to_string(),
        format!("photos: photo {hash} is listed but missing")
    );
    assert_ne!(hash, Sha256::of(b""));
}

/// A sample hazard with at least one step in its history.
fn hazard_with_history() -> Hazard {
    let bundle = sample("construction", 2);
    bundle
        .data
        .hazards
        .iter()
        .find(|hazard| {
            !hazard.history.is_empty() && hazard.history.iter().all(|step| !step.on_the_spot)
        })
        .expect("a sample hazard with a history")
        .clone()
}

#[test]
fn hazard_validate_refuses_what_no_other_test_gave_it() {
    let hazard = hazard_with_history();
    assert_eq!(hazard.validate("hazards[4]"), Ok(()));
    let id = hazard.id.clone();

    let mut no_id = hazard.clone();
    no_id.id = "  ".into();
    assert_eq!(
        no_id.validate("hazards[4]").unwrap_err().to_string(),
        "hazards[4].id: must not be empty"
    );

    let mut no_description = hazard.clone();
    no_description.description = String::new();
    assert_eq!(
        no_description
            .validate("hazards[4]")
            .unwrap_err()
            .to_string(),
        "hazards[4].description: must not be empty"
    );

    // A step that starts from another status than the one the replay reached.
    let mut wrong_from = hazard.clone();
    wrong_from.history[0].from = Status::AwaitingVerification;
    assert_eq!(
        wrong_from.validate("hazards[4]").unwrap_err().to_string(),
        "hazards[4].history[0].from: is 待验收, but the hazard was 待整改 at that point"
    );

    // 即查即改 is the first three steps together: one marked step alone is refused.
    let mut marked = hazard.clone();
    marked.history[0].on_the_spot = true;
    let error = marked.validate("hazards[4]").unwrap_err().to_string();
    assert!(
        error.starts_with("hazards[4].history[")
            && error.ends_with(
                "].on_the_spot: 即查即改 is the first three steps together: 整改中, 待验收, 已销号"
            ),
        "{id}: {error}"
    );
}
