use crate::evm::{AddressFacts, diagnose_address};
use crate::model::{AddressDiagnosis, FindingCode, TokenConfig, holdings};

use super::*;

const ME: &str = "0x1111111111111111111111111111111111111111";
const THIEF: &str = "0x2222222222222222222222222222222222222222";
const FRIEND: &str = "0x3333333333333333333333333333333333333333";
const USDT: &str = "0xdac17f958d2ee523a2206206994597c13d831ec7";
const ODD: &str = "0x4444444444444444444444444444444444444444";

fn usdt() -> TokenConfig {
    TokenConfig {
        symbol: "USDT".to_owned(),
        contract: USDT.to_owned(),
        decimals: 6,
    }
}

fn facts() -> AddressFacts {
    AddressFacts {
        chain: "ethereum".to_owned(),
        symbol: "ETH".to_owned(),
        address: ME.to_owned(),
        tokens: vec![(usdt(), Some("0".to_owned()))],
        nonce_latest: 2,
        nonce_pending: 2,
        ..AddressFacts::default()
    }
}

fn moved(
    hash: &str,
    block: u64,
    from: &str,
    to: &str,
    amount: &str,
    token: Option<&str>,
) -> Movement {
    Movement {
        hash: hash.to_owned(),
        block,
        time: Some(1_700_000_000 + block * 12),
        from: from.to_owned(),
        to: to.to_owned(),
        amount: amount.to_owned(),
        token: token.map(str::to_owned),
        internal: false,
    }
}

fn find(d: &AddressDiagnosis, code: FindingCode) -> Vec<&crate::model::Finding> {
    d.findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn an_emptied_address_says_when_and_to_where_its_last_transfer_out_went() {
    let mut f = facts();
    let mut h = vec![
        moved("0xaa", 100, FRIEND, ME, "2000000000000000000", None),
        moved("0xbb", 105, ME, THIEF, "1500000000000000000", None),
        moved("0xcc", 107, ME, THIEF, "250000000", Some(USDT)),
    ];
    sort_newest_first(&mut h);
    f.history = Some(h);
    f.pending_in = Some(Vec::new());
    let d = diagnose_address(&f);
    let out = find(&d, FindingCode::FundsMovedOut);
    assert_eq!(out.len(), 1);
    // The newest transfer out: the USDT, at block 107.
    assert_eq!(out[0].values["amount"], "250 USDT");
    assert_eq!(out[0].values["to"], THIEF);
    assert_eq!(out[0].values["txid"], "0xcc");
    assert_eq!(out[0].values["when"], "2023-11-14 22:34 UTC");
    assert_eq!(out[0].form, None);
    assert_eq!(
        d.article.as_deref(),
        Some("sent-to-wrong-address-or-network")
    );
    let recent: Vec<(&str, &str)> = find(&d, FindingCode::RecentTransaction)
        .iter()
        .map(|f| (f.values["txid"].as_str(), f.values["signed"].as_str()))
        .collect();
    assert_eq!(
        recent,
        [
            ("0xcc", "-250 USDT"),
            ("0xbb", "-1.5 ETH"),
            ("0xaa", "+2 ETH")
        ]
    );
    // The pool was read and holds nothing for it: neither pending nor "cannot be known".
    assert!(find(&d, FindingCode::PendingIncoming).is_empty());
    assert!(find(&d, FindingCode::PendingIncomingUnknown).is_empty());
    assert!(d.found);
    crate::model::assert_full_sentences(&d.findings);
}

#[test]
fn an_address_that_holds_something_lists_its_history_but_no_funds_moved_out() {
    let mut f = facts();
    f.balance = 10u128.pow(18);
    f.history = Some(vec![moved("0xbb", 105, ME, THIEF, "1", None)]);
    let d = diagnose_address(&f);
    assert!(find(&d, FindingCode::FundsMovedOut).is_empty());
    assert_eq!(find(&d, FindingCode::RecentTransaction).len(), 1);
    // Not waiting for anything: that the pool cannot be seen is not worth saying.
    assert!(find(&d, FindingCode::PendingIncomingUnknown).is_empty());
}

#[test]
fn transfers_waiting_in_the_pool_are_pending_incoming_with_their_amounts() {
    let mut f = facts();
    f.nonce_latest = 0;
    f.nonce_pending = 0;
    f.pending_in = Some(vec![
        PendingIn {
            hash: "0x01".to_owned(),
            from: FRIEND.to_owned(),
            amount: "500000000000000000".to_owned(),
            token: None,
        },
        PendingIn {
            hash: "0x02".to_owned(),
            from: FRIEND.to_owned(),
            amount: "7".to_owned(),
            token: Some(ODD.to_owned()),
        },
    ]);
    f.history = Some(Vec::new());
    let d = diagnose_address(&f);
    let p = find(&d, FindingCode::PendingIncoming);
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].values["amount"], "0.5 ETH");
    assert_eq!(p[0].values["txid"], "0x01");
    // A token not configured here: its base units and its contract.
    assert_eq!(p[1].values["amount"], format!("7 ({ODD})"));
    assert_eq!(d.article.as_deref(), Some("transaction-pending-stuck"));
    assert!(find(&d, FindingCode::FundsMovedOut).is_empty());
    crate::model::assert_full_sentences(&d.findings);
}

#[test]
fn a_node_without_its_pool_or_history_says_what_cannot_be_known() {
    let d = diagnose_address(&facts());
    assert_eq!(find(&d, FindingCode::PendingIncomingUnknown).len(), 1);
    let out = find(&d, FindingCode::FundsMovedOut);
    assert_eq!(out[0].form.as_deref(), Some("count"));
    assert_eq!(out[0].values["count"], "2");
    assert!(find(&d, FindingCode::RecentTransaction).is_empty());
    // The count says nothing about where: the "restored wallet" article, not the "sent" one.
    assert_eq!(d.article.as_deref(), Some("restored-wallet-shows-zero"));
    crate::model::assert_full_sentences(&d.findings);
}

#[test]
fn at_most_five_recent_transactions_and_a_time_or_a_block_number() {
    let mut f = facts();
    f.balance = 1;
    let mut h: Vec<Movement> = (0..9)
        .map(|i| moved(&format!("0x{i:02}"), 100 + i, FRIEND, ME, "1", None))
        .collect();
    h[8].time = None;
    sort_newest_first(&mut h);
    f.history = Some(h);
    let d = diagnose_address(&f);
    let recent = find(&d, FindingCode::RecentTransaction);
    assert_eq!(recent.len(), RECENT_LIMIT);
    assert_eq!(recent[0].values["when"], "#108");
    assert_eq!(recent[1].values["txid"], "0x07");
}

#[test]
fn the_same_transfer_seen_twice_is_listed_once() {
    let mut h = vec![
        moved("0xaa", 100, ME, THIEF, "1", Some(USDT)),
        moved("0xbb", 101, ME, THIEF, "1", None),
        moved("0xaa", 100, ME, THIEF, "1", Some(USDT)),
        moved("0xaa", 100, ME, THIEF, "5", None),
    ];
    sort_newest_first(&mut h);
    let hashes: Vec<&str> = h.iter().map(|m| m.hash.as_str()).collect();
    assert_eq!(hashes, ["0xbb", "0xaa", "0xaa"]);
}

#[test]
fn holdings_name_what_is_not_zero() {
    let d = |balance: &str, tokens: &[(&str, &str)]| AddressDiagnosis {
        chain: "bsc".to_owned(),
        found: true,
        balance: Some(balance.to_owned()),
        tokens: tokens
            .iter()
            .map(|(s, a)| ((*s).to_owned(), (*a).to_owned()))
            .collect(),
        findings: Vec::new(),
        article: None,
        explorer_url: None,
    };
    assert_eq!(holdings(&d("0 BNB", &[("USDT", "0")])), None);
    assert_eq!(holdings(&d("0 BNB", &[("USDT", "?")])), None);
    assert_eq!(
        holdings(&d("0.5 BNB", &[("USDT", "0")])).as_deref(),
        Some("0.5 BNB")
    );
    assert_eq!(
        holdings(&d("0 BNB", &[("USDT", "0.01"), ("BUSD", "3")])).as_deref(),
        Some("0.01 USDT, 3 BUSD")
    );
    // TRON's token amounts carry their symbol already.
    assert_eq!(
        holdings(&d("0 TRX", &[("USDT", "120 USDT")])).as_deref(),
        Some("120 USDT")
    );
}

const WALLET: &str = "0x5555555555555555555555555555555555555555";

fn trace(hash: &str, kind: TraceKind, from: &str, to: &str, value: &str, depth: usize) -> Trace {
    Trace {
        hash: hash.to_owned(),
        block: 200,
        kind,
        from: from.to_owned(),
        to: to.to_owned(),
        value: value.to_owned(),
        depth,
        failed: false,
    }
}

#[test]
fn traces_that_moved_coins_to_or_from_the_address_become_transfers() {
    let mut failed = trace("0x05", TraceKind::Call, WALLET, THIEF, "9", 1);
    failed.failed = true;
    let traces = [
        // The address's own transaction, and a payout its code made inside another one.
        trace("0x01", TraceKind::Call, WALLET, FRIEND, "100", 0),
        trace("0x02", TraceKind::Call, WALLET, THIEF, "16", 2),
        // No value, no transfer of its own, not this address, or failed: nothing moved.
        trace("0x03", TraceKind::Call, WALLET, THIEF, "0", 1),
        trace("0x04", TraceKind::Other, FRIEND, WALLET, "7", 1),
        failed,
        trace("0x06", TraceKind::Call, FRIEND, THIEF, "7", 0),
        // A contract it created with a value, and a self-destruct that paid it.
        trace("0x07", TraceKind::Create, WALLET, ODD, "3", 0),
        trace("0x08", TraceKind::SelfDestruct, ODD, WALLET, "2", 1),
    ];
    let moved = traced_movements(WALLET, &traces);
    let got: Vec<(&str, bool)> = moved
        .iter()
        .map(|m| (m.hash.as_str(), m.internal))
        .collect();
    assert_eq!(
        got,
        [
            ("0x01", false),
            ("0x02", true),
            ("0x07", false),
            ("0x08", true)
        ]
    );
    assert!(moved.iter().all(|m| m.time.is_none() && m.token.is_none()));
}

#[test]
fn a_contract_wallet_emptied_by_its_own_code_says_which_transaction_paid_out() {
    let mut f = facts();
    f.address = WALLET.to_owned();
    f.has_code = true;
    f.nonce_latest = 1;
    f.nonce_pending = 1;
    let mut h = traced_movements(
        WALLET,
        &[
            trace(
                "0xfeed",
                TraceKind::Call,
                FRIEND,
                WALLET,
                "2000000000000000000",
                0,
            ),
            trace(
                "0xbeef",
                TraceKind::Call,
                WALLET,
                THIEF,
                "2000000000000000000",
                1,
            ),
        ],
    );
    h[1].block = 230;
    h[1].time = Some(1_700_000_000);
    sort_newest_first(&mut h);
    f.history = Some(h);
    f.pending_in = Some(Vec::new());
    let d = diagnose_address(&f);
    let out = find(&d, FindingCode::FundsMovedOut);
    assert_eq!(out.len(), 1, "{:?}", d.findings);
    assert_eq!(out[0].form.as_deref(), Some("internal"));
    assert_eq!(out[0].values["txid"], "0xbeef");
    assert_eq!(out[0].values["to"], THIEF);
    assert_eq!(out[0].values["contract"], WALLET);
    assert_eq!(out[0].values["amount"], "2 ETH");
    assert_eq!(out[0].values["when"], "2023-11-14 22:13 UTC");
    let recent = find(&d, FindingCode::RecentTransaction);
    assert_eq!(recent[0].form.as_deref(), Some("internal"));
    assert_eq!(recent[0].values["signed"], "-2 ETH");
    // The deposit into the wallet was a transaction of its own, and has no time: its block.
    assert_eq!(recent[1].form, None);
    assert_eq!(recent[1].values["when"], "#200");
    assert_eq!(
        d.article.as_deref(),
        Some("sent-to-wrong-address-or-network")
    );
    crate::model::assert_full_sentences(&d.findings);
    let i18n = i18n::I18n::default();
    let en = out[0].sentence(&i18n, domain::Lang::En);
    assert!(
        en.contains("internal transfer") && en.contains("0xbeef"),
        "{en}"
    );
    let zh = out[0].sentence(&i18n, domain::Lang::ZhCn);
    assert!(zh.contains("内部转账") && zh.contains(THIEF), "{zh}");
}

#[test]
fn coins_a_contract_paid_to_the_address_are_an_internal_transfer_in() {
    let mut f = facts();
    f.balance = 10u128.pow(17);
    let mut h = traced_movements(
        ME,
        &[trace(
            "0xc0de",
            TraceKind::Call,
            WALLET,
            ME,
            "100000000000000000",
            1,
        )],
    );
    sort_newest_first(&mut h);
    f.history = Some(h);
    let d = diagnose_address(&f);
    let recent = find(&d, FindingCode::RecentTransaction);
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].form.as_deref(), Some("internal"));
    assert_eq!(recent[0].values["direction"], "in");
    assert_eq!(recent[0].values["signed"], "+0.1 ETH");
    assert_eq!(recent[0].values["contract"], WALLET);
    crate::model::assert_full_sentences(&d.findings);
}

#[test]
fn a_transfer_seen_in_a_scanned_block_and_in_the_traces_is_listed_once_with_its_time() {
    let scanned = moved("0xaa", 100, ME, THIEF, "5", None);
    let mut traced = scanned.clone();
    traced.time = None;
    for mut h in [
        vec![traced.clone(), scanned.clone()],
        vec![scanned.clone(), traced.clone()],
    ] {
        sort_newest_first(&mut h);
        assert_eq!(h, vec![scanned.clone()]);
    }
}

#[test]
fn the_blocks_whose_time_is_missing_are_those_the_findings_show() {
    let mut h: Vec<Movement> = (0..7)
        .map(|i| moved(&format!("0x{i:02}"), 100 + i, FRIEND, ME, "1", None))
        .collect();
    // The oldest is the last transfer out; the newest has no time, nor does one not shown.
    h.push(moved("0xee", 90, ME, THIEF, "1", None));
    for m in &mut h {
        if [106, 101, 90].contains(&m.block) {
            m.time = None;
        }
    }
    sort_newest_first(&mut h);
    // 106 is among the five shown, 101 is not, 90 is the transfer out.
    assert_eq!(blocks_without_time(ME, &h), [90, 106]);
    for m in &mut h {
        m.time.get_or_insert(1);
    }
    assert!(blocks_without_time(ME, &h).is_empty());
}
