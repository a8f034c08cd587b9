//! Any bytes given to the spreadsheet import, as a workbook and as CSV: a result or problems,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zicha_sheet::import(data, "fuzz.xlsx");
    let _ = zicha_sheet::import(data, "fuzz.csv");
});
