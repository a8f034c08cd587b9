//! Verification: every signature's ByteRange, digest, CMS and certificate, then every change made
//! after it, and the trust list. Never fails: an unreadable file is an invalid one.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};
use x509_cert::ext::pkix::KeyUsages;

use crate::cert::{Certificate, hex};
use crate::cms;
use crate::diff::{changes_after, signature_fields};
use crate::error::{Error, Result};
use crate::findings::{Finding, Problem, Verdict};
use crate::pdf::{Document, Object, ObjectId, XrefEntry, decode_text_string, revision_ends};

/// Certificates the verifier knows, by SHA-256 fingerprint (the regulator registers each
/// enterprise's certificate). A list with fingerprints makes every signature whose certificate is
/// not on it [`Verdict::Unregistered`]; an empty list checks nobody's identity (every signature's
/// trust is [`Trust::NotChecked`]), so callers that load a list from a file refuse an empty one.
#[derive(Clone, Debug, Default)]
pub struct TrustList {
    fingerprints: HashSet<[u8; 32]>,
}

impl TrustList {
    /// An empty list: no signer's identity is checked.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a trust list file: one hex SHA-256 fingerprint per line (colons and spaces allowed
    /// between bytes), `#` starts a comment, blank lines are ignored.
    pub fn parse(text: &str) -> Result<Self> {
        Self::parse_lines(text).map_err(|line| {
            Error::InvalidArgument(format!("trust list line {line}: not a sha-256 fingerprint"))
        })
    }

    /// [`parse`](Self::parse), with the 1-based number of the first line that is not a
    /// fingerprint as the error (the browser's verify page words its own message).
    pub fn parse_lines(text: &str) -> std::result::Result<Self, usize> {
        let mut list = Self::new();
        for (index, line) in text.lines().enumerate() {
            let content = line.split('#').next().unwrap_or("");
            let digits: String = content
                .chars()
                .filter(|character| !matches!(character, ':' | ' ' | '\t'))
                .collect();
            if digits.is_empty() {
                continue;
            }
            let fingerprint = parse_fingerprint(&digits).ok_or(index + 1)?;
            list.fingerprints.insert(fingerprint);
        }
        Ok(list)
    }

    /// Adds a fingerprint.
    pub fn add(&mut self, fingerprint: [u8; 32]) {
        self.fingerprints.insert(fingerprint);
    }

    /// Adds a certificate's fingerprint.
    pub fn add_certificate(&mut self, certificate: &Certificate) {
        self.add(certificate.fingerprint());
    }

    /// Whether the fingerprint is on the list.
    pub fn contains(&self, fingerprint: &[u8; 32]) -> bool {
        self.fingerprints.contains(fingerprint)
    }

    /// The number of fingerprints.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// Whether two unit names are the same: surrounding spaces and full- or half-width brackets do
/// not count (a certificate may write 福州某某（集团）有限公司 with either). The one comparison of
/// unit names: `check_party` and the browser's countersign screen both use it.
pub fn same_unit_name(expected: &str, found: &str) -> bool {
    let normal = |name: &str| -> String {
        name.trim()
            .chars()
            .map(|character| match character {
                '（' => '(',
                '）' => ')',
                other => other,
            })
            .collect()
    };
    !found.trim().is_empty() && normal(expected) == normal(found)
}

fn parse_fingerprint(digits: &str) -> Option<[u8; 32]> {
    if digits.len() != 64 || !digits.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digits[2 * index..2 * index + 2], 16).ok()?;
    }
    Some(out)
}

/// Whether the signer's certificate is on the trust list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trust {
    /// The certificate's fingerprint is on the trust list.
    Known,
    /// It is not (or there is no certificate to look up): the signature is
    /// [`Verdict::Unregistered`] at best.
    Unknown,
    /// The verifier was given no trust list (an empty one), so who signed was not checked: the
    /// certificate only says what its holder wrote into it.
    NotChecked,
}

impl Trust {
    /// The value as the CSV and JSON write it: `known`, `unknown`, `not-checked`.
    pub fn key(self) -> &'static str {
        match self {
            Trust::Known => "known",
            Trust::Unknown => "unknown",
            Trust::NotChecked => "not-checked",
        }
    }
}

/// Where a signature's time comes from. Offline there is no timestamp authority, so today it is
/// always what the signer's own software wrote into /M; a verifier must not present it as proven.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeSource {
    /// The signer's claim (/M of the signature dictionary), not attested by a third party.
    #[default]
    SignerClaim,
}

impl TimeSource {
    /// Said next to the time, in English.
    pub fn en(self) -> &'static str {
        match self {
            TimeSource::SignerClaim => "claimed by the signer, no timestamp authority",
        }
    }

    /// Said next to the time, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            TimeSource::SignerClaim => "签名人自报时间，无时间戳机构证明",
        }
    }
}

/// The party a signature stands for, as the signed document records it (for a Zicha report: the
/// enterprise for 检查人 and 企业负责人, the project's 监理单位 for 监理).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// The unit's registered name.
    pub organisation: String,
    /// Its 统一社会信用代码, when the document records one.
    pub credit_code: Option<String>,
}

impl Party {
    /// Whether a certificate with this organisation (O) and credit code is issued to this unit:
    /// the names equal ignoring surrounding spaces and full- or half-width brackets, and the
    /// credit codes equal (ignoring case) when the document records one. What
    /// [`SignatureReport::check_party`] checks, for a signing tool to refuse such a certificate
    /// before it signs.
    pub fn is_issuer_of(&self, organisation: &str, credit_code: &str) -> bool {
        same_unit_name(&self.organisation, organisation)
            && self
                .credit_code
                .as_deref()
                .is_none_or(|code| code.trim().eq_ignore_ascii_case(credit_code.trim()))
    }
}

/// The verification report of one document (serialised for the CLI's `--json`; deserialised where a
/// result crosses from a Web Worker to the page). A deserialised report does not know the length of
/// the bytes it was made for, so [`crate::embedded_files_with`] refuses it: verify the bytes again.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerificationReport {
    /// The overall verdict: the worst of the signatures' and the document's own findings.
    pub verdict: Verdict,
    /// The verdict in English.
    pub verdict_en: String,
    /// The verdict in Chinese.
    pub verdict_zh: String,
    /// Every signature, in the order of the revisions they sign.
    pub signatures: Vec<SignatureReport>,
    /// Findings about the document as a whole (unreadable, no signature, trailing bytes).
    pub findings: Vec<Finding>,
    /// The number of revisions (incremental updates plus the original).
    pub revisions: usize,
    /// Whether the signers' certificates were looked up in a trust list. `false`: no list was
    /// given, so who signed was not checked (every signature's trust is `not-checked`).
    #[serde(default)]
    pub identity_checked: bool,
    /// What each revision after the original added, in order (empty for a file of one revision).
    #[serde(default)]
    pub updates: Vec<Update>,
    /// The length of the verified bytes, so [`crate::embedded_files_with`] can refuse a report
    /// made for other bytes.
    #[serde(skip)]
    pub(crate) document_length: usize,
}

/// A revision after the original, and what it added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    /// The revision (2 = the first incremental update).
    pub revision: usize,
    /// What it added.
    pub kind: UpdateKind,
}

/// What a revision added. Whether the change was allowed is judged separately (a signature's
/// `reasons`); this only names it, as a regulator reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateKind {
    /// A signature (by Zicha or another PAdES tool).
    SignatureAdded,
    /// Only validation data: a /DSS with certificates, OCSP responses, CRLs and /VRI entries.
    ValidationDataAdded,
    /// Anything else (metadata, or a change reported among the signatures' reasons).
    Other,
}

impl UpdateKind {
    /// In English.
    pub fn en(self) -> &'static str {
        match self {
            UpdateKind::SignatureAdded => "signature added",
            UpdateKind::ValidationDataAdded => "validation data added",
            UpdateKind::Other => "other changes",
        }
    }

    /// In Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            UpdateKind::SignatureAdded => "添加签名",
            UpdateKind::ValidationDataAdded => "添加验证数据",
            UpdateKind::Other => "其他修改",
        }
    }
}

/// One signature.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignatureReport {
    /// The signature field's full name.
    pub field: String,
    /// The signer: the certificate's common name.
    pub signer: Option<String>,
    /// The /Name of the signature dictionary.
    pub name: Option<String>,
    /// The enterprise: the certificate's organisation.
    pub organisation: Option<String>,
    /// The 统一社会信用代码 from the certificate.
    pub credit_code: Option<String>,
    /// The role (/Reason), e.g. 检查人.
    pub role: Option<String>,
    /// The claimed signing time (/M) in RFC 3339.
    pub time: Option<String>,
    /// Where [`time`](Self::time) comes from: the signer's claim.
    #[serde(default)]
    pub time_source: TimeSource,
    /// SHA-256 fingerprint of the signer's certificate (lower-case hex); the name the register
    /// and the CSV use. Reports written before it was renamed called it `fingerprint`.
    #[serde(alias = "fingerprint")]
    pub cert_sha256: Option<String>,
    /// Whether the certificate is on the trust list.
    pub trust: Trust,
    /// This signature's verdict.
    pub verdict: Verdict,
    /// Why it is not valid (empty when valid), in Chinese and English.
    pub reasons: Vec<Finding>,
    /// The revision the signature covers (1 = the original file).
    pub revision: Option<usize>,
    /// Whether the signature covers the whole file (it is the last revision).
    pub covers_whole_document: bool,
    /// The /ByteRange as read.
    pub byte_range: Option<[u64; 4]>,
    /// Whether the certificate is self-issued and self-signed (not from a CA).
    pub self_signed: bool,
}

impl SignatureReport {
    fn new(field: String) -> Self {
        Self {
            field,
            signer: None,
            name: None,
            organisation: None,
            credit_code: None,
            role: None,
            time: None,
            time_source: TimeSource::SignerClaim,
            cert_sha256: None,
            trust: Trust::Unknown,
            verdict: Verdict::Valid,
            reasons: Vec::new(),
            revision: None,
            covers_whole_document: false,
            byte_range: None,
            self_signed: false,
        }
    }

    fn fail(&mut self, problem: &Problem) {
        self.verdict = self.verdict.max(problem.verdict());
        let finding = problem.finding();
        if !self.reasons.contains(&finding) {
            self.reasons.push(finding);
        }
    }

    /// Checks that the certificate is issued to the party the signature stands for: its
    /// organisation (O, compared ignoring surrounding spaces and full- or half-width brackets)
    /// and, when the document records one, its credit code. `parties` are the units that may sign
    /// in this role (empty: the document records none). A mismatch is the finding
    /// `signer-party-mismatch` and makes the signature [`Verdict::Invalid`].
    pub fn check_party(&mut self, role: &str, parties: &[Party]) {
        let organisation = self.organisation.clone().unwrap_or_default();
        let credit_code = self.credit_code.clone().unwrap_or_default();
        let certificate = if credit_code.is_empty() {
            format!("{organisation} (—)")
        } else {
            format!("{organisation} ({credit_code})")
        };
        if parties
            .iter()
            .any(|party| party.is_issuer_of(&organisation, &credit_code))
        {
            return;
        }
        let problem = match parties.first() {
            None => Problem::PartyMissing {
                role: role.to_owned(),
                certificate,
            },
            Some(_) => Problem::PartyMismatch {
                role: role.to_owned(),
                certificate,
                party: parties
                    .iter()
                    .map(|party| match &party.credit_code {
                        Some(code) => format!("{} ({code})", party.organisation),
                        None => party.organisation.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" / "),
            },
        };
        self.fail(&problem);
    }

    /// The byte spans this signature covers, when it is intact.
    pub(crate) fn covered(&self) -> Option<[(usize, usize); 2]> {
        let [start, length, second, second_length] = self.byte_range?;
        Some([
            (start as usize, (start + length) as usize),
            (second as usize, (second + second_length) as usize),
        ])
    }
}

/// Loaded revision states, by end offset.
struct States<'a> {
    pdf: &'a [u8],
    loaded: HashMap<usize, std::result::Result<Document<'a>, Error>>,
}

impl<'a> States<'a> {
    fn get(&mut self, end: usize) -> std::result::Result<&Document<'a>, &Error> {
        let pdf = self.pdf;
        self.loaded
            .entry(end)
            .or_insert_with(|| Document::load(pdf, end))
            .as_ref()
    }
}

/// Verifies every signature in `pdf` and the changes made after each.
pub fn verify(pdf: &[u8], trust: &TrustList) -> VerificationReport {
    let ends = revision_ends(pdf);
    let mut report = VerificationReport {
        verdict: Verdict::Valid,
        verdict_en: String::new(),
        verdict_zh: String::new(),
        signatures: Vec::new(),
        findings: Vec::new(),
        revisions: ends.len(),
        identity_checked: !trust.is_empty(),
        updates: Vec::new(),
        document_length: pdf.len(),
    };
    let mut document_problems = Vec::new();
    let Some(&final_end) = ends.last() else {
        document_problems.push(Problem::Unreadable(
            "no %%EOF after a startxref: not a complete pdf".into(),
        ));
        return finish(report, document_problems);
    };
    if pdf.len() > final_end {
        document_problems.push(Problem::TrailingBytes(pdf.len() - final_end));
    }
    let mut states = States {
        pdf,
        loaded: HashMap::new(),
    };
    if let Err(error) = states.get(final_end) {
        let problem = match error {
            Error::EncryptedPdf => Problem::Unreadable("encrypted pdfs are not supported".into()),
            other => Problem::UnreadableRevision(other.to_string()),
        };
        document_problems.push(problem);
    }

    // Signatures seen in any revision, first-seen order; a signature whose field was dropped
    // later is still found (and its removal reported).
    let mut candidates: Vec<(String, Option<ObjectId>, Option<XrefEntry>, usize)> = Vec::new();
    let mut seen = HashSet::new();
    for &end in &ends {
        let Ok(document) = states.get(end) else {
            continue;
        };
        for field in signature_fields(document) {
            if field.value.is_none() {
                continue;
            }
            let entry = field.id.and_then(|id| document.entries.get(&id.0).copied());
            if seen.insert((field.id, entry, field.name.clone())) {
                candidates.push((field.name, field.id, entry, end));
            }
        }
    }
    // Several fields may not share one signature dictionary.
    let mut ids_seen = HashSet::new();
    for (name, id, entry, found_at) in candidates {
        let mut signature = SignatureReport::new(name);
        match id {
            None => signature.fail(&Problem::SignatureInObjectStream),
            Some(id) => {
                if !ids_seen.insert((id, entry)) {
                    continue;
                }
                check_signature(&mut states, &ends, id, found_at, trust, &mut signature);
            }
        }
        report.signatures.push(signature);
    }
    report
        .signatures
        .sort_by_key(|signature| signature.revision.unwrap_or(usize::MAX));

    // Changes after each intact signature.
    let mut diffs: HashMap<usize, Vec<Problem>> = HashMap::new();
    for signature in &mut report.signatures {
        if signature.verdict != Verdict::Valid {
            continue;
        }
        let Some(range) = signature.byte_range else {
            continue;
        };
        let end = (range[2] + range[3]) as usize;
        if end == final_end {
            continue;
        }
        let problems = diffs.entry(end).or_insert_with(|| {
            let old = match Document::load(pdf, end) {
                Ok(document) => document,
                Err(error) => return vec![Problem::UnreadableRevision(error.to_string())],
            };
            match Document::load(pdf, final_end) {
                Ok(new) => changes_after(&old, &new),
                Err(error) => vec![Problem::UnreadableRevision(error.to_string())],
            }
        });
        for problem in problems.iter() {
            signature.fail(problem);
        }
    }
    report.updates = updates(&mut states, &ends, &report.signatures);
    if report.signatures.is_empty() {
        document_problems.push(Problem::NoSignatures);
    }
    // Who signed: only a trust list establishes it. Without one, say so on every signature.
    for signature in &mut report.signatures {
        if !report.identity_checked {
            signature.trust = Trust::NotChecked;
        } else if signature.trust == Trust::Unknown
            && let Some(fingerprint) = signature.cert_sha256.clone()
        {
            signature.fail(&Problem::Unregistered { fingerprint });
        }
    }
    finish(report, document_problems)
}

impl VerificationReport {
    /// Makes the overall verdict at least `verdict` (a caller's own check failed, e.g. the
    /// document's data disagrees with what it prints).
    pub fn raise_verdict(&mut self, verdict: Verdict) {
        self.verdict = self.verdict.max(verdict);
        self.verdict_en = self.verdict.en().into();
        self.verdict_zh = self.verdict.zh().into();
    }
}

/// Names what each revision after the original added: a signature when one covers exactly that
/// revision, validation data when only the catalog's /DSS moved on.
fn updates(states: &mut States<'_>, ends: &[usize], signatures: &[SignatureReport]) -> Vec<Update> {
    let mut dss_of = |end: usize| {
        states
            .get(end)
            .ok()
            .and_then(|document| document.catalog().ok())
            .and_then(|catalog| catalog.get(b"DSS").cloned())
    };
    let mut updates = Vec::new();
    let mut previous_dss = ends.first().and_then(|&end| dss_of(end));
    for (index, &end) in ends.iter().enumerate().skip(1) {
        let revision = index + 1;
        let dss = dss_of(end);
        let kind = if signatures
            .iter()
            .any(|signature| signature.revision == Some(revision))
        {
            UpdateKind::SignatureAdded
        } else if dss.is_some() && dss != previous_dss {
            UpdateKind::ValidationDataAdded
        } else {
            UpdateKind::Other
        };
        updates.push(Update { revision, kind });
        previous_dss = dss;
    }
    updates
}

fn finish(mut report: VerificationReport, problems: Vec<Problem>) -> VerificationReport {
    let mut verdict = Verdict::Valid;
    for problem in &problems {
        verdict = verdict.max(problem.verdict());
        report.findings.push(problem.finding());
    }
    if problems.contains(&Problem::NoSignatures) {
        verdict = Verdict::Invalid;
    }
    for signature in &report.signatures {
        verdict = verdict.max(signature.verdict);
    }
    report.verdict = verdict;
    report.verdict_en = verdict.en().into();
    report.verdict_zh = verdict.zh().into();
    report
}

/// Checks one signature dictionary: ByteRange, /Contents, digest, CMS, certificate, trust.
fn check_signature(
    states: &mut States<'_>,
    ends: &[usize],
    id: ObjectId,
    found_at: usize,
    trust: &TrustList,
    report: &mut SignatureReport,
) {
    let pdf = states.pdf;
    // Read what the dictionary says first, for the report.
    let Ok(found) = states.get(found_at) else {
        return;
    };
    let (dict, found_spans) = match found.get_with_spans(id) {
        Ok((Object::Dictionary(dict), parsed)) => (dict, parsed.map(|parsed| parsed.spans)),
        Ok(_) => return report.fail(&Problem::ContentsMissing),
        Err(error) => return report.fail(&Problem::Unreadable(error.to_string())),
    };
    report.name = dict
        .get(b"Name")
        .and_then(Object::as_string)
        .map(decode_text_string);
    report.role = dict
        .get(b"Reason")
        .and_then(Object::as_string)
        .map(decode_text_string);
    let signing_time = dict
        .get(b"M")
        .and_then(Object::as_string)
        .and_then(parse_pdf_date);
    report.time = signing_time.and_then(|time| {
        time.format(&time::format_description::well_known::Rfc3339)
            .ok()
    });

    let sub_filter = dict
        .name(b"SubFilter")
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let is_cades = match sub_filter.as_slice() {
        b"ETSI.CAdES.detached" => true,
        b"adbe.pkcs7.detached" => false,
        other => {
            return report.fail(&Problem::UnsupportedSubFilter(
                String::from_utf8_lossy(other).into_owned(),
            ));
        }
    };
    let byte_range = match dict.get(b"ByteRange") {
        None => return report.fail(&Problem::ByteRangeMissing),
        Some(Object::Array(items)) if items.len() == 4 => {
            let values: Vec<u64> = items
                .iter()
                .filter_map(|item| item.as_i64().and_then(|value| u64::try_from(value).ok()))
                .collect();
            match <[u64; 4]>::try_from(values) {
                Ok(values) => values,
                Err(_) => {
                    return report.fail(&Problem::ByteRangeMalformed(
                        "not four non-negative integers",
                    ));
                }
            }
        }
        Some(_) => {
            return report.fail(&Problem::ByteRangeMalformed(
                "not four non-negative integers",
            ));
        }
    };
    report.byte_range = Some(byte_range);
    let [start, first_length, second_start, second_length] = byte_range;
    if start != 0 {
        return report.fail(&Problem::ByteRangeMalformed("does not start at 0"));
    }
    if first_length == 0 || second_start <= first_length {
        return report.fail(&Problem::ByteRangeMalformed("ranges overlap or are empty"));
    }
    let Some(end) = second_start
        .checked_add(second_length)
        .filter(|&end| end <= pdf.len() as u64)
    else {
        return report.fail(&Problem::ByteRangeMalformed("beyond the end of the file"));
    };
    let (gap_start, gap_end, end) = (first_length as usize, second_start as usize, end as usize);
    let Some(revision) = ends.iter().position(|&candidate| candidate == end) else {
        return report.fail(&Problem::ByteRangeNotAtRevisionEnd);
    };
    report.revision = Some(revision + 1);
    // Where the dictionary (as found) keeps /Contents must be exactly the gap.
    if let Some(spans) = &found_spans {
        let contents = spans.iter().rev().find(|(key, _, _)| key == b"Contents");
        if contents.is_none_or(|&(_, contents_start, contents_end)| {
            contents_start != gap_start || contents_end != gap_end
        }) {
            return report.fail(&Problem::ByteRangeNotAtContents);
        }
    }
    report.covers_whole_document = end == pdf.len();

    // The dictionary as the signed revision holds it: the gap must be exactly its /Contents.
    let signed = match states.get(end) {
        Ok(document) => document,
        Err(error) => return report.fail(&Problem::Unreadable(error.to_string())),
    };
    if !matches!(signed.entries.get(&id.0), Some(XrefEntry::InUse { .. })) {
        return report.fail(&Problem::SignatureInObjectStream);
    }
    let (signed_object, parsed) = match signed.get_with_spans(id) {
        Ok(found) => found,
        Err(error) => return report.fail(&Problem::Unreadable(error.to_string())),
    };
    let (Object::Dictionary(signed_dict), Some(parsed)) = (signed_object, parsed) else {
        return report.fail(&Problem::ByteRangeNotAtContents);
    };
    if signed_dict != dict {
        // The dictionary named by the field differs from the one in the signed revision.
        return report.fail(&Problem::ByteRangeNotAtContents);
    }
    let contents_span = parsed
        .spans
        .iter()
        .rev()
        .find(|(key, _, _)| key == b"Contents");
    let Some(&(_, contents_start, contents_end)) = contents_span else {
        return report.fail(&Problem::ContentsMissing);
    };
    let duplicate_keys = parsed
        .spans
        .iter()
        .filter(|(key, _, _)| key == b"Contents" || key == b"ByteRange")
        .count()
        != 2;
    if duplicate_keys
        || contents_start != gap_start
        || contents_end != gap_end
        || pdf.get(gap_start) != Some(&b'<')
        || pdf.get(gap_end - 1) != Some(&b'>')
    {
        return report.fail(&Problem::ByteRangeNotAtContents);
    }
    // Only hex digits between < and >: whitespace or other bytes in the unsigned gap could hide
    // data or shift what a viewer decodes.
    let hex_digits = &pdf[gap_start + 1..gap_end - 1];
    if !hex_digits.len().is_multiple_of(2) || !hex_digits.iter().all(u8::is_ascii_hexdigit) {
        return report.fail(&Problem::ContentsNotHex);
    }
    if !signature_fields(signed)
        .iter()
        .any(|field| field.id == Some(id))
    {
        return report.fail(&Problem::SignatureNotInField);
    }
    let contents = match signed_dict.get(b"Contents") {
        Some(Object::String(bytes)) if !bytes.is_empty() => bytes.clone(),
        _ => return report.fail(&Problem::ContentsMissing),
    };

    let mut hasher = Sha256::new();
    hasher.update(&pdf[..gap_start]);
    hasher.update(&pdf[gap_end..end]);
    let digest: [u8; 32] = hasher.finalize().into();
    let (certificate, outcome) = cms::check(&contents, &digest, is_cades);
    if let Some(certificate) = &certificate {
        report.signer = certificate.common_name();
        report.organisation = certificate.organisation();
        report.credit_code = certificate.credit_code();
        report.cert_sha256 = Some(certificate.fingerprint_hex());
        if trust.contains(&certificate.fingerprint()) {
            report.trust = Trust::Known;
        }
    }
    let checked = match outcome {
        Ok(checked) => checked,
        Err(problem) => return report.fail(&problem),
    };
    check_certificate(&checked.certificate, signing_time, report);
}

fn check_certificate(
    certificate: &Certificate,
    signing_time: Option<OffsetDateTime>,
    report: &mut SignatureReport,
) {
    match signing_time {
        None => report.fail(&Problem::SigningTimeMissing),
        Some(time) => {
            let (not_before, not_after) = (certificate.not_before(), certificate.not_after());
            if time < not_before || time > not_after {
                let format = |moment: OffsetDateTime| {
                    moment
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default()
                };
                report.fail(&Problem::CertificateNotValidAt {
                    time: format(time),
                    not_before: format(not_before),
                    not_after: format(not_after),
                });
            }
        }
    }
    if let Some(key_usage) = certificate.key_usage()
        && !key_usage.0.contains(KeyUsages::DigitalSignature)
        && !key_usage.0.contains(KeyUsages::NonRepudiation)
    {
        report.fail(&Problem::KeyUsage);
    }
    report.self_signed = certificate.is_self_signed();
    if certificate.is_ca() {
        report.fail(&Problem::CertificateIsCa);
    }
}

/// Parses a PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (everything after the year optional).
pub(crate) fn parse_pdf_date(bytes: &[u8]) -> Option<OffsetDateTime> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > 14 || !digits.len().is_multiple_of(2) {
        return None;
    }
    let field = |start: usize, default: u32| -> Option<u32> {
        if digits.len() >= start + 2 {
            digits[start..start + 2].parse().ok()
        } else {
            Some(default)
        }
    };
    let year: i32 = digits[..4].parse().ok()?;
    let month = time::Month::try_from(u8::try_from(field(4, 1)?).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(year, month, u8::try_from(field(6, 1)?).ok()?).ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(field(8, 0)?).ok()?,
        u8::try_from(field(10, 0)?).ok()?,
        u8::try_from(field(12, 0)?).ok()?,
    )
    .ok()?;
    let rest = &text[digits.len()..];
    let offset = match rest.chars().next() {
        None | Some('Z') => UtcOffset::UTC,
        Some(sign @ ('+' | '-')) => {
            let zone: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i8 = zone.get(..2)?.parse().ok()?;
            let minutes: i8 = zone
                .get(2..4)
                .map_or(Some(0), |minutes| minutes.parse().ok())?;
            let factor = if sign == '-' { -1 } else { 1 };
            UtcOffset::from_hms(factor * hours, factor * minutes, 0).ok()?
        }
        Some(_) => return None,
    };
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

/// Hex of a fingerprint, for callers that hold raw bytes.
pub fn fingerprint_hex(fingerprint: &[u8; 32]) -> String {
    hex(fingerprint)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[track_caller]
    fn check_date(input: &str, expected: Option<OffsetDateTime>) {
        assert_eq!(parse_pdf_date(input.as_bytes()), expected, "{input}");
    }

    #[test]
    fn pdf_dates() {
        check_date(
            "D:20250601103000+08'00'",
            Some(datetime!(2025-06-01 10:30:00 +08:00)),
        );
        check_date(
            "D:20250601103000Z",
            Some(datetime!(2025-06-01 10:30:00 UTC)),
        );
        check_date("D:2025", Some(datetime!(2025-01-01 00:00:00 UTC)));
        check_date(
            "D:20250601103000-05'30",
            Some(datetime!(2025-06-01 10:30:00 -05:30)),
        );
        check_date("D:20251301", None);
        check_date("D:", None);
        check_date("yesterday", None);
    }

    #[track_caller]
    fn check_trust(text: &str, expected: std::result::Result<usize, ()>) {
        assert_eq!(
            TrustList::parse(text)
                .map(|list| list.len())
                .map_err(|_| ()),
            expected,
            "{text}"
        );
    }

    #[test]
    fn trust_lists() {
        let fingerprint = "38e456b6e278be4c96cbf0c99ea2f3b6a7f04905dd6d2ff6591fd8558cfd8b24";
        check_trust("", Ok(0));
        check_trust("# only a comment\n\n", Ok(0));
        check_trust(fingerprint, Ok(1));
        check_trust(
            &format!(
                "{fingerprint}  # 福州示例化工\n{}",
                fingerprint.to_uppercase()
            ),
            Ok(1),
        );
        check_trust(
            "38:E4:56:B6:E2:78:BE:4C:96:CB:F0:C9:9E:A2:F3:B6:A7:F0:49:05:DD:6D:2F:F6:59:1F:D8:55:8C:FD:8B:24",
            Ok(1),
        );
        check_trust("38e4", Err(()));
        check_trust(&format!("{}zz", &fingerprint[..62]), Err(()));
    }
}
