//! Any bytes as the key and certificate files a user hands the CLI or the app: a certificate in
//! DER and PEM, a clear PKCS#8 key (what PKCS#12 import reads once decrypted), an encrypted PKCS#8
//! key in DER and PEM, and a PKCS#12 file. The passphrase is the one the seeds were made with
//! (that of crates/sign/tests/fixtures); key derivations are held to the fuzz limits of
//! zicha_sign::fuzzing (milliseconds), the limits files get are tested in the crate.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PASSPHRASE: &str = "zicha-test";

fuzz_target!(|data: &[u8]| {
    let _ = zicha_sign::Certificate::from_der(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = zicha_sign::Certificate::from_pem(text);
    }
    zicha_sign::fuzzing::key_files(data, PASSPHRASE);
});
