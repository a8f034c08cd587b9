//! `zicha sign IN.pdf --key KEY.pem --cert CERT.pem [--p12 FILE] [--role 检查人] -o OUT.pdf`: adds a
//! PAdES B-B signature as an incremental update; earlier signatures stay valid.

use std::path::PathBuf;

use anyhow::Context;
use time::OffsetDateTime;
use zicha_sign::{AppearanceFont, Certificate, SignOptions, SigningKey, import_pkcs12};

use super::{BUILTIN_FONT, now, parse_time, passphrase, write_new};
use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Io};

/// Arguments of `zicha sign`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The PDF to sign.
    input: PathBuf,
    /// Encrypted PKCS#8 private key (from `zicha keygen`); passphrase from ZICHA_PASSPHRASE or a prompt.
    #[arg(long, required_unless_present = "p12", requires = "cert")]
    key: Option<PathBuf>,
    /// The signer's certificate (PEM).
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    /// A PKCS#12 file (.p12/.pfx) from a CA instead of --key/--cert.
    #[arg(long, conflicts_with_all = ["key", "cert"])]
    p12: Option<PathBuf>,
    /// The signer's role, e.g. 检查人, 企业负责人, 监理.
    #[arg(long, default_value = "检查人")]
    role: String,
    /// Signing time, RFC 3339 (default: now).
    #[arg(long, value_parser = parse_time)]
    time: Option<OffsetDateTime>,
    /// Page for the visible signature, 1-based (default: the last page).
    #[arg(long)]
    page: Option<usize>,
    /// Output PDF.
    #[arg(short, long)]
    output: PathBuf,
    /// Font for the visible signature (TTF/OTF, or TTC with --font-index); default: the built-in
    /// WenQuanYi Micro Hei, so Chinese names show.
    #[arg(long)]
    font: Option<PathBuf>,
    /// Face index within --font.
    #[arg(long, default_value_t = 0, requires = "font")]
    font_index: u32,
    /// Read the passphrase from the first line of this file (else ZICHA_PASSPHRASE, else a prompt).
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
    /// Replace OUT.pdf if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let pdf = std::fs::read(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    if args.output.exists() && !args.force && args.output != args.input {
        writeln!(
            io.err,
            "zicha: {} exists (use --force to replace it)",
            args.output.display()
        )?;
        return Ok(EXIT_USAGE);
    }
    let (key, certificate, chain) = if let Some(p12) = &args.p12 {
        let bytes = std::fs::read(p12).with_context(|| format!("cannot read {}", p12.display()))?;
        let passphrase = passphrase(
            &format!("Passphrase of {}", p12.display()),
            false,
            args.passphrase_file.as_deref(),
        )?;
        match import_pkcs12(&bytes, &passphrase) {
            Ok(identity) => (identity.key, identity.certificate, identity.chain),
            Err(error) => {
                writeln!(io.err, "zicha: {}: {error}", p12.display())?;
                return Ok(EXIT_PROBLEMS);
            }
        }
    } else {
        let (key_path, cert_path) = (
            args.key.as_ref().expect("clap requires --key"),
            args.cert.as_ref().expect("clap requires --cert"),
        );
        let key_pem = std::fs::read_to_string(key_path)
            .with_context(|| format!("cannot read {}", key_path.display()))?;
        let cert_pem = std::fs::read_to_string(cert_path)
            .with_context(|| format!("cannot read {}", cert_path.display()))?;
        let certificate = match Certificate::from_pem(&cert_pem) {
            Ok(certificate) => certificate,
            Err(error) => {
                writeln!(io.err, "zicha: {}: {error}", cert_path.display())?;
                return Ok(EXIT_PROBLEMS);
            }
        };
        let passphrase = passphrase(
            &format!("Passphrase of {}", key_path.display()),
            false,
            args.passphrase_file.as_deref(),
        )?;
        match SigningKey::from_encrypted_pem(&key_pem, &passphrase) {
            Ok(key) => (key, certificate, Vec::new()),
            Err(error) => {
                writeln!(io.err, "zicha: {}: {error}", key_path.display())?;
                return Ok(EXIT_PROBLEMS);
            }
        }
    };
    let font = match &args.font {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            AppearanceFont::new(bytes, args.font_index)
                .with_context(|| format!("{}: not a usable font", path.display()))?
        }
        None => AppearanceFont::new(BUILTIN_FONT.to_vec(), 0).context("the built-in font")?,
    };
    let mut options = SignOptions::new(args.role.clone(), args.time.unwrap_or_else(now))
        .with_appearance_font(font.clone());
    let signer_name = certificate.common_name();
    let mut placed = None;
    if let Some(page) = args.page {
        if page == 0 {
            writeln!(io.err, "zicha: --page counts from 1")?;
            return Ok(EXIT_USAGE);
        }
        options.page = Some(page - 1);
    } else if let Some(slot) =
        zicha_report::place::reserved_slot(&pdf, &args.role, signer_name.as_deref())
    {
        // Inside the box the report reserved for this party, with a small margin.
        let (page, rect) = zicha_report::place::widget_place(&slot);
        options.page = Some(page);
        options.rect = Some(rect);
        placed = Some(slot);
    }
    let signed = match zicha_sign::sign(&pdf, &key, &certificate, &chain, &options) {
        Ok(signed) => signed,
        Err(error) => {
            writeln!(io.err, "zicha: {}: {error}", args.input.display())?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let shown = format!(
        "{} {}",
        args.role,
        certificate.common_name().unwrap_or_default()
    );
    let missing = font.missing_characters(&format!(
        "{shown}{}",
        certificate.organisation().unwrap_or_default()
    ));
    if !missing.is_empty() {
        let missing: String = missing.into_iter().collect();
        writeln!(
            io.err,
            "warning: the signature appearance shows \"?\" for {missing} (not in the font)"
        )?;
    }
    write_new(&args.output, &signed, true)?;
    match &placed {
        Some(slot) => writeln!(
            io.err,
            "placed in the box reserved for {} {} on page {}",
            slot.role, slot.name, slot.page
        )?,
        None if args.page.is_none() => writeln!(
            io.err,
            "warning: no free box reserved for {} in this PDF; the signature goes at the bottom of the last page",
            args.role
        )?,
        None => {}
    }
    writeln!(
        io.err,
        "signed {} as {} ({}); certificate {}",
        args.output.display(),
        certificate.common_name().unwrap_or_default(),
        args.role,
        certificate.fingerprint_hex()
    )?;
    Ok(EXIT_OK)
}
