//! Integration tests of the `walletdesk` binary.

#![expect(
    clippy::unwrap_used,
    reason = "a test that cannot set itself up should fail loudly"
)]

mod chain;
mod cli;
mod mail_receive;
mod mnemonic_parity;
mod nodes;
// Chat across two nodes (issue 11, several nodes).
mod nodes_chat;
mod serve;
