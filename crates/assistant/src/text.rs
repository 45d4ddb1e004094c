//! Text features shared by the classifier and the built-in retriever.
//!
//! Latin-script words are lower-cased, accents folded and lightly stemmed (a suffix stripper, not
//! Porter: the vocabulary is small and both sides go through the same function, so agreement is
//! what matters). Han text becomes single characters plus overlapping bigrams, the usual
//! dictionary-free way to index Chinese. Traditional characters common in wallet questions are
//! folded to Simplified because the articles are in Simplified. Spanish words in a small wallet
//! glossary are mapped to their English term, so a Spanish question meets the English articles.

/// Folds a Traditional character to its Simplified form (only characters that occur in wallet
/// support language; others pass through).
fn fold_han(c: char) -> char {
    const PAIRS: &[(char, char)] = &[
        ('錢', '钱'),
        ('錯', '错'),
        ('誤', '误'),
        ('區', '区'),
        ('塊', '块'),
        ('額', '额'),
        ('餘', '余'),
        ('顯', '显'),
        ('示', '示'),
        ('帳', '账'),
        ('賬', '账'),
        ('號', '号'),
        ('碼', '码'),
        ('記', '记'),
        ('詞', '词'),
        ('復', '复'),
        ('導', '导'),
        ('轉', '转'),
        ('幣', '币'),
        ('請', '请'),
        ('問', '问'),
        ('開', '开'),
        ('發', '发'),
        ('題', '题'),
        ('這', '这'),
        ('們', '们'),
        ('網', '网'),
        ('絡', '络'),
        ('費', '费'),
        ('續', '续'),
        ('義', '义'),
        ('設', '设'),
        ('備', '备'),
        ('驗', '验'),
        ('證', '证'),
        ('盜', '盗'),
        ('騙', '骗'),
        ('詐', '诈'),
        ('駭', '骇'),
        ('客', '客'),
        ('確', '确'),
        ('認', '认'),
        ('敗', '败'),
        ('過', '过'),
        ('傳', '传'),
        ('輸', '输'),
        ('進', '进'),
        ('沒', '没'),
        ('收', '收'),
        ('時', '时'),
        ('間', '间'),
        ('經', '经'),
        ('從', '从'),
        ('裡', '里'),
        ('裏', '里'),
        ('麼', '么'),
        ('為', '为'),
        ('會', '会'),
        ('東', '东'),
        ('單', '单'),
        ('錄', '录'),
        ('碼', '码'),
        ('簽', '签'),
        ('據', '据'),
        ('產', '产'),
        ('資', '资'),
        ('鎖', '锁'),
        ('登', '登'),
        ('陸', '陆'),
        ('舊', '旧'),
        ('新', '新'),
        ('載', '载'),
        ('裝', '装'),
        ('級', '级'),
        ('閃', '闪'),
        ('關', '关'),
        ('當', '当'),
        ('點', '点'),
        ('處', '处'),
        ('應', '应'),
        ('該', '该'),
        ('與', '与'),
        ('後', '后'),
        ('體', '体'),
        ('戶', '户'),
        ('務', '务'),
        ('實', '实'),
        ('現', '现'),
        ('動', '动'),
        ('鏈', '链'),
        ('換', '换'),
        ('幫', '帮'),
        ('節', '节'),
        ('畫', '画'),
        ('頁', '页'),
        ('丟', '丢'),
        ('失', '失'),
        ('個', '个'),
        ('數', '数'),
        ('量', '量'),
        ('達', '达'),
        ('紀', '纪'),
        ('礦', '矿'),
        ('達', '达'),
        ('態', '态'),
        ('線', '线'),
        ('連', '连'),
        ('結', '结'),
    ];
    PAIRS
        .iter()
        .find_map(|&(t, s)| (t == c).then_some(s))
        .unwrap_or(c)
}

/// Whether `c` is a CJK ideograph.
#[must_use]
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

fn fold_latin(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        '’' | '‘' => '\'',
        _ => c,
    }
}

/// Lower-cases, folds accents and Traditional characters. The result is what cue phrases are
/// matched against.
#[must_use]
pub fn normalize(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            if is_han(c) {
                fold_han(c)
            } else {
                fold_latin(c)
            }
        })
        .collect()
}

const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "if", "to", "of", "in", "on", "at", "for", "from",
    "with", "by", "as", "is", "are", "was", "were", "be", "been", "am", "it", "its", "this",
    "that", "these", "those", "i", "me", "my", "we", "our", "you", "your", "he", "she", "they",
    "them", "his", "her", "there", "here", "so", "do", "does", "did", "have", "has", "had", "will",
    "would", "can", "could", "should", "what", "which", "who", "when", "then", "than", "some",
    "any", "all", "just", "also", "very", "too", "about", "into", "up", "out", "now", "please",
    "hi", "hello", "thanks", "thank", "help", "get", "got", "one", "after", "before", "el", "la",
    "los", "las", "un", "una", "de", "del", "y", "o", "en", "que", "mi", "mis", "es", "por",
    "para", "con", "se", "lo", "le", "no", "al", "pero", "como", "ya", "si", "me",
];

/// Spanish wallet vocabulary → the English stem the articles use.
fn glossary(word: &str) -> Option<&'static str> {
    const ES: &[(&str, &str)] = &[
        ("billetera", "wallet"),
        ("cartera", "wallet"),
        ("monedero", "wallet"),
        ("saldo", "balanc"),
        ("fondo", "fund"),
        ("fondos", "fund"),
        ("comision", "fee"),
        ("comisiones", "fee"),
        ("tarifa", "fee"),
        ("contrasena", "password"),
        ("olvide", "forgot"),
        ("frase", "phrase"),
        ("semilla", "seed"),
        ("palabras", "word"),
        ("restaurar", "restor"),
        ("recuperar", "recover"),
        ("importar", "import"),
        ("pendiente", "pend"),
        ("transaccion", "transaction"),
        ("transferencia", "transfer"),
        ("enviar", "send"),
        ("envie", "sent"),
        ("recibir", "receiv"),
        ("recibi", "receiv"),
        ("direccion", "address"),
        ("robaron", "stolen"),
        ("robo", "theft"),
        ("robado", "stolen"),
        ("estafa", "scam"),
        ("hackeado", "hack"),
        ("actualizar", "updat"),
        ("actualizacion", "updat"),
        ("descargar", "download"),
        ("instalar", "instal"),
        ("version", "version"),
        ("cuenta", "account"),
        ("crear", "creat"),
        ("nueva", "new"),
        ("nuevo", "new"),
        ("insuficientes", "insufficient"),
        ("insuficiente", "insufficient"),
        ("red", "network"),
        ("fallida", "fail"),
        ("fallo", "fail"),
        ("llego", "arriv"),
        ("cero", "zero"),
        ("clave", "key"),
        ("privada", "privat"),
        ("bloqueado", "lock"),
        ("desbloquear", "unlock"),
        ("aplicacion", "app"),
        ("moneda", "coin"),
        ("monedas", "coin"),
        ("token", "token"),
        ("confirma", "confirm"),
        ("confirmado", "confirm"),
        ("exportar", "export"),
    ];
    ES.iter().find_map(|&(es, en)| (es == word).then_some(en))
}

/// A light English suffix stripper (also harmless on Spanish).
#[must_use]
pub fn stem(word: &str) -> String {
    let w = word.trim_matches('\'');
    let w = w.strip_suffix("'s").unwrap_or(w);
    let n = w.chars().count();
    if n <= 3 || !w.is_ascii() {
        return w.to_owned();
    }
    for (suffix, keep, replace) in [
        ("ies", 4, "y"),
        ("sses", 4, "ss"),
        ("ing", 5, ""),
        ("ed", 4, ""),
        ("es", 5, ""),
        ("ly", 5, ""),
        ("s", 3, ""),
        ("e", 4, ""),
    ] {
        if let Some(base) = w.strip_suffix(suffix)
            && base.len() >= keep - 1
            && !(suffix == "s" && base.ends_with('s'))
        {
            return format!("{base}{replace}");
        }
    }
    w.to_owned()
}

/// Whether a line is machine output pasted into a post: a stack frame, a timestamped log line,
/// JSON, or a run of hex, paths and digits. Such lines are many words long and say little about
/// the topic, yet outweigh the one sentence a person wrote.
fn is_log_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.chars().any(is_han) {
        return false;
    }
    let lower = t.to_lowercase();
    if lower.starts_with("at ")
        || lower.starts_with("file \"")
        || lower.starts_with("traceback")
        || lower.starts_with("```")
        || (t.starts_with('{') || t.starts_with('"') || t.starts_with('[')) && t.contains("\":")
    {
        return true;
    }
    let b = t.as_bytes();
    let timestamp = b.len() > 12
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-';
    if timestamp {
        return true;
    }
    let n = t.chars().count();
    let noise = t
        .chars()
        .filter(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '/' | '\\'
                        | '_'
                        | ':'
                        | '.'
                        | '='
                        | '{'
                        | '}'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '<'
                        | '>'
                        | '#'
                        | '$'
                )
        })
        .count();
    n > 30 && noise * 2 > n
}

/// The text without pasted machine output (see [`is_log_line`]), unless that is all there is.
#[must_use]
pub fn without_log_lines(text: &str) -> String {
    let kept: Vec<&str> = text.lines().filter(|l| !is_log_line(l)).collect();
    if kept.iter().all(|l| l.trim().is_empty()) {
        text.to_owned()
    } else {
        kept.join("\n")
    }
}

/// An address, hash or key-like token (`0x…`, or 16+ letters and digits mixed): noise to a topic.
fn is_hash_like(word: &str) -> bool {
    (word.starts_with("0x") && word.len() > 6)
        || (word.len() >= 16
            && word.bytes().any(|b| b.is_ascii_digit())
            && word.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// Han characters that say nothing on their own (particles, pronouns, "this", "one"): they are
/// not index terms, though the bigrams they are part of are.
const HAN_STOP: &[char] = &[
    '的', '了', '我', '你', '他', '她', '是', '在', '和', '就', '都', '也', '吗', '呢', '啊', '吧',
    '这', '那', '个', '们', '么', '着', '把', '被', '给', '又', '还', '很', '请', '谢',
];

/// The index terms of a text: stemmed Latin words (stopwords and bare numbers dropped — amounts,
/// versions and block heights are noise to a topic —, Spanish glossary words mapped to
/// English), Han characters (but [`HAN_STOP`]) and Han bigrams.
#[must_use]
pub fn terms(text: &str) -> Vec<String> {
    let norm = normalize(text);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_han: Option<char> = None;
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            let number = word.bytes().all(|b| b.is_ascii_digit());
            if !STOPWORDS.contains(&word.as_str())
                && word.len() > 1
                && !number
                && !is_hash_like(word)
            {
                match glossary(word) {
                    Some(en) => out.push(en.to_owned()),
                    None => out.push(stem(word)),
                }
            }
            word.clear();
        }
    };
    for c in norm.chars() {
        if is_han(c) {
            flush(&mut word, &mut out);
            if !HAN_STOP.contains(&c) {
                out.push(c.to_string());
            }
            if let Some(p) = prev_han {
                out.push(format!("{p}{c}"));
            }
            prev_han = Some(c);
        } else {
            prev_han = None;
            if c.is_alphanumeric() || (c == '\'' && !word.is_empty()) {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_agree_across_forms() {
        assert_eq!(stem("transactions"), stem("transaction"));
        assert_eq!(stem("pending"), "pend");
        assert_eq!(stem("stuck"), "stuck");
        assert_eq!(stem("updated"), stem("update"));
    }

    #[test]
    fn han_becomes_characters_and_bigrams_and_traditional_folds() {
        let t = terms("錢包被盜");
        assert!(t.contains(&"钱包".to_owned()));
        assert!(t.contains(&"被盗".to_owned()));
    }

    #[test]
    fn numbers_and_han_particles_are_not_terms() {
        let t = terms("升级到 0.33.2 版本了 TRC20");
        assert!(!t.iter().any(|w| w == "33" || w == "了"));
        assert!(t.contains(&"trc20".to_owned()));
        assert!(t.contains(&"版本".to_owned()));
        assert!(t.contains(&"本了".to_owned()));
    }

    #[test]
    fn pasted_log_lines_are_dropped_but_never_everything() {
        let post = "usdt 转账一直没到账\n\
                    2024-05-01 10:00:01 info wallet: restore from mnemonic seed ok\n\
                    \x20   at wallet::restore::import (src/restore.rs:42)\n\
                    {\"error\":{\"code\":-32000,\"message\":\"nonce too low\"}}\n\
                    please help, it was sent yesterday";
        let kept = without_log_lines(post);
        assert!(
            kept.contains("没到账") && kept.contains("please help"),
            "{kept}"
        );
        assert!(
            !kept.contains("mnemonic") && !kept.contains("restore.rs") && !kept.contains("32000")
        );
        // An error message a person quotes on its own line stays: it is the problem.
        let quoted = "转账失败\ninsufficient funds for gas * price + value";
        assert_eq!(without_log_lines(quoted), quoted);
        // A post that is nothing but a log is read as it is.
        let only = "2024-05-01 10:00:01 error: sync failed";
        assert_eq!(without_log_lines(only), only);
    }

    #[test]
    fn hashes_and_addresses_are_not_terms() {
        let t = terms(
            "转到 0x7892c5af7afeabbc73ce9e475871588db7ed944a 用 trc20 地址 tqeq7ppjdzpqtarvfxbhw7qwgvnaeb5xkb",
        );
        assert!(t.contains(&"trc20".to_owned()), "{t:?}");
        assert!(
            !t.iter()
                .any(|w| w.starts_with("0x") || w.starts_with("tqeq")),
            "{t:?}"
        );
    }

    #[test]
    fn spanish_meets_english() {
        let t = terms("Olvidé mi contraseña de la billetera");
        assert!(t.contains(&"password".to_owned()));
        assert!(t.contains(&"wallet".to_owned()));
    }
}
