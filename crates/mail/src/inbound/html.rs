//! HTML → readable text, for mail that has no text/plain part (Outlook and many webmail
//! clients send HTML only).
//!
//! A small tokenizer, not a browser: the goal is the words a person wrote, in the order they
//! wrote them, with the line breaks where a block ended. Rules:
//! * `<script>`, `<style>`, `<head>`, `<title>` and comments are dropped with their content;
//! * block elements (`p`, `div`, `br`, `li`, `tr`, `h1`–`h6`, `blockquote`, `hr`, `table`) end a
//!   line; `li` starts with "- "; table cells are separated by a space;
//! * a link whose text differs from its `http(s)`/`mailto` target reads "text (url)"; other
//!   schemes (`javascript:`, `data:`) are never written out;
//! * `<img alt>` reads as the alt text in brackets;
//! * entities: the named ones mail uses, and numeric ones; unknown ones are kept as written;
//! * runs of white space fold to one space, and no more than one empty line is kept.
//!
//! Blockquotes are kept (with "> " on each line) so the quote cutter can drop them like any
//! quoted text.

/// The readable text of an HTML document or fragment.
#[must_use]
pub fn to_text(html: &str) -> String {
    let mut out = Out::default();
    let mut rest = html;
    // Open links: the href, and where their text starts in `out.text`.
    let mut links: Vec<(Option<String>, usize)> = Vec::new();
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.text(&decode_entities(rest));
            break;
        };
        if lt > 0 {
            out.text(&decode_entities(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            // A '<' that opens no tag: text.
            out.text("<");
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        match name.as_str() {
            "script" | "style" | "head" | "title" | "template" if !closing => {
                rest = skip_element(rest, &name);
            }
            "br" => out.newline(),
            "p" | "div" | "tr" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul"
            | "ol" | "section" | "article" | "header" | "footer" | "center" | "pre" | "hr" => {
                out.block();
            }
            "li" => {
                out.block();
                if !closing {
                    out.raw("- ");
                }
            }
            "td" | "th" if closing => out.text(" "),
            "blockquote" => {
                out.block();
                if closing {
                    out.quote = out.quote.saturating_sub(1);
                } else {
                    out.quote += 1;
                }
            }
            "a" if !closing => {
                let href = attribute(body, "href").map(|h| decode_entities(&h));
                links.push((href, out.buf.len()));
            }
            "a" => {
                if let Some((Some(href), start)) = links.pop() {
                    let shown = out.buf.get(start..).unwrap_or("").trim().to_owned();
                    let target = href.strip_prefix("mailto:").unwrap_or(&href);
                    let safe = href.starts_with("http://")
                        || href.starts_with("https://")
                        || href.starts_with("mailto:");
                    if safe && !shown.is_empty() && shown != target && shown != href {
                        out.text(&format!(" ({target})"));
                    } else if safe && shown.is_empty() {
                        out.text(target);
                    }
                }
            }
            "img" if !closing => {
                if let Some(alt) = attribute(body, "alt").filter(|a| !a.trim().is_empty()) {
                    out.text(&format!("[{}]", decode_entities(alt.trim())));
                }
            }
            _ => {}
        }
    }
    out.finish()
}

/// Where the tag that starts at `s[0] == '<'` ends (its '>'), skipping quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match b.get(1) {
        Some(c) if c.is_ascii_alphabetic() || *c == b'/' || *c == b'!' || *c == b'?' => {}
        _ => return None,
    }
    let mut quote = None;
    for (i, &c) in b.iter().enumerate().skip(1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The rest of the document after the element `name` that was just opened is closed.
fn skip_element<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    let close = format!("</{name}");
    match lower.find(&close) {
        Some(at) => {
            let after = &rest[at..];
            after.find('>').map_or("", |gt| &after[gt + 1..])
        }
        None => "",
    }
}

/// An attribute's value in a tag's text (`a href="…"`), unquoted.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[at + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let v = rest[1..].trim_start();
        return Some(match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or("").to_owned(),
            _ => v
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_owned(),
        });
    }
    None
}

/// Decodes the entities mail uses; unknown ones stay as written.
#[must_use]
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    num.parse().ok()
                };
                n.and_then(char::from_u32)
            } else {
                Some(match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
                    "mdash" => '—',
                    "ndash" => '–',
                    "hellip" => '…',
                    "ldquo" => '“',
                    "rdquo" => '”',
                    "lsquo" => '‘',
                    "rsquo" => '’',
                    "middot" => '·',
                    "copy" => '©',
                    "reg" => '®',
                    "yen" => '¥',
                    "euro" => '€',
                    _ => return None,
                })
            };
            c.map(|c| (c, end))
        });
        if let Some((c, end)) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Out {
    buf: String,
    /// Blockquote depth: lines start with this many "> ".
    quote: usize,
    /// A space is owed before the next word.
    space: bool,
}

impl Out {
    fn at_line_start(&self) -> bool {
        self.buf.is_empty() || self.buf.ends_with('\n')
    }

    fn line_prefix(&mut self) {
        if self.at_line_start() {
            for _ in 0..self.quote {
                self.buf.push_str("> ");
            }
        }
    }

    /// Text content: white space folds to one space.
    fn text(&mut self, s: &str) {
        for (i, word) in s.split(|c: char| c.is_whitespace()).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.space && !self.at_line_start() && !self.buf.ends_with(' ') {
                self.buf.push(' ');
            }
            self.space = false;
            self.line_prefix();
            self.buf.push_str(word);
        }
    }

    fn raw(&mut self, s: &str) {
        self.line_prefix();
        self.buf.push_str(s);
        self.space = false;
    }

    fn newline(&mut self) {
        while self.buf.ends_with(' ') {
            self.buf.pop();
        }
        self.buf.push('\n');
        self.space = false;
    }

    /// Ends the line unless it is already ended.
    fn block(&mut self) {
        if !self.at_line_start() {
            self.newline();
        }
    }

    fn finish(self) -> String {
        let mut out = String::with_capacity(self.buf.len());
        let mut empty = 0;
        for line in self.buf.lines() {
            let line = line.trim_end();
            if line.trim_start_matches("> ").trim().is_empty() {
                empty += 1;
                if empty > 1 || out.is_empty() {
                    continue;
                }
                out.push('\n');
            } else {
                empty = 0;
                out.push_str(line);
                out.push('\n');
            }
        }
        out.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_scripts_and_styles_vanish() {
        let html = "<html><head><title>t</title><style>p{color:red}</style></head><body>\
            <p>您好，</p><div>我的 USDT   转账<br>一直 pending</div>\
            <script>alert('x')</script><!-- a comment --><p>谢谢</p></body></html>";
        assert_eq!(to_text(html), "您好，\n我的 USDT 转账\n一直 pending\n谢谢");
    }

    #[test]
    fn links_read_text_then_url_and_unsafe_schemes_are_not_written() {
        let html = r#"See <a href="https://example.com/tx/1">the explorer</a>, <a href="https://a.b/">https://a.b/</a> and <a href='javascript:evil()'>click</a>, mail <a href="mailto:x@y.z">x@y.z</a>."#;
        assert_eq!(
            to_text(html),
            "See the explorer (https://example.com/tx/1), https://a.b/ and click, mail x@y.z."
        );
    }

    #[test]
    fn entities_lists_images_and_quotes() {
        let html = "<ul><li>A &amp; B</li><li>&#20320;&#x597D;&nbsp;!</li></ul>\
            <img src=cid:1 alt=\"screenshot\"><blockquote><p>old text</p></blockquote>&bogus; 1 &lt; 2";
        assert_eq!(
            to_text(html),
            "- A & B\n- 你好 !\n[screenshot]\n> old text\n&bogus; 1 < 2"
        );
    }

    #[test]
    fn broken_markup_loses_no_text() {
        assert_eq!(to_text("a < b and <p unclosed"), "a < b and <p unclosed");
        assert_eq!(to_text("<p>one<p>two</div></div>"), "one\ntwo");
        assert_eq!(to_text(""), "");
    }
}
