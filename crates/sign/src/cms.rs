//! CMS SignedData for PAdES B-B: building the signed attributes (content-type, message-digest,
//! signing-certificate-v2; no signing-time), assembling SignedData around an external signature,
//! and checking a SignedData from a PDF.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier,
    SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{Any, OctetString, SetOfVec};
use der::{Decode, Encode, Reader as _, Sequence, Tagged};
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::cert::{Certificate, OID_ECDSA_WITH_SHA256, OID_SHA256_WITH_RSA, signature_algorithm};
use crate::error::{Error, Result};
use crate::findings::Problem;
use crate::keys::{KeyAlgorithm, verify_signature};

const OID_EC_PUBLIC_KEY: ObjectIdentifier = rfc5912::ID_EC_PUBLIC_KEY;
const OID_RSA: ObjectIdentifier = rfc5912::RSA_ENCRYPTION;

/// ESS SigningCertificateV2 (RFC 5035).
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    /// DEFAULT sha256: omitted in DER when it is SHA-256.
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: GeneralNames,
    serial_number: SerialNumber,
}

fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute> {
    let values =
        SetOfVec::try_from(vec![value]).map_err(|error| Error::Certificate(error.to_string()))?;
    Ok(Attribute { oid, values })
}

fn any_of<T: der::EncodeValue + Tagged>(value: &T) -> Result<Any> {
    Any::encode_from(value).map_err(|error| Error::Certificate(error.to_string()))
}

/// The signed attributes for a detached signature over bytes whose SHA-256 is `message_digest`.
pub(crate) fn signed_attributes(
    message_digest: &[u8],
    certificate: &Certificate,
) -> Result<SignedAttributes> {
    let inner = certificate.inner();
    let signing_certificate = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(certificate.fingerprint().to_vec())
                .map_err(|error| Error::Certificate(error.to_string()))?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    inner.tbs_certificate.issuer.clone(),
                )],
                serial_number: inner.tbs_certificate.serial_number.clone(),
            }),
        }],
        policies: None,
    };
    let attributes = vec![
        attribute(rfc5911::ID_CONTENT_TYPE, any_of(&rfc5911::ID_DATA)?)?,
        attribute(
            rfc5911::ID_MESSAGE_DIGEST,
            any_of(
                &OctetString::new(message_digest.to_vec())
                    .map_err(|error| Error::Certificate(error.to_string()))?,
            )?,
        )?,
        attribute(
            rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
            any_of(&signing_certificate)?,
        )?,
    ];
    SetOfVec::try_from(attributes).map_err(|error| Error::Certificate(error.to_string()))
}

/// The DER `SET OF` encoding of the signed attributes: the bytes that are signed.
pub(crate) fn signed_attributes_der(attributes: &SignedAttributes) -> Result<Vec<u8>> {
    attributes
        .to_der()
        .map_err(|error| Error::Certificate(error.to_string()))
}

/// A ContentInfo(SignedData) with one SignerInfo, no encapsulated content, and the certificates.
pub(crate) fn signed_data(
    attributes: SignedAttributes,
    certificate: &Certificate,
    chain: &[Certificate],
    algorithm: KeyAlgorithm,
    signature_der: &[u8],
) -> Result<Vec<u8>> {
    let map = |error: der::Error| Error::Certificate(error.to_string());
    let inner = certificate.inner();
    let mut certificates = SetOfVec::new();
    certificates
        .insert(CertificateChoices::Certificate(inner.clone()))
        .map_err(map)?;
    let mut seen = vec![certificate.der().to_vec()];
    for member in chain {
        if !seen.iter().any(|der| der == member.der()) {
            seen.push(member.der().to_vec());
            certificates
                .insert(CertificateChoices::Certificate(member.inner().clone()))
                .map_err(map)?;
        }
    }
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: inner.tbs_certificate.issuer.clone(),
            serial_number: inner.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256_algorithm(),
        signed_attrs: Some(attributes),
        signature_algorithm: signature_algorithm(algorithm),
        signature: OctetString::new(signature_der.to_vec()).map_err(map)?,
        unsigned_attrs: None,
    };
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256_algorithm()]).map_err(map)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certificates)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(map)?),
    };
    let content_info = ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(map)?,
    };
    content_info.to_der().map_err(map)
}

/// What a checked CMS signature tells about its signer.
pub(crate) struct CheckedCms {
    pub(crate) certificate: Certificate,
}

/// Checks a CMS SignedData from /Contents against the SHA-256 digest of the signed byte ranges.
/// `require_signing_certificate` is true for ETSI.CAdES.detached (PAdES requires the attribute).
/// The signer's certificate is returned even when a later check fails, so the report can name it.
pub(crate) fn check(
    contents: &[u8],
    ranges_digest: &[u8; 32],
    require_signing_certificate: bool,
) -> (
    Option<Certificate>,
    std::result::Result<CheckedCms, Problem>,
) {
    let signed_data = match parse_signed_data(contents) {
        Ok(signed_data) => signed_data,
        Err(problem) => return (None, Err(problem)),
    };
    let signer = match signed_data.signer_infos.0.as_slice() {
        [signer] => signer,
        [] => return (None, Err(Problem::CmsMalformed("no signer info".into()))),
        _ => {
            return (
                None,
                Err(Problem::CmsMalformed("more than one signer info".into())),
            );
        }
    };
    let certificate = match signer_certificate(&signed_data, signer) {
        Ok(certificate) => certificate,
        Err(problem) => return (None, Err(problem)),
    };
    let outcome = check_signer(
        &signed_data,
        signer,
        &certificate,
        ranges_digest,
        require_signing_certificate,
    );
    (
        Some(certificate.clone()),
        outcome.map(|()| CheckedCms { certificate }),
    )
}

fn parse_signed_data(contents: &[u8]) -> std::result::Result<SignedData, Problem> {
    let malformed = |error: der::Error| Problem::CmsMalformed(error.to_string().to_lowercase());
    if contents.iter().all(|&byte| byte == 0) {
        return Err(Problem::CmsMalformed(
            "/Contents is empty or all zeros".into(),
        ));
    }
    let mut reader = der::SliceReader::new(contents).map_err(malformed)?;
    let content_info = ContentInfo::decode(&mut reader).map_err(malformed)?;
    let consumed = usize::try_from(reader.position()).unwrap_or(contents.len());
    if contents[consumed.min(contents.len())..]
        .iter()
        .any(|&byte| byte != 0)
    {
        return Err(Problem::CmsTrailingData);
    }
    if content_info.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(Problem::CmsMalformed("not signed-data".into()));
    }
    let signed_data: SignedData = content_info.content.decode_as().map_err(malformed)?;
    if signed_data.encap_content_info.econtent.is_some() {
        return Err(Problem::CmsMalformed(
            "the signature is not detached".into(),
        ));
    }
    if signed_data.encap_content_info.econtent_type != rfc5911::ID_DATA {
        return Err(Problem::CmsMalformed(
            "encapsulated content type is not id-data".into(),
        ));
    }
    Ok(signed_data)
}

fn signer_certificate(
    signed_data: &SignedData,
    signer: &SignerInfo,
) -> std::result::Result<Certificate, Problem> {
    let certificates = signed_data
        .certificates
        .as_ref()
        .map(|set| set.0.as_slice())
        .unwrap_or(&[]);
    for choice in certificates {
        let CertificateChoices::Certificate(candidate) = choice else {
            continue;
        };
        let matches = match &signer.sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => {
                candidate.tbs_certificate.issuer == id.issuer
                    && candidate.tbs_certificate.serial_number == id.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(key_id) => candidate
                .tbs_certificate
                .extensions
                .iter()
                .flatten()
                .filter(|extension| {
                    extension.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER
                })
                .any(|extension| {
                    x509_cert::ext::pkix::SubjectKeyIdentifier::from_der(
                        extension.extn_value.as_bytes(),
                    )
                    .is_ok_and(|found| found.0 == key_id.0)
                }),
        };
        if matches {
            let der = candidate
                .to_der()
                .map_err(|error| Problem::CmsMalformed(error.to_string()))?;
            return Certificate::from_der(&der)
                .map_err(|error| Problem::CmsMalformed(error.to_string()));
        }
    }
    Err(Problem::SignerCertificateMissing)
}

fn check_signer(
    signed_data: &SignedData,
    signer: &SignerInfo,
    certificate: &Certificate,
    ranges_digest: &[u8; 32],
    require_signing_certificate: bool,
) -> std::result::Result<(), Problem> {
    if signer.digest_alg.oid != rfc5912::ID_SHA_256 {
        return Err(Problem::UnsupportedAlgorithm(format!(
            "digest {}",
            signer.digest_alg.oid
        )));
    }
    if !signed_data
        .digest_algorithms
        .iter()
        .any(|algorithm| algorithm.oid == rfc5912::ID_SHA_256)
    {
        return Err(Problem::CmsMalformed(
            "sha-256 is not among the digest algorithms".into(),
        ));
    }
    let Some(attributes) = &signer.signed_attrs else {
        return Err(Problem::AttributeMissing("signed attributes"));
    };
    let single = |oid: ObjectIdentifier| -> Option<&Any> {
        let mut matching = attributes.iter().filter(|attribute| attribute.oid == oid);
        let attribute = matching.next()?;
        if matching.next().is_some() || attribute.values.len() != 1 {
            return None;
        }
        attribute.values.get(0)
    };
    let content_type = single(rfc5911::ID_CONTENT_TYPE)
        .and_then(|value| value.decode_as::<ObjectIdentifier>().ok());
    if content_type != Some(rfc5911::ID_DATA) {
        return Err(Problem::AttributeMissing("content-type"));
    }
    let digest = single(rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|value| value.decode_as::<OctetString>().ok())
        .ok_or(Problem::AttributeMissing("message-digest"))?;
    if digest.as_bytes() != ranges_digest {
        return Err(Problem::DigestMismatch);
    }
    match single(rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2) {
        Some(value) => {
            let signing_certificate: SigningCertificateV2 = value
                .decode_as()
                .map_err(|_| Problem::AttributeMissing("signing-certificate-v2"))?;
            let first = signing_certificate
                .certs
                .first()
                .ok_or(Problem::AttributeMissing("signing-certificate-v2"))?;
            let algorithm = first
                .hash_algorithm
                .as_ref()
                .map_or(rfc5912::ID_SHA_256, |algorithm| algorithm.oid);
            if algorithm != rfc5912::ID_SHA_256 {
                return Err(Problem::UnsupportedAlgorithm(format!(
                    "signing-certificate-v2 hash {algorithm}"
                )));
            }
            if first.cert_hash.as_bytes() != Sha256::digest(certificate.der()).as_slice() {
                return Err(Problem::SigningCertificateMismatch);
            }
        }
        None if require_signing_certificate => {
            return Err(Problem::AttributeMissing("signing-certificate-v2"));
        }
        None => {}
    }
    let key_algorithm = certificate
        .key_algorithm()
        .map_err(|error| Problem::UnsupportedAlgorithm(error.to_string()))?;
    let oid = signer.signature_algorithm.oid;
    let algorithm_fits = match key_algorithm {
        KeyAlgorithm::EcdsaP256 => oid == OID_ECDSA_WITH_SHA256 || oid == OID_EC_PUBLIC_KEY,
        KeyAlgorithm::Rsa => oid == OID_SHA256_WITH_RSA || oid == OID_RSA,
    };
    if !algorithm_fits {
        return Err(Problem::UnsupportedAlgorithm(format!(
            "signature algorithm {oid}"
        )));
    }
    let signed_bytes = attributes
        .to_der()
        .map_err(|error| Problem::CmsMalformed(error.to_string()))?;
    let public_key = certificate
        .public_key_der()
        .map_err(|error| Problem::CmsMalformed(error.to_string()))?;
    verify_signature(&public_key, &signed_bytes, signer.signature.as_bytes())
        .map_err(|_| Problem::SignatureDoesNotVerify)
}
