//! The help center.

pub(crate) mod mnemonic_check;
