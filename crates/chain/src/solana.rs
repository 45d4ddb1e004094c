//! Solana rules: what a transaction signature or an address says, from plain data a JSON-RPC
//! client fetched (`getSignatureStatuses`, `getTransaction`, `getBalance`, `getAccountInfo`,
//! `getMinimumBalanceForRentExemption`). No I/O here: `walletdesk-chain-client`'s `solana`
//! module fetches and decodes.
//!
//! "Can't send" on Solana is mostly rent: an account must keep at least the rent-exempt
//! minimum (about 0.00089 SOL for a plain account) unless it is emptied completely, and every
//! send pays a fee per signature (5,000 lamports). A wallet that offers "send 0.001 of your
//! 0.0015 SOL" fails with `InsufficientFundsForRent`.

use crate::bitcoin::fmt;
use crate::model::{
    AddressDiagnosis, ChainConfig, Finding, FindingCode, Severity, TxDiagnosis, TxStatus,
};

/// Lamports per SOL: 9 decimals.
pub const DECIMALS: u8 = 9;
/// The fee of one signature, in lamports (the base fee; priority fees come on top).
pub const FEE_PER_SIGNATURE: u64 = 5_000;
/// The System Program: the owner of every plain wallet account.
pub const SYSTEM_PROGRAM: &str = "11111111111111111111111111111111";

/// `getSignatureStatuses`' entry for the signature (`null` when the node does not know it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureStatus {
    pub slot: u64,
    /// `None` once finalized (rooted).
    pub confirmations: Option<u64>,
    /// `processed`, `confirmed` or `finalized`.
    pub confirmation_status: String,
    /// The transaction error, as the node writes it (`{"InstructionError":[0,…]}`), when failed.
    pub err: Option<String>,
}

/// `getTransaction`'s meta: what it cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxMeta {
    pub fee_lamports: u64,
    /// Unix seconds of its block, when the node has it.
    pub block_time: Option<u64>,
}

/// Everything the transaction rules look at.
#[derive(Debug, Clone, Default)]
pub struct TxFacts {
    pub signature: String,
    pub status: Option<SignatureStatus>,
    pub meta: Option<TxMeta>,
}

/// Everything the address rules look at.
#[derive(Debug, Clone, Default)]
pub struct AddressFacts {
    pub address: String,
    pub lamports: u64,
    /// The account exists (`getAccountInfo` is not `null`).
    pub exists: bool,
    /// A program (executable), or an account owned by another program than the System
    /// Program (a token account, a program's data): not a wallet address.
    pub executable: bool,
    pub owner: Option<String>,
    /// `getMinimumBalanceForRentExemption(0)`.
    pub rent_exempt_min: u64,
}

/// Whether `s` is a transaction signature: base58 of 64 bytes.
#[must_use]
pub fn is_signature(s: &str) -> bool {
    (80..=90).contains(&s.len()) && wallet::codec::base58_decode(s).is_some_and(|b| b.len() == 64)
}

/// Whether `s` is an account address: base58 of 32 bytes.
#[must_use]
pub fn is_address(s: &str) -> bool {
    (32..=44).contains(&s.len()) && wallet::codec::base58_decode(s).is_some_and(|b| b.len() == 32)
}

fn sol(lamports: u64) -> String {
    fmt::units(u128::from(lamports), DECIMALS, "SOL")
}

/// The transaction rules.
#[must_use]
pub fn diagnose_tx(config: &ChainConfig, f: &TxFacts) -> TxDiagnosis {
    let mut d = TxDiagnosis {
        chain: config.name.clone(),
        found: f.status.is_some(),
        status: TxStatus::NotFound,
        confirmations: None,
        findings: Vec::new(),
        article: None,
        explorer_url: fmt::explorer(config.explorer_tx.as_ref(), "tx", &f.signature),
    };
    let Some(s) = &f.status else {
        d.explorer_url = None;
        d.findings.push(
            Finding::new(FindingCode::NotFound, Severity::Warning).with("chain", &config.name),
        );
        d.article = Some("find-transaction-hash".into());
        return d;
    };
    let fee = f.meta.as_ref().map(|m| sol(m.fee_lamports));
    if let Some(err) = &s.err {
        d.status = TxStatus::Failed;
        let mut finding = Finding::new(FindingCode::TxFailed, Severity::Problem)
            .with("block", s.slot.to_string())
            .with("result", err.chars().take(200).collect::<String>());
        if let Some(fee) = &fee {
            finding = finding.with("fee", fee.clone()).form("solana");
        }
        d.findings.push(finding);
        d.article = Some("transaction-failed-fee-charged".into());
        return d;
    }
    match s.confirmation_status.as_str() {
        "confirmed" | "finalized" => {
            d.status = TxStatus::Confirmed;
            d.confirmations = s.confirmations;
            let mut finding = Finding::new(FindingCode::Confirmed, Severity::Info)
                .with("block", s.slot.to_string());
            finding = match (s.confirmations, &fee) {
                (Some(c), Some(fee)) => finding
                    .with("confirmations", c.to_string())
                    .with("fee", fee.clone()),
                (Some(c), None) => finding.with("confirmations", c.to_string()).form("no_fee"),
                (None, Some(fee)) => finding.with("fee", fee.clone()).form("finalized"),
                (None, None) => finding.form("finalized_no_fee"),
            };
            if let Some(t) = f.meta.as_ref().and_then(|m| m.block_time) {
                finding = finding.with("when", fmt::time(t));
            }
            d.findings.push(finding);
        }
        _ => {
            d.status = TxStatus::Pending;
            d.confirmations = Some(0);
            d.findings
                .push(Finding::new(FindingCode::Pending, Severity::Info));
            d.article = Some("transaction-pending-stuck".into());
        }
    }
    d
}

/// The address rules.
#[must_use]
pub fn diagnose_address(config: &ChainConfig, f: &AddressFacts) -> AddressDiagnosis {
    let mut d = AddressDiagnosis {
        chain: config.name.clone(),
        found: f.exists,
        balance: Some(sol(f.lamports)),
        tokens: Vec::new(),
        findings: Vec::new(),
        article: None,
        explorer_url: fmt::explorer(config.explorer_address.as_ref(), "address", &f.address),
    };
    let program_owned = f.owner.as_deref().is_some_and(|o| o != SYSTEM_PROGRAM);
    if f.executable || program_owned {
        d.findings.push(
            Finding::new(FindingCode::ContractAddress, Severity::Warning)
                .with("address", &f.address),
        );
    }
    if f.lamports == 0 {
        if f.exists {
            d.findings.push(
                Finding::new(FindingCode::ZeroBalance, Severity::Info).with("chain", &config.name),
            );
        } else {
            d.findings.push(
                Finding::new(FindingCode::AddressUnused, Severity::Warning)
                    .with("network", "Solana"),
            );
            d.article = Some("balance-missing-wrong-network".into());
        }
        return d;
    }
    if f.executable || program_owned {
        return d;
    }
    if f.lamports <= FEE_PER_SIGNATURE {
        d.findings.push(
            Finding::new(FindingCode::InsufficientFee, Severity::Problem)
                .with("balance", sol(f.lamports))
                .with("fee", sol(FEE_PER_SIGNATURE)),
        );
        d.article = Some("insufficient-balance-for-fee".into());
    } else if f.lamports < f.rent_exempt_min.saturating_add(FEE_PER_SIGNATURE) {
        // Below the rent minimum plus a fee: any partial send would leave less than the
        // minimum, which the network refuses (`InsufficientFundsForRent`); only sending
        // everything at once (the account is closed) works.
        d.findings.push(
            Finding::new(FindingCode::RentExempt, Severity::Warning)
                .with("balance", sol(f.lamports))
                .with("rent", sol(f.rent_exempt_min))
                .with("fee", sol(FEE_PER_SIGNATURE)),
        );
        d.article = Some("insufficient-balance-for-fee".into());
    }
    d
}

#[cfg(test)]
mod tests;
