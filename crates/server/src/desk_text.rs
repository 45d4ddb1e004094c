//! The desk's own messages (the assistant's answers, system notices) carry Markdown links to
//! help articles, `[title](/help/…?lang=…)`. Pages show them as links, the way the chat page's
//! `linkify` does: only paths on this desk and `https://` addresses, everything else as text.
//! Text that a user or an agent wrote is never read this way — a link whose words say one thing
//! and whose address another is exactly what a phishing message looks like.

/// A piece of a message: text, or a link's words and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub text: String,
    pub href: Option<String>,
}

impl Part {
    fn text(s: &str) -> Self {
        Self {
            text: s.to_owned(),
            href: None,
        }
    }
}

/// At most this many characters of link words, and of address (as `chat.js`).
const MAX_WORDS: usize = 300;
const MAX_HREF: usize = 500;

/// `text` as it is, in one piece.
#[must_use]
pub(crate) fn plain(text: &str) -> Vec<Part> {
    vec![Part::text(text)]
}

/// `text` cut into pieces at its Markdown links `[words](address)` whose address is a path on
/// this desk (`/…`, not `//…`) or an `https://` address without spaces.
#[must_use]
pub(crate) fn with_links(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(open) = text[at..].find('[').map(|i| at + i) {
        match link_at(text, open) {
            Some((words, href, end)) => {
                if plain_from < open {
                    parts.push(Part::text(&text[plain_from..open]));
                }
                parts.push(Part {
                    text: words.to_owned(),
                    href: Some(href.to_owned()),
                });
                plain_from = end;
                at = end;
            }
            None => at = open + 1,
        }
    }
    if plain_from < text.len() || parts.is_empty() {
        parts.push(Part::text(&text[plain_from..]));
    }
    parts
}

/// The link that starts at `open` (a `[`): its words, its address and the byte after its `)`.
fn link_at(text: &str, open: usize) -> Option<(&str, &str, usize)> {
    let rest = &text[open + 1..];
    let close = rest.find(']')?;
    let words = &rest[..close];
    if words.is_empty()
        || words.contains('\n')
        || words.contains('[')
        || words.chars().count() > MAX_WORDS
    {
        return None;
    }
    let after = &rest[close + 1..];
    let inner = after.strip_prefix('(')?;
    let end = inner.find(|c: char| c == ')' || c.is_whitespace())?;
    if !inner[end..].starts_with(')') {
        return None;
    }
    let href = &inner[..end];
    let local = href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/\\");
    if !(local || href.starts_with("https://")) || href.chars().count() > MAX_HREF {
        return None;
    }
    // `[` + words + `](` + href + `)`
    let end_byte = open + 1 + close + 2 + end + 1;
    Some((words, href, end_byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(words: &str, href: &str) -> Part {
        Part {
            text: words.into(),
            href: Some(href.into()),
        }
    }

    #[test]
    fn article_links_become_links_and_the_rest_stays_text() {
        let parts = with_links("See [存款未到账](/help/deposit?lang=zh-CN):\n1. Check.");
        assert_eq!(
            parts,
            vec![
                Part::text("See "),
                link("存款未到账", "/help/deposit?lang=zh-CN"),
                Part::text(":\n1. Check."),
            ]
        );
        assert_eq!(
            with_links("[a](https://example.org/x) and [b](/y)"),
            vec![
                link("a", "https://example.org/x"),
                Part::text(" and "),
                link("b", "/y"),
            ]
        );
    }

    #[test]
    fn other_addresses_and_broken_links_stay_text() {
        for s in [
            "[x](//evil.example)",
            "[x](/\\evil.example)",
            "[x](http://plain.example)",
            "[x](javascript:alert(1))",
            "[x](data:text/html,hi)",
            "[x] (/help)",
            "[x](/help with space)",
            "[](/help)",
            "[two\nlines](/help)",
            "[x](/help",
            "[[x](/help",
            "no link at all",
            "",
        ] {
            let parts = with_links(s);
            let whole: String = parts.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(whole, s, "nothing is lost: {s:?}");
            assert!(parts.iter().all(|p| p.href.is_none()), "{s:?} -> {parts:?}");
        }
        // A stray `[` before a link leaves the link whole.
        assert_eq!(
            with_links("a [ b [x](/help)"),
            vec![Part::text("a [ b "), link("x", "/help")]
        );
    }

    #[test]
    fn too_long_words_or_addresses_stay_text() {
        let words = "w".repeat(MAX_WORDS + 1);
        assert!(
            with_links(&format!("[{words}](/help)"))
                .iter()
                .all(|p| p.href.is_none())
        );
        let href = format!("/{}", "h".repeat(MAX_HREF));
        assert!(
            with_links(&format!("[x]({href})"))
                .iter()
                .all(|p| p.href.is_none())
        );
        assert_eq!(plain("[x](/help)"), vec![Part::text("[x](/help)")]);
    }
}
