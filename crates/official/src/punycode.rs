//! Punycode (RFC 3492) decoding of `xn--` labels, so a label is judged by what a browser shows.
//! Written here rather than pulling in a full IDNA implementation: decoding is all we need,
//! and it must never panic on what a stranger pastes (overflow is an error, not a wrap).

const BASE: u32 = 36;
const TMIN: u32 = 1;
const TMAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn adapt(mut delta: u32, num_points: u32, first: bool) -> u32 {
    delta /= if first { DAMP } else { 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (((BASE - TMIN + 1) * delta) / (delta + SKEW))
}

fn digit(c: u8) -> Option<u32> {
    match c {
        b'a'..=b'z' => Some(u32::from(c - b'a')),
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 26),
        _ => None,
    }
}

/// Decodes the part after `xn--`. `None` for anything that is not valid Punycode.
#[must_use]
pub fn decode(input: &str) -> Option<String> {
    if !input.is_ascii() || input.len() > 252 {
        return None;
    }
    let (basic, rest) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    let mut out: Vec<char> = basic.chars().collect();
    let mut n = INITIAL_N;
    let mut i: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let bytes = rest.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let old_i = i;
        let mut w: u32 = 1;
        let mut k = BASE;
        loop {
            let d = digit(*bytes.get(pos)?)?;
            pos += 1;
            i = i.checked_add(d.checked_mul(w)?)?;
            let t = if k <= bias {
                TMIN
            } else if k >= bias + TMAX {
                TMAX
            } else {
                k - bias
            };
            if d < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = u32::try_from(out.len() + 1).ok()?;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        let c = char::from_u32(n)?;
        out.insert(usize::try_from(i).ok()?, c);
        i += 1;
    }
    Some(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn rfc_3492_and_known_labels() {
        // RFC 3492 §7.1 (L) and the Chinese sample (A).
        assert_eq!(
            decode("3B-ww4c5e180e575a65lsy2b").as_deref(),
            Some("3年B組金八先生")
        );
        assert_eq!(
            decode("ihqwcrb4cv8a8dqg056pqjye").as_deref(),
            Some("他们为什么不说中文")
        );
        // The 2017 proof of concept by Xudong Zheng: "аррӏе.com" all in Cyrillic.
        assert_eq!(decode("80ak6aa92e").as_deref(), Some("аррӏе"));
        assert_eq!(decode("mnchen-3ya").as_deref(), Some("münchen"));
    }

    #[test]
    fn garbage_is_none_never_a_panic() {
        for s in [
            "99999999999",
            "zzzzzzzzzzzzzzzzzzzzz",
            "-",
            "a-",
            "é",
            "a-!",
        ] {
            let _ = decode(s);
        }
        assert_eq!(decode("!!"), None);
    }
}
