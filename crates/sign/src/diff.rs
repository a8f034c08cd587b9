//! What changed between the revision a signature covers and the final document. Allowed after
//! signing: new signatures with their fields, widgets and appearances, DSS data, document
//! information, and two changes other PAdES tools make in a signing revision: a rewritten XMP
//! metadata stream (the catalog's /Metadata; nothing shown on a page, and Zicha reads its own data
//! from the attachments, never from XMP) and a raised catalog /Version (pyHanko writes both when
//! it adds a signature or validation data, as pyHanko's own difference analysis allows).
//! Everything else (page content, visible annotations, optional content, catalog
//! entries, attachments, removed fields, objects redefined or freed, references to objects that
//! did not exist when signed) is reported as a change.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::findings::Problem;
use crate::limits::{MAX_FIELD_DEPTH, MAX_WALK_OBJECTS as MAX_WALK};
use crate::pdf::{Dictionary, Document, Object, ObjectId, XrefEntry};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Catalog,
    PagesNode,
    Page(usize),
    PageContent(usize),
    PageResource(usize),
    AnnotsArray(usize),
    Annotation(usize),
    AcroForm,
    FieldsArray,
    UnsignedSignatureField,
    Field,
    SignatureDictionary,
    Info,
    Dss,
    Metadata,
    OptionalContent,
    Attachments,
}

/// A signature field: its full name and the reference of its /V signature dictionary (if signed).
pub(crate) struct SignatureField {
    pub(crate) name: String,
    pub(crate) value: Option<Object>,
    pub(crate) id: Option<ObjectId>,
}

/// A terminal field: its object id, dictionary, full name and inherited /FT.
type TerminalField = (Option<ObjectId>, Dictionary, String, Option<Vec<u8>>);

/// The terminal fields of the form (walking /Kids), with their inherited /FT.
fn terminal_fields(document: &Document<'_>) -> Vec<TerminalField> {
    let mut out = Vec::new();
    let Ok(catalog) = document.catalog() else {
        return out;
    };
    let Some(acro_form) = catalog
        .get(b"AcroForm")
        .and_then(|value| document.resolve_dict(value).ok().flatten())
    else {
        return out;
    };
    let Some(fields) = acro_form
        .get(b"Fields")
        .and_then(|value| document.resolve(value).ok())
    else {
        return out;
    };
    let mut visited = HashSet::new();
    let mut stack: Vec<(Object, String, Option<Vec<u8>>, usize)> = fields
        .as_array()
        .unwrap_or(&[])
        .iter()
        .rev()
        .map(|field| (field.clone(), String::new(), None, 0))
        .collect();
    while let Some((field, parent_name, inherited_type, depth)) = stack.pop() {
        if depth > MAX_FIELD_DEPTH || out.len() > MAX_WALK {
            break;
        }
        let id = field.as_reference();
        if let Some(id) = id
            && !visited.insert(id)
        {
            continue;
        }
        let Ok(Some(dict)) = document.resolve_dict(&field) else {
            continue;
        };
        let partial = dict
            .get(b"T")
            .and_then(Object::as_string)
            .map(crate::pdf::decode_text_string);
        let name = match (&partial, parent_name.is_empty()) {
            (Some(partial), true) => partial.clone(),
            (Some(partial), false) => format!("{parent_name}.{partial}"),
            (None, _) => parent_name.clone(),
        };
        let field_type = dict.name(b"FT").map(<[u8]>::to_vec).or(inherited_type);
        match dict
            .get(b"Kids")
            .and_then(|kids| document.resolve(kids).ok())
        {
            Some(Object::Array(kids)) if kids.iter().any(|kid| is_field(document, kid)) => {
                for kid in kids.iter().rev() {
                    stack.push((kid.clone(), name.clone(), field_type.clone(), depth + 1));
                }
            }
            _ => out.push((id, dict, name, field_type)),
        }
    }
    out
}

/// A kid is a field (not just a widget) when it has a partial name or kids of its own.
fn is_field(document: &Document<'_>, kid: &Object) -> bool {
    document
        .resolve_dict(kid)
        .ok()
        .flatten()
        .is_some_and(|dict| dict.get(b"T").is_some() || dict.get(b"Kids").is_some())
}

/// The signature fields of the form.
pub(crate) fn signature_fields(document: &Document<'_>) -> Vec<SignatureField> {
    terminal_fields(document)
        .into_iter()
        .filter(|(_, _, _, field_type)| field_type.as_deref() == Some(b"Sig"))
        .map(|(_, dict, name, _)| SignatureField {
            name,
            value: dict.get(b"V").cloned(),
            id: dict.get(b"V").and_then(Object::as_reference),
        })
        .collect()
}

struct Roles {
    roles: HashMap<u32, Role>,
}

impl Roles {
    fn tag(&mut self, number: u32, role: Role) {
        self.roles.entry(number).or_insert(role);
    }

    fn tag_object(&mut self, object: Option<&Object>, role: Role) {
        if let Some(Object::Reference(id)) = object {
            self.tag(id.0, role);
        }
    }

    /// Tags every object reachable from `start` (bounded) with `role`.
    fn tag_subtree(&mut self, document: &Document<'_>, start: Option<&Object>, role: Role) {
        let Some(start) = start else {
            return;
        };
        let mut queue = VecDeque::new();
        let mut references = Vec::new();
        start.collect_references(&mut references);
        queue.extend(references);
        let mut visited = HashSet::new();
        while let Some(id) = queue.pop_front() {
            if !visited.insert(id) || visited.len() > MAX_WALK {
                continue;
            }
            self.tag(id.0, role);
            if let Ok(object) = document.get(id) {
                let mut references = Vec::new();
                object.collect_references(&mut references);
                queue.extend(references);
            }
        }
    }
}

fn roles_of(document: &Document<'_>, pages: &[ObjectId]) -> Roles {
    let mut roles = Roles {
        roles: HashMap::new(),
    };
    if let Ok(root) = document.root_id() {
        roles.tag(root.0, Role::Catalog);
    }
    roles.tag_object(document.trailer.get(b"Info"), Role::Info);
    let catalog = document.catalog().unwrap_or_default();
    roles.tag_object(catalog.get(b"Pages"), Role::PagesNode);
    for (index, &page_id) in pages.iter().enumerate() {
        roles.tag(page_id.0, Role::Page(index));
        let Ok(Object::Dictionary(page)) = document.get(page_id) else {
            continue;
        };
        if let Some(Object::Reference(parent)) = page.get(b"Parent") {
            roles.tag(parent.0, Role::PagesNode);
        }
        match page.get(b"Contents") {
            Some(Object::Reference(id)) => {
                roles.tag(id.0, Role::PageContent(index));
                if let Ok(Object::Array(items)) = document.get(*id) {
                    items
                        .iter()
                        .for_each(|item| roles.tag_object(Some(item), Role::PageContent(index)));
                }
            }
            Some(Object::Array(items)) => items
                .iter()
                .for_each(|item| roles.tag_object(Some(item), Role::PageContent(index))),
            _ => {}
        }
        roles.tag_object(page.get(b"Annots"), Role::AnnotsArray(index));
        if let Some(annots) = page
            .get(b"Annots")
            .and_then(|annots| document.resolve(annots).ok())
        {
            for annot in annots.as_array().unwrap_or(&[]) {
                roles.tag_object(Some(annot), Role::Annotation(index));
            }
        }
        roles.tag_object(page.get(b"Resources"), Role::PageResource(index));
        if let Some(Ok(Some(resources))) = page
            .get(b"Resources")
            .map(|value| document.resolve_dict(value))
        {
            for (_, category) in resources.iter() {
                roles.tag_object(Some(category), Role::PageResource(index));
                if let Ok(Some(category)) = document.resolve_dict(category) {
                    for (_, resource) in category.iter() {
                        roles.tag_object(Some(resource), Role::PageResource(index));
                    }
                }
            }
        }
    }
    if let Some(acro_form) = catalog.get(b"AcroForm") {
        roles.tag_object(Some(acro_form), Role::AcroForm);
        if let Ok(Some(dict)) = document.resolve_dict(acro_form) {
            roles.tag_object(dict.get(b"Fields"), Role::FieldsArray);
        }
    }
    for (id, dict, _, field_type) in terminal_fields(document) {
        let Some(id) = id else { continue };
        if field_type.as_deref() == Some(b"Sig") {
            match dict.get(b"V") {
                Some(value) => {
                    roles.tag_object(Some(value), Role::SignatureDictionary);
                    roles.tag(id.0, Role::Field);
                }
                None => roles.tag(id.0, Role::UnsignedSignatureField),
            }
        } else {
            roles.tag(id.0, Role::Field);
        }
    }
    roles.tag_object(catalog.get(b"Metadata"), Role::Metadata);
    roles.tag_object(catalog.get(b"DSS"), Role::Dss);
    roles.tag_subtree(document, catalog.get(b"DSS"), Role::Dss);
    roles.tag_subtree(
        document,
        catalog.get(b"OCProperties"),
        Role::OptionalContent,
    );
    roles.tag_subtree(document, catalog.get(b"Names"), Role::Attachments);
    roles.tag_subtree(document, catalog.get(b"AF"), Role::Attachments);
    roles
}

/// Every object number referenced from the document as a reader reaches it (including
/// references to objects that do not exist).
fn reachable_references(document: &Document<'_>) -> HashSet<u32> {
    let mut referenced = HashSet::new();
    let mut visited = HashSet::new();
    let mut queue: VecDeque<ObjectId> = VecDeque::new();
    let mut start = Vec::new();
    Object::Dictionary(document.trailer.clone()).collect_references(&mut start);
    queue.extend(start);
    while let Some(id) = queue.pop_front() {
        referenced.insert(id.0);
        if !visited.insert(id) || visited.len() > MAX_WALK {
            continue;
        }
        if let Ok(object) = document.get(id) {
            let mut references = Vec::new();
            object.collect_references(&mut references);
            queue.extend(references);
        }
    }
    referenced
}

/// Everything disallowed that changed from `old` (the signed revision) to `new` (the final one).
pub(crate) fn changes_after(old: &Document<'_>, new: &Document<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let old_pages = match old.pages() {
        Ok(pages) => pages,
        Err(error) => return vec![Problem::UnreadableRevision(error.to_string())],
    };
    let roles = roles_of(old, &old_pages);
    let (Ok(old_root), Ok(new_root)) = (old.root_id(), new.root_id()) else {
        return vec![Problem::RootReplaced];
    };
    let (Ok(old_catalog), Ok(new_catalog)) = (old.catalog(), new.catalog()) else {
        return vec![Problem::RootReplaced];
    };
    let mut checker = Checker {
        old,
        new,
        problems: &mut problems,
    };
    checker.compare_catalog(&old_catalog, &new_catalog);
    let mut referenced: Option<HashSet<u32>> = None;

    let numbers: Vec<u32> = {
        let mut numbers: Vec<u32> = old
            .entries
            .keys()
            .chain(new.entries.keys())
            .copied()
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    };
    for number in numbers {
        let old_entry = old.entries.get(&number).copied().unwrap_or(XrefEntry::Free);
        let new_entry = new.entries.get(&number).copied().unwrap_or(XrefEntry::Free);
        if old_entry == new_entry
            || number == old_root.0 && old_root == new_root && old_catalog == new_catalog
        {
            continue;
        }
        let old_id = entry_id(number, old_entry);
        let new_id = entry_id(number, new_entry);
        let old_object = old_id.map(|id| old.get(id));
        let role = roles.roles.get(&number).copied();
        match (old_object, new_id) {
            // Added: harmless unless something signed already referred to that number.
            (None, Some(_)) | (Some(Ok(Object::Null)), Some(_)) => {
                let referenced = referenced.get_or_insert_with(|| reachable_references(old));
                if referenced.contains(&number) {
                    checker
                        .problems
                        .push(Problem::ReferenceFilledLater { number });
                }
            }
            (Some(Ok(old_object)), None) => {
                checker.problems.push(Problem::ObjectDeleted {
                    number,
                    kind: kind(role, &old_object),
                });
            }
            (Some(Ok(old_object)), Some(new_id)) => {
                if old_id != Some(new_id) {
                    // A new generation: references to the old one now find nothing.
                    checker.problems.push(Problem::ObjectDeleted {
                        number,
                        kind: kind(role, &old_object),
                    });
                    continue;
                }
                let new_object = match new.get(new_id) {
                    Ok(object) => object,
                    Err(error) => {
                        checker
                            .problems
                            .push(Problem::UnreadableRevision(error.to_string()));
                        continue;
                    }
                };
                if new_object != old_object {
                    checker.compare_object(number, role, &old_object, &new_object);
                }
            }
            (Some(Err(error)), _) => checker
                .problems
                .push(Problem::UnreadableRevision(error.to_string())),
            (None, None) => {}
        }
    }
    problems.dedup();
    problems
}

fn entry_id(number: u32, entry: XrefEntry) -> Option<ObjectId> {
    match entry {
        XrefEntry::Free => None,
        XrefEntry::InUse { generation, .. } => Some((number, generation)),
        XrefEntry::Compressed { .. } => Some((number, 0)),
    }
}

fn kind(role: Option<Role>, object: &Object) -> String {
    match role {
        Some(Role::PageContent(page)) => format!("content stream of page {}", page + 1),
        Some(Role::PageResource(page)) => format!("resource of page {}", page + 1),
        Some(Role::Annotation(page)) => format!("annotation on page {}", page + 1),
        Some(Role::SignatureDictionary) => "signature dictionary".into(),
        Some(Role::Field) => "form field".into(),
        Some(Role::OptionalContent) => "optional content".into(),
        Some(Role::Attachments) => "attachment".into(),
        _ => {
            let dict = object.as_dict();
            match dict
                .and_then(|dict| dict.name(b"Type"))
                .or(dict.and_then(|dict| dict.name(b"Subtype")))
            {
                Some(name) => format!("/{}", String::from_utf8_lossy(name)),
                None if matches!(object, Object::Stream(_)) => "stream".into(),
                None => "object".into(),
            }
        }
    }
}

struct Checker<'d, 'a> {
    old: &'d Document<'a>,
    new: &'d Document<'a>,
    problems: &'d mut Vec<Problem>,
}

impl Checker<'_, '_> {
    fn compare_object(&mut self, number: u32, role: Option<Role>, old: &Object, new: &Object) {
        match role {
            Some(Role::Catalog) => {} // compared as a whole at the start
            Some(Role::Page(page)) => match (old.as_dict(), new.as_dict()) {
                (Some(old), Some(new)) => self.compare_page(page, old, new),
                _ => self.problems.push(Problem::PageChanged {
                    page: page + 1,
                    key: "Type".into(),
                }),
            },
            Some(Role::AnnotsArray(page)) => self.compare_annots(page, old, new),
            Some(Role::AcroForm) => match (old.as_dict(), new.as_dict()) {
                (Some(old), Some(new)) => self.compare_acro_form(old, new),
                _ => self.problems.push(Problem::FormChanged("AcroForm".into())),
            },
            Some(Role::FieldsArray) => self.compare_fields(old, new),
            Some(Role::UnsignedSignatureField) => {
                // Signing a field that was left empty: only /V and the appearance may change.
                let changed = changed_keys(old.as_dict(), new.as_dict());
                if changed
                    .iter()
                    .any(|key| !matches!(key.as_slice(), b"V" | b"AP"))
                {
                    self.problems.push(Problem::ObjectRedefined {
                        number,
                        kind: "form field".into(),
                    });
                }
            }
            Some(Role::Info | Role::Dss) => {}
            Some(Role::Metadata) if is_xmp(new) => {}
            Some(Role::PageContent(page)) => self
                .problems
                .push(Problem::PageContentChanged { page: page + 1 }),
            Some(Role::PagesNode) => self.problems.push(Problem::PageTreeChanged),
            Some(Role::OptionalContent) => self.problems.push(Problem::OptionalContentChanged),
            Some(Role::Attachments) => self.problems.push(Problem::AttachmentsChanged),
            _ => self.problems.push(Problem::ObjectRedefined {
                number,
                kind: kind(role, old),
            }),
        }
    }

    fn compare_catalog(&mut self, old: &Dictionary, new: &Dictionary) {
        for key in changed_keys(Some(old), Some(new)) {
            match key.as_slice() {
                b"AcroForm" => {
                    let old_form = old
                        .get(b"AcroForm")
                        .and_then(|value| self.old.resolve_dict(value).ok().flatten());
                    let new_form = new
                        .get(b"AcroForm")
                        .and_then(|value| self.new.resolve_dict(value).ok().flatten());
                    match (old_form, new_form) {
                        (_, None) => self.problems.push(Problem::FormFieldRemoved),
                        (old_form, Some(new_form)) => {
                            self.compare_acro_form(&old_form.unwrap_or_default(), &new_form)
                        }
                    }
                }
                // Validation data and the extensions dictionary that announces it are allowed.
                b"DSS" | b"Extensions" => {}
                // A signing tool's own XMP packet (a new /Metadata stream).
                b"Metadata"
                    if new
                        .get(b"Metadata")
                        .and_then(|value| self.new.resolve(value).ok())
                        .is_some_and(|object| is_xmp(&object)) => {}
                // A higher PDF version (a tool that writes 2.0 syntax announces it); never lower.
                b"Version" if version_raised(old.name(b"Version"), new.name(b"Version")) => {}
                b"OCProperties" => self.problems.push(Problem::OptionalContentChanged),
                b"Names" | b"AF" => self.problems.push(Problem::AttachmentsChanged),
                b"Pages" => self.problems.push(Problem::PageTreeChanged),
                other => self.problems.push(Problem::CatalogChanged(
                    String::from_utf8_lossy(other).into_owned(),
                )),
            }
        }
    }

    fn compare_acro_form(&mut self, old: &Dictionary, new: &Dictionary) {
        for key in changed_keys(Some(old), Some(new)) {
            match key.as_slice() {
                b"Fields" => {
                    let old_fields = old
                        .get(b"Fields")
                        .map(|value| self.old.resolve(value).unwrap_or(Object::Null));
                    let new_fields = new
                        .get(b"Fields")
                        .map(|value| self.new.resolve(value).unwrap_or(Object::Null));
                    self.compare_fields(
                        &old_fields.unwrap_or(Object::Array(Vec::new())),
                        &new_fields.unwrap_or(Object::Null),
                    );
                }
                b"SigFlags" | b"DR" | b"DA" => {}
                other => self.problems.push(Problem::FormChanged(
                    String::from_utf8_lossy(other).into_owned(),
                )),
            }
        }
    }

    /// Fields may only be added, and only signature fields.
    fn compare_fields(&mut self, old: &Object, new: &Object) {
        let old_items = old.as_array().unwrap_or(&[]);
        let new_items = new.as_array().unwrap_or(&[]);
        if old_items.iter().any(|item| !new_items.contains(item)) {
            self.problems.push(Problem::FormFieldRemoved);
        }
        for added in new_items.iter().filter(|item| !old_items.contains(item)) {
            let field = self
                .new
                .resolve_dict(added)
                .ok()
                .flatten()
                .unwrap_or_default();
            if !field.has_name(b"FT", b"Sig") {
                let field_type = field.name(b"FT").map_or("none".into(), |name| {
                    String::from_utf8_lossy(name).into_owned()
                });
                self.problems.push(Problem::FormFieldAdded(field_type));
            }
        }
    }

    fn compare_page(&mut self, page: usize, old: &Dictionary, new: &Dictionary) {
        for key in changed_keys(Some(old), Some(new)) {
            match key.as_slice() {
                b"Annots" => {
                    let old_annots = old
                        .get(b"Annots")
                        .map_or(Object::Array(Vec::new()), |value| {
                            self.old.resolve(value).unwrap_or(Object::Null)
                        });
                    let new_annots = new
                        .get(b"Annots")
                        .map_or(Object::Array(Vec::new()), |value| {
                            self.new.resolve(value).unwrap_or(Object::Null)
                        });
                    self.compare_annots(page, &old_annots, &new_annots);
                }
                b"Contents" | b"Resources" => self
                    .problems
                    .push(Problem::PageContentChanged { page: page + 1 }),
                other => self.problems.push(Problem::PageChanged {
                    page: page + 1,
                    key: String::from_utf8_lossy(other).into_owned(),
                }),
            }
        }
    }

    /// Annotations may only be added, and only signature widgets.
    fn compare_annots(&mut self, page: usize, old: &Object, new: &Object) {
        let old_items = old.as_array().unwrap_or(&[]);
        let new_items = new.as_array().unwrap_or(&[]);
        if old_items.iter().any(|item| !new_items.contains(item)) {
            self.problems
                .push(Problem::AnnotationsRemoved { page: page + 1 });
        }
        for added in new_items.iter().filter(|item| !old_items.contains(item)) {
            let annot = self
                .new
                .resolve_dict(added)
                .ok()
                .flatten()
                .unwrap_or_default();
            if !self.is_signature_widget(&annot) {
                let subtype = annot.name(b"Subtype").map_or("none".into(), |name| {
                    String::from_utf8_lossy(name).into_owned()
                });
                self.problems.push(Problem::AnnotationAdded {
                    page: page + 1,
                    subtype,
                });
            }
        }
    }

    fn is_signature_widget(&self, annot: &Dictionary) -> bool {
        if !annot.has_name(b"Subtype", b"Widget") {
            return false;
        }
        if annot.has_name(b"FT", b"Sig") {
            return true;
        }
        annot
            .get(b"Parent")
            .and_then(|parent| self.new.resolve_dict(parent).ok().flatten())
            .is_some_and(|parent| parent.has_name(b"FT", b"Sig"))
    }
}

/// An XMP metadata stream: `/Type /Metadata /Subtype /XML`.
fn is_xmp(object: &Object) -> bool {
    matches!(object, Object::Stream(stream)
        if stream.dict.has_name(b"Type", b"Metadata") && stream.dict.has_name(b"Subtype", b"XML"))
}

/// Whether the catalog's /Version went up (or appeared): `1.7` → `2.0`. A version that cannot be
/// read, or one that goes down, is a change like any other.
fn version_raised(old: Option<&[u8]>, new: Option<&[u8]>) -> bool {
    fn parse(name: &[u8]) -> Option<(u32, u32)> {
        let text = std::str::from_utf8(name).ok()?;
        let (major, minor) = text.split_once('.')?;
        Some((major.parse().ok()?, minor.parse().ok()?))
    }
    match (old.map(parse), new.map(parse)) {
        (None, Some(Some(_))) => true,
        (Some(Some(old)), Some(Some(new))) => new >= old,
        _ => false,
    }
}

/// Keys whose values differ between two dictionaries (missing on either side counts).
fn changed_keys(old: Option<&Dictionary>, new: Option<&Dictionary>) -> Vec<Vec<u8>> {
    let empty = Dictionary::new();
    let old = old.unwrap_or(&empty);
    let new = new.unwrap_or(&empty);
    let mut keys: Vec<Vec<u8>> = old.keys().chain(new.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    keys.retain(|key| old.get(key) != new.get(key));
    keys
}

#[cfg(test)]
mod tests {
    use super::version_raised;

    #[track_caller]
    fn check(old: Option<&str>, new: Option<&str>, allowed: bool) {
        assert_eq!(
            version_raised(old.map(str::as_bytes), new.map(str::as_bytes)),
            allowed,
            "{old:?} -> {new:?}"
        );
    }

    #[test]
    fn only_a_raised_version_is_allowed() {
        check(Some("1.7"), Some("2.0"), true);
        check(Some("1.4"), Some("1.7"), true);
        check(Some("1.7"), Some("1.7"), true);
        check(None, Some("2.0"), true);
        check(Some("2.0"), Some("1.7"), false);
        check(Some("1.7"), None, false);
        check(Some("1.7"), Some("x"), false);
        check(Some("1.7"), Some("1.10.2"), false);
    }
}
