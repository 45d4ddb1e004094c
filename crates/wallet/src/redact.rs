//! Finding and removing secrets: recovery phrases and private keys.

use serde::Serialize;

use crate::wordlist::Language;

/// The largest input [`redact`] accepts per call, in bytes (4 MiB). Work is linear in the input.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// What kind of secret was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// A BIP39 recovery phrase (mnemonic), possibly misspelled.
    RecoveryPhrase,
    /// An Electrum (2.0+) seed phrase, recognised by its version prefix.
    ElectrumSeed,
    /// A Wallet Import Format private key (Bitcoin and forks).
    WifPrivateKey,
    /// A BIP32 extended private key (`xprv`, `tprv`, `zprv`…).
    ExtendedPrivateKey,
    /// A raw 32-byte private key written as 64 hex digits.
    RawPrivateKey,
    /// An Ethereum V3 keystore (encrypted key JSON).
    EthereumKeystore,
    /// A Solana 64-byte secret key (base58 or a JSON array).
    SolanaSecretKey,
}

impl SecretKind {
    /// Whether this is a phrase of words (as opposed to a key).
    #[must_use]
    pub fn is_phrase(self) -> bool {
        matches!(self, SecretKind::RecoveryPhrase | SecretKind::ElectrumSeed)
    }
}

/// One secret found in the input. Holds its position, never its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: SecretKind,
    /// Byte offset of the first byte of the secret in the input.
    pub start: usize,
    /// Byte offset one past the last byte of the secret in the input.
    pub end: usize,
    /// Wordlist language, for phrases.
    pub language: Option<Language>,
    /// Number of words, for phrases.
    pub words: Option<usize>,
    /// Whether the checksum is valid (BIP39 checksum, Base58Check, Electrum version…), where the
    /// kind has one.
    pub checksum_valid: Option<bool>,
    /// How sure the detector is, from 0 to 1.
    pub confidence: f32,
}

/// Which field the text arrived in. It decides what a bare 64-hex-digit string means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldHint {
    /// A message body or subject: decide from the words around each candidate.
    #[default]
    FreeText,
    /// A field that asks for a transaction hash: 64 hex digits there are a hash.
    TxHash,
    /// A field that asks for an address.
    Address,
}

/// The language of the markers that replace secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MarkerLanguage {
    English,
    ChineseSimplified,
}

/// Options for [`redact_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RedactOptions {
    pub field: FieldHint,
    /// Marker language; `None` picks it from the text (Chinese when it has Han characters).
    pub marker_language: Option<MarkerLanguage>,
}

/// The redacted text and what was removed from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redaction {
    pub text: String,
    pub findings: Vec<Finding>,
}

impl Redaction {
    /// Whether anything was removed.
    #[must_use]
    pub fn removed_anything(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// Why an input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedactError {
    #[error("input is {len} bytes; the limit is {max} bytes")]
    TooLarge { len: usize, max: usize },
}

/// Redacts `text` with default options (free text; marker language from the text).
///
/// # Errors
/// [`RedactError::TooLarge`] when `text` is longer than [`MAX_INPUT_BYTES`].
pub fn redact(text: &str) -> Result<Redaction, RedactError> {
    redact_with(text, &RedactOptions::default())
}

/// Redacts `text`.
///
/// # Errors
/// [`RedactError::TooLarge`] when `text` is longer than [`MAX_INPUT_BYTES`].
pub fn redact_with(text: &str, options: &RedactOptions) -> Result<Redaction, RedactError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(RedactError::TooLarge { len: text.len(), max: MAX_INPUT_BYTES });
    }
    let findings = crate::keys::find_private_keys(text, options.field);
    Ok(Redaction { text: text.to_owned(), findings })
}
