//! Any bytes as a received report judged by zicha_report::check (what `zicha verify` and the app's
//! verify screen run): verification, embedded files, the inspection re-scored and compared with
//! summary.json, the parties. Without fonts, so no proof by rendering (a render per input would
//! cut the rate a hundredfold; the proof's PDF reading is zicha-sign's PdfView, fuzzed by
//! pdf_objects).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zicha_report::check::check("fuzz.pdf", data, &zicha_sign::TrustList::new(), None);
});
