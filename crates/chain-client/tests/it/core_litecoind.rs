//! The Bitcoin Core RPC client against a real node: litecoind in regtest (see litecoind.rs),
//! with the cases made for real — a confirmed transfer, a pending one with a low fee, an
//! RBF-signalling one and its replacement (`bumpfee`), a CPFP candidate — and the errors.

use chain::{FindingCode, TxStatus};
use chain_client::bitcoin_core::BitcoinCore;
use chain_client::{Client, LookupError};
use serde_json::json;

use crate::litecoind::Litecoind;
use crate::{codes, value};

#[tokio::test(flavor = "multi_thread")]
async fn litecoind_regtest_transactions_confirmed_pending_replaced_and_cpfp() {
    let Some(node) = Litecoind::start().await else {
        return;
    };
    node.call("createwallet", json!(["w"])).await;
    node.mine(101).await;
    let client = BitcoinCore::new(node.config()).unwrap();
    let to = node.new_address().await;
    assert!(to.starts_with("rltc1"), "{to}");

    // Confirmed, with 2 confirmations; one HTTP request, three RPC calls.
    let confirmed = node.send(&to, 1.0, 5, false).await;
    node.mine(2).await;
    let (calls, requests) = (client.rpc_calls(), client.http_requests());
    let d = client.tx(&confirmed).await.unwrap();
    assert_eq!(d.status, TxStatus::Confirmed);
    assert!(d.found);
    assert_eq!(d.confirmations, Some(2));
    assert_eq!(
        value(&d.findings, FindingCode::Confirmed, "confirmations"),
        Some("2")
    );
    assert_eq!(client.http_requests() - requests, 1);
    assert_eq!(client.rpc_calls() - calls, 3);

    // Pending at 1 sat/vB, not signalling RBF: the fee rate read from the mempool, and its
    // 0.5 LTC output a CPFP candidate (regtest has no fee estimates: the fallback target).
    let low = node.send(&to, 0.5, 1, false).await;
    let requests = client.http_requests();
    let d = client.tx(&low.to_uppercase()).await.unwrap();
    assert_eq!(d.status, TxStatus::Pending, "{d:?}");
    assert_eq!(d.confirmations, Some(0));
    assert_eq!(
        value(&d.findings, FindingCode::FeeRateOk, "fee_rate"),
        Some("1")
    );
    assert!(codes(&d).contains(&FindingCode::RbfNotSignalled));
    let cpfp: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::CpfpPossible)
        .collect();
    assert!(
        cpfp.iter()
            .any(|f| f.values["amount"] == "0.5 LTC" && f.values["address"] == to),
        "{cpfp:?}"
    );
    assert_eq!(client.http_requests() - requests, 2);

    // Once its output is spent by a child, that output is no CPFP candidate any more.
    let raw = node.call("getrawtransaction", json!([low, true])).await;
    let n = raw["vout"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["value"].as_f64() == Some(0.5))
        .unwrap()["n"]
        .clone();
    let child = node
        .call(
            "createrawtransaction",
            json!([[{"txid": low, "vout": n}], [{ node.new_address().await: 0.4999 }]]),
        )
        .await;
    let signed = node
        .call("signrawtransactionwithwallet", json!([child]))
        .await;
    node.call("sendrawtransaction", json!([signed["hex"]]))
        .await;
    let d = client.tx(&low).await.unwrap();
    assert!(
        !d.findings
            .iter()
            .any(|f| f.code == FindingCode::CpfpPossible && f.values["amount"] == "0.5 LTC"),
        "{:?}",
        d.findings
    );

    // RBF-signalling, then replaced by bumpfee: the original is "replaced" (the node's
    // wallet knows by which), the replacement pending and signalling.
    let rbf = node.send(&to, 0.3, 2, true).await;
    let d = client.tx(&rbf).await.unwrap();
    assert!(codes(&d).contains(&FindingCode::RbfSignalled), "{d:?}");
    let bumped = node.call("bumpfee", json!([rbf])).await["txid"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = client.tx(&rbf).await.unwrap();
    assert_eq!(d.status, TxStatus::Replaced);
    assert_eq!(
        value(&d.findings, FindingCode::Replaced, "by"),
        Some(bumped.as_str())
    );
    let d = client.tx(&bumped).await.unwrap();
    assert_eq!(d.status, TxStatus::Pending);
    assert!(codes(&d).contains(&FindingCode::RbfSignalled));

    // Mined: the low-fee one confirms.
    node.mine(1).await;
    let d = client.tx(&low).await.unwrap();
    assert_eq!(d.status, TxStatus::Confirmed);
    assert_eq!(d.confirmations, Some(1));

    // Unknown ids (a testnet txid, say) are "not found", not an error; garbage is bad input.
    let d = client.tx(&"ab".repeat(32)).await.unwrap();
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);
    assert!(matches!(
        client.tx("not a txid").await,
        Err(LookupError::BadInput { .. })
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn litecoind_regtest_addresses_wrong_network_and_credentials() {
    let Some(node) = Litecoind::start().await else {
        return;
    };
    node.call("createwallet", json!(["w"])).await;
    node.mine(101).await;
    let client = BitcoinCore::new(node.config()).unwrap();

    // 0.25 confirmed, 0.1 coming in.
    let a = node.new_address().await;
    node.send(&a, 0.25, 5, false).await;
    node.mine(1).await;
    node.send(&a, 0.1, 5, false).await;
    let d = client.address(&a).await.unwrap();
    assert!(d.found);
    assert_eq!(d.balance.as_deref(), Some("0.25 LTC"));
    assert_eq!(
        value(&d.findings, FindingCode::PendingIncoming, "amount"),
        Some("0.1 LTC")
    );

    // A fresh address: zero.
    let fresh = node.new_address().await;
    let d = client.address(&fresh).await.unwrap();
    assert_eq!(d.balance.as_deref(), Some("0 LTC"));
    assert!(
        d.findings
            .iter()
            .any(|f| f.code == FindingCode::ZeroBalance)
    );

    // A Bitcoin mainnet address on this Litecoin regtest chain: told so, nothing looked up.
    let calls = client.rpc_calls();
    let d = client
        .address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
        .await
        .unwrap();
    assert!(!d.found);
    assert_eq!(
        value(&d.findings, FindingCode::WrongNetwork, "network"),
        Some("Bitcoin mainnet")
    );
    assert_eq!(client.rpc_calls(), calls);
    assert!(matches!(
        client.address("rltc1-not-an-address").await,
        Err(LookupError::BadInput { .. })
    ));

    // Wrong credentials: a clear "couldn't check".
    let mut config = node.config();
    config.url = format!("http://walletdesk:wrong@127.0.0.1:{}", node.port);
    let wrong = BitcoinCore::new(config).unwrap();
    match wrong.tx(&"ab".repeat(32)).await {
        Err(LookupError::Unreachable(m)) => assert!(m.contains("credentials"), "{m}"),
        other => panic!("{other:?}"),
    }
}
