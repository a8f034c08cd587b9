//! zicha-report turns an inspection into a PDF report. It knows the domain through zicha-core and
//! nothing of signatures or the browser. (The renderer lands with the report issue.)
