//! The Esplora client against a stand-in serving Esplora's documented answers
//! (tests/fixtures/esplora, see SOURCES.md), and against garbage, slow, huge and refused
//! answers.

use std::time::Duration;

use chain::{ChainKind, FindingCode, Severity, TxStatus};
use chain_client::esplora::Esplora;
use chain_client::{Client, LookupError};

use crate::standin::{Reply, StandIn};
use crate::{codes, config, value};

const CONFIRMED: &str = "c1a9a5dfd3b9cf2bb4bb0a73ee7f1f0a0e6e96e9e2b2b8bd9b05f3e6b0f3b6a1";
const PENDING: &str = "a0d5f3e8c1b2a39485766758493a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f50";
const ADDRESS: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

/// Esplora as documented: the recorded answers, 404 "Transaction not found" for the rest.
fn esplora(_method: &str, path: &str, _body: &str) -> Reply {
    match path {
        p if p == format!("/tx/{CONFIRMED}") => Reply::fixture("esplora/tx_confirmed.json"),
        p if p == format!("/tx/{PENDING}") => Reply::fixture("esplora/tx_pending.json"),
        p if p == format!("/tx/{PENDING}/outspends") => {
            Reply::fixture("esplora/tx_pending_outspends.json")
        }
        "/fee-estimates" => Reply::fixture("esplora/fee_estimates.json"),
        "/blocks/tip/height" => Reply::fixture("esplora/tip_height.txt"),
        p if p == format!("/address/{ADDRESS}") => Reply::fixture("esplora/address.json"),
        p if p == format!("/address/{ADDRESS}/txs") => Reply::fixture("esplora/address_txs.json"),
        _ => Reply::status(404, "Transaction not found"),
    }
}

async fn client(standin: &StandIn) -> Esplora {
    Esplora::new(config(ChainKind::Esplora, &standin.url)).expect("a client")
}

#[tokio::test]
async fn esplora_standin_confirmed_transaction() {
    let s = StandIn::start(esplora).await;
    let c = client(&s).await;
    let d = c.tx(CONFIRMED).await.unwrap();
    assert_eq!(d.status, TxStatus::Confirmed);
    // Tip 800009, block 800000.
    assert_eq!(d.confirmations, Some(10));
    assert_eq!(c.http_requests(), 2);
    let paths: Vec<_> = s.requests().into_iter().map(|r| r.1).collect();
    assert_eq!(paths[0], format!("/tx/{CONFIRMED}"));
    assert!(paths.contains(&"/blocks/tip/height".to_owned()));
}

#[tokio::test]
async fn esplora_standin_pending_low_fee_rbf_and_cpfp() {
    let s = StandIn::start(esplora).await;
    let c = client(&s).await;
    let d = c.tx(PENDING).await.unwrap();
    assert_eq!(d.status, TxStatus::Pending);
    // 141 sat for 561 WU (141 vB): 1 sat/vB, below the documented example's 144-block 1.027.
    let low = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::FeeRateLow)
        .unwrap();
    assert_eq!(low.severity, Severity::Problem);
    assert_eq!(low.values["fee_rate"], "1");
    assert_eq!(low.values["fast"], "87.9");
    assert_eq!(low.values["medium"], "68.3");
    assert!(codes(&d).contains(&FindingCode::RbfSignalled));
    // Output 0 is unspent and large; output 1 is already spent.
    let cpfp: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::CpfpPossible)
        .map(|f| f.values["output"].as_str())
        .collect();
    assert_eq!(cpfp, ["0"]);
    assert_eq!(d.article.as_deref(), Some("speed-up-or-cancel-transaction"));
    assert_eq!(c.http_requests(), 3);
}

#[tokio::test]
async fn esplora_standin_unknown_and_bad_ids() {
    let s = StandIn::start(esplora).await;
    let c = client(&s).await;
    // A testnet txid on a mainnet Esplora: not found.
    let d = c.tx(&"0e".repeat(32)).await.unwrap();
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);
    assert!(matches!(
        c.tx("0xnot-a-txid").await,
        Err(LookupError::BadInput { .. })
    ));
    // Nothing was asked for the bad id.
    assert_eq!(s.requests().len(), 1);
}

#[tokio::test]
async fn esplora_standin_address_pending_incoming_and_funds_moved_out() {
    let s = StandIn::start(esplora).await;
    let c = client(&s).await;
    let d = c.address(ADDRESS).await.unwrap();
    assert!(d.found);
    assert_eq!(d.balance.as_deref(), Some("0 BTC"));
    assert_eq!(
        value(&d.findings, FindingCode::PendingIncoming, "amount"),
        Some("1 BTC")
    );
    assert_eq!(
        value(&d.findings, FindingCode::PendingIncoming, "txid"),
        Some(PENDING)
    );
    assert_eq!(
        value(&d.findings, FindingCode::FundsMovedOut, "when"),
        Some("2023-07-24 03:17 UTC")
    );
    assert_eq!(
        value(&d.findings, FindingCode::FundsMovedOut, "txid"),
        Some(CONFIRMED)
    );
    assert_eq!(c.http_requests(), 2);

    // A Litecoin regtest address on a Bitcoin mainnet chain: told, nothing asked.
    let d = c
        .address("rltc1qtgf3660curvumfys0384rgaacy5gwd49a0t2u3")
        .await
        .unwrap();
    assert_eq!(
        value(&d.findings, FindingCode::WrongNetwork, "network"),
        Some("Litecoin regtest")
    );
    assert_eq!(s.requests().len(), 2);
}

#[tokio::test]
async fn esplora_standin_garbage_is_a_bad_answer() {
    for reply in [
        Reply::json("{\"txid\": 12"),
        Reply::json("[1, 2, 3]"),
        Reply::json("{}"),
        Reply::status(502, "<html>Bad Gateway</html>"),
        Reply::status(200, "\u{0}\u{1}\u{2}"),
    ] {
        let s = StandIn::start(move |_, _, _| reply.clone()).await;
        let c = client(&s).await;
        match c.tx(CONFIRMED).await {
            Err(LookupError::BadAnswer(_)) => {}
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            c.address(ADDRESS).await,
            Err(LookupError::BadAnswer(_))
        ));
    }
}

#[tokio::test]
async fn esplora_standin_another_transaction_is_a_bad_answer() {
    let s = StandIn::start(|_, _, _| Reply::fixture("esplora/tx_confirmed.json")).await;
    let c = client(&s).await;
    assert!(matches!(
        c.tx(PENDING).await,
        Err(LookupError::BadAnswer(_))
    ));
}

#[tokio::test]
async fn esplora_standin_slow_answers_time_out() {
    let s = StandIn::start(|_, _, _| Reply {
        delay: Some(Duration::from_secs(30)),
        ..Reply::fixture("esplora/tx_confirmed.json")
    })
    .await;
    let mut cfg = config(ChainKind::Esplora, &s.url);
    cfg.timeout_ms = 200;
    let c = Esplora::new(cfg).unwrap();
    match c.tx(CONFIRMED).await {
        Err(LookupError::Unreachable(m)) => assert!(m.contains("timed out"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn esplora_standin_huge_answers_are_refused() {
    let huge = format!("[{}0]", "0,".repeat(600_000));
    for no_length in [false, true] {
        let body = huge.clone();
        let s = StandIn::start(move |_, _, _| Reply {
            no_length,
            ..Reply::json(&body)
        })
        .await;
        let c = client(&s).await.with_max_response_bytes(64 * 1024);
        match c.tx(CONFIRMED).await {
            Err(LookupError::BadAnswer(m)) => assert!(m.contains("larger"), "{m}"),
            other => panic!("no_length {no_length}: {other:?}"),
        }
    }
    // The default cap: 4 MiB; a 1.2 MB answer is read (and is not a transaction).
    let body = huge.clone();
    let s = StandIn::start(move |_, _, _| Reply::json(&body)).await;
    match client(&s).await.tx(CONFIRMED).await {
        Err(LookupError::BadAnswer(m)) => assert!(!m.contains("larger"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn esplora_nothing_listening_is_unreachable() {
    // Bind, learn the port, close: nothing listens there any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Esplora::new(config(
        ChainKind::Esplora,
        &format!("http://127.0.0.1:{port}"),
    ))
    .unwrap();
    assert!(matches!(
        c.tx(CONFIRMED).await,
        Err(LookupError::Unreachable(_))
    ));
    assert!(matches!(
        Esplora::new(config(ChainKind::Esplora, "ftp://example")),
        Err(LookupError::Unreachable(_))
    ));
    let mut bad_network = config(ChainKind::Esplora, "http://127.0.0.1:1");
    bad_network.network = Some("moonnet".into());
    assert!(Esplora::new(bad_network).is_err());
}
