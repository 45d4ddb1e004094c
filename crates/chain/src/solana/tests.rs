use super::*;
use crate::model::ChainKind;

// Signatures and addresses from Solana's RPC documentation examples.
const SIG: &str =
    "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW";
const ADDR: &str = "83astBRguLMdt2h5U1Tpdq5tjFoJ6noeGwaY3mDLVcri";

fn config() -> ChainConfig {
    let mut c = ChainConfig::new("solana", ChainKind::Solana, "http://127.0.0.1:1".into());
    c.explorer_tx = Some("https://explorer.solana.com/tx/{tx}".into());
    c
}

fn status(confirmation_status: &str, confirmations: Option<u64>) -> SignatureStatus {
    SignatureStatus {
        slot: 72,
        confirmations,
        confirmation_status: confirmation_status.into(),
        err: None,
    }
}

fn codes(f: &[Finding]) -> Vec<FindingCode> {
    f.iter().map(|f| f.code).collect()
}

#[test]
fn signatures_and_addresses_are_told_apart() {
    assert!(is_signature(SIG));
    assert!(!is_address(SIG));
    assert!(is_address(ADDR));
    assert!(is_address(SYSTEM_PROGRAM));
    assert!(!is_signature(ADDR));
    assert!(!is_signature(&format!("0x{}", "ab".repeat(32))));
    assert!(!is_address("0OIl"));
}

#[test]
fn a_transaction_is_confirmed_finalized_pending_failed_or_not_found() {
    let meta = Some(TxMeta {
        fee_lamports: 5_000,
        block_time: Some(1_700_000_000),
    });
    let d = diagnose_tx(
        &config(),
        &TxFacts {
            signature: SIG.into(),
            status: Some(status("confirmed", Some(10))),
            meta: meta.clone(),
        },
    );
    assert_eq!(d.status, TxStatus::Confirmed);
    assert_eq!(d.confirmations, Some(10));
    assert_eq!(d.findings[0].values["fee"], "0.000005 SOL");
    assert_eq!(
        d.explorer_url.as_deref(),
        Some(format!("https://explorer.solana.com/tx/{SIG}").as_str())
    );
    let d = diagnose_tx(
        &config(),
        &TxFacts {
            signature: SIG.into(),
            status: Some(status("finalized", None)),
            meta: meta.clone(),
        },
    );
    assert_eq!(d.status, TxStatus::Confirmed);
    assert_eq!(d.findings[0].form.as_deref(), Some("finalized"));
    let d = diagnose_tx(
        &config(),
        &TxFacts {
            signature: SIG.into(),
            status: Some(status("processed", Some(0))),
            meta: None,
        },
    );
    assert_eq!(d.status, TxStatus::Pending);
    let mut failed = status("finalized", None);
    failed.err = Some(r#"{"InstructionError":[0,{"Custom":1}]}"#.into());
    let d = diagnose_tx(
        &config(),
        &TxFacts {
            signature: SIG.into(),
            status: Some(failed),
            meta,
        },
    );
    assert_eq!(d.status, TxStatus::Failed);
    assert_eq!(codes(&d.findings), vec![FindingCode::TxFailed]);
    assert_eq!(d.article.as_deref(), Some("transaction-failed-fee-charged"));
    let d = diagnose_tx(
        &config(),
        &TxFacts {
            signature: SIG.into(),
            status: None,
            meta: None,
        },
    );
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);
}

fn account(lamports: u64) -> AddressFacts {
    AddressFacts {
        address: ADDR.into(),
        lamports,
        exists: true,
        executable: false,
        owner: Some(SYSTEM_PROGRAM.into()),
        rent_exempt_min: 890_880,
    }
}

#[test]
fn a_balance_below_the_rent_minimum_can_only_be_sent_whole() {
    let d = diagnose_address(&config(), &account(500_000));
    assert_eq!(d.balance.as_deref(), Some("0.0005 SOL"));
    assert_eq!(codes(&d.findings), vec![FindingCode::RentExempt]);
    assert_eq!(d.findings[0].values["rent"], "0.00089088 SOL");
    assert_eq!(d.article.as_deref(), Some("insufficient-balance-for-fee"));
    // Above the minimum and a fee: a partial send can leave the minimum behind.
    assert!(
        diagnose_address(&config(), &account(2_000_000))
            .findings
            .is_empty()
    );
    // Not even the fee.
    let d = diagnose_address(&config(), &account(4_000));
    assert_eq!(codes(&d.findings), vec![FindingCode::InsufficientFee]);
}

#[test]
fn empty_unused_and_program_accounts() {
    let d = diagnose_address(&config(), &account(0));
    assert_eq!(codes(&d.findings), vec![FindingCode::ZeroBalance]);
    let mut never = account(0);
    never.exists = false;
    never.owner = None;
    let d = diagnose_address(&config(), &never);
    assert_eq!(codes(&d.findings), vec![FindingCode::AddressUnused]);
    assert!(!d.found);
    let mut token_account = account(2_039_280);
    token_account.owner = Some("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA".into());
    let d = diagnose_address(&config(), &token_account);
    assert_eq!(codes(&d.findings), vec![FindingCode::ContractAddress]);
}

#[test]
fn every_solana_finding_has_its_own_sentence_with_its_values() {
    let mut all = Vec::new();
    for (st, conf, meta) in [
        ("confirmed", Some(3), true),
        ("confirmed", Some(3), false),
        ("finalized", None, true),
        ("finalized", None, false),
        ("processed", Some(0), false),
    ] {
        all.extend(
            diagnose_tx(
                &config(),
                &TxFacts {
                    signature: SIG.into(),
                    status: Some(status(st, conf)),
                    meta: meta.then_some(TxMeta {
                        fee_lamports: 5_000,
                        block_time: None,
                    }),
                },
            )
            .findings,
        );
    }
    let mut failed = status("finalized", None);
    failed.err = Some("InsufficientFundsForRent".into());
    for meta in [true, false] {
        all.extend(
            diagnose_tx(
                &config(),
                &TxFacts {
                    signature: SIG.into(),
                    status: Some(failed.clone()),
                    meta: meta.then(TxMeta::default),
                },
            )
            .findings,
        );
    }
    all.extend(diagnose_tx(&config(), &TxFacts::default()).findings);
    for lamports in [0, 4_000, 500_000] {
        all.extend(diagnose_address(&config(), &account(lamports)).findings);
    }
    let mut never = account(0);
    never.exists = false;
    all.extend(diagnose_address(&config(), &never).findings);
    let mut program = account(1);
    program.executable = true;
    all.extend(diagnose_address(&config(), &program).findings);
    crate::model::assert_full_sentences(&all);
}
