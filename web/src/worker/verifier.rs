//! The light verifier (bin zicha-verify, feature `verify`): [`Job::VerifyData`] alone, answered
//! with zicha_report::check::check_data — the signatures, who signed and the embedded inspection
//! re-scored, without rendering the report again. It links zicha-report without its `render`
//! feature (no printpdf, lopdf, font or photo codecs), so it arrives long before the report worker
//! and gives a regulator on a fresh device a first verdict; the report worker's [`Job::Verify`]
//! then proves the pages and gives the final one. The report worker answers [`Job::VerifyData`]
//! with the same function.
//!
//! [`Job::VerifyData`]: crate::state::jobs::Job::VerifyData
//! [`Job::Verify`]: crate::state::jobs::Job::Verify

use zicha_sign::TrustList;

use super::{Input, Output, Progress};
use crate::state::jobs::{Stage, VerifierReply};

/// Runs `job` (read as the light verifier's [`crate::state::jobs::VerifierJob`], whose one
/// variant is [`Job::VerifyData`]'s JSON, without the deserialiser of every job).
///
/// [`Job::VerifyData`]: crate::state::jobs::Job::VerifyData
#[cfg(feature = "verify")]
pub(super) async fn run(
    job: crate::state::jobs::VerifierJob,
    input: Input,
    progress: Progress,
) -> Result<Output, String> {
    match job {
        crate::state::jobs::VerifierJob::VerifyData { names, trust } => {
            verify_data(&names, &trust, &input, progress)
        }
    }
}

/// [`Job::VerifyData`]: each file checked without the proof of its pages, and the CSV of them.
///
/// [`Job::VerifyData`]: crate::state::jobs::Job::VerifyData
pub(super) fn verify_data(
    names: &[String],
    trust: &str,
    input: &Input,
    progress: Progress,
) -> Result<Output, String> {
    let trust = if trust.trim().is_empty() {
        TrustList::new()
    } else {
        TrustList::parse(trust).map_err(|e| format!("trust list: {e}"))?
    };
    let total = names.len() as u32;
    let mut results = Vec::with_capacity(names.len());
    for (index, name) in names.iter().enumerate() {
        progress.report(Stage::Checking, index as u32, total);
        let pdf = input.bytes.get(index).ok_or("a file is missing")?;
        results.push(zicha_report::check::check_data(name, pdf, &trust));
    }
    let csv = zicha_report::check::to_csv(&results);
    let results = results
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    Ok(Output::json(super::encode(&VerifierReply::Verified {
        results,
        csv,
        entries: Vec::new(),
    })))
}
