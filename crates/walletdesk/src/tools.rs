//! The wallet tool subcommands: `redact`, `check-mnemonic`, `identify`, `verify-signature`.
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

/// How many corrections and insertions the human-readable report lists before "… and N more".
const SHOWN: usize = 10;

pub(crate) fn check_mnemonic(input: &str, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let report =
        wallet::check::check_mnemonic(input).map_err(|e| crate::UsageError(e.to_string()))?;
    if json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        write_check_report(&report, out)?;
    }
    Ok(())
}

/// The English report: a verdict first, then what to try, most likely first.
fn write_check_report(r: &wallet::check::Report, out: &mut impl Write) -> std::io::Result<()> {
    let count = if r.valid_word_count {
        "a valid length"
    } else {
        "not a valid length: BIP39 phrases have 12, 15, 18, 21 or 24 words"
    };
    writeln!(out, "Words: {} ({count}).", r.word_count)?;
    match r.language {
        Some(lang) => writeln!(out, "Wordlist: {}.", lang.name())?,
        None => writeln!(out, "Wordlist: none; no word is in any BIP39 list.")?,
    }
    for u in &r.unknown_words {
        if u.suggestions.is_empty() {
            writeln!(
                out,
                "Word {} \"{}\" is not in the list.",
                u.position, u.word
            )?;
        } else {
            writeln!(
                out,
                "Word {} \"{}\" is not in the list; did you mean: {}?",
                u.position,
                u.word,
                u.suggestions.join(", ")
            )?;
        }
    }
    for o in &r.other_language_words {
        let names: Vec<&str> = o.languages.iter().map(|l| l.name()).collect();
        writeln!(
            out,
            "Word {} \"{}\" is from another wordlist: {}.",
            o.position,
            o.word,
            names.join(", ")
        )?;
    }
    match r.checksum_valid {
        Some(true) => writeln!(out, "Checksum: valid.")?,
        Some(false) => writeln!(out, "Checksum: NOT valid; a word is wrong or out of order.")?,
        None => writeln!(
            out,
            "Checksum: not checked (needs a valid length and every word in the list)."
        )?,
    }
    for s in &r.swaps {
        writeln!(
            out,
            "Swapping words {} and {} (\"{}\", \"{}\") makes it valid.",
            s.positions[0], s.positions[1], s.words[0], s.words[1]
        )?;
    }
    if !r.corrections.is_empty() {
        writeln!(
            out,
            "{} single-word replacements make it valid, closest first:",
            r.corrections.len()
        )?;
        for c in r.corrections.iter().take(SHOWN) {
            writeln!(out, "  word {}: {} → {}", c.position, c.word, c.replacement)?;
        }
        if r.corrections.len() > SHOWN {
            writeln!(
                out,
                "  … and {} more (see --json)",
                r.corrections.len() - SHOWN
            )?;
        }
    }
    if r.missing_total > 0 {
        writeln!(
            out,
            "{} ways to add one missing word make it valid, for example:",
            r.missing_total
        )?;
        for m in r.missing.iter().take(SHOWN) {
            writeln!(out, "  insert {} as word {}", m.word, m.position)?;
        }
    }
    for e in &r.extra {
        writeln!(
            out,
            "Removing word {} (\"{}\") makes it valid.",
            e.position, e.word
        )?;
    }
    Ok(())
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

/// `offline-check`: writes the offline mnemonic check and prints `<sha256>  <path>`, the line
/// `sha256sum -c` reads. The bytes are `server::offline_check::html()`, what the help center
/// serves at `/help/mnemonic-check/download`.
pub(crate) fn offline_check(
    path: Option<std::path::PathBuf>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let path = path.unwrap_or_else(|| server::offline_check::file_name().into());
    std::fs::write(&path, server::offline_check::html())
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(
        out,
        "{}  {}",
        server::offline_check::sha256_hex(),
        path.display()
    )?;
    Ok(())
}

/// A signature that was read but does not prove the address: exit status 1, after the answer
/// was printed.
#[derive(Debug)]
pub(crate) struct Invalid;

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the signature does not prove the address")
    }
}

impl std::error::Error for Invalid {}

/// What `verify-signature` checks.
#[derive(Debug)]
pub(crate) struct SignatureInput<'a> {
    pub(crate) address: &'a str,
    pub(crate) message: &'a str,
    pub(crate) signature: &'a str,
    pub(crate) domain: Option<String>,
    pub(crate) nonce: Option<String>,
    /// RFC 3339; now when absent.
    pub(crate) at: Option<&'a str>,
}

/// The JSON line of `verify-signature --json`; the API answers the same shape.
#[derive(Debug, Serialize)]
struct VerifyLine<'a> {
    valid: bool,
    method: Option<&'a str>,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

/// `verify-signature`: `Ok` when valid, [`Invalid`] when not, a [`crate::UsageError`] for input
/// that is not an address or not a signature (with `--json`, the line is printed first).
pub(crate) fn verify_signature(
    input: &SignatureInput<'_>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let now = match input.at {
        Some(at) => Some(
            ownership::siwe::parse_time(at)
                .ok_or_else(|| crate::UsageError(format!("--at {at:?} is not an RFC 3339 time")))?,
        ),
        None => jiff::Timestamp::try_from(std::time::SystemTime::now()).ok(),
    };
    let expect = ownership::Expect {
        now,
        domain: input.domain.clone(),
        nonce: input.nonce.clone(),
    };
    match ownership::verify(input.address, input.message, input.signature, &expect) {
        Ok(v) => {
            if json {
                let line = VerifyLine {
                    valid: v.valid,
                    method: Some(v.method.as_str()),
                    reason: v.reason.as_str(),
                    message: None,
                };
                serde_json::to_writer(&mut *out, &line)?;
                writeln!(out)?;
            } else if v.valid {
                writeln!(
                    out,
                    "valid: {} proves {}",
                    v.method.label(),
                    input.address.trim()
                )?;
            } else {
                writeln!(
                    out,
                    "invalid ({}): {} does not prove {}: {}",
                    v.reason.as_str(),
                    v.method.label(),
                    input.address.trim(),
                    reason_sentence(v.reason)
                )?;
            }
            if v.valid { Ok(()) } else { Err(Invalid.into()) }
        }
        Err(e) => {
            if json {
                let line = VerifyLine {
                    valid: false,
                    method: None,
                    reason: e.code(),
                    message: Some(e.to_string()),
                };
                serde_json::to_writer(&mut *out, &line)?;
                writeln!(out)?;
            }
            Err(crate::UsageError(e.to_string()).into())
        }
    }
}

fn reason_sentence(reason: ownership::Reason) -> &'static str {
    use ownership::Reason;
    match reason {
        Reason::Ok => "it does",
        Reason::SignerMismatch => "it was made by another key, or over another text",
        Reason::SignatureInvalid => "it does not verify for this address and text",
        Reason::AddressMismatch => "the signed text names another address",
        Reason::DomainMismatch => "the signed text is for another site",
        Reason::NonceMismatch => "the signed text carries another nonce",
        Reason::Expired => "the signed text has expired",
        Reason::NotYetValid => "the signed text is not valid yet",
        Reason::Unsupported => "this kind of signature is not supported",
    }
}
