//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`, off in every build that ships):
//! the crate's private readers on any bytes. Each returns nothing; a panic, a hang or a large
//! allocation is what the fuzzer looks for.

use crate::keys::{KdfLimits, SigningKey, import_pkcs12_within};
use crate::pdf::filter::decode_stream;
use crate::pdf::parse::Parser;
use crate::pdf::{Document, Object, XrefEntry, revision_ends};

/// The object parser on any bytes: direct objects one after another, an indirect object at the
/// start (a stream's indirect /Length read as 1000), then the document of every revision with
/// each object it lists, decoded when it is a stream, and its page tree.
pub fn pdf_objects(bytes: &[u8]) {
    let mut parser = Parser::new(bytes, 0);
    // Bounded: each successful parse consumes at least one byte.
    while parser.pos < bytes.len() {
        let before = parser.pos;
        if parser.parse_object().is_err() || parser.pos == before {
            break;
        }
    }
    let _ = Parser::new(bytes, 0).indirect_object(&|_| Some(1000));
    for end in revision_ends(bytes) {
        let Ok(document) = Document::load(bytes, end) else {
            continue;
        };
        let _ = document.pages();
        let _ = document.size();
        let ids: Vec<_> = document
            .entries
            .iter()
            .filter_map(|(&number, entry)| match *entry {
                XrefEntry::InUse { generation, .. } => Some((number, generation)),
                XrefEntry::Compressed { .. } => Some((number, 0)),
                XrefEntry::Free => None,
            })
            .collect();
        for id in ids {
            if let Ok(Object::Stream(stream)) = document.get(id) {
                let _ = decode_stream(&stream);
            }
            let _ = document.object_span(id.0);
        }
    }
}

/// What the fuzz targets let a key derivation cost: OpenSSL 3's default PBKDF2 count and 1 MiB of
/// scrypt, so that an input takes milliseconds. The limits files get ([`crate::limits`]) are
/// tested at their edges in `tests/suite/limits.rs`; a key file at our own cost takes 0.76 s by
/// design, which the fuzzer would report as a hang.
const FUZZ_KDF: KdfLimits = KdfLimits {
    iterations: 2048,
    scrypt_memory_bytes: 1 << 20,
    scrypt_work: 1 << 13,
};

/// The key readers on any bytes, with `passphrase`: a clear PKCS#8 key (what PKCS#12 import reads
/// once decrypted), an encrypted PKCS#8 key in DER and in PEM, and a PKCS#12 file, each
/// derivation within [`FUZZ_KDF`].
pub fn key_files(data: &[u8], passphrase: &str) {
    let _ = SigningKey::from_pkcs8_der(data);
    let _ = SigningKey::from_encrypted_der_within(data, passphrase, &FUZZ_KDF);
    let _ = import_pkcs12_within(data, passphrase, &FUZZ_KDF);
    if let Ok(text) = std::str::from_utf8(data) {
        // `SigningKey::from_encrypted_pem`: an encrypted key goes on with the fuzz limits, any
        // other label is refused by the public function before a derivation.
        match der::pem::decode_vec(text.trim().as_bytes()) {
            Ok(("ENCRYPTED PRIVATE KEY", der)) => {
                let _ = SigningKey::from_encrypted_der_within(&der, passphrase, &FUZZ_KDF);
            }
            _ => {
                let _ = SigningKey::from_encrypted_pem(text, passphrase);
            }
        }
    }
}
