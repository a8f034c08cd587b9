//! The bundle reader's limits (`crate::limits`), each just under and just over: real zips for the
//! entry count and the compression ratio, the pure [`entry_limit`] for the sizes no test can
//! afford to write (256 MiB, 2 GiB). (A module of its own: `bundle.rs`'s tests are edited in
//! parallel.)

use std::io::{Cursor, Write};

use time::macros::date;

use super::{Bundle, entry_limit};
use crate::limits::{
    MAX_BUNDLE_BYTES, MAX_BUNDLE_ENTRIES, MAX_COMPRESSION_RATIO, MAX_ENTRY_BYTES, RATIO_FREE_BYTES,
};

/// A genuine bundle's inspection.json (the coal-mine sample).
fn inspection_json() -> Vec<u8> {
    let (checklist, problems) =
        crate::checklist::parse(include_str!("../../../../checklists/coal-mine.toml"));
    assert!(problems.is_empty(), "{problems:?}");
    let bundle = crate::sample::sample(&checklist.unwrap(), None, 1, date!(2026 - 03 - 01));
    bundle.data.to_json().unwrap()
}

/// A zip of inspection.json and `extra` entries (name, bytes, deflated or stored).
fn zip_with(extra: &[(String, Vec<u8>, bool)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored = deflated.compression_method(zip::CompressionMethod::Stored);
    writer.start_file("inspection.json", deflated).unwrap();
    writer.write_all(&inspection_json()).unwrap();
    for (name, bytes, compress) in extra {
        writer
            .start_file(name.as_str(), if *compress { deflated } else { stored })
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[track_caller]
fn check_refused(bytes: &[u8], expected: &str) {
    let error = Bundle::from_zip(bytes).unwrap_err().to_string();
    assert!(error.contains(expected), "{error}");
}

#[test]
fn entry_count() {
    // inspection.json and notes the reader ignores: exactly the limit, then one more.
    let notes = |count: usize| -> Vec<(String, Vec<u8>, bool)> {
        (0..count)
            .map(|index| (format!("notes/{index}.txt"), Vec::new(), false))
            .collect()
    };
    assert!(Bundle::from_zip(&zip_with(&notes(MAX_BUNDLE_ENTRIES - 1))).is_ok());
    check_refused(
        &zip_with(&notes(MAX_BUNDLE_ENTRIES)),
        "the bundle has 10001 entries, more than 10000 (limits::MAX_BUNDLE_ENTRIES)",
    );
}

#[test]
fn compression_ratio() {
    // Zeros inflate about 1,000 times: 1 MiB of them is free of the ratio, a byte more is not.
    let zeros = |length: u64| vec![(String::from("notes.txt"), vec![0u8; length as usize], true)];
    assert!(Bundle::from_zip(&zip_with(&zeros(RATIO_FREE_BYTES))).is_ok());
    check_refused(
        &zip_with(&zeros(RATIO_FREE_BYTES + 1)),
        "(limits::MAX_COMPRESSION_RATIO)",
    );
    // 2 MiB of varied digits compress about 2.3 times: within the ratio.
    let mut state = 1u64;
    let varied: Vec<u8> = (0..2 * RATIO_FREE_BYTES)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            b'0' + (state >> 60) as u8 % 10
        })
        .collect();
    assert!(Bundle::from_zip(&zip_with(&[("notes.txt".into(), varied, true)])).is_ok());
}

#[test]
fn entry_limit_edges() {
    // The ratio: 100 × the compressed size, but never under 1 MiB.
    assert_eq!(entry_limit(0, 0).bytes, RATIO_FREE_BYTES);
    // 1 MiB / 100 = 10,485.76 compressed bytes.
    assert_eq!(entry_limit(10_485, 0).bytes, 1_048_576);
    assert_eq!(entry_limit(10_486, 0).bytes, 1_048_600);
    assert_eq!(MAX_COMPRESSION_RATIO, 100);
    assert_eq!(
        entry_limit(10_486, 0).reached,
        "inflates more than 100 times its 10486 compressed bytes (limits::MAX_COMPRESSION_RATIO)"
    );
    // One entry: 256 MiB, however large its compressed size (a stored photo: ratio 1).
    let large = entry_limit(MAX_ENTRY_BYTES, 0);
    assert_eq!(large.bytes, 268_435_456);
    assert_eq!(
        large.reached,
        "is larger than 268435456 bytes (limits::MAX_ENTRY_BYTES)"
    );
    assert_eq!(entry_limit(u64::MAX, 0).bytes, MAX_ENTRY_BYTES);
    // The whole bundle: 2 GiB, less what the entries before took.
    assert_eq!(MAX_BUNDLE_BYTES, 2_147_483_648);
    let near_end = entry_limit(MAX_ENTRY_BYTES, MAX_BUNDLE_BYTES - 1000);
    assert_eq!(near_end.bytes, 1000);
    assert_eq!(
        near_end.reached,
        "takes the bundle beyond 2147483648 uncompressed bytes (limits::MAX_BUNDLE_BYTES)"
    );
    assert_eq!(entry_limit(MAX_ENTRY_BYTES, MAX_BUNDLE_BYTES).bytes, 0);
    assert_eq!(entry_limit(MAX_ENTRY_BYTES, u64::MAX).bytes, 0);
}
