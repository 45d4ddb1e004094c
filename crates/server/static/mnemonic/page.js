// The mnemonic check's page script, in the help center's demo (/help/mnemonic-check) and inlined
// in the offline file (crates/server/src/offline_check.rs): reads the phrase, runs the package
// (packages/mnemonic-check) on it in the page and shows the report. It makes no request: the
// check and the wordlists are loaded with the page, before anything is typed, and the words are
// only ever put in the page with textContent.

import { CheckError, checkMnemonic } from "./check.js";

const form = document.getElementById("mcheck-form");
const input = document.getElementById("mcheck-input");
const results = document.getElementById("mcheck-results");
const checkButton = document.getElementById("mcheck-check");
const clearButton = document.getElementById("mcheck-clear");

/** How many corrections or insertions are listed; the rest are counted. */
const SHOWN = 50;

// Read at every check: the offline file (walletdesk offline-check) switches language in place.
let strings = new Map();
function readStrings() {
  strings = new Map();
  for (const el of document.querySelectorAll("#mcheck-strings [data-key]")) {
    strings.set(el.dataset.key, el.textContent);
  }
}

/** The page's string for `key` ("mcheck." omitted), with `{name}` filled from `args`. */
function t(key, args = {}) {
  const s = strings.get("mcheck." + key) ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function list(items, render) {
  const ul = el("ul");
  for (const item of items.slice(0, SHOWN)) ul.append(el("li", render(item)));
  return ul;
}

function more(total, shown) {
  return total > shown ? el("p", t("more", { n: total - shown })) : null;
}

function render(report) {
  const out = [];
  out.push(el("h2", t("results")));
  out.push(el("p", t(report.valid_word_count ? "count.valid" : "count.invalid", { n: report.word_count })));
  out.push(
    el("p", report.language ? t("language", { language: t("lang." + report.language) }) : t("language.none")),
  );
  for (const u of report.unknown_words) {
    const div = el("div", undefined, "card mcheck-unknown");
    div.append(el("p", t("unknown", { position: u.position, word: u.word })));
    if (u.suggestions.length > 0) {
      const p = el("p", t("unknown.suggest") + " ");
      u.suggestions.forEach((s, i) => {
        if (i > 0) p.append(", ");
        p.append(el("strong", s, "mcheck-suggestion"));
      });
      div.append(p);
    } else if (report.language) {
      div.append(el("p", t("unknown.none")));
    }
    out.push(div);
  }
  for (const o of report.other_language_words) {
    const languages = o.languages.map((l) => t("lang." + l)).join(", ");
    out.push(el("p", t("other_language", { position: o.position, word: o.word, languages })));
  }
  const checksum =
    report.checksum_valid === true ? "checksum.valid" : report.checksum_valid === false ? "checksum.invalid" : "checksum.unchecked";
  out.push(el("p", t(checksum), report.checksum_valid === true ? "mcheck-ok" : "mcheck-bad"));
  if (report.swaps.length > 0) {
    out.push(el("h3", t("swaps")));
    out.push(
      list(report.swaps, (s) => t("swap", { a: s.positions[0], b: s.positions[1], wa: s.words[0], wb: s.words[1] })),
    );
  }
  if (report.extra.length > 0) {
    out.push(el("h3", t("extra")));
    out.push(list(report.extra, (x) => t("extra.item", { position: x.position, word: x.word })));
  }
  if (report.corrections.length > 0) {
    out.push(el("h3", t("corrections", { n: report.corrections.length })));
    const ul = list(report.corrections, (c) =>
      t("correction", { position: c.position, word: c.word, replacement: c.replacement }),
    );
    ul.id = "mcheck-corrections";
    out.push(ul);
    out.push(more(report.corrections.length, SHOWN));
  }
  if (report.missing_total > 0) {
    out.push(el("h3", t("missing", { n: report.missing_total })));
    out.push(list(report.missing, (m) => t("missing.item", { position: m.position, word: m.word })));
    out.push(more(report.missing_total, Math.min(SHOWN, report.missing.length)));
  }
  if (report.corrections.length > 1 || report.missing_total > 1) out.push(el("p", t("caution"), "meta"));
  return out.filter((x) => x !== null);
}

function check() {
  readStrings();
  let nodes;
  try {
    nodes = render(checkMnemonic(input.value));
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    nodes = [el("p", t("err." + e.code, { count: e.count ?? "" }), "errors")];
  }
  results.replaceChildren(...nodes);
  results.hidden = false;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  check();
});
clearButton.addEventListener("click", () => {
  input.value = "";
  results.replaceChildren();
  results.hidden = true;
  input.focus();
});
// The help center's demo: fill in a public example phrase (one word mistyped), never the user's.
const example = document.getElementById("mcheck-example");
if (example) {
  example.addEventListener("click", () => {
    input.value = example.dataset.phrase;
    check();
  });
  example.disabled = false;
}
checkButton.disabled = false;
