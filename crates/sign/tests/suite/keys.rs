//! Keys and certificates: encrypted PKCS#8 at rest, self-issued certificates, the two-phase
//! (WebCrypto-style) paths, and PKCS#12 import.

use time::macros::datetime;
use zicha_sign::{
    CertificateSubject, Error, KeyAlgorithm, SignOptions, SigningKey, TrustList, Verdict,
    assemble_certificate, import_pkcs12, prepare, self_issued_tbs, verify,
};

use crate::common::*;

fn subject() -> CertificateSubject {
    CertificateSubject {
        organisation: "福州示例化工有限公司".into(),
        signer: "张三".into(),
        credit_code: CREDIT_CODE.into(),
        not_before: datetime!(2025-01-01 00:00:00 UTC),
        not_after: datetime!(2045-01-01 00:00:00 UTC),
    }
}

#[test]
fn encrypted_pkcs8_round_trip() {
    let key = SigningKey::generate_p256();
    let pem = key.to_encrypted_pem("correct horse").unwrap();
    assert!(
        pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{pem}"
    );
    let again = SigningKey::from_encrypted_pem(&pem, "correct horse").unwrap();
    assert_eq!(
        again.public_key_der().unwrap(),
        key.public_key_der().unwrap()
    );
    assert_eq!(
        SigningKey::from_encrypted_pem(&pem, "wrong").unwrap_err(),
        Error::WrongPassphrase
    );
    assert!(matches!(
        key.to_encrypted_pem(""),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn clear_private_keys_are_refused() {
    let clear = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
    assert_eq!(
        SigningKey::from_encrypted_pem(clear, "x").unwrap_err(),
        Error::UnencryptedKey
    );
}

#[test]
fn self_issued_certificate_names_signer_organisation_and_credit_code() {
    let signer = inspector();
    let certificate = &signer.certificate;
    assert_eq!(certificate.common_name().as_deref(), Some("张三"));
    assert_eq!(
        certificate.organisation().as_deref(),
        Some("福州示例化工有限公司")
    );
    assert_eq!(certificate.credit_code().as_deref(), Some(CREDIT_CODE));
    assert_eq!(certificate.not_before(), datetime!(2025-01-01 00:00:00 UTC));
    assert_eq!(
        certificate.key_algorithm().unwrap(),
        KeyAlgorithm::EcdsaP256
    );
    let pem = certificate.to_pem();
    assert_eq!(
        &zicha_sign::Certificate::from_pem(&pem).unwrap(),
        certificate
    );
    // Reproducible: same key and subject give the same certificate.
    assert_eq!(inspector().certificate.der(), certificate.der());
}

#[test]
fn bad_subjects_are_rejected() {
    let key = SigningKey::p256_from_bytes(&[3; 32]).unwrap();
    let mut bad = subject();
    bad.credit_code = "91350100M000100Y44".into();
    assert!(matches!(
        self_issued_tbs(&bad, &key.public_key_der().unwrap()),
        Err(Error::InvalidArgument(_))
    ));
    let mut bad = subject();
    bad.not_after = bad.not_before;
    assert!(matches!(
        self_issued_tbs(&bad, &key.public_key_der().unwrap()),
        Err(Error::InvalidArgument(_))
    ));
}

/// What WebCrypto returns for ECDSA: raw r || s.
fn raw_signature(key_bytes: &[u8; 32], message: &[u8]) -> Vec<u8> {
    use p256::ecdsa::signature::Signer;
    let key = p256::ecdsa::SigningKey::from_slice(key_bytes).unwrap();
    let signature: p256::ecdsa::Signature = key.sign(message);
    signature.to_bytes().to_vec()
}

#[test]
fn two_phase_certificate_and_signature_with_raw_signatures() {
    // The browser holds the key; we only ever see the public key and raw signatures.
    let secret = [11u8; 32];
    let public_key = SigningKey::p256_from_bytes(&secret)
        .unwrap()
        .public_key_der()
        .unwrap();
    let tbs = self_issued_tbs(&subject(), &public_key).unwrap();
    let certificate = assemble_certificate(&tbs, &raw_signature(&secret, &tbs)).unwrap();
    // A signature by another key is refused.
    assert!(assemble_certificate(&tbs, &raw_signature(&[12; 32], &tbs)).is_err());

    let (pdf, _) = make_pdf(2);
    let prepared = prepare(
        &pdf,
        &certificate,
        &[],
        &SignOptions::new("检查人", signing_time()),
    )
    .unwrap();
    let signature = raw_signature(&secret, prepared.signed_attributes());
    assert!(prepared.placeholder_pdf().len() > pdf.len());
    let signed = prepared.finish(&signature).unwrap();
    assert_eq!(verify(&signed, &TrustList::new()).verdict, Verdict::Valid);

    let prepared = prepare(
        &pdf,
        &certificate,
        &[],
        &SignOptions::new("检查人", signing_time()),
    )
    .unwrap();
    assert!(matches!(
        prepared.finish(&[0u8; 64]),
        Err(Error::BadSignatureValue(_))
    ));
}

#[test]
fn key_must_match_certificate() {
    let (pdf, _) = make_pdf(1);
    let other = SigningKey::p256_from_bytes(&[5; 32]).unwrap();
    let error = zicha_sign::sign(
        &pdf,
        &other,
        &inspector().certificate,
        &[],
        &SignOptions::new("检查人", signing_time()),
    );
    assert_eq!(error.unwrap_err(), Error::KeyCertificateMismatch);
}

#[track_caller]
fn check_pkcs12(file: &str, algorithm: KeyAlgorithm, signer: &str) {
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(
        import_pkcs12(&bytes, "wrong").unwrap_err(),
        Error::WrongPassphrase,
        "{file}"
    );
    let identity = import_pkcs12(&bytes, "zicha-test").unwrap();
    assert_eq!(identity.key.algorithm(), algorithm, "{file}");
    assert_eq!(identity.certificate.common_name().as_deref(), Some(signer));
    assert_eq!(
        identity.certificate.credit_code().as_deref(),
        Some(CREDIT_CODE)
    );
    // The imported key signs a report that verifies, and can be stored encrypted.
    let (pdf, _) = make_pdf(2);
    let mut options = SignOptions::new("企业负责人", signing_time());
    options.time = identity.certificate.not_before() + time::Duration::days(1);
    let signed = zicha_sign::sign(
        &pdf,
        &identity.key,
        &identity.certificate,
        &identity.chain,
        &options,
    )
    .unwrap();
    let report = verify(&signed, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid, "{file}: {report:#?}");
    let pem = identity.key.to_encrypted_pem("new passphrase").unwrap();
    assert_eq!(
        SigningKey::from_encrypted_pem(&pem, "new passphrase")
            .unwrap()
            .algorithm(),
        algorithm
    );
}

#[test]
fn pkcs12_rsa_legacy_3des() {
    check_pkcs12("rsa-legacy-3des.p12", KeyAlgorithm::Rsa, "赵六");
}

#[test]
fn pkcs12_rsa_aes() {
    check_pkcs12("rsa-aes.p12", KeyAlgorithm::Rsa, "赵六");
}

#[test]
fn pkcs12_p256_aes() {
    check_pkcs12("p256-aes.p12", KeyAlgorithm::EcdsaP256, "钱七");
}

#[test]
fn certificate_outside_validity_is_invalid() {
    let (pdf, _) = make_pdf(1);
    let signer = inspector();
    let options = SignOptions::new("检查人", datetime!(2024-06-01 10:00:00 +08:00));
    let signed = zicha_sign::sign(&pdf, &signer.key, &signer.certificate, &[], &options).unwrap();
    let report = verify(&signed, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(
        report.signatures[0].reasons[0].code,
        "certificate-not-valid"
    );
}

#[test]
fn key_files_carry_the_documented_scrypt_cost_and_other_costs_still_open() {
    use pkcs8::der::Decode as _;
    use pkcs8::pkcs5::{pbes2, scrypt};
    use pkcs8::{EncodePrivateKey as _, PrivateKeyInfo};

    let key = SigningKey::p256_from_bytes(&[9; 32]).unwrap();
    let der = key.to_encrypted_der("correct horse").unwrap();
    let info = pkcs8::EncryptedPrivateKeyInfo::from_der(&der).unwrap();
    let cost = info
        .encryption_algorithm
        .pbes2()
        .and_then(|parameters| parameters.kdf.scrypt())
        .unwrap();
    assert_eq!(zicha_sign::KEY_FILE_SCRYPT_LOG_N, 17);
    assert_eq!(
        (cost.cost_parameter, cost.block_size, cost.parallelization),
        (1 << 17, 8, 1)
    );

    // A file written with log2 N = 15 (the cost the code once documented) opens.
    let plain = p256::ecdsa::SigningKey::from_slice(&[9; 32])
        .unwrap()
        .to_pkcs8_der()
        .unwrap();
    let params = scrypt::Params::new(15, 8, 1, 32).unwrap();
    let cheaper = PrivateKeyInfo::from_der(plain.as_bytes())
        .unwrap()
        .encrypt_with_params(
            pbes2::Parameters::scrypt_aes256cbc(params, &[1; 16], &[2; 16]).unwrap(),
            "correct horse",
        )
        .unwrap();
    let opened = SigningKey::from_encrypted_der(cheaper.as_bytes(), "correct horse").unwrap();
    assert_eq!(
        opened.public_key_der().unwrap(),
        key.public_key_der().unwrap()
    );
}

#[test]
fn a_certificate_is_checked_at_the_signing_time() {
    let certificate = inspector().certificate;
    assert_eq!(
        certificate.check_valid_at(datetime!(2025-06-01 10:00:00 +08:00)),
        Ok(())
    );
    assert_eq!(
        certificate
            .check_valid_at(datetime!(2024-12-31 23:59:59 UTC))
            .unwrap_err()
            .to_string(),
        "the certificate is not valid at 2024-12-31T23:59:59Z: it is valid from \
         2025-01-01T00:00:00Z to 2045-01-01T00:00:00Z"
    );
    assert!(matches!(
        certificate.check_valid_at(datetime!(2045-01-01 00:00:01 UTC)),
        Err(Error::CertificateNotValidAt { .. })
    ));
}

#[test]
fn a_named_field_is_written_once() {
    let (pdf, _) = make_pdf(1);
    let signer = inspector();
    let mut options = options("检查人");
    options.field_name = Some("ZichaBox2".into());
    let signed = zicha_sign::sign(&pdf, &signer.key, &signer.certificate, &[], &options).unwrap();
    let report = verify(&signed, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid);
    assert_eq!(report.signatures[0].field, "ZichaBox2");
    assert_eq!(
        zicha_sign::sign(&signed, &signer.key, &signer.certificate, &[], &options).unwrap_err(),
        Error::InvalidArgument("the document already has a field named ZichaBox2".into())
    );
}

/// The update of `sign_update` after the unchanged original is the file `sign` writes (ECDSA
/// signatures are deterministic, RFC 6979), for a first and a second signature, and it verifies.
#[test]
fn sign_update_is_what_sign_appends() {
    let (pdf, _) = make_pdf(2);
    let signer = inspector();
    let signed = zicha_sign::sign(
        &pdf,
        &signer.key,
        &signer.certificate,
        &[],
        &options("检查人"),
    )
    .unwrap();
    let update = zicha_sign::sign_update(
        &pdf,
        &signer.key,
        &signer.certificate,
        &[],
        &options("检查人"),
    )
    .unwrap();
    assert_eq!([pdf.as_slice(), &update].concat(), signed);

    let second = zicha_sign::sign(
        &signed,
        &signer.key,
        &signer.certificate,
        &[],
        &options("企业负责人"),
    )
    .unwrap();
    let second_update = zicha_sign::sign_update(
        &signed,
        &signer.key,
        &signer.certificate,
        &[],
        &options("企业负责人"),
    )
    .unwrap();
    assert_eq!([signed.as_slice(), &second_update].concat(), second);
    let report = verify(&second, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid);
    assert_eq!(report.signatures.len(), 2);
    assert!(report.signatures[1].covers_whole_document);
}
