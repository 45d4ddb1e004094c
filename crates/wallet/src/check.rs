//! The offline mnemonic self-check. (Being written.)
