//! Any text as a checklist's JSON, as the app shell loads it (zicha_core::checklist::from_json).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = zicha_core::checklist::from_json("fuzz", text);
    }
});
