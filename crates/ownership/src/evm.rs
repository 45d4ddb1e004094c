//! EVM: EIP-191 `personal_sign` and EIP-4361 (SIWE).

use wallet::ident::Address;

use crate::siwe::Message;
use crate::{Expect, InputError, Method, Reason, Verification, encoding};

/// The EIP-191 version 0x45 hash: keccak256("\x19Ethereum Signed Message:\n" + len + message).
pub(crate) fn personal_hash(message: &[u8]) -> [u8; 32] {
    let mut data = format!("\x19Ethereum Signed Message:\n{}", message.len()).into_bytes();
    data.extend_from_slice(message);
    encoding::keccak256(&data)
}

/// A 65-byte `r‖s‖v` signature (v 27/28 or 0/1) or a 64-byte EIP-2098 compact one, as
/// (`r‖s`, recovery id).
pub(crate) fn read_rsv(signature: &str) -> Result<([u8; 64], u8), InputError> {
    let bytes = encoding::hex(signature).ok_or_else(|| {
        InputError::SignatureMalformed("expected hex digits (0x…), an even number of them".into())
    })?;
    match bytes.len() {
        65 => {
            let v = bytes[64];
            let recid = match v {
                0 | 1 => v,
                27 | 28 => v - 27,
                _ => {
                    return Err(InputError::SignatureMalformed(format!(
                        "the last byte (v) is {v}, expected 27 or 28"
                    )));
                }
            };
            let mut rs = [0u8; 64];
            rs.copy_from_slice(&bytes[..64]);
            Ok((rs, recid))
        }
        64 => {
            // EIP-2098: the top bit of s is the y parity.
            let mut rs = [0u8; 64];
            rs.copy_from_slice(&bytes);
            let recid = rs[32] >> 7;
            rs[32] &= 0x7f;
            Ok((rs, recid))
        }
        n => Err(InputError::SignatureMalformed(format!(
            "{n} bytes, expected 65 (r, s, v) or 64 (EIP-2098)"
        ))),
    }
}

/// The 20-byte account of a public key: the last 20 bytes of keccak256 of the uncompressed point.
pub(crate) fn account(key: &k256::ecdsa::VerifyingKey) -> [u8; 20] {
    let point = key.to_encoded_point(false);
    let hash = encoding::keccak256(&point.as_bytes()[1..]);
    let mut out = [0u8; 20];
    out.copy_from_slice(&hash[12..]);
    out
}

fn recovered_matches(expected: &Address, prehash: &[u8; 32], rs: &[u8; 64], recid: u8) -> bool {
    let Some(key) = encoding::recover(prehash, rs, recid) else {
        return false;
    };
    let want = expected
        .as_str()
        .trim_start_matches("0x")
        .to_ascii_lowercase();
    wallet::codec::hex_encode(&account(&key)) == want
}

pub(crate) fn verify(
    address: &Address,
    message: &str,
    signature: &str,
    expect: &Expect,
) -> Result<Verification, InputError> {
    let (rs, recid) = read_rsv(signature)?;
    let prehash = personal_hash(message.as_bytes());
    if !Message::looks_like(message) {
        let reason = if recovered_matches(address, &prehash, &rs, recid) {
            Reason::Ok
        } else {
            Reason::SignerMismatch
        };
        return Ok(Verification::new(Method::Eip191, reason));
    }
    let siwe = Message::parse(message)?;
    let reason = siwe_reason(address, &siwe, expect, || {
        recovered_matches(address, &prehash, &rs, recid)
    });
    Ok(Verification::new(Method::Siwe, reason))
}

/// The order of checks: the signature first (a forged message says nothing), then what the
/// message claims.
fn siwe_reason(
    address: &Address,
    siwe: &Message,
    expect: &Expect,
    signature_ok: impl FnOnce() -> bool,
) -> Reason {
    if !siwe.address.eq_ignore_ascii_case(address.as_str()) {
        return Reason::AddressMismatch;
    }
    if !signature_ok() {
        return Reason::SignerMismatch;
    }
    if expect.domain.as_deref().is_some_and(|d| d != siwe.domain) {
        return Reason::DomainMismatch;
    }
    if expect.nonce.as_deref().is_some_and(|n| n != siwe.nonce) {
        return Reason::NonceMismatch;
    }
    crate::check_times(expect, siwe.expires(), siwe.not_before_time())
}
