use super::*;
use crate::model::ChainKind;

fn config() -> ChainConfig {
    ChainConfig {
        name: "bitcoin".into(),
        kind: ChainKind::Esplora,
        url: "http://127.0.0.1:1".into(),
        chain_id: None,
        explorer_tx: Some("https://mempool.space/tx/{tx}".into()),
        explorer_address: Some("https://mempool.space/address/{address}".into()),
        tokens: Vec::new(),
        timeout_ms: 1000,
        concurrency: 1,
        network: None,
    }
}

fn input(sequence: u32) -> Input {
    Input {
        prev_txid: "11".repeat(32),
        prev_vout: 0,
        sequence,
        address: None,
        value_sat: None,
    }
}

fn output(index: u32, value_sat: u64, spent: Option<bool>) -> Output {
    Output {
        index,
        address: Some(format!("addr{index}")),
        value_sat,
        spent,
    }
}

/// A 200 vB transaction paying `fee` sat.
fn tx(fee: u64, sequence: u32, block_height: Option<u64>) -> Tx {
    Tx {
        txid: "ab".repeat(32),
        vsize: 200,
        fee_sat: Some(fee),
        inputs: vec![input(0xffff_ffff), input(sequence)],
        outputs: vec![output(0, 100_000, Some(false)), output(1, 300, None)],
        block_height,
        confirmations: None,
    }
}

fn facts(lookup: TxLookup) -> TxFacts {
    TxFacts {
        txid: "ab".repeat(32),
        lookup,
        tip_height: Some(110),
        fees: FeeEstimates {
            fast: Some(20.0),
            medium: Some(10.0),
            slow: Some(2.0),
        },
        full_rbf: false,
    }
}

fn codes(d: &TxDiagnosis) -> Vec<FindingCode> {
    d.findings.iter().map(|f| f.code).collect()
}

fn finding(d: &TxDiagnosis, code: FindingCode) -> &Finding {
    d.findings.iter().find(|f| f.code == code).unwrap()
}

#[test]
fn a_confirmed_transaction_counts_its_confirmations_from_the_tip() {
    let d = diagnose_tx(
        &config(),
        Network::Mainnet,
        &facts(TxLookup::Found(tx(200, u32::MAX, Some(100)))),
    );
    assert_eq!(d.status, TxStatus::Confirmed);
    assert!(d.found);
    assert_eq!(d.confirmations, Some(11));
    assert_eq!(codes(&d), vec![FindingCode::Confirmed]);
    assert_eq!(
        finding(&d, FindingCode::Confirmed).values["confirmations"],
        "11"
    );
    assert_eq!(
        d.explorer_url.as_deref(),
        Some(format!("https://mempool.space/tx/{}", "ab".repeat(32)).as_str())
    );
}

#[test]
fn the_nodes_own_confirmation_count_wins() {
    let mut t = tx(200, u32::MAX, Some(100));
    t.confirmations = Some(3);
    let d = diagnose_tx(&config(), Network::Mainnet, &facts(TxLookup::Found(t)));
    assert_eq!(d.confirmations, Some(3));
}

#[test]
fn a_pending_transaction_below_the_slow_estimate_is_a_problem() {
    // 200 sat for 200 vB: 1 sat/vB, below the slow estimate of 2.
    let d = diagnose_tx(
        &config(),
        Network::Mainnet,
        &facts(TxLookup::Found(tx(200, u32::MAX, None))),
    );
    assert_eq!(d.status, TxStatus::Pending);
    assert_eq!(d.confirmations, Some(0));
    let low = finding(&d, FindingCode::FeeRateLow);
    assert_eq!(low.severity, Severity::Problem);
    assert_eq!(low.values["fee_rate"], "1");
    assert_eq!(low.values["fast"], "20");
    assert_eq!(low.values["slow"], "2");
    // No RBF signal and no full-RBF node: a warning, since replacing it is not possible.
    assert_eq!(
        finding(&d, FindingCode::RbfNotSignalled).severity,
        Severity::Warning
    );
    assert!(!codes(&d).contains(&FindingCode::FullRbf));
    assert_eq!(d.article.as_deref(), Some("speed-up-or-cancel-transaction"));
}

#[test]
fn fee_rates_are_graded_against_each_estimate() {
    let grade = |fee: u64| {
        let d = diagnose_tx(
            &config(),
            Network::Mainnet,
            &facts(TxLookup::Found(tx(fee, u32::MAX, None))),
        );
        d.findings
            .iter()
            .find(|f| matches!(f.code, FindingCode::FeeRateLow | FindingCode::FeeRateOk))
            .map(|f| (f.code, f.severity))
            .unwrap()
    };
    // 5 sat/vB: above slow, below medium.
    assert_eq!(grade(1000), (FindingCode::FeeRateLow, Severity::Warning));
    // 15 sat/vB: above medium, below fast: will confirm, not in the next block.
    assert_eq!(grade(3000), (FindingCode::FeeRateLow, Severity::Info));
    // 25 sat/vB: above fast.
    assert_eq!(grade(5000), (FindingCode::FeeRateOk, Severity::Info));
}

#[test]
fn rbf_is_signalled_by_any_input_below_0xfffffffe() {
    for (sequence, signalled) in [
        (0xffff_fffd, true),
        (0, true),
        (0xffff_fffe, false),
        (0xffff_ffff, false),
    ] {
        let t = tx(200, sequence, None);
        assert_eq!(t.signals_rbf(), signalled, "nSequence {sequence:#x}");
        let d = diagnose_tx(&config(), Network::Mainnet, &facts(TxLookup::Found(t)));
        let code = if signalled {
            FindingCode::RbfSignalled
        } else {
            FindingCode::RbfNotSignalled
        };
        assert!(codes(&d).contains(&code), "nSequence {sequence:#x}");
    }
}

#[test]
fn a_full_rbf_node_can_replace_an_unsignalled_transaction() {
    let mut f = facts(TxLookup::Found(tx(200, u32::MAX, None)));
    f.full_rbf = true;
    let d = diagnose_tx(&config(), Network::Mainnet, &f);
    assert_eq!(
        finding(&d, FindingCode::RbfNotSignalled).severity,
        Severity::Info
    );
    assert!(codes(&d).contains(&FindingCode::FullRbf));
}

#[test]
fn cpfp_candidates_are_unspent_outputs_that_can_pay_for_the_package() {
    // Parent 200 vB at 1 sat/vB (200 sat); package 310 vB at 20 sat/vB = 6200 sat; the child
    // pays 6000. Output 0 (100 000 sat) can; output 1 (300 sat) cannot.
    let t = tx(200, u32::MAX, None);
    let fees = facts(TxLookup::NotFound).fees;
    let candidates = cpfp_candidates(&t, fees);
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].0.index, 0);
    assert_eq!(candidates[0].1, 6000);
    let d = diagnose_tx(
        &config(),
        Network::Mainnet,
        &facts(TxLookup::Found(t.clone())),
    );
    let f = finding(&d, FindingCode::CpfpPossible);
    assert_eq!(f.values["output"], "0");
    assert_eq!(f.values["child_fee"], "0.00006 BTC");
    assert_eq!(f.values["amount"], "0.001 BTC");

    // A spent output is no candidate.
    let mut spent = t.clone();
    spent.outputs[0].spent = Some(true);
    assert!(cpfp_candidates(&spent, fees).is_empty());

    // Already above the fast rate: nothing to speed up.
    let d = diagnose_tx(
        &config(),
        Network::Mainnet,
        &facts(TxLookup::Found(tx(5000, u32::MAX, None))),
    );
    assert!(!codes(&d).contains(&FindingCode::CpfpPossible));
}

#[test]
fn without_estimates_the_fee_rate_is_not_graded_but_cpfp_still_found() {
    let mut f = facts(TxLookup::Found(tx(200, u32::MAX, None)));
    f.fees = FeeEstimates::default();
    let d = diagnose_tx(&config(), Network::Mainnet, &f);
    let ok = finding(&d, FindingCode::FeeRateOk);
    assert_eq!(ok.values["fee_rate"], "1");
    assert!(!ok.values.contains_key("fast"));
    // Fallback target 10 sat/vB: 3100 for the package, 2900 for the child.
    assert_eq!(
        finding(&d, FindingCode::CpfpPossible).values["child_fee"],
        "0.000029 BTC"
    );
}

#[test]
fn replaced_dropped_and_not_found() {
    let d = diagnose_tx(
        &config(),
        Network::Mainnet,
        &facts(TxLookup::Replaced {
            by: Some("cd".repeat(32)),
        }),
    );
    assert_eq!(d.status, TxStatus::Replaced);
    assert!(d.found);
    assert_eq!(
        finding(&d, FindingCode::Replaced).values["by"],
        "cd".repeat(32)
    );

    let d = diagnose_tx(&config(), Network::Mainnet, &facts(TxLookup::Dropped));
    assert_eq!(d.status, TxStatus::Dropped);

    let d = diagnose_tx(&config(), Network::Regtest, &facts(TxLookup::NotFound));
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);
    assert_eq!(d.explorer_url, None);
    assert_eq!(
        finding(&d, FindingCode::NotFound).values["network"],
        "Bitcoin regtest"
    );
}

fn address_facts() -> AddressFacts {
    AddressFacts {
        address: "bc1qexample".into(),
        confirmed_sat: 0,
        pending_in_sat: Some(0),
        pending_out_sat: Some(0),
        txs: Some(vec![
            AddressTx {
                txid: "02".repeat(32),
                height: Some(101),
                time: Some(1_700_000_000),
                received_sat: 0,
                sent_sat: 150_000_000,
                sent_to: vec!["bc1qthief".into(), "bc1qother".into()],
            },
            AddressTx {
                txid: "01".repeat(32),
                height: Some(100),
                time: Some(1_699_990_000),
                received_sat: 150_000_000,
                sent_sat: 0,
                sent_to: Vec::new(),
            },
        ]),
        tx_count: Some(2),
    }
}

#[test]
fn an_emptied_address_says_when_and_where_the_funds_went() {
    let d = diagnose_address(&config(), Network::Mainnet, &address_facts());
    assert!(d.found);
    assert_eq!(d.balance.as_deref(), Some("0 BTC"));
    let moved = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::FundsMovedOut)
        .unwrap();
    assert_eq!(moved.values["when"], "2023-11-14 22:13 UTC");
    assert_eq!(moved.values["to"], "bc1qthief, bc1qother");
    assert_eq!(moved.values["amount"], "1.5 BTC");
    assert_eq!(moved.values["txid"], "02".repeat(32));
    let recent: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::RecentTransaction)
        .map(|f| f.values["direction"].as_str())
        .collect();
    assert_eq!(recent, ["out", "in"]);
    let first = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::RecentTransaction)
        .unwrap();
    assert_eq!(first.values["signed"], "-1.5 BTC");
    assert!(
        d.findings
            .iter()
            .any(|f| f.code == FindingCode::ZeroBalance)
    );
}

#[test]
fn pending_incoming_and_unused_addresses() {
    let mut f = address_facts();
    f.txs = Some(vec![AddressTx {
        txid: "03".repeat(32),
        height: None,
        time: None,
        received_sat: 20_000,
        sent_sat: 0,
        sent_to: Vec::new(),
    }]);
    f.pending_in_sat = Some(20_000);
    f.tx_count = Some(1);
    let d = diagnose_address(&config(), Network::Mainnet, &f);
    let p = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::PendingIncoming)
        .unwrap();
    assert_eq!(p.values["amount"], "0.0002 BTC");
    assert_eq!(p.values["txid"], "03".repeat(32));
    assert!(
        !d.findings
            .iter()
            .any(|f| f.code == FindingCode::FundsMovedOut)
    );

    let unused = AddressFacts {
        address: "bc1qnew".into(),
        confirmed_sat: 0,
        pending_in_sat: Some(0),
        pending_out_sat: Some(0),
        txs: Some(Vec::new()),
        tx_count: Some(0),
    };
    let d = diagnose_address(&config(), Network::LitecoinRegtest, &unused);
    assert_eq!(d.balance.as_deref(), Some("0 LTC"));
    assert_eq!(d.findings[0].code, FindingCode::AddressUnused);
    assert_eq!(d.findings[0].values["network"], "Litecoin regtest");
}

#[test]
fn an_address_of_another_network_is_a_wrong_network_answer() {
    let d = wrong_network_address(&config(), Network::Regtest, Network::Mainnet);
    assert!(!d.found);
    assert_eq!(d.findings[0].code, FindingCode::WrongNetwork);
    assert_eq!(d.findings[0].values["network"], "Bitcoin mainnet");
}

#[test]
fn hostile_values_neither_panic_nor_overflow() {
    let mut t = tx(u64::MAX, 0, None);
    t.vsize = u64::MAX;
    t.outputs[0].value_sat = u64::MAX;
    let mut f = facts(TxLookup::Found(t));
    f.fees.fast = Some(f64::MAX);
    let d = diagnose_tx(&config(), Network::Mainnet, &f);
    assert_eq!(d.status, TxStatus::Pending);
    let mut t = tx(1, 0, Some(u64::MAX));
    t.vsize = 0;
    let mut f = facts(TxLookup::Found(t));
    f.tip_height = Some(0);
    assert_eq!(
        diagnose_tx(&config(), Network::Mainnet, &f).confirmations,
        Some(1)
    );
}

#[test]
fn every_bitcoin_finding_has_its_own_sentence_with_its_values() {
    let mut all = Vec::new();
    let c = config();
    let net = Network::Mainnet;
    for lookup in [
        TxLookup::Found(tx(2_000, 0xffff_fffd, Some(100))),
        TxLookup::Found(tx(200, 0xffff_fffd, None)),
        TxLookup::Found(tx(4_000, 0xffff_ffff, None)),
        TxLookup::Found(tx(100_000, 0xffff_ffff, None)),
        TxLookup::Replaced {
            by: Some("cd".repeat(32)),
        },
        TxLookup::Replaced { by: None },
        TxLookup::Dropped,
        TxLookup::NotFound,
    ] {
        all.extend(diagnose_tx(&c, net, &facts(lookup)).findings);
    }
    // Core gives no fee for a confirmed transaction.
    let mut no_fee = tx(0, 0xffff_ffff, Some(100));
    no_fee.fee_sat = None;
    all.extend(diagnose_tx(&c, net, &facts(TxLookup::Found(no_fee))).findings);
    let mut full_rbf = facts(TxLookup::Found(tx(200, 0xffff_ffff, None)));
    full_rbf.full_rbf = true;
    all.extend(diagnose_tx(&c, net, &full_rbf).findings);
    all.extend(diagnose_address(&c, net, &address_facts()).findings);
    let mut pending = address_facts();
    pending.pending_in_sat = Some(5_000);
    pending.txs = None;
    all.extend(diagnose_address(&c, net, &pending).findings);
    pending.tx_count = Some(0);
    all.extend(diagnose_address(&c, net, &pending).findings);
    all.extend(wrong_network_address(&c, Network::Regtest, Network::Mainnet).findings);
    let mut codes: Vec<FindingCode> = all.iter().map(|f| f.code).collect();
    codes.sort();
    codes.dedup();
    assert!(codes.len() >= 14, "{codes:?}");
    crate::model::assert_full_sentences(&all);
}
