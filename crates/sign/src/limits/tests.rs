//! Each limit of `crate::limits` just under and just over, with the error naming it. The bounds
//! on decoded bytes (512 MiB) and on key derivations (a second or more of work just under) are
//! tested through the same code with a small bound, or on their check alone.

use super::*;
use crate::keys::{KdfLimits, SigningKey, import_pkcs12};
use crate::pdf::Document;
use crate::pdf::filter::decode_stream_within;
use crate::pdf::parse::Parser;
use crate::pdf::{Dictionary, Object, Stream};

/// A PDF of `objects` (object n is `objects[n - 1]`) with a classic xref table, /Root 1 0 R.
fn pdf(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", index + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

#[track_caller]
fn check_error<T>(result: crate::Result<T>, expected: &str) {
    match result {
        Ok(_) => panic!("accepted; expected an error with `{expected}`"),
        Err(error) => assert!(error.to_string().contains(expected), "{error}"),
    }
}

#[test]
fn object_depth() {
    let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    // The outermost array is at depth 0, so 65 arrays reach depth 64.
    assert!(
        Parser::new(nested(MAX_OBJECT_DEPTH + 1).as_bytes(), 0)
            .parse_object()
            .is_ok()
    );
    check_error(
        Parser::new(nested(MAX_OBJECT_DEPTH + 2).as_bytes(), 0).parse_object(),
        "objects nested deeper than 64 (limits::MAX_OBJECT_DEPTH) at offset 65",
    );
    // Dictionaries count the same: a value is one level below its dictionary.
    let dictionaries = |levels: usize| {
        format!(
            "{}<< >>{}",
            "<< /A ".repeat(levels - 1),
            " >>".repeat(levels - 1)
        )
    };
    assert!(
        Parser::new(dictionaries(MAX_OBJECT_DEPTH + 1).as_bytes(), 0)
            .parse_object()
            .is_ok()
    );
    check_error(
        Parser::new(dictionaries(MAX_OBJECT_DEPTH + 2).as_bytes(), 0).parse_object(),
        "objects nested deeper than 64 (limits::MAX_OBJECT_DEPTH)",
    );
}

#[test]
fn xref_sections() {
    // `count` empty xref tables, each naming the one before with /Prev.
    let chain = |count: usize| {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut previous = None;
        for _ in 0..count {
            let offset = out.len();
            let prev = previous.map_or(String::new(), |prev| format!(" /Prev {prev}"));
            out.extend(format!("xref\n0 0\ntrailer\n<< /Size 1{prev} >>\n").bytes());
            previous = Some(offset);
        }
        out.extend(format!("startxref\n{}\n%%EOF\n", previous.unwrap()).bytes());
        out
    };
    let under = chain(MAX_XREF_SECTIONS);
    assert!(Document::load(&under, under.len()).is_ok());
    let over = chain(MAX_XREF_SECTIONS + 1);
    check_error(
        Document::load(&over, over.len()),
        "more than 10000 cross-reference sections (limits::MAX_XREF_SECTIONS)",
    );
}

#[test]
fn object_number() {
    let table = |first: u64| {
        let mut out = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n".to_vec();
        let xref = out.len();
        out.extend(
            format!(
                "xref\n{first} 1\n0000000009 00000 n \ntrailer\n<< /Size 1 >>\nstartxref\n{xref}\n%%EOF\n"
            )
            .bytes(),
        );
        out
    };
    let under = table(MAX_OBJECT_NUMBER);
    assert!(Document::load(&under, under.len()).is_ok());
    let over = table(MAX_OBJECT_NUMBER + 1);
    check_error(
        Document::load(&over, over.len()),
        "lists objects above 8388607 (limits::MAX_OBJECT_NUMBER)",
    );
}

/// A catalog, a page tree root with `count` pages as its kids, and the pages.
fn pages(count: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..count)
        .map(|index| format!("{} 0 R", index + 3))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {count} >>",
            kids.join(" ")
        ),
    ];
    objects.extend((0..count).map(|_| "<< /Type /Page /Parent 2 0 R >>".to_owned()));
    pdf(&objects)
}

#[test]
fn page_count() {
    let under = pages(MAX_PAGES);
    let document = Document::load(&under, under.len()).unwrap();
    assert_eq!(document.pages().unwrap().len(), 100_000);
    let over = pages(MAX_PAGES + 1);
    let document = Document::load(&over, over.len()).unwrap();
    check_error(
        document.pages(),
        "more than 100000 pages (limits::MAX_PAGES)",
    );
}

#[test]
fn page_tree_depth() {
    // A chain of page tree nodes, each the only kid of the one before, ending in a page at
    // `depth` (the root is at depth 0).
    let chain = |depth: usize| {
        let mut objects = vec!["<< /Type /Catalog /Pages 2 0 R >>".to_owned()];
        for level in 0..depth {
            objects.push(format!("<< /Type /Pages /Kids [{} 0 R] >>", level + 3));
        }
        objects.push("<< /Type /Page >>".to_owned());
        pdf(&objects)
    };
    let under = chain(MAX_TREE_DEPTH);
    let document = Document::load(&under, under.len()).unwrap();
    assert_eq!(document.pages().unwrap().len(), 1);
    let over = chain(MAX_TREE_DEPTH + 1);
    let document = Document::load(&over, over.len()).unwrap();
    check_error(
        document.pages(),
        "the page tree is deeper than 64 (limits::MAX_TREE_DEPTH)",
    );
}

#[test]
fn reference_chain() {
    // Object 1 refers to 2, ..., and object `hops` holds 42: `hops` references to follow.
    let chain = |hops: usize| {
        let mut objects: Vec<String> = (1..hops)
            .map(|number| format!("{} 0 R", number + 1))
            .collect();
        objects.push("42".to_owned());
        pdf(&objects)
    };
    let under = chain(MAX_TREE_DEPTH);
    let document = Document::load(&under, under.len()).unwrap();
    assert_eq!(
        document.resolve(&Object::Reference((1, 0))).unwrap(),
        Object::Integer(42)
    );
    let over = chain(MAX_TREE_DEPTH + 1);
    let document = Document::load(&over, over.len()).unwrap();
    check_error(
        document.resolve(&Object::Reference((1, 0))),
        "a reference chain longer than 64 (limits::MAX_TREE_DEPTH)",
    );
}

#[test]
fn decoded_bytes() {
    let mut dict = Dictionary::new();
    dict.set(b"Filter", Object::Name(b"FlateDecode".to_vec()));
    let stream = Stream {
        dict,
        data: miniz_oxide::deflate::compress_to_vec_zlib(&[0u8; 1000], 6),
    };
    assert_eq!(decode_stream_within(&stream, 1000).unwrap().len(), 1000);
    check_error(
        decode_stream_within(&stream, 999),
        "a stream decodes to more than 999 bytes (limits::MAX_DECODED_BYTES)",
    );
    assert_eq!(MAX_DECODED_BYTES, 536_870_912);
}

#[test]
fn name_tree_nodes() {
    // A root whose kids are `nodes - 1` leaves: `nodes` nodes in all.
    let tree = |nodes: usize| {
        let kids: Vec<String> = (0..nodes - 1)
            .map(|index| format!("{} 0 R", index + 2))
            .collect();
        let mut objects = vec![format!("<< /Kids [{}] >>", kids.join(" "))];
        objects.extend((1..nodes).map(|_| "<< /Names [(a) 1 0 R] >>".to_owned()));
        pdf(&objects)
    };
    let under = tree(MAX_NAME_TREE_NODES);
    let document = Document::load(&under, under.len()).unwrap();
    let mut found = Vec::new();
    crate::embedded::collect_name_tree(&document, &Object::Reference((1, 0)), &mut found).unwrap();
    assert_eq!(found.len(), 9_999);
    let over = tree(MAX_NAME_TREE_NODES + 1);
    let document = Document::load(&over, over.len()).unwrap();
    check_error(
        crate::embedded::collect_name_tree(&document, &Object::Reference((1, 0)), &mut Vec::new()),
        "the embedded files name tree has more than 10000 nodes (limits::MAX_NAME_TREE_NODES)",
    );
}

#[test]
fn kdf_iterations() {
    let limits = KdfLimits::FILES;
    assert!(limits.check_iterations(1_000_000).is_ok());
    assert_eq!(
        limits.check_iterations(1_000_001).unwrap_err(),
        "the key derivation asks for 1000001 iterations, above the limit of 1000000 \
         (limits::MAX_KDF_ITERATIONS)"
    );
    // Through the readers: refused before any derivation is run.
    let key = SigningKey::p256_from_bytes(&[7; 32]).unwrap();
    let plain = key.to_pkcs8_der().unwrap();
    let info = pkcs8::PrivateKeyInfo::try_from(&plain[..]).unwrap();
    let parameters =
        pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(1_000_001, &[1; 16], &[2; 16])
            .unwrap();
    let encrypted = info.encrypt_with_params(parameters, b"pass").unwrap();
    check_error(
        SigningKey::from_encrypted_der(encrypted.as_bytes(), "pass"),
        "above the limit of 1000000 (limits::MAX_KDF_ITERATIONS)",
    );
    // A PKCS#12 file whose MAC asks for one iteration too many.
    let fixture = include_bytes!("../../tests/fixtures/p256-aes.p12");
    let mut pfx = <pkcs12::pfx::Pfx as der::Decode>::from_der(fixture).unwrap();
    pfx.mac_data.as_mut().unwrap().iterations = 1_000_001;
    let edited = der::Encode::to_der(&pfx).unwrap();
    check_error(
        import_pkcs12(&edited, "zicha-test"),
        "pkcs#12 error: the key derivation asks for 1000001 iterations, above the limit of 1000000",
    );
    assert!(import_pkcs12(fixture, "zicha-test").is_ok());
}

#[test]
fn scrypt_cost() {
    let limits = KdfLimits::FILES;
    // Memory 128 · r · N: our key files take 128 MiB; 256 MiB is the limit.
    assert!(limits.check_scrypt(1 << 18, 8, 1).is_ok());
    assert_eq!(
        limits.check_scrypt(1 << 19, 8, 1).unwrap_err(),
        "the scrypt key derivation needs 536870912 bytes of memory, above the limit of 268435456 \
         (limits::MAX_SCRYPT_MEMORY_BYTES)"
    );
    // Work N · r · p: OpenSSL's default (2^14 · 8 · 16) is the limit.
    assert!(limits.check_scrypt(1 << 14, 8, 16).is_ok());
    assert_eq!(
        limits.check_scrypt(1 << 14, 8, 17).unwrap_err(),
        "the scrypt key derivation's work N·r·p is 2228224, above the limit of 2097152 \
         (limits::MAX_SCRYPT_WORK)"
    );
    // Through the reader: a key file asking for 512 MiB is refused before scrypt runs.
    let key = SigningKey::p256_from_bytes(&[7; 32]).unwrap();
    let plain = key.to_pkcs8_der().unwrap();
    let info = pkcs8::PrivateKeyInfo::try_from(&plain[..]).unwrap();
    let cost = pkcs8::pkcs5::scrypt::Params::new(19, 8, 1, 32).unwrap();
    let parameters =
        pkcs8::pkcs5::pbes2::Parameters::scrypt_aes256cbc(cost, &[1; 16], &[2; 16]).unwrap();
    let encrypted = info.encrypt_with_params(parameters, b"pass").unwrap();
    check_error(
        SigningKey::from_encrypted_der(encrypted.as_bytes(), "pass"),
        "key error: the scrypt key derivation needs 536870912 bytes of memory",
    );
}
