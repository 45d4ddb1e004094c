// The package as a wallet team gets it: the version agrees in its three places, it has no
// dependencies and no network code, it imports nothing but its own wordlists, and the README's
// example does what the README says. Run: npm test (in packages/mnemonic-check).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { CheckError, checkMnemonic, VERSION } from "../index.js";

const read = (name) => readFileSync(fileURLToPath(new URL("../" + name, import.meta.url)), "utf8");

test("VERSION, package.json and CHANGELOG.md agree", () => {
  const pkg = JSON.parse(read("package.json"));
  assert.equal(pkg.version, VERSION);
  assert.match(VERSION, /^\d+\.\d+\.\d+$/);
  const first = read("CHANGELOG.md").match(/^## (\S+)/m);
  assert.equal(first?.[1], VERSION, "the newest CHANGELOG.md entry names the current version");
});

test("no dependencies, and every published file exists", () => {
  const pkg = JSON.parse(read("package.json"));
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.peerDependencies, undefined);
  for (const f of pkg.files) assert.ok(read(f).length > 0, f);
});

test("no network code and no import but the wordlists", () => {
  for (const name of ["index.js", "wordlists.js"]) {
    const src = read(name);
    for (const banned of [
      /\bfetch\s*\(/,
      /XMLHttpRequest/,
      /WebSocket/,
      /EventSource/,
      /sendBeacon/,
      /\bimport\s*\(/,
      /https?:\/\//,
      /\.src\s*=/,
      /localStorage|sessionStorage|indexedDB|document\.cookie/,
    ]) {
      assert.doesNotMatch(src, banned, `${name} must not contain ${banned}`);
    }
    const imports = [...src.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    assert.deepEqual(imports, name === "index.js" ? ["./wordlists.js"] : []);
  }
});

test("the README's example: a mistyped word, its suggestion and the refusals", () => {
  const report = checkMnemonic("1. abandn 2. abandon 3. abandon 4. abandon 5. abandon 6. abandon 7. abandon 8. abandon 9. abandon 10. abandon 11. abandon 12. about");
  assert.equal(report.word_count, 12);
  assert.equal(report.language, "english");
  assert.deepEqual(report.unknown_words.map((u) => [u.position, u.word, u.suggestions[0]]), [[1, "abandn", "abandon"]]);
  assert.throws(() => checkMnemonic(" 1. 2) "), (e) => e instanceof CheckError && e.code === "empty");
  assert.throws(
    () => checkMnemonic("zoo ".repeat(49)),
    (e) => e instanceof CheckError && e.code === "too_many_words" && e.count === 49 && e.max === 48,
  );
});
