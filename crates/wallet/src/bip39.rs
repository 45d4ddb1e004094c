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
    Packed::new(indices).is_some_and(|p| p.checksum_valid())
}

/// A phrase packed into its bit string, so that many one-word changes can be tried without
/// packing the whole phrase again (the self-check tries up to 24 × 2048 of them). Wiped on drop.
#[derive(Clone)]
pub(crate) struct Packed {
    bytes: [u8; 33],
    ent_bytes: usize,
    cs_bits: usize,
}

impl Packed {
    /// Packs `indices`; `None` for a word count BIP39 does not allow.
    pub(crate) fn new(indices: &[u16]) -> Option<Packed> {
        let n = indices.len();
        if !is_valid_word_count(n) {
            return None;
        }
        let total_bits = n * 11;
        let cs_bits = total_bits / 33;
        let mut packed = Packed {
            bytes: [0u8; 33],
            ent_bytes: (total_bits - cs_bits) / 8,
            cs_bits,
        };
        pack(indices, &mut packed.bytes);
        Some(packed)
    }

    /// Replaces the word at `position` (0-based, within the packed count) by `index`.
    pub(crate) fn set(&mut self, position: usize, index: u16) {
        let first = position * 11;
        for k in 0..11 {
            let bit = first + k;
            let Some(byte) = self.bytes.get_mut(bit / 8) else {
                return;
            };
            let mask = 0x80u8 >> (bit % 8);
            if index >> (10 - k) & 1 == 1 {
                *byte |= mask;
            } else {
                *byte &= !mask;
            }
        }
    }

    /// Whether the checksum bits (the last `cs_bits`, right after the entropy) match the hash.
    pub(crate) fn checksum_valid(&self) -> bool {
        let mut hash: [u8; 32] = Sha256::digest(&self.bytes[..self.ent_bytes]).into();
        let shift = 8 - self.cs_bits;
        let ok = hash[0] >> shift == self.bytes[self.ent_bytes] >> shift;
        hash.zeroize();
        ok
    }
}

impl Drop for Packed {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
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
    fn packed_substitutions_agree_with_checksum_valid() {
        let ix = indices_from_entropy(&[0x5au8; 20]).unwrap();
        let mut packed = Packed::new(&ix).unwrap();
        assert!(packed.checksum_valid());
        let (mut agree, mut valid) = (0, 0);
        for pos in [0, 7, 14] {
            for w in 0..2048u16 {
                let mut changed = ix.clone();
                changed[pos] = w;
                packed.set(pos, w);
                assert_eq!(
                    packed.checksum_valid(),
                    checksum_valid(&changed),
                    "{pos} {w}"
                );
                agree += 1;
                valid += usize::from(checksum_valid(&changed));
            }
            packed.set(pos, ix[pos]);
        }
        assert!(packed.checksum_valid());
        assert_eq!(agree, 3 * 2048);
        // 15 words carry a 5-bit checksum: about one substitution in 32 is valid.
        assert!((100..300).contains(&valid), "{valid}");
    }

    #[test]
    fn invalid_counts_are_rejected() {
        assert!(!checksum_valid(&[0; 11]));
        assert!(!checksum_valid(&[0; 13]));
        assert!(entropy(&[0; 13]).is_none());
        assert!(indices_from_entropy(&[0; 15]).is_none());
    }
}
