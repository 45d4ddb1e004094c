//! The chain clients against real nodes where one can run here (litecoind in regtest, for the
//! Bitcoin Core RPC), and against stand-ins serving the documented answers of the APIs that
//! cannot (Esplora, TRON's HTTP API).

mod core_litecoind;
mod esplora_standin;
mod litecoind;
mod standin;
mod tron_standin;

use chain::{ChainConfig, ChainKind, FindingCode, TxDiagnosis};

pub(crate) fn config(kind: ChainKind, url: &str) -> ChainConfig {
    ChainConfig {
        name: "test".into(),
        kind,
        url: url.into(),
        chain_id: None,
        explorer_tx: None,
        explorer_address: None,
        tokens: Vec::new(),
        timeout_ms: 10_000,
        concurrency: 4,
        network: None,
    }
}

pub(crate) fn codes(d: &TxDiagnosis) -> Vec<FindingCode> {
    d.findings.iter().map(|f| f.code).collect()
}

pub(crate) fn value<'a>(
    findings: &'a [chain::Finding],
    code: FindingCode,
    name: &str,
) -> Option<&'a str> {
    findings
        .iter()
        .find(|f| f.code == code)
        .and_then(|f| f.values.get(name))
        .map(String::as_str)
}

mod core_standin;
// The EVM client against a real anvil node, and endpoints that misbehave (stand-ins on
// loopback).

mod anvil;
mod evm;
mod evm_address;
mod evm_standin;
mod misbehaving;
mod solana_standin;
