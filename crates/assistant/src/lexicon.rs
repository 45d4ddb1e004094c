//! The cue lexicon: words and phrases that, from support experience, point at a topic, in
//! English, Spanish and Chinese. Written from domain knowledge, not from any evaluation set.
//!
//! Matching is on [`crate::text::normalize`]d text. A Latin cue matches at the start of a word
//! and may be followed by more letters (`hack` matches `hacked`), unless it ends in `$`, which
//! asks for the end of a word (`pin$` must not match `ping`). A Han cue matches anywhere.

use crate::Topic;

/// (cue, weight). 1.0 is a usual cue; 2.0 a cue that alone settles the topic for a person.
type Cues = &'static [(&'static str, f32)];

const RESTORE: Cues = &[
    // Chinese, from wallet support vocabulary (2026-12-08): restoring, the phrase's words and
    // their order, derivation paths, moving to a new phone.
    ("恢复钱包", 1.0),
    ("导入钱包", 0.8),
    ("种子", 1.0),
    ("12个", 0.8),
    ("24个", 0.8),
    ("个单词", 1.0),
    ("顺序", 0.6),
    ("拼写", 1.0),
    ("派生", 1.5),
    ("路径", 0.6),
    ("重装", 0.8),
    ("卸载", 0.6),
    ("无效", 0.5),
    ("seed", 1.5),
    ("mnemonic", 2.0),
    ("recovery phrase", 2.0),
    ("secret phrase", 1.5),
    ("secret recovery", 1.5),
    ("backup phrase", 1.5),
    ("restor", 1.5),
    ("recover", 1.0),
    ("import", 1.0),
    ("12 words", 1.5),
    ("24 words", 1.5),
    ("12-word", 1.5),
    ("24-word", 1.5),
    ("checksum", 1.5),
    ("invalid phrase", 2.0),
    ("derivation", 1.5),
    ("different address", 1.0),
    ("wrong address", 0.8),
    ("new phone", 0.5),
    ("passphrase", 1.0),
    ("frase semilla", 2.0),
    ("restaurar", 1.5),
    ("recuperar", 1.0),
    ("importar", 1.0),
    ("助记词", 2.0),
    ("恢复", 1.5),
    ("导入", 1.2),
    ("备份", 0.8),
    ("校验", 1.0),
    ("keystore", 1.5),
    ("找回", 1.0),
    ("地址不一样", 1.5),
    ("地址不同", 1.5),
    ("单词", 0.8),
];

const BALANCE: Cues = &[
    // Chinese (2026-12-08): balances that look wrong, tokens that are missing, stale data.
    ("余额不对", 1.5),
    ("余额错误", 1.5),
    ("显示0", 1.5),
    ("不更新", 1.2),
    ("没更新", 1.2),
    ("刷新", 0.8),
    ("不见了", 1.0),
    ("消失", 0.8),
    ("自定义代币", 1.5),
    ("价格", 0.6),
    ("估值", 1.0),
    ("市值", 0.6),
    ("金额不对", 1.5),
    ("数量不对", 1.5),
    ("balance", 1.2),
    ("shows 0", 1.5),
    ("show 0", 1.5),
    ("shows zero", 1.5),
    ("showing 0", 1.5),
    ("zero balance", 2.0),
    ("0 balance", 2.0),
    ("balance is 0", 2.0),
    ("not showing", 1.0),
    ("not show", 1.0),
    ("doesn't show", 1.0),
    ("does not show", 1.0),
    ("display", 1.0),
    ("visible", 0.8),
    ("not appear", 1.0),
    ("custom token", 1.5),
    ("add token", 1.2),
    ("sync", 1.0),
    ("explorer", 0.5),
    ("missing token", 1.5),
    ("wrong network", 1.0),
    ("reflect", 0.8),
    ("saldo", 1.2),
    ("no aparece", 1.0),
    ("no se muestra", 1.0),
    ("余额", 1.2),
    ("显示", 1.0),
    ("不显示", 1.5),
    ("看不到", 1.0),
    ("资产", 0.6),
    ("同步", 1.0),
    ("为0", 1.5),
    ("为零", 1.5),
    ("区块高度", 1.0),
    ("显示错误", 1.0),
    ("错乱", 1.0),
    ("不正确", 0.6),
    ("高度", 0.5),
];

const PENDING: Cues = &[
    // Chinese (2026-12-08): transfers that have not arrived, wait, fail or come back.
    ("没到", 1.2),
    ("未到", 1.2),
    ("等待确认", 2.0),
    ("确认数", 1.2),
    ("打包中", 1.5),
    ("广播", 1.0),
    ("处理中", 1.5),
    ("审核中", 1.0),
    ("已完成", 0.8),
    ("显示成功", 1.0),
    ("区块浏览器", 0.8),
    ("取消交易", 1.5),
    ("超时", 1.0),
    ("退回", 1.0),
    ("出金", 1.2),
    ("充币", 1.2),
    ("转不出", 1.5),
    ("发不出", 1.5),
    ("pending", 2.0),
    ("stuck", 1.5),
    ("unconfirmed", 2.0),
    ("not confirm", 1.5),
    ("confirmation", 1.0),
    ("not received", 1.5),
    ("not receive", 1.5),
    ("didn't receive", 1.5),
    ("did not receive", 1.5),
    ("haven't received", 1.5),
    ("never received", 1.5),
    ("not arrived", 1.5),
    ("hasn't arrived", 1.5),
    ("never arrived", 1.5),
    ("yet to receive", 1.5),
    ("not arriv", 1.5),
    ("didn't arrive", 1.5),
    ("did not arrive", 1.5),
    ("not credited", 1.5),
    ("not yet", 0.6),
    ("0 confirmation", 1.5),
    ("zero confirmation", 1.5),
    ("0/12", 1.5),
    ("revert", 1.5),
    ("到账", 1.2),
    ("不到账", 2.0),
    ("没有到账", 2.0),
    ("入账", 1.2),
    ("未入账", 2.0),
    ("没入账", 2.0),
    ("待处理", 1.5),
    ("查不到", 1.2),
    ("上链", 0.8),
    ("转账失败", 2.0),
    ("发送失败", 1.5),
    ("交易失败", 2.0),
    ("提现", 1.2),
    ("transaction failed", 2.0),
    ("fail", 1.0),
    ("dropped", 1.0),
    ("nonce", 1.5),
    ("speed up", 1.5),
    ("cancel", 0.8),
    ("withdraw", 1.0),
    ("deposit", 0.8),
    ("came through", 1.0),
    ("mempool", 1.5),
    ("low fee", 1.0),
    ("pendiente", 2.0),
    ("no llego", 1.5),
    ("no ha llegado", 1.5),
    ("fallida", 1.0),
    ("no recib", 1.5),
    ("未到账", 2.0),
    ("没到账", 2.0),
    ("没收到", 1.5),
    ("未收到", 1.5),
    ("没有收到", 1.5),
    ("待确认", 2.0),
    ("确认中", 2.0),
    ("未确认", 2.0),
    ("卡住", 1.0),
    ("失败", 1.0),
    ("提币", 1.2),
    ("充值", 0.8),
    ("加速", 1.2),
    ("打包", 1.0),
];

const FEE: Cues = &[
    // Chinese (2026-12-08): fees and the resources that pay for them (TRON energy and
    // bandwidth, EOS CPU/NET/RAM), account activation and minimum balances.
    ("燃料费", 1.5),
    ("网络费", 1.5),
    ("油费", 1.2),
    ("费用", 0.8),
    ("扣费", 1.0),
    ("太贵", 1.0),
    ("冻结", 0.6),
    ("质押", 0.6),
    ("抵押", 1.0),
    ("内存", 0.8),
    ("租赁", 1.0),
    ("激活", 0.8),
    ("最低余额", 1.5),
    ("insufficient", 1.5),
    ("not enough", 1.2),
    ("gas", 1.2),
    ("fee", 1.2),
    ("network fee", 1.5),
    ("pay fee", 2.0),
    ("pay the fee", 2.0),
    ("pay transaction fee", 2.0),
    ("for gas", 2.0),
    ("energy", 1.5),
    ("bandwidth", 1.5),
    ("native coin", 1.5),
    ("can't send", 0.8),
    ("cannot send", 0.8),
    ("unable to send", 0.8),
    ("rent", 0.8),
    ("commission", 1.0),
    ("cpu", 1.0),
    ("资源不足", 2.0),
    ("费率", 0.8),
    ("fondos insuficientes", 2.0),
    ("insuficiente", 1.5),
    ("comision", 1.2),
    ("tarifa", 1.0),
    ("手续费", 1.5),
    ("矿工费", 1.5),
    ("能量", 1.5),
    ("带宽", 1.5),
    ("余额不足", 1.5),
    ("不足", 1.0),
    ("gas费", 1.5),
];

const UPDATE: Cues = &[
    // Chinese (2026-12-08): new versions, stores, and an app that will not start or hangs.
    ("新版", 1.2),
    ("旧版", 1.0),
    ("应用商店", 1.2),
    ("商店", 0.6),
    ("下架", 1.5),
    ("卡死", 1.5),
    ("无响应", 1.5),
    ("黑屏", 1.5),
    ("一直加载", 1.0),
    ("报毒", 1.5),
    ("兼容", 1.0),
    ("update", 1.2),
    ("upgrad", 1.5),
    ("new version", 1.5),
    ("latest version", 1.5),
    ("version", 0.6),
    ("download", 1.2),
    ("install", 1.2),
    ("crash", 1.5),
    ("won't open", 2.0),
    ("will not open", 2.0),
    ("can't open", 1.5),
    ("cannot open", 1.5),
    ("doesn't open", 1.5),
    ("not open", 1.2),
    ("would not open", 2.0),
    ("launch", 1.0),
    ("app store", 1.0),
    ("google play", 1.0),
    ("apk", 1.5),
    ("official", 0.8),
    ("error installing", 2.0),
    ("actualiz", 1.2),
    ("descarg", 1.2),
    ("instalar", 1.2),
    ("no abre", 1.5),
    ("更新", 1.2),
    ("升级", 1.5),
    ("下载", 1.2),
    ("安装", 1.2),
    ("版本", 0.8),
    ("闪退", 2.0),
    ("打不开", 2.0),
    ("崩溃", 1.5),
    ("官网", 1.0),
    ("白屏", 1.5),
    ("white screen", 1.5),
    ("whitescreen", 1.5),
    ("blank screen", 1.5),
    ("无法启动", 2.0),
    ("启动", 0.8),
    ("不能运行", 1.5),
];

const LOGIN: Cues = &[
    // Chinese (2026-12-08): signing in and unlocking (登陆 is the common misspelling of 登录).
    ("登陆", 1.0),
    ("登不上", 1.5),
    ("验证码", 1.0),
    ("手势", 1.0),
    ("密码错误", 0.5),
    ("修改密码", 1.0),
    ("password", 2.0),
    ("forgot", 1.0),
    ("pin$", 1.5),
    ("passcode", 1.5),
    ("locked out", 1.5),
    ("unlock", 1.0),
    ("login", 1.0),
    ("log in", 1.0),
    ("sign in", 1.0),
    ("face id", 1.5),
    ("fingerprint", 1.5),
    ("biometric", 1.5),
    ("reset", 0.8),
    ("contrasena", 2.0),
    ("olvide", 1.0),
    ("desbloquear", 1.0),
    ("iniciar sesion", 1.0),
    ("密码", 2.0),
    ("忘记", 1.0),
    ("忘了", 1.0),
    ("解锁", 1.0),
    ("登录", 1.0),
    ("指纹", 1.5),
    ("面容", 1.5),
    ("锁定", 1.0),
    ("重置", 0.8),
];

const SECURITY: Cues = &[
    // Chinese (2026-12-08): theft, unknown transfers out, leaks, malware, fake apps and staff.
    ("偷", 1.5),
    ("不明地址", 1.5),
    ("陌生地址", 1.5),
    ("未授权", 1.0),
    ("转走", 1.5),
    ("不翼而飞", 2.0),
    ("清空", 1.2),
    ("木马", 2.0),
    ("病毒", 1.2),
    ("恶意", 1.5),
    ("泄露", 1.5),
    ("泄漏", 1.5),
    ("假钱包", 2.0),
    ("假客服", 2.0),
    ("stole", 2.0),
    ("steal", 2.0),
    ("theft", 2.0),
    ("thief", 2.0),
    ("hack", 2.0),
    ("drain", 2.0),
    ("scam", 2.0),
    ("phish", 2.0),
    ("fraud", 2.0),
    ("fake", 1.2),
    ("unknown address", 1.5),
    ("unauthori", 1.5),
    ("without my permission", 2.0),
    ("without my consent", 2.0),
    ("all gone", 1.5),
    ("gone", 0.8),
    ("airdrop", 1.2),
    ("allowance", 1.2),
    ("approv", 0.6),
    ("revoke", 1.0),
    ("impersonat", 1.5),
    ("compromis", 1.5),
    ("malware", 1.5),
    ("took everything", 2.0),
    ("emptied", 1.5),
    ("cleaned out", 1.5),
    ("without my knowledge", 2.0),
    ("address i do not know", 1.5),
    ("address i don't know", 1.5),
    ("they know", 1.0),
    ("robaron", 2.0),
    ("robo", 2.0),
    ("robad", 2.0),
    ("estafa", 2.0),
    ("hacke", 2.0),
    ("vacio", 1.0),
    ("fraude", 2.0),
    ("被盗", 2.0),
    ("盗", 1.5),
    ("黑客", 2.0),
    ("骗", 2.0),
    ("诈骗", 2.0),
    ("钓鱼", 2.0),
    ("假冒", 1.5),
    ("冒充", 1.5),
    ("被转走", 2.0),
    ("授权", 1.0),
    ("空投", 1.0),
    ("丢失", 1.0),
];

const HOWTO: Cues = &[
    // Chinese (2026-12-08): asking how, where, and for a guide.
    ("怎样", 0.8),
    ("哪里", 0.6),
    ("教程", 1.2),
    ("使用方法", 1.2),
    ("步骤", 0.8),
    ("切换", 1.0),
    ("设置", 0.6),
    ("兑换", 1.0),
    ("闪兑", 1.2),
    ("how to", 1.0),
    ("how do i", 1.0),
    ("how can i", 1.0),
    ("is there a way", 1.0),
    ("address", 0.6),
    ("receive", 0.6),
    ("export", 1.2),
    ("private key", 1.0),
    ("multiple", 1.0),
    ("many address", 1.5),
    ("account", 0.6),
    ("create", 1.0),
    ("new wallet", 0.8),
    ("watch-only", 1.5),
    ("watch only", 1.5),
    ("cold storage", 1.2),
    ("hardware wallet", 0.8),
    ("where is", 0.8),
    ("where can i", 0.8),
    ("document", 0.8),
    ("transaction hash", 1.0),
    ("txid", 1.0),
    ("generate", 0.8),
    ("send crypto", 1.0),
    ("como", 1.0),
    ("direccion", 0.6),
    ("recibir", 0.6),
    ("crear", 1.0),
    ("cuenta", 0.6),
    ("exportar", 1.2),
    ("怎么", 0.8),
    ("如何", 0.8),
    ("地址", 0.6),
    ("收款", 1.0),
    ("创建", 1.0),
    ("账户", 0.6),
    ("导出", 1.2),
    ("哈希", 1.0),
    ("在哪", 0.8),
];

const OTHER: Cues = &[
    // Chinese (2026-12-08): token listings and logos, feature requests and suggestions,
    // development questions, transfers sent to another chain.
    ("图标", 1.5),
    ("上币", 1.5),
    ("收录", 1.5),
    ("代币信息", 1.0),
    ("建议", 1.0),
    ("需求", 0.8),
    ("希望支持", 1.5),
    ("能否支持", 1.2),
    ("是否支持", 1.0),
    ("何时支持", 1.5),
    ("什么时候支持", 1.5),
    ("支持一下", 1.0),
    ("新增", 0.6),
    ("接口", 1.0),
    ("源码", 1.0),
    ("编译", 1.2),
    ("翻译", 1.0),
    ("错链", 1.5),
    ("另一条链", 1.2),
    ("另外一条链", 1.2),
    ("linux", 1.0),
    ("platform", 1.0),
    ("feature request", 1.0),
    ("support for", 0.8),
    ("api", 1.0),
    ("translation", 1.0),
    ("logo", 1.0),
];

fn cues(topic: Topic) -> Cues {
    match topic {
        Topic::RestoreMnemonic => RESTORE,
        Topic::BalanceDisplay => BALANCE,
        Topic::TxPendingFailed => PENDING,
        Topic::InsufficientFee => FEE,
        Topic::UpdateDownload => UPDATE,
        Topic::LoginPassword => LOGIN,
        Topic::SecurityTheftScam => SECURITY,
        Topic::FeatureHowto => HOWTO,
        Topic::Other => OTHER,
    }
}

/// A character that continues a Latin word. Han characters are alphanumeric to Rust, but in
/// mixed posts ("一直显示Unconfirmed", "TRX不足") they end an English word as a space would.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !crate::text::is_han(c)
}

/// Whether `cue` occurs in `text` (both normalized) under the matching rule above.
#[must_use]
pub fn contains_cue(text: &str, cue: &str) -> bool {
    let (cue, whole_word) = match cue.strip_suffix('$') {
        Some(c) => (c, true),
        None => (cue, false),
    };
    let latin_start = cue
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(cue)) {
        let at = from + i;
        let end = at + cue.len();
        let before_ok = !latin_start
            || text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c));
        let after_ok = !whole_word || text[end..].chars().next().is_none_or(|c| !is_word_char(c));
        if before_ok && after_ok {
            return true;
        }
        from = at + cue.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The summed weight of the cues of each topic found in the normalized text, in
/// [`Topic::ALL`] order.
///
/// A how-to cue (`how do I`, `怎么`, `address`…) is weak evidence once a problem is described:
/// people describe a failure and then ask how to get out of it. So when some problem topic has
/// a cue of its own worth at least [`PROBLEM_DESCRIBED`], the how-to score is halved.
#[must_use]
pub fn scores(normalized: &str) -> [f32; Topic::COUNT] {
    let mut out = [0.0; Topic::COUNT];
    for (i, &t) in Topic::ALL.iter().enumerate() {
        out[i] = cues(t)
            .iter()
            .filter(|(c, _)| contains_cue(normalized, c))
            .map(|(_, w)| w)
            .sum();
    }
    let problem = Topic::ALL
        .iter()
        .filter(|t| !matches!(t, Topic::FeatureHowto | Topic::Other))
        .map(|t| out[t.index()])
        .fold(0.0f32, f32::max);
    if problem >= PROBLEM_DESCRIBED {
        out[Topic::FeatureHowto.index()] *= 0.5;
    }
    out
}

/// The cue weight that counts as a described problem (one strong cue, or two usual ones).
const PROBLEM_DESCRIBED: f32 = 1.5;

/// How much more a cue counts in a clause that carries the question or the problem (a question
/// mark, 吗, 怎么, 无法, 失败, "can't"…) and in the title (the first line of a post that has
/// several). Real posts describe a setting first — coin, app version, what was clicked — and
/// say what went wrong late, in one clause; every other clause is context.
const CARRIER_BONUS: f32 = 0.5;
const TITLE_BONUS: f32 = 0.5;

/// Words that mark the clause asking the question or stating the failure.
const CARRIER_HAN: &[&str] = &[
    "吗",
    "怎么",
    "为什么",
    "为何",
    "如何",
    "能否",
    "是否",
    "无法",
    "不能",
    "不了",
    "失败",
    "没有",
    "没",
    "未",
    "不到",
    "不出",
    "报错",
    "错误",
    "一直",
    "还是",
    "请问",
];
const CARRIER_LATIN: &[&str] = &[
    "not", "can't", "cannot", "can not", "won't", "doesn't", "didn't", "haven't", "hasn't",
    "isn't", "unable", "fail", "error", "why", "how", "never", "stuck",
];

/// The clauses of a post with their weight: split at sentence and clause punctuation and at
/// line ends, a clause keeps its own closing mark (so `…到账？` is a question).
#[must_use]
pub fn clauses(normalized: &str) -> Vec<(String, f32)> {
    let lines: Vec<&str> = normalized
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let several = lines.len() > 1;
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let title = several && n == 0;
        let mut clause = String::new();
        let push = |clause: &mut String, out: &mut Vec<(String, f32)>| {
            if !clause.trim().is_empty() {
                let carrier = clause.contains('?')
                    || clause.contains('？')
                    || CARRIER_HAN.iter().any(|m| clause.contains(m))
                    || CARRIER_LATIN.iter().any(|m| contains_cue(clause, m));
                let w = 1.0
                    + if carrier { CARRIER_BONUS } else { 0.0 }
                    + if title { TITLE_BONUS } else { 0.0 };
                out.push((std::mem::take(clause), w));
            }
            clause.clear();
        };
        for c in line.chars() {
            clause.push(c);
            if matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '，' | ',') {
                push(&mut clause, &mut out);
            }
        }
        push(&mut clause, &mut out);
    }
    out
}

/// [`scores`] with every cue weighted by the clause it is found in (the heaviest one, see
/// [`clauses`]); help-seeking phrases are blanked inside each clause after its weight is known,
/// so "怎么办？" still marks its clause but is no how-to evidence. Whether a problem is
/// described (which halves how-to) is judged on the plain weights.
#[must_use]
pub fn weighted_scores(normalized: &str) -> [f32; Topic::COUNT] {
    let parts: Vec<(String, f32)> = clauses(normalized)
        .into_iter()
        .map(|(c, w)| (without_help_seeking(&c), w))
        .collect();
    let mut out = [0.0; Topic::COUNT];
    let mut plain = [0.0f32; Topic::COUNT];
    for (i, &t) in Topic::ALL.iter().enumerate() {
        for (cue, weight) in cues(t) {
            let best = parts
                .iter()
                .filter(|(c, _)| contains_cue(c, cue))
                .map(|(_, w)| *w)
                .fold(0.0f32, f32::max);
            if best > 0.0 {
                out[i] += weight * best;
                plain[i] += weight;
            }
        }
    }
    let problem = Topic::ALL
        .iter()
        .filter(|t| !matches!(t, Topic::FeatureHowto | Topic::Other))
        .map(|t| plain[t.index()])
        .fold(0.0f32, f32::max);
    if problem >= PROBLEM_DESCRIBED {
        out[Topic::FeatureHowto.index()] *= 0.5;
    }
    out
}

/// Phrases that ask for help with whatever was described before them ("what should I do",
/// `怎么办`, `什么原因`): they say nothing about the topic, but contain how-to words (`怎么`,
/// `how do i`) that would pull a problem report towards `feature_howto`. Longest first.
const HELP_SEEKING: &[&str] = &[
    "what should i do",
    "what can i do",
    "what do i do",
    "what to do",
    "what is going on",
    "what happened",
    "how do i fix",
    "how can i fix",
    "how to fix",
    "how do i solve",
    "how can i solve",
    "how to solve",
    "how do i resolve",
    "how can i resolve",
    "how to resolve",
    "can someone help",
    "can anyone help",
    "any help",
    "any idea",
    "any advice",
    "please advise",
    "que hago",
    "que puedo hacer",
    "是什么原因",
    "什么原因",
    "什么情况",
    "什么问题",
    "怎么回事",
    "怎么解决",
    "怎么处理",
    "如何解决",
    "如何处理",
    "怎么办",
    "咋办",
    "请帮忙",
    "求助",
];

/// The normalized text with the help-seeking phrases blanked out (see [`HELP_SEEKING`]).
#[must_use]
pub fn without_help_seeking(normalized: &str) -> String {
    let mut out = normalized.to_owned();
    for phrase in HELP_SEEKING {
        let latin = phrase.is_ascii();
        let mut from = 0;
        while let Some(i) = out.get(from..).and_then(|t| t.find(phrase)) {
            let at = from + i;
            let end = at + phrase.len();
            let bounded = !latin
                || (out[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_word_char(c))
                    && out[end..].chars().next().is_none_or(|c| !is_word_char(c)));
            if bounded {
                out.replace_range(at..end, " ");
                from = at + 1;
            } else {
                from = end;
            }
        }
    }
    out
}

/// Someone asks for a person.
const HUMAN: &[&str] = &[
    "human",
    "real person",
    "talk to a person",
    "speak to a person",
    "to an agent",
    "live agent",
    "talk to support",
    "speak to support",
    "contact support",
    "talk to someone",
    "speak to someone",
    "customer service",
    "an operator",
    "hablar con",
    "una persona",
    "agente",
    // "客服" alone is also asked about ("客服会要助记词吗"): only asking for one counts.
    "人工",
    "找客服",
    "联系客服",
    "客服人员",
    "真人客服",
    "转人工",
    "真人",
];

/// Funds lost or taken: always a person, whatever the topic.
const LOST_FUNDS: &[&str] = &[
    "stole",
    "steal",
    "theft",
    "hacked",
    "drained",
    "missing funds",
    "funds are missing",
    "funds missing",
    "funds gone",
    "all gone",
    "lost my funds",
    "lost funds",
    "lost all",
    "lost my coins",
    "disappeared",
    "without my permission",
    "took everything",
    "emptied",
    "without my knowledge",
    "robaron",
    "robado",
    "被盗",
    "丢失",
    "被转走",
    "不见了",
    "消失",
];

#[must_use]
pub fn asks_for_person(normalized: &str) -> bool {
    HUMAN.iter().any(|c| contains_cue(normalized, c))
}

#[must_use]
pub fn mentions_lost_funds(normalized: &str) -> bool {
    LOST_FUNDS.iter().any(|c| contains_cue(normalized, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_rules() {
        assert!(contains_cue("my wallet was hacked", "hack"));
        assert!(!contains_cue("shack", "hack"));
        assert!(!contains_cue("ping me", "pin$"));
        assert!(contains_cue("forgot pin.", "pin$"));
        assert!(contains_cue("钱包被盗了", "被盗"));
    }

    #[test]
    fn an_english_word_ends_where_chinese_text_begins() {
        // Han characters are alphanumeric to Rust; they must not glue onto an English cue.
        assert!(contains_cue(
            "转出的usdt一直显示unconfirmed！",
            "unconfirmed"
        ));
        assert!(contains_cue("提示gas不足", "gas"));
        assert!(contains_cue("忘了pin码", "pin$"));
        assert!(!contains_cue("unhacked", "hack"));
        assert!(!contains_cue("pinyin输入法", "pin$"));
        assert_eq!(
            without_help_seeking("转账失败what should i do呢"),
            "转账失败 呢"
        );
    }

    #[test]
    fn clauses_that_ask_or_title_a_post_weigh_more() {
        let parts =
            clauses("usdt 没到账\n钱包版本 2.3.1，小米手机，昨天从交易所提的币现在还没到账吗？");
        let w: Vec<f32> = parts.iter().map(|(_, w)| *w).collect();
        // title (with a failure word), two context clauses, the question
        assert_eq!(parts.len(), 4, "{parts:?}");
        assert!(
            w[0] > w[1] && w[3] > w[1] && (w[1] - w[2]).abs() < f32::EPSILON,
            "{w:?}"
        );
    }

    #[test]
    fn the_clause_that_asks_outweighs_the_setting() {
        // The setting mentions an upgrade; the question is about the balance.
        let text = "上周升级了新版本，余额一直不显示？";
        let plain = scores(text);
        let weighted = weighted_scores(text);
        let (b, u) = (Topic::BalanceDisplay.index(), Topic::UpdateDownload.index());
        assert!(
            weighted[b] / weighted[u] > plain[b] / plain[u],
            "{plain:?} {weighted:?}"
        );
        // A help-seeking phrase marks its clause but is no how-to evidence.
        let w = weighted_scores("一直没到账，怎么办？");
        assert!(w[Topic::FeatureHowto.index()] == 0.0, "{w:?}");
        assert!(w[Topic::TxPendingFailed.index()] > 2.0, "{w:?}");
    }

    #[test]
    fn asking_what_to_do_is_not_a_how_to_question() {
        let asked = without_help_seeking("交易所显示已完成，但钱包里一直没到账，怎么办?");
        assert!(!contains_cue(&asked, "怎么"));
        assert!(contains_cue(&asked, "没到账"));
        let asked = without_help_seeking("my usdt never arrived. what should i do");
        assert!(!contains_cue(&asked, "what should"));
        assert_eq!(without_help_seeking("somehow to fix"), "somehow to fix");
    }

    #[test]
    fn a_described_problem_outweighs_how_to_words() {
        let s = scores("how do i get my usdt back, it never arrived and is still pending");
        assert!(
            s[Topic::TxPendingFailed.index()] > s[Topic::FeatureHowto.index()],
            "{s:?}"
        );
    }
}
