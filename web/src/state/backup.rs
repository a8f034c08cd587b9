//! Export, backup and restore through zicha-core's `.zicha` bundle, the one exchange format.
//!
//! - One inspection exports as one bundle (`Bundle::to_zip`), with its project, hazards, photos
//!   and checklist text.
//! - A backup is a zip of `manifest.json` (profile, projects, language, which project each
//!   inspection belongs to) and `inspections/<id>.zicha`, one bundle per inspection. Restoring
//!   it gives back exactly the same records, so the bundles exported after a restore are byte for
//!   byte those exported before.
//! - Restoring a single `.zicha` file imports that inspection next to the existing data.
//! - A backup also carries every imported checklist (state/imported.rs) as
//!   `checklists/<hash>.toml`, listed in the manifest, so that one no inspection uses yet survives
//!   a restore too; restoring gives back those and every bundle's checklist.toml
//!   ([`Restored::checklists`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write as _};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use zicha_core::bundle::{Bundle, BundleData, PhotoMeta, SCHEMA_VERSION};
use zicha_core::hash::Sha256;
use zicha_core::org::Organisation;

use crate::i18n::Lang;
use crate::state::{Data, StoredHazard, StoredInspection, StoredProject};

/// A photo's bytes and file extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// jpg, png or webp.
    pub ext: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// Photos by content hash.
pub type Photos = BTreeMap<Sha256, Photo>;

const FORMAT: &str = "zicha-backup";
const BACKUP_VERSION: u32 = 1;
const MAX_ENTRY_BYTES: u64 = 1024 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    #[serde(default)]
    profile: Option<Organisation>,
    #[serde(default)]
    lang: Lang,
    #[serde(default)]
    projects: Vec<StoredProject>,
    #[serde(default)]
    inspections: Vec<ManifestEntry>,
    /// The imported checklists' files (absent from backups made before them, and then not
    /// written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    checklists: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestEntry {
    id: String,
    #[serde(default)]
    project_id: Option<String>,
    file: String,
}

/// Every photo one inspection refers to: its answers and its hazards' before and after photos.
pub fn photo_refs(data: &Data, inspection_id: &str) -> BTreeSet<Sha256> {
    let mut refs = BTreeSet::new();
    if let Some(stored) = data.inspections.get(inspection_id) {
        refs.extend(stored.inspection.photo_hashes().copied());
    }
    for stored in data.hazards.values() {
        if stored.inspection_id == inspection_id {
            refs.extend(stored.hazard.photos_before.iter().copied());
            refs.extend(stored.hazard.photos_after.iter().copied());
        }
    }
    refs
}

/// The TOML text among `sources` of the checklist an inspection refers to (by content hash).
pub fn source_for<'a>(
    sources: &'a [String],
    reference: &zicha_core::checklist::ChecklistRef,
) -> Option<&'a str> {
    sources
        .iter()
        .map(String::as_str)
        .find(|source| zicha_core::checklist::content_hash(source) == reference.hash)
}

/// The bundle of one inspection. `photos` must hold every photo in [`photo_refs`]; `sources` are
/// checklist TOML texts, the one the inspection refers to is embedded.
pub fn bundle_for(
    data: &Data,
    inspection_id: &str,
    photos: &Photos,
    sources: &[String],
) -> Result<Bundle, String> {
    let stored = data
        .inspections
        .get(inspection_id)
        .ok_or_else(|| format!("no inspection {inspection_id}"))?;
    let mut bundle = Bundle {
        data: BundleData {
            schema_version: SCHEMA_VERSION,
            organisation: data.profile.as_deref().cloned().unwrap_or_default(),
            project: data.project_of(stored).map(|p| p.project.clone()),
            inspection: stored.inspection.clone(),
            hazards: data.hazards_of(inspection_id),
            photos: Vec::new(),
        },
        photos: BTreeMap::new(),
        checklist_source: source_for(sources, &stored.inspection.checklist).map(str::to_owned),
    };
    for hash in photo_refs(data, inspection_id) {
        let photo = photos
            .get(&hash)
            .ok_or_else(|| format!("photo {hash} is missing from storage"))?;
        bundle.data.photos.push(PhotoMeta {
            sha256: hash,
            ext: photo.ext.clone(),
            caption: String::new(),
        });
        bundle.photos.insert(hash, photo.bytes.clone());
    }
    Ok(bundle)
}

/// The file name of an inspection's bundle: enterprise, checklist, date.
pub fn bundle_file_name(data: &Data, inspection_id: &str) -> String {
    let Some(stored) = data.inspections.get(inspection_id) else {
        return format!("{inspection_id}.zicha");
    };
    let organisation = data
        .profile
        .as_ref()
        .map(|p| p.name.trim().to_owned())
        .filter(|name| !name.is_empty());
    let date = zicha_core::inspection::date_format::format(stored.inspection.date);
    let name = match organisation {
        Some(name) => format!("{name}-{}-{date}", stored.inspection.checklist.id),
        None => format!("{}-{date}", stored.inspection.checklist.id),
    };
    let safe: String = name
        .chars()
        .map(|c| if "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect();
    format!("{safe}.zicha")
}

/// The backup file: `manifest.json`, one bundle per inspection, and the `imported` checklist
/// files (each once).
pub fn backup_zip(
    data: &Data,
    photos: &Photos,
    sources: &[String],
    imported: &[String],
) -> Result<Vec<u8>, String> {
    let mut imported_files: Vec<(String, &str)> = Vec::new();
    for text in imported {
        let file = format!(
            "checklists/{}.toml",
            zicha_core::checklist::content_hash(text)
        );
        if !imported_files.iter().any(|(known, _)| *known == file) {
            imported_files.push((file, text));
        }
    }
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: BACKUP_VERSION,
        profile: data.profile.as_deref().cloned(),
        lang: data.lang,
        projects: data.projects.values().map(|p| (**p).clone()).collect(),
        inspections: data
            .inspections
            .values()
            .map(|stored| ManifestEntry {
                id: stored.inspection.id.clone(),
                project_id: stored.project_id.clone(),
                file: format!("inspections/{}.zicha", stored.inspection.id),
            })
            .collect(),
        checklists: imported_files
            .iter()
            .map(|(file, _)| file.clone())
            .collect(),
    };
    let error = |error: &dyn std::fmt::Display| format!("cannot write the backup: {error}");
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let stored = deflated.compression_method(zip::CompressionMethod::Stored);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| error(&e))?;
    writer
        .start_file("manifest.json", deflated)
        .map_err(|e| error(&e))?;
    writer.write_all(&json).map_err(|e| error(&e))?;
    for entry in &manifest.inspections {
        let bundle = bundle_for(data, &entry.id, photos, sources)?
            .to_zip()
            .map_err(|e| error(&e))?;
        writer
            .start_file(entry.file.as_str(), stored)
            .map_err(|e| error(&e))?;
        writer.write_all(&bundle).map_err(|e| error(&e))?;
    }
    for (file, text) in &imported_files {
        writer
            .start_file(file.as_str(), deflated)
            .map_err(|e| error(&e))?;
        writer.write_all(text.as_bytes()).map_err(|e| error(&e))?;
    }
    Ok(writer.finish().map_err(|e| error(&e))?.into_inner())
}

/// What a backup or bundle file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    /// The records.
    pub data: Data,
    /// The photos.
    pub photos: Photos,
    /// A full backup (replaces everything) rather than one bundle (added to the data).
    pub full_backup: bool,
    /// The checklist files the file carries, each once: the backup's imported checklists, then
    /// each bundle's checklist.toml.
    pub checklists: Vec<String>,
}

impl Restored {
    fn add_checklist(&mut self, text: String) {
        let hash = zicha_core::checklist::content_hash(&text);
        if !self
            .checklists
            .iter()
            .any(|known| zicha_core::checklist::content_hash(known) == hash)
        {
            self.checklists.push(text);
        }
    }
}

/// Reads a backup (zip of bundles) or a single `.zicha` bundle.
pub fn restore(bytes: &[u8]) -> Result<Restored, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| format!("not a backup or .zicha file: {error}"))?;
    if archive.index_for_name("inspection.json").is_some() {
        return import_bundle(bytes);
    }
    let manifest: Manifest = serde_json::from_slice(&read_entry(&mut archive, "manifest.json")?)
        .map_err(|error| format!("manifest.json: {error}"))?;
    if manifest.format != FORMAT {
        return Err(format!("manifest.json: format is {:?}", manifest.format));
    }
    if manifest.version > BACKUP_VERSION {
        return Err(format!(
            "the backup has version {}, newer than this app ({BACKUP_VERSION}); update the app",
            manifest.version
        ));
    }
    let mut restored = Restored {
        data: Data {
            profile: manifest.profile.map(Rc::new),
            lang: manifest.lang,
            projects: manifest
                .projects
                .into_iter()
                .map(|project| (project.id.clone(), Rc::new(project)))
                .collect(),
            ..Data::default()
        },
        photos: Photos::new(),
        full_backup: true,
        checklists: Vec::new(),
    };
    for file in &manifest.checklists {
        let text = String::from_utf8(read_entry(&mut archive, file)?)
            .map_err(|_| format!("{file}: not UTF-8 text"))?;
        restored.add_checklist(text);
    }
    for entry in manifest.inspections {
        let bundle = read_bundle(&read_entry(&mut archive, &entry.file)?)
            .map_err(|error| format!("{}: {error}", entry.file))?;
        if bundle.data.inspection.id != entry.id {
            return Err(format!(
                "{}: holds inspection {}, not {}",
                entry.file, bundle.data.inspection.id, entry.id
            ));
        }
        add_bundle(&mut restored, bundle, entry.project_id);
    }
    Ok(restored)
}

fn import_bundle(bytes: &[u8]) -> Result<Restored, String> {
    let bundle = read_bundle(bytes)?;
    let mut restored = Restored {
        data: Data::default(),
        photos: Photos::new(),
        full_backup: false,
        checklists: Vec::new(),
    };
    let organisation = &bundle.data.organisation;
    if !organisation.name.trim().is_empty() {
        restored.data.profile = Some(Rc::new(organisation.clone()));
    }
    let project_id = bundle.data.project.as_ref().map(|project| {
        let id = format!("P-{}", bundle.data.inspection.id);
        restored.data.projects.insert(
            id.clone(),
            Rc::new(StoredProject {
                id: id.clone(),
                project: project.clone(),
            }),
        );
        id
    });
    add_bundle(&mut restored, bundle, project_id);
    Ok(restored)
}

/// Parses a bundle and checks its inspection and hazards against its checklist.
fn read_bundle(bytes: &[u8]) -> Result<Bundle, String> {
    let bundle = Bundle::from_zip(bytes).map_err(|error| error.to_string())?;
    let checklist = bundle.checklist().map_err(|error| error.to_string())?;
    // An inspection from before the 保证项目 rule opens; its 不适用 on a 保证 item shows as still
    // to be checked (zicha_core::inspection::Inspection::validate_to_open).
    bundle
        .data
        .inspection
        .validate_to_open(&checklist)
        .map_err(|error| error.to_string())?;
    for (idx, hazard) in bundle.data.hazards.iter().enumerate() {
        hazard
            .validate(&format!("hazards[{idx}]"))
            .map_err(|error| error.to_string())?;
    }
    Ok(bundle)
}

fn add_bundle(restored: &mut Restored, bundle: Bundle, project_id: Option<String>) {
    if let Some(text) = bundle.checklist_source.clone() {
        restored.add_checklist(text);
    }
    let inspection_id = bundle.data.inspection.id.clone();
    for hazard in bundle.data.hazards {
        restored.data.hazards.insert(
            hazard.id.clone(),
            Rc::new(StoredHazard {
                inspection_id: inspection_id.clone(),
                hazard,
            }),
        );
    }
    restored.data.inspections.insert(
        inspection_id,
        Rc::new(StoredInspection {
            inspection: bundle.data.inspection,
            project_id,
        }),
    );
    for meta in bundle.data.photos {
        if let Some(bytes) = bundle.photos.get(&meta.sha256) {
            restored.photos.insert(
                meta.sha256,
                Photo {
                    ext: meta.ext,
                    bytes: bytes.clone(),
                },
            );
        }
    }
}

/// Adds an imported bundle to `current`: its inspection and hazards replace records with the same
/// ids, its project joins an existing project of the same name, and its enterprise becomes the
/// profile only when none is set. In two steps, because the extra module reads the file and the
/// shell's store writes the records (state/port.rs): [`joined`] there, [`added`] here.
pub fn merged(current: &Data, imported: Data) -> Data {
    added(current, joined(current, imported))
}

/// The imported records, a project dropped where `current` has one of the same name and its
/// inspections made to refer to that one instead.
pub fn joined(current: &Data, imported: Data) -> Data {
    let mut joined = Data {
        profile: imported.profile,
        lang: imported.lang,
        hazards: imported.hazards,
        ..Data::default()
    };
    let mut project_ids = BTreeMap::new();
    for (id, project) in imported.projects {
        let existing = current
            .projects
            .values()
            .find(|p| p.project.name == project.project.name)
            .map(|p| p.id.clone());
        match existing {
            Some(existing) => {
                project_ids.insert(id, existing);
            }
            None => {
                joined.projects.insert(id, project);
            }
        }
    }
    for (id, stored) in imported.inspections {
        let mut stored = (*stored).clone();
        if let Some(project_id) = stored.project_id.as_ref().and_then(|p| project_ids.get(p)) {
            stored.project_id = Some(project_id.clone());
        }
        joined.inspections.insert(id, Rc::new(stored));
    }
    joined
}

/// `current` with the `imported` records added (they replace records with the same ids); the
/// imported profile only when `current` has none.
pub fn added(current: &Data, imported: Data) -> Data {
    let mut data = current.clone();
    if data.profile.is_none() {
        data.profile = imported.profile;
    }
    data.projects.extend(imported.projects);
    data.inspections.extend(imported.inspections);
    data.hazards.extend(imported.hazards);
    data
}

fn read_entry(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, String> {
    let entry = archive
        .by_name(name)
        .map_err(|error| format!("{name}: {error}"))?;
    let mut content = Vec::new();
    entry
        .take(MAX_ENTRY_BYTES)
        .read_to_end(&mut content)
        .map_err(|error| format!("{name}: {error}"))?;
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zicha_core::org::Project;

    fn sources() -> Vec<String> {
        zicha_core::catalog::SOURCES
            .iter()
            .map(|(_, source)| (*source).to_owned())
            .collect()
    }

    /// Data from zicha-core's sample: profile, project, inspection, hazards, photos.
    fn sample() -> (Data, Photos) {
        let checklist = zicha_core::catalog::by_id("construction").unwrap();
        let source = zicha_core::catalog::source_of(&checklist.reference());
        let mut bundle =
            zicha_core::sample::sample(checklist, source, 7, time::macros::date!(2026 - 01 - 15));
        // The sample has no photos: give the first answer and the first hazard one each.
        let answer_photo = bundle.add_photo(b"answer photo".to_vec(), "jpg", "");
        let hazard_photo = bundle.add_photo(b"hazard photo".to_vec(), "png", "");
        let first = bundle.data.inspection.answers.values_mut().next().unwrap();
        first.photos.push(answer_photo);
        bundle.data.hazards[0].photos_before.push(hazard_photo);
        let mut restored = Restored {
            data: Data::default(),
            photos: Photos::new(),
            full_backup: true,
            checklists: Vec::new(),
        };
        restored.data.profile = Some(Rc::new(bundle.data.organisation.clone()));
        restored.data.projects.insert(
            "P-1".into(),
            Rc::new(StoredProject {
                id: "P-1".into(),
                project: bundle.data.project.clone().unwrap_or_default(),
            }),
        );
        add_bundle(&mut restored, bundle, Some("P-1".into()));
        restored.data.projects.insert(
            "P-2".into(),
            Rc::new(StoredProject {
                id: "P-2".into(),
                project: Project {
                    name: "空项目".into(),
                    ..Project::default()
                },
            }),
        );
        (restored.data, restored.photos)
    }

    #[test]
    fn backup_round_trips_exactly() {
        let (data, photos) = sample();
        let id = data.inspections.keys().next().unwrap().clone();
        let before = bundle_for(&data, &id, &photos, &sources())
            .unwrap()
            .to_zip()
            .unwrap();
        let backup = backup_zip(&data, &photos, &sources(), &[]).unwrap();
        let restored = restore(&backup).unwrap();
        assert!(restored.full_backup);
        // The construction checklist, from the bundle.
        assert_eq!(restored.checklists.len(), 1);
        assert!(restored.checklists[0].contains("id = \"construction\""));
        assert_eq!(restored.data, data);
        assert_eq!(restored.photos, photos);
        let after = bundle_for(&restored.data, &id, &restored.photos, &sources())
            .unwrap()
            .to_zip()
            .unwrap();
        assert_eq!(before, after);
        assert_eq!(
            backup_zip(&restored.data, &restored.photos, &sources(), &[]).unwrap(),
            backup
        );
    }

    #[test]
    fn imported_checklists_survive_a_backup_each_once() {
        let (data, photos) = sample();
        let own = "# 企业自定\nid = \"own\"\n".to_owned();
        let school = sources()[18].clone();
        let imported = [own.clone(), school.clone(), own.clone()];
        let backup = backup_zip(&data, &photos, &sources(), &imported).unwrap();
        let restored = restore(&backup).unwrap();
        assert_eq!(restored.data, data);
        // The backup's two, then the bundle's construction checklist.
        assert_eq!(restored.checklists.len(), 3);
        assert_eq!(restored.checklists[..2], [own, school]);
        assert!(restored.checklists[2].contains("id = \"construction\""));
        // A backup without imported checklists has no `checklists` in its manifest: as before.
        let plain = backup_zip(&data, &photos, &sources(), &[]).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(plain.as_slice())).unwrap();
        let manifest =
            String::from_utf8(read_entry(&mut archive, "manifest.json").unwrap()).unwrap();
        assert!(!manifest.contains("checklists"), "{manifest}");
    }

    #[test]
    fn a_single_bundle_is_imported() {
        let (data, photos) = sample();
        let id = data.inspections.keys().next().unwrap().clone();
        let bundle = bundle_for(&data, &id, &photos, &sources())
            .unwrap()
            .to_zip()
            .unwrap();
        let restored = restore(&bundle).unwrap();
        assert!(!restored.full_backup);
        let merged = merged(&data, restored.data);
        assert_eq!(merged.inspections[&id].project_id.as_deref(), Some("P-1"));
        assert_eq!(merged.projects.len(), 2);
        assert_eq!(merged.hazards, data.hazards);
    }

    #[test]
    fn missing_photos_and_bad_files_are_reported() {
        let (data, _) = sample();
        let id = data.inspections.keys().next().unwrap().clone();
        assert_eq!(photo_refs(&data, &id).len(), 2);
        assert!(bundle_for(&data, &id, &Photos::new(), &sources()).is_err());
        assert!(restore(b"not a zip").is_err());
    }
}
