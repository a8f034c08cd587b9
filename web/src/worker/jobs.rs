//! The worker's jobs: each takes the decoded [`Job`] and its byte buffers and returns a
//! [`Reply`] with its buffers, or an error text. Nothing here keeps user data beyond the job,
//! except the report font, parsed once per worker.

use std::cell::RefCell;
use std::io::Read as _;
use std::rc::Rc;
use std::sync::Arc;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use zicha_report::{Fonts, Handwritten, Role};
use zicha_sign::{AppearanceFont, Certificate, SignOptions, SigningKey, TrustList};

use super::{Input, Output, Progress, crypto, sheets};
use crate::state::backup::{self, Photo, Photos};
use crate::state::jobs::{
    CertificateInfo, HandwrittenRef, Job, KeyUse, Party, PhotoRef, ReceivedBox, Refused, Reply,
    Slot, Snapshot, Stage,
};
use crate::state::signature::{ASPECT, Strokes};

type Result<T> = std::result::Result<T, String>;

/// Runs one job.
pub(super) async fn run(job: Job, input: Input, progress: Progress) -> Result<Output> {
    match job {
        Job::ExportBundle {
            snapshot,
            inspection_id,
            checklist_source,
            photos,
        } => {
            let data = snapshot.into_data();
            let photos = photos_of(&photos, &input.bytes)?;
            let sources: Vec<String> = checklist_source.into_iter().collect();
            progress.report(Stage::Writing, 0, 0);
            let bundle = backup::bundle_for(&data, &inspection_id, &photos, &sources)?;
            let zip = bundle.to_zip().map_err(|e| e.to_string())?;
            let name = backup::bundle_file_name(&data, &inspection_id);
            Ok(Output::with_bytes(Reply::File { name }, vec![zip]))
        }
        Job::Backup {
            snapshot,
            checklist_sources,
            imported,
            photos,
        } => {
            let data = snapshot.into_data();
            let photos = photos_of(&photos, &input.bytes)?;
            progress.report(Stage::Writing, 0, 0);
            let zip = backup::backup_zip(&data, &photos, &checklist_sources, &imported)?;
            Ok(Output::with_bytes(
                Reply::File {
                    name: String::new(),
                },
                vec![zip],
            ))
        }
        Job::Restore => {
            let bytes = input.bytes.first().ok_or("no file")?;
            let restored = backup::restore(bytes)?;
            let mut refs = Vec::new();
            let mut buffers = Vec::new();
            for (index, (sha256, photo)) in restored.photos.into_iter().enumerate() {
                refs.push(PhotoRef {
                    sha256,
                    ext: photo.ext,
                    index,
                });
                buffers.push(photo.bytes);
            }
            Ok(Output::with_bytes(
                Reply::Restored {
                    snapshot: Snapshot::from(&restored.data),
                    photos: refs,
                    full_backup: restored.full_backup,
                    checklists: sheets::records_of(restored.checklists),
                },
                buffers,
            ))
        }
        Job::Render {
            snapshot,
            inspection_id,
            checklist_source,
            photos,
            handwritten,
            document_id,
            timestamp,
            as_of,
            font_url,
        } => {
            let data = snapshot.into_data();
            let mut input = input;
            let (checklist, problems) = zicha_core::checklist::parse_recorded(&checklist_source);
            let checklist = checklist
                .filter(|_| problems.is_empty())
                .ok_or("the inspection's checklist cannot be read")?;
            let bundle = render_bundle(
                &data,
                &inspection_id,
                &photos,
                &mut input.bytes,
                &checklist_source,
            )?;
            let fonts = fonts(&font_url, progress).await?;
            let mut options = zicha_report::Options::new(&fonts, timestamp, document_id, as_of);
            options.handwritten = handwritten_of(&handwritten, &input.bytes)?;
            drop(input);
            let report_progress = |step: zicha_report::Progress| match step {
                zicha_report::Progress::Photos { done, total } => {
                    progress.report(Stage::Photos, done as u32, total as u32)
                }
                zicha_report::Progress::Pages { pages } => {
                    progress.report(Stage::Pages, pages as u32, 0)
                }
                _ => {}
            };
            options.progress = Some(zicha_report::OnProgress(&report_progress));
            progress.report(Stage::Photos, 0, bundle.photos.len() as u32);
            let started = js_sys::Date::now();
            // Written out of wasm memory as it is made (JsChunks): the worker holds the photos
            // once and the rest of the document, never the PDF.
            let mut out = std::io::BufWriter::with_capacity(JS_CHUNK_BYTES, JsChunks::default());
            let rendered = zicha_report::render_to(&bundle, &checklist, &options, &mut out)
                .map_err(|e| format!("the report cannot be rendered: {e}"))?;
            let pdf = out
                .into_inner()
                .map_err(|e| format!("the report cannot be written: {e}"))?
                .concat();
            let millis = js_sys::Date::now() - started;
            let reply = Reply::Rendered {
                pages: rendered.page_text.len(),
                warnings: rendered.warnings.iter().map(|w| w.to_string()).collect(),
                slots: rendered
                    .signature_slots
                    .iter()
                    .map(|slot| Slot {
                        party: Party {
                            role: slot.signer.role.zh().to_owned(),
                            name: slot.signer.name.clone(),
                        },
                        page: slot.page + 1,
                        rect: slot.rect,
                    })
                    .collect(),
                millis,
                wasm_memory: wasm_memory(),
            };
            Ok(Output::with_js_bytes(reply, vec![pdf]))
        }
        Job::Sign {
            party,
            key,
            time,
            font_url,
        } => sign(party, key, time, &font_url, input, progress).await,
        Job::CreateKey {
            subject,
            not_before,
            days,
            backup_passphrase,
        } => {
            if backup_passphrase.chars().count() < 8 {
                return Err("the backup passphrase needs at least 8 characters".into());
            }
            let (private, public) = crypto::generate().await?;
            let jwk = crypto::export_jwk(&private).await?;
            let secret = crypto::jwk_secret(&jwk)?;
            progress.report(Stage::Writing, 0, 0);
            let backup_key = SigningKey::p256_from_bytes(&secret)
                .and_then(|key| key.to_encrypted_pem(&backup_passphrase))
                .map_err(|e| e.to_string())?;
            let key = crypto::import_private_jwk(&jwk).await?;
            drop(jwk);
            let spki = crypto::export_spki(&public).await?;
            let subject = zicha_sign::CertificateSubject {
                organisation: subject.organisation,
                signer: subject.signer,
                credit_code: subject.credit_code,
                not_before,
                not_after: not_before + time::Duration::days(i64::from(days.max(1))),
            };
            let tbs = zicha_sign::self_issued_tbs(&subject, &spki).map_err(|e| e.to_string())?;
            let signature = crypto::sign(&key, &tbs).await?;
            let certificate =
                zicha_sign::assemble_certificate(&tbs, &signature).map_err(|e| e.to_string())?;
            let backup = format!("{}{}", backup_key, certificate.to_pem());
            let mut output = Output::with_bytes(
                Reply::KeyCreated {
                    certificate: info(&certificate),
                },
                vec![certificate.der().to_vec(), backup.into_bytes()],
            );
            output.key = Some(key);
            Ok(output)
        }
        Job::ImportPkcs12 { passphrase } => {
            let file = input.bytes.first().ok_or("no file")?;
            let identity =
                zicha_sign::import_pkcs12(file, &passphrase).map_err(|e| e.to_string())?;
            Ok(Output::with_bytes(
                Reply::KeyRead {
                    certificate: info(&identity.certificate),
                },
                vec![identity.certificate.der().to_vec()],
            ))
        }
        Job::ImportBackup { passphrase } => {
            let file = input.bytes.first().ok_or("no file")?;
            let (_, certificate) = read_backup(file, &passphrase)?;
            Ok(Output::with_bytes(
                Reply::KeyRead {
                    certificate: info(&certificate),
                },
                vec![certificate.der().to_vec()],
            ))
        }
        Job::Parties {
            snapshot,
            inspection_id,
        } => {
            let data = snapshot.into_data();
            let stored = data
                .inspections
                .get(&inspection_id)
                .ok_or_else(|| format!("no inspection {inspection_id}"))?;
            // Who signs depends on the enterprise, the inspectors and the project only.
            let bundle = zicha_core::bundle::Bundle {
                data: zicha_core::bundle::BundleData {
                    schema_version: zicha_core::bundle::SCHEMA_VERSION,
                    organisation: data.profile.as_deref().cloned().unwrap_or_default(),
                    project: data.project_of(stored).map(|p| p.project.clone()),
                    inspection: stored.inspection.clone(),
                    hazards: Vec::new(),
                    photos: Vec::new(),
                },
                photos: Default::default(),
                checklist_source: None,
            };
            let parties = zicha_report::signers(&bundle)
                .into_iter()
                .map(|signer| Party {
                    role: signer.role.zh().to_owned(),
                    name: signer.name,
                })
                .collect();
            Ok(Output::new(Reply::Parties { parties }))
        }
        Job::LoadFont { url } => {
            let packed = input.bytes.into_iter().next().ok_or("no font")?;
            install_font(&url, packed, progress)?;
            Ok(Output::new(Reply::FontLoaded))
        }
        Job::Qr { text } => Ok(Output::new(Reply::Qr {
            svg: qr_svg(&text)?,
        })),
        Job::CheckReceived { name, font_url } => {
            check_received(&name, &font_url, input, progress).await
        }
        Job::Countersign {
            name,
            party,
            key,
            time,
            font_url,
            strokes,
        } => {
            let countersign = Countersign {
                name,
                party,
                time,
                font_url,
                strokes,
            };
            countersign.run(key, input, progress).await
        }
        Job::ImportSheet { name } => {
            let bytes = input.bytes.first().ok_or("no file")?;
            Ok(Output::new(sheets::import(bytes, &name)))
        }
        Job::Template { checklist_source } => sheets::template(checklist_source.as_deref()),
        Job::ExportResults {
            snapshot,
            inspection_id,
            checklist_source,
            as_of,
        } => sheets::export_results(
            &snapshot.into_data(),
            &inspection_id,
            &checklist_source,
            as_of,
        ),
        Job::ExportLedger { snapshot, as_of } => {
            sheets::export_ledger(&snapshot.into_data(), as_of)
        }
        Job::Verify {
            names,
            trust,
            font_url,
            received_at,
        } => {
            let trust = if trust.trim().is_empty() {
                TrustList::new()
            } else {
                TrustList::parse(&trust).map_err(|e| format!("trust list: {e}"))?
            };
            // The report font proves the pages; without it (no URL) they are not provable, which
            // the results say.
            let fonts = if font_url.is_empty() {
                None
            } else {
                Some(fonts(&font_url, progress).await?)
            };
            // The inbox's entries: the register's rows (zicha_report::register).
            let received_at = received_at
                .map(|at| zicha_core::dates::parse_rfc3339(&at))
                .transpose()
                .map_err(|e| format!("received_at: {e}"))?;
            let total = names.len() as u32;
            let mut results = Vec::new();
            let mut entries = Vec::new();
            for (index, name) in names.iter().enumerate() {
                progress.report(Stage::Checking, index as u32, total);
                let pdf = input.bytes.get(index).ok_or("a file is missing")?;
                let result = zicha_report::check::check(name, pdf, &trust, fonts.as_deref());
                if let Some(received_at) = received_at {
                    let embedded = zicha_report::register::embedded(pdf, &result);
                    let sha256 = zicha_core::hash::Sha256::of(pdf).to_string();
                    let entry = zicha_report::register::Received::new(
                        sha256,
                        &result,
                        embedded,
                        received_at,
                    );
                    entries.push(serde_json::to_value(&entry).map_err(|e| e.to_string())?);
                }
                results.push(result);
            }
            let csv = zicha_report::check::to_csv(&results);
            let results = results
                .iter()
                .map(serde_json::to_value)
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| e.to_string())?;
            Ok(Output::new(Reply::Verified {
                results,
                csv,
                entries,
            }))
        }
        Job::VerifyData { names, trust } => {
            super::verifier::verify_data(&names, &trust, &input, progress)
        }
        Job::ExportInbox {
            format,
            reports,
            signatures,
        } => {
            progress.report(Stage::Writing, 0, 0);
            let bytes = super::inbox::export(format, reports, signatures)?;
            Ok(Output::with_bytes(
                Reply::File {
                    name: String::new(),
                },
                vec![bytes],
            ))
        }
    }
}

async fn sign(
    party: Party,
    key: KeyUse,
    time: time::OffsetDateTime,
    font_url: &str,
    input: Input,
    progress: Progress,
) -> Result<Output> {
    let pdf = input.bytes.first().ok_or("no pdf")?;
    let (signer, certificate, chain) = key_signer(key, &input)?;
    // Refused before anything is drawn: the verifier would call the signature invalid.
    certificate
        .check_valid_at(time)
        .map_err(|e| e.to_string())?;
    // Only into this party's own free box; a report without boxes is not ours to sign here.
    let signature_box = signing_box(pdf, &party)?;
    let font = appearance_font(font_url, progress).await?;
    progress.report(Stage::Signing, 0, 0);
    let started = js_sys::Date::now();
    let mut options = SignOptions::new(party.role.clone(), time).with_appearance_font(font);
    options.signer_name = Some(party.name.clone());
    let (page, rect) = zicha_report::place::widget_place(&signature_box.slot);
    options.page = Some(page);
    options.rect = Some(rect);
    options.field_name = Some(zicha_report::place::field_name(signature_box.number));
    // The update alone: the signed file is put together outside wasm memory (`joined`), so the
    // worker holds the PDF once.
    let prepared = zicha_sign::prepare_update(pdf, &certificate, &chain, &options)
        .map_err(|e| e.to_string())?;
    let missing_characters: String = prepared.missing_characters().iter().collect();
    let signature = signer.sign(prepared.signed_attributes()).await?;
    let update = prepared.finish(&signature).map_err(|e| e.to_string())?;
    let signed = joined(&[pdf, &update]);
    let millis = js_sys::Date::now() - started;
    Ok(Output::with_js_bytes(
        Reply::Signed {
            certificate: info(&certificate),
            missing_characters,
            millis,
            wasm_memory: wasm_memory(),
        },
        vec![signed],
    ))
}

/// Bytes a render collects in wasm memory before it copies them out ([`JsChunks`]).
const JS_CHUNK_BYTES: usize = 1 << 20;

/// A writer that copies everything written to it out of wasm memory into JS buffers, so that a
/// report of 110 MB does not need 110 MB more of wasm memory (which never shrinks).
#[derive(Default)]
struct JsChunks {
    chunks: Vec<Uint8Array>,
    length: u32,
}

impl std::io::Write for JsChunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let length = u32::try_from(bytes.len())
            .ok()
            .and_then(|length| self.length.checked_add(length))
            .ok_or_else(|| std::io::Error::other("the report is larger than 4 GB"))?;
        let chunk = Uint8Array::new_with_length(bytes.len() as u32);
        chunk.copy_from(bytes);
        self.chunks.push(chunk);
        self.length = length;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl JsChunks {
    /// The chunks as one JS buffer.
    fn concat(self) -> Uint8Array {
        let all = Uint8Array::new_with_length(self.length);
        let mut at = 0;
        for chunk in self.chunks {
            all.set(&chunk, at);
            at += chunk.length();
        }
        all
    }
}

/// `parts` one after another in one JS buffer (outside wasm memory).
fn joined(parts: &[&[u8]]) -> Uint8Array {
    let length: usize = parts.iter().map(|part| part.len()).sum();
    let all = Uint8Array::new_with_length(length as u32);
    let mut at = 0;
    for part in parts {
        all.subarray(at, at + part.len() as u32).copy_from(part);
        at += part.len() as u32;
    }
    all
}

/// Bytes of this worker's wasm memory now (its peak: wasm memory only grows).
fn wasm_memory() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// The bundle a render needs, with the photos moved out of the job's buffers `bytes` (no copy:
/// a 200-photo inspection is about 110 MB).
fn render_bundle(
    data: &crate::state::Data,
    inspection_id: &str,
    refs: &[PhotoRef],
    bytes: &mut [Vec<u8>],
    checklist_source: &str,
) -> Result<zicha_core::bundle::Bundle> {
    // `bundle_for` copies the photos it takes: it is given their names, and the bytes are moved in
    // after.
    let mut names = Photos::new();
    for photo in refs {
        bytes
            .get(photo.index)
            .ok_or_else(|| format!("photo {} is missing", photo.sha256))?;
        names.insert(
            photo.sha256,
            Photo {
                ext: photo.ext.clone(),
                bytes: Vec::new(),
            },
        );
    }
    let mut bundle = backup::bundle_for(
        data,
        inspection_id,
        &names,
        std::slice::from_ref(&checklist_source.to_owned()),
    )?;
    for photo in refs {
        if let Some(slot) = bundle.photos.get_mut(&photo.sha256)
            && slot.is_empty()
        {
            *slot = std::mem::take(&mut bytes[photo.index]);
        }
    }
    Ok(bundle)
}

/// A received report checked for countersigning (zicha_report::countersign::received), with its
/// boxes and the units each stands for.
async fn check_received(
    name: &str,
    font_url: &str,
    input: Input,
    progress: Progress,
) -> Result<Output> {
    let pdf = input.bytes.first().ok_or("no pdf")?;
    let fonts = fonts(font_url, progress).await?;
    progress.report(Stage::Checking, 0, 1);
    let received = zicha_report::countersign::received(name, pdf, Some(&*fonts));
    let boxes = received
        .boxes
        .iter()
        .map(|signature_box| ReceivedBox {
            number: signature_box.number,
            party: Party {
                role: signature_box.slot.role.clone(),
                name: signature_box.slot.name.clone(),
            },
            signed: signature_box.signed,
            units: zicha_report::place::units(pdf, signature_box)
                .unwrap_or_default()
                .into_iter()
                .map(|unit| unit.organisation)
                .collect(),
        })
        .collect();
    let result = serde_json::to_value(&received.result).map_err(|e| e.to_string())?;
    Ok(Output::new(Reply::Received {
        result,
        boxes,
        refusal: received.refusal.as_ref().map(refused),
    }))
}

fn refused(refusal: &zicha_report::countersign::Refusal) -> Refused {
    Refused {
        code: refusal.code().to_owned(),
        detail: refusal.to_string(),
    }
}

/// A countersignature to make (Job::Countersign without its key).
struct Countersign {
    name: String,
    party: Party,
    time: time::OffsetDateTime,
    font_url: String,
    strokes: Strokes,
}

/// What signs: a WebCrypto key or a key in memory (from a .p12 or a key backup).
enum KeySigner {
    Browser(web_sys::CryptoKey),
    Memory(SigningKey),
}

impl KeySigner {
    /// The signature of `attributes` (a signature's DER signed attributes) with this key.
    async fn sign(&self, attributes: &[u8]) -> Result<Vec<u8>> {
        match self {
            KeySigner::Browser(key) => crypto::sign(key, attributes).await,
            KeySigner::Memory(key) => key.sign(attributes).map_err(|e| e.to_string()),
        }
    }
}

impl Countersign {
    /// Checks the report again as [`check_received`] does, chooses the party's own free box for
    /// this certificate (zicha_report::countersign::countersign_box) and signs into it with the
    /// handwriting in the visible signature; a refusal is [`Reply::Refused`], nothing signed.
    async fn run(self, key: KeyUse, input: Input, progress: Progress) -> Result<Output> {
        let pdf = input.bytes.first().ok_or("no pdf")?;
        let (signer, certificate, chain) = key_signer(key, &input)?;
        let (bytes, fonts) = font(&self.font_url, progress).await?;
        progress.report(Stage::Checking, 0, 1);
        let received = zicha_report::countersign::received(&self.name, pdf, Some(&*fonts));
        let signature_box = match zicha_report::countersign::countersign_box(
            &received,
            pdf,
            &self.party.role,
            &self.party.name,
            &certificate,
            self.time,
        ) {
            Ok(signature_box) => signature_box,
            Err(refusal) => return Ok(Output::new(Reply::Refused(refused(&refusal)))),
        };
        progress.report(Stage::Signing, 0, 0);
        let started = js_sys::Date::now();
        let font = AppearanceFont::new(bytes, zicha_report::DEFAULT_FONT_FACE)
            .map_err(|e| e.to_string())?;
        let mut options =
            SignOptions::new(signature_box.slot.role.clone(), self.time).with_appearance_font(font);
        // The box's person; a box naming nobody shows the certificate's.
        options.signer_name =
            Some(signature_box.slot.name.clone()).filter(|name| !name.trim().is_empty());
        let (page, rect) = zicha_report::place::widget_place(&signature_box.slot);
        options.page = Some(page);
        options.rect = Some(rect);
        options.field_name = Some(zicha_report::place::field_name(signature_box.number));
        options.ink = Some(ink(&self.strokes));
        let prepared =
            zicha_sign::prepare(pdf, &certificate, &chain, &options).map_err(|e| e.to_string())?;
        let missing_characters: String = prepared.missing_characters().iter().collect();
        let signature = signer.sign(prepared.signed_attributes()).await?;
        let signed = prepared.finish(&signature).map_err(|e| e.to_string())?;
        let millis = js_sys::Date::now() - started;
        Ok(Output::with_bytes(
            Reply::Signed {
                certificate: info(&certificate),
                missing_characters,
                millis,
                wasm_memory: wasm_memory(),
            },
            vec![signed],
        ))
    }
}

/// The signer, certificate and chain of `key`; its material at `input.bytes[...]`.
fn key_signer(key: KeyUse, input: &Input) -> Result<(KeySigner, Certificate, Vec<Certificate>)> {
    let byte = |index: usize| input.bytes.get(index).ok_or("a file is missing");
    Ok(match key {
        KeyUse::Browser { certificate } => {
            let certificate =
                Certificate::from_der(byte(certificate)?).map_err(|e| e.to_string())?;
            let key = input.key.clone().ok_or("the browser key is missing")?;
            (KeySigner::Browser(key), certificate, Vec::new())
        }
        KeyUse::Pkcs12 { file, passphrase } => {
            let identity =
                zicha_sign::import_pkcs12(byte(file)?, &passphrase).map_err(|e| e.to_string())?;
            (
                KeySigner::Memory(identity.key),
                identity.certificate,
                identity.chain,
            )
        }
        KeyUse::Backup { file, passphrase } => {
            let (key, certificate) = read_backup(byte(file)?, &passphrase)?;
            (KeySigner::Memory(key), certificate, Vec::new())
        }
    })
}

/// The pad's strokes as zicha-sign's ink.
fn ink(strokes: &Strokes) -> zicha_sign::Ink {
    zicha_sign::Ink {
        aspect: f64::from(ASPECT),
        strokes: strokes
            .0
            .iter()
            .map(|stroke| {
                stroke
                    .points
                    .iter()
                    .map(|point| [f64::from(point.x), f64::from(point.y), f64::from(point.p)])
                    .collect()
            })
            .collect(),
    }
}

/// The free box the report reserved for `party` (zicha_report::place): never another party's.
fn signing_box(pdf: &[u8], party: &Party) -> Result<zicha_report::place::SignatureBox> {
    let boxes = zicha_report::place::boxes(pdf)
        .ok_or_else(|| zicha_report::place::PlaceError::NotAReport.to_string())?;
    let choice = zicha_report::place::PartyChoice::Named {
        role: party.role.clone(),
        name: party.name.clone(),
    };
    zicha_report::place::choose(&boxes, &choice).map_err(|e| e.to_string())
}

/// A key backup: the encrypted PKCS#8 PEM, then the certificate PEM.
fn read_backup(file: &[u8], passphrase: &str) -> Result<(SigningKey, Certificate)> {
    let text = std::str::from_utf8(file).map_err(|_| "not a key backup (not text)")?;
    let split = text
        .find("-----BEGIN CERTIFICATE-----")
        .ok_or("not a key backup: no certificate")?;
    let (key_pem, certificate_pem) = text.split_at(split);
    let key = SigningKey::from_encrypted_pem(key_pem, passphrase).map_err(|e| e.to_string())?;
    let certificate = Certificate::from_pem(certificate_pem).map_err(|e| e.to_string())?;
    let matches = key.public_key_der().ok() == certificate.public_key_der().ok();
    if !matches {
        return Err("the key and the certificate of the backup do not belong together".into());
    }
    Ok((key, certificate))
}

/// What the keys screen shows of a certificate.
pub(crate) fn info(certificate: &Certificate) -> CertificateInfo {
    let format = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    CertificateInfo {
        pem: certificate.to_pem(),
        fingerprint: certificate.fingerprint_hex(),
        signer: certificate.common_name(),
        organisation: certificate.organisation(),
        credit_code: certificate.credit_code(),
        not_before: format(certificate.not_before()),
        not_after: format(certificate.not_after()),
        algorithm: match certificate.key_algorithm() {
            Ok(zicha_sign::KeyAlgorithm::EcdsaP256) => "ECDSA P-256".into(),
            Ok(zicha_sign::KeyAlgorithm::Rsa) => "RSA".into(),
            _ => "?".into(),
        },
    }
}

fn photos_of(refs: &[PhotoRef], bytes: &[Vec<u8>]) -> Result<Photos> {
    refs.iter()
        .map(|photo| {
            let data = bytes
                .get(photo.index)
                .ok_or_else(|| format!("photo {} is missing", photo.sha256))?;
            Ok((
                photo.sha256,
                Photo {
                    ext: photo.ext.clone(),
                    bytes: data.clone(),
                },
            ))
        })
        .collect()
}

fn handwritten_of(refs: &[HandwrittenRef], bytes: &[Vec<u8>]) -> Result<Vec<Handwritten>> {
    refs.iter()
        .map(|item| {
            let role = [Role::Inspector, Role::Enterprise, Role::Supervisor]
                .into_iter()
                .find(|role| role.zh() == item.party.role)
                .ok_or_else(|| format!("unknown role {}", item.party.role))?;
            let image = bytes
                .get(item.index)
                .ok_or("a handwritten signature is missing")?
                .clone();
            Ok(Handwritten {
                role,
                name: item.party.name.clone(),
                image,
            })
        })
        .collect()
}

/// The report font of a worker: its URL, bytes and parsed faces.
type LoadedFont = (String, Arc<[u8]>, Rc<Fonts>);

thread_local! {
    static FONT: RefCell<Option<LoadedFont>> = const { RefCell::new(None) };
}

/// The font bytes (fetched through the service worker's cache, gunzipped) and parsed faces.
async fn font(url: &str, progress: Progress) -> Result<(Arc<[u8]>, Rc<Fonts>)> {
    if let Some(hit) = FONT.with(|font| {
        font.borrow()
            .as_ref()
            .filter(|(cached, _, _)| cached == url)
            .map(|(_, bytes, fonts)| (bytes.clone(), fonts.clone()))
    }) {
        return Ok(hit);
    }
    // Not handed over by the page (see Job::LoadFont): fetch it.
    progress.report(Stage::Font, 0, 0);
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let response = JsFuture::from(scope.fetch_with_str(url))
        .await
        .map_err(|_| format!("the report font {url} cannot be loaded (offline and not cached?)"))?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!(
            "the report font {url} cannot be loaded: HTTP {}",
            response.status()
        ));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| "font: no body")?)
        .await
        .map_err(|_| "font: the download broke off")?;
    install_font(url, Uint8Array::new(&buffer).to_vec(), progress)
}

/// Inflates (`.gz`), parses and keeps the font of `url`.
fn install_font(url: &str, packed: Vec<u8>, progress: Progress) -> Result<(Arc<[u8]>, Rc<Fonts>)> {
    progress.report(Stage::Font, 0, 0);
    let bytes = if url.ends_with(".gz") {
        let mut out = Vec::with_capacity(packed.len() * 3);
        flate2::read::GzDecoder::new(packed.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| format!("font {url}: {e}"))?;
        out
    } else {
        packed
    };
    let fonts = Fonts::new(&bytes, zicha_report::DEFAULT_FONT_FACE)
        .map_err(|e| format!("font {url}: {e}"))?;
    let bytes: Arc<[u8]> = bytes.into();
    let fonts = Rc::new(fonts);
    FONT.with(|font| {
        *font.borrow_mut() = Some((url.to_owned(), bytes.clone(), fonts.clone()));
    });
    Ok((bytes, fonts))
}

async fn fonts(url: &str, progress: Progress) -> Result<Rc<Fonts>> {
    Ok(font(url, progress).await?.1)
}

async fn appearance_font(url: &str, progress: Progress) -> Result<AppearanceFont> {
    let (bytes, _) = font(url, progress).await?;
    AppearanceFont::new(bytes, zicha_report::DEFAULT_FONT_FACE).map_err(|e| e.to_string())
}

/// `text` as a QR code (error correction M) in SVG, 4 modules of quiet zone.
fn qr_svg(text: &str) -> Result<String> {
    let code = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium)
        .map_err(|e| format!("qr: {e:?}"))?;
    let size = code.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" shape-rendering="crispEdges" role="img"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}
