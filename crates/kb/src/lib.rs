//! Help-center articles, with no I/O.
//!
//! * [`parse_file`] reads one content file (`content/help/<lang>/<slug>.md`): line-based
//!   `key: value` front matter between `---` lines, then the Markdown body.
//! * [`render_html`] turns an article's Markdown into HTML that is safe to put in a page: raw
//!   HTML is shown as text, links keep only `http(s)`, relative and `#` targets, images only
//!   `/static/…` paths; anything else is dropped and its text kept.
//! * [`plain_text`] is the Markdown without markup, for the search index.
//! * [`demo_articles`] are the articles a fresh desk starts with, compiled in by `build.rs`.
//! * [`lint`] holds the content rules a test keeps: no link to the phrase check or request for a
//!   secret, both languages alike, full-width Chinese punctuation, the glossary.

pub mod lint;

use domain::Lang;
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

include!(concat!(env!("OUT_DIR"), "/demo_articles.rs"));

/// An article as a content file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleFile {
    pub slug: String,
    pub lang: Lang,
    pub category: String,
    pub topics: Vec<String>,
    pub keywords: Vec<String>,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KbError {
    #[error("the file does not start with a `---` front-matter block")]
    NoFrontMatter,
    #[error("front matter line {0} is not `key: value`")]
    BadLine(usize),
    #[error("unknown front matter key `{0}`")]
    UnknownKey(String),
    #[error("front matter is missing `{0}`")]
    Missing(&'static str),
    #[error("slug `{0}` is not lower-case ASCII words joined by `-`")]
    BadSlug(String),
}

/// The help-center sections, in the order the help center shows them.
pub const CATEGORIES: &[&str] = &[
    "getting-started",
    "restore",
    "balance",
    "transactions",
    "fees",
    "app",
    "security",
    "contact",
];

/// Whether `s` is a slug: lower-case ASCII letters and digits in words joined by single `-`.
#[must_use]
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn split_list(v: &str) -> Vec<String> {
    v.split([',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses one content file written in `lang`.
///
/// # Errors
/// A missing or malformed front matter, an unknown key, a missing field, a bad slug.
pub fn parse_file(text: &str, lang: Lang) -> Result<ArticleFile, KbError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return Err(KbError::NoFrontMatter);
    }
    let mut consumed = text.lines().next().map_or(0, str::len) + 1;
    let (mut slug, mut category, mut title, mut summary) = (None, None, None, None);
    let (mut topics, mut keywords) = (Vec::new(), Vec::new());
    let mut closed = false;
    for (i, raw) in lines.enumerate() {
        consumed += raw.len();
        let line = raw.trim_end();
        if line == "---" {
            closed = true;
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let (k, v) = line.split_once(':').ok_or(KbError::BadLine(i + 2))?;
        let v = v.trim().to_owned();
        match k.trim() {
            "slug" => slug = Some(v),
            "category" => category = Some(v),
            "title" => title = Some(v),
            "summary" => summary = Some(v),
            "topics" => topics = split_list(&v),
            "keywords" => keywords = split_list(&v),
            other => return Err(KbError::UnknownKey(other.to_owned())),
        }
    }
    if !closed {
        return Err(KbError::NoFrontMatter);
    }
    let slug = slug.ok_or(KbError::Missing("slug"))?;
    if !is_slug(&slug) {
        return Err(KbError::BadSlug(slug));
    }
    Ok(ArticleFile {
        slug,
        lang,
        category: category.ok_or(KbError::Missing("category"))?,
        topics,
        keywords,
        title: title.ok_or(KbError::Missing("title"))?,
        summary: summary.unwrap_or_default(),
        body: text
            .get(consumed.min(text.len())..)
            .unwrap_or("")
            .trim()
            .to_owned(),
    })
}

/// The demo articles compiled into the binary, in both languages.
///
/// # Errors
/// A content file that does not parse (a test checks that all do).
pub fn demo_articles() -> Result<Vec<ArticleFile>, KbError> {
    DEMO_FILES
        .iter()
        .map(|(folder, text)| {
            let lang = if *folder == "zh-CN" {
                Lang::ZhCn
            } else {
                Lang::En
            };
            parse_file(text, lang)
        })
        .collect()
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn link_allowed(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    // Relative: a path, a fragment or a query, but no scheme (`javascript:`, `data:`) and no
    // protocol-relative `//host`.
    let scheme_like = lower
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    !scheme_like && !lower.starts_with("//") && !lower.contains('\\')
}

/// Our own images only: `/static/` and then plain path segments. No `%` at all, so an escaped
/// `..` (`%2e%2e`, `%2f`) cannot climb out, no `..`, no empty segment, no backslash.
fn image_allowed(url: &str) -> bool {
    url.strip_prefix("/static/").is_some_and(|rest| {
        !rest.is_empty()
            && rest.split('/').all(|seg| {
                !seg.is_empty()
                    && seg != "."
                    && seg != ".."
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            })
    })
}

/// The article's Markdown as HTML that can be put in a page as is.
#[must_use]
pub fn render_html(markdown: &str) -> String {
    // Links and images that are not allowed lose their tag and keep their text.
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options()).flat_map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => vec![Event::Text(s)],
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let ok = link_allowed(dest_url);
            dropped.push(!ok);
            if ok { vec![e] } else { Vec::new() }
        }
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            let ok = image_allowed(dest_url);
            dropped.push(!ok);
            if ok { vec![e] } else { Vec::new() }
        }
        Event::End(TagEnd::Link | TagEnd::Image) => {
            if dropped.pop().unwrap_or(false) {
                Vec::new()
            } else {
                vec![e]
            }
        }
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => Vec::new(),
        // Outside a link, the desk's own pages named by their path ("contact us at
        // /tickets/new") become links to them.
        Event::Text(s) if dropped.is_empty() => link_site_paths(s),
        other => vec![other],
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// The desk's pages an article may name by their bare path.
const SITE_PATHS: [&str; 4] = ["/tickets/new", "/help/mnemonic-check", "/verify", "/chat"];

/// `text` with every [`SITE_PATHS`] path that stands alone (not inside a longer path or a
/// word: `/chat` in `/chatroom` or `a/chat` stays text) made a link to itself.
fn link_site_paths(text: CowStr<'_>) -> Vec<Event<'_>> {
    let linked = site_path_links(&text);
    if linked.is_empty() {
        vec![Event::Text(text)]
    } else {
        linked
    }
}

/// [`link_site_paths`]'s events, none when `whole` names no path of ours.
fn site_path_links(whole: &str) -> Vec<Event<'static>> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    for (at, path) in site_paths_in(whole) {
        if at > plain_from {
            out.push(Event::Text(CowStr::from(whole[plain_from..at].to_owned())));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::Borrowed(path),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::Borrowed(path)));
        out.push(Event::End(TagEnd::Link));
        plain_from = at + path.len();
    }
    if !out.is_empty() && plain_from < whole.len() {
        out.push(Event::Text(CowStr::from(whole[plain_from..].to_owned())));
    }
    out
}

/// Where `whole` names one of [`SITE_PATHS`] standing alone (not inside a longer path or a
/// word: `/chat` in `/chatroom` or `a/chat` stays text), in order. The one rule for bare paths:
/// the help pages ([`render_html`]) and the assistant's text ([`plain_text_with_links`]) use it.
fn site_paths_in(whole: &str) -> Vec<(usize, &'static str)> {
    let part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_');
    let mut out = Vec::new();
    let mut search_from = 0usize;
    while let Some((at, path)) = SITE_PATHS
        .iter()
        .filter_map(|p| {
            whole
                .get(search_from..)?
                .find(p)
                .map(|i| (search_from + i, *p))
        })
        .min_by_key(|(i, p)| (*i, std::cmp::Reverse(p.len())))
    {
        let end = at + path.len();
        let alone = whole[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !part(c) && c != '.')
            && whole[end..].chars().next().is_none_or(|c| !part(c));
        if alone {
            out.push((at, path));
        }
        search_from = end;
    }
    out
}

/// The article's Markdown as plain text: paragraphs, headings and list items on lines of their
/// own, no markup. Images are dropped (their alt text describes a picture the reader does not
/// see); a link keeps its text. The one Markdown stripper: the assistant's steps and retrieval
/// text use it too.
#[must_use]
pub fn plain_text(markdown: &str) -> String {
    plain(markdown, false)
}

/// As [`plain_text`], but a link to a page of this desk (`/help/…`) keeps its address as a
/// Markdown link, `[text](/path)`, and a bare path of this desk (`/tickets/new`) becomes one:
/// for text shown where such links are made links again (the assistant's steps, in the chat and
/// the ticket pages), so that "see [Transaction pending]" is still something to click. Links
/// elsewhere keep only their text.
#[must_use]
pub fn plain_text_with_links(markdown: &str) -> String {
    plain(markdown, true)
}

fn plain(markdown: &str, keep_links: bool) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_image = 0usize;
    // The address of each open link that is kept (None: the link keeps only its text).
    let mut links: Vec<Option<String>> = Vec::new();
    for e in Parser::new_ext(markdown, options()) {
        match e {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image > 0 => {}
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let keep = keep_links
                    && dest_url.starts_with('/')
                    && !dest_url.starts_with("//")
                    && !dest_url.contains([' ', ')', '(', '\\'])
                    && link_allowed(dest_url);
                if keep {
                    out.push('[');
                }
                links.push(keep.then(|| dest_url.to_string()));
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(url)) = links.pop() {
                    out.push_str("](");
                    out.push_str(&url);
                    out.push(')');
                }
            }
            // Outside a link, a page of this desk named by its bare path becomes a Markdown
            // link to it, as the help page makes it a link ([`site_paths_in`]).
            Event::Text(s) if keep_links && links.is_empty() => {
                let mut from = 0;
                for (at, path) in site_paths_in(&s) {
                    out.push_str(&s[from..at]);
                    out.push_str(&format!("[{path}]({path})"));
                    from = at + path.len();
                }
                out.push_str(&s[from..]);
            }
            Event::Text(s) | Event::Code(s) | Event::Html(s) | Event::InlineHtml(s) => {
                out.push_str(&s);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell) => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow,
            ) if !out.ends_with('\n') && !out.is_empty() => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desks_own_paths_become_links_where_they_stand_alone() {
        assert_eq!(
            render_html("请通过 /tickets/new 或邮件联系我们。"),
            "<p>请通过 <a href=\"/tickets/new\">/tickets/new</a> 或邮件联系我们。</p>\n"
        );
        assert_eq!(
            render_html("Contact us at /tickets/new. Or try /chat, or /verify"),
            "<p>Contact us at <a href=\"/tickets/new\">/tickets/new</a>. Or try \
             <a href=\"/chat\">/chat</a>, or <a href=\"/verify\">/verify</a></p>\n"
        );
        // Inside a longer path, a word, a link or code: left as it is.
        for md in [
            "see /chatroom and a/chat and https://x.example/tickets/new",
            "[the form](/tickets/new)",
            "`/tickets/new`",
        ] {
            assert_eq!(
                render_html(md).matches("<a ").count(),
                usize::from(md.starts_with('[')),
                "{md}"
            );
        }
        // Text that only looks like it is escaped as any text is.
        assert_eq!(
            render_html("/chat <b>"),
            "<p><a href=\"/chat\">/chat</a> &lt;b&gt;</p>\n"
        );
    }

    #[test]
    fn plain_text_with_links_keeps_this_desks_links_only() {
        assert_eq!(
            plain_text_with_links(
                "**状态：** 见[交易一直在等待中](/help/transaction-pending-stuck)"
            ),
            "状态： 见[交易一直在等待中](/help/transaction-pending-stuck)"
        );
        assert_eq!(
            plain_text_with_links(
                "[out](https://x.example/a) [js](javascript:alert(1)) ![i](/static/a.svg)"
            ),
            "out js"
        );
        assert_eq!(plain_text("see [a](/help/b)"), "see a");
        // A bare path of this desk becomes a link by the help page's rule, once.
        assert_eq!(
            plain_text_with_links("请通过 /tickets/new 联系我们，或打开 /chat。"),
            "请通过 [/tickets/new](/tickets/new) 联系我们，或打开 [/chat](/chat)。"
        );
        assert_eq!(
            plain_text_with_links("[the form](/tickets/new), /chatroom, a/chat, `/verify`"),
            "[the form](/tickets/new), /chatroom, a/chat, /verify"
        );
        assert_eq!(plain_text("use /tickets/new"), "use /tickets/new");
    }

    #[test]
    fn plain_text_drops_markup_and_images_and_keeps_link_text() {
        assert_eq!(
            plain_text("![alt](/x.svg) see [a](/b) **c** `d`"),
            "see a c d"
        );
        assert_eq!(plain_text("## Title"), "Title");
        assert_eq!(plain_text("- item"), "item");
    }

    #[test]
    fn every_demo_file_parses_and_both_languages_match() {
        let all = demo_articles().expect("demo content parses");
        let en: Vec<&str> = all
            .iter()
            .filter(|a| a.lang == Lang::En)
            .map(|a| a.slug.as_str())
            .collect();
        let zh: Vec<&str> = all
            .iter()
            .filter(|a| a.lang == Lang::ZhCn)
            .map(|a| a.slug.as_str())
            .collect();
        assert!(en.len() >= 30, "{}", en.len());
        assert_eq!(en, zh);
        for a in &all {
            assert!(CATEGORIES.contains(&a.category.as_str()), "{}", a.category);
            assert!(!a.body.is_empty());
            assert!(!a.body.starts_with("---"));
        }
    }

    #[test]
    fn front_matter() {
        let f = parse_file(
            "---\nslug: a-b\ncategory: fees\ntopics: x, y\ntitle: T: colon\nsummary: S\nkeywords: 转账，失败\n---\nBody\n",
            Lang::ZhCn,
        )
        .expect("parses");
        assert_eq!(f.slug, "a-b");
        assert_eq!(f.title, "T: colon");
        assert_eq!(f.topics, ["x", "y"]);
        assert_eq!(f.keywords, ["转账", "失败"]);
        assert_eq!(f.body, "Body");
        assert_eq!(
            parse_file("no front matter", Lang::En),
            Err(KbError::NoFrontMatter)
        );
        assert_eq!(
            parse_file(
                "---\nslug: Bad Slug\ncategory: x\ntitle: t\n---\n",
                Lang::En
            ),
            Err(KbError::BadSlug("Bad Slug".into()))
        );
        assert_eq!(
            parse_file("---\nauthor: me\n---\n", Lang::En),
            Err(KbError::UnknownKey("author".into()))
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = render_html("Hi <script>alert(1)</script>\n\n<div onclick=\"x\">y</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn links_and_images_are_restricted() {
        let html = render_html(
            "[a](javascript:alert(1)) [b](https://example.org/x) [c](/help/x) [d](//evil.example) \
             ![i](/static/help/a.svg) ![j](https://evil.example/t.png) [e](data:text/html,x)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains(r#"href="https://example.org/x""#), "{html}");
        assert!(html.contains(r#"href="/help/x""#), "{html}");
        assert!(html.contains(r#"src="/static/help/a.svg""#), "{html}");
        assert!(html.contains('a') && html.contains('j'), "{html}");
    }

    #[test]
    fn images_cannot_climb_out_of_static() {
        for url in [
            "/static/%2e%2e/walletdesk.db",
            "/static/%2E%2E%2Fx.png",
            "/static/../x.png",
            "/static/./x.png",
            "/static//etc/passwd",
            "/static/a\\..\\b.png",
            "/static/",
            "/staticx/a.png",
        ] {
            let html = render_html(&format!("![i]({url})"));
            assert!(!html.contains("<img"), "{url}: {html}");
        }
        let html = render_html("![ok](/static/help/send-screen_2.png)");
        assert!(
            html.contains(r#"src="/static/help/send-screen_2.png""#),
            "{html}"
        );
    }

    #[test]
    fn numbered_steps_are_an_ordered_list() {
        let html = render_html("1. Open the app.\n2. Tap **Send**.\n");
        assert!(html.contains("<ol>"), "{html}");
        assert!(html.contains("<strong>Send</strong>"), "{html}");
    }

    #[test]
    fn plain_text_has_no_markup() {
        let t = plain_text("## Steps\n\n1. Open **the app**.\n2. Tap `Send`.\n\nDone <b>now</b>.");
        assert_eq!(t, "Steps\nOpen the app.\nTap Send.\nDone <b>now</b>.");
    }
}
