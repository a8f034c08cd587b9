//! Any bytes given to the embedded-files reader (/Names /EmbeddedFiles and /AF), with the
//! verification report of the same bytes, as zicha_report::check calls it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = zicha_sign::verify(data, &zicha_sign::TrustList::new());
    let _ = zicha_sign::embedded_files_with(data, &report);
});
