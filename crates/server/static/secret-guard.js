// Warns before a recovery phrase or private key leaves the device.
//
// Every box a user types into carries `data-secret-guard` (`="tx_hash"` for the transaction
// hash field). As the user types or pastes, the text is checked here, in the page, with the
// offline mnemonic check's wordlists and word reading (mnemonic/check.js) — nothing is sent
// anywhere to check it. When it looks like a recovery phrase or a private key, an alert says so
// at once, and its button replaces the secret with the marker the server writes
// (`[recovery phrase removed: 12 words]`). While the alert shows, `flagged(box)` is true: the
// search-as-you-type and field-check scripts send nothing, and a form is not sent until the
// secret is removed (a second press sends it anyway; the server removes it too, and stays the
// authority).
//
// What counts (the server's `query_guard.rs` applies the same phrase rule to search queries):
// * a phrase: at least FRAGMENT_WORDS words of one wordlist in a row — numbers, commas and
//   newlines between them allowed — with at most one word in any eight that is not in the list
//   but starts like a list word (a misspelling); Chinese characters written apart count as
//   words;
// * Chinese written together: 12 list characters in a row that hold at most one frequent
//   two-character word (zh-words.js, from jieba's dictionary), no more than 3 of the 100 most
//   frequent characters, at least 4 outside the 512 most frequent, and 11 different ones —
//   ordinary Chinese is made of words, a phrase of characters drawn at random (measured in
//   tools/gen_zh_words_js.py);
// * a WIF key (51 Base58 characters from 5 or 9, 52 from K, L or c), an extended private key
//   (xprv, tprv, yprv, zprv, uprv, vprv…), or 64 hex digits by the wallet crate's context rule:
//   the nearest label before it decides (private key / 私钥 ⇒ key; txid, transaction, 交易… ⇒
//   hash); without a label, bare digits are a key and 0x-prefixed ones a hash — and in the
//   transaction hash field, a hash.

import { keyIn, LIST_NAMES, listHasPrefix, readWords } from "./mnemonic/check.js";
import { ZH_WORDS } from "./zh-words.js";

export const FRAGMENT_WORDS = 8;
const VALID_COUNTS = [12, 15, 18, 21, 24];
const CHINESE = LIST_NAMES.map((n) => n === "chinese_simplified" || n === "chinese_traditional");
const ZH_S = LIST_NAMES.indexOf("chinese_simplified");
const ZH_T = LIST_NAMES.indexOf("chinese_traditional");
const SCRIPT_OF = LIST_NAMES.map((n) =>
  n.startsWith("chinese") ? "han" : n === "japanese" ? "kana" : n === "korean" ? "hangul" : "alpha",
);
/** Longer texts are checked at most this often while typing (ms); shorter ones at once. */
const LARGE = 20000;

// ---------------------------------------------------------------------------------------------
// Finding secrets

function fits(li, w, prev) {
  if (w.script !== SCRIPT_OF[li]) return false;
  // Chinese characters written together are prose, or a phrase for the rarity rule below.
  if (w.script === "han" && prev && prev.script === "han" && prev.end === w.start) return false;
  return true;
}

function listed(li, w) {
  if (CHINESE[li]) return w.index[ZH_S] !== null || w.index[ZH_T] !== null;
  return w.index[li] !== null;
}

function misspelled(li, w) {
  if (CHINESE[li]) return false;
  const key = [...keyIn(li, w.text)];
  return key.length >= 3 && key.length <= 12 && listHasPrefix(li, key.slice(0, 3).join(""));
}

/** Phrases and fragments of one list: `[{kind: "phrase", start, end, words}]`. */
function phraseRuns(words, li) {
  const out = [];
  // A run: list words and misspellings, never two misspellings in a row.
  let run = [];
  const close = () => {
    // The longest stretch with at most one misspelling, in list words.
    let best = 0;
    let before = 0;
    let since = 0;
    for (const r of run) {
      if (r.hit) since += 1;
      else [before, since] = [since, 0];
      best = Math.max(best, before + since);
    }
    if (best >= FRAGMENT_WORDS) {
      let a = run.findIndex((r) => r.hit);
      let b = run.length - 1 - [...run].reverse().findIndex((r) => r.hit);
      let n = b - a + 1;
      // A misspelled first or last word is part of the phrase when it makes a phrase's length.
      if (a > 0 && VALID_COUNTS.includes(n + 1)) [a, n] = [a - 1, n + 1];
      if (b < run.length - 1 && VALID_COUNTS.includes(n + 1)) [b, n] = [b + 1, n + 1];
      out.push({ kind: "phrase", start: run[a].w.start, end: run[b].w.end, words: n });
    }
    run = [];
  };
  let prev = null;
  for (const w of words) {
    const ok = fits(li, w, prev);
    prev = w;
    if (ok && listed(li, w)) run.push({ w, hit: true });
    else if (ok && misspelled(li, w)) {
      if (run.length > 0 && !run[run.length - 1].hit) close(); // two in a row end the run
      run.push({ w, hit: false });
    } else close();
  }
  close();
  return out;
}

/** Chinese written together that is as rare as a random phrase (see the top of the file). */
let zhWords = null;
function zhWord(a, b) {
  if (zhWords === null) {
    zhWords = new Set();
    const chars = [...ZH_WORDS];
    for (let i = 0; i + 1 < chars.length; i += 2) zhWords.add(chars[i] + chars[i + 1]);
  }
  return zhWords.has(a + b);
}

function chineseTogether(words) {
  const out = [];
  let seq = [];
  const close = () => {
    let cur = null;
    for (let i = 0; i + 12 <= seq.length; i++) {
      const chars = seq.slice(i, i + 12);
      const win = chars.map((w) => Math.min(w.index[ZH_S] ?? 4096, w.index[ZH_T] ?? 4096));
      let pairs = 0;
      for (let k = 0; k + 1 < 12; k++) if (zhWord(chars[k].text, chars[k + 1].text)) pairs += 1;
      const common = win.filter((x) => x < 100).length;
      const rare = win.filter((x) => x >= 512).length;
      const ok = pairs <= 1 && common <= 3 && rare >= 4 && new Set(win).size >= 11;
      if (ok && cur && i <= cur.last) cur.last = i + 11;
      else if (ok) {
        if (cur) out.push(cur);
        cur = { first: i, last: i + 11 };
      }
    }
    if (cur) out.push(cur);
    for (const c of out.splice(0)) {
      found.push({ kind: "phrase", start: seq[c.first].start, end: seq[c.last].end, words: c.last - c.first + 1 });
    }
    seq = [];
  };
  const found = [];
  for (const w of words) {
    const listed = w.script === "han" && (w.index[ZH_S] !== null || w.index[ZH_T] !== null);
    const last = seq[seq.length - 1];
    if (listed && (!last || last.end === w.start)) seq.push(w);
    else {
      close();
      if (listed) seq.push(w);
    }
  }
  close();
  return found;
}

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
const XPRV = /^(xprv|tprv|yprv|zprv|Yprv|Zprv|uprv|vprv)/;
const KEY_LABEL =
  /(private[\s_-]?key|priv[\s_-]?key|secret[\s_-]?key|\bsecret\b|\bkey\s*[:=]|\bpk\b|私钥|密钥|秘钥|私匙|私鑰|密鑰)/gi;
const TX_LABEL =
  /(txid|tx[\s_-]?id|tx[\s_-]?hash|\btx\s*:|transaction|\bhash\b|signature|explorer|\/txs?\/|sha256|checksum|digest|fingerprint|withdrawal|deposit|broadcast|speed up|pending|\bsent\b|transfer|payment|交易|哈希|转账|浏览器|签名|校验值|指纹|提币|充值|广播|加速|确认|到账|打包|付款)/gi;

function lastMatchEnd(re, s) {
  let end = -1;
  re.lastIndex = 0;
  for (const m of s.matchAll(re)) end = m.index + m[0].length;
  return end;
}

/** Private keys: `[{kind: "key", start, end}]`. */
function keys(text, field) {
  const out = [];
  for (const m of text.matchAll(/[A-Za-z0-9]+/g)) {
    const t = m[0];
    const start = m.index;
    const end = start + t.length;
    let key = false;
    if (BASE58.test(t)) {
      key =
        (t.length === 51 && "59".includes(t[0])) ||
        (t.length === 52 && "KLc".includes(t[0])) ||
        (XPRV.test(t) && t.length >= 100 && t.length <= 120);
    }
    if (!key && /^(0x)?[0-9a-fA-F]{64}$/.test(t) && !/^(0x)?0{64}$/.test(t)) {
      const back = text.slice(Math.max(0, start - 80), start);
      const k = lastMatchEnd(KEY_LABEL, back);
      const x = lastMatchEnd(TX_LABEL, back);
      if (k >= 0 || x >= 0) key = k >= x;
      else key = field !== "tx_hash" && !t.startsWith("0x");
    }
    if (key) out.push({ kind: "key", start, end });
  }
  return out;
}

/** Every secret in `text`, sorted, not overlapping: `[{kind, start, end, words?}]`. */
export function findSecrets(text, field = "") {
  if (!text || text.trim().length === 0) return [];
  const words = readWords(text);
  let all = keys(text, field);
  if (words.length >= FRAGMENT_WORDS) {
    LIST_NAMES.forEach((_, li) => {
      if (CHINESE[li] && li === ZH_T) return; // The two Chinese lists are read together below.
      all = all.concat(phraseRuns(words, li));
    });
  }
  if (words.length >= 12) all = all.concat(chineseTogether(words));
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged = [];
  for (const f of all) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      if (f.kind === "phrase") [last.kind, last.words] = ["phrase", Math.max(last.words || 0, f.words)];
    } else merged.push({ ...f });
  }
  return merged;
}

/** Whether the text is mostly Chinese or Japanese (the wallet crate's `mostly_cjk`). */
function mostlyCjk(text) {
  let cjk = 0;
  let latin = 0;
  for (const c of text) {
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(c)) cjk += 1;
    else if (/[A-Za-z]/.test(c)) latin += 1;
  }
  return cjk * 4 > latin;
}

/** The wallet crate's markers (redact.rs `marker`), so the server recognises them. */
function marker(f, zh) {
  if (f.kind === "phrase") return zh ? `[已删除助记词：${f.words} 个词]` : `[recovery phrase removed: ${f.words} words]`;
  return zh ? "[已删除私钥]" : "[private key removed]";
}

/** `text` with every secret replaced by its marker. */
export function removeSecrets(text, field = "") {
  const found = findSecrets(text, field);
  const zh = mostlyCjk(text);
  let out = "";
  let pos = 0;
  for (const f of found) {
    out += text.slice(pos, f.start) + marker(f, zh);
    pos = f.end;
  }
  return out + text.slice(pos);
}

// ---------------------------------------------------------------------------------------------
// The page

const page = typeof document !== "undefined"; // Not under Node (the detector's own tests).
const strings = new Map();
if (page) {
  for (const el of document.querySelectorAll("#secret-guard-strings [data-key]")) {
    strings.set(el.dataset.key, el.textContent);
  }
}
const t = (key) => strings.get(key) ?? key;

const state = new WeakMap();

/** Words of one list in a row from which search-as-you-type stays quiet (no warning yet). */
export const QUIET_WORDS = 5;

/**
 * Whether search-as-you-type should send nothing from `box`: it holds a secret, or already
 * QUIET_WORDS list words of one language in a row — the start of a phrase being typed word by
 * word, which would otherwise go out one prefix at a time before the warning shows. Ordinary
 * queries rarely hold five list words in a row; the search still runs when the form is sent.
 */
export function quiet(box) {
  if (flagged(box)) return true;
  const words = readWords(box.value);
  return LIST_NAMES.some((_, li) => {
    let run = 0;
    let prev = null;
    for (const w of words) {
      run = fits(li, w, prev) && listed(li, w) ? run + 1 : 0;
      prev = w;
      if (run >= QUIET_WORDS) return true;
    }
    return false;
  });
}

/** Whether `box` holds what looks like a secret right now: send nothing from it. */
export function flagged(box) {
  const s = state.get(box);
  if (s) return s.found.length > 0;
  return box ? findSecrets(box.value, box.dataset.secretGuard).length > 0 : false;
}

let seq = 0;

function attach(box) {
  if (state.has(box)) return state.get(box);
  const alert = document.createElement("div");
  alert.className = "secret-alert-slot";
  alert.id = `secret-alert-${++seq}`;
  alert.setAttribute("role", "alert");
  alert.setAttribute("aria-live", "assertive");
  box.insertAdjacentElement("afterend", alert);
  const described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  box.setAttribute("aria-describedby", [...described, alert.id].join(" "));
  const s = { found: [], shownKind: "", alert, blockedOnce: false };
  state.set(box, s);

  const render = () => {
    const kinds = new Set(s.found.map((f) => f.kind));
    const kind = kinds.size === 0 ? "" : kinds.has("phrase") ? "phrase" : "key";
    if (kind === s.shownKind) return; // Re-announce only when what is found changes.
    s.shownKind = kind;
    alert.replaceChildren();
    alert.classList.toggle("card", kind !== "");
    alert.classList.toggle("secret-alert", kind !== "");
    if (!kind) return;
    const p1 = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = t(kind === "phrase" ? "phrase" : "key");
    p1.append(strong);
    const p2 = document.createElement("p");
    p2.textContent = t("body");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button secret-remove";
    button.textContent = t("remove");
    button.addEventListener("click", () => {
      box.value = removeSecrets(box.value, box.dataset.secretGuard);
      check();
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.focus();
    });
    alert.append(p1, p2, button);
  };
  let timer = null;
  const check = () => {
    timer = null;
    s.found = findSecrets(box.value, box.dataset.secretGuard);
    if (s.found.length === 0) s.blockedOnce = false;
    box.toggleAttribute("data-secret-found", s.found.length > 0);
    render();
  };
  // Listeners added by this module run before those of the scripts that import it.
  box.addEventListener("input", () => {
    if (box.value.length < LARGE) check();
    else if (timer === null) timer = setTimeout(check, 150);
  });
  const form = box.form;
  if (form) {
    form.addEventListener("submit", (ev) => {
      check();
      if (s.found.length === 0) return;
      // A search box sends its text in the URL: never. A message is held once; the server
      // removes secrets from what it receives.
      if (box.type === "search" || !s.blockedOnce) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        s.blockedOnce = true;
        const button = alert.querySelector("button");
        if (button) button.focus();
      }
    });
  }
  if (box.value) check();
  return s;
}

if (page) for (const box of document.querySelectorAll("[data-secret-guard]")) attach(box);
