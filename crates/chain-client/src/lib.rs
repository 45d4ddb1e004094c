//! Clients for the chains' APIs, around the pure rules of `walletdesk-chain`. Nothing is looked
//! up anywhere an admin did not configure: a client exists only for a `[chain.<name>]` table.
//!
//! One module per API (`evm`, `bitcoin_core`, `esplora`, `tron`, `solana`), each implementing [`Client`]:
//! it fetches what the rules need (batched where the API allows), decodes it into
//! `chain::model`'s plain data and hands it to the chain kind's rules.

pub mod bitcoin_core;
pub mod esplora;
mod guarded_http;
mod json_rpc;
pub mod solana;
pub mod tron;
mod utxo_endpoint;

pub use guarded_http::MAX_RESPONSE_BYTES;
pub mod chains;
pub mod evm;

pub use chains::{CacheTtl, Chains, ChainsError, Lookup};

use async_trait::async_trait;
use chain::{AddressDiagnosis, ChainConfig, TxDiagnosis};

/// Why a lookup gave no diagnosis. "Found nothing" is not an error: it is a diagnosis with
/// `found: false` and status `not_found`.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The input is not a transaction id or address this chain can have (exit 2 in the CLI).
    #[error("not a valid {what} for this chain")]
    BadInput { what: &'static str },
    /// The endpoint did not answer in time, refused, or is down.
    #[error("the endpoint did not answer: {0}")]
    Unreachable(String),
    /// The endpoint answered something that is not what its API documents (garbage, too large,
    /// another chain id than configured).
    #[error("the endpoint gave an answer that cannot be used: {0}")]
    BadAnswer(String),
}

/// One configured chain's client.
#[async_trait]
pub trait Client: Send + Sync + std::fmt::Debug {
    fn config(&self) -> &ChainConfig;

    /// What the chain says about one transaction id.
    async fn tx(&self, id: &str) -> Result<TxDiagnosis, LookupError>;

    /// What the chain says about one address: balances, recent activity, why a wallet may show
    /// 0, and whether the native balance covers the fee of a send ("can't send").
    async fn address(&self, address: &str) -> Result<AddressDiagnosis, LookupError>;
}
