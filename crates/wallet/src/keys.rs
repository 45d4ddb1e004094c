//! Private keys in free text: WIF, BIP32 extended private keys, raw hex keys, Ethereum V3
//! keystores and Solana secret keys.
//!
//! [`find_private_keys`] returns byte spans into the text, sorted and non-overlapping (when two
//! candidates overlap the wider one is kept). It never copies a key out of the text: decoded key
//! bytes live in fixed buffers that are wiped when the check is done. Work is linear in the input:
//! every scan moves forward, and every expensive check (Base58 decoding) runs on a token of
//! bounded length.
//!
//! # Tokens
//! WIF, extended keys, hex and Base58 Solana keys are looked for in maximal runs of ASCII letters
//! and digits, so a key glued to Chinese text (`私钥是5Hue…。`) is found, but a key glued to
//! other letters or digits is not (it is then part of something longer). A key broken once by
//! a space or a line break is found too (see "Keys split in two").
//!
//! # WIF and extended private keys
//! * Checksum valid and the payload is a WIF (version `0x80` or `0xEF`, 32 bytes, optional
//!   `0x01` compression flag) or an extended private key (one of the eight private versions,
//!   78 bytes): reported with `checksum_valid: Some(true)` and confidence 0.99.
//! * Checksum (or payload) wrong but the string has the exact shape — only Base58 characters,
//!   51 characters starting with `5` or `9` or 52 starting with `K`, `L` or `c` for WIF; 111
//!   characters starting with `xprv`, `tprv`, `yprv`, `zprv`, `Yprv`, `Zprv`, `uprv` or `vprv`
//!   for extended keys: most likely a key with a typo, which is still nearly the whole secret.
//!   Reported with `checksum_valid: Some(false)` and lower confidence (0.6 WIF, 0.7 extended).
//!   An extended-private prefix is distinctive enough that 100–120 Base58 characters after it
//!   (characters lost or doubled in copying) are reported too, with confidence 0.5.
//! * A checksum-valid payload of 32 bytes (or 33 ending in `0x01`) with any other version byte
//!   is another coin's WIF (Litecoin `0xB0`, Dogecoin `0x9E`, Dash `0xCC`…): reported, with
//!   confidence 0.9. Nothing else users paste has that shape.
//! * Extended *public* keys (`xpub`, `zpub`…) are not secrets and are never reported.
//!
//! # Raw hex keys: the context rule
//! 64 hex digits (with or without `0x`) are a secp256k1 or ed25519 private key — or a Bitcoin
//! txid, an EVM or TRON transaction hash, a block hash, which users should send. The rule:
//!
//! 1. Only a *whole* run counts: 64 hex digits inside a longer run of letters and digits (a
//!    128+-digit signature or raw transaction) are not a key by themselves.
//! 2. **The nearest label wins.** A label is looked for before the candidate, on the same line
//!    or at most 80 characters back (across line breaks), case-insensitively, as a whole word:
//!    * key labels: `private key`, `privkey`, `priv key`, `secret key`, `secret`, `key:`, `key=`,
//!      `pk`, `私钥`, `密钥`, `秘钥`, `私匙`, `私鑰`, `密鑰`, `钱包私钥` (and spellings with
//!      `-`/`_`) ⇒ a secret;
//!    * request words, which ask for a key to be used: `key` ("my key is 0x…"), `import`,
//!      `importing`, `imported` ("please import this for me 0x…"), `导入`, `導入` ⇒ a secret,
//!      except in a [`FieldHint::TxHash`] field (rule 3);
//!    * transaction labels: `txid`, `tx`, `tx id`, `tx hash`, `tx:`, `transaction`, `hash`,
//!      `signature`, `explorer`, `交易`, `哈希`, `交易哈希`, `交易ID`, `转账`, `区块浏览器`,
//!      `浏览器`, `签名`, and explorer paths `/tx/`, `/txs/`, `/transaction/`; and the labels of
//!      other digests that users paste: `sha256`, `sha256sum`, `checksum`, `digest`,
//!      `fingerprint`, `block hash`, `校验值`, `哈希值`, `指纹`, `区块哈希`; and the words users
//!      write around a transaction they ask about: `withdrawal`, `deposit`, `broadcast`,
//!      `speed up`, `pending`, `sent`, `transfer`, `payment`, `提币`, `充值`, `广播`, `加速`,
//!      `确认`, `到账`, `打包`, `付款` ⇒ not a secret.
//!
//!    When labels of two kinds end at the same place, a key label wins over a request word, and
//!    both over a transaction label. This is the only place the words around a 64-hex value are
//!    weighed; `0x` prefixes and field hints come after it.
//! 3. The field hint is the strongest signal after an explicit key label: in a
//!    [`FieldHint::TxHash`] field a value with no label in reach, or with only a request word,
//!    is a hash, not a secret. (A key label still wins there: someone who writes "private key"
//!    in the hash field pasted a key.)
//! 4. Otherwise `0x`-prefixed ⇒ a transaction hash (EVM wallets and explorers show hashes with
//!    `0x`, while MetaMask and Trust Wallet export private keys without it); bare ⇒ a secret
//!    (fail safe). [`FieldHint::Address`] is treated like free text.
//! 5. Values that cannot be secp256k1 keys are skipped: all zeros, or ≥ the group order n.
//!
//! 128 hex digits (64 bytes) are an ed25519 keypair (Solana's `secret key`) only after a key
//! label; otherwise they are a signature or other data. They are reported as
//! [`SecretKind::SolanaSecretKey`].
//!
//! Confidence: 0.9 after a key label or request word, 0.6 for a bare run with no label.
//!
//! # Solana secret keys
//! * A JSON array of exactly 64 integers 0–255 (`solana-keygen`'s `id.json`; whitespace and line
//!   breaks allowed): reported, confidence 0.9. Checking that the second half is the ed25519
//!   public key of the first half would need an ed25519 implementation, which this crate does not
//!   have, so the shape is enough.
//! * A Base58 string of 87–88 characters that decodes to exactly 64 bytes. A Solana transaction
//!   signature has exactly the same shape, so the hex context rule decides (labels, then the
//!   `TxHash` field; with no label it is reported, fail safe, with confidence 0.75).
//!
//! # Ethereum V3 keystores
//! An object with a `"crypto"` (or `"Crypto"`) member whose span also contains `"ciphertext"`:
//! the whole object is reported, found by brace matching that respects JSON strings. It may sit
//! inside prose, be pretty-printed or minified, or be truncated or slightly broken: the span then
//! runs from its opening brace to the end of the last JSON-looking token (a string cut by a line
//! break ends the span at that line break). A bare `"ciphertext": "…"` member elsewhere is
//! reported too. The keystore is encrypted, but a weak password makes it a key, so it is removed.
//!
//! # Not covered
//! * WIFs of other coins (Litecoin `T…`/`6…`, Dogecoin `Q…`, Dash `X…`…): Base58Check-valid with
//!   another version byte. Bitcoin Core's invalid-key vectors include such strings, so they are
//!   only reported when they also have a Bitcoin WIF shape (then with `checksum_valid: Some(false)`).
//! * Keys split more than once, or by more than one space or line break, and key formats of
//!   other chains (Tezos `edsk…`, NEAR `ed25519:…`, Cardano `xprv1…` Bech32…).
//!
//! # Keys split in two
//! One space, tab or line break inside a key (a copy across two lines, a stray space) is seen:
//! two runs of at least 8 letters and digits, separated by at most two bytes of whitespace,
//! that together are a WIF or an extended private key *with a valid checksum* (two words of a
//! sentence never have one), or 64 hex digits, which then go through the context rule below.
//! * `public key: <64 hex>` is treated as a secret (`key:` is a key label): people do call their
//!   private key a public key, and a 64-digit public key is rare (x-only Taproot keys).

use zeroize::{Zeroize, Zeroizing};

use crate::codec::sha256d;
use crate::redact::{FieldHint, Finding, SecretKind};

/// Every private key in `text`, as sorted, non-overlapping byte spans. See the module docs for
/// the rules. `field` says which field the text came from; it only matters for 64-byte and
/// 32-byte values that could be transaction hashes or signatures.
#[must_use]
pub fn find_private_keys(text: &str, field: FieldHint) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut pending = Vec::new();
    scan_tokens(text, &mut found, &mut pending);
    if !pending.is_empty() {
        let labels = Labels::new(text, &pending);
        for p in pending {
            if let Some(c) = decide_contextual(text, &labels, &p, field) {
                found.push(c);
            }
        }
    }
    find_keystores(text.as_bytes(), &mut found);
    find_ciphertext_members(text.as_bytes(), &mut found);
    find_byte_arrays(text.as_bytes(), &mut found);
    keep_widest(found)
}

/// A span that is a secret.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    kind: SecretKind,
    start: usize,
    end: usize,
    checksum_valid: Option<bool>,
    confidence: f32,
}

impl Candidate {
    fn len(&self) -> usize {
        self.end - self.start
    }

    fn into_finding(self) -> Finding {
        Finding {
            kind: self.kind,
            start: self.start,
            end: self.end,
            language: None,
            words: None,
            checksum_valid: self.checksum_valid,
            confidence: self.confidence,
        }
    }
}

/// A candidate whose meaning depends on the words before it.
#[derive(Debug, Clone, Copy)]
struct Pending {
    start: usize,
    end: usize,
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// 64 hex digits; `prefixed` when written with `0x`.
    Hex32 { prefixed: bool },
    /// 128 hex digits.
    Hex64,
    /// Base58 decoding to 64 bytes.
    Base58Bytes64,
}

/// Sorts and keeps, of any overlapping candidates, the wider (the earlier on a tie).
fn keep_widest(mut all: Vec<Candidate>) -> Vec<Finding> {
    all.sort_by(|a, b| a.start.cmp(&b.start).then(b.len().cmp(&a.len())));
    let mut kept: Vec<Candidate> = Vec::with_capacity(all.len());
    for c in all {
        match kept.last_mut() {
            Some(last) if c.start < last.end => {
                if c.len() > last.len() {
                    *last = c;
                }
            }
            _ => kept.push(c),
        }
    }
    kept.into_iter().map(Candidate::into_finding).collect()
}

// ---------------------------------------------------------------------------------------------
// Tokens: WIF, extended keys, hex, Base58 Solana keys.

const CHECKSUM_VALID: f32 = 0.99;
/// Checksum valid, 32-byte payload, version byte of a coin other than Bitcoin.
const ALTCOIN_WIF: f32 = 0.9;
const WIF_SHAPE_ONLY: f32 = 0.6;
const XPRV_SHAPE_ONLY: f32 = 0.7;
const XPRV_DAMAGED: f32 = 0.5;
const HEX_AFTER_KEY_LABEL: f32 = 0.9;
const HEX_NO_LABEL: f32 = 0.6;
const BASE58_64_AFTER_KEY_LABEL: f32 = 0.9;
const BASE58_64_NO_LABEL: f32 = 0.75;
const BYTE_ARRAY: f32 = 0.9;
const KEYSTORE_COMPLETE: f32 = 0.95;
const KEYSTORE_PARTIAL: f32 = 0.85;
const CIPHERTEXT_MEMBER: f32 = 0.8;

/// The private versions of BIP32 (and SLIP-132) extended keys, with their Base58 prefix.
const XPRV_VERSIONS: [([u8; 4], &str); 8] = [
    ([0x04, 0x88, 0xAD, 0xE4], "xprv"),
    ([0x04, 0x35, 0x83, 0x94], "tprv"),
    ([0x04, 0x9D, 0x78, 0x78], "yprv"),
    ([0x04, 0xB2, 0x43, 0x0C], "zprv"),
    ([0x02, 0x95, 0xB0, 0x05], "Yprv"),
    ([0x02, 0xAA, 0x7A, 0x99], "Zprv"),
    ([0x04, 0x4A, 0x4E, 0x28], "uprv"),
    ([0x04, 0x5F, 0x18, 0xBC], "vprv"),
];

/// Length of every Base58Check extended key (82 bytes).
const XPRV_LEN: usize = 111;

/// secp256k1's group order n, in lower-case hex.
const SECP256K1_ORDER_HEX: &[u8; 64] =
    b"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

fn is_base58_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l')
}

/// The shortest token any shape in [`classify_token`] can have (a WIF of 50 characters).
const MIN_KEY_TOKEN: usize = 50;

/// Calls [`classify_token`] on every maximal run of ASCII letters and digits of at least
/// [`MIN_KEY_TOKEN`] bytes (shorter runs are never a key), in order, then looks for keys split
/// in two ([`scan_split_tokens`]): one walk over the runs of at least [`MIN_SPLIT_PIECE`] serves
/// both, and what the split scan finds is added after what the whole tokens give, as when they
/// were two passes.
fn scan_tokens(text: &str, found: &mut Vec<Candidate>, pending: &mut Vec<Pending>) {
    let bytes = text.as_bytes();
    let mut split_found = Vec::new();
    let mut split_pending = Vec::new();
    let mut prev: Option<(usize, usize)> = None;
    for_each_long_run(bytes, MIN_SPLIT_PIECE, |start, end| {
        if end - start >= MIN_KEY_TOKEN
            && let Some(tok) = bytes.get(start..end)
        {
            classify_token(tok, start, found, pending);
        }
        scan_split_tokens(
            bytes,
            prev,
            (start, end),
            &mut split_found,
            &mut split_pending,
        );
        prev = Some((start, end));
    });
    found.append(&mut split_found);
    pending.append(&mut split_pending);
}

/// Whether each byte is an ASCII letter or digit: the run scans below test every byte they
/// read, and a table look-up is the cheapest test.
const ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        #[expect(clippy::cast_possible_truncation, reason = "b < 256")]
        let byte = b as u8;
        t[b] = byte.is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Calls `f(start, end)` on every maximal run of ASCII letters and digits of at least `min`
/// bytes, in order.
///
/// Ordinary text is words far shorter than that, so the scan skips ahead: at a run boundary
/// `i`, a run of `min` starting in `i..i + min` must cover byte `i + min - 1`; walking back from
/// there to the start of its run, any non-alphanumeric byte found means no long run starts
/// before it. Chinese text (UTF-8 bytes are never ASCII alphanumeric) is crossed `min` bytes at
/// a time, English a word at a time, and no byte is read more than twice.
fn for_each_long_run(bytes: &[u8], min: usize, mut f: impl FnMut(usize, usize)) {
    let alnum = |j: usize| bytes.get(j).is_some_and(|&b| ALNUM[usize::from(b)]);
    // Invariant: `i` is 0 or `bytes[i - 1]` is not alphanumeric (a run can start at `i`).
    let mut i = 0;
    while min > 0 && i + min <= bytes.len() {
        let probe = i + min - 1;
        let mut r = probe + 1;
        while r > i && alnum(r - 1) {
            r -= 1;
        }
        if r > i {
            // `bytes[r - 1]` is not alphanumeric: no long run starts in `i..r`.
            i = r;
            continue;
        }
        // `bytes[i..=probe]` are all alphanumeric: a long run starts at `i`.
        let mut end = probe + 1;
        while alnum(end) {
            end += 1;
        }
        f(i, end);
        // `bytes[end]` is not alphanumeric (or the text ends there).
        i = end + 1;
    }
}

/// The most bytes of whitespace that may split a key in two (a space, a tab, a line break,
/// `\r\n`).
const MAX_SPLIT_GAP: usize = 2;
/// The shortest piece of a split key (shorter pieces are words of the sentence around it).
const MIN_SPLIT_PIECE: usize = 8;

/// Keys with one space or line break inserted (a copy across two lines of a narrow screen, a
/// stray space): two runs of ASCII letters and digits, each at least [`MIN_SPLIT_PIECE`] long,
/// separated by at most [`MAX_SPLIT_GAP`] bytes of whitespace, that together have a key's shape.
/// A WIF or an extended key counts only with a valid checksum (two words of a sentence never
/// have one); 64 hex digits go through the context rule like an unbroken run. The joined
/// characters are copied into a wiped buffer, never a `String`. Linear: each run is looked at
/// with the one before it.
///
/// Only runs of at least `MIN_SPLIT_PIECE` can be a piece, so only those are visited (ordinary
/// words are skipped over): `prev` and `(start, end)` are two such runs in a row. They are
/// neighbours exactly when whitespace alone, at most `MAX_SPLIT_GAP` bytes of it, separates them:
/// any run between them would need a gap on each side.
fn scan_split_tokens(
    bytes: &[u8],
    prev: Option<(usize, usize)>,
    (start, end): (usize, usize),
    found: &mut Vec<Candidate>,
    pending: &mut Vec<Pending>,
) {
    if let Some((ps, pe)) = prev
        && (1..=MAX_SPLIT_GAP).contains(&(start - pe))
        && bytes[pe..start].iter().all(u8::is_ascii_whitespace)
    {
        check_split(bytes, (ps, pe), (start, end), found, pending);
    }
}

fn check_split(
    bytes: &[u8],
    (ps, pe): (usize, usize),
    (cs, ce): (usize, usize),
    found: &mut Vec<Candidate>,
    pending: &mut Vec<Pending>,
) {
    let (a, b) = (&bytes[ps..pe], &bytes[cs..ce]);
    let len = a.len() + b.len();
    if !(matches!(len, 51 | 52 | 64 | 66 | XPRV_LEN)) {
        return;
    }
    let mut joined = Zeroizing::new([0u8; XPRV_LEN]);
    joined[..a.len()].copy_from_slice(a);
    joined[a.len()..len].copy_from_slice(b);
    let tok = &joined[..len];
    let (prefixed, digits) = match tok {
        [b'0', b'x' | b'X', rest @ ..] => (true, rest),
        _ => (false, tok),
    };
    if digits.len() == 64 && digits.iter().all(u8::is_ascii_hexdigit) {
        if could_be_secp256k1_key(digits) {
            pending.push(Pending {
                start: ps,
                end: ce,
                shape: Shape::Hex32 { prefixed },
            });
        }
        return;
    }
    if !tok.iter().copied().all(is_base58_char) {
        return;
    }
    let candidate = match len {
        51 | 52 => check_wif(tok, ps),
        XPRV_LEN => check_xprv(tok, ps),
        _ => None,
    };
    if let Some(mut c) = candidate.filter(|c| c.checksum_valid == Some(true)) {
        c.end = ce;
        found.push(c);
    }
}

fn classify_token(
    tok: &[u8],
    start: usize,
    found: &mut Vec<Candidate>,
    pending: &mut Vec<Pending>,
) {
    if tok.len() < MIN_KEY_TOKEN {
        return;
    }
    let end = start + tok.len();
    let (prefixed, digits) = match tok {
        [b'0', b'x' | b'X', rest @ ..] => (true, rest),
        _ => (false, tok),
    };
    if digits.iter().all(u8::is_ascii_hexdigit) {
        match digits.len() {
            64 if could_be_secp256k1_key(digits) => {
                pending.push(Pending {
                    start,
                    end,
                    shape: Shape::Hex32 { prefixed },
                });
            }
            128 => pending.push(Pending {
                start,
                end,
                shape: Shape::Hex64,
            }),
            _ => {}
        }
        // A 64/128-digit hex run is never one of the Base58 shapes below.
        if matches!(digits.len(), 64 | 128) {
            return;
        }
    }
    if !tok.iter().copied().all(is_base58_char) {
        return;
    }
    match tok.len() {
        50..=53 => {
            if let Some(c) = check_wif(tok, start) {
                found.push(c);
            }
        }
        87 | 88 if decodes_to_64_bytes(tok) => pending.push(Pending {
            start,
            end,
            shape: Shape::Base58Bytes64,
        }),
        100..=120 => {
            if let Some(c) = check_xprv(tok, start) {
                found.push(c);
            }
        }
        _ => {}
    }
}

/// Whether 64 hex digits are a valid secp256k1 scalar (1 ≤ k < n), compared digit by digit so
/// that the key is never decoded into memory.
fn could_be_secp256k1_key(digits: &[u8]) -> bool {
    if digits.iter().all(|d| *d == b'0') {
        return false;
    }
    for (d, n) in digits.iter().zip(SECP256K1_ORDER_HEX.iter()) {
        let d = d.to_ascii_lowercase();
        if d != *n {
            return d < *n;
        }
    }
    false // equal to n
}

/// Decodes Base58 into a wiped buffer; `None` if it is not Base58 or too long for the buffer.
fn base58_into(tok: &[u8], buf: &mut [u8]) -> Option<usize> {
    bs58::decode(tok).onto(buf).ok()
}

/// Whether `payload ‖ checksum` in `raw` has a valid Base58Check checksum.
fn checksum_ok(raw: &[u8]) -> Option<&[u8]> {
    let split = raw.len().checked_sub(4)?;
    let (payload, check) = raw.split_at(split);
    let mut digest = sha256d(payload);
    let ok = digest.get(..4) == Some(check);
    digest.zeroize();
    ok.then_some(payload)
}

fn check_wif(tok: &[u8], start: usize) -> Option<Candidate> {
    let shape = matches!(
        (tok.len(), tok.first()),
        (51, Some(b'5' | b'9')) | (52, Some(b'K' | b'L' | b'c'))
    );
    let mut buf = Zeroizing::new([0u8; 64]);
    // Any version byte: Litecoin (0xB0), Dogecoin (0x9E), Dash (0xCC)… keys are secrets too.
    // Nothing else that users paste is Base58Check over exactly 32 (or 32 + 0x01) bytes.
    let version = base58_into(tok, buf.as_mut_slice()).and_then(|n| {
        buf.get(..n)
            .and_then(checksum_ok)
            .and_then(|payload| match payload {
                [v, rest @ ..]
                    if rest.len() == 32 || (rest.len() == 33 && rest.last() == Some(&0x01)) =>
                {
                    Some(*v)
                }
                _ => None,
            })
    });
    let end = start + tok.len();
    let kind = SecretKind::WifPrivateKey;
    if let Some(v) = version {
        Some(Candidate {
            kind,
            start,
            end,
            checksum_valid: Some(true),
            confidence: if matches!(v, 0x80 | 0xEF) {
                CHECKSUM_VALID
            } else {
                ALTCOIN_WIF
            },
        })
    } else if shape {
        Some(Candidate {
            kind,
            start,
            end,
            checksum_valid: Some(false),
            confidence: WIF_SHAPE_ONLY,
        })
    } else {
        None
    }
}

fn check_xprv(tok: &[u8], start: usize) -> Option<Candidate> {
    let prefix = tok.get(..4)?;
    if !XPRV_VERSIONS.iter().any(|(_, p)| p.as_bytes() == prefix) {
        return None;
    }
    let mut buf = Zeroizing::new([0u8; 96]);
    let valid = base58_into(tok, buf.as_mut_slice()).is_some_and(|n| {
        buf.get(..n).and_then(checksum_ok).is_some_and(|payload| {
            payload.len() == 78
                && XPRV_VERSIONS
                    .iter()
                    .any(|(v, _)| payload.get(..4) == Some(v.as_slice()))
        })
    });
    let end = start + tok.len();
    let kind = SecretKind::ExtendedPrivateKey;
    if valid {
        Some(Candidate {
            kind,
            start,
            end,
            checksum_valid: Some(true),
            confidence: CHECKSUM_VALID,
        })
    } else {
        let confidence = if tok.len() == XPRV_LEN {
            XPRV_SHAPE_ONLY
        } else {
            XPRV_DAMAGED
        };
        Some(Candidate {
            kind,
            start,
            end,
            checksum_valid: Some(false),
            confidence,
        })
    }
}

fn decodes_to_64_bytes(tok: &[u8]) -> bool {
    let mut buf = Zeroizing::new([0u8; 96]);
    base58_into(tok, buf.as_mut_slice()) == Some(64)
}

// ---------------------------------------------------------------------------------------------
// Labels and the context rule.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelKind {
    Key,
    /// A word that asks for a key to be used ("import", "my key", "导入"): a secret in free
    /// text, but weaker than the field hint (see the module docs).
    Request,
    Transaction,
}

/// Labels, matched ASCII-case-insensitively. ASCII letters or digits at either end must not
/// touch other ASCII letters or digits (a trailing plural `s` is allowed).
const LABELS: &[(&str, LabelKind)] = &[
    ("private key", LabelKind::Key),
    ("private-key", LabelKind::Key),
    ("private_key", LabelKind::Key),
    ("privatekey", LabelKind::Key),
    ("privkey", LabelKind::Key),
    ("priv key", LabelKind::Key),
    ("priv_key", LabelKind::Key),
    ("secret key", LabelKind::Key),
    ("secret_key", LabelKind::Key),
    ("secretkey", LabelKind::Key),
    ("secret", LabelKind::Key),
    ("key:", LabelKind::Key),
    ("key：", LabelKind::Key),
    ("key=", LabelKind::Key),
    ("key =", LabelKind::Key),
    ("pk", LabelKind::Key),
    ("私钥", LabelKind::Key),
    ("密钥", LabelKind::Key),
    ("秘钥", LabelKind::Key),
    ("私匙", LabelKind::Key),
    ("私鑰", LabelKind::Key),
    ("密鑰", LabelKind::Key),
    ("钱包私钥", LabelKind::Key),
    ("key", LabelKind::Request),
    ("import", LabelKind::Request),
    ("importing", LabelKind::Request),
    ("imported", LabelKind::Request),
    ("导入", LabelKind::Request),
    ("導入", LabelKind::Request),
    ("tx", LabelKind::Transaction),
    ("txid", LabelKind::Transaction),
    ("withdrawal", LabelKind::Transaction),
    ("withdraw", LabelKind::Transaction),
    ("deposit", LabelKind::Transaction),
    ("broadcast", LabelKind::Transaction),
    ("speed up", LabelKind::Transaction),
    ("pending", LabelKind::Transaction),
    ("confirmation", LabelKind::Transaction),
    ("confirmations", LabelKind::Transaction),
    ("unconfirmed", LabelKind::Transaction),
    ("sent", LabelKind::Transaction),
    ("send", LabelKind::Transaction),
    ("transfer", LabelKind::Transaction),
    ("payment", LabelKind::Transaction),
    ("提币", LabelKind::Transaction),
    ("提现", LabelKind::Transaction),
    ("充值", LabelKind::Transaction),
    ("广播", LabelKind::Transaction),
    ("加速", LabelKind::Transaction),
    ("确认", LabelKind::Transaction),
    ("到账", LabelKind::Transaction),
    ("未到账", LabelKind::Transaction),
    ("打包", LabelKind::Transaction),
    ("付款", LabelKind::Transaction),
    ("收款", LabelKind::Transaction),
    ("sha256", LabelKind::Transaction),
    ("sha256sum", LabelKind::Transaction),
    ("sha-256", LabelKind::Transaction),
    ("sha 256", LabelKind::Transaction),
    ("sha512", LabelKind::Transaction),
    ("md5", LabelKind::Transaction),
    ("checksum", LabelKind::Transaction),
    ("digest", LabelKind::Transaction),
    ("fingerprint", LabelKind::Transaction),
    ("block hash", LabelKind::Transaction),
    ("blockhash", LabelKind::Transaction),
    ("校验", LabelKind::Transaction),
    ("校验值", LabelKind::Transaction),
    ("校验和", LabelKind::Transaction),
    ("哈希值", LabelKind::Transaction),
    ("指纹", LabelKind::Transaction),
    ("区块哈希", LabelKind::Transaction),
    ("tx id", LabelKind::Transaction),
    ("tx-id", LabelKind::Transaction),
    ("tx_id", LabelKind::Transaction),
    ("txhash", LabelKind::Transaction),
    ("tx hash", LabelKind::Transaction),
    ("tx-hash", LabelKind::Transaction),
    ("tx:", LabelKind::Transaction),
    ("tx：", LabelKind::Transaction),
    ("transaction", LabelKind::Transaction),
    ("hash", LabelKind::Transaction),
    ("signature", LabelKind::Transaction),
    ("explorer", LabelKind::Transaction),
    ("交易", LabelKind::Transaction),
    ("哈希", LabelKind::Transaction),
    ("交易哈希", LabelKind::Transaction),
    ("交易id", LabelKind::Transaction),
    ("转账", LabelKind::Transaction),
    ("轉賬", LabelKind::Transaction),
    ("区块浏览器", LabelKind::Transaction),
    ("浏览器", LabelKind::Transaction),
    ("签名", LabelKind::Transaction),
    ("/tx/", LabelKind::Transaction),
    ("/txs/", LabelKind::Transaction),
    ("/transaction/", LabelKind::Transaction),
];

/// Indices into [`LABELS`] grouped by the label's first byte (in `LABELS` order within a group),
/// and each first byte's range in that list: every byte of the text is then compared only with
/// the labels that start with it, in the same order as a plain scan of `LABELS`.
const LABELS_BY_FIRST: ([usize; LABELS.len()], [(usize, usize); 256]) = {
    let mut order = [0usize; LABELS.len()];
    let mut ranges = [(0usize, 0usize); 256];
    let mut n = 0;
    let mut byte = 0;
    while byte < 256 {
        let start = n;
        let mut i = 0;
        while i < LABELS.len() {
            let label = LABELS[i].0.as_bytes();
            if !label.is_empty() && label[0] as usize == byte {
                order[n] = i;
                n += 1;
            }
            i += 1;
        }
        ranges[byte] = (start, n);
        byte += 1;
    }
    (order, ranges)
};

/// How far back (in characters) a label reaches across line breaks. On the same line a label
/// reaches any distance.
const LABEL_REACH_CHARS: usize = 80;

/// Every label in the text, by end offset, plus the line breaks.
struct Labels {
    /// `(end, kind)`, sorted by `end`; at most one entry per end (a key label wins a tie).
    ends: Vec<(usize, LabelKind)>,
    newlines: Vec<usize>,
}

impl Labels {
    /// The labels that can decide `pending` (sorted by start). Only a label ending in
    /// `reach_from(start)..=start` can reach a candidate at `start`: the nearest label before it
    /// is then found among them, and when none ends there the nearest one is out of reach anyway.
    /// So only the bytes where such labels start are matched against the label table, not the
    /// whole text (which may hold a 64-hex hash in a mebibyte of prose); the union of those
    /// stretches is scanned once, so the work stays linear.
    fn new(text: &str, pending: &[Pending]) -> Labels {
        let bytes = text.as_bytes();
        let newlines: Vec<usize> = memchr::memchr_iter(b'\n', bytes).collect();
        let longest = LABELS.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        let mut found: Vec<(usize, LabelKind)> = Vec::new();
        let mut next = 0usize;
        for p in pending {
            // A label ending at or after the candidate's line start reaches it on the same line;
            // one ending earlier reaches it only across at most LABEL_REACH_CHARS characters
            // (4 bytes each at most). A match at `i` ends at most `longest + 1` bytes later
            // (a plural `s`).
            let line_start = newlines
                .get(newlines.partition_point(|nl| *nl < p.start).wrapping_sub(1))
                .map_or(0, |nl| nl + 1);
            let reach_from = line_start.min(p.start.saturating_sub(LABEL_REACH_CHARS * 4));
            let from = next.max(reach_from.saturating_sub(longest + 1));
            for i in from..p.start.min(bytes.len()) {
                Self::match_at(bytes, i, &mut found);
            }
            next = next.max(p.start);
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(key_first(a.1, b.1)));
        found.dedup_by_key(|(end, _)| *end);
        Labels {
            ends: found,
            newlines,
        }
    }

    /// Every label that matches at byte `i`, as `(end, kind)`.
    fn match_at(bytes: &[u8], i: usize, found: &mut Vec<(usize, LabelKind)>) {
        if let Some(&b) = bytes.get(i) {
            // Inside a word: a label that starts with this byte starts with a letter or digit,
            // and so must not follow one ([`label_match_end`]). Most bytes of prose are here.
            if b.is_ascii_alphanumeric()
                && i.checked_sub(1)
                    .and_then(|p| bytes.get(p))
                    .is_some_and(u8::is_ascii_alphanumeric)
            {
                return;
            }
            let first = usize::from(b.to_ascii_lowercase());
            let (from, to) = LABELS_BY_FIRST.1[first];
            let second = bytes.get(i + 1).map(u8::to_ascii_lowercase);
            for &li in &LABELS_BY_FIRST.0[from..to] {
                let (label, kind) = LABELS[li];
                // The second byte turns most labels away before the full comparison does.
                if let Some(&l2) = label.as_bytes().get(1)
                    && Some(l2.to_ascii_lowercase()) != second
                {
                    continue;
                }
                if let Some(end) = label_match_end(bytes, i, label.as_bytes()) {
                    found.push((end, kind));
                }
            }
        }
    }

    /// The nearest label before `start` that reaches it.
    fn nearest(&self, text: &str, start: usize) -> Option<LabelKind> {
        let idx = self.ends.partition_point(|(end, _)| *end <= start);
        let (end, kind) = *self.ends.get(idx.checked_sub(1)?)?;
        let first_break = self.newlines.partition_point(|nl| *nl < end);
        let same_line = self.newlines.get(first_break).is_none_or(|nl| *nl >= start);
        if same_line {
            return Some(kind);
        }
        let gap = text.get(end..start)?;
        (gap.len() <= LABEL_REACH_CHARS * 4 && gap.chars().count() <= LABEL_REACH_CHARS)
            .then_some(kind)
    }
}

fn key_first(a: LabelKind, b: LabelKind) -> std::cmp::Ordering {
    // Sorting a key label first makes `dedup` keep it; a request word comes after a key label
    // and before a transaction label.
    let rank = |k: LabelKind| match k {
        LabelKind::Key => 0,
        LabelKind::Request => 1,
        LabelKind::Transaction => 2,
    };
    rank(a).cmp(&rank(b))
}

/// The end of `label` if it matches at `i` as a whole word.
fn label_match_end(bytes: &[u8], i: usize, label: &[u8]) -> Option<usize> {
    let end = i.checked_add(label.len())?;
    let here = bytes.get(i..end)?;
    if !here.eq_ignore_ascii_case(label) {
        return None;
    }
    let alnum = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    if label.first().is_some_and(u8::is_ascii_alphanumeric)
        && i.checked_sub(1).is_some_and(|p| alnum(bytes.get(p)))
    {
        return None;
    }
    if label.last().is_some_and(u8::is_ascii_alphanumeric) && alnum(bytes.get(end)) {
        let plural = matches!(bytes.get(end), Some(b's' | b'S')) && !alnum(bytes.get(end + 1));
        return plural.then_some(end + 1);
    }
    Some(end)
}

fn decide_contextual(
    text: &str,
    labels: &Labels,
    p: &Pending,
    field: FieldHint,
) -> Option<Candidate> {
    let label = labels.nearest(text, p.start);
    let secret = match label {
        Some(LabelKind::Key) => true,
        Some(LabelKind::Transaction) => false,
        Some(LabelKind::Request) => field != FieldHint::TxHash,
        None if field == FieldHint::TxHash => false,
        None => match p.shape {
            Shape::Hex32 { prefixed } => !prefixed,
            Shape::Hex64 => false,
            Shape::Base58Bytes64 => true,
        },
    };
    if !secret {
        return None;
    }
    let labelled = matches!(label, Some(LabelKind::Key | LabelKind::Request));
    let (kind, confidence) = match p.shape {
        Shape::Hex32 { .. } => (
            SecretKind::RawPrivateKey,
            if labelled {
                HEX_AFTER_KEY_LABEL
            } else {
                HEX_NO_LABEL
            },
        ),
        Shape::Hex64 => (SecretKind::SolanaSecretKey, HEX_AFTER_KEY_LABEL),
        Shape::Base58Bytes64 => (
            SecretKind::SolanaSecretKey,
            if labelled {
                BASE58_64_AFTER_KEY_LABEL
            } else {
                BASE58_64_NO_LABEL
            },
        ),
    };
    Some(Candidate {
        kind,
        start: p.start,
        end: p.end,
        checksum_valid: None,
        confidence,
    })
}

// ---------------------------------------------------------------------------------------------
// Ethereum V3 keystores.

/// How far back from `"crypto"` the opening brace is looked for.
const KEYSTORE_BACK_REACH: usize = 8 * 1024;
/// The longest keystore span considered (real ones are about 500 bytes to 2 KiB).
const KEYSTORE_MAX_LEN: usize = 64 * 1024;

/// The first position ≥ `from` where `needle` occurs, ASCII-case-insensitively.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut i = from;
    while i <= last_start {
        i = find_either(hay.get(..=last_start)?, i, lower, upper)?;
        if hay
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The first position ≥ `from` of byte `a` or byte `b` (`memchr`'s vectorised search): the
/// keystore and byte-array searches cross all of the text, where `"` and `[` are rare.
pub(crate) fn find_either(hay: &[u8], from: usize, a: u8, b: u8) -> Option<usize> {
    let rest = hay.get(from..)?;
    if a == b {
        memchr::memchr(a, rest)
    } else {
        memchr::memchr2(a, b, rest)
    }
    .map(|k| from + k)
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Whether the JSON key at `i` (its opening quote; `key_len` bytes with quotes) is followed by `:`.
fn is_member_key(bytes: &[u8], i: usize, key_len: usize) -> bool {
    bytes.get(skip_ws(bytes, i + key_len)) == Some(&b':')
}

fn find_keystores(bytes: &[u8], found: &mut Vec<Candidate>) {
    const KEY: &[u8] = b"\"crypto\"";
    let mut from = 0;
    // Backward scans never go before this, which keeps the whole search linear.
    let mut floor = 0;
    while let Some(i) = find_ci(bytes, from, KEY) {
        from = i + 1;
        if !is_member_key(bytes, i, KEY.len()) {
            continue;
        }
        let lower = floor.max(i.saturating_sub(KEYSTORE_BACK_REACH));
        let (start, end, complete) = match opening_brace_before(bytes, lower, i) {
            Some(open) => match scan_json(bytes, open, 0) {
                (end, complete) if end > i => (open, end, complete),
                _ => (i, scan_json(bytes, i, 1).0, false),
            },
            None => {
                let (end, _) = scan_json(bytes, i, 1);
                (i, end, false)
            }
        };
        // Forward and backward scans never cover the same bytes twice: linear overall.
        from = end.max(from);
        floor = end.max(i);
        let Some(span) = bytes.get(start..end) else {
            continue;
        };
        if find_ci(span, 0, b"\"ciphertext\"").is_none() {
            continue;
        }
        let has_kdf = find_ci(span, 0, b"\"kdf\"").is_some();
        let confidence = if complete && has_kdf {
            KEYSTORE_COMPLETE
        } else {
            KEYSTORE_PARTIAL
        };
        found.push(Candidate {
            kind: SecretKind::EthereumKeystore,
            start,
            end,
            checksum_valid: None,
            confidence,
        });
    }
}

/// The `{` that opens the object containing position `at`, scanning back no further than
/// `lower`. Strings are skipped by pairing quotes, which is right for the flat members that come
/// before `"crypto"` in real keystores.
fn opening_brace_before(bytes: &[u8], lower: usize, at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = at;
    while i > lower {
        i -= 1;
        let b = *bytes.get(i)?;
        if b == b'"' && !(i > 0 && bytes.get(i - 1) == Some(&b'\\')) {
            in_string = !in_string;
            continue;
        }
        if in_string {
            continue;
        }
        match b {
            b'}' => depth += 1,
            b'{' if depth == 0 => return Some(i),
            b'{' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Scans JSON from `start` with `depth` objects or arrays already open. Returns the end of the
/// recognisable part and whether the outermost object closed. Scanning stops at anything that
/// cannot be JSON outside a string, at a string cut by a line break (the span then ends at the
/// break: the string's text is probably secret), or after [`KEYSTORE_MAX_LEN`] bytes.
fn scan_json(bytes: &[u8], start: usize, mut depth: usize) -> (usize, bool) {
    let limit = bytes.len().min(start.saturating_add(KEYSTORE_MAX_LEN));
    let mut i = start;
    let mut last_good = start;
    while i < limit {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => {
                let mut j = i + 1;
                loop {
                    match bytes.get(j) {
                        None => return (trim_end(bytes, start, bytes.len()), false),
                        Some(b'\\') => j += 2,
                        Some(b'"') => break,
                        Some(b'\n') => return (trim_end(bytes, start, j), false),
                        Some(_) => j += 1,
                    }
                }
                i = j + 1;
                last_good = i;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
                last_good = i;
            }
            b'}' | b']' => {
                let Some(d) = depth.checked_sub(1) else {
                    return (last_good, false);
                };
                depth = d;
                i += 1;
                last_good = i;
                if depth == 0 {
                    return (i, true);
                }
            }
            b':' | b',' => i += 1,
            _ if b.is_ascii_whitespace() => i += 1,
            b'-' | b'0'..=b'9' => {
                while bytes
                    .get(i)
                    .is_some_and(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                {
                    i += 1;
                }
                last_good = i;
            }
            _ if b.is_ascii_alphabetic() => {
                let w = i;
                while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                if !matches!(bytes.get(w..i), Some(b"true" | b"false" | b"null")) {
                    return (last_good, false);
                }
                last_good = i;
            }
            _ => return (last_good, false),
        }
    }
    (last_good.min(limit).max(start), false)
}

/// `end` moved back over trailing ASCII whitespace (not before `start`).
fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
        end -= 1;
    }
    end
}

/// Bare `"ciphertext": "…"` members (a keystore fragment).
fn find_ciphertext_members(bytes: &[u8], found: &mut Vec<Candidate>) {
    const KEY: &[u8] = b"\"ciphertext\"";
    let mut from = 0;
    while let Some(i) = find_ci(bytes, from, KEY) {
        from = i + 1;
        let colon = skip_ws(bytes, i + KEY.len());
        if bytes.get(colon) != Some(&b':') {
            continue;
        }
        let open = skip_ws(bytes, colon + 1);
        if bytes.get(open) != Some(&b'"') {
            continue;
        }
        let mut j = open + 1;
        while bytes.get(j).is_some_and(u8::is_ascii_hexdigit) {
            j += 1;
        }
        if j - (open + 1) < 16 {
            continue;
        }
        let end = if bytes.get(j) == Some(&b'"') {
            j + 1
        } else {
            j
        };
        found.push(Candidate {
            kind: SecretKind::EthereumKeystore,
            start: i,
            end,
            checksum_valid: None,
            confidence: CIPHERTEXT_MEMBER,
        });
        from = end;
    }
}

// ---------------------------------------------------------------------------------------------
// Solana `id.json`: a JSON array of 64 bytes.

fn find_byte_arrays(bytes: &[u8], found: &mut Vec<Candidate>) {
    let mut i = 0;
    while let Some(open) = find_either(bytes, i, b'[', b'[') {
        i = open;
        match parse_byte_array(bytes, i) {
            Ok(end) => {
                found.push(Candidate {
                    kind: SecretKind::SolanaSecretKey,
                    start: i,
                    end,
                    checksum_valid: None,
                    confidence: BYTE_ARRAY,
                });
                i = end;
            }
            // Everything skipped was digits, commas and whitespace: no `[` is missed.
            Err(stop) => i = stop.max(i + 1),
        }
    }
}

/// Parses `[n, n, …]` of exactly 64 integers 0–255 starting at `open`. `Ok(end)` past the `]`,
/// or `Err(position)` where it stopped.
fn parse_byte_array(bytes: &[u8], open: usize) -> Result<usize, usize> {
    let mut i = skip_ws(bytes, open + 1);
    let mut count = 0usize;
    loop {
        let digits_start = i;
        let mut value = 0u32;
        while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            value = value * 10 + u32::from(d - b'0');
            i += 1;
            if i - digits_start > 3 {
                return Err(i);
            }
        }
        if i == digits_start || value > 255 {
            return Err(i);
        }
        count += 1;
        if count > 64 {
            return Err(i);
        }
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            Some(b']') if count == 64 => return Ok(i + 1),
            _ => return Err(i),
        }
    }
}
