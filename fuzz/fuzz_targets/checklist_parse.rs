//! Any text as a checklist file (parse + lint) and as a recorded one: problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = zicha_core::checklist::parse(text);
        let _ = zicha_core::checklist::parse_recorded(text);
        let _ = zicha_core::checklist::sources::links(text);
    }
});
