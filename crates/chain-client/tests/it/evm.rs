//! The EVM client against a real anvil: every case is made for real on the node, then diagnosed.

use std::sync::Arc;

use chain::{FindingCode, TxStatus};
use chain_client::evm::EvmClient;
use chain_client::{CacheTtl, Chains, ChainsError, Client, LookupError};
use serde_json::json;

use crate::anvil::{A0, A1, Anvil, EMPTY, burn_data, token, transfer_data};

const ETH: u128 = 1_000_000_000_000_000_000;
const GWEI: u128 = 1_000_000_000;

fn codes(f: &[chain::Finding]) -> Vec<FindingCode> {
    f.iter().map(|f| f.code).collect()
}

fn client(node: &Anvil, tokens: Vec<chain::TokenConfig>) -> EvmClient {
    EvmClient::new(node.config("anvil", Some(31337), tokens), Vec::new()).expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_transfer_is_confirmed_with_its_confirmations_in_two_requests() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let hash = node
        .send_mined(json!({"from": A0, "to": A1, "value": format!("0x{ETH:x}")}))
        .await;
    node.mine(2).await;
    let c = client(&node, vec![]);
    let d = c.tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Confirmed);
    assert!(d.found);
    assert_eq!(d.confirmations, Some(3));
    assert_eq!(codes(&d.findings), vec![FindingCode::Confirmed]);
    assert_eq!(
        d.explorer_url.as_deref(),
        Some(format!("https://explorer.example/tx/{hash}").as_str())
    );
    let (calls, requests) = c.counters();
    assert_eq!(
        requests, 2,
        "one batch for the transaction, one for its sender"
    );
    assert!(calls <= 8, "{calls} calls");
    // Upper case is the same hash.
    let again = c
        .tx(&hash.to_uppercase().replace("0X", "0x"))
        .await
        .expect("again");
    assert_eq!(again.status, TxStatus::Confirmed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_behind_a_missing_nonce_is_pending_with_a_nonce_gap() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let next = node.nonce(A0).await;
    let hash = node
        .send(json!({"from": A0, "to": A1, "value": "0x1", "nonce": format!("0x{:x}", next + 1)}))
        .await;
    let d = client(&node, vec![]).tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Pending);
    let gap = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::NonceGap)
        .unwrap_or_else(|| panic!("nonce gap in {:?}", d.findings));
    assert_eq!(gap.values["waiting_for"], next.to_string());
    assert_eq!(gap.values["count"], "1");
    assert_eq!(d.article.as_deref(), Some("speed-up-or-cancel-transaction"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tip_far_below_the_usual_is_too_low_and_a_base_fee_above_the_cap_drops_it() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    node.automine(false).await;
    node.rpc(
        "anvil_setNextBlockBaseFeePerGas",
        json!([format!("0x{GWEI:x}")]),
    )
    .await;
    node.rpc("evm_mine", json!([])).await;
    // anvil suggests a 1 gwei tip; this one offers a tenth of it and 1.5 gwei in all.
    let hash = node
        .send(json!({
            "from": A0, "to": A1, "value": "0x1",
            "maxFeePerGas": format!("0x{:x}", 3 * GWEI / 2),
            "maxPriorityFeePerGas": format!("0x{:x}", GWEI / 10),
        }))
        .await;
    let c = client(&node, vec![]);
    let d = c.tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Pending, "{d:?}");
    let low = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::FeeTooLow)
        .unwrap_or_else(|| panic!("fee too low in {:?}", d.findings));
    assert_eq!(low.values["offered"], "1.5 gwei");
    assert_eq!(low.values["base_fee"], "1 gwei");
    assert_eq!(low.values["needed"], "2 gwei");
    assert_eq!(d.article.as_deref(), Some("speed-up-or-cancel-transaction"));
    // The base fee rises above the transaction's cap: the node drops it from its pool.
    node.rpc(
        "anvil_setNextBlockBaseFeePerGas",
        json!([format!("0x{:x}", 50 * GWEI)]),
    )
    .await;
    node.rpc("evm_mine", json!([])).await;
    let d = c.tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Dropped, "{d:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_transfer_beyond_the_balance_reverts_with_its_reason() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let t = node.deploy_token(1_000_000_000).await;
    // A1 holds no TUSD.
    let hash = node
        .send_mined(json!({"from": A1, "to": t, "data": transfer_data(A0, 5), "gas": "0x30000"}))
        .await;
    let d = client(&node, vec![token(&t)])
        .tx(&hash)
        .await
        .expect("diagnosis");
    assert_eq!(d.status, TxStatus::Failed);
    assert_eq!(codes(&d.findings), vec![FindingCode::Reverted]);
    assert_eq!(
        d.findings[0].values.get("reason").map(String::as_str),
        Some("transfer amount exceeds balance")
    );
    assert_eq!(d.article.as_deref(), Some("transaction-failed-fee-charged"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_with_too_little_gas_is_out_of_gas() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let t = node.deploy_token(1).await;
    let hash = node
        .send_mined(
            json!({"from": A0, "to": t, "data": burn_data(500), "gas": format!("0x{:x}", 60_000)}),
        )
        .await;
    let d = client(&node, vec![]).tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Failed);
    assert_eq!(codes(&d.findings), vec![FindingCode::OutOfGas]);
    assert_eq!(d.findings[0].values["gas_limit"], "60000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erc20_transfer_is_decoded_and_the_address_shows_its_tokens_and_no_gas() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let t = node.deploy_token(1_000_000_000).await;
    let hash = node
        .send_mined(json!({"from": A0, "to": t, "data": transfer_data(EMPTY, 1_500_000)}))
        .await;
    let c = client(&node, vec![token(&t)]);
    let d = c.tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Confirmed);
    let tr = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::TokenTransfer)
        .expect("token transfer");
    assert_eq!(tr.values["amount"], "1.5 TUSD");
    assert_eq!(tr.values["recipient"], EMPTY);
    assert!(!codes(&d.findings).contains(&FindingCode::RecipientIsContract));

    // The recipient holds TUSD and no ETH: it cannot send them.
    let a = c.address(EMPTY).await.expect("address");
    assert_eq!(a.balance.as_deref(), Some("0 ETH"));
    assert_eq!(a.tokens, vec![("TUSD".to_owned(), "1.5".to_owned())]);
    assert!(
        codes(&a.findings).contains(&FindingCode::NoGasForToken),
        "{a:?}"
    );
    assert_eq!(a.article.as_deref(), Some("insufficient-balance-for-fee"));

    // Tokens sent to the token contract itself.
    let hash = node
        .send_mined(json!({"from": A0, "to": t, "data": transfer_data(&t, 1)}))
        .await;
    let d = c.tx(&hash).await.expect("diagnosis");
    assert!(codes(&d.findings).contains(&FindingCode::RecipientIsContract));

    // The token's own address is a contract.
    let a = c.address(&t).await.expect("address");
    assert!(codes(&a.findings).contains(&FindingCode::ContractAddress));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_replaced_by_a_higher_fee_one_is_replaced() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    node.automine(false).await;
    let nonce = node.nonce(A0).await;
    let fee = |max: u128| {
        json!({
            "from": A0, "to": A1, "value": "0x1", "nonce": format!("0x{nonce:x}"),
            "maxFeePerGas": format!("0x{max:x}"),
            "maxPriorityFeePerGas": format!("0x{:x}", max / 2),
        })
    };
    let first = node.send(fee(10 * GWEI)).await;
    let c = client(&node, vec![]);
    let d = c.tx(&first).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Pending);
    let second = node.send(fee(40 * GWEI)).await;
    assert_ne!(first, second);
    let d = c.tx(&first).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Replaced, "{d:?}");
    node.mine(1).await;
    let d = c.tx(&first).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Replaced);
    assert_eq!(d.findings[0].values["nonce"], nonce.to_string());
    let d = c.tx(&second).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Confirmed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_transaction_undone_by_a_reorg_is_dropped() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let snapshot = node.rpc("evm_snapshot", json!([])).await;
    let hash = node
        .send_mined(json!({"from": A0, "to": A1, "value": "0x5"}))
        .await;
    let c = client(&node, vec![]);
    assert_eq!(c.tx(&hash).await.expect("d").status, TxStatus::Confirmed);
    assert_eq!(node.rpc("evm_revert", json!([snapshot])).await, json!(true));
    let d = c.tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::Dropped, "{d:?}");
    // A client that never saw it can only say it is not there.
    let d = client(&node, vec![]).tx(&hash).await.expect("diagnosis");
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_on_another_configured_chain_is_the_wrong_network() {
    let Some(eth) = Anvil::start(&[]).await else {
        return;
    };
    let Some(bsc) = Anvil::start(&["--chain-id", "56"]).await else {
        return;
    };
    let hash = bsc
        .send_mined(json!({"from": A0, "to": A1, "value": "0x7"}))
        .await;
    let (chains, refused) = Chains::from_config(&[
        eth.config("ethereum", Some(31337), vec![]),
        bsc.config("bsc", Some(56), vec![]),
    ]);
    assert!(refused.is_empty());
    let l = chains
        .tx(&hash, Some("ethereum"), false)
        .await
        .expect("lookup");
    let d = l.diagnosis;
    assert_eq!(d.chain, "bsc");
    assert_eq!(d.status, TxStatus::Confirmed);
    assert_eq!(d.findings[0].code, FindingCode::WrongNetwork);
    assert_eq!(d.findings[0].values["asked"], "ethereum");
    assert_eq!(d.findings[0].values["found_on"], "bsc");
    // No chain given: found where it is, no wrong network.
    let d = chains
        .tx(&hash, None, false)
        .await
        .expect("lookup")
        .diagnosis;
    assert_eq!(d.chain, "bsc");
    assert!(!codes(&d.findings).contains(&FindingCode::WrongNetwork));
    // Nowhere: not found on every chain, named.
    let nowhere = format!("0x{}", "12".repeat(32));
    let d = chains
        .tx(&nowhere, None, false)
        .await
        .expect("lookup")
        .diagnosis;
    assert_eq!(d.status, TxStatus::NotFound);
    assert_eq!(d.chain, "ethereum, bsc");
    assert!(matches!(
        chains.tx(&hash, Some("polygon"), false).await,
        Err(ChainsError::UnknownChain(_))
    ));
    assert!(matches!(
        chains.tx("0x1234", None, false).await,
        Err(ChainsError::BadInput)
    ));
    // An address with coins only on BSC, asked everywhere: the BSC balance.
    let d = chains
        .address(A1, Some("bsc"), false)
        .await
        .expect("address")
        .diagnosis;
    assert_eq!(d.chain, "bsc");
    assert!(d.balance.as_deref().is_some_and(|b| b.ends_with(" BNB")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_on_another_chain_id_than_configured_is_refused() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let c = EvmClient::new(node.config("ethereum", Some(1), vec![]), Vec::new()).expect("client");
    let hash = format!("0x{}", "ab".repeat(32));
    match c.tx(&hash).await {
        Err(LookupError::BadAnswer(why)) => assert!(why.contains("chain id 31337"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        c.address(A0).await,
        Err(LookupError::BadAnswer(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_answers_a_repeated_lookup_without_asking_the_node_and_refresh_asks() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let hash = node
        .send_mined(json!({"from": A0, "to": A1, "value": "0x9"}))
        .await;
    let c = Arc::new(client(&node, vec![]));
    let chains = Chains::new(vec![c.clone() as Arc<dyn Client>]).with_ttl(CacheTtl::default());
    let first = chains.tx(&hash, None, false).await.expect("first");
    assert!(!first.cached);
    let asked = c.counters();
    let second = chains.tx(&hash, None, false).await.expect("second");
    assert!(second.cached);
    assert_eq!(second.fetched_at_ms, first.fetched_at_ms);
    assert_eq!(second.diagnosis, first.diagnosis);
    assert_eq!(c.counters(), asked, "the cache did not ask the node");
    node.mine(4).await;
    let fresh = chains.tx(&hash, None, true).await.expect("fresh");
    assert!(!fresh.cached);
    assert_eq!(fresh.diagnosis.confirmations, Some(5));
    assert!(c.counters().1 > asked.1);
    // A pending lookup with no cache lifetime is asked again every time.
    let nocache = Chains::new(vec![c.clone() as Arc<dyn Client>]).with_ttl(CacheTtl {
        changing: std::time::Duration::ZERO,
        settled: std::time::Duration::ZERO,
    });
    let before = c.counters().1;
    nocache.tx(&hash, None, false).await.expect("a");
    nocache.tx(&hash, None, false).await.expect("b");
    assert_eq!(c.counters().1, before + 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_configured_chain_is_not_configured() {
    let chains = Chains::new(vec![]);
    assert!(!chains.is_configured());
    assert!(matches!(
        chains
            .tx(&format!("0x{}", "ab".repeat(32)), None, false)
            .await,
        Err(ChainsError::NotConfigured)
    ));
    assert!(matches!(
        chains.address(A0, None, false).await,
        Err(ChainsError::NotConfigured)
    ));
}
