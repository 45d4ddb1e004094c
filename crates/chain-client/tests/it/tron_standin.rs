//! The TRON client against a stand-in serving TRON's documented HTTP answers
//! (tests/fixtures/tron, see SOURCES.md), and against garbage and java-tron's errors.

use chain::model::TokenConfig;
use chain::{ChainConfig, ChainKind, FindingCode, Severity, TxStatus};
use chain_client::tron::Tron;
use chain_client::{Client, LookupError};
use serde_json::Value;

use crate::standin::{Reply, StandIn, fixture};
use crate::value;

const TRC20: &str = "7c2d4206c03a883dd9066d920f0d8bf6b7fd7b8c5d5bc8e5c16e6ec3f2a1b0c9";
const OUT_OF_ENERGY: &str = "e5b0f7c3a2d1908172635445362718090a1b2c3d4e5f60718293a4b5c6d7e8f9";
const REVERT: &str = "d4c3b2a1908172635445362718090a1b2c3d4e5f60718293a4b5c6d7e8f90a1b";
const PENDING: &str = "5555555555555555555555555555555555555555555555555555555555555555";
const ALICE: &str = "TZ4UXDV5ZhNW7fb2AMSbgfAEZ7hWsnYS2g";
const USDT: &str = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

fn id_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("value").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default()
}

/// TRON's HTTP API as documented: the recorded answers, `{}` for unknown ids.
fn tron(_method: &str, path: &str, body: &str) -> Reply {
    let id = id_of(body);
    match (path, id.as_str()) {
        ("/wallet/gettransactionbyid", TRC20) => {
            Reply::fixture("tron/gettransactionbyid_trc20.json")
        }
        ("/wallet/gettransactioninfobyid", TRC20) => {
            Reply::fixture("tron/gettransactioninfobyid_trc20.json")
        }
        ("/wallet/gettransactionbyid", OUT_OF_ENERGY) => {
            Reply::fixture("tron/gettransactionbyid_out_of_energy.json")
        }
        ("/wallet/gettransactioninfobyid", OUT_OF_ENERGY) => {
            Reply::fixture("tron/gettransactioninfobyid_out_of_energy.json")
        }
        ("/wallet/gettransactionbyid", REVERT) => {
            Reply::fixture("tron/gettransactionbyid_revert.json")
        }
        ("/wallet/gettransactioninfobyid", REVERT) => {
            Reply::fixture("tron/gettransactioninfobyid_revert.json")
        }
        // Broadcast, not yet in a block: the transaction without its info.
        ("/wallet/gettransactionbyid", PENDING) => {
            let mut v: Value = serde_json::from_str(&fixture("tron/gettransactionbyid_trc20.json"))
                .expect("the fixture is JSON");
            v["txID"] = Value::from(PENDING);
            v.as_object_mut().expect("an object").remove("ret");
            Reply::json(&v.to_string())
        }
        ("/wallet/getblock", _) => Reply::fixture("tron/getblock.json"),
        ("/wallet/getaccount", _) => Reply::fixture("tron/getaccount.json"),
        ("/wallet/getaccountresource", _) => Reply::fixture("tron/getaccountresource.json"),
        ("/wallet/getchainparameters", _) => Reply::fixture("tron/getchainparameters.json"),
        ("/wallet/triggerconstantcontract", _) => {
            Reply::fixture("tron/triggerconstantcontract_balanceof.json")
        }
        (p, _) if p == format!("/v1/accounts/{ALICE}/transactions/trc20?limit=20") => {
            Reply::fixture("tron/trc20_history.json")
        }
        (p, _) if p.starts_with("/wallet/") => Reply::json("{}"),
        _ => Reply::status(404, "Not Found"),
    }
}

fn tron_config(url: &str) -> ChainConfig {
    let mut c = crate::config(ChainKind::Tron, url);
    c.name = "tron".into();
    c.tokens = vec![TokenConfig {
        symbol: "USDT".into(),
        contract: USDT.into(),
        decimals: 6,
    }];
    c
}

async fn client() -> (StandIn, Tron) {
    let s = StandIn::start(tron).await;
    let c = Tron::new(tron_config(&s.url)).expect("a client");
    (s, c)
}

#[tokio::test]
async fn tron_standin_trc20_transfer_with_energy_burnt() {
    let (_s, c) = client().await;
    let d = c.tx(TRC20).await.unwrap();
    assert_eq!(d.status, TxStatus::Confirmed);
    // Head 57 019 999, block 57 000 000.
    assert_eq!(d.confirmations, Some(20_000));
    assert_eq!(
        value(&d.findings, FindingCode::EnergyBurnt, "trx"),
        Some("13.49985 TRX")
    );
    assert_eq!(
        value(&d.findings, FindingCode::EnergyBurnt, "energy"),
        Some("64285")
    );
    assert_eq!(
        value(&d.findings, FindingCode::BandwidthBurnt, "trx"),
        Some("0.345 TRX")
    );
    assert_eq!(
        value(&d.findings, FindingCode::TokenTransfer, "amount"),
        Some("5 USDT")
    );
    assert_eq!(
        value(&d.findings, FindingCode::TokenTransfer, "from"),
        Some(ALICE)
    );
    assert_eq!(
        value(&d.findings, FindingCode::TokenTransfer, "contract"),
        Some(USDT)
    );
    assert_eq!(c.http_requests(), 3);
}

#[tokio::test]
async fn tron_standin_out_of_energy_and_revert() {
    let (_s, c) = client().await;
    let d = c.tx(OUT_OF_ENERGY).await.unwrap();
    assert_eq!(d.status, TxStatus::Failed);
    assert_eq!(
        value(&d.findings, FindingCode::OutOfEnergy, "fee_limit"),
        Some("5 TRX")
    );
    assert_eq!(
        value(&d.findings, FindingCode::OutOfEnergy, "burnt"),
        Some("5 TRX")
    );
    assert_eq!(d.article.as_deref(), Some("tron-energy-bandwidth"));
    assert!(
        !d.findings
            .iter()
            .any(|f| f.code == FindingCode::TokenTransfer)
    );

    let d = c.tx(REVERT).await.unwrap();
    assert_eq!(d.status, TxStatus::Failed);
    assert_eq!(
        value(&d.findings, FindingCode::Reverted, "reason"),
        Some("REVERT opcode executed")
    );
}

#[tokio::test]
async fn tron_standin_pending_and_not_found() {
    let (_s, c) = client().await;
    let d = c.tx(PENDING).await.unwrap();
    assert_eq!(d.status, TxStatus::Pending);
    // Decoded from the call data: the transfer it will make.
    assert_eq!(
        value(&d.findings, FindingCode::TokenTransfer, "amount"),
        Some("5 USDT")
    );
    assert_eq!(c.http_requests(), 2);

    let d = c.tx(&"0f".repeat(32)).await.unwrap();
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);
    assert!(matches!(
        c.tx("T-not-a-txid").await,
        Err(LookupError::BadInput { .. })
    ));
}

#[tokio::test]
async fn tron_standin_usdt_without_trx_for_energy() {
    let (s, c) = client().await;
    let d = c.address(ALICE).await.unwrap();
    assert!(d.found);
    assert_eq!(d.balance.as_deref(), Some("1.5 TRX"));
    assert_eq!(d.tokens, vec![("USDT".to_owned(), "120 USDT".to_owned())]);
    let f = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::NoEnergyForToken)
        .unwrap();
    assert_eq!(f.severity, Severity::Problem);
    // 65 000 energy at getchainparameters' 210 sun (13.65 TRX), and 345 bytes of bandwidth at
    // 1000 sun (0.345 TRX): only 300 of the free 600 bytes are left today.
    assert_eq!(f.values["trx_needed"], "13.995 TRX");
    assert_eq!(f.values["trx_balance"], "1.5 TRX");
    // The history: one USDT transfer in.
    assert_eq!(
        value(&d.findings, FindingCode::RecentTransaction, "signed"),
        Some("+120 USDT")
    );
    // getaccount, getaccountresource, getchainparameters, history, one balanceOf.
    assert_eq!(c.http_requests(), 5);
    let balance_of = s
        .requests()
        .into_iter()
        .find(|r| r.1 == "/wallet/triggerconstantcontract")
        .unwrap();
    let body: Value = serde_json::from_str(&balance_of.2).unwrap();
    assert_eq!(body["function_selector"], "balanceOf(address)");
    assert_eq!(
        body["parameter"],
        "000000000000000000000000fd49eda0f23ff7ec1d03b52c3a45991c24cd440e"
    );
    // An EVM address on TRON: told so, nothing asked.
    let before = c.http_requests();
    let d = c
        .address("0xfd49eda0f23ff7ec1d03b52c3a45991c24cd440e")
        .await
        .expect("an answer");
    assert_eq!(
        value(&d.findings, FindingCode::WrongNetwork, "network"),
        Some("EVM")
    );
    assert_eq!(c.http_requests(), before);
    // Hex addresses are read too; garbage is bad input.
    assert!(
        c.address("41fd49eda0f23ff7ec1d03b52c3a45991c24cd440e")
            .await
            .is_ok()
    );
    assert!(matches!(
        c.address("0xdeadbeef").await,
        Err(LookupError::BadInput { .. })
    ));
}

#[tokio::test]
async fn tron_standin_inactive_account_on_a_full_node_without_history() {
    let s = StandIn::start(|method, path, body| match path {
        "/wallet/getaccount" => Reply::json("{}"),
        "/wallet/getaccountresource" => Reply::json("{\"freeNetLimit\": 600}"),
        "/wallet/triggerconstantcontract" => Reply::json(
            "{\"result\":{\"result\":true},\"constant_result\":[\"0000000000000000000000000000000000000000000000000000000000000000\"]}",
        ),
        _ => tron(method, path, body),
    })
    .await;
    let c = Tron::new(tron_config(&s.url)).unwrap();
    let d = c.address(ALICE).await.unwrap();
    assert!(!d.found);
    let codes: Vec<_> = d.findings.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&FindingCode::AccountNotActivated),
        "{codes:?}"
    );
}

#[tokio::test]
async fn tron_standin_errors_and_garbage_are_bad_answers() {
    for reply in [
        // java-tron's own error form.
        Reply::json("{\"Error\": \"class org.tron.core.exception.BadItemException : ...\"}"),
        Reply::json("not json"),
        Reply::json("[]"),
        Reply::status(503, "Service Unavailable"),
        // A transaction, but not the one asked.
        Reply::fixture("tron/gettransactionbyid_revert.json"),
    ] {
        let s = StandIn::start(move |_, _, _| reply.clone()).await;
        let c = Tron::new(tron_config(&s.url)).unwrap();
        match c.tx(TRC20).await {
            Err(LookupError::BadAnswer(_)) => {}
            other => panic!("{other:?}"),
        }
    }
}
