//! Addresses and transaction ids: what a token a user typed is, and whether it is valid.
//!
//! * [`identify`] reads one token and returns every plausible reading as a [`Candidate`]. Some
//!   tokens have several: 64 hex digits are a Bitcoin txid, a TRON transaction id, or an EVM
//!   transaction hash whose `0x` was left out.
//! * [`Address::parse`] and [`TxHash::parse`] turn a form field into a typed value once, at the
//!   edge, or say precisely why they cannot ([`IdentError`]).
//! * [`find_identifiers`] finds valid identifiers in free text, so that redaction knows which
//!   spans to leave alone.
//!
//! How sure a reading can be depends on the format. Bitcoin (Base58Check, bech32, bech32m), TRON
//! (Base58Check) and mixed-case EVM (EIP-55) addresses carry a checksum. Solana addresses,
//! single-case EVM addresses, the TRON hex form and every transaction id carry none, so a typo in
//! them goes unnoticed, and [`Candidate::checksummed`] is false. [`Candidate::certain`] is false
//! when the same string could as well be something else: any base58 string that decodes to 32
//! bytes "is" a Solana address, and 64 hex digits are also how a raw private key is written. This
//! module cannot tell a hash from a raw key; [`redact`](mod@crate::redact) decides that from the
//! field the text came from ([`crate::FieldHint`]).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use bech32::primitives::decode::{CheckedHrpstring, UncheckedHrpstring};
use bech32::{Bech32, Bech32m};
use serde::Serialize;

use crate::codec;

/// The EVM chains an [`IdKind::EvmAddress`] may belong to. The address format is shared, so the
/// string alone never says which one; these are the ones users ask about most.
pub const EVM_CHAIN_NAMES: &[&str] = &[
    "Ethereum",
    "BNB Smart Chain",
    "Polygon",
    "Arbitrum One",
    "OP Mainnet",
    "Base",
    "Avalanche C-Chain",
];

/// A family of chains that share an address format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chain {
    Bitcoin,
    /// Ethereum and every chain that uses its address format (see [`EVM_CHAIN_NAMES`]).
    Evm,
    Tron,
    Solana,
}

impl Chain {
    /// The English name, as written in prose ("Bitcoin", "EVM", "TRON", "Solana").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Chain::Bitcoin => "Bitcoin",
            Chain::Evm => "EVM",
            Chain::Tron => "TRON",
            Chain::Solana => "Solana",
        }
    }

    fn with_article(self) -> &'static str {
        match self {
            Chain::Bitcoin => "a Bitcoin",
            Chain::Evm => "an EVM",
            Chain::Tron => "a TRON",
            Chain::Solana => "a Solana",
        }
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which network an address belongs to, where the address says so.
///
/// Base58 addresses of Bitcoin's test networks (testnet3, testnet4, signet, regtest) share one
/// prefix and are all reported as [`Network::Testnet`]; bech32 ones tell regtest (`bcrt`) apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    Mainnet,
    /// A public test network: testnet3, testnet4 or signet.
    Testnet,
    Regtest,
}

impl Network {
    /// "mainnet", "testnet" or "regtest".
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Network::Mainnet => "mainnet",
            Network::Testnet => "testnet",
            Network::Regtest => "regtest",
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an identifier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// Bitcoin legacy pay-to-public-key-hash (`1…`, `m…`, `n…`).
    P2pkh,
    /// Bitcoin pay-to-script-hash (`3…`, `2…`).
    P2sh,
    /// Bitcoin native SegWit v0 with a 20-byte program (`bc1q…`, 42 characters).
    P2wpkh,
    /// Bitcoin native SegWit v0 with a 32-byte program (`bc1q…`, 62 characters).
    P2wsh,
    /// Bitcoin Taproot: SegWit v1 with a 32-byte program (`bc1p…`).
    P2tr,
    /// A Bitcoin SegWit address for a version or program length that has no meaning yet. Valid
    /// to send to, but nobody can spend from it today.
    WitnessFuture,
    EvmAddress,
    TronAddress,
    /// A base58 string that decodes to 32 bytes; never [`Candidate::certain`].
    SolanaAddress,
    BitcoinTxid,
    EvmTxHash,
    TronTxId,
}

impl IdKind {
    /// The chain family this kind belongs to.
    #[must_use]
    pub fn chain(self) -> Chain {
        match self {
            IdKind::P2pkh
            | IdKind::P2sh
            | IdKind::P2wpkh
            | IdKind::P2wsh
            | IdKind::P2tr
            | IdKind::WitnessFuture
            | IdKind::BitcoinTxid => Chain::Bitcoin,
            IdKind::EvmAddress | IdKind::EvmTxHash => Chain::Evm,
            IdKind::TronAddress | IdKind::TronTxId => Chain::Tron,
            IdKind::SolanaAddress => Chain::Solana,
        }
    }

    /// Whether this is an address (something one pays to).
    #[must_use]
    pub fn is_address(self) -> bool {
        !self.is_transaction()
    }

    /// Whether this is a transaction id or hash.
    #[must_use]
    pub fn is_transaction(self) -> bool {
        matches!(
            self,
            IdKind::BitcoinTxid | IdKind::EvmTxHash | IdKind::TronTxId
        )
    }

    /// An English noun phrase without an article, e.g. "Bitcoin bech32m (Taproot) address".
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            IdKind::P2pkh => "Bitcoin legacy (P2PKH) address",
            IdKind::P2sh => "Bitcoin script (P2SH) address",
            IdKind::P2wpkh => "Bitcoin bech32 (native SegWit, P2WPKH) address",
            IdKind::P2wsh => "Bitcoin bech32 (native SegWit, P2WSH) address",
            IdKind::P2tr => "Bitcoin bech32m (Taproot) address",
            IdKind::WitnessFuture => "Bitcoin SegWit address of a future witness version",
            IdKind::EvmAddress => {
                "EVM address (Ethereum, BNB Smart Chain, Polygon and other EVM chains)"
            }
            IdKind::TronAddress => "TRON address",
            IdKind::SolanaAddress => "Solana address",
            IdKind::BitcoinTxid => "Bitcoin transaction id",
            IdKind::EvmTxHash => "EVM transaction hash",
            IdKind::TronTxId => "TRON transaction id",
        }
    }

    /// "address", "transaction id" or (for EVM) "transaction hash".
    fn class_noun(self) -> &'static str {
        match self {
            IdKind::EvmTxHash => "transaction hash",
            k if k.is_transaction() => "transaction id",
            _ => "address",
        }
    }

    /// The chain and the class, e.g. "an EVM address".
    fn short_with_article(self) -> String {
        format!("{} {}", self.chain().with_article(), self.class_noun())
    }
}

/// Why a token is not (a valid) identifier: a stable code for the server to translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Nothing was given.
    Empty,
    /// The token matches no identifier format.
    NotRecognised,
    /// A character the format does not use (base58 has no `0OIl`; bech32 no `1bio`).
    BadCharacter,
    /// The right alphabet, the wrong number of characters or bytes.
    WrongLength,
    /// Bech32 is all lower or all upper case.
    MixedCase,
    /// Longer than the 90 characters a bech32 address may have.
    TooLong,
    /// The checksum does not match: a character is wrong, missing or swapped.
    BadChecksum,
    /// Bech32 where bech32m is required (witness version 1 and above, BIP350) or the reverse.
    WrongChecksumVariant,
    /// A SegWit witness version outside 0 to 16.
    BadWitnessVersion,
    /// A SegWit program of a length its version does not allow.
    BadProgramLength,
    /// Bech32 data whose leftover bits are too many or not zero.
    BadPadding,
    /// The `0x` in front of an EVM address or hash is missing.
    MissingPrefix,
    /// A well-formed string with a prefix or version byte of a chain this desk does not know.
    UnknownPrefix,
    /// A private key (WIF). Never an address, and never to be shared.
    PrivateKey,
    /// A BIP32 extended key (`xpub`, `xprv`, …): it stands for many addresses, not one.
    ExtendedKey,
}

impl ReasonCode {
    /// The snake_case code, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Empty => "empty",
            ReasonCode::NotRecognised => "not_recognised",
            ReasonCode::BadCharacter => "bad_character",
            ReasonCode::WrongLength => "wrong_length",
            ReasonCode::MixedCase => "mixed_case",
            ReasonCode::TooLong => "too_long",
            ReasonCode::BadChecksum => "bad_checksum",
            ReasonCode::WrongChecksumVariant => "wrong_checksum_variant",
            ReasonCode::BadWitnessVersion => "bad_witness_version",
            ReasonCode::BadProgramLength => "bad_program_length",
            ReasonCode::BadPadding => "bad_padding",
            ReasonCode::MissingPrefix => "missing_prefix",
            ReasonCode::UnknownPrefix => "unknown_prefix",
            ReasonCode::PrivateKey => "private_key",
            ReasonCode::ExtendedKey => "extended_key",
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reading of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub chain: Chain,
    /// For an invalid reading, the best guess (a Bitcoin bech32 string's kind is guessed from its
    /// witness version and length).
    pub kind: IdKind,
    /// The network, where the string says it (Bitcoin only).
    pub network: Option<Network>,
    /// The canonical spelling: bech32 lower-cased, EVM in EIP-55 case with `0x`, hashes in lower
    /// case, TRON in base58. For an invalid reading, the input with only case or prefix fixed.
    pub normalized: String,
    /// Whether the string is well formed for this reading (checksum included, where it has one).
    pub valid: bool,
    /// False when the same string could as well be something else (Solana addresses, hashes,
    /// the TRON hex form, EVM addresses written without `0x`).
    pub certain: bool,
    /// Whether a checksum carried in the string was verified. False for forms that carry none.
    pub checksummed: bool,
    /// SegWit witness version (0 to 16), for bech32 addresses.
    pub witness_version: Option<u8>,
    /// The output script this Bitcoin address pays to, in hex.
    pub script_pubkey: Option<String>,
    /// The TRON hex form (`41` + 20 bytes), for TRON addresses.
    pub tron_hex: Option<String>,
    /// An English sentence saying what is wrong, when not valid.
    pub reason: Option<String>,
    /// The stable code for `reason`.
    pub reason_code: Option<ReasonCode>,
}

impl Candidate {
    fn new(kind: IdKind, network: Option<Network>, normalized: String) -> Self {
        Candidate {
            chain: kind.chain(),
            kind,
            network,
            normalized,
            valid: true,
            certain: true,
            checksummed: false,
            witness_version: None,
            script_pubkey: None,
            tron_hex: None,
            reason: None,
            reason_code: None,
        }
    }

    fn with_checksum(mut self) -> Self {
        self.checksummed = true;
        self
    }

    fn uncertain(mut self) -> Self {
        self.certain = false;
        self
    }

    fn invalid(mut self, code: ReasonCode, reason: impl Into<String>) -> Self {
        self.valid = false;
        self.checksummed = false;
        self.reason_code = Some(code);
        self.reason = Some(reason.into());
        self
    }

    /// An English one-liner for this reading, e.g. "a Bitcoin bech32m (Taproot) address, mainnet".
    #[must_use]
    pub fn describe(&self) -> String {
        let noun = match (self.kind, self.witness_version) {
            (IdKind::WitnessFuture, Some(v)) => {
                format!("Bitcoin SegWit address of future witness version {v}")
            }
            (kind, _) => kind.noun().to_owned(),
        };
        let mut s = if self.valid {
            with_article(&noun)
        } else {
            format!("an invalid {noun}")
        };
        if let Some(network) = self.network {
            s.push_str(", ");
            s.push_str(network.name());
        }
        if self.valid && self.kind == IdKind::SolanaAddress {
            s.push_str(" (probably: Solana addresses carry no checksum)");
        }
        if let Some(reason) = &self.reason {
            s.push_str(": ");
            s.push_str(reason);
        }
        s
    }
}

fn with_article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// Every reading of one token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identification {
    /// The token, with surrounding whitespace removed.
    pub input: String,
    /// Valid readings first, then certain before uncertain. Empty when the token is no identifier.
    pub candidates: Vec<Candidate>,
    /// Why nothing matched, when that is worth telling (e.g. an EVM address one digit short).
    pub reason: Option<String>,
    pub reason_code: Option<ReasonCode>,
}

impl Identification {
    fn new(input: &str) -> Self {
        Identification {
            input: input.to_owned(),
            candidates: Vec::new(),
            reason: None,
            reason_code: None,
        }
    }

    fn reject(&mut self, code: ReasonCode, reason: impl Into<String>) {
        self.reason_code = Some(code);
        self.reason = Some(reason.into());
    }

    /// The most likely reading: the first valid one, else the first invalid one.
    #[must_use]
    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }

    /// The valid readings.
    pub fn valid(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates.iter().filter(|c| c.valid)
    }

    /// Whether some reading is valid.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.valid().next().is_some()
    }

    /// Whether some valid reading is an address.
    #[must_use]
    pub fn is_address(&self) -> bool {
        self.valid().any(|c| c.kind.is_address())
    }

    /// Whether some valid reading is a transaction id or hash.
    #[must_use]
    pub fn is_transaction(&self) -> bool {
        self.valid().any(|c| c.kind.is_transaction())
    }

    /// An English one-liner, e.g. "a Bitcoin bech32m (Taproot) address, mainnet".
    #[must_use]
    pub fn describe(&self) -> String {
        let valid: Vec<&Candidate> = self.valid().collect();
        let Some(first) = self.candidates.first() else {
            return match &self.reason {
                Some(reason) => format!("not an address or transaction id: {reason}"),
                None => "not an address or transaction id".to_owned(),
            };
        };
        if valid.is_empty() {
            return first.describe();
        }
        let mut s = valid
            .iter()
            .map(|c| c.describe())
            .collect::<Vec<_>>()
            .join(" or ");
        if valid.len() > 1 {
            s.insert_str(0, "either ");
        }
        for c in self.candidates.iter().filter(|c| !c.valid) {
            if c.reason_code == Some(ReasonCode::MissingPrefix) {
                s.push_str(&format!(
                    " (or {} with its 0x prefix left out)",
                    with_article(c.kind.noun())
                ));
            }
        }
        s
    }
}

/// Says what `token` is. Surrounding whitespace is ignored. Never panics; work is bounded by the
/// token's length (base58 decoding, the costliest step, only runs on tokens of up to 111 bytes).
#[must_use]
pub fn identify(token: &str) -> Identification {
    let input = token.trim();
    let mut id = Identification::new(input);
    if input.is_empty() {
        id.reject(ReasonCode::Empty, "nothing was given");
        return id;
    }
    if !input.bytes().all(|b| b.is_ascii_alphanumeric()) {
        id.reject(
            ReasonCode::NotRecognised,
            "addresses and transaction ids use only the letters a to z, A to Z and digits",
        );
        return id;
    }
    if let Some(body) = strip_0x(input) {
        identify_0x(&mut id, body);
    } else if let Some((hrp_len, network)) = segwit_prefix(input) {
        id.candidates.push(segwit(input, hrp_len, network));
    } else {
        if codec::is_hex(input) {
            identify_bare_hex(&mut id, input);
        }
        if id.candidates.is_empty() {
            identify_base58check(&mut id, input);
        }
    }
    if !id.candidates.iter().any(|c| c.valid)
        && let Some(c) = solana(input)
    {
        id.candidates.push(c);
    }
    if id.candidates.is_empty() && id.reason.is_none() {
        explain_other_bech32(&mut id, input);
    }
    // Stable: keeps the order the readings were added in among equals.
    id.candidates.sort_by_key(|c| (!c.valid, !c.certain));
    if !id.candidates.is_empty() {
        id.reason = None;
        id.reason_code = None;
    }
    id
}

fn strip_0x(s: &str) -> Option<&str> {
    s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))
}

fn identify_0x(id: &mut Identification, body: &str) {
    if body.is_empty() {
        id.reject(ReasonCode::WrongLength, "nothing follows 0x");
        return;
    }
    if !codec::is_hex(body) {
        id.reject(
            ReasonCode::BadCharacter,
            "0x is followed by characters that are not hex digits (0-9, a-f)",
        );
        return;
    }
    match body.len() {
        40 => id.candidates.push(evm_address(body, true)),
        64 => id.candidates.push(
            Candidate::new(
                IdKind::EvmTxHash,
                None,
                format!("0x{}", body.to_ascii_lowercase()),
            )
            .uncertain(),
        ),
        n if n < 52 => id.reject(
            ReasonCode::WrongLength,
            format!("0x + {n} hex digits: an EVM address has 40"),
        ),
        n => id.reject(
            ReasonCode::WrongLength,
            format!("0x + {n} hex digits: a transaction hash has 64"),
        ),
    }
}

fn identify_bare_hex(id: &mut Identification, s: &str) {
    let lower = s.to_ascii_lowercase();
    match s.len() {
        40 => id.candidates.push(evm_address(s, false)),
        42 if lower.starts_with("41") => {
            if let Some(bytes) = codec::hex_decode(&lower) {
                let mut c =
                    Candidate::new(IdKind::TronAddress, None, codec::base58check_encode(&bytes))
                        .uncertain();
                c.tron_hex = Some(lower);
                id.candidates.push(c);
            }
        }
        64 => {
            id.candidates
                .push(Candidate::new(IdKind::BitcoinTxid, None, lower.clone()).uncertain());
            id.candidates
                .push(Candidate::new(IdKind::TronTxId, None, lower.clone()).uncertain());
            id.candidates.push(
                Candidate::new(IdKind::EvmTxHash, None, format!("0x{lower}"))
                    .uncertain()
                    .invalid(
                        ReasonCode::MissingPrefix,
                        "missing 0x prefix: an EVM transaction hash is written 0x followed by 64 hex digits",
                    ),
            );
        }
        _ => {}
    }
}

/// `body` is 40 hex digits.
fn evm_address(body: &str, prefixed: bool) -> Candidate {
    let lower = body.to_ascii_lowercase();
    let checksummed = eip55(&lower);
    let has_upper = body.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = body.bytes().any(|b| b.is_ascii_lowercase());
    let c = Candidate::new(IdKind::EvmAddress, None, format!("0x{checksummed}"));
    if has_upper && has_lower && body != checksummed {
        let as_typed = Candidate::new(IdKind::EvmAddress, None, format!("0x{body}"));
        return as_typed.invalid(
            ReasonCode::BadChecksum,
            "bad EIP-55 checksum: the mix of upper and lower case does not match, so a character is probably wrong",
        );
    }
    if !prefixed {
        return c.uncertain().invalid(
            ReasonCode::MissingPrefix,
            "missing 0x prefix: an EVM address is written 0x followed by 40 hex digits",
        );
    }
    if (has_upper || has_lower) && body == checksummed {
        c.with_checksum()
    } else {
        c
    }
}

/// EIP-55 case for 40 lower-case hex digits (without `0x`).
fn eip55(lower: &str) -> String {
    let hash = codec::keccak256(lower.as_bytes());
    let nibbles = hash.iter().flat_map(|b| [b >> 4, b & 0x0f]);
    lower
        .chars()
        .zip(nibbles)
        .map(|(c, n)| if n >= 8 { c.to_ascii_uppercase() } else { c })
        .collect()
}

const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const SEGWIT_MAX_LEN: usize = 90;
const CHECKSUM_CHARS: usize = 6;

/// The length of a Bitcoin bech32 prefix including the separator, and its network.
fn segwit_prefix(s: &str) -> Option<(usize, Network)> {
    [
        ("bcrt1", Network::Regtest),
        ("bc1", Network::Mainnet),
        ("tb1", Network::Testnet),
    ]
    .into_iter()
    .find(|(p, _)| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
    .map(|(p, n)| (p.len(), n))
}

fn fe32(c: u8) -> Option<u8> {
    BECH32_CHARSET
        .iter()
        .position(|&x| x == c)
        .and_then(|i| u8::try_from(i).ok())
}

fn segwit_kind(version: u8, program_len: usize) -> IdKind {
    match (version, program_len) {
        (0, 20) => IdKind::P2wpkh,
        (0, 32) => IdKind::P2wsh,
        (1, 32) => IdKind::P2tr,
        _ => IdKind::WitnessFuture,
    }
}

/// A token that starts with `bc1`, `tb1` or `bcrt1`: always a Bitcoin reading, valid or not,
/// checked against every BIP173/BIP350 rule.
fn segwit(s: &str, prefix_len: usize, network: Network) -> Candidate {
    let lower = s.to_ascii_lowercase();
    let data: Vec<u8> = lower.bytes().skip(prefix_len).collect();
    let version = data.first().copied().and_then(fe32);
    let approx_program_len = data.len().saturating_sub(1 + CHECKSUM_CHARS) * 5 / 8;
    let kind = segwit_kind(version.unwrap_or(0), approx_program_len);
    let mut c = Candidate::new(kind, Some(network), lower.clone());
    c.witness_version = version.filter(|v| *v <= 16);

    let has_upper = s.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = s.bytes().any(|b| b.is_ascii_lowercase());
    if has_upper && has_lower {
        return c.invalid(
            ReasonCode::MixedCase,
            "mixes upper and lower case, which bech32 does not allow",
        );
    }
    if s.len() > SEGWIT_MAX_LEN {
        return c.invalid(
            ReasonCode::TooLong,
            format!(
                "{} characters: a bech32 address has at most {SEGWIT_MAX_LEN}",
                s.len()
            ),
        );
    }
    if let Some(&bad) = data.iter().find(|&&b| fe32(b).is_none()) {
        return c.invalid(
            ReasonCode::BadCharacter,
            format!(
                "contains '{}', which bech32 does not use (after the prefix there is no 1, b, i or o)",
                char::from(bad)
            ),
        );
    }
    if data.len() < 1 + CHECKSUM_CHARS {
        return c.invalid(
            ReasonCode::WrongLength,
            "too short to hold a witness version and a checksum",
        );
    }
    let (is_bech32, is_bech32m) = match UncheckedHrpstring::new(&lower) {
        Ok(u) => (
            u.has_valid_checksum::<Bech32>(),
            u.has_valid_checksum::<Bech32m>(),
        ),
        Err(_) => (false, false),
    };
    if !is_bech32 && !is_bech32m {
        return c.invalid(
            ReasonCode::BadChecksum,
            "bad checksum: a character is wrong, missing or swapped",
        );
    }
    let Some(version) = version.filter(|v| *v <= 16) else {
        return c.invalid(
            ReasonCode::BadWitnessVersion,
            "the witness version (the character after the prefix) must be 0 to 16 (q, p, z, … l)",
        );
    };
    if version == 0 && !is_bech32 {
        return c.invalid(
            ReasonCode::WrongChecksumVariant,
            "witness version 0 must use the bech32 checksum, but this uses bech32m",
        );
    }
    if version > 0 && !is_bech32m {
        return c.invalid(
            ReasonCode::WrongChecksumVariant,
            format!(
                "witness version {version} must use the bech32m checksum (BIP350), but this uses the older bech32"
            ),
        );
    }
    let program_chars = data.get(1..data.len() - CHECKSUM_CHARS).unwrap_or_default();
    let program = match five_to_eight(program_chars) {
        Ok(p) => p,
        Err(reason) => return c.invalid(ReasonCode::BadPadding, reason),
    };
    if !(2..=40).contains(&program.len()) {
        return c.invalid(
            ReasonCode::BadProgramLength,
            format!(
                "the witness program is {} bytes; it must be 2 to 40",
                program.len()
            ),
        );
    }
    if version == 0 && program.len() != 20 && program.len() != 32 {
        return c.invalid(
            ReasonCode::BadProgramLength,
            format!(
                "the witness program is {} bytes; for version 0 it must be 20 or 32",
                program.len()
            ),
        );
    }
    c.kind = segwit_kind(version, program.len());
    let opcode = if version == 0 { 0 } else { 0x50 + version };
    let mut script = vec![opcode, u8::try_from(program.len()).unwrap_or(0)];
    script.extend_from_slice(&program);
    c.script_pubkey = Some(codec::hex_encode(&script));
    c.with_checksum()
}

/// Regroups bech32 characters (5 bits each) into bytes, enforcing BIP173's padding rule.
fn five_to_eight(chars: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut out = Vec::with_capacity(chars.len() * 5 / 8);
    for v in chars.iter().filter_map(|&c| fe32(c)) {
        acc = ((acc << 5) | u32::from(v)) & 0xfff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap_or(0));
        }
    }
    if bits > 4 {
        return Err("the data has more than 4 bits of padding left over");
    }
    if acc & ((1 << bits) - 1) != 0 {
        return Err("the padding bits at the end of the data are not zero");
    }
    Ok(out)
}

fn is_base58(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l'))
}

const BASE58_ADDRESS_LEN: Range<usize> = 25..36;
const WIF_LEN: Range<usize> = 51..53;
const EXTENDED_KEY_LEN: usize = 111;

fn identify_base58check(id: &mut Identification, s: &str) {
    let len = s.len();
    let worth_decoding =
        BASE58_ADDRESS_LEN.contains(&len) || WIF_LEN.contains(&len) || len == EXTENDED_KEY_LEN;
    if !worth_decoding {
        return;
    }
    if !is_base58(s) {
        if BASE58_ADDRESS_LEN.contains(&len) && s.starts_with(['1', '3', 'm', 'n', '2', 'T']) {
            id.reject(
                ReasonCode::BadCharacter,
                "base58 addresses never contain 0 (zero), O (capital o), I (capital i) or l (small L)",
            );
        }
        return;
    }
    if let Some(payload) = codec::base58check_decode(s) {
        base58check_payload(id, s, &payload);
        return;
    }
    // The checksum failed. If the bytes otherwise look like an address, say so.
    let Some(raw) = codec::base58_decode(s) else {
        return;
    };
    if raw.len() != 25 {
        return;
    }
    let kind = match raw.first() {
        Some(0x00 | 0x6f) => IdKind::P2pkh,
        Some(0x05 | 0xc4) => IdKind::P2sh,
        Some(0x41) => IdKind::TronAddress,
        _ => return,
    };
    let network = match raw.first() {
        Some(0x00 | 0x05) => Some(Network::Mainnet),
        Some(0x6f | 0xc4) => Some(Network::Testnet),
        _ => None,
    };
    id.candidates
        .push(Candidate::new(kind, network, s.to_owned()).invalid(
            ReasonCode::BadChecksum,
            "bad checksum: a character is wrong, missing or swapped",
        ));
}

fn base58check_payload(id: &mut Identification, s: &str, payload: &[u8]) {
    match payload {
        [version, hash @ ..] if hash.len() == 20 => {
            let hash_hex = codec::hex_encode(hash);
            let (kind, network, script) = match version {
                0x00 => (IdKind::P2pkh, Network::Mainnet, p2pkh_script(&hash_hex)),
                0x6f => (IdKind::P2pkh, Network::Testnet, p2pkh_script(&hash_hex)),
                0x05 => (IdKind::P2sh, Network::Mainnet, format!("a914{hash_hex}87")),
                0xc4 => (IdKind::P2sh, Network::Testnet, format!("a914{hash_hex}87")),
                0x41 => {
                    let mut c =
                        Candidate::new(IdKind::TronAddress, None, s.to_owned()).with_checksum();
                    c.tron_hex = Some(format!("41{hash_hex}"));
                    id.candidates.push(c);
                    return;
                }
                v => {
                    id.reject(
                        ReasonCode::UnknownPrefix,
                        format!(
                            "a base58 address with version byte 0x{v:02x}, which is neither Bitcoin nor TRON (another coin?)"
                        ),
                    );
                    return;
                }
            };
            let mut c = Candidate::new(kind, Some(network), s.to_owned()).with_checksum();
            c.script_pubkey = Some(script);
            id.candidates.push(c);
        }
        [0x80 | 0xef, key @ ..]
            if key.len() == 32 || (key.len() == 33 && key.last() == Some(&1)) =>
        {
            id.reject(
                ReasonCode::PrivateKey,
                "this is a private key (WIF), not an address: whoever has it controls the funds",
            );
        }
        _ if payload.len() == 78 => {
            let private = s.get(1..4) == Some("prv");
            id.reject(
                ReasonCode::ExtendedKey,
                if private {
                    "this is an extended private key, not an address: whoever has it controls the wallet's funds"
                } else {
                    "this is an extended public key: it stands for all of a wallet's addresses, not one"
                },
            );
        }
        _ => id.reject(
            ReasonCode::NotRecognised,
            "valid base58check, but not an address format this desk knows",
        ),
    }
}

fn p2pkh_script(hash_hex: &str) -> String {
    format!("76a914{hash_hex}88ac")
}

const SOLANA_LEN: Range<usize> = 32..45;

fn solana(s: &str) -> Option<Candidate> {
    if !SOLANA_LEN.contains(&s.len()) || !is_base58(s) {
        return None;
    }
    let bytes = codec::base58_decode(s)?;
    (bytes.len() == 32)
        .then(|| Candidate::new(IdKind::SolanaAddress, None, s.to_owned()).uncertain())
}

/// A well-formed bech32 string with a prefix Bitcoin does not use (`tc1…`, `sp1…`, `ltc1…`).
fn explain_other_bech32(id: &mut Identification, s: &str) {
    if !s.contains('1') {
        return;
    }
    let hrp = CheckedHrpstring::new::<Bech32>(s)
        .map(|c| c.hrp())
        .or_else(|_| CheckedHrpstring::new::<Bech32m>(s).map(|c| c.hrp()));
    if let Ok(hrp) = hrp {
        id.reject(
            ReasonCode::UnknownPrefix,
            format!(
                "a bech32 string with the prefix '{}', which is not a Bitcoin address (those start with bc1, tb1 or bcrt1)",
                hrp.to_lowercase()
            ),
        );
    }
}

/// Finds identifiers in free text: every maximal run of ASCII letters and digits (so `0x…`
/// included) that has a valid reading, with its byte range. Linear in the text: runs whose length
/// no identifier has are skipped before any decoding.
///
/// Note that 64 hex digits are reported (as transaction ids) even though they may be a raw
/// private key, and a 32-byte secret written in base58 is indistinguishable from a Solana
/// address; [`redact`](mod@crate::redact) makes that call. WIF keys, extended keys and 64-byte
/// Solana secret keys are never reported.
#[must_use]
pub fn find_identifiers(text: &str) -> Vec<(Range<usize>, Identification)> {
    let mut found = Vec::new();
    let mut start = None;
    let ends = text.bytes().chain(std::iter::once(b' '));
    for (i, b) in ends.enumerate() {
        match (b.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                if let Some(token) = text.get(s..i)
                    && could_be_identifier(token)
                {
                    let id = identify(token);
                    if id.is_valid() {
                        found.push((s..i, id));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Cheap length test: false means [`identify`] cannot find a valid reading.
fn could_be_identifier(token: &str) -> bool {
    let n = token.len();
    if segwit_prefix(token).is_some() {
        // bc1 + version + 4 program characters + 6 checksum characters, up to the BIP173 limit.
        return (14..=SEGWIT_MAX_LEN).contains(&n);
    }
    BASE58_ADDRESS_LEN.contains(&n) || SOLANA_LEN.contains(&n) || n == 64 || n == 66
}

/// Something wrong with a form field that should hold an address or a transaction id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentError {
    #[error("nothing was given")]
    Empty,
    #[error("this is {} address, not a transaction hash", .chain.with_article())]
    AddressNotTxHash { chain: Chain },
    #[error("this is a transaction hash, not an address")]
    TxHashNotAddress,
    /// The caller asked for one chain and the string belongs to another.
    #[error("not {} {}: this is {}", .expected.with_article(), expected_noun(*.expected, *.found), .found.short_with_article())]
    WrongChain { expected: Chain, found: IdKind },
    /// The string is meant as this kind but is not valid; `reason` says why.
    #[error("{reason}")]
    Invalid {
        kind: IdKind,
        code: ReasonCode,
        reason: String,
    },
    #[error("not an address or transaction id{}", .reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    Unrecognised {
        code: ReasonCode,
        reason: Option<String>,
    },
}

/// What `expected` calls the thing `found` is: "address", or its word for a transaction.
fn expected_noun(expected: Chain, found: IdKind) -> &'static str {
    match (found.is_transaction(), expected) {
        (false, _) => "address",
        (true, Chain::Evm) => "transaction hash",
        (true, _) => "transaction id",
    }
}

impl IdentError {
    /// A stable snake_case code for translation and for the JSON error contract.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            IdentError::Empty => "empty",
            IdentError::AddressNotTxHash { .. } => "address_not_tx_hash",
            IdentError::TxHashNotAddress => "tx_hash_not_address",
            IdentError::WrongChain { .. } => "wrong_chain",
            IdentError::Invalid { code, .. } | IdentError::Unrecognised { code, .. } => {
                code.as_str()
            }
        }
    }
}

/// A valid address, parsed once at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Address {
    chain: Chain,
    kind: IdKind,
    network: Option<Network>,
    normalized: String,
}

impl Address {
    /// Parses an address, of the given chain if one is given.
    ///
    /// With `Some(Chain::Evm)`, 40 hex digits without `0x` are accepted (the chain is known, so the
    /// prefix adds nothing); [`identify`] alone calls them invalid.
    ///
    /// # Errors
    /// [`IdentError`] says why not: a transaction hash, another chain's address, a bad checksum…
    pub fn parse(s: &str, chain: Option<Chain>) -> Result<Address, IdentError> {
        let id = identify(s);
        let wanted = |c: &&Candidate| chain.is_none_or(|ch| c.chain == ch);
        let addresses = || id.candidates.iter().filter(|c| c.kind.is_address());
        if let Some(c) = addresses().filter(wanted).find(|c| c.valid) {
            return Ok(Address::from_candidate(c));
        }
        if let Some(c) = addresses().find(wanted) {
            if chain == Some(Chain::Evm) && c.reason_code == Some(ReasonCode::MissingPrefix) {
                return Ok(Address::from_candidate(c));
            }
            return Err(invalid(c));
        }
        if let (Some(expected), Some(c)) = (chain, addresses().next()) {
            return Err(IdentError::WrongChain {
                expected,
                found: c.kind,
            });
        }
        if id.is_transaction() {
            return Err(IdentError::TxHashNotAddress);
        }
        Err(unrecognised(&id))
    }

    #[must_use]
    pub fn chain(&self) -> Chain {
        self.chain
    }

    #[must_use]
    pub fn kind(&self) -> IdKind {
        self.kind
    }

    #[must_use]
    pub fn network(&self) -> Option<Network> {
        self.network
    }

    /// The canonical spelling (see [`Candidate::normalized`]).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    fn from_candidate(c: &Candidate) -> Address {
        Address {
            chain: c.chain,
            kind: c.kind,
            network: c.network,
            normalized: c.normalized.clone(),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

impl FromStr for Address {
    type Err = IdentError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Address::parse(s, None)
    }
}

/// A transaction id or hash, parsed once at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TxHash {
    chain: Option<Chain>,
    normalized: String,
}

impl TxHash {
    /// Parses a transaction id, of the given chain if one is given.
    ///
    /// Without a chain, 64 bare hex digits fit both Bitcoin and TRON, and [`TxHash::chain`] is
    /// `None`. With `Some(Chain::Evm)`, 64 hex digits without `0x` are accepted and given one.
    ///
    /// # Errors
    /// [`IdentError`] says why not: an address, another chain's hash, a wrong length…
    pub fn parse(s: &str, chain: Option<Chain>) -> Result<TxHash, IdentError> {
        let id = identify(s);
        let wanted = |c: &&Candidate| chain.is_none_or(|ch| c.chain == ch);
        let hashes = || id.candidates.iter().filter(|c| c.kind.is_transaction());
        let valid: Vec<&Candidate> = hashes().filter(wanted).filter(|c| c.valid).collect();
        if let [first, rest @ ..] = valid.as_slice() {
            let chain = rest.is_empty().then_some(first.chain);
            return Ok(TxHash {
                chain,
                normalized: first.normalized.clone(),
            });
        }
        if let Some(c) = hashes().find(wanted) {
            if chain == Some(Chain::Evm) && c.reason_code == Some(ReasonCode::MissingPrefix) {
                return Ok(TxHash {
                    chain,
                    normalized: c.normalized.clone(),
                });
            }
            return Err(invalid(c));
        }
        if let Some(c) = id.candidates.iter().find(|c| c.kind.is_address()) {
            return Err(IdentError::AddressNotTxHash { chain: c.chain });
        }
        if let (Some(expected), Some(c)) = (chain, hashes().next()) {
            return Err(IdentError::WrongChain {
                expected,
                found: c.kind,
            });
        }
        Err(unrecognised(&id))
    }

    /// The chain, when the form says it (an EVM `0x` hash) or the caller did.
    #[must_use]
    pub fn chain(&self) -> Option<Chain> {
        self.chain
    }

    /// Lower-case hex; EVM hashes with `0x`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.normalized
    }
}

impl fmt::Display for TxHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

impl FromStr for TxHash {
    type Err = IdentError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TxHash::parse(s, None)
    }
}

fn invalid(c: &Candidate) -> IdentError {
    IdentError::Invalid {
        kind: c.kind,
        code: c.reason_code.unwrap_or(ReasonCode::NotRecognised),
        reason: c.reason.clone().unwrap_or_else(|| "not valid".to_owned()),
    }
}

fn unrecognised(id: &Identification) -> IdentError {
    match id.reason_code {
        Some(ReasonCode::Empty) => IdentError::Empty,
        code => IdentError::Unrecognised {
            code: code.unwrap_or(ReasonCode::NotRecognised),
            reason: id.reason.clone(),
        },
    }
}
