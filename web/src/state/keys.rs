//! Signing keys as the app keeps them: what they are and what their certificate says. The key
//! material itself is never in these records: a browser key is a non-extractable WebCrypto
//! `CryptoKey` stored next to the record, an imported key stays in its passphrase-encrypted file.

use serde::{Deserialize, Serialize};

use crate::state::jobs::{CertificateInfo, KeyUse};

/// Where a key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    /// Created in this browser: a non-extractable WebCrypto key. Clearing the site's data
    /// deletes it for good; only its backup file (made at creation) can bring it back.
    Browser,
    /// A PKCS#12 file from a CA, kept as imported (passphrase-encrypted).
    Pkcs12,
    /// A key backup file (encrypted PKCS#8 + certificate), kept as imported.
    Backup,
}

/// One stored key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredKey {
    /// Record key, e.g. `K-3fa2c1d0`.
    pub id: String,
    /// Where the key lives.
    pub kind: KeyKind,
    /// The certificate.
    pub certificate: CertificateInfo,
    /// When it was added (RFC 3339).
    pub added: String,
}

impl StoredKey {
    /// The name shown in lists: signer, organisation, the start of the fingerprint.
    pub fn label(&self) -> String {
        let certificate = &self.certificate;
        format!(
            "{} · {} · {}",
            certificate.signer.as_deref().unwrap_or("?"),
            certificate.organisation.as_deref().unwrap_or("?"),
            certificate
                .fingerprint
                .get(..16)
                .unwrap_or(&certificate.fingerprint)
        )
    }

    /// Whether signing with it needs a passphrase.
    pub fn needs_passphrase(&self) -> bool {
        self.kind != KeyKind::Browser
    }

    /// How a job uses this key, with its file (or certificate) at `bytes[index]`.
    pub fn key_use(&self, index: usize, passphrase: String) -> KeyUse {
        match self.kind {
            KeyKind::Browser => KeyUse::Browser { certificate: index },
            KeyKind::Pkcs12 => KeyUse::Pkcs12 {
                file: index,
                passphrase,
            },
            KeyKind::Backup => KeyUse::Backup {
                file: index,
                passphrase,
            },
        }
    }
}

/// Splits a fingerprint into groups of four for reading aloud over the phone.
pub fn grouped(fingerprint: &str) -> String {
    fingerprint
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).to_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_grouped(input: &str, expected: &str) {
        assert_eq!(grouped(input), expected);
    }

    #[test]
    fn fingerprints_in_groups() {
        check_grouped("", "");
        check_grouped("ab", "AB");
        check_grouped("abcd1234ef", "ABCD 1234 EF");
    }

    #[test]
    fn passphrase_only_for_files() {
        let key = |kind| StoredKey {
            id: "K-1".into(),
            kind,
            certificate: CertificateInfo {
                pem: String::new(),
                fingerprint: "00112233445566778899".into(),
                signer: Some("张三".into()),
                organisation: Some("某公司".into()),
                credit_code: None,
                not_before: String::new(),
                not_after: String::new(),
                algorithm: "ECDSA P-256".into(),
            },
            added: String::new(),
        };
        assert!(!key(KeyKind::Browser).needs_passphrase());
        assert!(key(KeyKind::Pkcs12).needs_passphrase());
        assert_eq!(
            key(KeyKind::Browser).label(),
            "张三 · 某公司 · 0011223344556677"
        );
        assert_eq!(
            key(KeyKind::Backup).key_use(2, "pw".into()),
            KeyUse::Backup {
                file: 2,
                passphrase: "pw".into()
            }
        );
    }
}
