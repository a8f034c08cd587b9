//! Checklists from and to spreadsheets, and results as spreadsheets: pure (bytes in, bytes out), so
//! that the CLI and the browser's report worker share it.
//!
//! - [`import`]: a checklist from xlsx, xlsm, xls, ods or CSV in the layout of [`layout`], every
//!   problem named by sheet, row and column, the result passed through the checklist lint.
//! - [`template`]: that layout as an xlsx, empty or filled with a checklist (a round trip gives the
//!   same checklist back).
//! - [`to_toml`]: a checklist as a checklist file.
//! - [`export`]: an inspection's 隐患台账, 检查结果 and 汇总 as an xlsx; [`export_ledger`] the
//!   隐患台账 alone, of any hazards (the browser's whole ledger).

mod export;
mod import;
pub mod layout;
mod template;
mod toml_out;

pub use export::{
    LEDGER_COLUMNS, LEDGER_SHEET, RESULT_COLUMNS, RESULTS_SHEET, SUMMARY_SHEET, export,
    export_ledger,
};
pub use import::{Imported, Place, SheetProblem, import};
pub use template::template;
pub use toml_out::to_toml;
