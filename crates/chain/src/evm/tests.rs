use super::*;
use domain::Lang;
use i18n::I18n;

const GWEI: u128 = 1_000_000_000;
const ALICE: &str = "0x1111111111111111111111111111111111111111";
const BOB: &str = "0x2222222222222222222222222222222222222222";
const USDT: &str = "0xdac17f958d2ee523a2206206994597c13d831ec7";

fn tx(nonce: u64) -> Tx {
    Tx {
        hash: format!("0x{}", "ab".repeat(32)),
        from: ALICE.to_owned(),
        to: Some(BOB.to_owned()),
        nonce,
        value: 10u128.pow(18),
        gas_limit: 21_000,
        gas_price: None,
        max_fee_per_gas: Some(30 * GWEI),
        max_priority_fee_per_gas: Some(2 * GWEI),
        block_number: None,
        input_empty: true,
    }
}

fn facts(tx: Option<Tx>, receipt: Option<Receipt>) -> TxFacts {
    TxFacts {
        chain: "ethereum".to_owned(),
        symbol: "ETH".to_owned(),
        tokens: vec![TokenConfig {
            symbol: "USDT".to_owned(),
            contract: USDT.to_owned(),
            decimals: 6,
        }],
        tx,
        receipt,
        latest_block: 100,
        sender_nonce_latest: Some(5),
        sender_nonce_pending: Some(5),
        base_fee: Some(10 * GWEI),
        priority_fee: Some(GWEI),
        explorer_tx: Some("https://explorer.example/tx/{tx}".to_owned()),
        ..TxFacts::default()
    }
}

fn codes(d: &TxDiagnosis) -> Vec<FindingCode> {
    d.findings.iter().map(|f| f.code).collect()
}

fn word(n: u128) -> Vec<u8> {
    let mut w = vec![0u8; 16];
    w.extend_from_slice(&n.to_be_bytes());
    w
}

fn topic_addr(a: &str) -> String {
    format!("0x{}{}", "0".repeat(24), &a[2..])
}

fn error_string(reason: &str) -> Vec<u8> {
    let mut d = ERROR_SELECTOR.to_vec();
    d.extend(word(32));
    d.extend(word(reason.len() as u128));
    let mut r = reason.as_bytes().to_vec();
    r.resize(reason.len().div_ceil(32) * 32, 0);
    d.extend(r);
    d
}

#[test]
fn a_mined_successful_transaction_is_confirmed_with_its_confirmations() {
    let r = Receipt {
        success: true,
        gas_used: 21_000,
        block_number: 91,
        effective_gas_price: Some(12 * GWEI),
        logs: vec![],
    };
    let d = diagnose_tx(&facts(Some(tx(4)), Some(r)));
    assert_eq!(d.status, TxStatus::Confirmed);
    assert_eq!(d.confirmations, Some(10));
    assert!(d.found);
    assert_eq!(codes(&d), vec![FindingCode::Confirmed]);
    // 21000 × 12 gwei = 0.000252 ETH.
    assert_eq!(d.findings[0].values["fee"], "0.000252 ETH");
    assert_eq!(d.article, None);
    assert_eq!(
        d.explorer_url.as_deref(),
        Some(format!("https://explorer.example/tx/0x{}", "ab".repeat(32)).as_str())
    );
}

#[test]
fn a_pending_transaction_behind_an_earlier_nonce_has_a_nonce_gap() {
    let d = diagnose_tx(&facts(Some(tx(7)), None));
    assert_eq!(d.status, TxStatus::Pending);
    assert_eq!(d.confirmations, None);
    let gap = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::NonceGap)
        .expect("nonce gap");
    assert_eq!(gap.values["waiting_for"], "5");
    assert_eq!(gap.values["count"], "2");
    assert_eq!(d.article.as_deref(), Some("speed-up-or-cancel-transaction"));
}

#[test]
fn a_pending_transaction_next_in_line_has_no_nonce_gap() {
    let d = diagnose_tx(&facts(Some(tx(5)), None));
    assert_eq!(codes(&d), vec![FindingCode::Pending]);
    assert_eq!(d.article.as_deref(), Some("transaction-pending-stuck"));
}

#[test]
fn a_fee_below_the_base_fee_is_too_low() {
    let mut t = tx(5);
    t.max_fee_per_gas = Some(8 * GWEI);
    t.max_priority_fee_per_gas = Some(GWEI);
    let d = diagnose_tx(&facts(Some(t), None));
    let low = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::FeeTooLow)
        .expect("fee too low");
    assert_eq!(low.values["offered"], "8 gwei");
    assert_eq!(low.values["base_fee"], "10 gwei");
    assert_eq!(low.values["needed"], "11 gwei");
}

#[test]
fn a_legacy_gas_price_above_base_and_tip_is_fine() {
    let mut t = tx(5);
    t.max_fee_per_gas = None;
    t.max_priority_fee_per_gas = None;
    t.gas_price = Some(12 * GWEI);
    let d = diagnose_tx(&facts(Some(t), None));
    assert!(!codes(&d).contains(&FindingCode::FeeTooLow));
}

#[test]
fn a_failure_that_used_all_its_gas_is_out_of_gas() {
    let mut t = tx(4);
    t.gas_limit = 30_000;
    let r = Receipt {
        success: false,
        gas_used: 30_000,
        block_number: 100,
        effective_gas_price: Some(GWEI),
        logs: vec![],
    };
    let d = diagnose_tx(&facts(Some(t), Some(r)));
    assert_eq!(d.status, TxStatus::Failed);
    assert_eq!(codes(&d), vec![FindingCode::OutOfGas]);
    assert_eq!(d.findings[0].values["gas_limit"], "30000");
    assert_eq!(d.article.as_deref(), Some("transaction-failed-fee-charged"));
}

#[test]
fn a_revert_carries_its_decoded_reason() {
    let mut t = tx(4);
    t.gas_limit = 100_000;
    let r = Receipt {
        success: false,
        gas_used: 23_000,
        block_number: 100,
        effective_gas_price: Some(GWEI),
        logs: vec![],
    };
    let mut f = facts(Some(t), Some(r));
    f.revert_data = Some(error_string("transfer amount exceeds balance"));
    let d = diagnose_tx(&f);
    assert_eq!(codes(&d), vec![FindingCode::Reverted]);
    assert_eq!(
        d.findings[0].values["reason"],
        "transfer amount exceeds balance"
    );
}

#[test]
fn revert_data_decodes_error_strings_and_panics_and_refuses_garbage() {
    assert_eq!(
        decode_revert(&error_string("nope")).as_deref(),
        Some("nope")
    );
    let mut panic = PANIC_SELECTOR.to_vec();
    panic.extend(word(0x11));
    assert_eq!(
        decode_revert(&panic).as_deref(),
        Some("Panic(0x11): arithmetic overflow or underflow")
    );
    assert_eq!(decode_revert(&[]), None);
    assert_eq!(decode_revert(&ERROR_SELECTOR), None);
    // An offset past the end, or a length that does not fit: no reason, no panic.
    let mut bad = ERROR_SELECTOR.to_vec();
    bad.extend(word(1 << 60));
    assert_eq!(decode_revert(&bad), None);
    let mut long = ERROR_SELECTOR.to_vec();
    long.extend(word(32));
    long.extend(word(1000));
    assert_eq!(decode_revert(&long), None);
    // A custom error is not decoded.
    assert_eq!(decode_revert(&[1, 2, 3, 4, 0, 0]), None);
}

#[test]
fn a_revert_without_a_reason_reads_well_in_both_languages() {
    let r = Receipt {
        success: false,
        gas_used: 23_000,
        block_number: 100,
        effective_gas_price: Some(GWEI),
        logs: vec![],
    };
    let mut t = tx(4);
    t.gas_limit = 100_000;
    let d = diagnose_tx(&facts(Some(t), Some(r)));
    let i18n = I18n::default();
    for lang in [Lang::En, Lang::ZhCn] {
        let s = d.findings[0].sentence(&i18n, lang);
        assert!(!s.contains('{'), "{s}");
        assert!(s.contains("0.000023 ETH"), "{s}");
    }
}

fn transfer_log(contract: &str, to: &str, amount: u128) -> Log {
    Log {
        address: contract.to_owned(),
        topics: vec![TRANSFER_TOPIC.to_owned(), topic_addr(ALICE), topic_addr(to)],
        data: {
            let mut w = vec![0u8; 16];
            w.extend_from_slice(&amount.to_be_bytes());
            w
        },
    }
}

fn token_tx(logs: Vec<Log>) -> TxFacts {
    let mut t = tx(4);
    t.to = Some(USDT.to_owned());
    t.value = 0;
    t.input_empty = false;
    let r = Receipt {
        success: true,
        gas_used: 50_000,
        block_number: 100,
        effective_gas_price: Some(GWEI),
        logs,
    };
    facts(Some(t), Some(r))
}

#[test]
fn erc20_transfers_are_decoded_with_the_configured_decimals() {
    let d = diagnose_tx(&token_tx(vec![transfer_log(USDT, BOB, 12_345_678)]));
    let t = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::TokenTransfer)
        .expect("transfer");
    assert_eq!(t.values["amount"], "12.345678 USDT");
    assert_eq!(t.values["recipient"], BOB);
    assert!(!codes(&d).contains(&FindingCode::RecipientIsContract));
}

#[test]
fn an_unknown_token_shows_base_units_and_its_contract() {
    let other = "0x3333333333333333333333333333333333333333";
    let d = diagnose_tx(&token_tx(vec![transfer_log(other, BOB, 5)]));
    let t = &d.findings[1];
    assert_eq!(t.code, FindingCode::TokenTransfer);
    assert_eq!(t.values["amount"], format!("5 ({other})"));
}

#[test]
fn tokens_sent_to_the_token_contract_itself_are_a_problem() {
    let d = diagnose_tx(&token_tx(vec![transfer_log(USDT, USDT, 1_000_000)]));
    assert!(codes(&d).contains(&FindingCode::RecipientIsContract));
    assert_eq!(
        d.article.as_deref(),
        Some("sent-to-wrong-address-or-network")
    );
}

#[test]
fn tokens_sent_to_a_contract_of_another_network_are_flagged() {
    let bsc_usdt = "0x55d398326f99059ff775485246999027b3197955";
    let mut f = token_tx(vec![transfer_log(USDT, bsc_usdt, 1)]);
    f.foreign_contracts = vec![ForeignContract {
        chain: "bsc".to_owned(),
        symbol: "USDT".to_owned(),
        contract: bsc_usdt.to_uppercase().replace("0X", "0x"),
    }];
    let d = diagnose_tx(&f);
    let other = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::RecipientOtherNetwork)
        .expect("other network");
    assert_eq!(other.values["other_chain"], "bsc");
}

#[test]
fn erc721_transfers_and_other_events_are_not_token_transfers() {
    let mut nft = transfer_log(USDT, BOB, 1);
    nft.topics.push(topic_addr(BOB));
    let mut other = transfer_log(USDT, BOB, 1);
    other.topics[0] = format!("0x{}", "00".repeat(32));
    let d = diagnose_tx(&token_tx(vec![nft, other]));
    assert_eq!(codes(&d), vec![FindingCode::Confirmed]);
}

#[test]
fn native_coins_sent_to_a_contract_are_flagged() {
    let mut f = facts(Some(tx(4)), None);
    f.recipient_has_code = true;
    let d = diagnose_tx(&f);
    assert!(codes(&d).contains(&FindingCode::RecipientIsContract));
}

#[test]
fn a_hash_no_node_has_is_not_found_unless_seen_before() {
    let d = diagnose_tx(&facts(None, None));
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);
    assert_eq!(codes(&d), vec![FindingCode::NotFound]);
    assert_eq!(d.article.as_deref(), Some("find-transaction-hash"));
    assert_eq!(d.explorer_url, None);
}

#[test]
fn a_seen_hash_whose_nonce_was_used_by_another_is_replaced() {
    let mut f = facts(None, None);
    f.seen = Some(Seen {
        from: ALICE.to_owned(),
        nonce: 5,
    });
    f.sender_nonce_latest = Some(5);
    f.sender_nonce_pending = Some(6);
    let d = diagnose_tx(&f);
    assert_eq!(d.status, TxStatus::Replaced);
    assert_eq!(codes(&d), vec![FindingCode::Replaced]);
}

#[test]
fn a_seen_hash_whose_nonce_is_free_again_is_dropped() {
    let mut f = facts(None, None);
    f.seen = Some(Seen {
        from: ALICE.to_owned(),
        nonce: 5,
    });
    let d = diagnose_tx(&f);
    assert_eq!(d.status, TxStatus::Dropped);
    assert_eq!(d.article.as_deref(), Some("transaction-pending-stuck"));
}

#[test]
fn units_are_formatted_with_their_decimals() {
    assert_eq!(format_units("1500000000000000000", 18), "1.5");
    // Below the eighth decimal is noise for a person: rounded down.
    assert_eq!(format_units("1", 18), "0");
    assert_eq!(format_units("10000000000", 18), "0.00000001");
    assert_eq!(format_units("0", 6), "0");
    assert_eq!(format_units("1000000", 6), "1");
    assert_eq!(format_units("123", 0), "123");
    assert_eq!(format_gwei(1_500_000_000), "1.5 gwei");
    assert_eq!(format_gwei(7), "0.000000007 gwei");
}

#[test]
fn big_endian_words_of_any_size_become_decimal() {
    assert_eq!(be_to_decimal(&[0; 32]), "0");
    assert_eq!(be_to_decimal(&word(1_234_567_890)), "1234567890");
    // 2^256 − 1 does not fit in any Rust integer.
    assert_eq!(
        be_to_decimal(&[0xff; 32]),
        "115792089237316195423570985008687907853269984665640564039457584007913129639935"
    );
}

#[test]
fn hashes_and_addresses_are_recognised() {
    assert!(is_tx_hash(&format!("0x{}", "aB".repeat(32))));
    assert!(!is_tx_hash(&"ab".repeat(32)));
    assert!(!is_tx_hash(&format!("0x{}", "zz".repeat(32))));
    assert!(is_address(ALICE));
    assert!(!is_address(&ALICE[..41]));
}

fn address_facts() -> AddressFacts {
    AddressFacts {
        chain: "ethereum".to_owned(),
        symbol: "ETH".to_owned(),
        address: ALICE.to_owned(),
        base_fee: Some(10 * GWEI),
        priority_fee: Some(GWEI),
        tokens: vec![(
            TokenConfig {
                symbol: "USDT".to_owned(),
                contract: USDT.to_owned(),
                decimals: 6,
            },
            Some("0".to_owned()),
        )],
        ..AddressFacts::default()
    }
}

fn acodes(d: &AddressDiagnosis) -> Vec<FindingCode> {
    d.findings.iter().map(|f| f.code).collect()
}

#[test]
fn an_empty_fresh_address_has_a_zero_balance_and_nothing_else() {
    let d = diagnose_address(&address_facts());
    assert_eq!(d.balance.as_deref(), Some("0 ETH"));
    assert_eq!(d.tokens, vec![("USDT".to_owned(), "0".to_owned())]);
    assert_eq!(
        acodes(&d),
        vec![
            FindingCode::ZeroBalance,
            FindingCode::PendingIncomingUnknown
        ]
    );
    assert!(!d.found);
    assert_eq!(d.article.as_deref(), Some("restored-wallet-shows-zero"));
}

#[test]
fn an_emptied_address_says_funds_moved_out_and_where_else_it_holds_coins() {
    let mut f = address_facts();
    f.nonce_latest = 3;
    f.elsewhere = vec![("bsc".to_owned(), "2 BNB".to_owned())];
    let d = diagnose_address(&f);
    assert_eq!(
        acodes(&d),
        vec![
            FindingCode::ZeroBalance,
            FindingCode::PendingIncomingUnknown,
            FindingCode::FundsMovedOut,
            FindingCode::TokensOnOtherNetwork
        ]
    );
    // No history reached back to the transfer: only how many were sent.
    let moved = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::FundsMovedOut)
        .expect("moved");
    assert_eq!(moved.form.as_deref(), Some("count"));
    assert_eq!(moved.values["count"], "3");
    assert_eq!(d.article.as_deref(), Some("balance-missing-wrong-network"));
}

#[test]
fn tokens_without_gas_cannot_be_sent() {
    let mut f = address_facts();
    f.tokens[0].1 = Some("5000000".to_owned());
    f.balance = 1_000_000 * GWEI; // 0.001 ETH < 65000 × 21 gwei
    let d = diagnose_address(&f);
    assert_eq!(d.tokens[0].1, "5");
    assert!(acodes(&d).contains(&FindingCode::NoGasForToken));
    assert!(acodes(&d).contains(&FindingCode::TokenNotAdded));
    assert!(d.found);
    assert_eq!(d.article.as_deref(), Some("insufficient-balance-for-fee"));
    let ng = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::NoGasForToken)
        .expect("no gas");
    // 65000 × (2 × 10 + 1) gwei.
    assert_eq!(ng.values["fee"], "0.001365 ETH");
}

#[test]
fn tokens_with_enough_gas_can_be_sent() {
    let mut f = address_facts();
    f.tokens[0].1 = Some("5000000".to_owned());
    f.balance = 10u128.pow(17);
    let d = diagnose_address(&f);
    assert!(!acodes(&d).contains(&FindingCode::NoGasForToken));
}

#[test]
fn dust_below_one_transfer_fee_is_insufficient_fee() {
    let mut f = address_facts();
    f.balance = 1000;
    let d = diagnose_address(&f);
    assert_eq!(acodes(&d), vec![FindingCode::InsufficientFee]);
}

#[test]
fn a_contract_address_is_said_to_be_one() {
    let mut f = address_facts();
    f.has_code = true;
    f.explorer_address = Some("https://explorer.example/address/{address}".to_owned());
    let d = diagnose_address(&f);
    assert!(acodes(&d).contains(&FindingCode::ContractAddress));
    assert_eq!(
        d.explorer_url.as_deref(),
        Some(format!("https://explorer.example/address/{ALICE}").as_str())
    );
}

#[test]
fn every_finding_the_evm_rules_give_has_a_sentence_in_both_languages_with_its_values() {
    let i18n = I18n::default();
    let mut all: Vec<Finding> = Vec::new();
    let mut f = token_tx(vec![transfer_log(USDT, USDT, 1)]);
    f.recipient_has_code = true;
    all.extend(diagnose_tx(&f).findings);
    let mut t = tx(9);
    t.max_fee_per_gas = Some(GWEI);
    all.extend(diagnose_tx(&facts(Some(t), None)).findings);
    let mut g = facts(None, None);
    all.extend(diagnose_tx(&g).findings);
    g.seen = Some(Seen {
        from: ALICE.to_owned(),
        nonce: 1,
    });
    all.extend(diagnose_tx(&g).findings);
    g.sender_nonce_pending = Some(9);
    all.extend(diagnose_tx(&g).findings);
    let mut a = address_facts();
    a.nonce_latest = 1;
    a.elsewhere = vec![("bsc".to_owned(), "1 BNB".to_owned())];
    all.extend(diagnose_address(&a).findings);
    a.tokens[0].1 = Some("1".to_owned());
    a.has_code = false;
    all.extend(diagnose_address(&a).findings);
    a.has_code = true;
    all.extend(diagnose_address(&a).findings);
    let mut codes: Vec<FindingCode> = all.iter().map(|f| f.code).collect();
    codes.sort();
    codes.dedup();
    assert!(codes.len() >= 14, "{codes:?}");
    for finding in &all {
        for lang in [Lang::En, Lang::ZhCn] {
            let s = finding.sentence(&i18n, lang);
            assert!(!s.starts_with("chain.finding."), "no sentence for {s}");
            assert!(!s.contains('{'), "a value is missing in {s}");
            if !finding.values.is_empty() {
                assert!(
                    finding.values.values().any(|v| s.contains(v.as_str())),
                    "{s} shows none of {:?}",
                    finding.values
                );
            }
        }
    }
}

#[test]
fn one_confirmation_is_singular_in_english() {
    let i18n = I18n::default();
    let f = |n: &str| {
        Finding::new(FindingCode::Confirmed, Severity::Info)
            .with("block", "9")
            .with("confirmations", n)
            .with("fee", "0.1 ETH")
            .sentence(&i18n, Lang::En)
    };
    assert_eq!(
        f("1"),
        "Confirmed in block 9, one confirmation so far. Fee paid: 0.1 ETH."
    );
    assert_eq!(
        f("12"),
        "Confirmed in block 9, 12 confirmations so far. Fee paid: 0.1 ETH."
    );
}
