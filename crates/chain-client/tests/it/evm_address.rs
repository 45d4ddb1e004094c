//! An EVM address's history against a real anvil: an address emptied for real (a token and
//! then its coins sent away by the address itself), coins sent long before the scanned blocks
//! and a contract wallet paying out (both seen through anvil's `trace_filter`), transfers still
//! in the pool, and coins on another configured chain. Counted: the requests and calls one
//! address diagnosis makes.

use chain::{AddressDiagnosis, Finding, FindingCode};
use chain_client::evm::{EvmClient, HISTORY_BLOCKS};
use chain_client::{Chains, Client};
use serde_json::{Value, json};

use crate::anvil::{A0, Anvil, pay_data, token, transfer_data};

const GWEI: u128 = 1_000_000_000;
const ETH: u128 = GWEI * GWEI;
/// Addresses nobody holds keys for; anvil lets the test send as them (impersonation).
const VICTIM: &str = "0x00000000000000000000000000000000000a11ce";
const THIEF: &str = "0x000000000000000000000000000000000000dead";
const SAVER: &str = "0x00000000000000000000000000000000005a7e00";

fn all(d: &AddressDiagnosis, code: FindingCode) -> Vec<&Finding> {
    d.findings.iter().filter(|f| f.code == code).collect()
}

fn hex_u128(v: &Value) -> u128 {
    u128::from_str_radix(v.as_str().expect("hex").trim_start_matches("0x"), 16).expect("number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_emptied_by_its_own_transfers_says_when_and_to_where_in_four_requests() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let t = node.deploy_token(1_000_000_000).await;
    node.rpc("anvil_setBalance", json!([VICTIM, format!("0x{ETH:x}")]))
        .await;
    node.rpc("anvil_impersonateAccount", json!([VICTIM])).await;
    // 5 TUSD in, then sent away, then every last wei of ETH (a legacy price: the fee is exact).
    node.send_mined(json!({"from": A0, "to": t, "data": transfer_data(VICTIM, 5_000_000)}))
        .await;
    let token_out = node
        .send_mined(json!({
            "from": VICTIM, "to": t, "data": transfer_data(THIEF, 5_000_000),
            "gas": "0x30000", "gasPrice": format!("0x{:x}", 2 * GWEI),
        }))
        .await;
    let left = hex_u128(&node.rpc("eth_getBalance", json!([VICTIM, "latest"])).await);
    let fee = 21_000 * 2 * GWEI;
    let eth_out = node
        .send_mined(json!({
            "from": VICTIM, "to": THIEF, "value": format!("0x{:x}", left - fee),
            "gas": "0x5208", "gasPrice": format!("0x{:x}", 2 * GWEI),
        }))
        .await;
    assert_eq!(
        hex_u128(&node.rpc("eth_getBalance", json!([VICTIM, "latest"])).await),
        0,
        "emptied"
    );

    let c = EvmClient::new(
        node.config("anvil", Some(31337), vec![token(&t)]),
        Vec::new(),
    )
    .expect("client");
    let d = c.address(VICTIM).await.expect("diagnosis");
    let (calls, requests) = c.counters();
    assert_eq!(
        requests, 4,
        "balances, the pool, the logs and the blocks: two round trips"
    );
    // With the two `trace_filter` calls in the logs' request (anvil has a trace API).
    let most = 6 + 1 + 1 + 1 + 2 + 2 + HISTORY_BLOCKS;
    assert!(calls <= most, "{calls} calls, at most {most}");
    assert_eq!(d.balance.as_deref(), Some("0 ETH"));
    assert!(d.found);
    let moved = all(&d, FindingCode::FundsMovedOut);
    assert_eq!(moved.len(), 1, "{:?}", d.findings);
    assert_eq!(moved[0].values["txid"], eth_out);
    assert_eq!(moved[0].values["to"], THIEF);
    let sent = format!(
        "{} ETH",
        chain::evm::format_units(&(left - fee).to_string(), 18)
    );
    assert_eq!(moved[0].values["amount"], sent);
    assert!(moved[0].values["when"].ends_with(" UTC"), "{:?}", moved[0]);
    assert_eq!(
        d.article.as_deref(),
        Some("sent-to-wrong-address-or-network")
    );
    let recent: Vec<(&str, &str)> = all(&d, FindingCode::RecentTransaction)
        .iter()
        .map(|f| (f.values["txid"].as_str(), f.values["signed"].as_str()))
        .collect();
    assert_eq!(recent.len(), 3, "{recent:?}");
    assert_eq!(recent[0], (eth_out.as_str(), format!("-{sent}").as_str()));
    assert_eq!(recent[1], (token_out.as_str(), "-5 TUSD"));
    assert_eq!(recent[2].1, "+5 TUSD");
    // anvil shows its pool: nothing is on its way, and that is known.
    assert!(all(&d, FindingCode::PendingIncoming).is_empty());
    assert!(all(&d, FindingCode::PendingIncomingUnknown).is_empty());

    // Past the scanned blocks the coins' transfer is still seen, in the traces (the token's
    // in the logs), with its block's time.
    let eth_out_at = node.block_time(node.block_of(&eth_out).await).await;
    node.mine(HISTORY_BLOCKS + 2).await;
    let d = c.address(VICTIM).await.expect("diagnosis");
    let moved = all(&d, FindingCode::FundsMovedOut);
    assert_eq!(moved[0].values["txid"], eth_out);
    assert_eq!(moved[0].values["amount"], sent);
    assert_eq!(
        moved[0].values["when"],
        chain::bitcoin::fmt::time(eth_out_at)
    );
    let recent: Vec<&str> = all(&d, FindingCode::RecentTransaction)
        .iter()
        .map(|f| f.values["txid"].as_str())
        .collect();
    assert_eq!(recent[..2], [eth_out.as_str(), token_out.as_str()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coins_sent_long_before_the_scanned_blocks_are_found_in_the_traces_with_when_and_to_where()
{
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    // A chain longer than anvil's cap on trace_filter's range (300 blocks), so that the
    // client meets the refusal of the full range and learns the cap.
    node.mine(400).await;
    node.rpc("anvil_setBalance", json!([VICTIM, format!("0x{ETH:x}")]))
        .await;
    node.rpc("anvil_impersonateAccount", json!([VICTIM])).await;
    let fee = 21_000 * 2 * GWEI;
    let eth_out = node
        .send_mined(json!({
            "from": VICTIM, "to": THIEF, "value": format!("0x{:x}", ETH - fee),
            "gas": "0x5208", "gasPrice": format!("0x{:x}", 2 * GWEI),
        }))
        .await;
    let sent_at = node.block_time(node.block_of(&eth_out).await).await;
    node.mine(25).await;

    let c = EvmClient::new(node.config("anvil", Some(31337), vec![]), Vec::new()).expect("client");
    let d = c.address(VICTIM).await.expect("diagnosis");
    let moved = all(&d, FindingCode::FundsMovedOut);
    assert_eq!(moved.len(), 1, "{:?}", d.findings);
    assert_eq!(moved[0].form, None, "where it went, not only a count");
    assert_eq!(moved[0].values["txid"], eth_out);
    assert_eq!(moved[0].values["to"], THIEF);
    let sent = format!(
        "{} ETH",
        chain::evm::format_units(&(ETH - fee).to_string(), 18)
    );
    assert_eq!(moved[0].values["amount"], sent);
    // The time of the block it was mined in (its header asked for, as no scanned block has it).
    assert_eq!(moved[0].values["when"], chain::bitcoin::fmt::time(sent_at));
    assert_eq!(
        d.article.as_deref(),
        Some("sent-to-wrong-address-or-network")
    );
    let (calls, requests) = c.counters();
    assert_eq!(
        requests, 6,
        "balances, the pool, the logs with the traces (range refused), the blocks, the traces \
         over the range anvil allows, the header of the transfer's block"
    );
    assert_eq!(calls, 6 + 1 + 1 + 2 + 2 + HISTORY_BLOCKS + 2 + 1);

    // The cap is remembered: the next lookup asks over it at once.
    let d = c.address(VICTIM).await.expect("diagnosis");
    assert_eq!(
        all(&d, FindingCode::FundsMovedOut)[0].values["txid"],
        eth_out
    );
    let (calls2, requests2) = c.counters();
    assert_eq!(
        requests2 - requests,
        5,
        "one round trip less: no refused range"
    );
    assert_eq!(calls2 - calls, 6 + 1 + 2 + 2 + HISTORY_BLOCKS + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contract_wallet_paying_out_is_an_internal_transfer_on_both_sides() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    // A contract wallet holding 1 ETH; its owner (A0) makes it pay SAVER: the coins move by
    // the contract's code, inside A0's transaction to it, which itself carries no value.
    let wallet = node.deploy_wallet(ETH).await;
    let payout = node
        .send_mined(
            json!({"from": A0, "to": wallet, "data": pay_data(SAVER, ETH), "gas": "0x100000"}),
        )
        .await;
    let paid_at = node.block_time(node.block_of(&payout).await).await;
    node.mine(HISTORY_BLOCKS + 2).await;
    let c = EvmClient::new(node.config("anvil", Some(31337), vec![]), Vec::new()).expect("client");

    // The wallet, emptied by its own code: where the coins went, said as an internal transfer.
    let d = c.address(&wallet).await.expect("diagnosis");
    assert_eq!(d.balance.as_deref(), Some("0 ETH"));
    assert_eq!(all(&d, FindingCode::ContractAddress).len(), 1);
    let moved = all(&d, FindingCode::FundsMovedOut);
    assert_eq!(moved.len(), 1, "{:?}", d.findings);
    assert_eq!(moved[0].form.as_deref(), Some("internal"));
    assert_eq!(moved[0].values["txid"], payout);
    assert_eq!(moved[0].values["to"], SAVER);
    assert_eq!(moved[0].values["contract"], wallet);
    assert_eq!(moved[0].values["amount"], "1 ETH");
    assert_eq!(moved[0].values["when"], chain::bitcoin::fmt::time(paid_at));
    // Its history also has the coins it was created with (a creation with a value).
    let recent: Vec<(&str, Option<&str>)> = all(&d, FindingCode::RecentTransaction)
        .iter()
        .map(|f| (f.values["signed"].as_str(), f.form.as_deref()))
        .collect();
    assert_eq!(recent, [("-1 ETH", Some("internal")), ("+1 ETH", None)]);

    // The address it paid: the coins came in, from the contract, in the owner's transaction.
    let d = c.address(SAVER).await.expect("diagnosis");
    assert_eq!(d.balance.as_deref(), Some("1 ETH"));
    let recent = all(&d, FindingCode::RecentTransaction);
    assert_eq!(recent.len(), 1, "{:?}", d.findings);
    assert_eq!(recent[0].form.as_deref(), Some("internal"));
    assert_eq!(recent[0].values["txid"], payout);
    assert_eq!(recent[0].values["direction"], "in");
    assert_eq!(recent[0].values["signed"], "+1 ETH");
    assert_eq!(recent[0].values["contract"], wallet);
    assert_eq!(recent[0].values["when"], chain::bitcoin::fmt::time(paid_at));
    // The owner sent a transaction with no value: no transfer of its own.
    let d = c.address(A0).await.expect("diagnosis");
    assert!(
        all(&d, FindingCode::RecentTransaction)
            .iter()
            .all(|f| f.values["txid"] != payout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_still_in_the_pool_are_pending_incoming() {
    let Some(node) = Anvil::start(&[]).await else {
        return;
    };
    let t = node.deploy_token(1_000_000_000).await;
    node.automine(false).await;
    let coins = node
        .send(json!({"from": A0, "to": SAVER, "value": format!("0x{:x}", ETH / 2)}))
        .await;
    let tokens = node
        .send(json!({"from": A0, "to": t, "data": transfer_data(SAVER, 1_500_000)}))
        .await;
    let c = EvmClient::new(
        node.config("anvil", Some(31337), vec![token(&t)]),
        Vec::new(),
    )
    .expect("client");
    let d = c.address(SAVER).await.expect("diagnosis");
    let mut pending: Vec<(String, String)> = all(&d, FindingCode::PendingIncoming)
        .iter()
        .map(|f| (f.values["txid"].clone(), f.values["amount"].clone()))
        .collect();
    pending.sort();
    let mut want = vec![
        (coins, "0.5 ETH".to_owned()),
        (tokens, "1.5 TUSD".to_owned()),
    ];
    want.sort();
    assert_eq!(pending, want, "{:?}", d.findings);
    assert_eq!(d.article.as_deref(), Some("transaction-pending-stuck"));
    // Mined: no longer pending, and the coins are there.
    node.mine(1).await;
    let d = c.address(SAVER).await.expect("diagnosis");
    assert!(all(&d, FindingCode::PendingIncoming).is_empty());
    assert_eq!(d.balance.as_deref(), Some("0.5 ETH"));
    assert_eq!(d.tokens, vec![("TUSD".to_owned(), "1.5".to_owned())]);
    assert_eq!(all(&d, FindingCode::RecentTransaction).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coins_on_another_configured_chain_are_named_when_this_one_holds_nothing() {
    let Some(eth) = Anvil::start(&[]).await else {
        return;
    };
    let Some(bsc) = Anvil::start(&["--chain-id", "56"]).await else {
        return;
    };
    bsc.send_mined(json!({"from": A0, "to": SAVER, "value": format!("0x{:x}", ETH / 4)}))
        .await;
    let (chains, refused) = Chains::from_config(&[
        eth.config("ethereum", Some(31337), vec![]),
        bsc.config("bsc", Some(56), vec![]),
    ]);
    assert!(refused.is_empty());
    let d = chains
        .address(SAVER, Some("ethereum"), false)
        .await
        .expect("lookup")
        .diagnosis;
    assert_eq!(d.chain, "ethereum");
    let other = all(&d, FindingCode::TokensOnOtherNetwork);
    assert_eq!(other.len(), 1, "{:?}", d.findings);
    assert_eq!(other[0].values["other_chain"], "bsc");
    assert_eq!(other[0].values["amount"], "0.25 BNB");
    assert_eq!(d.article.as_deref(), Some("balance-missing-wrong-network"));
    // Asked on the chain where it holds them: nothing about another network.
    let d = chains
        .address(SAVER, Some("bsc"), false)
        .await
        .expect("lookup")
        .diagnosis;
    assert!(all(&d, FindingCode::TokensOnOtherNetwork).is_empty());
    // An address with nothing anywhere: nothing named.
    let d = chains
        .address(THIEF, Some("ethereum"), false)
        .await
        .expect("lookup")
        .diagnosis;
    assert!(all(&d, FindingCode::TokensOnOtherNetwork).is_empty());
}
