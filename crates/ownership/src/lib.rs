//! Proof that a user controls an address, without a secret: the desk writes a challenge text,
//! the user signs it in their own wallet, and [`verify`] checks the signature. Nothing here asks
//! for, accepts or needs a recovery phrase or private key.
//!
//! * [`challenge`] — the texts to sign: EIP-4361 (Sign-In with Ethereum) for EVM addresses, a
//!   plain text for Bitcoin, TRON and Solana. Both say that signing moves no funds and that
//!   support never asks for a phrase.
//! * [`verify`] — EIP-191 `personal_sign` and SIWE (EVM); legacy `signmessage` with BIP-137
//!   headers and the Electrum/Trezor variants, BIP-322 simple and full (Bitcoin); TronWeb's
//!   `signMessageV2` (TRON); ed25519 message signing (Solana).
//!
//! The answer is a [`Verification`] (`valid`, `method`, `reason` with a stable code) when the
//! input could be read, and an [`InputError`] when it could not: a signature that is not a
//! signature, an address that is not an address. "Invalid" means the input was well formed and
//! the signature does not prove the address.
//!
//! No I/O, no clock: the caller passes the time ([`Expect::now`]).

mod bitcoin;
pub mod challenge;
mod encoding;
mod evm;
pub mod siwe;
mod solana;
mod tron;

use serde::Serialize;
use wallet::ident::{Address, Chain, IdentError};

pub use challenge::{Challenge, ChallengeError, ChallengeParams, Lang, PlainChallenge};

/// How a signature was checked. The snake_case key is stable (API, CLI, the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// EIP-191 version 0x45 (`personal_sign`) over a text that is not a SIWE message.
    Eip191,
    /// EIP-4361 Sign-In with Ethereum: an EIP-191 signature over a SIWE message, whose fields are
    /// checked too.
    Siwe,
    /// Bitcoin's legacy `signmessage` (BIP-137 headers; Electrum's and Trezor's for SegWit).
    Bip137,
    /// BIP-322 simple: a witness stack.
    Bip322Simple,
    /// BIP-322 full: the whole `to_sign` transaction.
    Bip322Full,
    /// TronWeb's `signMessageV2` ("\x19TRON Signed Message:\n" + length).
    TronSignMessageV2,
    /// Solana wallets' `signMessage`: ed25519 over the message bytes.
    SolanaEd25519,
}

impl Method {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Eip191 => "eip191",
            Method::Siwe => "siwe",
            Method::Bip137 => "bip137",
            Method::Bip322Simple => "bip322_simple",
            Method::Bip322Full => "bip322_full",
            Method::TronSignMessageV2 => "tron_sign_message_v2",
            Method::SolanaEd25519 => "solana_ed25519",
        }
    }

    /// Parses [`Method::as_str`].
    #[must_use]
    pub fn from_key(key: &str) -> Option<Method> {
        [
            Method::Eip191,
            Method::Siwe,
            Method::Bip137,
            Method::Bip322Simple,
            Method::Bip322Full,
            Method::TronSignMessageV2,
            Method::SolanaEd25519,
        ]
        .into_iter()
        .find(|m| m.as_str() == key)
    }

    /// How a person calls it, in English.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Method::Eip191 => "Ethereum personal_sign (EIP-191)",
            Method::Siwe => "Sign-In with Ethereum (EIP-4361)",
            Method::Bip137 => "Bitcoin signed message (BIP-137)",
            Method::Bip322Simple => "Bitcoin BIP-322 (simple)",
            Method::Bip322Full => "Bitcoin BIP-322 (full)",
            Method::TronSignMessageV2 => "TRON signMessageV2",
            Method::SolanaEd25519 => "Solana signMessage (ed25519)",
        }
    }
}

/// Why a well-formed signature does or does not prove the address. Stable snake_case codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The signature proves the address.
    Ok,
    /// The signature is valid for another key or address (or for another message).
    SignerMismatch,
    /// The signature does not verify (for BIP-322 and Solana, which cannot recover a signer).
    SignatureInvalid,
    /// The SIWE message names another address than the one to prove.
    AddressMismatch,
    /// The SIWE message is for another domain than the expected one.
    DomainMismatch,
    /// The challenge's nonce is not the expected one.
    NonceMismatch,
    /// The challenge has expired.
    Expired,
    /// The challenge is not valid yet (SIWE `Not Before`).
    NotYetValid,
    /// A BIP-322 signature of a shape this checker does not run: other sighash types, a script
    /// path, proof of funds with more inputs.
    Unsupported,
}

impl Reason {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Ok => "ok",
            Reason::SignerMismatch => "signer_mismatch",
            Reason::SignatureInvalid => "signature_invalid",
            Reason::AddressMismatch => "address_mismatch",
            Reason::DomainMismatch => "domain_mismatch",
            Reason::NonceMismatch => "nonce_mismatch",
            Reason::Expired => "expired",
            Reason::NotYetValid => "not_yet_valid",
            Reason::Unsupported => "unsupported",
        }
    }
}

/// The answer for a well-formed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub valid: bool,
    pub method: Method,
    pub reason: Reason,
}

impl Verification {
    pub(crate) fn new(method: Method, reason: Reason) -> Verification {
        Verification {
            valid: reason == Reason::Ok,
            method,
            reason,
        }
    }
}

/// Input that cannot be checked at all. Distinct from an invalid signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the address is not valid: {0}")]
    Address(#[from] IdentError),
    #[error("{0} addresses cannot be proved by a message signature")]
    AddressUnsupported(&'static str),
    #[error("the signature is empty")]
    SignatureEmpty,
    #[error("the signature is not in a form this chain's wallets produce: {0}")]
    SignatureMalformed(String),
    #[error("the message looks like Sign-In with Ethereum but is not well formed: {0}")]
    Siwe(#[from] siwe::ParseError),
}

impl InputError {
    /// A stable snake_case code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Address(_) => "address_invalid",
            InputError::AddressUnsupported(_) => "address_unsupported",
            InputError::SignatureEmpty => "signature_empty",
            InputError::SignatureMalformed(_) => "signature_malformed",
            InputError::Siwe(_) => "siwe_malformed",
        }
    }
}

/// What the verifier checks beyond the signature itself.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    /// The current time; expiry and not-before are checked against it when given.
    pub now: Option<jiff::Timestamp>,
    /// The SIWE domain the desk issued the message for.
    pub domain: Option<String>,
    /// The nonce the desk issued.
    pub nonce: Option<String>,
}

/// Checks that `signature` over `message` proves `address`.
///
/// The address decides the chain; the signature's shape decides the method within it. An EVM
/// message that starts like a SIWE message is parsed as one and its fields checked.
///
/// # Errors
/// [`InputError`] when the address, message or signature cannot be read.
pub fn verify(
    address: &str,
    message: &str,
    signature: &str,
    expect: &Expect,
) -> Result<Verification, InputError> {
    let address = Address::parse(address.trim(), None)?;
    let signature = signature.trim();
    if signature.is_empty() {
        return Err(InputError::SignatureEmpty);
    }
    let result = match address.chain() {
        Chain::Evm => return evm::verify(&address, message, signature, expect),
        Chain::Bitcoin => bitcoin::verify(&address, message, signature)?,
        Chain::Tron => tron::verify(&address, message, signature)?,
        Chain::Solana => solana::verify(&address, message, signature)?,
    };
    if !result.valid {
        return Ok(result);
    }
    // A signed desk challenge is also checked for what it says (like SIWE's fields).
    let reason = match PlainChallenge::parse(message) {
        Some(c) => plain_reason(&address, &c, expect),
        None => Reason::Ok,
    };
    Ok(Verification::new(result.method, reason))
}

fn plain_reason(address: &Address, c: &PlainChallenge, expect: &Expect) -> Reason {
    if Address::parse(&c.address, Some(address.chain()))
        .ok()
        .as_ref()
        != Some(address)
    {
        return Reason::AddressMismatch;
    }
    if expect.nonce.as_deref().is_some_and(|n| n != c.nonce) {
        return Reason::NonceMismatch;
    }
    check_times(expect, Some(c.expires), None)
}

/// Checks the fields of a challenge the desk issued: expired, not yet valid.
pub(crate) fn check_times(
    expect: &Expect,
    expires: Option<jiff::Timestamp>,
    not_before: Option<jiff::Timestamp>,
) -> Reason {
    let Some(now) = expect.now else {
        return Reason::Ok;
    };
    if expires.is_some_and(|t| now >= t) {
        return Reason::Expired;
    }
    if not_before.is_some_and(|t| now < t) {
        return Reason::NotYetValid;
    }
    Reason::Ok
}
