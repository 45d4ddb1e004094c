//! Wallet knowledge for walletdesk, with no I/O.
//!
//! * [`redact()`] finds recovery phrases and private keys in text a user sent and replaces them
//!   with a marker that keeps nothing recoverable.
//! * [`check::check_mnemonic`] is the offline self-check for a phrase that will not restore.
//! * [`ident::identify`] says what an address or transaction id is, and whether it is valid.
//!
//! This crate never does I/O, never logs, holds no global mutable state and is not async, so
//! that the server, the CLI and the browser (WebAssembly) all run the same code.

pub mod bip39;
pub mod check;
pub mod codec;
pub mod electrum;
pub mod ident;
pub mod keys;
pub mod redact;
pub mod text;
pub mod wordlist;

pub use redact::{
    FieldHint, Finding, MAX_INPUT_BYTES, MarkerLanguage, RedactError, RedactOptions, Redaction,
    SecretKind, redact, redact_with,
};
pub use wordlist::Language;
