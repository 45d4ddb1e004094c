//! Electrum's own seed phrases. (Being written.)

/// The Electrum seed type of a phrase, if it is one. (Stub until the Electrum module lands.)
#[must_use]
pub fn seed_type_of_words(_words: &[&str]) -> Option<()> {
    None
}
