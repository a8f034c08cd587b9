//! Signing keys: ECDSA P-256 (our own keys, also what WebCrypto holds) and RSA (from enterprise
//! PKCS#12 files). At rest a key is only ever encrypted PKCS#8 (PBES2: scrypt + AES-256-CBC).

use der::{Decode, Encode};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use pkcs8::pkcs5::{pbes2, scrypt};
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rand_core::{OsRng, RngCore as _};
use sha2::Sha256;

use crate::cert::Certificate;
use crate::error::{Error, Result};
use crate::limits::{MAX_KDF_ITERATIONS, MAX_SCRYPT_MEMORY_BYTES, MAX_SCRYPT_WORK};

const OID_EC_PUBLIC_KEY: const_oid::ObjectIdentifier = const_oid::db::rfc5912::ID_EC_PUBLIC_KEY;
const OID_P256: const_oid::ObjectIdentifier = const_oid::db::rfc5912::SECP_256_R_1;
const OID_RSA: const_oid::ObjectIdentifier = const_oid::db::rfc5912::RSA_ENCRYPTION;

/// The scrypt cost of new key files: log2 N, with r = 8, p = 1 (128 MiB of memory at 17). 17 is
/// OWASP's minimum for scrypt
/// (<https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html>) and what
/// pkcs8's default wrote before it was set here. Measured with `cargo run --release -p zicha-sign
/// --example unlock_time` on the 2-core build machine (under load): one unlock takes 0.76 s at 17
/// and 0.18 s at 15 (1.04 s and 0.35 s before scrypt and salsa20 were compiled at opt-level 3,
/// see the workspace Cargo.toml). A key is unlocked once per `zicha sign` or browser backup
/// restore, so 0.76 s is paid rarely, while every guess of an attacker who copied the file costs
/// the same 128 MiB and four times the work of 15. The cost is written into every file, so files
/// made with another one (15 by an earlier comment's reading, or a future cost) still open:
/// reading takes the parameters from the file.
pub const KEY_FILE_SCRYPT_LOG_N: u8 = 17;

/// The algorithm of a key, a certificate's public key or a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA on NIST P-256 with SHA-256.
    EcdsaP256,
    /// RSA PKCS#1 v1.5 with SHA-256.
    Rsa,
}

enum KeyInner {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::RsaPrivateKey>),
}

/// A private signing key held in memory.
pub struct SigningKey {
    inner: KeyInner,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(f, "SigningKey({:?})", self.algorithm())
    }
}

impl SigningKey {
    /// A fresh random P-256 key (from the operating system's or the browser's random source).
    pub fn generate_p256() -> Self {
        Self {
            inner: KeyInner::P256(p256::ecdsa::SigningKey::random(&mut OsRng)),
        }
    }

    /// A P-256 key from its 32-byte secret scalar (for tests and reproducible fixtures).
    pub fn p256_from_bytes(secret: &[u8]) -> Result<Self> {
        let key = p256::ecdsa::SigningKey::from_slice(secret)
            .map_err(|_| Error::Key("invalid p-256 secret".into()))?;
        Ok(Self {
            inner: KeyInner::P256(key),
        })
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self.inner {
            KeyInner::P256(_) => KeyAlgorithm::EcdsaP256,
            KeyInner::Rsa(_) => KeyAlgorithm::Rsa,
        }
    }

    /// The public key as DER SubjectPublicKeyInfo (what a certificate holds).
    pub fn public_key_der(&self) -> Result<Vec<u8>> {
        let document = match &self.inner {
            KeyInner::P256(key) => key.verifying_key().to_public_key_der(),
            KeyInner::Rsa(key) => key.to_public_key().to_public_key_der(),
        };
        Ok(document
            .map_err(|error| Error::Key(error.to_string()))?
            .into_vec())
    }

    /// Signs `message` with SHA-256: a DER ECDSA signature or an RSA PKCS#1 v1.5 signature.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        match &self.inner {
            KeyInner::P256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                Ok(signature.to_der().as_bytes().to_vec())
            }
            KeyInner::Rsa(key) => {
                let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new((**key).clone());
                let signature = signer
                    .try_sign(message)
                    .map_err(|error| Error::Key(error.to_string()))?;
                Ok(rsa::signature::SignatureEncoding::to_vec(&signature))
            }
        }
    }

    /// The key as encrypted PKCS#8 in PEM (`ENCRYPTED PRIVATE KEY`), protected by `passphrase`
    /// with scrypt (log2 N = [`KEY_FILE_SCRYPT_LOG_N`], r = 8, p = 1) and AES-256-CBC.
    pub fn to_encrypted_pem(&self, passphrase: &str) -> Result<String> {
        let der = self.to_encrypted_der(passphrase)?;
        der::pem::encode_string("ENCRYPTED PRIVATE KEY", der::pem::LineEnding::LF, &der)
            .map_err(|error| Error::Key(error.to_string()))
    }

    /// The key as encrypted PKCS#8 DER (see [`SigningKey::to_encrypted_pem`]).
    pub fn to_encrypted_der(&self, passphrase: &str) -> Result<Vec<u8>> {
        if passphrase.is_empty() {
            return Err(Error::InvalidArgument("the passphrase is empty".into()));
        }
        let plain = self.to_pkcs8_der()?;
        let info = pkcs8::PrivateKeyInfo::from_der(&plain)
            .map_err(|error| Error::Key(error.to_string()))?;
        // The cost is set here, not left to pkcs8's default, so that a dependency update cannot
        // change what new files carry (pkcs8 0.10's `encrypt` uses scrypt's recommended 17).
        let (mut salt, mut iv) = ([0u8; 16], [0u8; 16]);
        OsRng.fill_bytes(&mut salt);
        OsRng.fill_bytes(&mut iv);
        let cost = scrypt::Params::new(KEY_FILE_SCRYPT_LOG_N, 8, 1, 32)
            .map_err(|error| Error::Key(error.to_string()))?;
        let parameters = pbes2::Parameters::scrypt_aes256cbc(cost, &salt, &iv)
            .map_err(|error| Error::Key(error.to_string()))?;
        let encrypted = info
            .encrypt_with_params(parameters, passphrase.as_bytes())
            .map_err(|error| Error::Key(error.to_string()))?;
        Ok(encrypted.as_bytes().to_vec())
    }

    pub(crate) fn to_pkcs8_der(&self) -> Result<zeroize_free::Secret> {
        let document = match &self.inner {
            KeyInner::P256(key) => key.to_pkcs8_der(),
            KeyInner::Rsa(key) => key.to_pkcs8_der(),
        };
        Ok(zeroize_free::Secret(
            document.map_err(|error| Error::Key(error.to_string()))?,
        ))
    }

    /// Reads an encrypted PKCS#8 PEM key. A clear `PRIVATE KEY` is refused: keys at rest must be
    /// encrypted.
    pub fn from_encrypted_pem(pem: &str, passphrase: &str) -> Result<Self> {
        let (label, der) = der::pem::decode_vec(pem.trim().as_bytes())
            .map_err(|error| Error::Key(format!("bad pem: {error}")))?;
        match label {
            "ENCRYPTED PRIVATE KEY" => Self::from_encrypted_der(&der, passphrase),
            "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" => Err(Error::UnencryptedKey),
            other => Err(Error::Key(format!(
                "unexpected pem label `{}`",
                other.to_lowercase()
            ))),
        }
    }

    /// Reads an encrypted PKCS#8 DER key. A key derivation costlier than the limits of
    /// [`crate::limits`] is refused before it is run.
    pub fn from_encrypted_der(der: &[u8], passphrase: &str) -> Result<Self> {
        Self::from_encrypted_der_within(der, passphrase, &KdfLimits::FILES)
    }

    pub(crate) fn from_encrypted_der_within(
        der: &[u8],
        passphrase: &str,
        limits: &KdfLimits,
    ) -> Result<Self> {
        let encrypted = pkcs8::EncryptedPrivateKeyInfo::from_der(der)
            .map_err(|error| Error::Key(format!("not encrypted pkcs#8: {error}")))?;
        check_scheme(&encrypted.encryption_algorithm, limits).map_err(Error::Key)?;
        let plain = encrypted
            .decrypt(passphrase.as_bytes())
            .map_err(|_| Error::WrongPassphrase)?;
        // A wrong passphrase occasionally yields valid padding; the DER then fails to parse.
        Self::from_pkcs8_der(plain.as_bytes()).map_err(|_| Error::WrongPassphrase)
    }

    /// Reads a clear PKCS#8 DER key (only from memory, as PKCS#12 import does).
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        let info =
            pkcs8::PrivateKeyInfo::from_der(der).map_err(|error| Error::Key(error.to_string()))?;
        let oid = info.algorithm.oid;
        if oid == OID_EC_PUBLIC_KEY {
            let curve = info.algorithm.parameters_oid().ok();
            if curve != Some(OID_P256) {
                return Err(Error::UnsupportedAlgorithm(
                    "only the p-256 curve is supported".into(),
                ));
            }
            let key = p256::ecdsa::SigningKey::from_pkcs8_der(der)
                .map_err(|error| Error::Key(error.to_string()))?;
            Ok(Self {
                inner: KeyInner::P256(key),
            })
        } else if oid == OID_RSA {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(der)
                .map_err(|error| Error::Key(error.to_string()))?;
            Ok(Self {
                inner: KeyInner::Rsa(Box::new(key)),
            })
        } else {
            Err(Error::UnsupportedAlgorithm(format!("key algorithm {oid}")))
        }
    }
}

mod zeroize_free {
    /// A clear PKCS#8 document, zeroised by `pkcs8` when dropped.
    pub(crate) struct Secret(pub(super) pkcs8::SecretDocument);

    impl std::ops::Deref for Secret {
        type Target = [u8];
        fn deref(&self) -> &[u8] {
            self.0.as_bytes()
        }
    }
}

/// Verifies a SHA-256 signature (`DER` ECDSA or RSA PKCS#1 v1.5) with a DER SubjectPublicKeyInfo.
pub(crate) fn verify_signature(
    public_key_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let algorithm = public_key_algorithm(public_key_der)?;
    match algorithm {
        KeyAlgorithm::EcdsaP256 => {
            let key = <p256::ecdsa::VerifyingKey as pkcs8::DecodePublicKey>::from_public_key_der(
                public_key_der,
            )
            .map_err(|error| Error::Key(error.to_string()))?;
            let signature = p256::ecdsa::Signature::from_der(signature)
                .map_err(|_| Error::BadSignatureValue("not a der ecdsa signature".into()))?;
            key.verify(message, &signature)
                .map_err(|_| Error::BadSignatureValue("the signature does not verify".into()))
        }
        KeyAlgorithm::Rsa => {
            let key =
                <rsa::RsaPublicKey as pkcs8::DecodePublicKey>::from_public_key_der(public_key_der)
                    .map_err(|error| Error::Key(error.to_string()))?;
            let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
            let signature = rsa::pkcs1v15::Signature::try_from(signature)
                .map_err(|_| Error::BadSignatureValue("not an rsa signature".into()))?;
            verifier
                .verify(message, &signature)
                .map_err(|_| Error::BadSignatureValue("the signature does not verify".into()))
        }
    }
}

/// The algorithm of a DER SubjectPublicKeyInfo.
pub(crate) fn public_key_algorithm(public_key_der: &[u8]) -> Result<KeyAlgorithm> {
    let info = spki::SubjectPublicKeyInfoRef::from_der(public_key_der)
        .map_err(|error| Error::Key(error.to_string()))?;
    if info.algorithm.oid == OID_EC_PUBLIC_KEY {
        if info.algorithm.parameters_oid().ok() == Some(OID_P256) {
            return Ok(KeyAlgorithm::EcdsaP256);
        }
        return Err(Error::UnsupportedAlgorithm(
            "only the p-256 curve is supported".into(),
        ));
    }
    if info.algorithm.oid == OID_RSA {
        return Ok(KeyAlgorithm::Rsa);
    }
    Err(Error::UnsupportedAlgorithm(format!(
        "public key algorithm {}",
        info.algorithm.oid
    )))
}

/// Converts what an external signer returned into a DER signature: WebCrypto gives ECDSA as raw
/// `r || s` (64 bytes for P-256); DER and RSA signatures pass through.
pub(crate) fn normalize_signature(algorithm: KeyAlgorithm, signature: &[u8]) -> Result<Vec<u8>> {
    match algorithm {
        KeyAlgorithm::EcdsaP256 if signature.len() == 64 => {
            let signature = p256::ecdsa::Signature::from_slice(signature)
                .map_err(|_| Error::BadSignatureValue("invalid raw ecdsa signature".into()))?;
            Ok(signature.to_der().as_bytes().to_vec())
        }
        _ => Ok(signature.to_vec()),
    }
}

/// A key with its certificate and chain, as imported from a PKCS#12 file.
#[derive(Debug)]
pub struct Pkcs12Identity {
    /// The private key.
    pub key: SigningKey,
    /// The certificate whose public key matches the private key.
    pub certificate: Certificate,
    /// The other certificates in the file (intermediate and root CAs).
    pub chain: Vec<Certificate>,
}

/// Imports the first private key of a PKCS#12 (.p12/.pfx) file with its certificate and chain.
/// Modern (PBES2/AES) and legacy (3DES, RC2) encryption are both read.
///
/// A key derivation costlier than the limits of [`crate::limits`] (the MAC's, a safe's or the
/// key's) is refused before it is run.
pub fn import_pkcs12(data: &[u8], passphrase: &str) -> Result<Pkcs12Identity> {
    import_pkcs12_within(data, passphrase, &KdfLimits::FILES)
}

pub(crate) fn import_pkcs12_within(
    data: &[u8],
    passphrase: &str,
    limits: &KdfLimits,
) -> Result<Pkcs12Identity> {
    check_pkcs12_cost(data, limits).map_err(Error::Pkcs12)?;
    let store =
        p12_keystore::KeyStore::from_pkcs12(data, passphrase).map_err(|error| match error {
            p12_keystore::error::Error::MacError(_) => Error::WrongPassphrase,
            other => Error::Pkcs12(other.to_string().to_lowercase()),
        })?;
    let (_, key_chain) = store
        .private_key_chain()
        .ok_or_else(|| Error::Pkcs12("no private key in the file".into()))?;
    let key = SigningKey::from_pkcs8_der(key_chain.key())?;
    let public_key = key.public_key_der()?;
    let mut certificate = None;
    let mut chain = Vec::new();
    for entry in key_chain.chain() {
        let parsed = Certificate::from_der(entry.as_der())?;
        if certificate.is_none() && parsed.public_key_der()? == public_key {
            certificate = Some(parsed);
        } else {
            chain.push(parsed);
        }
    }
    let certificate = certificate.ok_or(Error::KeyCertificateMismatch)?;
    Ok(Pkcs12Identity {
        key,
        certificate,
        chain,
    })
}

/// Bounds on the cost of a password-based key derivation: [`KdfLimits::FILES`] is what a key file
/// may ask for; the fuzz targets pass lower ones so that they explore the readers, not the KDFs.
pub(crate) struct KdfLimits {
    pub(crate) iterations: u64,
    pub(crate) scrypt_memory_bytes: u64,
    pub(crate) scrypt_work: u64,
}

impl KdfLimits {
    pub(crate) const FILES: KdfLimits = KdfLimits {
        iterations: MAX_KDF_ITERATIONS,
        scrypt_memory_bytes: MAX_SCRYPT_MEMORY_BYTES,
        scrypt_work: MAX_SCRYPT_WORK,
    };

    pub(crate) fn check_iterations(&self, iterations: u64) -> std::result::Result<(), String> {
        if iterations > self.iterations {
            return Err(format!(
                "the key derivation asks for {iterations} iterations, above the limit of {} \
                 (limits::MAX_KDF_ITERATIONS)",
                self.iterations
            ));
        }
        Ok(())
    }

    pub(crate) fn check_scrypt(&self, n: u64, r: u64, p: u64) -> std::result::Result<(), String> {
        let memory = n.saturating_mul(r).saturating_mul(128);
        if memory > self.scrypt_memory_bytes {
            return Err(format!(
                "the scrypt key derivation needs {memory} bytes of memory, above the limit of {} \
                 (limits::MAX_SCRYPT_MEMORY_BYTES)",
                self.scrypt_memory_bytes
            ));
        }
        let work = n.saturating_mul(r).saturating_mul(p);
        if work > self.scrypt_work {
            return Err(format!(
                "the scrypt key derivation's work N·r·p is {work}, above the limit of {} \
                 (limits::MAX_SCRYPT_WORK)",
                self.scrypt_work
            ));
        }
        Ok(())
    }
}

/// Checks the key derivation of a PKCS#8 encryption scheme (PBES2 with PBKDF2 or scrypt; PBES1's
/// iteration count is 16 bits, within every limit).
fn check_scheme(
    scheme: &pkcs8::pkcs5::EncryptionScheme<'_>,
    limits: &KdfLimits,
) -> std::result::Result<(), String> {
    use pkcs8::pkcs5::pbes2::Kdf;
    let pkcs8::pkcs5::EncryptionScheme::Pbes2(parameters) = scheme else {
        return Ok(());
    };
    match &parameters.kdf {
        Kdf::Pbkdf2(pbkdf2) => limits.check_iterations(u64::from(pbkdf2.iteration_count)),
        Kdf::Scrypt(scrypt) => limits.check_scrypt(
            scrypt.cost_parameter,
            u64::from(scrypt.block_size),
            u64::from(scrypt.parallelization),
        ),
        // Another derivation is refused by the decryption itself.
        _ => Ok(()),
    }
}

/// Checks every key derivation of a PKCS#12 file that can be seen before decrypting: the MAC's,
/// each encrypted safe's, each shrouded key's in a clear safe. A file that does not parse is
/// left to the PKCS#12 reader, which says what is wrong with it. (A key inside an encrypted safe
/// is reached only with the passphrase, by someone who made the file.)
fn check_pkcs12_cost(data: &[u8], limits: &KdfLimits) -> std::result::Result<(), String> {
    use der::asn1::{ContextSpecific, OctetString};
    let Ok(pfx) = pkcs12::pfx::Pfx::from_der(data) else {
        return Ok(());
    };
    if let Some(mac) = &pfx.mac_data {
        // A negative count is refused by the reader; checked here as the largest possible.
        limits.check_iterations(u64::try_from(mac.iterations).unwrap_or(u64::MAX))?;
    }
    let Ok(safes) = pfx
        .auth_safe
        .content
        .to_der()
        .ok()
        .and_then(|der| OctetString::from_der(&der).ok())
        .map(|octets| pkcs12::authenticated_safe::AuthenticatedSafe::from_der(octets.as_bytes()))
        .transpose()
        .map(Option::unwrap_or_default)
    else {
        return Ok(());
    };
    for safe in safes {
        let Ok(content) = safe.content.to_der() else {
            continue;
        };
        if safe.content_type == const_oid::db::rfc5911::ID_ENCRYPTED_DATA {
            if let Ok(encrypted) = cms::encrypted_data::EncryptedData::from_der(&content) {
                check_algorithm(&encrypted.enc_content_info.content_enc_alg, limits)?;
            }
        } else if safe.content_type == const_oid::db::rfc5911::ID_DATA {
            let Ok(octets) = OctetString::from_der(&content) else {
                continue;
            };
            let Ok(bags) = pkcs12::safe_bag::SafeContents::from_der(octets.as_bytes()) else {
                continue;
            };
            for bag in bags {
                if bag.bag_id != pkcs12::PKCS_12_PKCS8_KEY_BAG_OID {
                    continue;
                }
                if let Ok(key) =
                    ContextSpecific::<pkcs12::pbe_params::EncryptedPrivateKeyInfo>::from_der(
                        &bag.bag_value,
                    )
                {
                    check_algorithm(&key.value.encryption_algorithm, limits)?;
                }
            }
        }
    }
    Ok(())
}

/// Checks the key derivation of an algorithm identifier of PKCS#12: PBES2, or a PKCS#12 PBE
/// (legacy 3DES and RC2: salt and a 32-bit iteration count).
fn check_algorithm(
    algorithm: &spki::AlgorithmIdentifierOwned,
    limits: &KdfLimits,
) -> std::result::Result<(), String> {
    let Some(parameters) = algorithm
        .parameters
        .as_ref()
        .and_then(|any| any.to_der().ok())
    else {
        return Ok(());
    };
    if algorithm.oid == pkcs8::pkcs5::pbes2::PBES2_OID {
        if let Ok(scheme) = pkcs8::pkcs5::pbes2::Parameters::from_der(&parameters) {
            return check_scheme(&pkcs8::pkcs5::EncryptionScheme::Pbes2(scheme), limits);
        }
        return Ok(());
    }
    // Read as p12-keystore reads it (an unsigned 64-bit count), not as pkcs12's `Pkcs12PbeParams`
    // (signed 32-bit), which would let a larger count through unchecked.
    #[derive(der::Sequence)]
    struct PbeParams {
        salt: der::asn1::OctetString,
        iterations: u64,
    }
    if let Ok(pbe) = PbeParams::from_der(&parameters) {
        limits.check_iterations(pbe.iterations)?;
    }
    Ok(())
}

/// The DER encoding of any encodable value, as our error type.
pub(crate) fn to_der<T: Encode>(value: &T) -> Result<Vec<u8>> {
    value
        .to_der()
        .map_err(|error| Error::Certificate(error.to_string()))
}
