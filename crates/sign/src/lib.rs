//! zicha-sign creates keys and certificates, signs PDF bytes and verifies signed PDFs. It knows
//! nothing of checklists. (The implementation lands with the signature issue.)
