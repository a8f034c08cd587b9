//! The worker's spreadsheet jobs, through zicha-sheet (as `zicha import`, `zicha template` and
//! `zicha export` do): a checklist read from a spreadsheet with every problem by sheet, row and
//! column; the template; an inspection's 隐患台账, 检查结果 and 汇总, or the whole ledger, as xlsx.

use time::Date;
use zicha_core::bundle::{BundleData, SCHEMA_VERSION};
use zicha_core::checklist;
use zicha_sheet::Place;

use super::Output;
use crate::state::Data;
use crate::state::imported::{ImportedChecklist, ProblemRow};
use crate::state::jobs::Reply;

type Result<T> = std::result::Result<T, String>;

/// Milliseconds since the worker started (`performance.now()`), for the import's figure.
fn now() -> f64 {
    use wasm_bindgen::JsCast;
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.performance())
        .map_or(0.0, |performance| performance.now())
}

/// [`crate::state::jobs::Job::ImportSheet`]: the record to store, or every problem.
pub(super) fn import(bytes: &[u8], name: &str) -> Reply {
    let started = now();
    match zicha_sheet::import(bytes, name) {
        Ok(imported) => Reply::SheetImported {
            checklist: ImportedChecklist::new(&imported.checklist, imported.toml, name.to_owned()),
            millis: now() - started,
        },
        Err(problems) => Reply::SheetProblems {
            problems: problems.iter().map(problem_row).collect(),
        },
    }
}

/// A problem as the screen's table shows it.
fn problem_row(problem: &zicha_sheet::SheetProblem) -> ProblemRow {
    let (sheet, row, column) = match &problem.place {
        Place::Sheet { sheet, row, column } => (
            sheet.clone(),
            *row,
            column.map(zicha_sheet::layout::column_letters),
        ),
        Place::Csv { line, column } => (
            String::new(),
            *line,
            column.map(|column| (column + 1).to_string()),
        ),
        Place::File => (String::new(), 0, None),
    };
    ProblemRow {
        sheet,
        row,
        column: column.unwrap_or_default(),
        message: problem.message.clone(),
        text: problem.to_string(),
    }
}

/// The records of checklist files a restored backup or bundle carries (those that do not read
/// are left out: the inspections that use them then show their checklist as missing).
pub(super) fn records_of(sources: Vec<String>) -> Vec<ImportedChecklist> {
    sources
        .into_iter()
        .filter_map(|source| match checklist::parse_recorded(&source) {
            (Some(checklist), problems) if problems.is_empty() => {
                Some(ImportedChecklist::new(&checklist, source, String::new()))
            }
            _ => None,
        })
        .collect()
}

/// [`crate::state::jobs::Job::Template`].
pub(super) fn template(source: Option<&str>) -> Result<Output> {
    let (checklist, name) = match source {
        None => (None, "检查表模板.xlsx".to_owned()),
        Some(source) => {
            let checklist = read_checklist(source)?;
            let name = format!("检查表-{}-{}.xlsx", checklist.id, checklist.version);
            (Some(checklist), name)
        }
    };
    let bytes = zicha_sheet::template(checklist.as_ref(), source)
        .map_err(|error| format!("cannot write the xlsx: {error}"))?;
    Ok(Output::with_bytes(Reply::File { name }, vec![bytes]))
}

/// [`crate::state::jobs::Job::ExportResults`].
pub(super) fn export_results(
    data: &Data,
    inspection_id: &str,
    source: &str,
    as_of: Date,
) -> Result<Output> {
    let stored = data
        .inspections
        .get(inspection_id)
        .ok_or_else(|| format!("no inspection {inspection_id}"))?;
    let checklist = read_checklist(source)?;
    if checklist.reference() != stored.inspection.checklist {
        return Err(format!(
            "the checklist text is {} {}, the inspection was made with {} {}",
            checklist.id,
            checklist.version,
            stored.inspection.checklist.id,
            stored.inspection.checklist.version
        ));
    }
    let bundle = BundleData {
        schema_version: SCHEMA_VERSION,
        organisation: data.profile.as_deref().cloned().unwrap_or_default(),
        project: data.project_of(stored).map(|p| p.project.clone()),
        inspection: stored.inspection.clone(),
        hazards: data.hazards_of(inspection_id),
        photos: Vec::new(),
    };
    let report = zicha_core::score::score_with(
        &checklist,
        &bundle.inspection,
        &bundle.hazards,
        bundle.major_sources(),
        as_of,
    );
    let bytes = zicha_sheet::export(&bundle, &checklist, &report, as_of)
        .map_err(|error| format!("cannot write the xlsx: {error}"))?;
    let name = format!("检查结果-{inspection_id}.xlsx");
    Ok(Output::with_bytes(Reply::File { name }, vec![bytes]))
}

/// [`crate::state::jobs::Job::ExportLedger`]: every hazard, by inspection and id.
pub(super) fn export_ledger(data: &Data, as_of: Date) -> Result<Output> {
    let hazards: Vec<_> = data
        .hazards
        .values()
        .map(|stored| stored.hazard.clone())
        .collect();
    let bytes = zicha_sheet::export_ledger(&hazards, as_of)
        .map_err(|error| format!("cannot write the xlsx: {error}"))?;
    let name = format!("隐患台账-{as_of}.xlsx");
    Ok(Output::with_bytes(Reply::File { name }, vec![bytes]))
}

fn read_checklist(source: &str) -> Result<checklist::Checklist> {
    match checklist::parse_recorded(source) {
        (Some(checklist), problems) if problems.is_empty() => Ok(checklist),
        (_, problems) => Err(format!(
            "the checklist cannot be read: {}",
            problems.first().map_or(String::new(), |problem| problem
                .display_with("checklist.toml")
                .to_string())
        )),
    }
}
