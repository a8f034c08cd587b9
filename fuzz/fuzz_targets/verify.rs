//! Any bytes as a received signed PDF: zicha_sign::verify gives a report, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zicha_sign::verify(data, &zicha_sign::TrustList::new());
});
