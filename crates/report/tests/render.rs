//! The library on its own: the structure of the PDF read back with lopdf (attachments with /AF,
//! XMP, Info, /ID), handwritten signatures and the reserved signature slots, determinism.

use lopdf::{Document, Object};
use time::macros::{date, datetime};
use zicha_core::bundle::Bundle;
use zicha_report::{Fonts, Handwritten, Options, Role, Warning};

const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

fn bundle(sector: &str) -> Bundle {
    let checklist = zicha_core::catalog::by_id(sector).expect("built-in checklist");
    let source = zicha_core::catalog::source_of(&checklist.reference());
    zicha_core::sample::sample(checklist, source, 11, date!(2026 - 03 - 01))
}

/// A 60 × 20 grey-and-transparent PNG, like a signature pad's output.
fn signature_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 60, 20);
    encoder.set_color(png::ColorType::GrayscaleAlpha);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..60 * 20)
        .flat_map(|i| {
            if (i % 60) == (i / 60) * 3 {
                [0, 255]
            } else {
                [255, 0]
            }
        })
        .collect();
    writer.write_image_data(&pixels).unwrap();
    drop(writer);
    bytes
}

fn name(object: &Object) -> &[u8] {
    object.as_name().unwrap()
}

#[test]
fn structure_metadata_and_attachments() {
    let bundle = bundle("construction");
    let checklist = bundle.checklist().unwrap();
    let fonts = Fonts::new(FONT, 0).unwrap();
    let mut options = Options::new(
        &fonts,
        datetime!(2026-03-02 18:00 +08:00),
        "ZC-LIB-0001",
        date!(2026 - 03 - 02),
    );
    let inspector = bundle.data.inspection.inspectors[0].clone();
    options.handwritten.push(Handwritten {
        role: Role::Inspector,
        name: inspector.clone(),
        image: signature_png(),
    });
    options.handwritten.push(Handwritten {
        role: Role::Enterprise,
        name: bundle.data.organisation.safety_lead.clone(),
        image: b"not an image".to_vec(),
    });
    let rendered = zicha_report::render(&bundle, &checklist, &options).unwrap();
    assert!(
        matches!(
            &rendered.warnings[..],
            [Warning::SignatureUnreadable { .. }]
        ),
        "{:?}",
        rendered.warnings
    );

    // One reserved slot per party, on the last page, inside the page and not overlapping.
    let signers = zicha_report::signers(&bundle);
    assert_eq!(rendered.signature_slots.len(), signers.len());
    let last = rendered.stats.pages - 1;
    for (slot, signer) in rendered.signature_slots.iter().zip(&signers) {
        assert_eq!(&slot.signer, signer);
        assert_eq!(slot.page, last);
        let [x1, y1, x2, y2] = slot.rect;
        assert!(0.0 < x1 && x1 < x2 && x2 < 595.3 && 0.0 < y1 && y1 < y2 && y2 < 841.9);
        assert!(x2 - x1 > 200.0 && y2 - y1 > 60.0, "{:?}", slot.rect);
    }
    for (idx, a) in rendered.signature_slots.iter().enumerate() {
        for b in &rendered.signature_slots[idx + 1..] {
            let apart = a.rect[2] <= b.rect[0]
                || b.rect[2] <= a.rect[0]
                || a.rect[3] <= b.rect[1]
                || b.rect[3] <= a.rect[1];
            assert!(apart, "{:?} overlaps {:?}", a.rect, b.rect);
        }
    }
    assert_eq!(rendered.page_text.len(), rendered.stats.pages);
    assert!(
        rendered.page_text[last]
            .iter()
            .any(|line| line.contains(&inspector))
    );

    let document = Document::load_mem(&rendered.pdf).unwrap();
    assert_eq!(document.version, "1.7");
    assert_eq!(document.get_pages().len(), rendered.stats.pages);
    let catalog = document.catalog().unwrap();

    // inspection.json (Data), checklist.toml (Source) and summary.json (Supplement), in /AF and
    // the name tree.
    let af = catalog.get(b"AF").unwrap().as_array().unwrap();
    assert_eq!(af.len(), 3);
    let mut files = Vec::new();
    for reference in af {
        let filespec = document
            .get_dictionary(reference.as_reference().unwrap())
            .unwrap();
        let file_name = filespec.get(b"F").unwrap().as_str().unwrap().to_vec();
        let relationship = name(filespec.get(b"AFRelationship").unwrap()).to_vec();
        let embedded = filespec
            .get(b"EF")
            .and_then(Object::as_dict)
            .and_then(|ef| ef.get(b"F"))
            .and_then(Object::as_reference)
            .unwrap();
        let stream = document.get_object(embedded).unwrap().as_stream().unwrap();
        assert_eq!(name(stream.dict.get(b"Type").unwrap()), b"EmbeddedFile");
        files.push((
            file_name,
            relationship,
            stream.decompressed_content().unwrap(),
        ));
    }
    assert_eq!(files[0].0, b"inspection.json");
    assert_eq!(files[0].1, b"Data");
    assert_eq!(files[0].2, serde_json::to_vec_pretty(&bundle.data).unwrap());
    assert_eq!(files[1].0, b"checklist.toml");
    assert_eq!(files[1].1, b"Source");
    assert_eq!(
        files[1].2,
        bundle.checklist_source.as_ref().unwrap().as_bytes()
    );
    // summary.json: the score as printed and the signature places, read back as the CLI does.
    assert_eq!(files[2].0, zicha_report::SUMMARY_FILE.as_bytes());
    assert_eq!(files[2].1, b"Supplement");
    let summary: zicha_report::ReportSummary = serde_json::from_slice(&files[2].2).unwrap();
    let expected_score = zicha_core::score::score_with(
        &checklist,
        &bundle.data.inspection,
        &bundle.data.hazards,
        bundle.data.major_sources(),
        summary.as_of,
    );
    assert_eq!(summary.score, expected_score);
    assert_eq!(
        summary.signature_slots.len(),
        rendered.signature_slots.len()
    );
    for (written, slot) in summary
        .signature_slots
        .iter()
        .zip(&rendered.signature_slots)
    {
        assert_eq!(
            (written.role.as_str(), written.page, written.rect),
            (slot.signer.role.zh(), slot.page + 1, slot.rect)
        );
    }
    let names = catalog
        .get(b"Names")
        .and_then(Object::as_dict)
        .and_then(|names| names.get(b"EmbeddedFiles"))
        .and_then(Object::as_dict)
        .and_then(|tree| tree.get(b"Names"))
        .and_then(Object::as_array)
        .unwrap();
    assert_eq!(names.len(), 6);

    // XMP: title, author (the enterprise), dates from the options, producer.
    let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = document.get_object(metadata).unwrap().as_stream().unwrap();
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    assert!(xmp.contains(&bundle.data.organisation.name), "{xmp}");
    assert!(xmp.contains("<xmp:CreateDate>2026-03-02T18:00:00+08:00</xmp:CreateDate>"));
    assert!(xmp.contains("zicha-report"));
    assert!(xmp.contains("ZC-LIB-0001"));
    assert!(
        xmp.contains(&format!("<rdf:li>检查人|{inspector}|{}|", last + 1)),
        "{xmp}"
    );

    // Info mirrors it.
    let info = document
        .get_dictionary(
            document
                .trailer
                .get(b"Info")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(
        info.get(b"CreationDate").unwrap().as_str().unwrap(),
        b"D:20260302180000+08'00'"
    );
    let producer = info.get(b"Producer").unwrap().as_str().unwrap();
    assert!(producer.starts_with(b"zicha-report"));
    assert!(document.trailer.get(b"ID").is_ok());

    // Same options, same bytes.
    let again = zicha_report::render(&bundle, &checklist, &options).unwrap();
    assert!(again.pdf == rendered.pdf);
}

#[test]
fn every_sector_renders() {
    let fonts = Fonts::new(FONT, 0).unwrap();
    for checklist in zicha_core::catalog::builtin() {
        let bundle = bundle(&checklist.id);
        let options = Options::new(
            &fonts,
            datetime!(2026-03-02 18:00 +08:00),
            "ZC-ALL",
            date!(2026 - 03 - 02),
        );
        let rendered = zicha_report::render(&bundle, checklist, &options).unwrap();
        assert!(rendered.stats.pages >= 4, "{}", checklist.id);
        // Every character of the built-in checklists is in the shipped font.
        assert!(
            rendered.warnings.is_empty(),
            "{}: {:?}",
            checklist.id,
            rendered.warnings
        );
    }
}

#[test]
fn bad_font_is_an_error() {
    assert!(Fonts::new(b"not a font", 0).is_err());
}

#[test]
fn progress_counts_photos_and_pages() {
    let mut bundle = bundle("construction");
    // Two photos on the first hazard: real JPEGs are not needed, unreadable ones are counted too.
    let first = bundle.add_photo(b"not really a jpeg".to_vec(), "jpg", "");
    let second = bundle.add_photo(b"nor is this".to_vec(), "jpg", "");
    let hazard = bundle
        .data
        .hazards
        .first_mut()
        .expect("the sample has hazards");
    hazard.photos_before = vec![first, second];
    let checklist = bundle.checklist().unwrap();
    let fonts = Fonts::new(FONT, 0).unwrap();
    let events = std::cell::RefCell::new(Vec::new());
    let record = |progress: zicha_report::Progress| events.borrow_mut().push(progress);
    let mut options = Options::new(
        &fonts,
        datetime!(2026-03-02 18:00 +08:00),
        "ZC-PROGRESS",
        date!(2026 - 03 - 02),
    );
    options.progress = Some(zicha_report::OnProgress(&record));
    let rendered = zicha_report::render(&bundle, &checklist, &options).unwrap();
    let events = events.into_inner();
    let photos: Vec<(usize, usize)> = events
        .iter()
        .filter_map(|event| match event {
            zicha_report::Progress::Photos { done, total } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(photos, vec![(1, 2), (2, 2)]);
    let pages: Vec<usize> = events
        .iter()
        .filter_map(|event| match event {
            zicha_report::Progress::Pages { pages } => Some(*pages),
            _ => None,
        })
        .collect();
    assert!(pages.windows(2).all(|w| w[0] <= w[1]), "{pages:?}");
    assert_eq!(pages.last().copied(), Some(rendered.stats.pages));
}
