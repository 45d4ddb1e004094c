//! On-chain diagnosis: "where is my transfer?", "why is my balance 0?", "why can't I send?".
//!
//! This crate is pure: [`model`] holds the plain data a chain's API returns once a client has
//! fetched and decoded it, and the shape of a diagnosis (status, findings with stable codes).
//! Rules that turn the one into the other live beside it, one module per chain kind, and are
//! tested without any node. The clients that talk to nodes and explorers (EVM JSON-RPC, Bitcoin
//! Core RPC, Esplora, TRON HTTP) are in `walletdesk-chain-client`; the server only wires them
//! into pages and the API.

pub mod bitcoin;
pub mod evm;
pub mod model;
pub mod solana;
pub mod tron;

pub use model::{
    AddressDiagnosis, ChainConfig, ChainKind, Finding, FindingCode, Severity, TokenConfig,
    TxDiagnosis, TxStatus, holdings,
};
