//! One test per message shape in the corpus: the text the desk keeps, what was cut, the
//! charset, the attachments and the loop class.

use mail::inbound::{self, Class, Inbound, Problem};

fn load(name: &str) -> Inbound {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    inbound::parse(&raw).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_corpus_message_parses() {
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "eml") {
            let raw = std::fs::read(&p).unwrap();
            inbound::parse(&raw).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            n += 1;
        }
    }
    assert!(n >= 13, "corpus has {n} messages");
}

#[test]
fn qq_mail_gbk_base64_keeps_the_new_text_and_cuts_the_original() {
    let m = load("qq-gbk-base64.eml");
    assert_eq!(m.from.as_deref(), Some("wang@qq.com"));
    assert_eq!(m.subject, "回复：转账没到账");
    assert!(!m.from_html, "text/plain is preferred over HTML");
    assert!(
        m.new_text.starts_with("您好，我的USDT转账一直没有到账。"),
        "{}",
        m.new_text
    );
    assert!(
        m.new_text.contains("abandon ability"),
        "the phrase is the server's to redact"
    );
    assert!(!m.new_text.contains("请提供交易哈希"), "{}", m.new_text);
    assert!(m.quote_cut);
    assert_eq!(m.class, Class::Person);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.message_id.as_deref(), Some("tencent_1234ABCD@qq.com"));
}

#[test]
fn mail_163_gb18030_quoted_printable_with_a_2231_file_name() {
    let m = load("163-gb18030-qp.eml");
    assert_eq!(m.subject, "余额为零");
    assert!(
        m.new_text.contains("𠮷"),
        "a GB18030 four-byte character: {}",
        m.new_text
    );
    assert!(
        m.new_text
            .contains("0x52908400098527886E0F7030069857D2E4169EE7")
    );
    assert!(!m.new_text.contains("请提供地址") && m.quote_cut);
    assert_eq!(
        m.replied_ids,
        ["desk-5-1@desk.example", "desk-5-0@desk.example"],
        "In-Reply-To first, then References newest first"
    );
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].filename, "转账记录.pdf");
    assert_eq!(m.attachments[0].content_type, "application/pdf");
    assert!(m.attachments[0].bytes.starts_with(b"%PDF"));
}

#[test]
fn outlook_html_only_becomes_text_with_the_link_and_an_inline_image() {
    let m = load("outlook-html-only.eml");
    assert!(m.from_html);
    assert_eq!(
        m.new_text,
        "Hi,\nThe swap is still pending, see the explorer (https://etherscan.io/tx/0xabc).\n[screenshot]"
    );
    assert!(m.quote_cut);
    assert!(!m.text.contains("MsoNormal"), "styles are dropped");
    assert_eq!(m.subject_ticket(), Some(42));
    assert_eq!(m.attachments.len(), 1);
    assert!(m.attachments[0].inline);
    assert_eq!(m.attachments[0].content_type, "image/png");
    assert_eq!(m.attachments[0].filename, "image001.png");
}

#[test]
fn gmail_reply_cuts_the_wrapped_attribution_and_carries_the_tag() {
    let m = load("gmail-reply-quote.eml");
    assert_eq!(
        m.new_text,
        "Here is the hash: 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"
    );
    assert!(m.quote_cut);
    let tags: Vec<&str> = m.reply_tags("support+{tag}@desk.example").collect();
    assert_eq!(tags, ["t7.0123456789abcdef0123"]);
    assert_eq!(m.subject_ticket(), Some(7));
}

#[test]
fn apple_mail_chinese_signature_and_quote() {
    let m = load("apple-mail-zh.eml");
    assert_eq!(m.subject, "Re: [工单 #12] 钱包打不开");
    assert_eq!(m.new_text, "还是打不开，显示白屏。");
    assert!(m.signature_cut);
    assert_eq!(m.subject_ticket(), Some(12));
}

#[test]
fn foxmail_gb2312_label_decodes_as_gbk_and_cuts_the_header_block() {
    let m = load("foxmail-gbk.eml");
    assert_eq!(m.new_text, "已经重启过了，还是不行。");
    assert!(m.quote_cut);
    assert_eq!(m.subject_ticket(), Some(13));
}

#[test]
fn big5_traditional_chinese() {
    let m = load("big5.eml");
    assert_eq!(m.subject, "交易未確認");
    assert_eq!(m.new_text, "請問我的比特幣交易為什麼還沒確認？");
    assert!(m.problems.is_empty(), "{:?}", m.problems);
}

#[test]
fn dsn_bounce_names_the_failed_recipient_and_the_original() {
    let m = load("dsn-bounce.eml");
    let Class::Bounce(b) = &m.class else {
        panic!("{:?}", m.class)
    };
    assert_eq!(b.recipients, ["nobody@nowhere.example"]);
    assert_eq!(b.status.as_deref(), Some("5.1.1"));
    assert_eq!(b.reason, "delivery-status");
    assert_eq!(
        b.original_message_id.as_deref(),
        Some("desk-9-0@desk.example")
    );
    assert!(
        b.original_recipients
            .iter()
            .any(|r| r == "support+t9.00112233445566778899@desk.example"),
        "{:?}",
        b.original_recipients
    );
    assert!(!m.class.may_answer());
    assert!(m.attachments.is_empty(), "report parts are not files");
}

#[test]
fn out_of_office_is_an_auto_reply() {
    let m = load("out-of-office.eml");
    assert_eq!(m.class, Class::AutoReply("auto-submitted"));
    assert!(!m.class.may_answer());
}

#[test]
fn mailing_list_is_bulk() {
    let m = load("mailing-list.eml");
    assert_eq!(m.class, Class::Bulk("precedence"));
}

#[test]
fn malformed_messages_are_read_as_far_as_they_go() {
    let m = load("malformed-no-boundary.eml");
    assert!(
        m.problems.contains(&Problem::MissingBoundary),
        "{:?}",
        m.problems
    );
    assert!(m.text.contains("3.2.1"), "{}", m.text);

    let m = load("malformed-bad-charset.eml");
    assert_eq!(
        m.problems,
        [Problem::UnknownCharset("x-no-such-charset".into())]
    );
    assert_eq!(m.text, "Please help, transfer failed.");

    let m = load("malformed-truncated-base64.eml");
    assert!(m.text.contains("我的钱包无法打开"), "{:?}", m.text);
    assert!(
        m.problems.contains(&Problem::BrokenEncoding),
        "{:?}",
        m.problems
    );
    assert!(
        m.attachments.is_empty(),
        "the salvaged text is not also a file"
    );
    assert_eq!(m.class, Class::Person);
}

#[test]
fn each_class_has_a_stable_key() {
    let keys: Vec<&str> = [
        "qq-gbk-base64.eml",
        "out-of-office.eml",
        "mailing-list.eml",
        "dsn-bounce.eml",
    ]
    .iter()
    .map(|n| load(n).class.key())
    .collect();
    assert_eq!(keys, ["person", "auto_reply", "bulk", "bounce"]);
}
