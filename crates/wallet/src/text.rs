//! Splitting user text into tokens with byte spans, by script.
//!
//! The phrase detector works on *tokens*: a run of Latin (or other alphabetic) letters, a run of
//! digits, one Han character (every Chinese BIP39 word is one character), a run of kana or a run
//! of Hangul (segmented into words later, since users often leave out the spaces), or a run of
//! letters and digits mixed (an address or hash: never a wordlist word). Everything between
//! tokens is a gap.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Alphabetic letters outside the CJK ranges (Latin, with accents).
    Alpha,
    /// ASCII or full-width digits only.
    Digits,
    /// One Han character.
    Han,
    /// Hiragana/katakana, with voicing marks and the prolonged-sound mark.
    Kana,
    /// Hangul syllables or jamo.
    Hangul,
    /// Letters and digits mixed (`bc1q…`, `0x12ab…`, `v6`).
    Mixed,
}

/// A token: its script and byte span in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub script: Script,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `input`.
    #[must_use]
    pub fn text<'a>(&self, input: &'a str) -> &'a str {
        input.get(self.start..self.end).unwrap_or("")
    }
}

/// Whether `c` is a Han (CJK ideograph) character.
#[must_use]
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}')
}

/// Whether `c` is kana or a kana mark (including the combining voicing marks).
#[must_use]
pub fn is_kana(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
        && c != '\u{30FB}' // katakana middle dot is punctuation
}

/// Whether `c` is Hangul.
#[must_use]
pub fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

/// The punctuation of Chinese prose (full-width comma, full stop, quotes, brackets…): none of
/// it is a letter, so it skips the slower general Unicode tests.
fn is_common_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{3000}'..='\u{3003}'
            | '\u{3008}'..='\u{3011}'
            | '\u{2014}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2026}'
            | '\u{FF01}'
            | '\u{FF08}'
            | '\u{FF09}'
            | '\u{FF0C}'
            | '\u{FF1A}'
            | '\u{FF1B}'
            | '\u{FF1F}'
    )
}

fn class(c: char) -> Option<Script> {
    // Most characters of most texts are ASCII: decide those first.
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Some(Script::Alpha)
        } else if c.is_ascii_digit() {
            Some(Script::Digits)
        } else {
            None
        };
    }
    if is_han(c) {
        Some(Script::Han)
    } else if is_common_cjk_punctuation(c) {
        None
    } else if is_kana(c) || (c == '\u{3099}' || c == '\u{309A}') {
        Some(Script::Kana)
    } else if is_hangul(c) {
        Some(Script::Hangul)
    } else if is_digit(c) {
        Some(Script::Digits)
    } else if c.is_alphabetic() || crate::wordlist::is_combining_mark(c) {
        Some(Script::Alpha)
    } else {
        None
    }
}

/// Splits `input` into tokens, in order. Linear in the input.
#[must_use]
pub fn tokenize(input: &str) -> Vec<Token> {
    // About one token per Han character (3 bytes) or per short Latin word.
    let mut out = Vec::with_capacity(input.len() / 3 + 1);
    for_each_token(input, |t| out.push(t));
    out
}

/// Calls `f` on each token of `input`, in order: [`tokenize`] without the vector, so that the
/// redactor turns each token into a lexeme as it comes, in one loop. Runs of ASCII letters and
/// digits, and the Han characters of the main CJK block, are read a byte at a time without
/// decoding a `char`: they are most of any text.
#[inline]
pub fn for_each_token(input: &str, mut f: impl FnMut(Token)) {
    let bytes = input.as_bytes();
    // The token being built (letters, digits, kana or Hangul): its script and start; `None`
    // when there is none.
    let mut cur: Option<(Script, usize)> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                if let Some((script, start)) = cur.take() {
                    f(Token {
                        script,
                        start,
                        end: i,
                    });
                }
                i += 1;
                continue;
            }
            // A run of ASCII letters and digits: it joins a token of letters, digits or both,
            // and ends any other.
            let mut script = match cur {
                Some((s @ (Script::Alpha | Script::Digits | Script::Mixed), _)) => s,
                Some((script, start)) => {
                    f(Token {
                        script,
                        start,
                        end: i,
                    });
                    cur = None;
                    if b.is_ascii_digit() {
                        Script::Digits
                    } else {
                        Script::Alpha
                    }
                }
                None => {
                    if b.is_ascii_digit() {
                        Script::Digits
                    } else {
                        Script::Alpha
                    }
                }
            };
            let start = cur.map_or(i, |(_, s)| s);
            while let Some(&b) = bytes.get(i) {
                let cls = if b.is_ascii_alphabetic() {
                    Script::Alpha
                } else if b.is_ascii_digit() {
                    Script::Digits
                } else {
                    break;
                };
                if script != cls {
                    script = Script::Mixed;
                }
                i += 1;
            }
            cur = Some((script, start));
            continue;
        }
        let (cls, end) = if (0xE4..=0xE9).contains(&b)
            && let (Some(&b1), Some(&b2)) = (bytes.get(i + 1), bytes.get(i + 2))
            && (0x4E00..=0x9FFF).contains(
                &((u32::from(b & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F)),
            ) {
            // A Han character of the main block (the text is valid UTF-8, so these three bytes
            // are one character).
            (Some(Script::Han), i + 3)
        } else {
            let Some(c) = input.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            (class(c), i + c.len_utf8())
        };
        match cls {
            None => {
                if let Some((script, start)) = cur.take() {
                    f(Token {
                        script,
                        start,
                        end: i,
                    });
                }
            }
            // Each Han character is a token of its own.
            Some(Script::Han) => {
                if let Some((script, start)) = cur.take() {
                    f(Token {
                        script,
                        start,
                        end: i,
                    });
                }
                f(Token {
                    script: Script::Han,
                    start: i,
                    end,
                });
            }
            Some(cls) => match cur {
                Some((script, start)) if same_run(script, cls) => {
                    cur = Some((if script == cls { script } else { Script::Mixed }, start));
                }
                _ => {
                    if let Some((script, start)) = cur.take() {
                        f(Token {
                            script,
                            start,
                            end: i,
                        });
                    }
                    cur = Some((cls, i));
                }
            },
        }
        i = end;
    }
    if let Some((script, start)) = cur {
        f(Token {
            script,
            start,
            end: bytes.len(),
        });
    }
}

/// Whether a character of class `next` continues a token of script `cur`.
fn same_run(cur: Script, next: Script) -> bool {
    use Script::{Alpha, Digits, Mixed};
    match (cur, next) {
        (Alpha | Digits | Mixed, Alpha | Digits) => true,
        (a, b) => a == b,
    }
}

/// Whether a text reads as Chinese or Japanese (for choosing marker language): more CJK
/// characters than Latin letters, counting at most the first 64 KiB.
#[must_use]
pub fn mostly_cjk(input: &str) -> bool {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in input.chars().take(65_536) {
        if is_han(c) || is_kana(c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A CJK character carries about as much as a short Latin word.
    cjk * 4 > latin
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts(s: &str) -> Vec<(Script, &str)> {
        tokenize(s).iter().map(|t| (t.script, t.text(s))).collect()
    }

    #[test]
    fn splits_by_script_and_keeps_spans() {
        assert_eq!(
            scripts("1. abandon 2)Ábaco, 的一 bc1qxy 가격 あいさつ"),
            vec![
                (Script::Digits, "1"),
                (Script::Alpha, "abandon"),
                (Script::Digits, "2"),
                (Script::Alpha, "Ábaco"),
                (Script::Han, "的"),
                (Script::Han, "一"),
                (Script::Mixed, "bc1qxy"),
                (Script::Hangul, "가격"),
                (Script::Kana, "あいさつ"),
            ]
        );
    }

    #[test]
    fn decomposed_accents_stay_in_the_word() {
        let s = "a\u{301}baco";
        assert_eq!(scripts(s), vec![(Script::Alpha, s)]);
    }

    #[test]
    fn common_cjk_punctuation_is_no_letter() {
        for c in ('\u{2000}'..='\u{3100}').chain('\u{FF00}'..='\u{FF20}') {
            if is_common_cjk_punctuation(c) {
                assert!(
                    !c.is_alphabetic() && !c.is_numeric() && !is_kana(c) && !is_hangul(c),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn cjk_detection() {
        assert!(mostly_cjk("我的钱包转账失败了 pending"));
        assert!(!mostly_cjk("my transfer is pending 谢谢"));
    }
}
