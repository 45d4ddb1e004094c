use super::*;
use crate::model::ChainKind;

const USDT: &str = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
const USDT_HEX: &str = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";
const ALICE: &str = "TZ4UXDV5ZhNW7fb2AMSbgfAEZ7hWsnYS2g";
const ALICE_HEX: &str = "41fd49eda0f23ff7ec1d03b52c3a45991c24cd440e";

fn config() -> ChainConfig {
    ChainConfig {
        name: "tron".into(),
        kind: ChainKind::Tron,
        url: "http://127.0.0.1:1".into(),
        chain_id: None,
        explorer_tx: Some("https://tronscan.org/#/transaction/{tx}".into()),
        explorer_address: None,
        tokens: vec![TokenConfig {
            symbol: "USDT".into(),
            contract: USDT.into(),
            decimals: 6,
        }],
        timeout_ms: 1000,
        concurrency: 1,
        network: None,
    }
}

fn bob() -> String {
    base58("41000000000000000000000000000000000000b0b0").unwrap()
}

#[test]
fn addresses_convert_between_hex_and_base58() {
    assert_eq!(base58(USDT_HEX).as_deref(), Some(USDT));
    assert_eq!(base58(&USDT_HEX[2..]).as_deref(), Some(USDT));
    assert_eq!(base58(ALICE_HEX).as_deref(), Some(ALICE));
    assert_eq!(base58(ALICE).as_deref(), Some(ALICE));
    // A changed character breaks the checksum; an Ethereum-style prefix byte is refused.
    assert_eq!(base58("TZ4UXDV5ZhNW7fb2AMSbgfAEZ7hWsnYS2h"), None);
    assert_eq!(base58("42fd49eda0f23ff7ec1d03b52c3a45991c24cd440e"), None);
    assert_eq!(base58("hello"), None);
}

#[test]
fn transfer_call_data_is_decoded() {
    let data = format!(
        "a9059cbb000000000000000000000000{}{:064x}",
        &ALICE_HEX[2..],
        1_500_000u64
    );
    assert_eq!(
        decode_transfer_call(&data),
        Some((ALICE.to_owned(), 1_500_000))
    );
    assert_eq!(decode_transfer_call("095ea7b3"), None);
    assert_eq!(decode_transfer_call("a9059cbb00"), None);
}

fn tx() -> TronTx {
    TronTx {
        txid: "ab".repeat(32),
        contract_type: "TriggerSmartContract".into(),
        owner: Some(ALICE.into()),
        to: None,
        amount_sun: None,
        contract: Some(USDT.into()),
        call: Some(Trc20Transfer {
            token: USDT.into(),
            from: ALICE.into(),
            to: bob(),
            amount: 5_000_000,
        }),
        fee_limit_sun: Some(15_000_000),
        result: Some("SUCCESS".into()),
    }
}

fn receipt(result: &str) -> TronReceipt {
    TronReceipt {
        block_number: 1000,
        block_time_ms: Some(1_700_000_000_000),
        fee_sun: 6_699_000,
        energy_usage: 0,
        energy_fee: 6_699_000,
        origin_energy_usage: 0,
        energy_usage_total: 31_900,
        net_usage: 345,
        net_fee: 0,
        result: Some(result.into()),
        message: None,
        transfers: vec![Trc20Transfer {
            token: USDT.into(),
            from: ALICE.into(),
            to: bob(),
            amount: 5_000_000,
        }],
    }
}

fn facts(receipt: Option<TronReceipt>) -> TronTxFacts {
    TronTxFacts {
        txid: "ab".repeat(32),
        tx: Some(tx()),
        receipt,
        head_block: Some(1019),
    }
}

fn has(d: &TxDiagnosis, code: FindingCode) -> &Finding {
    d.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code:?} in {:?}", d.findings))
}

#[test]
fn a_successful_trc20_transfer_burns_energy_and_names_the_transfer() {
    let d = diagnose_tx(&config(), &facts(Some(receipt("SUCCESS"))));
    assert_eq!(d.status, TxStatus::Confirmed);
    assert_eq!(d.confirmations, Some(20));
    let burnt = has(&d, FindingCode::EnergyBurnt);
    assert_eq!(burnt.values["energy"], "31900");
    assert_eq!(burnt.values["trx"], "6.699 TRX");
    assert_eq!(
        has(&d, FindingCode::ResourcesUsed).values["bandwidth"],
        "345"
    );
    let t = has(&d, FindingCode::TokenTransfer);
    assert_eq!(t.values["amount"], "5 USDT");
    assert_eq!(t.values["to"], bob());
    assert!(
        !d.findings
            .iter()
            .any(|f| f.code == FindingCode::RecipientIsContract)
    );
    assert_eq!(d.article.as_deref(), Some("tron-energy-bandwidth"));
}

#[test]
fn out_of_energy_revert_and_other_failures() {
    let d = diagnose_tx(&config(), &facts(Some(receipt("OUT_OF_ENERGY"))));
    assert_eq!(d.status, TxStatus::Failed);
    let f = has(&d, FindingCode::OutOfEnergy);
    assert_eq!(f.values["fee_limit"], "15 TRX");
    assert_eq!(f.values["burnt"], "6.699 TRX");
    assert_eq!(
        has(&d, FindingCode::EnergyBurnt).severity,
        Severity::Warning
    );
    // A failed call transferred nothing.
    assert!(
        !d.findings
            .iter()
            .any(|f| f.code == FindingCode::TokenTransfer)
    );

    let mut r = receipt("REVERT");
    r.message = Some("SafeMath: subtraction overflow".into());
    let d = diagnose_tx(&config(), &facts(Some(r)));
    assert_eq!(
        has(&d, FindingCode::Reverted).values["reason"],
        "SafeMath: subtraction overflow"
    );

    let d = diagnose_tx(&config(), &facts(Some(receipt("OUT_OF_TIME"))));
    assert_eq!(
        has(&d, FindingCode::TxFailed).values["result"],
        "OUT_OF_TIME"
    );
}

#[test]
fn pending_not_found_and_tokens_sent_to_the_token_contract() {
    let d = diagnose_tx(&config(), &facts(None));
    assert_eq!(d.status, TxStatus::Pending);
    assert_eq!(
        has(&d, FindingCode::TokenTransfer).values["amount"],
        "5 USDT"
    );

    let mut f = facts(None);
    f.tx = None;
    let d = diagnose_tx(&config(), &f);
    assert_eq!(d.status, TxStatus::NotFound);
    assert!(!d.found);

    let mut r = receipt("SUCCESS");
    r.transfers[0].to = USDT.into();
    let d = diagnose_tx(&config(), &facts(Some(r)));
    assert_eq!(
        has(&d, FindingCode::RecipientIsContract).severity,
        Severity::Problem
    );
}

fn address_facts() -> TronAddressFacts {
    TronAddressFacts {
        address: ALICE.into(),
        exists: true,
        balance_sun: 0,
        resources: TronResources {
            free_net_limit: 600,
            ..TronResources::default()
        },
        tokens: vec![(USDT.into(), 120_000_000)],
        energy_price_sun: 210,
        bandwidth_price_sun: 1000,
        transfers: Some(Vec::new()),
    }
}

#[test]
fn usdt_without_trx_cannot_be_sent() {
    let d = diagnose_address(&config(), &address_facts());
    assert_eq!(d.balance.as_deref(), Some("0 TRX"));
    assert_eq!(d.tokens, vec![("USDT".to_owned(), "120 USDT".to_owned())]);
    let f = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::NoEnergyForToken)
        .unwrap();
    // 65 000 energy at 210 sun; bandwidth from the free allowance.
    assert_eq!(f.values["trx_needed"], "13.65 TRX");
    assert_eq!(f.values["token"], "USDT");
    assert_eq!(d.article.as_deref(), Some("tron-energy-bandwidth"));

    // Enough TRX, or enough staked energy: it can.
    let mut rich = address_facts();
    rich.balance_sun = 20_000_000;
    let d = diagnose_address(&config(), &rich);
    assert!(
        !d.findings
            .iter()
            .any(|f| f.code == FindingCode::NoEnergyForToken)
    );
    let mut staked = address_facts();
    staked.resources.energy_limit = 70_000;
    let d = diagnose_address(&config(), &staked);
    assert!(
        !d.findings
            .iter()
            .any(|f| f.code == FindingCode::NoEnergyForToken)
    );
}

#[test]
fn an_emptied_account_says_where_its_usdt_went() {
    let mut f = address_facts();
    f.balance_sun = 1_000_000;
    f.tokens = vec![(USDT.into(), 0)];
    f.transfers = Some(vec![TronTransferEvent {
        txid: "cd".repeat(32),
        token: USDT.into(),
        symbol: "USDT".into(),
        decimals: 6,
        from: ALICE.into(),
        to: bob(),
        amount: 120_000_000,
        time_ms: Some(1_700_000_000_000),
    }]);
    let d = diagnose_address(&config(), &f);
    let moved = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::FundsMovedOut)
        .unwrap();
    assert_eq!(moved.values["to"], bob());
    assert_eq!(moved.values["amount"], "120 USDT");
    assert_eq!(moved.values["when"], "2023-11-14 22:13 UTC");
    let recent = d
        .findings
        .iter()
        .find(|f| f.code == FindingCode::RecentTransaction)
        .unwrap();
    assert_eq!(recent.values["direction"], "out");
}

#[test]
fn an_account_never_activated() {
    let mut f = address_facts();
    f.exists = false;
    f.tokens = vec![(USDT.into(), 0)];
    let d = diagnose_address(&config(), &f);
    assert!(!d.found);
    let codes: Vec<_> = d.findings.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        vec![FindingCode::AccountNotActivated, FindingCode::AddressUnused]
    );
}

#[test]
fn hostile_values_neither_panic_nor_overflow() {
    // Multi-byte characters where hex is expected: 64 bytes, not 64 hex digits.
    let word = "é".repeat(32);
    assert_eq!(address_from_word(&word), None);
    assert_eq!(amount_from_word(&word), None);
    assert_eq!(
        decode_transfer_call(&format!("a9059cbb{}", "é".repeat(64))),
        None
    );
    // Absurd prices: saturated, still a "can't send".
    let mut f = address_facts();
    f.energy_price_sun = u64::MAX;
    f.bandwidth_price_sun = u64::MAX;
    let d = diagnose_address(&config(), &f);
    assert!(
        d.findings
            .iter()
            .any(|f| f.code == FindingCode::NoEnergyForToken)
    );
    let mut r = receipt("SUCCESS");
    r.block_number = u64::MAX;
    let mut facts = facts(Some(r));
    facts.head_block = Some(0);
    assert_eq!(diagnose_tx(&config(), &facts).confirmations, Some(1));
}

#[test]
fn user_addresses_are_tron_evm_or_nothing() {
    assert_eq!(classify_address(ALICE), AddressInput::Tron(ALICE.into()));
    assert_eq!(
        classify_address(ALICE_HEX),
        AddressInput::Tron(ALICE.into())
    );
    assert_eq!(
        classify_address("0xfd49eda0f23ff7ec1d03b52c3a45991c24cd440e"),
        AddressInput::Evm
    );
    // The 20 bytes alone are not taken for a TRON address.
    assert_eq!(
        classify_address("fd49eda0f23ff7ec1d03b52c3a45991c24cd440e"),
        AddressInput::Invalid
    );
    assert_eq!(
        classify_address("0xZZ49eda0f23ff7ec1d03b52c3a45991c24cd440e"),
        AddressInput::Invalid
    );
    assert_eq!(
        classify_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
        AddressInput::Invalid
    );
    let d = wrong_network_address(&config(), "EVM");
    assert!(!d.found);
    assert_eq!(d.findings[0].code, FindingCode::WrongNetwork);
}

#[test]
fn every_tron_finding_has_its_own_sentence_with_its_values() {
    let c = config();
    let mut all = Vec::new();
    for result in ["SUCCESS", "OUT_OF_ENERGY", "OUT_OF_TIME"] {
        let mut r = receipt(result);
        r.net_fee = 345_000;
        r.energy_usage = 100;
        all.extend(diagnose_tx(&c, &facts(Some(r))).findings);
    }
    let mut r = receipt("REVERT");
    r.message = Some("SafeMath: subtraction overflow".into());
    all.extend(diagnose_tx(&c, &facts(Some(r))).findings);
    let mut r = receipt("SUCCESS");
    r.transfers[0].to = USDT.into();
    all.extend(diagnose_tx(&c, &facts(Some(r))).findings);
    all.extend(diagnose_tx(&c, &facts(None)).findings);
    let mut gone = facts(None);
    gone.tx = None;
    all.extend(diagnose_tx(&c, &gone).findings);
    all.extend(diagnose_address(&c, &address_facts()).findings);
    let mut poor = address_facts();
    poor.tokens = vec![(USDT.into(), 0)];
    poor.balance_sun = 100;
    all.extend(diagnose_address(&c, &poor).findings);
    let mut emptied = address_facts();
    emptied.tokens = vec![(USDT.into(), 0)];
    emptied.transfers = Some(vec![TronTransferEvent {
        txid: "cd".repeat(32),
        token: USDT.into(),
        symbol: "USDT".into(),
        decimals: 6,
        from: ALICE.into(),
        to: bob(),
        amount: 120_000_000,
        time_ms: Some(1_700_000_000_000),
    }]);
    all.extend(diagnose_address(&c, &emptied).findings);
    let mut never = address_facts();
    never.exists = false;
    never.tokens = vec![(USDT.into(), 0)];
    all.extend(diagnose_address(&c, &never).findings);
    all.extend(wrong_network_address(&c, "Ethereum").findings);
    let mut codes: Vec<FindingCode> = all.iter().map(|f| f.code).collect();
    codes.sort();
    codes.dedup();
    assert!(codes.len() >= 15, "{codes:?}");
    crate::model::assert_full_sentences(&all);
}

#[test]
fn a_revert_without_a_message_has_the_sentence_without_a_reason() {
    let d = diagnose_tx(&config(), &facts(Some(receipt("REVERT"))));
    let f = has(&d, FindingCode::Reverted);
    assert!(!f.values.contains_key("reason"));
    let i18n = i18n::I18n::default();
    assert_eq!(
        f.sentence_key(&i18n, domain::Lang::En),
        "chain.finding.reverted.short"
    );
    assert!(f.sentence(&i18n, domain::Lang::En).contains("6.699 TRX"));
}
