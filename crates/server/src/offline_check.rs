//! The offline mnemonic check: one self-contained HTML file a user downloads from the official
//! site (`GET /help/mnemonic-check/download`), checks against its published SHA-256 and opens
//! with the network off; `walletdesk offline-check` writes the same bytes.
//!
//! It is made from the very sources the help center serves — the package
//! (`packages/mnemonic-check/index.js`, `wordlists.js`), the page script
//! (`static/mnemonic/page.js`) and the `mcheck.*`/`offline.*` strings of both languages — so it
//! cannot drift from them. It depends on nothing configurable (no brand, no URL), so every desk of
//! one version serves the same bytes and the SHA-256 in `offline-check.sha256` (`sha256sum`
//! format, checked by a test) is the published one.
//!
//! No network code: the ES modules are inlined as classic scripts (their `import` lines dropped,
//! `export` keywords removed, each in its own function scope), nothing has a `src` or an `href`,
//! and a Content-Security-Policy in the file allows only its one inline script and one inline
//! style, by hash, and no connection at all. The browser test opens the file from disk with
//! every request recorded.

use std::sync::OnceLock;

use askama::Template;
use domain::Lang;
use sha2::{Digest, Sha256};

use crate::i18n::I18n;

const INDEX_JS: &str = include_str!("../../../packages/mnemonic-check/index.js");
const WORDLISTS_JS: &str = include_str!("../../../packages/mnemonic-check/wordlists.js");
const PAGE_JS: &str = include_str!("../static/mnemonic/page.js");

/// The published digest, `sha256sum` format: `<hex>  <file name>`.
pub const PUBLISHED_SHA256: &str = include_str!("../offline-check.sha256");

/// The strings the file shows before its script runs (English; the script switches).
const STATIC_KEYS: &[&str] = &[
    "offline.title",
    "offline.network",
    "offline.verify",
    "offline.after",
    "mcheck.lead",
    "mcheck.noscript",
    "mcheck.label",
    "mcheck.hint",
    "mcheck.check",
    "mcheck.clear",
];

/// The language switch: sets `<html lang>`, the `data-t` texts and the strings `page.js`
/// reads, and redoes a check already shown. Starts in Chinese when the browser prefers it.
const SWITCH_JS: &str = r#"(() => {
  "use strict";
  const box = document.getElementById("mcheck-strings");
  function use(lang) {
    const table = STRINGS[lang];
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll("[data-t]")) el.textContent = table[el.dataset.t];
    box.replaceChildren(
      ...Object.entries(table).map(([k, v]) => {
        const s = document.createElement("span");
        s.dataset.key = k;
        s.textContent = v;
        return s;
      }),
    );
    for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    const results = document.getElementById("mcheck-results");
    if (!results.hidden && document.getElementById("mcheck-input").value.trim() !== "") {
      document.getElementById("mcheck-form").requestSubmit();
    }
  }
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => use(b.dataset.lang));
  use((navigator.language || "").toLowerCase().startsWith("zh") ? "zh-CN" : "en");
})();"#;

const STYLE: &str = "\
:root{color-scheme:light dark;font-family:system-ui,-apple-system,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;line-height:1.55}\
body{margin:0;padding:1rem}main{max-width:46rem;margin:0 auto}\
h1{font-size:1.5rem}label{display:block;font-weight:600;margin:.5rem 0}\
textarea{box-sizing:border-box;width:100%;font:inherit;font-size:1rem;padding:.5rem}\
button{font:inherit;padding:.4rem .9rem;margin:0 .4rem .4rem 0;cursor:pointer}\
button[aria-pressed=true]{font-weight:700}\
.warn{border:2px solid #b45309;border-radius:6px;padding:.6rem .8rem}\
.card{border:1px solid #8886;border-radius:6px;padding:.4rem .8rem;margin:.5rem 0}\
.meta{opacity:.8;font-size:.9rem}.errors,.mcheck-bad{color:#b91c1c}.mcheck-ok{color:#15803d}\
@media (prefers-color-scheme:dark){.errors,.mcheck-bad{color:#f87171}.mcheck-ok{color:#4ade80}}";

/// The file's English texts, as the template shows them before the script runs.
struct Texts {
    title: String,
    network: String,
    verify: String,
    after: String,
    lead: String,
    noscript: String,
    label: String,
    hint: String,
    check: String,
    clear: String,
}

#[derive(Template)]
#[template(path = "offline_check.html")]
struct OfflineCheck<'a> {
    csp: String,
    style: &'a str,
    script: &'a str,
    version: &'a str,
    en: Texts,
}

/// The package's version, from its `VERSION` export.
#[must_use]
pub fn version() -> &'static str {
    INDEX_JS
        .lines()
        .find_map(|l| l.strip_prefix("export const VERSION = \""))
        .and_then(|rest| rest.strip_suffix("\";"))
        .expect("packages/mnemonic-check/index.js exports VERSION")
}

/// The name the file is downloaded and published under.
#[must_use]
pub fn file_name() -> String {
    format!("walletdesk-mnemonic-check-{}.html", version())
}

/// An ES module as the body of a classic script: `import` lines dropped (what they imported is
/// in scope), `export` keywords removed.
fn module_body(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.lines() {
        if line.starts_with("import ") {
            continue;
        }
        out.push_str(line.strip_prefix("export ").unwrap_or(line));
        out.push('\n');
    }
    out
}

fn strings_json(i18n: &I18n) -> String {
    let keys: Vec<&str> = crate::routes::help::mnemonic_check::SCRIPT_STRINGS
        .iter()
        .chain(STATIC_KEYS)
        .copied()
        .collect();
    let table = |lang| -> serde_json::Map<String, serde_json::Value> {
        keys.iter()
            .map(|k| ((*k).to_owned(), i18n.get(lang, k).into()))
            .collect()
    };
    let all = serde_json::json!({ "en": table(Lang::En), "zh-CN": table(Lang::ZhCn) });
    // Inside <script>: no "</" can close it.
    all.to_string().replace('<', "\\u003c")
}

fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The file, built once per process (it depends only on compiled-in sources).
#[must_use]
pub fn html() -> &'static str {
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| render(&I18n::default()))
}

/// The file's SHA-256, lower-case hex.
#[must_use]
pub fn sha256_hex() -> &'static str {
    static SHA: OnceLock<String> = OnceLock::new();
    SHA.get_or_init(|| {
        Sha256::digest(html().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    })
}

fn render(i18n: &I18n) -> String {
    let script = format!(
        "\n\"use strict\";\nconst STRINGS = {strings};\nconst {{ CheckError, checkMnemonic }} = (() => {{\nconst {{ WORDLISTS }} = (() => {{\n{wordlists}return {{ WORDLISTS }};\n}})();\n{index}return {{ CheckError, checkMnemonic }};\n}})();\n(() => {{\n{page}}})();\n{switch}\n",
        strings = strings_json(i18n),
        wordlists = module_body(WORDLISTS_JS),
        index = module_body(INDEX_JS),
        page = module_body(PAGE_JS),
        switch = SWITCH_JS,
    );
    assert!(
        !script.to_ascii_lowercase().contains("</script"),
        "an inlined source would close the script element"
    );
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
        csp_hash(&script),
        csp_hash(STYLE)
    );
    let t = |k: &str| i18n.get(Lang::En, k);
    let page = OfflineCheck {
        csp,
        style: STYLE,
        script: &script,
        version: version(),
        en: Texts {
            title: t("offline.title"),
            network: t("offline.network"),
            verify: t("offline.verify"),
            after: t("offline.after"),
            lead: t("mcheck.lead"),
            noscript: t("mcheck.noscript"),
            label: t("mcheck.label"),
            hint: t("mcheck.hint"),
            check: t("mcheck.check"),
            clear: t("mcheck.clear"),
        },
    };
    page.render().expect("the offline check template renders")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn modules_become_plain_scripts() {
        let body = module_body(
            "import { A } from \"./a.js\";\nexport const B = 1;\nexport function f() {}\nconst exportX = 2;\n",
        );
        assert_eq!(body, "const B = 1;\nfunction f() {}\nconst exportX = 2;\n");
    }

    #[test]
    fn the_sources_use_only_the_export_forms_module_body_understands() {
        for src in [INDEX_JS, WORDLISTS_JS, PAGE_JS] {
            for line in src.lines() {
                assert!(
                    !line.starts_with("export {") && !line.starts_with("export default"),
                    "{line}"
                );
                assert!(!line.contains("import("), "{line}");
            }
        }
    }
}
