//! The keys page's state (pages/keys.rs renders it and runs the effects): the stored keys, the
//! forms to create and import one, the job under way and what went wrong, as a reducer. The page
//! reads the list again whenever [`KeysState::listing`] changes.

use std::rc::Rc;

use yew::Reducible;

use crate::state::jobs::CertificateInfo;
use crate::state::keys::{KeyKind, StoredKey};

/// The shortest backup passphrase, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// The validity a new certificate is offered with, in days (three years).
pub const DEFAULT_DAYS: u32 = 1095;
/// The longest validity a new certificate may have, in days (ten years).
pub const MAX_DAYS: u32 = 3650;

/// What went wrong, shown above the lists.
#[derive(Debug, Clone, PartialEq)]
pub enum KeysError {
    /// The backup passphrase is shorter than [`MIN_PASSPHRASE_CHARS`].
    PassphraseShort,
    /// The two passphrases differ.
    PassphraseMismatch,
    /// Import without a file.
    ChooseFile,
    /// The browser's or the worker's words.
    Failed(String),
}

/// The page's state.
#[derive(Debug, Clone, PartialEq)]
pub struct KeysState {
    /// The stored keys; `None` until read.
    pub keys: Option<Vec<StoredKey>>,
    /// Bumped after every change to the stored keys: the page reads them again.
    pub listing: u32,
    /// A key is being created or imported.
    pub busy: bool,
    /// Shown above the lists.
    pub error: Option<KeysError>,
    /// The QR code shown: (fingerprint, SVG).
    pub qr: Option<(String, String)>,
    /// The new key's signer.
    pub signer: String,
    /// The new certificate's validity in days.
    pub days: u32,
    /// The new key's backup passphrase, and again.
    pub passphrase: String,
    /// The backup passphrase again.
    pub passphrase_again: String,
    /// The passphrase of the file to import.
    pub import_passphrase: String,
}

/// What happens to the page.
#[derive(Debug, Clone, PartialEq)]
pub enum KeysAction {
    /// The stored keys were read.
    Listed(Result<Vec<StoredKey>, String>),
    /// The signer field.
    SetSigner(String),
    /// The days field as typed: a number is taken, clamped to 1..=[`MAX_DAYS`].
    SetDays(String),
    /// The passphrase field.
    SetPassphrase(String),
    /// The repeated passphrase field.
    SetPassphraseAgain(String),
    /// The import passphrase field.
    SetImportPassphrase(String),
    /// Creating a key was asked for ([`KeysState::create_problem`] said nothing against it).
    CreateStarted,
    /// The key was created and stored (its backup offered), or not.
    Created(Result<(), String>),
    /// Importing a file was asked for.
    ImportStarted,
    /// The file was imported, or not.
    Imported(Result<(), String>),
    /// A key was deleted, or not.
    Deleted(Result<(), String>),
    /// The QR code of a fingerprint.
    Qr {
        /// The fingerprint.
        fingerprint: String,
        /// Its QR code as SVG.
        svg: String,
    },
    /// Something went wrong (no file to import, the QR code failed, …).
    Failed(KeysError),
}

impl KeysState {
    /// The empty page; the signer field starts with the profile's safety lead.
    pub fn new(signer: String) -> Self {
        KeysState {
            keys: None,
            listing: 0,
            busy: false,
            error: None,
            qr: None,
            signer,
            days: DEFAULT_DAYS,
            passphrase: String::new(),
            passphrase_again: String::new(),
            import_passphrase: String::new(),
        }
    }

    /// Why a key cannot be created with the form as it is.
    pub fn create_problem(&self) -> Option<KeysError> {
        if self.passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            Some(KeysError::PassphraseShort)
        } else if self.passphrase != self.passphrase_again {
            Some(KeysError::PassphraseMismatch)
        } else {
            None
        }
    }
}

/// A record id from the kind and the certificate fingerprint: importing the same file twice
/// replaces the record, while a browser key and its imported backup are two keys.
pub fn key_id(kind: KeyKind, certificate: &CertificateInfo) -> String {
    let kind = match kind {
        KeyKind::Browser => "browser",
        KeyKind::Pkcs12 => "p12",
        KeyKind::Backup => "backup",
    };
    format!(
        "K-{kind}-{}",
        certificate
            .fingerprint
            .get(..16)
            .unwrap_or(&certificate.fingerprint)
    )
}

/// Applies `action` to `state`.
pub fn apply(state: &KeysState, action: KeysAction) -> KeysState {
    let mut next = state.clone();
    // A finished change of the stored keys: list them again, or say why not.
    let changed = |next: &mut KeysState, result: Result<(), String>| match result {
        Ok(()) => next.listing = next.listing.wrapping_add(1),
        Err(detail) => next.error = Some(KeysError::Failed(detail)),
    };
    match action {
        KeysAction::Listed(Ok(keys)) => next.keys = Some(keys),
        KeysAction::Listed(Err(detail)) => next.error = Some(KeysError::Failed(detail)),
        KeysAction::SetSigner(signer) => next.signer = signer,
        KeysAction::SetDays(text) => {
            if let Ok(days) = text.trim().parse::<u32>() {
                next.days = days.clamp(1, MAX_DAYS);
            }
        }
        KeysAction::SetPassphrase(text) => next.passphrase = text,
        KeysAction::SetPassphraseAgain(text) => next.passphrase_again = text,
        KeysAction::SetImportPassphrase(text) => next.import_passphrase = text,
        KeysAction::CreateStarted | KeysAction::ImportStarted => {
            next.busy = true;
            next.error = None;
        }
        KeysAction::Created(result) => {
            next.busy = false;
            // Typed for this one key: never kept.
            next.passphrase.clear();
            next.passphrase_again.clear();
            changed(&mut next, result);
        }
        KeysAction::Imported(result) => {
            next.busy = false;
            next.import_passphrase.clear();
            changed(&mut next, result);
        }
        KeysAction::Deleted(result) => changed(&mut next, result),
        KeysAction::Qr { fingerprint, svg } => next.qr = Some((fingerprint, svg)),
        KeysAction::Failed(error) => next.error = Some(error),
    }
    next
}

impl Reducible for KeysState {
    type Action = KeysAction;

    fn reduce(self: Rc<Self>, action: KeysAction) -> Rc<Self> {
        Rc::new(apply(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate(fingerprint: &str) -> CertificateInfo {
        CertificateInfo {
            pem: String::new(),
            fingerprint: fingerprint.into(),
            signer: Some("李海燕".into()),
            organisation: None,
            credit_code: None,
            not_before: String::new(),
            not_after: String::new(),
            algorithm: "ECDSA P-256".into(),
        }
    }

    fn after(actions: impl IntoIterator<Item = KeysAction>) -> KeysState {
        actions
            .into_iter()
            .fold(KeysState::new("李海燕".into()), |state, action| {
                apply(&state, action)
            })
    }

    #[track_caller]
    fn check_days(typed: &str, expected: u32) {
        assert_eq!(after([KeysAction::SetDays(typed.into())]).days, expected);
    }

    #[test]
    fn days_are_clamped_and_junk_is_ignored() {
        check_days("365", 365);
        check_days(" 30 ", 30);
        check_days("0", 1);
        check_days("99999", MAX_DAYS);
        check_days("", DEFAULT_DAYS);
        check_days("-5", DEFAULT_DAYS);
        check_days("3 years", DEFAULT_DAYS);
    }

    #[test]
    fn a_key_needs_a_long_passphrase_typed_twice() {
        let form = |passphrase: &str, again: &str| {
            after([
                KeysAction::SetPassphrase(passphrase.into()),
                KeysAction::SetPassphraseAgain(again.into()),
            ])
            .create_problem()
        };
        assert_eq!(form("", ""), Some(KeysError::PassphraseShort));
        // Counted in characters, not bytes: seven Chinese characters are too short.
        assert_eq!(
            form("安全生产责任制", "安全生产责任制"),
            Some(KeysError::PassphraseShort)
        );
        assert_eq!(form("安全生产责任制度", "安全生产责任制度"), None);
        assert_eq!(
            form("12345678", "12345679"),
            Some(KeysError::PassphraseMismatch)
        );
    }

    #[test]
    fn creating_a_key_lists_the_keys_again_and_forgets_the_passphrase() {
        let state = after([
            KeysAction::Listed(Ok(Vec::new())),
            KeysAction::SetPassphrase("12345678".into()),
            KeysAction::SetPassphraseAgain("12345678".into()),
            KeysAction::CreateStarted,
        ]);
        assert!(state.busy);
        let created = apply(&state, KeysAction::Created(Ok(())));
        assert_eq!(
            (created.busy, created.listing, created.passphrase.as_str()),
            (false, 1, "")
        );
        assert!(created.passphrase_again.is_empty() && created.error.is_none());
        // A failure is shown, the list stays, the passphrases are forgotten all the same.
        let failed = apply(&state, KeysAction::Created(Err("OperationError".into())));
        assert_eq!(
            (failed.listing, failed.error.clone()),
            (0, Some(KeysError::Failed("OperationError".into())))
        );
        assert!(failed.passphrase.is_empty());
        // The next attempt clears the error.
        assert_eq!(apply(&failed, KeysAction::CreateStarted).error, None);
    }

    #[test]
    fn imports_and_deletions_list_the_keys_again() {
        let state = after([
            KeysAction::SetImportPassphrase("secret".into()),
            KeysAction::ImportStarted,
            KeysAction::Imported(Ok(())),
            KeysAction::Deleted(Ok(())),
        ]);
        assert_eq!(
            (state.listing, state.busy, state.import_passphrase.as_str()),
            (2, false, "")
        );
        let refused = apply(&state, KeysAction::Imported(Err("wrong passphrase".into())));
        assert_eq!(refused.listing, 2);
        assert_eq!(
            refused.error,
            Some(KeysError::Failed("wrong passphrase".into()))
        );
    }

    #[test]
    fn key_ids_follow_kind_and_fingerprint() {
        let fingerprint = "00112233445566778899aabbccddeeff";
        assert_eq!(
            key_id(KeyKind::Browser, &certificate(fingerprint)),
            "K-browser-0011223344556677"
        );
        assert_eq!(
            key_id(KeyKind::Pkcs12, &certificate(fingerprint)),
            "K-p12-0011223344556677"
        );
        assert_eq!(key_id(KeyKind::Backup, &certificate("ab")), "K-backup-ab");
    }
}
