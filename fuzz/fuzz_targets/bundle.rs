//! Any bytes as a `.zicha` bundle (zip) and as its `inspection.json`: read, then the checklist it
//! carries parsed and the data validated against it, as the CLI and the app's import do.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(bundle) = zicha_core::bundle::Bundle::from_zip(data)
        && let Ok(checklist) = bundle.checklist()
    {
        let _ = bundle.validate(&checklist);
    }
    let _ = zicha_core::bundle::parse_data(data);
});
