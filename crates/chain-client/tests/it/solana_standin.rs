//! The Solana client against a stand-in (named as such: no validator runs here) serving the
//! documented answers of Solana's JSON-RPC (`tests/fixtures/solana/answers.json`, sources in
//! `SOURCES.md`): a finalized transfer, a transaction refused for rent, an unknown signature,
//! an account below the rent-exempt minimum, and an address never used.

use chain::{ChainConfig, ChainKind, FindingCode, TxStatus};
use chain_client::solana::Solana;
use chain_client::{Chains, Client, LookupError};
use serde_json::{Value, json};

use crate::evm_standin::batch_reply;
use crate::standin::{StandIn, fixture};

const FINALIZED: &str =
    "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW";
const RENT_REFUSED: &str =
    "3AsdoALgZFuq2oUVWrDYhg2pNeaLJKPLf8hU2mQ6U8qJxeJ6hsrPVpMn9ma39DtfYCrDQSvngWRP8NnTpEhezJpE";
const POOR: &str = "83astBRguLMdt2h5U1Tpdq5tjFoJ6noeGwaY3mDLVcri";
const NEVER: &str = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";

/// The recorded answer for a call: by method and first parameter, else by method alone.
fn answer(call: &Value) -> Value {
    let answers: Value = serde_json::from_str(&fixture("solana/answers.json")).expect("JSON");
    let method = call["method"].as_str().unwrap_or("");
    let first = &call["params"][0];
    let key = first
        .as_str()
        .or_else(|| first[0].as_str())
        .map(|p| format!("{method} {p}"));
    let id = call["id"].clone();
    match key
        .and_then(|k| answers.get(&k))
        .or_else(|| answers.get(method))
    {
        Some(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        None => json!({"jsonrpc": "2.0", "id": id,
            "error": {"code": -32601, "message": "Method not found"}}),
    }
}

async fn client() -> (StandIn, Solana) {
    let node = StandIn::start(|_, _, body| batch_reply(body, answer)).await;
    let mut config = ChainConfig::new("solana", ChainKind::Solana, node.url.clone());
    config.explorer_tx = Some("https://explorer.solana.com/tx/{tx}".to_owned());
    (node, Solana::new(config).expect("client"))
}

#[tokio::test]
async fn standin_a_finalized_transfer_a_rent_refusal_and_an_unknown_signature() {
    let (_node, c) = client().await;
    let d = c.tx(FINALIZED).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Confirmed);
    assert_eq!(d.confirmations, None, "finalized: no count any more");
    assert_eq!(d.findings[0].form.as_deref(), Some("finalized"));
    assert_eq!(d.findings[0].values["block"], "48");
    assert_eq!(d.findings[0].values["fee"], "0.000005 SOL");
    assert_eq!(d.findings[0].values["when"], "2023-11-14 22:13 UTC");
    assert_eq!(c.counters(), (2, 1), "two calls in one request");

    let d = c.tx(RENT_REFUSED).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Failed);
    assert_eq!(d.findings[0].code, FindingCode::TxFailed);
    assert!(
        d.findings[0].values["result"].contains("InsufficientFundsForRent"),
        "{:?}",
        d.findings
    );
    assert_eq!(d.article.as_deref(), Some("transaction-failed-fee-charged"));

    let unknown = format!("{}X", &FINALIZED[..FINALIZED.len() - 1]);
    let d = c.tx(&unknown).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);

    assert!(matches!(
        c.tx(&format!("0x{}", "ab".repeat(32))).await,
        Err(LookupError::BadInput { .. })
    ));
}

#[tokio::test]
async fn standin_an_account_below_the_rent_minimum_and_one_never_used() {
    let (_node, c) = client().await;
    let d = c.address(POOR).await.expect("diagnosis");
    assert_eq!(d.balance.as_deref(), Some("0.0005 SOL"));
    assert_eq!(d.findings.len(), 1, "{:?}", d.findings);
    assert_eq!(d.findings[0].code, FindingCode::RentExempt);
    assert_eq!(d.findings[0].values["rent"], "0.00089088 SOL");
    assert_eq!(d.article.as_deref(), Some("insufficient-balance-for-fee"));
    assert_eq!(c.counters(), (3, 1), "three calls in one request");

    let d = c.address(NEVER).await.expect("diagnosis");
    assert_eq!(d.findings[0].code, FindingCode::AddressUnused);
    assert!(!d.found);

    assert!(matches!(
        c.address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")
            .await,
        Err(LookupError::BadInput { .. })
    ));
}

#[tokio::test]
async fn standin_a_solana_chain_is_configured_like_the_others() {
    let node = StandIn::start(|_, _, body| batch_reply(body, answer)).await;
    let (chains, refused) = Chains::from_config(&[ChainConfig::new(
        "solana",
        ChainKind::Solana,
        node.url.clone(),
    )]);
    assert!(refused.is_empty(), "{refused:?}");
    let d = chains
        .tx(FINALIZED, None, false)
        .await
        .expect("lookup")
        .diagnosis;
    assert_eq!(d.chain, "solana");
    assert_eq!(d.status, TxStatus::Confirmed);
}
