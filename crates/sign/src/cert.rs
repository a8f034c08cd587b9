//! X.509 certificates: reading the fields a regulator needs (signer, organisation, credit code,
//! validity, fingerprint) and building a self-issued certificate for a signer, in two phases so an
//! external signer (WebCrypto) can sign the to-be-signed part.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc4519;
use der::asn1::{Any, BitString, OctetString, SetOfVec};
use der::{Decode, Encode, Tag, Tagged};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};
use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};

use crate::error::{Error, Result};
use crate::keys::{
    KeyAlgorithm, SigningKey, normalize_signature, public_key_algorithm, to_der, verify_signature,
};

pub(crate) const OID_ECDSA_WITH_SHA256: ObjectIdentifier =
    const_oid::db::rfc5912::ECDSA_WITH_SHA_256;
pub(crate) const OID_SHA256_WITH_RSA: ObjectIdentifier =
    const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION;

/// An X.509 certificate (DER kept as read, so fingerprints and CMS hashes are exact).
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    inner: x509_cert::Certificate,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Certificate({}, {})",
            self.common_name().unwrap_or_default(),
            self.fingerprint_hex()
        )
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Certificate {
    /// Reads a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let inner = x509_cert::Certificate::from_der(der)
            .map_err(|error| Error::Certificate(error.to_string()))?;
        Ok(Self {
            der: der.to_vec(),
            inner,
        })
    }

    /// Reads a PEM certificate (the first `CERTIFICATE` block).
    pub fn from_pem(pem: &str) -> Result<Self> {
        let (label, der) = der::pem::decode_vec(pem.trim().as_bytes())
            .map_err(|error| Error::Certificate(format!("bad pem: {error}")))?;
        if label != "CERTIFICATE" {
            return Err(Error::Certificate(format!(
                "unexpected pem label `{}`",
                label.to_lowercase()
            )));
        }
        Self::from_der(&der)
    }

    /// The certificate as PEM.
    pub fn to_pem(&self) -> String {
        // Encoding a byte slice we already hold cannot fail for a certificate-sized input.
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &self.der)
            .unwrap_or_default()
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub(crate) fn inner(&self) -> &x509_cert::Certificate {
        &self.inner
    }

    /// SHA-256 of the DER: what trust lists name.
    pub fn fingerprint(&self) -> [u8; 32] {
        Sha256::digest(&self.der).into()
    }

    /// The fingerprint as lower-case hex.
    pub fn fingerprint_hex(&self) -> String {
        hex(&self.fingerprint())
    }

    /// The subject's common name (the signer).
    pub fn common_name(&self) -> Option<String> {
        subject_attribute(&self.inner.tbs_certificate.subject, rfc4519::CN)
    }

    /// The subject's organisation (the enterprise).
    pub fn organisation(&self) -> Option<String> {
        subject_attribute(&self.inner.tbs_certificate.subject, rfc4519::O)
    }

    /// The 统一社会信用代码 (unified social credit code): the subject's serialNumber, or any
    /// subject attribute that is a valid credit code (some CAs put it into OU).
    pub fn credit_code(&self) -> Option<String> {
        let subject = &self.inner.tbs_certificate.subject;
        if let Some(code) = subject_attribute(subject, rfc4519::SERIAL_NUMBER)
            .filter(|code| credit_code_is_valid(code))
        {
            return Some(code);
        }
        subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .filter_map(|attribute| attribute_text(&attribute.value))
            .find(|text| credit_code_is_valid(text))
    }

    /// Start of validity.
    pub fn not_before(&self) -> OffsetDateTime {
        time_to_offset(self.inner.tbs_certificate.validity.not_before)
    }

    /// End of validity.
    pub fn not_after(&self) -> OffsetDateTime {
        time_to_offset(self.inner.tbs_certificate.validity.not_after)
    }

    /// Refuses to sign at `time` with a certificate that is expired or not yet valid then: the
    /// verifier would call such a signature invalid. Signing tools (`zicha sign`, the browser's
    /// report worker) call this with the signing time before [`crate::prepare`]; the time is
    /// passed in, this crate reads no clock.
    pub fn check_valid_at(&self, time: OffsetDateTime) -> Result<()> {
        let (not_before, not_after) = (self.not_before(), self.not_after());
        if time >= not_before && time <= not_after {
            return Ok(());
        }
        let format = |moment: OffsetDateTime| {
            moment
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        };
        Err(Error::CertificateNotValidAt {
            time: format(time),
            not_before: format(not_before),
            not_after: format(not_after),
        })
    }

    /// The public key as DER SubjectPublicKeyInfo.
    pub fn public_key_der(&self) -> Result<Vec<u8>> {
        to_der(&self.inner.tbs_certificate.subject_public_key_info)
    }

    /// The public key's algorithm.
    pub fn key_algorithm(&self) -> Result<KeyAlgorithm> {
        public_key_algorithm(&self.public_key_der()?)
    }

    /// The key usage extension, if present.
    pub(crate) fn key_usage(&self) -> Option<KeyUsage> {
        let extensions = self.inner.tbs_certificate.extensions.as_ref()?;
        let extension = extensions
            .iter()
            .find(|extension| extension.extn_id == const_oid::db::rfc5280::ID_CE_KEY_USAGE)?;
        KeyUsage::from_der(extension.extn_value.as_bytes()).ok()
    }

    /// Whether BasicConstraints says this is a CA certificate.
    pub(crate) fn is_ca(&self) -> bool {
        let Some(extensions) = self.inner.tbs_certificate.extensions.as_ref() else {
            return false;
        };
        extensions
            .iter()
            .filter(|extension| {
                extension.extn_id == const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS
            })
            .any(|extension| {
                BasicConstraints::from_der(extension.extn_value.as_bytes())
                    .is_ok_and(|constraints| constraints.ca)
            })
    }

    /// Whether the certificate is self-issued and its own signature verifies.
    pub(crate) fn is_self_signed(&self) -> bool {
        let tbs = &self.inner.tbs_certificate;
        if tbs.issuer != tbs.subject {
            return false;
        }
        let (Ok(tbs_der), Ok(public_key)) = (tbs.to_der(), self.public_key_der()) else {
            return false;
        };
        let Some(signature) = self.inner.signature.as_bytes() else {
            return false;
        };
        verify_signature(&public_key, &tbs_der, signature).is_ok()
    }
}

fn time_to_offset(time: Time) -> OffsetDateTime {
    let seconds = i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn subject_attribute(name: &RdnSequence, oid: ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|attribute| attribute.oid == oid)
        .and_then(|attribute| attribute_text(&attribute.value))
}

/// The text of a directory string, whatever its ASN.1 string type.
fn attribute_text(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::TeletexString
        | Tag::VisibleString => Some(String::from_utf8_lossy(bytes).into_owned()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Whether `code` is a well-formed 统一社会信用代码 (GB 32100-2015: 18 characters from the code
/// alphabet, the last one a check character).
pub fn credit_code_is_valid(code: &str) -> bool {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let bytes = code.as_bytes();
    if bytes.len() != 18 {
        return false;
    }
    let mut values = Vec::with_capacity(18);
    for byte in bytes {
        match ALPHABET.iter().position(|candidate| candidate == byte) {
            Some(value) => values.push(value),
            None => return false,
        }
    }
    let sum: usize = values
        .iter()
        .zip(WEIGHTS)
        .map(|(value, weight)| value * weight)
        .sum();
    let check = (31 - sum % 31) % 31;
    values[17] == check
}

/// Who a self-issued certificate names, and for how long it is valid.
#[derive(Clone, Debug)]
pub struct CertificateSubject {
    /// The enterprise (subject O).
    pub organisation: String,
    /// The signer (subject CN).
    pub signer: String,
    /// The enterprise's 统一社会信用代码 (subject serialNumber).
    pub credit_code: String,
    /// Start of validity (passed in: the crate reads no clock).
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
}

/// The DER `TBSCertificate` of a self-issued certificate for `public_key_der` (SPKI): phase one of
/// the two-phase path. Sign these bytes with SHA-256 (ECDSA P-256 or RSA), then call
/// [`assemble_certificate`].
pub fn self_issued_tbs(subject: &CertificateSubject, public_key_der: &[u8]) -> Result<Vec<u8>> {
    if !credit_code_is_valid(&subject.credit_code) {
        return Err(Error::InvalidArgument(format!(
            "`{}` is not a valid unified social credit code",
            subject.credit_code
        )));
    }
    if subject.organisation.trim().is_empty() || subject.signer.trim().is_empty() {
        return Err(Error::InvalidArgument(
            "organisation and signer must not be empty".into(),
        ));
    }
    if subject.not_after <= subject.not_before {
        return Err(Error::InvalidArgument(
            "the validity ends before it starts".into(),
        ));
    }
    let algorithm = public_key_algorithm(public_key_der)?;
    let spki = SubjectPublicKeyInfoOwned::from_der(public_key_der)
        .map_err(|error| Error::Key(error.to_string()))?;
    let name = RdnSequence(vec![
        rdn(rfc4519::O, Tag::Utf8String, &subject.organisation)?,
        rdn(
            rfc4519::SERIAL_NUMBER,
            Tag::PrintableString,
            &subject.credit_code,
        )?,
        rdn(rfc4519::CN, Tag::Utf8String, &subject.signer)?,
    ]);
    // A deterministic positive serial: the same inputs give the same certificate.
    let mut hasher = Sha256::new();
    hasher.update(public_key_der);
    hasher.update(subject.not_before.unix_timestamp().to_be_bytes());
    hasher.update(subject.signer.as_bytes());
    let mut serial: [u8; 16] = hasher.finalize()[..16].try_into().unwrap_or([1; 16]);
    serial[0] &= 0x7F;
    serial[0] |= 0x40;
    let key_identifier = &Sha256::digest(spki.subject_public_key.raw_bytes())[..20];

    let extensions = vec![
        extension(
            const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
            true,
            &BasicConstraints {
                ca: false,
                path_len_constraint: None,
            },
        )?,
        extension(
            const_oid::db::rfc5280::ID_CE_KEY_USAGE,
            true,
            &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation),
        )?,
        extension(
            const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
            false,
            &SubjectKeyIdentifier(
                OctetString::new(key_identifier)
                    .map_err(|error| Error::Certificate(error.to_string()))?,
            ),
        )?,
    ];
    let tbs = x509_cert::TbsCertificate {
        version: x509_cert::Version::V3,
        serial_number: SerialNumber::new(&serial)
            .map_err(|error| Error::Certificate(error.to_string()))?,
        signature: signature_algorithm(algorithm),
        issuer: name.clone(),
        validity: Validity {
            not_before: to_time(subject.not_before)?,
            not_after: to_time(subject.not_after)?,
        },
        subject: name,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    to_der(&tbs)
}

/// Phase two: the certificate from its TBS bytes and their signature (DER, or raw `r || s` as
/// WebCrypto returns for ECDSA). The signature is checked against the TBS's own public key.
pub fn assemble_certificate(tbs_der: &[u8], signature: &[u8]) -> Result<Certificate> {
    let tbs = x509_cert::TbsCertificate::from_der(tbs_der)
        .map_err(|error| Error::Certificate(error.to_string()))?;
    let public_key = to_der(&tbs.subject_public_key_info)?;
    let algorithm = public_key_algorithm(&public_key)?;
    let signature = normalize_signature(algorithm, signature)?;
    verify_signature(&public_key, tbs_der, &signature)?;
    let certificate = x509_cert::Certificate {
        signature_algorithm: tbs.signature.clone(),
        tbs_certificate: tbs,
        signature: BitString::from_bytes(&signature)
            .map_err(|error| Error::Certificate(error.to_string()))?,
    };
    Certificate::from_der(&to_der(&certificate)?)
}

/// A self-issued certificate for an in-memory key (both phases at once).
pub fn self_issued_certificate(
    subject: &CertificateSubject,
    key: &SigningKey,
) -> Result<Certificate> {
    let tbs = self_issued_tbs(subject, &key.public_key_der()?)?;
    let signature = key.sign(&tbs)?;
    assemble_certificate(&tbs, &signature)
}

pub(crate) fn signature_algorithm(algorithm: KeyAlgorithm) -> AlgorithmIdentifierOwned {
    match algorithm {
        KeyAlgorithm::EcdsaP256 => AlgorithmIdentifierOwned {
            oid: OID_ECDSA_WITH_SHA256,
            parameters: None,
        },
        KeyAlgorithm::Rsa => AlgorithmIdentifierOwned {
            oid: OID_SHA256_WITH_RSA,
            parameters: Some(Any::null()),
        },
    }
}

fn rdn(oid: ObjectIdentifier, tag: Tag, text: &str) -> Result<RelativeDistinguishedName> {
    let value =
        Any::new(tag, text.as_bytes()).map_err(|error| Error::Certificate(error.to_string()))?;
    let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }])
        .map_err(|error| Error::Certificate(error.to_string()))?;
    Ok(RelativeDistinguishedName(set))
}

fn extension<T: Encode>(oid: ObjectIdentifier, critical: bool, value: &T) -> Result<Extension> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(to_der(value)?)
            .map_err(|error| Error::Certificate(error.to_string()))?,
    })
}

fn to_time(moment: OffsetDateTime) -> Result<Time> {
    let seconds = u64::try_from(moment.unix_timestamp()).map_err(|_| {
        Error::InvalidArgument("certificate times before 1970 are not supported".into())
    })?;
    let duration = std::time::Duration::from_secs(seconds);
    // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
    let result = if moment.year() < 2050 {
        der::asn1::UtcTime::from_unix_duration(duration).map(Time::UtcTime)
    } else {
        der::asn1::GeneralizedTime::from_unix_duration(duration).map(Time::GeneralTime)
    };
    result
        .map_err(|error| Error::InvalidArgument(format!("certificate time out of range: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(code: &str, expected: bool) {
        assert_eq!(credit_code_is_valid(code), expected, "{code}");
    }

    #[test]
    fn credit_codes() {
        check("91350100M000100Y43", true);
        check("91350100M000100Y44", false);
        check("91350100M000100Y4", false);
        check("91350100M000100I43", false);
        check("", false);
        check("统一社会信用代码统一社会信用代码统一", false);
    }
}
