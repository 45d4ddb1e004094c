//! Small encoding helpers shared by the identifier and key modules.

use sha2::{Digest, Sha256};
use sha3::Keccak256;

/// SHA-256 applied twice.
#[must_use]
pub fn sha256d(data: &[u8]) -> [u8; 32] {
    let once = Sha256::digest(data);
    Sha256::digest(once).into()
}

/// Keccak-256 (the pre-standard SHA-3 that Ethereum uses).
#[must_use]
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// Decodes Base58 (Bitcoin alphabet) without a checksum.
#[must_use]
pub fn base58_decode(s: &str) -> Option<Vec<u8>> {
    bs58::decode(s).into_vec().ok()
}

/// Decodes Base58Check: returns the payload when the 4-byte double-SHA-256 checksum matches.
#[must_use]
pub fn base58check_decode(s: &str) -> Option<Vec<u8>> {
    let raw = base58_decode(s)?;
    if raw.len() < 5 {
        return None;
    }
    let (payload, check) = raw.split_at(raw.len() - 4);
    (sha256d(payload)[..4] == *check).then(|| payload.to_vec())
}

/// Encodes Base58Check.
#[must_use]
pub fn base58check_encode(payload: &[u8]) -> String {
    let mut v = payload.to_vec();
    v.extend_from_slice(&sha256d(payload)[..4]);
    bs58::encode(v).into_string()
}

/// Whether every byte of `s` is an ASCII hex digit.
#[must_use]
pub fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Decodes hex (either case); `None` on odd length or a non-hex digit.
#[must_use]
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|p| {
            let hi = char::from(p[0]).to_digit(16)?;
            let lo = char::from(p[1]).to_digit(16)?;
            u8::try_from(hi << 4 | lo).ok()
        })
        .collect()
}

/// Encodes lower-case hex.
#[must_use]
pub fn hex_encode(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58check_round_trip_and_rejects_a_changed_character() {
        let s = base58check_encode(&[0x00, 1, 2, 3]);
        assert_eq!(base58check_decode(&s).unwrap(), vec![0, 1, 2, 3]);
        let mut bad: Vec<char> = s.chars().collect();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == '2' { '3' } else { '2' };
        assert!(base58check_decode(&bad.into_iter().collect::<String>()).is_none());
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex_decode("00ffA0").unwrap(), vec![0, 255, 160]);
        assert_eq!(hex_encode(&[0, 255, 160]), "00ffa0");
        assert!(hex_decode("abc").is_none());
        assert!(hex_decode("zz").is_none());
    }

    #[test]
    fn keccak_of_empty_input() {
        assert_eq!(
            hex_encode(&keccak256(b"")),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
    }
}
