//! No panics on any input: truncated, garbled and random bytes go through verify, sign and the
//! key and certificate readers, and come back as reports or errors.

use zicha_sign::{Certificate, SignOptions, SigningKey, TrustList, Verdict, verify};

use crate::common::*;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

fn three_signatures() -> Vec<u8> {
    let (signed, _) = signed_once();
    let twice = sign_as(
        &signed,
        &signer(8, "李四", "福州示例化工有限公司"),
        "企业负责人",
    );
    sign_as(&twice, &signer(9, "王五", "福建监理有限公司"), "监理")
}

#[test]
fn every_truncation_is_not_valid() {
    let pdf = three_signatures();
    let trust = TrustList::new();
    for cut in (0..pdf.len() - 1).step_by(211) {
        let report = verify(&pdf[..cut], &trust);
        // A cut exactly at a revision end leaves fewer (valid) signatures; anything else is not
        // the signed document.
        if report.verdict == Verdict::Valid {
            assert!(report.signatures.len() < 3, "cut at {cut}");
        }
    }
}

#[test]
fn garbled_bytes_never_panic_and_are_never_valid() {
    let pdf = three_signatures();
    let trust = TrustList::new();
    let mut random = Random(0x5eed_1234_abcd_ef01);
    for _ in 0..300 {
        let mut garbled = pdf.clone();
        let at = random.below(garbled.len());
        let old = garbled[at];
        garbled[at] = old ^ (1 + random.below(255) as u8);
        let report = verify(&garbled, &trust);
        assert_ne!(
            report.verdict,
            Verdict::Valid,
            "flip at {at}: {old} -> {}",
            garbled[at]
        );
    }
    for _ in 0..50 {
        let mut garbled = pdf.clone();
        for _ in 0..20 {
            let at = random.below(garbled.len());
            garbled[at] = random.next() as u8;
        }
        let _ = verify(&garbled, &trust);
        let _ = zicha_sign::embedded_files(&garbled);
    }
}

#[test]
fn random_and_hostile_inputs_are_errors_not_panics() {
    let signer = inspector();
    let options = SignOptions::new("检查人", signing_time());
    let mut random = Random(42);
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"%PDF-1.7".to_vec(),
        b"%PDF-1.7\nstartxref\n999999999999\n%%EOF".to_vec(),
        b"%PDF-1.7\nxref\n0 99999999\ntrailer<<>>\nstartxref\n9\n%%EOF".to_vec(),
        b"%PDF-1.7\n1 0 obj [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ endobj\nxref\n0 2\n0000000000 65535 f\r\n0000000009 00000 n\r\ntrailer<</Root 1 0 R/Size 2>>\nstartxref\n75\n%%EOF".to_vec(),
        // A /Prev loop.
        b"%PDF-1.7\nxref\n0 1\n0000000000 65535 f\r\ntrailer<</Prev 9/Size 1>>\nstartxref\n9\n%%EOF".to_vec(),
    ];
    for _ in 0..100 {
        let length = random.below(2000);
        let mut bytes: Vec<u8> = (0..length).map(|_| random.next() as u8).collect();
        if random.below(2) == 0 {
            bytes.splice(0..0, b"%PDF-1.7\n".iter().copied());
            bytes.extend_from_slice(b"\nstartxref\n9\n%%EOF\n");
        }
        inputs.push(bytes);
    }
    for input in &inputs {
        assert_ne!(verify(input, &TrustList::new()).verdict, Verdict::Valid);
        assert!(zicha_sign::sign(input, &signer.key, &signer.certificate, &[], &options).is_err());
        assert!(Certificate::from_der(input).is_err());
        assert!(SigningKey::from_encrypted_der(input, "passphrase").is_err());
        assert!(zicha_sign::import_pkcs12(input, "passphrase").is_err());
        let _ = zicha_sign::embedded_files(input);
    }
}
