use domain::Lang;
use search::{Doc, SearchIndex};

fn doc(id: &str, lang: Lang, title: &str, summary: &str, body: &str, keywords: &[&str]) -> Doc {
    Doc {
        id: format!("{id}:{}", lang.as_str()),
        slug: id.to_owned(),
        lang,
        title: title.to_owned(),
        summary: summary.to_owned(),
        body: body.to_owned(),
        category: "help".to_owned(),
        topics: vec![id.replace('-', "_")],
        keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
    }
}

/// Ten articles. Each says some things in only one way, on purpose: the English restore article
/// says "recovery phrase" and never "seed phrase"; the Chinese fee article says 手续费 and never
/// 矿工费; the pending article never says "stuck".
pub(crate) fn docs() -> Vec<Doc> {
    use Lang::{En, ZhCn};
    vec![
        doc(
            "restore-wallet",
            En,
            "Restore a wallet from its recovery phrase",
            "Use your 12 or 24 words to get your wallet back on a new phone.",
            "If you lost your phone, you can restore your wallet with the recovery phrase you \
             wrote down.\nOpen the app, choose Import, and type the words in order.\nNever share \
             the recovery phrase with anyone, including support.",
            &["import wallet", "new phone"],
        ),
        doc(
            "restore-wallet",
            ZhCn,
            "用助记词恢复钱包",
            "换了手机？用12或24个单词找回钱包。",
            "如果手机丢失，可以用抄写下来的助记词恢复钱包。\n打开应用，选择导入钱包，按顺序输入单词。\n\
             任何人（包括客服）都不会向你索要助记词。",
            &["导入钱包", "换手机"],
        ),
        doc(
            "phrase-rejected",
            ZhCn,
            "导入时提示助记词错误或无效",
            "检查单词的拼写、顺序和数量。",
            "导入钱包时，如果应用提示助记词无法识别或无效，请逐个检查单词的拼写和顺序。\n\
             单词之间用一个空格分隔，不要输入多余的标点。",
            &["导入失败"],
        ),
        doc(
            "transfer-failed",
            ZhCn,
            "转账失败的常见原因",
            "能量、带宽或余额不足。",
            "在波场网络上，转账失败通常是因为能量或带宽不足，或者TRX余额不够。\n\
             请先确认账户里有足够的TRX，再重新发起转账。",
            &["转账", "波场"],
        ),
        doc(
            "network-fee",
            ZhCn,
            "为什么每笔交易都要付手续费",
            "手续费付给网络，而不是钱包。",
            "每笔链上交易都需要向网络支付手续费。\n以太坊上的手续费会随着网络拥堵而变化，\
             钱包本身不收取任何费用。",
            &["费用"],
        ),
        doc(
            "pending-transaction",
            En,
            "My transfer is pending",
            "Why a transaction waits for confirmation.",
            "A transaction stays pending until the network confirms it.\nIf it has been pending \
             for hours, look up the transaction hash in a block explorer.",
            &["confirmation", "unconfirmed"],
        ),
        doc(
            "check-mnemonic",
            En,
            "Check a mnemonic offline",
            "Find a misspelled word without sending anything anywhere.",
            "The offline checker tells you whether your mnemonic has a valid checksum and which \
             word may be misspelled.\nIt runs in your browser and sends nothing.",
            &["checksum"],
        ),
        doc(
            "scam-scripts",
            En,
            "Never paste scripts into your browser",
            "Scammers ask for it; support never does.",
            "Support will never ask you to paste <script>alert(\"hi\")</script> into the browser \
             console.\nScammers do, to empty your wallet.",
            &["scam", "phishing"],
        ),
        doc(
            "app-crash",
            ZhCn,
            "应用闪退怎么办",
            "更新应用并重启手机。",
            "如果应用启动后闪退，请更新到最新版本并重启手机。\n问题依旧时，请联系客服并说明手机型号。",
            &["崩溃"],
        ),
        doc(
            "network-fee",
            En,
            "Why every transaction pays a network fee",
            "The fee goes to the network, not to the wallet.",
            "Every on-chain transaction pays a fee to the network.\nOn Ethereum the fee changes \
             with congestion; the wallet itself charges nothing.",
            &["cost"],
        ),
    ]
}

pub(crate) fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("in-memory index");
    index.rebuild(&docs()).expect("rebuild");
    index
}

/// The ids of the hits, best first.
pub(crate) fn ids(index: &SearchIndex, query: &str, lang: Option<Lang>) -> Vec<String> {
    index
        .search(query, lang, 10)
        .expect("search")
        .into_iter()
        .map(|h| h.id)
        .collect()
}
