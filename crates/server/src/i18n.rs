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
    fn formats_arguments() {
        let i = I18n::default();
        assert!(
            i.format(Lang::ZhCn, "ticket.number", &[("id", "42")])
                .contains("42")
        );
        assert_eq!(i.get(Lang::En, "no.such.key"), "no.such.key");
    }
}
