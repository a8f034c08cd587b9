//! Export, backup and restore through the report worker: the page gathers records and photo
//! bytes from IndexedDB, the worker writes or reads the zip (state/backup.rs runs there, so zip
//! and deflate stay out of the app shell).

use std::collections::BTreeSet;

use crate::services::{blobs, checklist_source, imported, worker};
use crate::state::Data;
use crate::state::backup::{self, Photo, Photos, Restored};
use crate::state::imported::ImportedChecklist;
use crate::state::jobs::{Job, PhotoRef, Reply, Snapshot};

/// Photo references for a job and their bytes, numbered from `first_index`.
pub fn pack_photos(photos: Photos, first_index: usize) -> (Vec<PhotoRef>, Vec<Vec<u8>>) {
    let mut refs = Vec::new();
    let mut bytes = Vec::new();
    for (offset, (sha256, photo)) in photos.into_iter().enumerate() {
        refs.push(PhotoRef {
            sha256,
            ext: photo.ext,
            index: first_index + offset,
        });
        bytes.push(photo.bytes);
    }
    (refs, bytes)
}

/// The TOML text of the checklist an inspection uses: none when the inspection or its checklist
/// (id, version and hash) is not in the index of this build; an error when it is but its
/// text cannot be fetched (services/checklist_source.rs).
pub async fn checklist_source(data: &Data, inspection_id: &str) -> Result<Option<String>, String> {
    let Some(stored) = data.inspections.get(inspection_id) else {
        return Ok(None);
    };
    let reference = &stored.inspection.checklist;
    if zicha_core::catalog::indexed(reference).is_none() {
        return Ok(None);
    }
    checklist_source::source(reference)
        .await
        .map(Some)
        .map_err(|e| e.0)
}

/// One inspection as a `.zicha` bundle: (file name, bytes).
pub async fn export_bundle(data: &Data, inspection_id: &str) -> Result<(String, Vec<u8>), String> {
    let photos = blobs::photo_bytes(backup::photo_refs(data, inspection_id))
        .await
        .map_err(|e| e.0)?;
    let (photos, bytes) = pack_photos(photos, 0);
    let job = Job::ExportBundle {
        snapshot: Snapshot::of_inspection(data, inspection_id),
        inspection_id: inspection_id.to_owned(),
        checklist_source: checklist_source(data, inspection_id).await?,
        photos,
    };
    let done = worker::run(&job, bytes, None, None).await?;
    match (done.reply, done.bytes.into_iter().next()) {
        (Reply::File { name }, Some(zip)) => Ok((name, zip)),
        _ => Err("the worker gave no bundle".into()),
    }
}

/// The backup file of everything.
pub async fn backup(data: &Data) -> Result<Vec<u8>, String> {
    let refs = data
        .inspections
        .keys()
        .flat_map(|id| backup::photo_refs(data, id))
        .collect::<BTreeSet<_>>();
    let photos = blobs::photo_bytes(refs).await.map_err(|e| e.0)?;
    let (photos, bytes) = pack_photos(photos, 0);
    // Each checklist's text once, fetched for the first inspection that uses it.
    let mut references = Vec::new();
    for stored in data.inspections.values() {
        let reference = &stored.inspection.checklist;
        if zicha_core::catalog::indexed(reference).is_some() && !references.contains(&reference) {
            references.push(reference);
        }
    }
    let mut checklist_sources: Vec<String> = Vec::new();
    for reference in references {
        checklist_sources.push(checklist_source::source(reference).await.map_err(|e| e.0)?);
    }
    // Every imported checklist, used or not, so that a restore brings them all back.
    let imported = imported::all()
        .await?
        .into_iter()
        .map(|record| record.toml)
        .collect();
    let job = Job::Backup {
        snapshot: Snapshot::from(data),
        checklist_sources,
        imported,
        photos,
    };
    let done = worker::run(&job, bytes, None, None).await?;
    done.bytes
        .into_iter()
        .next()
        .ok_or_else(|| "the worker gave no backup".into())
}

/// Reads a backup or a `.zicha` file: its records and photos, and the checklists it carries
/// (to be stored with services/imported.rs before the records go to the shell).
pub async fn restore(file: Vec<u8>) -> Result<(Restored, Vec<ImportedChecklist>), String> {
    let done = worker::run(&Job::Restore, vec![file], None, None).await?;
    let Reply::Restored {
        snapshot,
        photos,
        full_backup,
        checklists,
    } = done.reply
    else {
        return Err("the worker gave no records".into());
    };
    let mut bytes: Vec<Option<Vec<u8>>> = done.bytes.into_iter().map(Some).collect();
    let mut restored_photos = Photos::new();
    for photo in photos {
        let data = bytes
            .get_mut(photo.index)
            .and_then(Option::take)
            .ok_or_else(|| format!("photo {} is missing", photo.sha256))?;
        restored_photos.insert(
            photo.sha256,
            Photo {
                ext: photo.ext,
                bytes: data,
            },
        );
    }
    let restored = Restored {
        data: snapshot.into_data(),
        photos: restored_photos,
        full_backup,
        // The worker read them into `checklists`.
        checklists: Vec::new(),
    };
    Ok((restored, checklists))
}
