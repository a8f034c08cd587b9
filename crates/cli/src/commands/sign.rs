//! `zicha sign IN.pdf --key KEY.pem --cert CERT.pem [--p12 FILE] [--party 监理 | --party
//! 检查人:周敏 | --party N] -o OUT.pdf`: adds a PAdES B-B signature as an incremental update;
//! earlier signatures stay valid. In a Zicha report the signature goes only into the box of its
//! party: the one `--party` names, else the free box bearing the certificate's signer name; never
//! into another person's box nor into a box already signed (zicha_report::place). A certificate
//! that is expired or not yet valid at the signing time, or issued to another unit than the one
//! the box stands for (the enterprise, or the 监理单位 the report records), is refused.

use std::path::PathBuf;

use anyhow::Context;
use time::OffsetDateTime;
use zicha_report::place::{self, PartyChoice};
use zicha_sign::{AppearanceFont, Certificate, SignOptions, SigningKey, import_pkcs12};

use super::{BUILTIN_FONT, now, parse_time, passphrase, write_new_parts};
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
    /// The box to sign in, in a Zicha report: a role (检查人, 企业负责人, 监理: its free box; of
    /// several, the one bearing the certificate's signer name), ROLE:NAME as the report prints it
    /// (e.g. 检查人:周敏, 监理:王五) or the box's number (1 = the first box of the signature page,
    /// in signing order). Without it, the free box bearing the certificate's signer name (CN) is
    /// used; when there is none the command fails and lists the free boxes. A box already signed
    /// is never signed again.
    #[arg(long, value_parser = PartyChoice::parse, conflicts_with = "page")]
    party: Option<PartyChoice>,
    /// The signer's role, e.g. 检查人, 企业负责人, 监理: in a Zicha report it only narrows the
    /// search by signer name (the box decides the role); elsewhere it is written as the
    /// signature's reason (default 检查人).
    #[arg(long)]
    role: Option<String>,
    /// Signing time, RFC 3339 (default: now).
    #[arg(long, value_parser = parse_time)]
    time: Option<OffsetDateTime>,
    /// Page for the visible signature, 1-based, outside any reserved box (default: the party's
    /// box in a Zicha report, else the last page).
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
    let time = args.time.unwrap_or_else(now);
    let (key, certificate, chain, placement) = if let Some(p12) = &args.p12 {
        let bytes = std::fs::read(p12).with_context(|| format!("cannot read {}", p12.display()))?;
        let passphrase = passphrase(
            &format!("Passphrase of {}", p12.display()),
            false,
            args.passphrase_file.as_deref(),
        )?;
        let identity = match import_pkcs12(&bytes, &passphrase) {
            Ok(identity) => identity,
            Err(error) => {
                writeln!(io.err, "zicha: {}: {error}", p12.display())?;
                return Ok(EXIT_PROBLEMS);
            }
        };
        let placement = match placement(&args, &pdf, &identity.certificate, time, io)? {
            Ok(placement) => placement,
            Err(code) => return Ok(code),
        };
        (
            identity.key,
            identity.certificate,
            identity.chain,
            placement,
        )
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
        // Checked before the passphrase is asked for and the key unlocked (about 0.8 s).
        let placement = match placement(&args, &pdf, &certificate, time, io)? {
            Ok(placement) => placement,
            Err(code) => return Ok(code),
        };
        let passphrase = passphrase(
            &format!("Passphrase of {}", key_path.display()),
            false,
            args.passphrase_file.as_deref(),
        )?;
        match SigningKey::from_encrypted_pem(&key_pem, &passphrase) {
            Ok(key) => (key, certificate, Vec::new(), placement),
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
    let Placement {
        role,
        page,
        signature_box: placed,
    } = placement;
    let signer_name = certificate.common_name().unwrap_or_default();
    let mut options = SignOptions::new(role.clone(), time).with_appearance_font(font.clone());
    options.page = page;
    if let Some(signature_box) = &placed {
        // Inside the box the report reserved for this party, with a small margin; the field is
        // named after the box so the next signer finds it taken.
        let (page, rect) = place::widget_place(&signature_box.slot);
        options.page = Some(page);
        options.rect = Some(rect);
        options.field_name = Some(place::field_name(signature_box.number));
    }
    // Only the update is made: the signed file is the input followed by it, written from the one
    // copy of the input read above (a 110 MB report is held once, not three times).
    let update = match zicha_sign::sign_update(&pdf, &key, &certificate, &chain, &options) {
        Ok(update) => update,
        Err(error) => {
            writeln!(io.err, "zicha: {}: {error}", args.input.display())?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let shown = format!("{role} {signer_name}");
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
    write_new_parts(&args.output, &[&pdf, &update], true)?;
    match &placed {
        Some(signature_box) => writeln!(io.err, "placed in box {signature_box}")?,
        None if args.page.is_none() => writeln!(
            io.err,
            "warning: not a Zicha report (no reserved boxes); the signature goes at the bottom of the last page"
        )?,
        None => {}
    }
    writeln!(
        io.err,
        "signed {} as {signer_name} ({role}); certificate {}",
        args.output.display(),
        certificate.fingerprint_hex()
    )?;
    Ok(EXIT_OK)
}

/// Where and as whom a signature goes, decided before the key is unlocked where possible.
struct Placement {
    /// The role written to /Reason.
    role: String,
    /// The 0-based page given with --page.
    page: Option<usize>,
    /// The party's own box in a Zicha report.
    signature_box: Option<place::SignatureBox>,
}

/// Refuses a certificate outside its validity at `time` and chooses the box (module docs);
/// `Ok(Err(code))` when the command stops, the reason written to stderr.
fn placement(
    args: &Args,
    pdf: &[u8],
    certificate: &Certificate,
    time: OffsetDateTime,
    io: &mut Io<'_>,
) -> anyhow::Result<Result<Placement, u8>> {
    if let Err(error) = certificate.check_valid_at(time) {
        writeln!(
            io.err,
            "zicha: cannot sign as {}: {error}",
            certificate.common_name().unwrap_or_default()
        )?;
        return Ok(Err(EXIT_PROBLEMS));
    }
    let signer_name = certificate.common_name().unwrap_or_default();
    let mut role = args.role.clone().unwrap_or_else(|| "检查人".to_owned());
    let mut placed = None;
    let mut page = None;
    if let Some(chosen_page) = args.page {
        if chosen_page == 0 {
            writeln!(io.err, "zicha: --page counts from 1")?;
            return Ok(Err(EXIT_USAGE));
        }
        page = Some(chosen_page - 1);
    } else {
        let choice = match args.party.clone() {
            Some(PartyChoice::Role { role, .. }) => PartyChoice::Role {
                role,
                signer: Some(signer_name.clone()),
            },
            Some(choice) => choice,
            None => PartyChoice::Signer {
                name: signer_name.clone(),
                role: args.role.clone(),
            },
        };
        let chosen = match place::boxes(pdf) {
            Some(boxes) => place::choose(&boxes, &choice),
            // Another PDF reserves no boxes: without --party it is signed where --page says.
            None if args.party.is_none() => Err(place::PlaceError::NotAReport),
            None => {
                writeln!(
                    io.err,
                    "zicha: {}: {}",
                    args.input.display(),
                    place::PlaceError::NotAReport
                )?;
                return Ok(Err(EXIT_USAGE));
            }
        };
        match chosen {
            Ok(signature_box) => {
                if args
                    .role
                    .as_ref()
                    .is_some_and(|r| *r != signature_box.slot.role)
                {
                    writeln!(
                        io.err,
                        "zicha: --role {} does not match box {signature_box}",
                        args.role.as_deref().unwrap_or_default()
                    )?;
                    return Ok(Err(EXIT_USAGE));
                }
                // The unit the box stands for, before the key is unlocked: the verifier would
                // call another unit's signature there invalid.
                let units = place::units(pdf, &signature_box).unwrap_or_default();
                let organisation = certificate.organisation().unwrap_or_default();
                let credit_code = certificate.credit_code().unwrap_or_default();
                if let Err(error) =
                    place::check_unit(&signature_box, &units, &organisation, &credit_code)
                {
                    writeln!(io.err, "zicha: {}: {error}", args.input.display())?;
                    return Ok(Err(EXIT_PROBLEMS));
                }
                if signature_box.slot.name != signer_name {
                    writeln!(
                        io.err,
                        "warning: the certificate names {signer_name}, box {signature_box} was chosen with --party"
                    )?;
                }
                role = signature_box.slot.role.clone();
                placed = Some(signature_box);
            }
            Err(place::PlaceError::NotAReport) => {}
            Err(error) => {
                let hint = match &error {
                    place::PlaceError::NoBoxForSigner { .. }
                    | place::PlaceError::Ambiguous { .. } => {
                        " (choose a box with --party ROLE:NAME or --party NUMBER)"
                    }
                    _ => "",
                };
                writeln!(io.err, "zicha: {}: {error}{hint}", args.input.display())?;
                return Ok(Err(if error.is_usage() {
                    EXIT_USAGE
                } else {
                    EXIT_PROBLEMS
                }));
            }
        }
    }
    Ok(Ok(Placement {
        role,
        page,
        signature_box: placed,
    }))
}
