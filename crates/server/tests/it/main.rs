//! The server's integration tests: the real router on a real listener with a real SQLite file.

mod helpers;
mod mnemonic_check;
mod public;
