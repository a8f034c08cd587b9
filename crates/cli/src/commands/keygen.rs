//! `zicha keygen --org NAME --credit-code CODE --signer NAME -o DIR`: an ECDSA P-256 key stored only
//! as encrypted PKCS#8 (DIR/key.pem; scrypt N = 2^17, about 0.8 s per unlock, see
//! `zicha_sign::KEY_FILE_SCRYPT_LOG_N`) and a self-issued certificate (DIR/cert.pem). Anyone can
//! self-issue a certificate in any company's name: the SHA-256 printed on stdout is what the
//! regulator registers, and `zicha verify --trust` checks.

use std::path::PathBuf;

use anyhow::Context;
use time::{Duration, OffsetDateTime};
use zicha_core::org::validate_credit_code;
use zicha_sign::{CertificateSubject, SigningKey, self_issued_certificate};

use super::{now, parse_time, passphrase, write_new};
use crate::{EXIT_OK, EXIT_USAGE, Io};

/// Arguments of `zicha keygen`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Enterprise name (certificate subject O).
    #[arg(long)]
    org: String,
    /// 统一社会信用代码 (certificate subject serialNumber); checked with GB 32100-2015.
    #[arg(long = "credit-code")]
    credit_code: String,
    /// The signer's name (certificate subject CN).
    #[arg(long)]
    signer: String,
    /// Output folder for key.pem and cert.pem (created when missing).
    #[arg(short, long)]
    output: PathBuf,
    /// Start of validity, RFC 3339 (default: now).
    #[arg(long, value_parser = parse_time)]
    not_before: Option<OffsetDateTime>,
    /// Validity in days.
    #[arg(long, default_value_t = 1095)]
    days: u32,
    /// Read the passphrase from the first line of this file (else ZICHA_PASSPHRASE, else a prompt).
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
    /// Replace an existing key.pem / cert.pem (the old key is lost).
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let credit_code = match validate_credit_code(&args.credit_code) {
        Ok(code) => code,
        Err(error) => {
            writeln!(
                io.err,
                "zicha: --credit-code {}: {error} ({})",
                args.credit_code,
                error.zh()
            )?;
            return Ok(EXIT_USAGE);
        }
    };
    if args.org.trim().is_empty() || args.signer.trim().is_empty() {
        writeln!(io.err, "zicha: --org and --signer must not be empty")?;
        return Ok(EXIT_USAGE);
    }
    if args.days == 0 {
        writeln!(io.err, "zicha: --days must be at least 1")?;
        return Ok(EXIT_USAGE);
    }
    let key_path = args.output.join("key.pem");
    let cert_path = args.output.join("cert.pem");
    for path in [&key_path, &cert_path] {
        if path.exists() && !args.force {
            writeln!(
                io.err,
                "zicha: {} exists; refusing to overwrite a key (use --force)",
                path.display()
            )?;
            return Ok(EXIT_USAGE);
        }
    }
    let passphrase = passphrase(
        "Passphrase for the new key",
        true,
        args.passphrase_file.as_deref(),
    )?;
    if passphrase.chars().count() < 8 {
        writeln!(
            io.err,
            "zicha: the passphrase must have at least 8 characters"
        )?;
        return Ok(EXIT_USAGE);
    }

    let not_before = args.not_before.unwrap_or_else(now);
    let subject = CertificateSubject {
        organisation: args.org.trim().to_owned(),
        signer: args.signer.trim().to_owned(),
        credit_code,
        not_before,
        not_after: not_before + Duration::days(i64::from(args.days)),
    };
    let key = SigningKey::generate_p256();
    let certificate =
        self_issued_certificate(&subject, &key).context("cannot create the certificate")?;
    let key_pem = key
        .to_encrypted_pem(&passphrase)
        .context("cannot encrypt the key")?;

    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    write_new(&key_path, key_pem.as_bytes(), args.force)?;
    write_new(&cert_path, certificate.to_pem().as_bytes(), args.force)?;
    writeln!(
        io.err,
        "wrote {} (encrypted PKCS#8) and {}",
        key_path.display(),
        cert_path.display()
    )?;
    writeln!(io.out, "{}", certificate.fingerprint_hex())?;
    Ok(EXIT_OK)
}
