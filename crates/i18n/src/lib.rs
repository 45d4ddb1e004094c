//! Every string a person reads, in 简体中文 and English, from `locales/*.ftl`.
//!
//! Each part of the desk has its own pair of files (`locales/<part>.en.ftl`,
//! `locales/<part>.zh-CN.ftl`), listed in [`FILES`]. The files hold `key = value` lines (`#` starts a comment); `{name}` in a value is replaced by
//! an argument. Both files must have the same keys; a test checks it. A missing key renders as
//! the key itself, so a gap is visible rather than silent.

use std::collections::HashMap;

use domain::Lang;

/// (English, 简体中文) per part of the desk.
const FILES: &[(&str, &str)] = &[
    (
        include_str!("../locales/public.en.ftl"),
        include_str!("../locales/public.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/agent.en.ftl"),
        include_str!("../locales/agent.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/api.en.ftl"),
        include_str!("../locales/api.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/admin.en.ftl"),
        include_str!("../locales/admin.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/help.en.ftl"),
        include_str!("../locales/help.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/mcheck.en.ftl"),
        include_str!("../locales/mcheck.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/guard.en.ftl"),
        include_str!("../locales/guard.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/forms.en.ftl"),
        include_str!("../locales/forms.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/verify.en.ftl"),
        include_str!("../locales/verify.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/ownership.en.ftl"),
        include_str!("../locales/ownership.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/mail.en.ftl"),
        include_str!("../locales/mail.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/chain.en.ftl"),
        include_str!("../locales/chain.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/chat.en.ftl"),
        include_str!("../locales/chat.zh-CN.ftl"),
    ),
    (
        include_str!("../locales/desk.en.ftl"),
        include_str!("../locales/desk.zh-CN.ftl"),
    ),
];

#[derive(Debug)]
pub struct I18n {
    en: HashMap<&'static str, &'static str>,
    zh: HashMap<&'static str, &'static str>,
}

fn parse(texts: impl Iterator<Item = &'static str>) -> HashMap<&'static str, &'static str> {
    texts
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

impl Default for I18n {
    fn default() -> Self {
        I18n {
            en: parse(FILES.iter().map(|f| f.0)),
            zh: parse(FILES.iter().map(|f| f.1)),
        }
    }
}

impl I18n {
    /// Every string of both languages: (language, key, value). For the content tests.
    pub fn entries(&self) -> impl Iterator<Item = (Lang, &'static str, &'static str)> + '_ {
        let en = self.en.iter().map(|(k, v)| (Lang::En, *k, *v));
        let zh = self.zh.iter().map(|(k, v)| (Lang::ZhCn, *k, *v));
        en.chain(zh)
    }

    #[must_use]
    pub fn get(&self, lang: Lang, key: &str) -> String {
        let table = match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh,
        };
        table
            .get(key)
            .or_else(|| self.en.get(key))
            .map_or_else(|| key.to_owned(), |v| (*v).to_owned())
    }

    #[must_use]
    pub fn format(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(lang, key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// Whether `key` exists (for optional, per-code messages).
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.en.contains_key(key)
    }

    /// Keys defined more than once in one language's files: the later line would silently
    /// replace the earlier one (a test asserts this is empty).
    #[must_use]
    pub fn duplicate_keys() -> Vec<String> {
        let mut out = Vec::new();
        for texts in [
            FILES.iter().map(|f| f.0).collect::<Vec<_>>(),
            FILES.iter().map(|f| f.1).collect::<Vec<_>>(),
        ] {
            let mut seen = std::collections::HashSet::new();
            for key in texts
                .iter()
                .flat_map(|t| t.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
            {
                if !seen.insert(key) {
                    out.push(key.to_owned());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Keys whose `{argument}` names differ between the languages: one of them would show a
    /// raw `{name}` or drop a value (a test asserts this is empty).
    #[must_use]
    pub fn mismatched_arguments(&self) -> Vec<String> {
        fn args(v: &str) -> Vec<&str> {
            let mut out: Vec<&str> = v
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}').map(|(a, _)| a))
                .filter(|a| {
                    !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        }
        let mut out: Vec<String> = self
            .en
            .iter()
            .filter(|(k, v)| self.zh.get(*k).is_some_and(|z| args(z) != args(v)))
            .map(|(k, _)| (*k).to_owned())
            .collect();
        out.sort();
        out
    }

    /// Keys in one file but not the other (a test asserts this is empty).
    #[must_use]
    pub fn mismatched_keys(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .en
            .keys()
            .filter(|k| !self.zh.contains_key(*k))
            .chain(self.zh.keys().filter(|k| !self.en.contains_key(*k)))
            .map(|k| (*k).to_owned())
            .collect();
        out.sort();
        out
    }
}

/// The translations bound to one request's language, for templates: `{{ t.get("key") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr<'a> {
    pub i18n: &'a I18n,
    pub lang: Lang,
}

impl Tr<'_> {
    #[must_use]
    pub fn get(&self, key: &str) -> String {
        self.i18n.get(self.lang, key)
    }

    #[must_use]
    pub fn fmt1(&self, key: &str, name: &str, value: &str) -> String {
        self.i18n.format(self.lang, key, &[(name, value)])
    }

    /// The colon between a label and its value: full-width in Chinese (`状态：已解决`).
    #[must_use]
    pub fn colon(&self) -> &'static str {
        if self.is_zh() { "：" } else { ": " }
    }

    /// How long to wait, as a person reads it: seconds under two minutes, else whole minutes
    /// rounded up ("45 seconds", "10 minutes"; "45 秒", "10 分钟").
    #[must_use]
    pub fn wait(&self, secs: u64) -> String {
        let (n, unit) = if secs < 120 {
            (secs, if self.is_zh() { "秒" } else { "seconds" })
        } else {
            (
                secs.div_ceil(60),
                if self.is_zh() { "分钟" } else { "minutes" },
            )
        };
        format!("{n} {unit}")
    }

    /// Between the items of a list of names: `、` in Chinese.
    #[must_use]
    pub fn list_sep(&self) -> &'static str {
        if self.is_zh() { "、" } else { ", " }
    }

    /// `lang` attribute value.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.lang.as_str()
    }

    #[must_use]
    pub fn is_zh(&self) -> bool {
        self.lang == Lang::ZhCn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        assert_eq!(I18n::default().mismatched_keys(), Vec::<String>::new());
    }

    #[test]
    fn no_key_is_defined_twice() {
        assert_eq!(I18n::duplicate_keys(), Vec::<String>::new());
    }

    #[test]
    fn both_languages_take_the_same_arguments() {
        assert_eq!(I18n::default().mismatched_arguments(), Vec::<String>::new());
    }

    #[test]
    fn waits_read_in_seconds_then_minutes() {
        let i = I18n::default();
        let en = Tr {
            i18n: &i,
            lang: Lang::En,
        };
        let zh = Tr {
            i18n: &i,
            lang: Lang::ZhCn,
        };
        assert_eq!(en.wait(45), "45 seconds");
        assert_eq!(en.wait(591), "10 minutes");
        assert_eq!(zh.wait(119), "119 秒");
        assert_eq!(zh.wait(120), "2 分钟");
        assert_eq!(zh.wait(121), "3 分钟");
    }

    #[test]
    fn formats_arguments() {
        let i = I18n::default();
        assert!(
            i.format(Lang::ZhCn, "ticket.number", &[("id", "42")])
                .contains("42")
        );
        assert_eq!(i.get(Lang::En, "no.such.key"), "no.such.key");
    }
}
