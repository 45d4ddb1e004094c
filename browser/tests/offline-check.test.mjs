// The offline mnemonic check as a user gets it: downloaded from the help center's demo page,
// its SHA-256 compared with the one the page publishes, then opened from disk with the network
// off. Every request the browser makes from then on is recorded; the only one allowed is the
// file itself. The check must work, in both languages, switching in place.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { launch } from "./browser.mjs";

const dir = mkdtempSync(join(tmpdir(), "walletdesk-offline-"));
let file;

before(async () => {
  const b = await launch({ locale: "en-US", acceptDownloads: true });
  try {
    const { page } = b;
    await page.goto("/help/mnemonic-check?lang=en");
    const published = (await page.textContent("#mcheck-sha256")).trim();
    assert.match(published, /^[0-9a-f]{64}$/);
    // The demo works on its example phrase.
    await page.waitForSelector("#mcheck-example:not([disabled])");
    await page.click("#mcheck-example");
    assert.match(await page.textContent(".mcheck-unknown"), /Word 1 “abandn” is not in the list\./);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#mcheck-download a")]);
    assert.equal(download.suggestedFilename(), "walletdesk-mnemonic-check-1.0.0.html");
    file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const sha = createHash("sha256").update(readFileSync(file)).digest("hex");
    assert.equal(sha, published, "the downloaded file is the one whose SHA-256 the page shows");
  } finally {
    await b.close();
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the file in a fresh browser with the network off and every request recorded. */
async function openOffline(locale) {
  const b = await launch({ locale });
  await b.context.setOffline(true);
  const requests = [];
  const sockets = [];
  const problems = [];
  const record = (r) => requests.push(`${r.method()} ${r.url()}`);
  b.context.on("request", record);
  b.page.on("websocket", (ws) => sockets.push(ws.url()));
  b.page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
  });
  b.page.on("pageerror", (e) => problems.push(String(e)));
  const url = pathToFileURL(file).href;
  await b.page.goto(url);
  await b.page.waitForSelector("#mcheck-check:not([disabled])");
  return {
    ...b,
    async finish() {
      // Anything late (a beacon, a timer) gets the chance to show up.
      await b.page.waitForTimeout(500);
      assert.deepEqual(
        [...new Set(requests)].filter((r) => r !== `GET ${url}`),
        [],
        "the offline file makes no request at all",
      );
      assert.deepEqual(sockets, [], "no WebSocket");
      assert.deepEqual(problems, [], "no script error and no CSP violation");
      await b.close();
    },
  };
}

test("zh-CN browser: the file opens in Chinese offline, checks a phrase and switches to English", async () => {
  const b = await openOffline("zh-CN");
  const { page } = b;
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.textContent("h1"), "助记词检查（离线文件）");
  assert.match(await page.textContent("#offline-network"), /请关闭 Wi-Fi 和移动数据/);
  // The all-zero vector in simplified Chinese with the last character wrong (在 → 五).
  await page.fill("#mcheck-input", "的的的的的的的的的的的五");
  await page.click("#mcheck-check");
  await page.waitForSelector("#mcheck-results:not([hidden])");
  let text = await page.textContent("#mcheck-results");
  assert.match(text, /共 12 个词：长度有效。/);
  assert.match(text, /校验和：错误/);
  assert.match(await page.textContent("#mcheck-corrections"), /第 1 个词：的 → 是/);

  // English, in place: the page's texts and the results shown.
  await page.click("[data-lang=en]");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.textContent("h1"), "Recovery phrase check (offline file)");
  text = await page.textContent("#mcheck-results");
  assert.match(text, /12 words: a valid length\./);
  assert.match(text, /Checksum: wrong\./);
  await b.finish();
});

test("en browser: the file opens in English offline and finds a mistyped word", async () => {
  const b = await openOffline("en-US");
  const { page } = b;
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.locator("#mcheck-input").pressSequentially(
    "legal winer thank year wave sausage worth useful legal winner thank yellow",
    { delay: 1 },
  );
  await page.click("#mcheck-check");
  await page.waitForSelector("#mcheck-results:not([hidden]) .mcheck-unknown");
  assert.match(await page.textContent(".mcheck-unknown"), /Word 2 “winer” is not in the list\./);
  assert.equal((await page.locator(".mcheck-suggestion").allTextContents())[0], "winner");
  await page.click("#mcheck-clear");
  assert.equal(await page.inputValue("#mcheck-input"), "");
  // 简体中文 and back: the buttons say which language is on.
  await page.click("[data-lang=zh-CN]");
  assert.equal(await page.getAttribute("[data-lang=zh-CN]", "aria-pressed"), "true");
  assert.equal(await page.textContent("#mcheck-check"), "检查");
  await b.finish();
});
