//! Any bytes given to zicha-sign's own PDF parser: direct and indirect objects, cross-reference
//! tables and streams, object streams, stream filters and the page tree of every revision, and the
//! read-only view of each revision (pages, resources, compressed streams) that the proof uses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    zicha_sign::fuzzing::pdf_objects(data);
    for end in zicha_sign::revision_ends(data) {
        if let Ok(view) = zicha_sign::PdfView::load(data, end) {
            let _ = view.catalog_keys();
            let _ = view.catalog_digest("AcroForm");
            if let Ok(pages) = view.pages() {
                for (page, page_view) in pages.iter().enumerate() {
                    for xobject in &page_view.xobjects {
                        let _ = view.xobject_data(page, &xobject.name);
                    }
                }
            }
            let _ = view.flate_streams();
        }
    }
});
