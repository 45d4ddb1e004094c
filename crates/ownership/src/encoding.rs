//! Reading signatures as wallets write them: hex (with or without `0x`), Base64, Base58.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

pub(crate) fn hex(s: &str) -> Option<Vec<u8>> {
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if s.is_empty() || !s.len().is_multiple_of(2) {
        return None;
    }
    wallet::codec::hex_decode(s)
}

pub(crate) fn base64(s: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(s)
        .or_else(|_| STANDARD_NO_PAD.decode(s))
        .ok()
}

pub(crate) fn base58(s: &str) -> Option<Vec<u8>> {
    wallet::codec::base58_decode(s)
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).into()
}

pub(crate) fn sha256d(data: &[u8]) -> [u8; 32] {
    wallet::codec::sha256d(data)
}

pub(crate) fn hash160(data: &[u8]) -> [u8; 20] {
    use ripemd::Digest as _;
    ripemd::Ripemd160::digest(sha256(data)).into()
}

pub(crate) fn keccak256(data: &[u8]) -> [u8; 32] {
    wallet::codec::keccak256(data)
}

/// BIP-340 tagged hash.
pub(crate) fn tagged_hash(tag: &str, data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    let t = sha256(tag.as_bytes());
    let mut h = sha2::Sha256::new();
    h.update(t);
    h.update(t);
    h.update(data);
    h.finalize().into()
}

/// Recovers a secp256k1 public key from a 64-byte compact signature and a recovery id (0 or 1).
/// A high-S signature (accepted by Ethereum's `ecrecover`) is normalised first.
pub(crate) fn recover(
    prehash: &[u8; 32],
    rs: &[u8],
    recid: u8,
) -> Option<k256::ecdsa::VerifyingKey> {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    let mut sig = Signature::from_slice(rs).ok()?;
    let mut recid = recid;
    if let Some(low) = sig.normalize_s() {
        sig = low;
        recid ^= 1;
    }
    let recid = RecoveryId::from_byte(recid)?;
    VerifyingKey::recover_from_prehash(prehash, &sig, recid).ok()
}
