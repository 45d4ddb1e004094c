// @walletdesk/mnemonic-check: the recovery-phrase self-check, for a wallet app's own restore
// screen (README.md). A port of `wallet::check::check_mnemonic`
// (crates/wallet/src/check.rs), giving the same report, field for field. The parity test
// (crates/walletdesk/tests/it/mnemonic_parity.rs) runs both on the same inputs and compares
// the JSON; change the two together.
//
// Nothing here makes a request: the words never leave the page. Offsets are UTF-16 indices
// where the crate uses byte offsets; only lengths that the crate compares against a limit are
// counted in UTF-8 bytes.

import { WORDLISTS } from "./wordlists.js";

/** The package's version (package.json, CHANGELOG.md); a test keeps the three equal. */
export const VERSION = "1.0.0";

export const MAX_INPUT_BYTES = 4096;
export const MAX_WORDS = 48;
export const MAX_MISSING = 512;
export const MAX_SUGGESTIONS = 5;
const WORDLIST_LEN = 2048;
const KANA_MAX_CHARS = 10;
const HANGUL_MAX_CHARS = 6;
const VALID_WORD_COUNTS = [12, 15, 18, 21, 24];

/** Why an input could not be checked: `code` is `empty`, `too_large` or `too_many_words`. */
export class CheckError extends Error {
  constructor(code, fields) {
    super(code);
    this.name = "CheckError";
    this.code = code;
    Object.assign(this, fields);
  }
}

// ---------------------------------------------------------------------------------------------
// Wordlists (wordlist.rs)

const LATIN = new Set(["english", "spanish", "french", "italian", "czech", "portuguese"]);

function isCombiningMark(c) {
  const cp = c.codePointAt(0);
  return cp >= 0x300 && cp <= 0x36f;
}

/** Lower-cases one code point at a time, as Rust's `char::to_lowercase` (no final-sigma rule). */
function lowerChars(s) {
  let out = "";
  for (const c of s) out += c.toLowerCase();
  return out;
}

/** `lookup_key`: NFKD, lower-cased, combining accents dropped for the Latin lists. */
function lookupKey(foldsAccents, word) {
  const lower = lowerChars(word.normalize("NFKD"));
  if (!foldsAccents) return lower;
  let out = "";
  for (const c of lower) if (!isCombiningMark(c)) out += c;
  return out;
}

function makeList(name, words) {
  const folds = LATIN.has(name);
  const byKey = new Map();
  words.forEach((w, i) => {
    // build.rs: the stored word, accents dropped for the Latin lists.
    let key = w;
    if (folds) key = [...w].filter((c) => !isCombiningMark(c)).join("");
    byKey.set(key, i);
  });
  let keys = null;
  return {
    name,
    words,
    folds,
    chinese: name === "chinese_simplified" || name === "chinese_traditional",
    indexOfKey: (key) => {
      const i = byKey.get(key);
      return i === undefined ? null : i;
    },
    indexOf(word) {
      return this.indexOfKey(lookupKey(folds, word));
    },
    /** `index_of_fast`: the Chinese lists take the word as its own key. */
    indexOfFast(word) {
      return folds ? this.indexOf(word) : this.indexOfKey(word);
    },
    keyOf(i) {
      if (keys === null) keys = words.map((w) => lookupKey(folds, w));
      return keys[i];
    },
    word: (i) => words[i & (WORDLIST_LEN - 1)].normalize("NFC"),
  };
}

const LISTS = WORDLISTS.map(([name, words]) => makeList(name, words));
/** The lists' names, in the order of a word's `index` array (see `readWords`). */
export const LIST_NAMES = LISTS.map((l) => l.name);

/** Whether some word of list `li` has a lookup key starting with `prefix` (a key itself). */
export function listHasPrefix(li, prefix) {
  const l = LISTS[li];
  if (!l.prefixes) {
    l.prefixes = new Set();
    for (let i = 0; i < WORDLIST_LEN; i++) l.prefixes.add([...l.keyOf(i)].slice(0, 3).join(""));
  }
  return l.prefixes.has(prefix);
}

/** A word's lookup key in list `li` (NFKD, lower case, accents dropped for Latin lists). */
export function keyIn(li, word) {
  return lookupKey(LISTS[li].folds, word);
}
const LANG_INDEX = Object.fromEntries(LISTS.map((l, i) => [l.name, i]));
const LI = LANG_INDEX;

/** `lookup_all`: every `[language, index]` under which `word` appears. */
function lookupAll(word) {
  const folded = lookupKey(true, word);
  const accented = lookupKey(false, word);
  const found = [];
  for (const l of LISTS) {
    const i = l.indexOfKey(l.folds ? folded : accented);
    if (i !== null) found.push([l.name, i]);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Tokens (text.rs)

const ALPHABETIC = /^\p{Alphabetic}$/u;
const NUMERIC = /\p{N}/u;

function isHan(cp) {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2ebef)
  );
}

function isKana(cp) {
  return (
    ((cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9f)) &&
    cp !== 0x30fb
  );
}

function isHangul(cp) {
  return (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f);
}

function isDigit(cp) {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0xff10 && cp <= 0xff19);
}

function classOf(c) {
  const cp = c.codePointAt(0);
  if (isHan(cp)) return "han";
  if (isKana(cp) || cp === 0x3099 || cp === 0x309a) return "kana";
  if (isHangul(cp)) return "hangul";
  if (isDigit(cp)) return "digits";
  if (ALPHABETIC.test(c) || isCombiningMark(c)) return "alpha";
  return null;
}

function sameRun(cur, next) {
  if ((cur === "alpha" || cur === "digits" || cur === "mixed") && (next === "alpha" || next === "digits")) {
    return true;
  }
  return cur === next;
}

/** `tokenize`: `{script, start, end}` in UTF-16 offsets. */
function tokenize(input) {
  const out = [];
  let cur = null;
  let i = 0;
  for (const c of input) {
    const end = i + c.length;
    const cls = classOf(c);
    if (cls === null) {
      if (cur) out.push(cur);
      cur = null;
    } else if (cls === "han") {
      if (cur) out.push(cur);
      cur = null;
      out.push({ script: "han", start: i, end });
    } else if (cur && sameRun(cur.script, cls)) {
      cur.end = end;
      if (cur.script !== cls) cur.script = "mixed";
    } else {
      if (cur) out.push(cur);
      cur = { script: cls, start: i, end };
    }
    i = end;
  }
  if (cur) out.push(cur);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading words (check.rs `read_words`, redact/phrase.rs `segment_run`)

function utf8Len(s) {
  let n = 0;
  for (const c of s) {
    const cp = c.codePointAt(0);
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

const SCRIPT_LANGS = {
  alpha: ["english", "spanish", "french", "italian", "czech", "portuguese"],
  han: ["chinese_simplified", "chinese_traditional"],
  kana: ["japanese"],
  hangul: ["korean"],
  digits: [],
  mixed: [],
};

function word(text, script) {
  const index = new Array(LISTS.length).fill(null);
  if (utf8Len(text) <= 64) {
    for (const name of SCRIPT_LANGS[script]) {
      const l = LISTS[LI[name]];
      index[LI[name]] = script === "kana" || script === "hangul" ? l.indexOf(text) : l.indexOfFast(text);
    }
  }
  return { text, script, index };
}

/** Splits a kana or Hangul run into list words, maximising the characters covered. */
function segmentRun(input, tok, list, maxChars) {
  const run = input.slice(tok.start, tok.end);
  const bounds = [];
  let off = tok.start;
  for (const c of run) {
    bounds.push(off);
    off += c.length;
  }
  bounds.push(tok.end);
  const n = bounds.length - 1;
  const best = Array.from({ length: n + 1 }, () => [0, 0, null]);
  for (let i = 0; i < n; i++) {
    const base = best[i][0];
    if (best[i + 1][0] < base || (best[i + 1][0] === base && best[i + 1][1] < i)) {
      best[i + 1] = [base, i, null];
    }
    for (let k = 1; k <= Math.min(maxChars, n - i); k++) {
      const piece = input.slice(bounds[i], bounds[i + k]);
      const w = list.indexOfKey(lookupKey(list.folds, piece));
      if (w !== null && best[i + k][0] < base + k) best[i + k] = [base + k, i, w];
    }
  }
  const steps = [];
  for (let j = n; j > 0; ) {
    const [, from, w] = best[j];
    steps.push([from, j, w]);
    j = from;
  }
  steps.reverse();
  const out = [];
  let missStart = null;
  for (const [s, e, w] of steps) {
    if (w !== null) {
      if (missStart !== null) out.push([bounds[missStart], bounds[s], null]);
      missStart = null;
      out.push([bounds[s], bounds[e], w]);
    } else if (missStart === null) {
      missStart = s;
    }
  }
  if (missStart !== null) out.push([bounds[missStart], bounds[n], null]);
  return out;
}

function trimDigits(s) {
  const chars = [...s];
  const d = (c) => isDigit(c.codePointAt(0));
  let a = 0;
  let b = chars.length;
  while (a < b && d(chars[a])) a++;
  while (b > a && d(chars[b - 1])) b--;
  return chars.slice(a, b).join("");
}

/**
 * The words of `input` as the check reads them, each `{text, script, index, start, end}`:
 * `index[li]` is the word's index in the `li`-th list of `LIST_NAMES` (or null), `start`/`end`
 * UTF-16 offsets. Exported for the typing guard (../secret-guard.js).
 */
export function readWords(input) {
  const tokens = tokenize(input).filter((t) => t.script !== "digits");
  const separated = (script) => tokens.filter((t) => t.script === script).length >= 6;
  const kanaSeparated = separated("kana");
  const hangulSeparated = separated("hangul");
  const out = [];
  for (const tok of tokens) {
    const text = input.slice(tok.start, tok.end);
    const at = (w, start, end) => Object.assign(w, { start, end });
    if (tok.script === "mixed") {
      const trimmed = trimDigits(text);
      out.push(at(word(trimmed, NUMERIC.test(trimmed) ? "mixed" : "alpha"), tok.start, tok.end));
      continue;
    }
    if (tok.script !== "kana" && tok.script !== "hangul") {
      out.push(at(word(text, tok.script), tok.start, tok.end));
      continue;
    }
    const kana = tok.script === "kana";
    const list = LISTS[LI[kana ? "japanese" : "korean"]];
    const isSeparated = kana ? kanaSeparated : hangulSeparated;
    const whole = word(text, tok.script);
    if (whole.index.some((x) => x !== null)) {
      out.push(at(whole, tok.start, tok.end));
      continue;
    }
    const pieces = segmentRun(input, tok, list, kana ? KANA_MAX_CHARS : HANGUL_MAX_CHARS);
    if (isSeparated && pieces.some((p) => p[2] === null)) {
      out.push(at(whole, tok.start, tok.end));
      continue;
    }
    for (const [s, e] of pieces) out.push(at(word(input.slice(s, e), tok.script), s, e));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SHA-256 of at most 55 bytes (one block), synchronous: the check tries up to 25 × 2048
// checksums, and WebCrypto's digest is asynchronous and slow for that many small inputs.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Uint32Array(64);

/** The first byte of SHA-256(`bytes[0..len]`), `len` ≤ 55: all that a BIP39 checksum needs. */
function sha256FirstByte(bytes, len) {
  W.fill(0, 0, 16);
  for (let i = 0; i < len; i++) W[i >> 2] |= bytes[i] << (24 - 8 * (i & 3));
  W[len >> 2] |= 0x80 << (24 - 8 * (len & 3));
  W[15] = len * 8;
  for (let t = 16; t < 64; t++) {
    const a = W[t - 15];
    const b = W[t - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = 0x6a09e667;
  let b = 0xbb67ae85;
  let c = 0x3c6ef372;
  let d = 0xa54ff53a;
  let e = 0x510e527f;
  let f = 0x9b05688c;
  let g = 0x1f83d9ab;
  let h = 0x5be0cd19;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  return ((a + 0x6a09e667) >>> 24) & 0xff;
}

// ---------------------------------------------------------------------------------------------
// BIP39 arithmetic (bip39.rs)

function isValidWordCount(n) {
  return VALID_WORD_COUNTS.includes(n);
}

/** A phrase packed into its bit string, for trying one-word changes cheaply. */
class Packed {
  static of(indices) {
    const n = indices.length;
    if (!isValidWordCount(n)) return null;
    const p = new Packed();
    const totalBits = n * 11;
    p.csBits = Math.floor(totalBits / 33);
    p.entBytes = (totalBits - p.csBits) / 8;
    p.bytes = new Uint8Array(33);
    indices.forEach((ix, pos) => p.set(pos, ix));
    return p;
  }

  clone() {
    const p = new Packed();
    p.csBits = this.csBits;
    p.entBytes = this.entBytes;
    p.bytes = this.bytes.slice();
    return p;
  }

  set(position, index) {
    const first = position * 11;
    for (let k = 0; k < 11; k++) {
      const bit = first + k;
      const at = bit >> 3;
      if (at >= 33) return;
      const mask = 0x80 >> (bit & 7);
      if ((index >> (10 - k)) & 1) this.bytes[at] |= mask;
      else this.bytes[at] &= ~mask;
    }
  }

  checksumValid() {
    const shift = 8 - this.csBits;
    return sha256FirstByte(this.bytes, this.entBytes) >> shift === this.bytes[this.entBytes] >> shift;
  }

  wipe() {
    this.bytes.fill(0);
  }
}

function checksumValid(indices) {
  const p = Packed.of(indices);
  if (p === null) return false;
  const ok = p.checksumValid();
  p.wipe();
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Ranking (redact/phrase.rs `edit_distance`)

/** Damerau–Levenshtein (optimal string alignment) distance, by code point. */
function editDistance(a, b) {
  const x = [...a];
  const y = [...b];
  const n = x.length;
  const m = y.length;
  const d = Array.from({ length: n + 1 }, (_, i) => {
    const row = new Array(m + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[n][m];
}

function cmpTuples(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The check (check.rs)

function chooseLanguage(words) {
  const counts = LISTS.map((_, li) => words.filter((w) => w.index[li] !== null).length);
  const best = Math.max(0, ...counts);
  if (best === 0) return null;
  const tied = counts.map((c, li) => (c === best ? li : -1)).filter((li) => li >= 0);
  if (tied.length > 1 && best === words.length) {
    for (const li of tied) {
      if (checksumValid(words.map((w) => w.index[li] ?? 0))) return li;
    }
  }
  return tied[0];
}

const nfc = (s) => s.normalize("NFC");

function substitutions(packed, indices, words, list, from, to, skipCurrent) {
  const trial = packed.clone();
  const found = [];
  for (let p = from; p < to; p++) {
    for (let w = 0; w < WORDLIST_LEN; w++) {
      if (skipCurrent && w === indices[p]) continue;
      trial.set(p, w);
      if (trial.checksumValid()) found.push([p, w]);
    }
    trial.set(p, indices[p]);
  }
  trial.wipe();
  const typedKeys = new Map();
  const ranked = found.map(([p, w]) => {
    if (!typedKeys.has(p)) typedKeys.set(p, lookupKey(list.folds, words[p].text));
    return [editDistance(typedKeys.get(p), list.keyOf(w)), p, w];
  });
  ranked.sort(cmpTuples);
  return ranked.map(([, p, w]) => ({ position: p + 1, word: nfc(words[p].text), replacement: list.word(w) }));
}

function fixingIndices(packed, position) {
  const trial = packed.clone();
  const out = new Array(WORDLIST_LEN);
  for (let w = 0; w < WORDLIST_LEN; w++) {
    trial.set(position, w);
    out[w] = trial.checksumValid();
  }
  trial.wipe();
  return out;
}

function swaps(packed, indices, words) {
  const trial = packed.clone();
  const out = [];
  for (let p = 0; p + 1 < indices.length; p++) {
    const a = indices[p];
    const b = indices[p + 1];
    if (a === b) continue;
    trial.set(p, b);
    trial.set(p + 1, a);
    if (trial.checksumValid()) {
      out.push({ positions: [p + 1, p + 2], words: [nfc(words[p].text), nfc(words[p + 1].text)] });
    }
    trial.set(p, a);
    trial.set(p + 1, b);
  }
  trial.wipe();
  return out;
}

function insertions(indices, list) {
  const n = indices.length;
  const listed = [];
  let total = 0;
  for (let p = 0; p <= n; p++) {
    const longer = [...indices.slice(0, p), 0, ...indices.slice(p)];
    const trial = Packed.of(longer);
    if (trial === null) return [listed, total];
    for (let w = 0; w < WORDLIST_LEN; w++) {
      if (p > 0 && indices[p - 1] === w) continue;
      trial.set(p, w);
      if (trial.checksumValid()) {
        total += 1;
        if (listed.length < MAX_MISSING) listed.push({ position: p + 1, word: list.word(w) });
      }
    }
    trial.wipe();
    longer.fill(0);
  }
  return [listed, total];
}

function removals(indices, words, unknown) {
  const out = [];
  for (let p = 0; p < indices.length; p++) {
    if (unknown.length > 0 && unknown[0] !== p) continue;
    if (unknown.length === 0 && p > 0 && indices[p - 1] === indices[p]) continue;
    const shorter = [...indices.slice(0, p), ...indices.slice(p + 1)];
    if (checksumValid(shorter)) out.push({ position: p + 1, word: nfc(words[p].text) });
    shorter.fill(0);
  }
  return out;
}

function suggest(w, list, fixes) {
  if (list.chinese) {
    // The two Chinese lists are in the same order: a character of the other list stands for
    // the character at its index.
    const other = list.name === "chinese_simplified" ? "chinese_traditional" : "chinese_simplified";
    const i = w.index[LI[other]];
    return i === null ? [] : [list.word(i)];
  }
  let scriptFits;
  if (list.name === "japanese") scriptFits = w.script === "kana";
  else if (list.name === "korean") scriptFits = w.script === "hangul";
  else scriptFits = w.script === "alpha" || w.script === "mixed";
  if (!scriptFits || utf8Len(w.text) > 64) return [];
  const typed = lookupKey(list.folds, w.text);
  const typedChars = [...typed];
  const typedLen = typedChars.length;
  const prefix = typedChars.slice(0, 4).join("");
  const max = typedLen <= 3 ? 1 : typedLen <= 6 ? 2 : 3;
  const ranked = [];
  for (let i = 0; i < WORDLIST_LEN; i++) {
    const key = list.keyOf(i);
    const sharesPrefix = typedLen >= 3 && key.startsWith(prefix);
    if (!sharesPrefix && Math.abs([...key].length - typedLen) > max) continue;
    const d = editDistance(typed, key);
    if (!sharesPrefix && d > max) continue;
    const fixesChecksum = fixes !== null && fixes[i] === true;
    ranked.push([sharesPrefix ? Math.min(d, 1) : d, fixesChecksum ? 0 : 1, d, i]);
  }
  ranked.sort(cmpTuples);
  return ranked.slice(0, MAX_SUGGESTIONS).map((r) => list.word(r[3]));
}

/**
 * Checks a phrase as a user typed it; the same report as the wallet crate's `check_mnemonic`
 * (see README.md, `walletdesk check-mnemonic --json`). Throws a `CheckError` when the input is
 * over 4 KiB (UTF-8) or 48 words, or holds no words.
 */
export function checkMnemonic(input) {
  const bytes = utf8Len(input);
  if (bytes > MAX_INPUT_BYTES) throw new CheckError("too_large", { len: bytes, max: MAX_INPUT_BYTES });
  const words = readWords(input);
  if (words.length === 0) throw new CheckError("empty", {});
  if (words.length > MAX_WORDS) throw new CheckError("too_many_words", { count: words.length, max: MAX_WORDS });
  const n = words.length;
  const report = {
    word_count: n,
    valid_word_count: isValidWordCount(n),
    language: null,
    unknown_words: [],
    checksum_valid: null,
    corrections: [],
    swaps: [],
    missing: [],
    missing_total: 0,
    extra: [],
    other_language_words: [],
  };
  const li = chooseLanguage(words);
  if (li === null) {
    report.unknown_words = words.map((w, i) => ({ position: i + 1, word: nfc(w.text), suggestions: [] }));
    return report;
  }
  const list = LISTS[li];
  report.language = list.name;
  const unknown = [];
  for (let i = 0; i < n; i++) if (words[i].index[li] === null) unknown.push(i);
  // Unknown words hold index 0 here; they are only read where they are replaced.
  const indices = words.map((w) => w.index[li] ?? 0);
  const packed = Packed.of(indices);
  if (unknown.length === 0) report.checksum_valid = packed === null ? null : packed.checksumValid();
  let fixesAtUnknown = null;
  if (packed !== null && unknown.length === 0 && report.checksum_valid === false) {
    report.corrections = substitutions(packed, indices, words, list, 0, n, true);
    report.swaps = swaps(packed, indices, words);
  } else if (packed !== null && unknown.length === 1) {
    const u = unknown[0];
    report.corrections = substitutions(packed, indices, words, list, u, u + 1, false);
    fixesAtUnknown = fixingIndices(packed, u);
  }
  if (unknown.length === 0 && isValidWordCount(n + 1)) {
    const [listed, total] = insertions(indices, list);
    report.missing = listed;
    report.missing_total = total;
  }
  if (isValidWordCount(n - 1) && unknown.length <= 1) report.extra = removals(indices, words, unknown);
  for (const u of unknown) {
    const w = words[u];
    report.unknown_words.push({ position: u + 1, word: nfc(w.text), suggestions: suggest(w, list, fixesAtUnknown) });
    const languages = [];
    for (const [name] of lookupAll(w.text)) {
      if (name !== list.name && languages[languages.length - 1] !== name) languages.push(name);
    }
    if (languages.length > 0) report.other_language_words.push({ position: u + 1, word: nfc(w.text), languages });
  }
  if (packed !== null) packed.wipe();
  indices.fill(0);
  return report;
}
