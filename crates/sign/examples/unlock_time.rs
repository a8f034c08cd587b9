//! How long unlocking a key file takes at each scrypt cost: `cargo run --release -p zicha-sign
//! --example unlock_time`. Writes a P-256 key as encrypted PKCS#8 with scrypt log2 N = 15 and 17
//! (r = 8, p = 1, as `SigningKey::to_encrypted_pem` does) and times `from_encrypted_pem`, the
//! step `zicha sign` and the browser's key backup restore wait for. The figures are in the comment
//! of `KEY_FILE_SCRYPT_LOG_N` (crates/sign/src/keys.rs) and in the README.

use std::time::Instant;

use pkcs8::EncodePrivateKey as _;
use pkcs8::der::Decode as _;
use pkcs8::pkcs5::{pbes2, scrypt};
use zicha_sign::SigningKey;

const RUNS: u32 = 5;

fn main() {
    let secret = [7u8; 32];
    let plain = p256::ecdsa::SigningKey::from_slice(&secret)
        .expect("a valid scalar")
        .to_pkcs8_der()
        .expect("pkcs#8");
    let info = pkcs8::PrivateKeyInfo::from_der(plain.as_bytes()).expect("pkcs#8");
    for log_n in [15u8, 17] {
        let params = scrypt::Params::new(log_n, 8, 1, 32).expect("scrypt parameters");
        let pbes2 = pbes2::Parameters::scrypt_aes256cbc(params, &[1; 16], &[2; 16]).expect("pbes2");
        let der = info
            .encrypt_with_params(pbes2, "correct horse battery")
            .expect("encrypted");
        let pem = der
            .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
            .expect("pem");
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            SigningKey::from_encrypted_pem(&pem, "correct horse battery").expect("unlocked");
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        println!(
            "scrypt log2 N = {log_n}, r = 8, p = 1: median {:.3} s, min {:.3} s, max {:.3} s over {RUNS} unlocks",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
}
