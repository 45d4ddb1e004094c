//! Every string a person reads, in 简体中文 and English, from `locales/*.ftl`.
//!
//! Each part of the desk has its own pair of files (`locales/<part>.en.ftl`,
//! `locales/<part>.zh-CN.ftl`), listed in [`FILES`]. They are [Fluent](https://projectfluent.org)
//! resources, read by `fluent-bundle`: `{ $name }` is an argument, and English plurals are
//! selectors (`{ $n -> [one] … *[other] … }`; an argument that is a whole number is passed as a
//! number so the plural rules apply). Code names a message with dots (`agent.inbox.total`);
//! Fluent identifiers cannot hold dots, so the files spell it with dashes (`agent-inbox-total`).
//! Both files must have the same keys and arguments, and every file must parse; tests check it.
//! A missing key renders as the key itself, so a gap is visible rather than silent.

use std::collections::{BTreeSet, HashMap};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

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
    (
        include_str!("../locales/audit.en.ftl"),
        include_str!("../locales/audit.zh-CN.ftl"),
    ),
];

/// One language's messages.
struct Table {
    bundle: FluentBundle<FluentResource>,
    /// Message id (dashed) → the names of the arguments it uses.
    args: HashMap<String, BTreeSet<String>>,
    /// Message ids in file order, duplicates included (for [`I18n::duplicate_keys`]).
    ids: Vec<String>,
    /// Parse errors, as "file N: error" (a test asserts there are none).
    errors: Vec<String>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("messages", &self.args.len())
            .finish()
    }
}

fn walk_inline(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => walk_expr(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                walk_inline(a, out);
            }
            for a in &arguments.named {
                walk_inline(&a.value, out);
            }
        }
        _ => {}
    }
}

fn walk_expr(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => walk_inline(i, out),
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, out);
            for v in variants {
                walk_pattern(&v.value, out);
            }
        }
    }
}

fn walk_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            walk_expr(expression, out);
        }
    }
}

impl Table {
    fn new(lang: Lang, texts: impl Iterator<Item = &'static str>) -> Table {
        let locale = match lang {
            Lang::En => unic_langid::langid!("en"),
            Lang::ZhCn => unic_langid::langid!("zh-CN"),
        };
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Pages and mails are not mixed-direction text: no isolation marks around arguments.
        bundle.set_use_isolating(false);
        let mut table = Table {
            bundle,
            args: HashMap::new(),
            ids: Vec::new(),
            errors: Vec::new(),
        };
        for (n, text) in texts.enumerate() {
            let resource =
                FluentResource::try_new(text.to_owned()).unwrap_or_else(|(res, errs)| {
                    table
                        .errors
                        .extend(errs.iter().map(|e| format!("file {n}: {e:?}")));
                    res
                });
            for entry in resource.entries() {
                if let ast::Entry::Message(m) = entry {
                    let mut used = BTreeSet::new();
                    if let Some(p) = &m.value {
                        walk_pattern(p, &mut used);
                    }
                    table.ids.push(m.id.name.to_owned());
                    table.args.insert(m.id.name.to_owned(), used);
                }
            }
            // A duplicate id is reported by `duplicate_keys`; the first definition stays.
            table.bundle.add_resource_overriding(resource);
        }
        table
    }

    /// The message rendered with `args`; an argument the caller did not pass shows as
    /// `{name}`, so a page script can fill it (the mnemonic check does).
    fn render(&self, id: &str, args: &[(&str, &str)]) -> Option<String> {
        let message = self.bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut fa = FluentArgs::new();
        if let Some(names) = self.args.get(id) {
            for name in names {
                let value = args.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
                match value {
                    Some(v) => fa.set(name.clone(), number_or_string(v)),
                    None => fa.set(name.clone(), FluentValue::from(format!("{{{name}}}"))),
                }
            }
        }
        let mut errors = Vec::new();
        Some(
            self.bundle
                .format_pattern(pattern, Some(&fa), &mut errors)
                .into_owned(),
        )
    }
}

/// A whole number written the usual way is a number (so `[one]` can match it); anything else,
/// such as `007`, `1e3` or an id too large for a float, stays text exactly as given.
fn number_or_string(v: &str) -> FluentValue<'static> {
    match v.parse::<i64>() {
        Ok(n) if n.unsigned_abs() < (1 << 53) && n.to_string() == v => FluentValue::from(n),
        _ => FluentValue::from(v.to_owned()),
    }
}

fn id(key: &str) -> String {
    key.replace('.', "-")
}

/// Both languages' messages.
#[derive(Debug)]
pub struct I18n {
    en: Table,
    zh: Table,
}

impl Default for I18n {
    fn default() -> Self {
        I18n {
            en: Table::new(Lang::En, FILES.iter().map(|f| f.0)),
            zh: Table::new(Lang::ZhCn, FILES.iter().map(|f| f.1)),
        }
    }
}

impl I18n {
    fn table(&self, lang: Lang) -> &Table {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh,
        }
    }

    /// Every message of both languages rendered with its arguments as `{name}`: (language,
    /// key with dots, text). For the content tests.
    pub fn entries(&self) -> impl Iterator<Item = (Lang, String, String)> + '_ {
        [Lang::En, Lang::ZhCn].into_iter().flat_map(move |lang| {
            let table = self.table(lang);
            let mut keys: Vec<&String> = table.args.keys().collect();
            keys.sort();
            keys.into_iter().map(move |k| {
                let text = table.render(k, &[]).unwrap_or_default();
                (lang, k.replace('-', "."), text)
            })
        })
    }

    #[must_use]
    pub fn get(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, &[])
    }

    #[must_use]
    pub fn format(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let id = id(key);
        self.table(lang)
            .render(&id, args)
            .or_else(|| self.en.render(&id, args))
            .unwrap_or_else(|| key.to_owned())
    }

    /// Whether `key` exists (for optional, per-code messages).
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.en.args.contains_key(&id(key))
    }

    /// Keys defined more than once in one language's files: only one definition can win
    /// (a test asserts this is empty).
    #[must_use]
    pub fn duplicate_keys() -> Vec<String> {
        let i = I18n::default();
        let mut out = Vec::new();
        for table in [&i.en, &i.zh] {
            let mut seen = std::collections::HashSet::new();
            for k in &table.ids {
                if !seen.insert(k) {
                    out.push(k.replace('-', "."));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// What the Fluent parser refused, per language and file (a test asserts this is empty).
    #[must_use]
    pub fn parse_errors(&self) -> Vec<String> {
        self.en
            .errors
            .iter()
            .chain(&self.zh.errors)
            .cloned()
            .collect()
    }

    /// Keys whose argument names differ between the languages: one of them would show a raw
    /// `{name}` or drop a value (a test asserts this is empty).
    #[must_use]
    pub fn mismatched_arguments(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .en
            .args
            .iter()
            .filter(|(k, a)| self.zh.args.get(*k).is_some_and(|z| z != *a))
            .map(|(k, _)| k.replace('-', "."))
            .collect();
        out.sort();
        out
    }

    /// Keys in one file but not the other (a test asserts this is empty).
    #[must_use]
    pub fn mismatched_keys(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .en
            .args
            .keys()
            .filter(|k| !self.zh.args.contains_key(*k))
            .chain(
                self.zh
                    .args
                    .keys()
                    .filter(|k| !self.en.args.contains_key(*k)),
            )
            .map(|k| k.replace('-', "."))
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

    /// The message `key`, when there is one: for labels of open-ended codes (a channel kind an
    /// admin made up, an action recorded before it had a label) that fall back to the code.
    #[must_use]
    pub fn try_get(&self, key: &str) -> Option<String> {
        self.i18n.has(key).then(|| self.get(key))
    }

    /// `inner` in brackets after a word: full-width and without a space in Chinese
    /// (`未分配（9）`), ` (9)` in English.
    #[must_use]
    pub fn paren(&self, inner: &str) -> String {
        if self.is_zh() {
            format!("（{inner}）")
        } else {
            format!(" ({inner})")
        }
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
    fn every_file_is_fluent() {
        assert_eq!(I18n::default().parse_errors(), Vec::<String>::new());
    }

    #[test]
    fn english_plurals_follow_the_number() {
        let i = I18n::default();
        assert_eq!(
            i.format(Lang::En, "agent.inbox.total", &[("n", "1")]),
            "1 ticket"
        );
        assert_eq!(
            i.format(Lang::En, "agent.inbox.total", &[("n", "3")]),
            "3 tickets"
        );
        assert_eq!(
            i.format(Lang::ZhCn, "agent.inbox.total", &[("n", "1")]),
            "共 1 个工单"
        );
        assert_eq!(
            i.format(Lang::En, "help.views", &[("n", "1")]),
            "Viewed once"
        );
    }

    #[test]
    fn an_argument_not_given_stays_a_placeholder_for_page_scripts() {
        let i = I18n::default();
        assert_eq!(
            i.get(Lang::En, "mcheck.count.valid"),
            "{n} words: a valid length."
        );
    }

    #[test]
    fn text_that_only_looks_like_a_number_stays_as_typed() {
        let i = I18n::default();
        let s = i.format(Lang::En, "ticket.number", &[("id", "0042")]);
        assert!(s.contains("0042"), "{s}");
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
