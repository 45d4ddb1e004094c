//! The wallet tool subcommands: `redact`, `check-mnemonic`, `identify`, `eval-redaction`.
//! Their JSON shapes are documented in the README; scripts depend on them.

use std::io::Write;

use serde::Serialize;
use wallet::{FieldHint, RedactOptions};

/// The `--field` of `walletdesk redact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Field {
    /// A message body: decide from context.
    Text,
    /// A field that asks for a transaction hash.
    TxHash,
    /// A field that asks for an address.
    Address,
}

impl From<Field> for FieldHint {
    fn from(f: Field) -> Self {
        match f {
            Field::Text => FieldHint::FreeText,
            Field::TxHash => FieldHint::TxHash,
            Field::Address => FieldHint::Address,
        }
    }
}

/// One line of `redact --json`.
#[derive(Debug, Serialize)]
struct FindingLine<'a> {
    kind: wallet::SecretKind,
    start: usize,
    end: usize,
    language: Option<&'a str>,
    words: Option<usize>,
    checksum_valid: Option<bool>,
    confidence: f32,
}

pub(crate) fn redact(
    input: &str,
    json: bool,
    field: Field,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let options = RedactOptions {
        field: field.into(),
        marker_language: None,
    };
    let redaction =
        wallet::redact_with(input, &options).map_err(|e| crate::UsageError(e.to_string()))?;
    if json {
        for f in &redaction.findings {
            let line = FindingLine {
                kind: f.kind,
                start: f.start,
                end: f.end,
                language: f.language.map(wallet::Language::name),
                words: f.words,
                checksum_valid: f.checksum_valid,
                confidence: (f.confidence * 100.0).round() / 100.0,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        }
    } else {
        out.write_all(redaction.text.as_bytes())?;
    }
    Ok(())
}

pub(crate) fn check_mnemonic(
    _input: &str,
    _json: bool,
    _out: &mut impl Write,
) -> anyhow::Result<()> {
    anyhow::bail!("TEMP")
}
pub(crate) fn identify(tokens: &[String], json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    for token in tokens {
        let id = wallet::ident::identify(token);
        if json {
            serde_json::to_writer(&mut *out, &id)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{token}: {}", id.describe())?;
        }
    }
    Ok(())
}

pub(crate) fn eval_redaction(
    corpus: Option<&std::path::Path>,
    generate: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let dir = match corpus {
        Some(dir) => dir.to_path_buf(),
        None => {
            // From the repository root, or wherever this binary was built from.
            let here = std::path::Path::new("crates/wallet/data/corpus");
            if here.is_dir() {
                here.to_path_buf()
            } else {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wallet/data/corpus")
            }
        }
    };
    if !dir.is_dir() {
        return Err(crate::UsageError(format!("no corpus directory at {}", dir.display())).into());
    }
    if generate {
        crate::eval_redaction::generate(&dir)?;
    }
    crate::eval_redaction::run(&dir, out)?;
    Ok(())
}
