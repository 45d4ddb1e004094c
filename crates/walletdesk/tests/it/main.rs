//! Integration tests of the `walletdesk` binary.

mod cli;
