//! Signing as an incremental update, in two phases so an asynchronous external signer fits:
//! [`prepare`] appends the signature field, widget and a /Sig dictionary with a zeroed /Contents
//! and returns the signed attributes to sign; [`PreparedSignature::finish`] puts the CMS into the
//! placeholder. The original bytes are never rewritten.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::appearance::{self, AppearanceFont, Ink};
use crate::cert::Certificate;
use crate::cms::{signed_attributes, signed_attributes_der, signed_data};
use crate::error::{Error, Result};
use crate::keys::{KeyAlgorithm, SigningKey, normalize_signature, verify_signature};
use crate::pdf::write::{UpdateObject, update, write_dictionary, write_object};
use crate::pdf::{Dictionary, Document, Object, ObjectId, decode_text_string, encode_text_string};

/// Bytes reserved for the CMS in /Contents unless the caller asks for more.
pub const DEFAULT_RESERVED_BYTES: usize = 16 * 1024;

const WIDGET_WIDTH: f64 = 230.0;
const WIDGET_HEIGHT: f64 = 80.0;

/// How and where to sign.
#[derive(Clone, Debug)]
pub struct SignOptions {
    /// The signer's role, written to /Reason (e.g. 检查人, 企业负责人, 监理).
    pub role: String,
    /// The signing time, written to /M (passed in: the crate reads no clock).
    pub time: OffsetDateTime,
    /// The signer's display name for /Name; defaults to the certificate's common name.
    pub signer_name: Option<String>,
    /// Where the signature was made (/Location), if given.
    pub location: Option<String>,
    /// The signature field's name; by default the first free `SignatureN`. A signing tool that
    /// fills a reserved box names the field after the box, so the next signer sees it is taken.
    /// A name some field already has is refused.
    pub field_name: Option<String>,
    /// The page for the visible signature (0-based); defaults to the last page.
    pub page: Option<usize>,
    /// The widget rectangle `[x1, y1, x2, y2]` in page space; by default widgets are laid out
    /// from the bottom left, two per row, so several signers do not overlap.
    pub rect: Option<[f64; 4]>,
    /// Bytes reserved for the CMS signature (the /Contents hex string is twice as long).
    pub reserved_bytes: usize,
    /// The font for the visible signature. With it the appearance is in Chinese (签名人, 单位,
    /// 角色, 时间, 证书) and embeds a subset of the font with only the glyphs drawn; without it
    /// the appearance uses Helvetica with English labels, which shows Chinese as `?`.
    pub appearance_font: Option<AppearanceFont>,
    /// A handwritten signature drawn beside the text of the visible signature (a countersignature
    /// made after the report was rendered cannot have it on the page itself).
    pub ink: Option<Ink>,
}

impl SignOptions {
    /// Options with the role and time given and everything else defaulted.
    pub fn new(role: impl Into<String>, time: OffsetDateTime) -> Self {
        Self {
            role: role.into(),
            time,
            signer_name: None,
            location: None,
            field_name: None,
            page: None,
            rect: None,
            reserved_bytes: DEFAULT_RESERVED_BYTES,
            appearance_font: None,
            ink: None,
        }
    }

    /// These options with `font` for the visible signature (see [`SignOptions::appearance_font`]).
    pub fn with_appearance_font(mut self, font: AppearanceFont) -> Self {
        self.appearance_font = Some(font);
        self
    }
}

/// A PDF with a signature placeholder, waiting for the signature over its signed attributes.
#[derive(Debug)]
pub struct PreparedSignature(Placeholder);

/// An incremental update with a signature placeholder, waiting for the signature over its signed
/// attributes ([`prepare_update`]): the original file is not in it, so a signer holds the PDF
/// once, not twice (issue 18: a 110 MB report).
#[derive(Debug)]
pub struct PreparedUpdate(Placeholder);

/// The bytes with the placeholder and what the signature needs.
#[derive(Debug)]
struct Placeholder {
    /// The whole file, or only the update.
    bytes: Vec<u8>,
    /// The file offset of `bytes[0]`: 0, or the original's length.
    start: usize,
    /// File offset of the first hex digit inside /Contents.
    contents_start: usize,
    reserved_bytes: usize,
    attributes: cms::signed_data::SignedAttributes,
    attributes_der: Vec<u8>,
    certificate: Certificate,
    chain: Vec<Certificate>,
    algorithm: KeyAlgorithm,
    missing_characters: Vec<char>,
}

impl Placeholder {
    fn finish(self, signature: &[u8]) -> Result<Vec<u8>> {
        let signature = normalize_signature(self.algorithm, signature)?;
        verify_signature(
            &self.certificate.public_key_der()?,
            &self.attributes_der,
            &signature,
        )?;
        let cms = signed_data(
            self.attributes,
            &self.certificate,
            &self.chain,
            self.algorithm,
            &signature,
        )?;
        if cms.len() > self.reserved_bytes {
            return Err(Error::SignatureTooLarge {
                needed: cms.len(),
                reserved: self.reserved_bytes,
            });
        }
        let mut bytes = self.bytes;
        let hex = crate::cert::hex(&cms);
        let at = self.contents_start - self.start;
        bytes[at..at + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(bytes)
    }
}

impl PreparedSignature {
    /// Characters of the appearance text that the [`SignOptions::appearance_font`] has no glyph
    /// for; each is drawn as a visible `?` (empty without a font: Helvetica's `?` is expected).
    pub fn missing_characters(&self) -> &[char] {
        &self.0.missing_characters
    }

    /// The DER (`SET OF`, tag 0x31) of the signed attributes. Sign these bytes with SHA-256: for
    /// WebCrypto, `subtle.sign({name: "ECDSA", hash: "SHA-256"}, key, bytes)`.
    pub fn signed_attributes(&self) -> &[u8] {
        &self.0.attributes_der
    }

    /// The key algorithm the certificate requires.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.0.algorithm
    }

    /// The PDF with the placeholder (not yet a valid signed file).
    pub fn placeholder_pdf(&self) -> &[u8] {
        &self.0.bytes
    }

    /// Completes the signature: `signature` over [`PreparedSignature::signed_attributes`], as DER
    /// or raw `r || s` for ECDSA, or PKCS#1 v1.5 for RSA. It is checked against the certificate
    /// before it is embedded.
    pub fn finish(self, signature: &[u8]) -> Result<Vec<u8>> {
        self.0.finish(signature)
    }
}

impl PreparedUpdate {
    /// As [`PreparedSignature::missing_characters`].
    pub fn missing_characters(&self) -> &[char] {
        &self.0.missing_characters
    }

    /// As [`PreparedSignature::signed_attributes`].
    pub fn signed_attributes(&self) -> &[u8] {
        &self.0.attributes_der
    }

    /// The key algorithm the certificate requires.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.0.algorithm
    }

    /// Completes the signature as [`PreparedSignature::finish`] does; the update to append to the
    /// unchanged original: the original's bytes followed by these are the signed file.
    pub fn finish(self, signature: &[u8]) -> Result<Vec<u8>> {
        self.0.finish(signature)
    }
}

/// Signs with an in-memory key (P-256 or RSA): both phases at once.
pub fn sign(
    pdf: &[u8],
    key: &SigningKey,
    certificate: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<Vec<u8>> {
    if key.public_key_der()? != certificate.public_key_der()? {
        return Err(Error::KeyCertificateMismatch);
    }
    let prepared = prepare(pdf, certificate, chain, options)?;
    let signature = key.sign(prepared.signed_attributes())?;
    prepared.finish(&signature)
}

/// [`sign`], returning only the incremental update: `pdf` followed by it is the signed file. The
/// signer holds no copy of `pdf` (a caller writes `pdf` and then the update to its output).
pub fn sign_update(
    pdf: &[u8],
    key: &SigningKey,
    certificate: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<Vec<u8>> {
    if key.public_key_der()? != certificate.public_key_der()? {
        return Err(Error::KeyCertificateMismatch);
    }
    let prepared = prepare_update(pdf, certificate, chain, options)?;
    let signature = key.sign(prepared.signed_attributes())?;
    prepared.finish(&signature)
}

/// Phase one: appends the signature field, its widget and a /Sig dictionary with a zeroed /Contents
/// as an incremental update, and computes the signed attributes over the resulting ByteRange.
pub fn prepare(
    pdf: &[u8],
    certificate: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<PreparedSignature> {
    let mut prepared = prepare_update(pdf, certificate, chain, options)?.0;
    let mut bytes = Vec::with_capacity(pdf.len() + prepared.bytes.len());
    bytes.extend_from_slice(pdf);
    bytes.append(&mut prepared.bytes);
    prepared.bytes = bytes;
    prepared.start = 0;
    Ok(PreparedSignature(prepared))
}

/// [`prepare`] without a copy of `pdf`: the placeholder is in the update alone, and
/// [`PreparedUpdate::finish`] gives the update to append to `pdf`. The digest of the ByteRange is
/// taken over `pdf` where it is and then over the update.
pub fn prepare_update(
    pdf: &[u8],
    certificate: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<PreparedUpdate> {
    let algorithm = certificate.key_algorithm()?;
    if options.reserved_bytes < 1024 || options.reserved_bytes > 1 << 20 {
        return Err(Error::InvalidArgument(
            "reserved bytes must be between 1 KiB and 1 MiB".into(),
        ));
    }
    let document = Document::load(pdf, pdf.len())?;
    let root_id = document.root_id()?;
    let mut catalog = document.catalog()?;
    let pages = document.pages()?;
    let page_index = options.page.unwrap_or(pages.len().saturating_sub(1));
    let page_id = *pages.get(page_index).ok_or(Error::PageOutOfRange {
        page: page_index,
        pages: pages.len(),
    })?;
    let Object::Dictionary(mut page) = document.get(page_id)? else {
        return Err(Error::Pdf("the page is not a dictionary".into()));
    };

    let mut next_number = document.size();
    let mut new_id = || {
        let id = (next_number, 0);
        next_number += 1;
        id
    };
    let signature_id = new_id();
    let widget_id = new_id();
    let appearance_id = new_id();
    let mut updates: Vec<(ObjectId, Vec<u8>)> = Vec::new();

    // The page's annotations: count signature widgets for the layout, then add ours.
    let annots = match page.get(b"Annots") {
        Some(value) => document
            .resolve(value)?
            .as_array()
            .map(<[Object]>::to_vec)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut existing_widgets = 0;
    for annot in &annots {
        if document
            .resolve_dict(annot)?
            .is_some_and(|dict| dict.has_name(b"FT", b"Sig"))
        {
            existing_widgets += 1;
        }
    }
    let mut new_annots = annots.clone();
    new_annots.push(Object::Reference(widget_id));
    match page.get(b"Annots") {
        Some(Object::Reference(annots_id)) => {
            updates.push((*annots_id, serialize(&Object::Array(new_annots))))
        }
        _ => {
            page.set(b"Annots", Object::Array(new_annots));
            updates.push((page_id, serialize(&Object::Dictionary(page.clone()))));
        }
    }

    // The form: add the field, set /SigFlags 3 (signatures exist, append only).
    let (mut acro_form, acro_form_id) = match catalog.get(b"AcroForm") {
        Some(Object::Reference(id)) => (
            document
                .resolve_dict(&Object::Reference(*id))?
                .unwrap_or_default(),
            Some(*id),
        ),
        Some(Object::Dictionary(dict)) => (dict.clone(), None),
        _ => (Dictionary::new(), None),
    };
    let fields = match acro_form.get(b"Fields") {
        Some(value) => document
            .resolve(value)?
            .as_array()
            .map(<[Object]>::to_vec)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut field_names = Vec::new();
    for field in &fields {
        if let Some(dict) = document.resolve_dict(field)?
            && let Some(name) = dict.get(b"T").and_then(Object::as_string)
        {
            field_names.push(decode_text_string(name));
        }
    }
    let field_name = match &options.field_name {
        Some(name) if field_names.contains(name) => {
            return Err(Error::InvalidArgument(format!(
                "the document already has a field named {name}"
            )));
        }
        Some(name) if name.is_empty() || name.contains('.') => {
            return Err(Error::InvalidArgument(format!(
                "{name:?} is not a field name (empty or with a period)"
            )));
        }
        Some(name) => name.clone(),
        None => (1..)
            .map(|index| format!("Signature{index}"))
            .find(|name| !field_names.contains(name))
            .unwrap_or_else(|| "Signature".into()),
    };
    let mut new_fields = fields.clone();
    new_fields.push(Object::Reference(widget_id));
    match acro_form.get(b"Fields") {
        Some(Object::Reference(fields_id)) => {
            updates.push((*fields_id, serialize(&Object::Array(new_fields))))
        }
        _ => acro_form.set(b"Fields", Object::Array(new_fields)),
    }
    let sig_flags = acro_form
        .get(b"SigFlags")
        .and_then(Object::as_i64)
        .unwrap_or(0);
    acro_form.set(b"SigFlags", Object::Integer(sig_flags | 3));
    match acro_form_id {
        Some(id) => updates.push((id, serialize(&Object::Dictionary(acro_form)))),
        None => {
            let id = new_id();
            updates.push((id, serialize(&Object::Dictionary(acro_form))));
            catalog.set(b"AcroForm", Object::Reference(id));
            updates.push((root_id, serialize(&Object::Dictionary(catalog))));
        }
    }

    // The widget's place and look.
    let media_box = document
        .page_attribute(page_id, b"MediaBox")?
        .and_then(|value| {
            value
                .as_array()
                .map(|items| items.iter().filter_map(Object::as_f64).collect::<Vec<_>>())
        })
        .filter(|values| values.len() == 4)
        .unwrap_or_else(|| vec![0.0, 0.0, 595.0, 842.0]);
    let rect = options.rect.unwrap_or_else(|| {
        let column = (existing_widgets % 2) as f64;
        let row = (existing_widgets / 2) as f64;
        let x = media_box[0] + 36.0 + column * (WIDGET_WIDTH + 12.0);
        let y = media_box[1] + 36.0 + row * (WIDGET_HEIGHT + 8.0);
        [x, y, x + WIDGET_WIDTH, y + WIDGET_HEIGHT]
    });
    let signer_name = options
        .signer_name
        .clone()
        .or_else(|| certificate.common_name())
        .unwrap_or_default();
    let visible = appearance::build(
        &appearance::Content {
            signer_name: &signer_name,
            role: &options.role,
            time: options.time,
            certificate,
            ink: options.ink.as_ref(),
        },
        options.appearance_font.as_ref(),
        (rect[2] - rect[0]).abs(),
        (rect[3] - rect[1]).abs(),
        &mut new_id,
    )?;
    updates.push((appearance_id, serialize(&visible.stream)));
    for (id, object) in &visible.objects {
        updates.push((*id, serialize(object)));
    }

    let mut widget = Dictionary::new();
    widget.set(b"Type", Object::Name(b"Annot".to_vec()));
    widget.set(b"Subtype", Object::Name(b"Widget".to_vec()));
    widget.set(b"FT", Object::Name(b"Sig".to_vec()));
    widget.set(b"T", Object::String(field_name.into_bytes()));
    widget.set(
        b"TU",
        Object::String(encode_text_string(&format!(
            "{signer_name} ({})",
            options.role
        ))),
    );
    widget.set(b"V", Object::Reference(signature_id));
    widget.set(b"P", Object::Reference(page_id));
    widget.set(
        b"Rect",
        Object::Array(rect.iter().map(|&value| Object::Real(value)).collect()),
    );
    // Print (4) + Locked (128): shown when printed, not movable.
    widget.set(b"F", Object::Integer(132));
    let mut appearance = Dictionary::new();
    appearance.set(b"N", Object::Reference(appearance_id));
    widget.set(b"AP", Object::Dictionary(appearance));
    updates.push((widget_id, serialize(&Object::Dictionary(widget))));

    let (signature_body, byte_range_at, contents_at) = signature_dictionary(&signer_name, options);
    updates.push((signature_id, signature_body));

    updates.sort_by_key(|(id, _)| id.0);
    let signature_index = updates
        .iter()
        .position(|(id, _)| *id == signature_id)
        .unwrap_or(0);
    let objects: Vec<UpdateObject> = updates
        .into_iter()
        .map(|(id, body)| UpdateObject { id, body })
        .collect();
    // The hash covers the original file and then the update (ByteRange patched in, /Contents
    // left out).
    let appended = update(pdf, &document, &objects);
    let mut bytes = appended.bytes;
    let start = pdf.len();
    let end = start + bytes.len();
    let body_start = appended.body_offsets[signature_index];

    let contents_open = body_start + contents_at;
    let contents_close = contents_open + 2 * options.reserved_bytes + 2;
    let range = [0, contents_open, contents_close, end - contents_close];
    let placeholder_at = body_start + byte_range_at - start;
    let mut byte_range =
        format!("[{} {} {} {}]", range[0], range[1], range[2], range[3]).into_bytes();
    if byte_range.len() > BYTE_RANGE_PLACEHOLDER.len() {
        return Err(Error::Pdf("the document is too large to sign".into()));
    }
    // Pad inside the brackets so the patch has the placeholder's exact length.
    byte_range.pop();
    byte_range.resize(BYTE_RANGE_PLACEHOLDER.len() - 1, b' ');
    byte_range.push(b']');
    bytes[placeholder_at..placeholder_at + byte_range.len()].copy_from_slice(&byte_range);

    if contents_open < start {
        return Err(Error::Pdf(
            "the signature placeholder is not in the update".into(),
        ));
    }
    let mut hasher = Sha256::new();
    hasher.update(pdf);
    hasher.update(&bytes[..contents_open - start]);
    hasher.update(&bytes[contents_close - start..]);
    let digest = hasher.finalize();
    let attributes = signed_attributes(&digest, certificate)?;
    let attributes_der = signed_attributes_der(&attributes)?;
    Ok(PreparedUpdate(Placeholder {
        bytes,
        start,
        contents_start: contents_open + 1,
        reserved_bytes: options.reserved_bytes,
        attributes,
        attributes_der,
        certificate: certificate.clone(),
        chain: chain.to_vec(),
        algorithm,
        missing_characters: visible.missing,
    }))
}

const BYTE_RANGE_PLACEHOLDER: &[u8] = b"[0 0000000000 0000000000 0000000000]";

fn serialize(object: &Object) -> Vec<u8> {
    let mut out = Vec::new();
    write_object(&mut out, object);
    out
}

/// The /Sig dictionary with placeholders; returns the body and the offsets of the ByteRange
/// placeholder and of the `<` of /Contents within it.
fn signature_dictionary(signer_name: &str, options: &SignOptions) -> (Vec<u8>, usize, usize) {
    let mut dict = Dictionary::new();
    dict.set(b"Type", Object::Name(b"Sig".to_vec()));
    dict.set(b"Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    dict.set(b"SubFilter", Object::Name(b"ETSI.CAdES.detached".to_vec()));
    dict.set(b"M", Object::String(pdf_date(options.time).into_bytes()));
    dict.set(b"Name", Object::String(encode_text_string(signer_name)));
    dict.set(b"Reason", Object::String(encode_text_string(&options.role)));
    if let Some(location) = &options.location {
        dict.set(b"Location", Object::String(encode_text_string(location)));
    }
    let mut body = Vec::new();
    write_dictionary(&mut body, &dict);
    body.truncate(body.len() - 2);
    body.extend_from_slice(b"/ByteRange ");
    let byte_range_at = body.len();
    body.extend_from_slice(BYTE_RANGE_PLACEHOLDER);
    body.extend_from_slice(b"/Contents ");
    let contents_at = body.len();
    body.push(b'<');
    body.resize(body.len() + 2 * options.reserved_bytes, b'0');
    body.extend_from_slice(b">>>");
    (body, byte_range_at, contents_at)
}

/// A PDF date: `D:YYYYMMDDHHmmSS+HH'mm'`.
pub(crate) fn pdf_date(time: OffsetDateTime) -> String {
    let offset = time.offset();
    let zone = if offset.is_utc() {
        "Z".to_string()
    } else {
        let sign = if offset.is_negative() { '-' } else { '+' };
        format!(
            "{sign}{:02}'{:02}'",
            offset.whole_hours().abs(),
            offset.minutes_past_hour().abs()
        )
    };
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}{zone}",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}
