//! Help articles as the assistant sees them: the file format is the help center's
//! (`kb::parse_file`, `content/help/README.md`); this adds the assistant's topics, the steps and
//! the plain text. Reading the files is the caller's business (this crate has no I/O).

use domain::Lang;

use crate::Topic;

/// One help article in one language, as the assistant knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRef {
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    /// Where the help center shows it, e.g. `/help/restore-from-recovery-phrase`.
    pub url: String,
    pub summary: String,
    pub category: String,
    pub topics: Vec<Topic>,
    pub keywords: Vec<String>,
    pub body_markdown: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// The file itself: front matter, fields, slug (the one parser, `kb::parse_file`).
    #[error(transparent)]
    File(#[from] kb::KbError),
    #[error("front matter lacks `{0}`")]
    Missing(&'static str),
    #[error("unknown topic `{0}`")]
    UnknownTopic(String),
}

impl ArticleRef {
    /// Parses one article file with the help center's parser (`kb::parse_file`); the assistant
    /// adds that every article names at least one known topic. The URL is `/help/<slug>` (the
    /// help center adds the language).
    ///
    /// # Errors
    /// When the file does not parse, or names no topic or an unknown one.
    pub fn parse(source: &str, lang: Lang) -> Result<ArticleRef, ContentError> {
        ArticleRef::from_file(kb::parse_file(source, lang)?)
    }

    /// The assistant's view of a parsed article file.
    ///
    /// # Errors
    /// When it names no topic or an unknown one.
    pub fn from_file(file: kb::ArticleFile) -> Result<ArticleRef, ContentError> {
        let topics = file
            .topics
            .into_iter()
            .map(|t| Topic::from_key(&t).ok_or(ContentError::UnknownTopic(t)))
            .collect::<Result<Vec<_>, _>>()?;
        if topics.is_empty() {
            return Err(ContentError::Missing("topics"));
        }
        Ok(ArticleRef {
            url: format!("/help/{}", file.slug),
            slug: file.slug,
            lang: file.lang,
            title: file.title,
            summary: file.summary,
            category: file.category,
            topics,
            keywords: file.keywords,
            body_markdown: file.body,
        })
    }

    /// The numbered steps of the article's first numbered list that has at least two items,
    /// as plain text, links to other articles kept as `[title](/help/…)` (the chat and the
    /// ticket pages show them as links). A step's indented sub-items come with it, one a line after the step's
    /// own text (`"Check three things:\n- Status\n- Network"`): a step that introduces a list
    /// ("…:") is nothing without it.
    #[must_use]
    pub fn steps(&self) -> Vec<String> {
        let mut lists: Vec<Vec<String>> = vec![Vec::new()];
        for line in self.body_markdown.lines() {
            let numbered = line
                .split_once(". ")
                .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            match numbered {
                Some((_, item)) => {
                    if let Some(cur) = lists.last_mut() {
                        cur.push(step_text(item));
                    }
                }
                None if line.starts_with(' ') => {
                    // A sub-item or a wrapped line of the current step.
                    let sub = line.trim_start();
                    if let Some(step) = lists.last_mut().and_then(|l| l.last_mut()) {
                        let item = sub
                            .strip_prefix("- ")
                            .or_else(|| sub.strip_prefix("* "))
                            .map(step_text);
                        match item {
                            Some(item) => {
                                step.push_str("\n- ");
                                step.push_str(&item);
                            }
                            None => {
                                step.push(' ');
                                step.push_str(&step_text(sub));
                            }
                        }
                    }
                }
                None if line.trim().is_empty() => {}
                None => lists.push(Vec::new()),
            }
        }
        lists.into_iter().find(|l| l.len() >= 2).unwrap_or_default()
    }

    /// The body without Markdown markup.
    #[must_use]
    pub fn body_text(&self) -> String {
        self.body_markdown
            .lines()
            .filter(|l| !l.trim_start().starts_with('|') || l.contains(char::is_alphanumeric))
            .map(plain)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// One line of Markdown as plain text (`kb::plain_text`, the one stripper).
fn plain(line: &str) -> String {
    kb::plain_text(line)
}

/// One line of a step: plain text with this desk's links kept, and no space after a Chinese
/// colon (`**状态：** 成功` is "状态：成功", not "状态： 成功").
fn step_text(line: &str) -> String {
    kb::plain_text_with_links(line).replace("： ", "：")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---\nslug: s\ncategory: fees\ntopics: insufficient_fee, feature_howto\n\
        title: T\nsummary: S.\nkeywords: a, b\n---\nIntro.\n\n## Fix\n\n1. Read **the** error.\n\
        2. Get coin, see [receive](/help/receive).\n   - sub item\n3. Retry.\n";

    #[test]
    fn parses_front_matter_and_steps() {
        let a = ArticleRef::parse(SAMPLE, Lang::En).unwrap();
        assert_eq!(a.topics, vec![Topic::InsufficientFee, Topic::FeatureHowto]);
        assert_eq!(a.url, "/help/s");
        assert_eq!(
            a.steps(),
            vec![
                "Read the error.",
                "Get coin, see [receive](/help/receive).\n- sub item",
                "Retry."
            ]
        );
    }

    #[test]
    fn plain_drops_images_and_links() {
        assert_eq!(plain("![alt](/x.svg) see [a](/b) **c**"), "see a c");
    }
}
