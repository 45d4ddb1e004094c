//! Demo content for a fresh desk: a few tickets in both languages and canned replies, so a
//! newcomer sees a working inbox. Seeded once, into an empty database only. Every text goes
//! through the same redaction as real input.

use domain::{Lang, TicketDraft};

use crate::AppState;

const CANNED: &[(&str, &str, Lang)] = &[
    (
        "We never ask for your recovery phrase",
        "Hello {{requester_email}},\n\nThank you for contacting us about ticket #{{ticket_id}}. Please never send your recovery phrase (mnemonic) or private key to anyone, including us: nobody from support will ever ask for it.\n\n{{agent_name}}",
        Lang::En,
    ),
    (
        "我们绝不会索要助记词",
        "您好 {{requester_email}}，\n\n感谢您就工单 #{{ticket_id}} 联系我们。请不要把助记词或私钥发给任何人，包括我们：客服永远不会向您索要。\n\n{{agent_name}}",
        Lang::ZhCn,
    ),
    (
        "Pending transaction: please send the hash",
        "Hello,\n\nTo check \"{{subject}}\", please send the transaction hash (TxID) from your wallet's history and the network you used. A pending transaction usually needs a higher fee or more time.\n\n{{agent_name}}",
        Lang::En,
    ),
    (
        "转账未到账：请提供交易哈希",
        "您好，\n\n为了核查「{{subject}}」，请提供钱包记录里的交易哈希（TxID）以及所用的网络。交易卡住通常需要更高的矿工费或更多时间。\n\n{{agent_name}}",
        Lang::ZhCn,
    ),
];

/// The demo canned replies: (title, body, language). The content rules (`kb::lint`) run on
/// them in the tests.
#[must_use]
pub fn canned_replies() -> &'static [(&'static str, &'static str, Lang)] {
    CANNED
}

fn drafts() -> Vec<TicketDraft> {
    let d = |email: &str,
             category: &str,
             subject: &str,
             body: &str,
             chain: Option<&str>,
             tx: Option<&str>,
             address: Option<&str>| TicketDraft {
        email: email.into(),
        category: category.into(),
        subject: subject.into(),
        body: body.into(),
        chain: chain.map(Into::into),
        tx_hash: tx.map(Into::into),
        address: address.map(Into::into),
        app_version: Some("3.2.1".into()),
        device_os: Some("Android 15".into()),
    };
    vec![
        d(
            "li.wei@example.com",
            "transaction",
            "转账失败，手续费被扣了",
            "我从钱包转 USDT 到交易所，显示转账失败，但是矿工费已经扣了。请帮我看看。",
            Some("ethereum"),
            Some("0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"),
            None,
        ),
        d(
            "sam@example.org",
            "transaction",
            "Bitcoin transfer pending for two days",
            "My BTC transfer has been pending since Monday. Can I speed it up?",
            Some("bitcoin"),
            Some("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"),
            None,
        ),
        d(
            "chen@example.net",
            "balance",
            "余额显示为 0",
            "恢复钱包以后 TRON 上的 USDT 余额显示为 0，但区块浏览器上能看到。",
            Some("tron"),
            None,
            Some("TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"),
        ),
        d(
            "maria@example.com",
            "security",
            "Someone claiming to be support asked for my seed phrase",
            "A Telegram account called 'Official Support' asked me to verify my wallet by sending my words. Is that you?",
            None,
            None,
            None,
        ),
        d(
            "wang@example.cn",
            "restore",
            "助记词导入提示无效",
            "导入助记词的时候提示无效，我确定每个词都对。",
            None,
            None,
            None,
        ),
    ]
}

/// Seeds demo content into an empty desk.
///
/// # Errors
/// Storage failures.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    // Articles are seeded on their own: a desk that already has tickets still gets them.
    crate::help::seed_articles(state).await?;
    let page = state
        .store
        .tickets_for_view(&store::TicketQuery::view(store::View::All, state.now()))
        .await?;
    if page.total > 0 || !state.store.canned_replies().await?.is_empty() {
        return Ok(());
    }
    for (title, body, lang) in CANNED {
        state
            .store
            .save_canned_reply(
                None,
                domain::Redacted::clean(title),
                domain::Redacted::clean(body),
                *lang,
            )
            .await?;
    }
    for draft in drafts() {
        // The demo tickets bypass rate limits by going straight through create with a local IP
        // of their own.
        crate::tickets::create(state, &draft, &[])
            .await
            .map_err(|e| anyhow::anyhow!("demo ticket: {e}"))?;
    }
    seed_ratings(state).await
}

/// A few solved and rated tickets from the past weeks, so the satisfaction report
/// (`/admin/satisfaction`) has something to show in a fresh demo.
async fn seed_ratings(state: &AppState) -> anyhow::Result<()> {
    let rated: [(&str, &str, &str, u8, i64); 4] = [
        (
            "chen@example.cn",
            "到账了，谢谢",
            "交易所提币已经到账，谢谢客服。",
            5,
            2,
        ),
        (
            "sam@example.com",
            "Fee question answered",
            "Thanks, the fee makes sense now.",
            4,
            9,
        ),
        (
            "zhao@example.cn",
            "恢复钱包",
            "按文章一步一步恢复成功了。",
            5,
            16,
        ),
        (
            "alex@example.com",
            "Slow answer",
            "Solved, but it took two days to hear back.",
            2,
            23,
        ),
    ];
    let now = state.now();
    for (email, subject, body, score, days_ago) in rated {
        let draft = TicketDraft {
            email: email.into(),
            category: "other".into(),
            subject: subject.into(),
            body: body.into(),
            chain: None,
            tx_hash: None,
            address: None,
            app_version: None,
            device_os: None,
        };
        let created = crate::tickets::create(state, &draft, &[])
            .await
            .map_err(|e| anyhow::anyhow!("demo ticket: {e}"))?;
        let at = now.plus_days(-days_ago);
        state
            .store
            .update_ticket(
                created.ticket.id,
                store::TicketUpdate {
                    status: Some(domain::Status::Solved),
                    ..store::TicketUpdate::default()
                },
                at,
            )
            .await?;
        state
            .store
            .rate_ticket(created.ticket.id, score, None, at)
            .await?;
    }
    Ok(())
}
