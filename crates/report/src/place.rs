//! Where a party's digital signature goes: the box the report reserved for it on the signature
//! page, as recorded in the report's own `summary.json`. Used by `zicha sign` and the browser's
//! report worker alike.

use crate::{ReportSummary, SUMMARY_FILE, SlotSummary};

/// How far inside its reserved box a visible signature is drawn, in points.
pub const SLOT_MARGIN: f64 = 4.0;

/// The reserved signature box for `role` in a Zicha report: the one named for `signer` when there
/// is one not yet signed by that name, else the first box of that role not yet signed. `None` for a
/// PDF that is not a Zicha report or has no free box for the role.
pub fn reserved_slot(pdf: &[u8], role: &str, signer: Option<&str>) -> Option<SlotSummary> {
    let report = zicha_sign::verify(pdf, &zicha_sign::TrustList::new());
    let files = zicha_sign::embedded_files_with(pdf, &report).ok()?;
    let file = files.iter().find(|file| file.name == SUMMARY_FILE)?;
    let summary: ReportSummary = serde_json::from_slice(&file.bytes).ok()?;
    let signed_by: Vec<&str> = report
        .signatures
        .iter()
        .filter(|signature| signature.role.as_deref() == Some(role))
        .filter_map(|signature| signature.signer.as_deref())
        .collect();
    let slots: Vec<&SlotSummary> = summary
        .signature_slots
        .iter()
        .filter(|slot| slot.role == role)
        .collect();
    let named = signer.and_then(|name| {
        slots
            .iter()
            .find(|slot| slot.name == name && !signed_by.contains(&name))
    });
    named
        .or_else(|| slots.get(signed_by.len()))
        .map(|slot| (*slot).clone())
}

/// The widget rectangle inside `slot` (`SLOT_MARGIN` from its edges) and its 0-based page.
pub fn widget_place(slot: &SlotSummary) -> (usize, [f64; 4]) {
    let [x1, y1, x2, y2] = slot.rect.map(f64::from);
    (
        slot.page.saturating_sub(1),
        [
            x1 + SLOT_MARGIN,
            y1 + SLOT_MARGIN,
            x2 - SLOT_MARGIN,
            y2 - SLOT_MARGIN,
        ],
    )
}
