//! Concrete inputs the detector once missed (found by the property tests on random seeds and by
//! `walletdesk-eval redaction`), and prose next to the thresholds that were moved for them.

use wallet::{Finding, Language, redact};

/// The finding that covers `phrase` (its first occurrence in `text`), if one does.
fn covering(text: &str, phrase: &str) -> Option<Finding> {
    let start = text.find(phrase).expect("the phrase is in the text");
    let end = start + phrase.len();
    let r = redact(text).expect("small input");
    r.findings
        .into_iter()
        .find(|f| f.start <= start && f.end >= end)
}

fn assert_removed(text: &str, phrase: &str) -> Finding {
    let f = covering(text, phrase);
    let r = redact(text).expect("small input");
    assert!(
        f.is_some(),
        "{phrase:?} not covered by {:?} in {text:?}",
        r.findings
    );
    f.unwrap_or_else(|| unreachable!())
}

// Chinese written together, one misspelled character (裟 is in no list): the only window's
// characters happen to form three word pairs (素知, 知小, 小事), and such a window was accepted
// only with a valid checksum, which the typo removes. Rare characters (a mean rank above 9.0)
// now stand in for the checksum.
#[test]
fn chinese_phrase_with_three_chance_word_pairs_and_a_typo() {
    let phrase = "胎據租嘛素知小事遲裟買景";
    let text = format!(
        ". My recovery phrase is: {phrase}. The manual configuration by the system administrator \
         is respected."
    );
    let f = assert_removed(&text, phrase);
    assert_eq!(f.language, Some(Language::ChineseTraditional));
    assert_eq!(f.words, Some(12));
}

// Windows with three word pairs at the end of an 18-character phrase (美食, 食安, 安振) cut it
// short before the typo (颴), leaving 讲涌职 in the text.
#[test]
fn chinese_phrase_is_not_cut_short_at_a_window_with_three_word_pairs() {
    let phrase = "拜锐体铸麦妇鸡只还舍美食安振颴讲涌职";
    let text = format!("。我的助记词是：{phrase}。输出用来设置 LS_COLORS 环境变量的命令。");
    let f = assert_removed(&text, phrase);
    assert_eq!(f.words, Some(18));
    let phrase = "百谓抢深文卫代医听竟函零恨唯稳干足净俄雈杀";
    let text =
        format!("。我的助记词是：{phrase}。如果一个本地分支推送到一个已经变基或者压缩过的仓库");
    assert_removed(&text, phrase);
}

// phrase-0092 of the evaluation corpus: two misspelled characters at the start of a
// comma-separated phrase, and a sentence on the next line. The run of list characters starts
// at 谈 (10 characters) and goes on into the sentence, so every 12-character window mixed the
// two layouts and none was judged.
#[test]
fn separated_phrase_with_misspelled_first_characters_before_a_sentence() {
    let phrase = "碹，牂，谈，须，芽，调，情，抓，炮，存，障，辟";
    let text = format!("助记词：{phrase}\n请帮我看看哪里错了");
    assert_removed(&text, phrase);
    let r = redact(&text).expect("small input");
    for c in ["谈", "芽", "炮", "辟"] {
        assert!(!r.text.contains(c), "{c} survived in {:?}", r.text);
    }
    assert!(r.text.ends_with("帮我看看哪里错了"), "{}", r.text);
}

// A valid phrase whose only window holds four word pairs (移节, 节胜, 胜臣, 七服) was missed
// whatever its checksum said; with the checksum and rare characters it is a phrase.
#[test]
fn valid_chinese_phrase_with_four_chance_word_pairs() {
    let phrase = "移节胜臣冷七服竟丹丙坝秋";
    let text = format!(
        "交易哈希 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b，助记词：{phrase}。"
    );
    let f = assert_removed(&text, phrase);
    assert_eq!(f.checksum_valid, Some(true));
    assert_eq!(f.words, Some(12));
}

// Separated characters repeat two (徹, 郵) with a typo (儛): two repeats were allowed only with
// a valid checksum.
#[test]
fn separated_traditional_phrase_with_two_repeats_and_a_typo() {
    let phrase = "徹 郵 播 諧 事 碳 派 郵 僚 徹 呆 儛";
    let text =
        format!(". My recovery phrase is: {phrase}. The EOL format conversion programs are handy.");
    assert_removed(&text, phrase);
}

// Three of the eleven list words are common English words (much, often, often): a quarter of
// common words marked the run as a sentence. Behind a label it now takes a third.
#[test]
fn labelled_english_phrase_with_three_common_words_and_a_typo() {
    let phrase = "MANGE PATIENT MUCH WAIT OFTEN HUSBAND PLANET STAND OFTEN MAGNET CRUCIAL COACH";
    let text = format!("。我的助记词是：{phrase}。关于文件层次的最佳详细实践");
    assert_removed(&text, phrase);
    let phrase = "ONION CLOCK WILL TRYGIC NOW IMITATE SCREEN VENUE PREDICT ODOR THERE ENFORCE";
    let text = format!(". My recovery phrase is: {phrase}. The Internet Message Access Protocol");
    assert_removed(&text, phrase);
}

// A misspelling that makes a common word ("arm" → "are", "hen" → "her") split the run there, or
// was refused at the edge, when the phrase is written as a list.
#[test]
fn a_typo_that_makes_a_common_word_in_a_list() {
    let phrase = "junk\nimpose\nimitate\nsentence\nlink\nhobby\nmanage\njacket\ndisease\ndrama\nare\nlottery";
    let text =
        format!(". My recovery phrase is: {phrase}. After establishing network connectivity");
    assert_removed(&text, phrase);
    let phrase = "her, abstract, manage, kite, mean, annual, silk, ride, eager, flag, old, captain, \
                  blush, embrace, chaos, awkward, opinion, boring, resist, fancy, security";
    let text = format!(". My recovery phrase is: {phrase}. The apt package comes with");
    assert_removed(&text, phrase);
}

// A checksum valid by chance over a shifted window dropped a phrase word at the other end:
// phrase-0094 kept 下 (set apart by "：\n「") and dropped 栏; phrase-0097 had two valid
// 15-word windows and took the one that starts at 入.
#[test]
fn a_chance_checksum_on_a_shifted_window_does_not_drop_phrase_words() {
    let phrase = "专 典 季 养 层 济 馆 氯 锡 在 世 栏";
    let text =
        format!("客服你好，升级以后余额不见了，我的助记词如下：\n「{phrase}」\n麻烦尽快处理");
    assert_removed(&text, phrase);
    let phrase = "1. 统 2. 的 3. 鸿 4. 办 5. 冬 6. 养 7. 戴 8. 植 9. 赋 10. 微 11. 飞 12. 又 13. 豪 14. 概 15. 答";
    let text = format!("恢复钱包时输入 {phrase} 之后显示余额为零，怎么办？");
    assert_removed(&text, phrase);
}

// The pin still drops the sentence words after a phrase when the checksum leaves a choice
// between windows: "pitch please help" — both "blur … pitch" and "betray … please" are valid;
// the one that leaves the common word "please" out wins.
#[test]
fn of_two_valid_windows_the_one_that_drops_common_words_wins() {
    let phrase = "blur betray diesel indoor devote market hedgehog oven cousin taste dragon pitch";
    let text = format!("Hi, I can't restore my wallet, my words are {phrase} please help");
    let f = assert_removed(&text, phrase);
    assert_eq!(&text[f.start..f.end], phrase);
    assert_eq!(f.words, Some(12));
}

// Prose windows nearest to the moved thresholds stay prose: from Debian's Chinese docs, the
// highest mean ranks with 3 and with 4 word pairs, and a sentence made from the latter whose
// window "令会拒绝将压缩结果写往终" has 3 pairs at a mean rank of 8.53 (which an allowance at 8.5
// took for a phrase).
#[test]
fn prose_next_to_the_moved_thresholds_is_left_alone() {
    for text in [
        "这里仅叙述了基本的源码包格式。",
        "这个选项将收集附加项信息及修正幻数文件项。",
        "请试下右击桌面屏幕并希望能有弹出菜单。",
        "命令会拒绝将压缩结果写往终端。",
    ] {
        let r = redact(text).expect("small input");
        assert!(r.findings.is_empty(), "{text:?}: {:?}", r.findings);
    }
}

// Known gaps, still drawn now and then by `PROPTEST_RNG_SEED=random` (not tested here, since the
// detector misses them):
// - A misspelling that makes a common English word in running text ("way" → "was",
//   "arm" → "are"): the run ends at the common word, and the words after it stay.
// - An English phrase with a typo whose list words include 4 or more common ones ("very",
//   "this", "under", "you"), or 3 without a label: taken for a sentence.
// - Chinese written together with a typo where a window holds 3 chance word pairs and its
//   characters are not rare enough ("埋军比宁亏然天气丹伊脖渔", mean rank 8.9), or 4 pairs with no
//   checksum: the phrase is missed or cut short at that window.
// - A Chinese phrase whose first characters form 4 word pairs at an ordinary rank
//   ("柬父月参防值当松下结…"): 柬 is left out.

// Seen on the product: a Korean phrase typed on a phone (precomposed syllables) in a sentence.
// The sentence's own words ("복구", "문구는" = the list word 문구 + a particle, "입니다") were
// taken in with the phrase, and decomposed input (NFKD, as BIP39 normalises) was not segmented
// at all for words longer than two syllables.
#[test]
fn korean_phrase_in_a_sentence_composed_and_decomposed() {
    use unicode_normalization::UnicodeNormalization;
    let phrase = "시중 달걀 백색 사랑 물고기 대형 오페라 별도 월드컵 파출소 해설 생활";
    for text in [
        format!("제 복구 문구는 {phrase} 입니다. 도와주세요"),
        format!("제 복구 문구는 {phrase} 입니다. 도와주세요")
            .nfkd()
            .collect(),
    ] {
        let r = wallet::redact_with(&text, &crate::redact_layouts::ENGLISH_MARKERS).unwrap();
        let want: String = "제 복구 문구는 [recovery phrase removed: 12 words] 입니다. 도와주세요"
            .nfkd()
            .collect::<String>();
        assert_eq!(r.text.nfkd().collect::<String>(), want, "{text:?}");
    }
}

// Seen on the product: "my recovery phrase: w1 … w12" became "[… 13 words]": "phrase" and
// "please", "help" are English list words, and the run of 15 list words was removed whole.
#[test]
fn list_words_of_the_label_and_the_sentence_around_a_phrase_survive() {
    let phrase = "letter couch adjust tackle badge civil timber pretty spell elder rally zebra";
    for (before, after) in [
        ("my recovery phrase: ", " please help"),
        ("seed words below\n", "\nthat is all"),
        ("my seed phrase is ", ". Please help me"),
    ] {
        let text = format!("{before}{phrase}{after}");
        let r = wallet::redact(&text).unwrap();
        assert_eq!(
            r.text,
            format!("{before}[recovery phrase removed: 12 words]{after}")
        );
    }
}

// Seen on the product: `0x` + 64 hex digits after words that ask for a key to be used was kept as
// if it were a transaction hash. The nearest label decides; the form field still outweighs a
// request word.
#[test]
fn prefixed_hex_after_words_that_ask_for_a_key_is_removed_and_a_txid_survives() {
    use wallet::{FieldHint, RedactOptions, redact_with};
    const K: &str = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d";
    const T: &str = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
    let in_field = |text: &str, field: FieldHint| {
        redact_with(
            text,
            &RedactOptions {
                field,
                marker_language: Some(wallet::MarkerLanguage::English),
            },
        )
        .unwrap()
        .text
    };
    for before in [
        "please import this for me ",
        "my key is ",
        "Key ",
        "私钥 ",
        "导入 ",
        "钱包私钥：",
        "I sent 1 ETH yesterday, now please import this key for me: ",
        "交易失败了，帮我导入这个 ",
    ] {
        let text = format!("{before}0x{K} thanks");
        assert_eq!(
            in_field(&text, FieldHint::FreeText),
            format!("{before}[private key removed] thanks"),
            "{text:?}"
        );
    }
    for before in [
        "my txid is ",
        "tx ",
        "hash: ",
        "交易哈希 ",
        "交易 ",
        "I imported my wallet and the tx hash is ",
        "导入钱包后，交易哈希是 ",
    ] {
        let text = format!("{before}0x{T} thanks");
        assert_eq!(in_field(&text, FieldHint::FreeText), text, "{text:?}");
    }
    // In a field that asks for a transaction hash, a request word does not make it a key; an
    // explicit key label still does.
    let text = format!("import 0x{T}");
    assert_eq!(in_field(&text, FieldHint::TxHash), text);
    let text = format!("private key 0x{K}");
    assert_eq!(
        in_field(&text, FieldHint::TxHash),
        "private key [private key removed]"
    );
}

// Seen on the product: "I lost the last two words… my first 10 words are w1 … w10" was kept
// verbatim; 10 known words of 12 leave about 2^18 candidates. Runs of 8 or more list words are
// removed (module docs of `redact::phrase`), and the prose around them stays.
#[test]
fn a_partial_phrase_of_eight_or_more_words_is_removed_and_shorter_prose_stays() {
    let words: Vec<&str> =
        "blur betray diesel indoor devote market hedgehog oven cousin taste dragon pitch"
            .split(' ')
            .collect();
    for k in 8..=11 {
        let part = words[..k].join(" ");
        for (before, after) in [
            (
                "I lost the last two words... my first 10 words are ",
                ". Can you help?",
            ),
            ("我丢了最后两个词，前面的是 ", "。怎么办？"),
            ("", ""),
        ] {
            let text = format!("{before}{part}{after}");
            let r = wallet::redact_with(&text, &crate::redact_layouts::ENGLISH_MARKERS).unwrap();
            assert_eq!(
                r.text,
                format!("{before}[recovery phrase removed: {k} words]{after}"),
                "{text:?}"
            );
        }
    }
    // Seven words are left, as ordinary prose of list words is.
    let text = format!("my words are {}. Can you help?", words[..7].join(" "));
    assert_eq!(wallet::redact(&text).unwrap().text, text);
    // Prose lists of list words stay: a repeated word, a common word.
    for text in [
        "Account name, social security number, phone number, address, birthday",
        "The install script will copy the basic config file into your home folder",
    ] {
        assert!(
            wallet::redact(text).unwrap().findings.is_empty(),
            "{text:?}"
        );
    }
}

// Seen on the product: a phrase written with `-`, `.`, `_` or `/` between its words was kept:
// a joiner made every gap a hard one (an identifier or a path). Many list words in a row, all
// joined the same way, are a phrase; identifiers and paths stay.
#[test]
fn a_phrase_written_with_joiners_is_removed_and_identifiers_and_paths_stay() {
    let phrase = "blur betray diesel indoor devote market hedgehog oven cousin taste dragon pitch";
    for joiner in ["-", ".", "_", "/"] {
        let joined = phrase.replace(' ', joiner);
        let text = format!("my seed is {joined} thanks");
        let r = wallet::redact(&text).unwrap();
        assert_eq!(
            r.text, "my seed is [recovery phrase removed: 12 words] thanks",
            "{text:?}"
        );
        let eight = phrase.split(' ').take(8).collect::<Vec<_>>().join(joiner);
        let text = format!("first words: {eight}");
        assert_eq!(
            wallet::redact(&text).unwrap().text,
            "first words: [recovery phrase removed: 8 words]",
            "{text:?}"
        );
    }
    for text in [
        "see /usr/share/doc/apt/examples/sources.list and resource_name.file.read()",
        "run dpkg-reconfigure --priority=low debian-archive-keyring on the host",
        "open https://example.com/wallet/help/restore/guide/step/one/two/three.html",
        "the lemon-tree-garden-house-party-music-dance-floor event",
    ] {
        assert_eq!(wallet::redact(text).unwrap().text, text, "{text:?}");
    }
}

// Seen on the product: a phrase broken up by a short aside, or written as two halves under two
// labels, was kept. Each piece is removed with its own count; the aside and the labels stay.
#[test]
fn a_phrase_broken_up_by_asides_or_labels_is_removed_and_the_asides_stay() {
    let w: Vec<&str> =
        "blur betray diesel indoor devote market hedgehog oven cousin taste dragon pitch"
            .split(' ')
            .collect();
    let (first, second) = (w[..6].join(" "), w[6..].join(" "));
    let m6 = "[recovery phrase removed: 6 words]";
    for (text, want) in [
        (
            format!("words: {first} (I think) {second} thanks"),
            format!("words: {m6} (I think) {m6} thanks"),
        ),
        (
            format!("{first}, not sure about this one, {second}"),
            format!("{m6}, not sure about this one, {m6}"),
        ),
        (
            format!("first half: {first}\nsecond half: {second}"),
            format!("first half: {m6}\nsecond half: {m6}"),
        ),
        (
            format!("first half: {first}\n\nsecond half: {second}\nthanks"),
            format!("first half: {m6}\n\nsecond half: {m6}\nthanks"),
        ),
    ] {
        let r = wallet::redact_with(&text, &crate::redact_layouts::ENGLISH_MARKERS).unwrap();
        assert_eq!(r.text, want, "{text:?}");
    }
    // Two short runs of list words around a remark in prose are not a phrase: too few words.
    let text = "Please check the market price (I think) before you trade again";
    assert_eq!(wallet::redact(text).unwrap().text, text);
}

// Seen on the product: a WIF copied across two lines (or with a stray space) was stored as
// typed. One space or line break inside a WIF, an xprv or a labelled 64-hex key is seen; a
// checksum decides for WIF and xprv.
#[test]
fn a_key_with_one_space_or_line_break_inside_is_removed() {
    const WIFS: [&str; 2] = [
        "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ",
        "KwuVvu6hsuEMHrfFWJQV64tRrWX3QzqHH18JuAHYqYV6dqBvNKxd",
    ];
    const XPRV: &str = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
    const K: &str = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d";
    for key in WIFS.into_iter().chain([XPRV]) {
        for at in [8, 20, key.len() / 2, key.len() - 8] {
            for sep in [" ", "\n", "\r\n", "\t"] {
                let split = format!("{}{sep}{}", &key[..at], &key[at..]);
                let text = format!("my key is {split} thanks");
                let r = wallet::redact(&text).unwrap();
                assert_eq!(r.findings.len(), 1, "{text:?}");
                assert!(
                    !r.text.contains(&key[..8]) && !r.text.contains(&key[key.len() - 8..]),
                    "{text:?} -> {:?}",
                    r.text
                );
                assert!(r.text.starts_with("my key is [") && r.text.ends_with("] thanks"));
            }
        }
    }
    let text = format!("private key: {}\n{}", &K[..30], &K[30..]);
    assert_eq!(
        wallet::redact(&text).unwrap().text,
        "private key: [private key removed]"
    );
    // Two pieces whose checksum fails stay (a mistyped key split in two is not seen), and so do
    // two long words of ordinary text.
    let broken = format!("{} {}", &WIFS[0][..25], &WIFS[1][25..]);
    for text in [
        format!("is this {broken} right?"),
        "see internationalization documentation for configuration".to_owned(),
    ] {
        assert!(
            wallet::redact(&text).unwrap().findings.is_empty(),
            "{text:?}"
        );
    }
}

// The label dropped in front of a phrase does not stop a misspelled first word from being taken
// in with it.
#[test]
fn a_misspelled_first_word_after_a_dropped_label_is_removed() {
    let text = "my recovery phrase: blurr betray diesel indoor devote market hedgehog oven cousin \
                taste dragon pitch thanks";
    let r = wallet::redact(text).unwrap();
    assert_eq!(
        r.text,
        "my recovery phrase: [recovery phrase removed: 12 words] thanks"
    );
}

// Known gaps of the leak fixes above (not tested here, since the detector misses them):
// - "助记词 败 市 … 勾 谢谢": when the window 词 … 牙 is checksum-valid by chance as well (1 in
//   16), the union of both valid windows is removed and 词 goes with the phrase (the marker
//   says 13). The tie-break cannot tell it from "输入 1. 统 … 15. 答", where the union is right.
// - Part-phrases (8–11 words) holding a common English word ("that", "you"…; ≈ 25% of 8-word
//   draws) without a label, or two of them behind a label, stay: they cannot be told from
//   sentences. Chinese written together needs 10 of 12 characters, as before.
// - A phrase broken up by an aside is removed piece by piece only when every piece has 4 or
//   more words that are not common words and the pieces hold 12 distinct words.
// - A key split more than once, or a mistyped WIF/xprv split in two (no valid checksum), stays.

// A phrase may begin with a list word that is also a label word ("word", "seed", "phrase"):
// it is dropped as a label only where the label goes on after it.
#[test]
fn a_phrase_beginning_with_a_label_word_keeps_it() {
    let text = "first half: blur betray diesel indoor devote market\nsecond half: word oven cousin \
                taste dragon pitch\nthanks";
    assert_eq!(
        wallet::redact(text).unwrap().text,
        "first half: [recovery phrase removed: 6 words]\nsecond half: [recovery phrase removed: 6 \
         words]\nthanks"
    );
    let text = "my words: seed blur betray diesel indoor devote market hedgehog oven cousin taste";
    assert_eq!(
        wallet::redact(text).unwrap().text,
        "my words: [recovery phrase removed: 11 words]"
    );
}
