//! The `.zicha` inspection bundle: the one exchange format of the app's backup and export, the CLI
//! and the tests. A zip file holding
//!
//! - `inspection.json`: [`BundleData`] with `schema_version` (a newer version is refused);
//! - `photos/<sha256>.<ext>`: every photo the data refers to, named by its content hash;
//! - `checklist.toml`: the checklist text, so that the bundle can be re-scored even after the
//!   built-in checklist has moved on (its hash must equal the inspection's checklist hash).
//!
//! Writing is deterministic: entries in a fixed order with a fixed timestamp, so the same data gives
//! the same bytes.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use serde::{Deserialize, Serialize};

use crate::checklist::{self, Checklist};
use crate::hash::Sha256;
use crate::inspection::Inspection;
use crate::ledger::Hazard;
use crate::limits::{
    MAX_BUNDLE_BYTES, MAX_BUNDLE_ENTRIES, MAX_COMPRESSION_RATIO, MAX_ENTRY_BYTES, RATIO_FREE_BYTES,
};
use crate::org::{Organisation, Project};
use crate::{Error, Result};

/// The `inspection.json` schema version written by this build.
pub const SCHEMA_VERSION: u32 = 1;

/// Largest buffer reserved for an entry before reading it, in bytes: a phone photo is a few MB.
const INITIAL_ENTRY_BYTES: u64 = 32 * 1024 * 1024;

#[cfg(test)]
mod limits_tests;

/// The content of `inspection.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleData {
    /// Schema version of this file.
    pub schema_version: u32,
    /// The enterprise.
    pub organisation: Organisation,
    /// The project, when the inspection is of one (construction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Project>,
    /// The inspection and its answers.
    pub inspection: Inspection,
    /// The hazards found (the ledger of this inspection).
    #[serde(default)]
    pub hazards: Vec<Hazard>,
    /// Every photo in the bundle.
    #[serde(default)]
    pub photos: Vec<PhotoMeta>,
}

impl BundleData {
    /// The project's register of 重大危险源 / 危大工程 (empty without a project), for
    /// [`crate::score::score_with`].
    pub fn major_sources(&self) -> &[crate::org::MajorSource] {
        self.project
            .as_ref()
            .map_or(&[], |project| project.major_sources.as_slice())
    }

    /// `inspection.json` exactly as a bundle stores it (pretty-printed JSON). Reports attach the
    /// same bytes, so the file extracted from a report equals the bundle's entry.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self)
            .map_err(|error| Error::Bundle(format!("cannot write inspection.json: {error}")))
    }
}

/// What the data says about a photo; the bytes are `photos/<sha256>.<ext>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoMeta {
    /// Content hash of the file.
    pub sha256: Sha256,
    /// File extension: jpg, png or webp.
    pub ext: String,
    /// Caption.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
}

/// An inspection with its photos and checklist text.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// `inspection.json`.
    pub data: BundleData,
    /// Photo bytes by content hash.
    pub photos: BTreeMap<Sha256, Vec<u8>>,
    /// `checklist.toml`, when included.
    pub checklist_source: Option<String>,
}

const PHOTO_EXTS: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

impl Bundle {
    /// Adds a photo (bytes) and returns its hash; adding the same bytes twice keeps one copy.
    pub fn add_photo(&mut self, bytes: Vec<u8>, ext: &str, caption: &str) -> Sha256 {
        let sha256 = Sha256::of(&bytes);
        if !self.photos.contains_key(&sha256) {
            self.data.photos.push(PhotoMeta {
                sha256,
                ext: ext.to_owned(),
                caption: caption.to_owned(),
            });
            self.photos.insert(sha256, bytes);
        }
        sha256
    }

    /// The checklist to score this bundle with: the embedded `checklist.toml` when present, else the
    /// built-in one with the same id, version and hash.
    pub fn checklist(&self) -> Result<Checklist> {
        let reference = &self.data.inspection.checklist;
        if let Some(source) = &self.checklist_source {
            let (parsed, problems) = checklist::parse_recorded(source);
            return match parsed {
                Some(parsed) if problems.is_empty() && parsed.reference() == *reference => {
                    Ok(parsed)
                }
                Some(parsed) if problems.is_empty() => Err(Error::Bundle(format!(
                    "checklist.toml is {} {} ({}), but inspection.json refers to {} {} ({})",
                    parsed.id,
                    parsed.version,
                    parsed.hash.short(12),
                    reference.id,
                    reference.version,
                    reference.hash.short(12)
                ))),
                _ => Err(Error::Bundle(format!(
                    "checklist.toml has problems: {}",
                    problems.first().map_or(String::new(), |p| format!(
                        "{}:{}: {}",
                        p.line, p.column, p.message
                    ))
                ))),
            };
        }
        crate::catalog::resolve(reference).cloned().ok_or_else(|| {
            Error::Bundle(format!(
                "the bundle has no checklist.toml and this Zicha has no checklist {} version {} with hash {}",
                reference.id,
                reference.version,
                reference.hash.short(12)
            ))
        })
    }

    /// Checks the whole bundle: organisation and project fields, every answer against the
    /// checklist, every hazard's history, and that every referenced photo is present.
    pub fn validate(&self, checklist: &Checklist) -> Result<()> {
        let data = &self.data;
        data.organisation.validate()?;
        if let Some(project) = &data.project {
            project.validate()?;
        }
        data.inspection.validate(checklist)?;
        let mut hazard_ids = std::collections::HashSet::new();
        for (idx, hazard) in data.hazards.iter().enumerate() {
            let field = format!("hazards[{idx}]");
            hazard.validate(&field)?;
            if !hazard_ids.insert(hazard.id.as_str()) {
                return Err(Error::invalid(
                    format!("{field}.id"),
                    format!("{} is used twice", hazard.id),
                ));
            }
            if let Some(item) = &hazard.item
                && checklist.item(item).is_none()
            {
                return Err(Error::invalid(
                    format!("{field}.item"),
                    format!("{item} is not in the checklist"),
                ));
            }
        }
        let referenced = data
            .inspection
            .photo_hashes()
            .map(|hash| ("inspection.answers", hash))
            .chain(
                data.hazards
                    .iter()
                    .flat_map(|h| h.photos_before.iter().chain(&h.photos_after))
                    .map(|hash| ("hazards", hash)),
            );
        for (field, hash) in referenced {
            if !self.photos.contains_key(hash) {
                return Err(Error::invalid(
                    field,
                    format!("photo {hash} is not in the bundle"),
                ));
            }
        }
        for meta in &data.photos {
            if !self.photos.contains_key(&meta.sha256) {
                return Err(Error::invalid(
                    "photos",
                    format!("photo {} is listed but missing", meta.sha256),
                ));
            }
        }
        Ok(())
    }

    /// Writes the zip file.
    pub fn to_zip(&self) -> Result<Vec<u8>> {
        let zip_error =
            |error: zip::result::ZipError| Error::Bundle(format!("cannot write the zip: {error}"));
        let io_error =
            |error: std::io::Error| Error::Bundle(format!("cannot write the zip: {error}"));
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        // Photos are already compressed: store them as they are.
        let stored = deflated.compression_method(zip::CompressionMethod::Stored);

        let json = self.data.to_json()?;
        writer
            .start_file("inspection.json", deflated)
            .map_err(zip_error)?;
        writer.write_all(&json).map_err(io_error)?;
        if let Some(source) = &self.checklist_source {
            writer
                .start_file("checklist.toml", deflated)
                .map_err(zip_error)?;
            writer.write_all(source.as_bytes()).map_err(io_error)?;
        }
        for (hash, bytes) in &self.photos {
            let ext = self
                .data
                .photos
                .iter()
                .find(|meta| meta.sha256 == *hash)
                .map_or("jpg", |meta| meta.ext.as_str());
            writer
                .start_file(format!("photos/{hash}.{ext}"), stored)
                .map_err(zip_error)?;
            writer.write_all(bytes).map_err(io_error)?;
        }
        Ok(writer.finish().map_err(zip_error)?.into_inner())
    }

    /// Reads a zip file. Checks the schema version first, then the JSON (errors carry line and
    /// column), then that every photo's bytes match the hash in its name.
    pub fn from_zip(bytes: &[u8]) -> Result<Bundle> {
        Bundle::from_zip_reader(Cursor::new(bytes))
    }

    /// [`Bundle::from_zip`] from a reader: a caller with a file hands it over, so that the zip is
    /// not held in memory next to the photos read out of it (twice a 109 MB bundle, issue 18).
    pub fn from_zip_reader(reader: impl Read + std::io::Seek) -> Result<Bundle> {
        let mut archive = zip::ZipArchive::new(reader)
            .map_err(|error| Error::Bundle(format!("not a .zicha bundle (zip): {error}")))?;
        if archive.len() > MAX_BUNDLE_ENTRIES {
            return Err(Error::Bundle(format!(
                "the bundle has {} entries, more than {MAX_BUNDLE_ENTRIES} (limits::MAX_BUNDLE_ENTRIES)",
                archive.len()
            )));
        }
        let mut total_bytes = 0u64;
        let mut json = None;
        let mut checklist_source = None;
        let mut photos = BTreeMap::new();
        for idx in 0..archive.len() {
            let mut entry = archive
                .by_index(idx)
                .map_err(|error| Error::Bundle(format!("cannot read zip entry {idx}: {error}")))?;
            let name = entry.name().to_owned();
            if entry.is_dir() {
                continue;
            }
            let allowed = entry_limit(entry.compressed_size(), total_bytes);
            let size = entry.size();
            let content = read_entry(&mut entry, &name, size, &allowed)?;
            total_bytes += content.len() as u64;
            if name == "inspection.json" {
                json = Some(content);
            } else if name == "checklist.toml" {
                checklist_source = Some(
                    String::from_utf8(content)
                        .map_err(|_| Error::Bundle("checklist.toml is not UTF-8".to_owned()))?,
                );
            } else if let Some(file) = name.strip_prefix("photos/") {
                let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
                let hash = Sha256::parse_hex(stem).ok_or_else(|| {
                    Error::Bundle(format!(
                        "{name}: a photo must be named photos/<sha256>.<ext>"
                    ))
                })?;
                if !PHOTO_EXTS.contains(&ext.to_ascii_lowercase().as_str()) {
                    return Err(Error::Bundle(format!(
                        "{name}: unsupported photo type .{ext}"
                    )));
                }
                if Sha256::of(&content) != hash {
                    return Err(Error::Bundle(format!(
                        "{name}: content does not match its SHA-256 (damaged file)"
                    )));
                }
                photos.insert(hash, content);
            }
            // Other entries are ignored, so that a later minor version may add files.
        }
        let json = json.ok_or_else(|| Error::Bundle("inspection.json is missing".to_owned()))?;
        let data = parse_data(&json)?;
        Ok(Bundle {
            data,
            photos,
            checklist_source,
        })
    }
}

/// Reads one zip entry of `size` bytes by its header, refusing more than `limit.bytes` however
/// much the entry inflates to (the error says which limit it reached). Sized from the header: grown by doubling as it is read, a photo's
/// buffer was up to twice the photo (a 109 MB bundle took 200 MB). A header is not trusted beyond
/// INITIAL_ENTRY_BYTES; a larger entry grows from there.
fn read_entry(entry: impl Read, name: &str, size: u64, limit: &EntryLimit) -> Result<Vec<u8>> {
    let cap = limit.bytes;
    let mut content = Vec::with_capacity(size.min(INITIAL_ENTRY_BYTES).min(cap) as usize);
    entry
        .take(cap + 1)
        .read_to_end(&mut content)
        .map_err(|error| Error::Bundle(format!("cannot read {name}: {error}")))?;
    if content.len() as u64 > cap {
        return Err(Error::Bundle(format!("{name} {}", limit.reached)));
    }
    Ok(content)
}

/// How many bytes an entry may inflate to, and what it reaches when it inflates to more.
struct EntryLimit {
    bytes: u64,
    reached: String,
}

/// The limit on an entry of `compressed` bytes read after `read_so_far` bytes of the others: the
/// least of [`MAX_ENTRY_BYTES`], what [`MAX_BUNDLE_BYTES`] leaves and
/// [`MAX_COMPRESSION_RATIO`] times its compressed size (at least [`RATIO_FREE_BYTES`]).
fn entry_limit(compressed: u64, read_so_far: u64) -> EntryLimit {
    let by_ratio = compressed
        .saturating_mul(MAX_COMPRESSION_RATIO)
        .max(RATIO_FREE_BYTES);
    let left = MAX_BUNDLE_BYTES.saturating_sub(read_so_far);
    let (bytes, reached) = [
        (
            MAX_ENTRY_BYTES,
            format!("is larger than {MAX_ENTRY_BYTES} bytes (limits::MAX_ENTRY_BYTES)"),
        ),
        (
            left,
            format!(
                "takes the bundle beyond {MAX_BUNDLE_BYTES} uncompressed bytes (limits::MAX_BUNDLE_BYTES)"
            ),
        ),
        (
            by_ratio,
            format!(
                "inflates more than {MAX_COMPRESSION_RATIO} times its {compressed} compressed bytes \
                 (limits::MAX_COMPRESSION_RATIO)"
            ),
        ),
    ]
    .into_iter()
    .min_by_key(|(bytes, _)| *bytes)
    .unwrap_or((0, String::new()));
    EntryLimit { bytes, reached }
}

/// Parses `inspection.json`, refusing a newer schema before looking at anything else.
pub fn parse_data(json: &[u8]) -> Result<BundleData> {
    #[derive(Deserialize)]
    struct VersionOnly {
        schema_version: Option<u32>,
    }
    let at = |error: serde_json::Error| {
        // serde_json appends "at line X column Y"; the position goes in front, compiler style.
        let message = error.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        Error::Bundle(format!(
            "inspection.json:{}:{}: {message}",
            error.line(),
            error.column()
        ))
    };
    let version: VersionOnly = serde_json::from_slice(json).map_err(at)?;
    match version.schema_version {
        None => {
            return Err(Error::Bundle(
                "inspection.json: missing field `schema_version`".to_owned(),
            ));
        }
        Some(found) if found > SCHEMA_VERSION => {
            return Err(Error::UnsupportedVersion {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Some(0) => {
            return Err(Error::Bundle(
                "inspection.json: `schema_version` 0 is not valid".to_owned(),
            ));
        }
        Some(_) => {}
    }
    serde_json::from_slice(json).map_err(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_over_the_cap_is_refused_whatever_its_header_says() {
        // The cap is MAX_ENTRY_BYTES (256 MiB) in from_zip_reader; here a small one, so that the
        // test inflates nothing big. At the cap: read; one byte over: refused, by the bytes read
        // and not by the header (which a zip bomb sets small).
        let limit = EntryLimit {
            bytes: 1000,
            reached: "is larger than 1000 bytes".to_owned(),
        };
        let at_cap = vec![7u8; 1000];
        assert_eq!(
            read_entry(&at_cap[..], "photos/a.jpg", 1000, &limit).unwrap(),
            at_cap
        );
        let over = vec![7u8; 1001];
        let error = read_entry(&over[..], "photos/a.jpg", 10, &limit).unwrap_err();
        assert_eq!(
            error.to_string(),
            "bundle: photos/a.jpg is larger than 1000 bytes"
        );
        // A header claiming more than the cap reserves no more than the cap.
        let small = EntryLimit {
            bytes: 8,
            reached: String::new(),
        };
        assert_eq!(
            read_entry(&b"abc"[..], "x", u64::MAX, &small).unwrap(),
            b"abc"
        );
    }
}
