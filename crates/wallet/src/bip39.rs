//! BIP39 arithmetic on word indices: valid lengths, entropy and checksum.

use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// The word counts BIP39 allows.
pub const VALID_WORD_COUNTS: [usize; 5] = [12, 15, 18, 21, 24];

/// Whether `n` is a BIP39 word count.
#[must_use]
pub fn is_valid_word_count(n: usize) -> bool {
    VALID_WORD_COUNTS.contains(&n)
}

/// Whether the indices form a phrase with a valid BIP39 checksum.
/// Returns `false` for a word count BIP39 does not allow.
#[must_use]
pub fn checksum_valid(indices: &[u16]) -> bool {
    let n = indices.len();
    if !is_valid_word_count(n) {
        return false;
    }
    let total_bits = n * 11;
    let cs_bits = total_bits / 33;
    let ent_bytes = (total_bits - cs_bits) / 8;
    let mut bytes = [0u8; 33];
    pack(indices, &mut bytes);
    let mut hash: [u8; 32] = Sha256::digest(&bytes[..ent_bytes]).into();
    let expected = hash[0] >> (8 - cs_bits);
    let actual = last_bits(indices[n - 1], cs_bits);
    bytes.zeroize();
    hash.zeroize();
    expected == actual
}

/// The entropy bytes encoded by a phrase (without its checksum), if the count is valid.
#[must_use]
pub fn entropy(indices: &[u16]) -> Option<Vec<u8>> {
    let n = indices.len();
    if !is_valid_word_count(n) {
        return None;
    }
    let ent_bytes = (n * 11 - n * 11 / 33) / 8;
    let mut bytes = [0u8; 33];
    pack(indices, &mut bytes);
    let out = bytes[..ent_bytes].to_vec();
    bytes.zeroize();
    Some(out)
}

/// The phrase (as indices) that encodes `entropy` (16–32 bytes, a multiple of 4).
#[must_use]
pub fn indices_from_entropy(entropy: &[u8]) -> Option<Vec<u16>> {
    let len = entropy.len();
    if !(16..=32).contains(&len) || !len.is_multiple_of(4) {
        return None;
    }
    let cs_bits = len * 8 / 32;
    let hash: [u8; 32] = Sha256::digest(entropy).into();
    let mut bits: Vec<bool> = Vec::with_capacity(len * 8 + cs_bits);
    for b in entropy {
        for k in (0..8).rev() {
            bits.push(b >> k & 1 == 1);
        }
    }
    for k in 0..cs_bits {
        bits.push(hash[0] >> (7 - k) & 1 == 1);
    }
    let out = bits
        .chunks(11)
        .map(|c| c.iter().fold(0u16, |acc, b| acc << 1 | u16::from(*b)))
        .collect();
    bits.zeroize();
    Some(out)
}

/// Packs 11-bit indices big-endian into `out` (zeroed, holding `ceil(n*11/8)` bytes). A byte at
/// a time rather than a bit at a time: redaction checks the checksum of many candidate windows.
fn pack(indices: &[u16], out: &mut [u8]) {
    // Fewer than 8 bits are left over between indices, so `acc` stays under 19 bits.
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut pos = 0usize;
    for &ix in indices {
        acc = acc << 11 | u32::from(ix & 0x7ff);
        bits += 11;
        while bits >= 8 {
            bits -= 8;
            out[pos] |= low_byte(acc >> bits);
            pos += 1;
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out[pos] |= low_byte(acc << (8 - bits));
    }
}

fn low_byte(x: u32) -> u8 {
    x.to_be_bytes()[3]
}

fn last_bits(index: u16, bits: usize) -> u8 {
    // cs_bits ≤ 8, so the masked value always fits.
    u8::try_from(index & ((1u16 << bits) - 1)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_zero_entropy_is_abandon_about() {
        let ix = indices_from_entropy(&[0u8; 16]).unwrap();
        assert_eq!(ix.len(), 12);
        assert!(ix[..11].iter().all(|i| *i == 0));
        assert_eq!(ix[11], 3); // "about"
        assert!(checksum_valid(&ix));
        assert_eq!(entropy(&ix).unwrap(), vec![0u8; 16]);
    }

    #[test]
    fn flipping_the_last_word_breaks_the_checksum() {
        let mut ix = indices_from_entropy(&[7u8; 32]).unwrap();
        assert!(checksum_valid(&ix));
        ix[23] ^= 1;
        assert!(!checksum_valid(&ix));
    }

    /// The bit-at-a-time packing `pack` replaced.
    fn pack_bitwise(indices: &[u16], out: &mut [u8]) {
        let mut bit = 0usize;
        for &ix in indices {
            for k in (0..11).rev() {
                if ix >> k & 1 == 1 {
                    out[bit / 8] |= 0x80 >> (bit % 8);
                }
                bit += 1;
            }
        }
    }

    #[test]
    fn pack_matches_bitwise_packing() {
        let mut x = 0x1234_5678_9abc_def0u64;
        for n in 0..=24 {
            for _ in 0..200 {
                let ix: Vec<u16> = (0..n)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        u16::try_from(x & 0xffff).unwrap()
                    })
                    .collect();
                let (mut a, mut b) = ([0u8; 33], [0u8; 33]);
                pack(&ix, &mut a);
                pack_bitwise(&ix, &mut b);
                assert_eq!(a, b, "{ix:?}");
            }
        }
    }

    #[test]
    fn invalid_counts_are_rejected() {
        assert!(!checksum_valid(&[0; 11]));
        assert!(!checksum_valid(&[0; 13]));
        assert!(entropy(&[0; 13]).is_none());
        assert!(indices_from_entropy(&[0; 15]).is_none());
    }
}
