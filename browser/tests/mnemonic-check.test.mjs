// A user checks a phrase that will not restore on /help/mnemonic-check: the page finds the
// misspelled word, suggests the right one, lists the corrections — and sends nothing. Every
// request the browser makes is recorded from the moment typing begins; none may be made at all,
// and none may carry any of the words (in its URL, headers or body).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch } from "./browser.mjs";

// The standard "legal winner" vector with word 2 misspelled.
const TYPED = "legal winer thank year wave sausage worth useful legal winner thank yellow";
const WORDS = [...new Set(TYPED.split(" "))];

let b;
before(async () => {
  b = await launch({ locale: "en-US" });
});
after(async () => {
  await b?.close();
});

/** Everything of a request that could carry the words, lower-cased. */
async function requestText(request) {
  const headers = await request.allHeaders();
  const parts = [request.url(), request.method(), request.postData() ?? ""];
  for (const [k, v] of Object.entries(headers)) parts.push(`${k}: ${v}`);
  return parts.join("\n").toLowerCase();
}

test("en: the check runs in the page and no request carries the words", async () => {
  const { page, context } = b;
  await page.goto("/help/mnemonic-check?lang=en");
  assert.match(
    await page.textContent("#mcheck-demo-notice"),
    /Never use a phrase checker because someone sent you a link.*Our support never sends links to phrase checkers\./,
  );
  // The script is loaded (it enables the button) before anything is typed.
  await page.waitForSelector("#mcheck-check:not([disabled])");
  assert.equal(await page.getAttribute("#mcheck-input", "autocomplete"), "off");
  assert.equal(await page.getAttribute("#mcheck-input", "spellcheck"), "false");

  // From here on, every request of the page, of any other page or worker of the browser, and
  // every WebSocket.
  const requests = [];
  const record = (r) => requests.push(r);
  context.on("request", record);
  page.on("request", record);
  const sockets = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  const url = page.url();

  await page.locator("#mcheck-input").pressSequentially(TYPED, { delay: 2 });
  await page.click("#mcheck-check");
  await page.waitForSelector("#mcheck-results:not([hidden]) .mcheck-unknown");

  const unknown = await page.textContent(".mcheck-unknown");
  assert.match(unknown, /Word 2 “winer” is not in the list\./);
  const suggestions = await page.locator(".mcheck-suggestion").allTextContents();
  assert.equal(suggestions[0], "winner", `${suggestions}`);
  assert.match(await page.textContent("#mcheck-results"), /single-word replacements make the checksum valid/);
  const corrections = await page.locator("#mcheck-corrections li").allTextContents();
  assert.equal(corrections[0], "Word 2: winer → winner");
  assert.ok(corrections.every((c) => c.startsWith("Word 2: winer → ")), `${corrections}`);

  // The page did not navigate (the form did not submit) and the words are still only here.
  assert.equal(page.url(), url);
  // Give anything asynchronous (a beacon, a late fetch) the chance to show up.
  await page.waitForTimeout(500);
  context.off("request", record);
  page.off("request", record);

  const carrying = [];
  for (const r of new Set(requests)) {
    const text = await requestText(r);
    const found = WORDS.filter((w) => text.includes(w));
    if (found.length > 0) carrying.push(`${r.method()} ${r.url()}: ${found.join(", ")}`);
  }
  assert.deepEqual(carrying, [], "no request may carry any of the words");
  assert.deepEqual(sockets, [], "no WebSocket may be opened");
  assert.deepEqual(
    [...new Set(requests)].map((r) => `${r.method()} ${r.url()}`),
    [],
    "the check makes no request at all",
  );

  // Clear removes the words and the results from the page.
  await page.click("#mcheck-clear");
  assert.equal(await page.inputValue("#mcheck-input"), "");
  assert.equal(await page.isHidden("#mcheck-results"), true);
});

test("zh-CN: the page and its notice are in Chinese, and a Chinese phrase is checked", async () => {
  const { page } = b;
  await page.goto("/help/mnemonic-check?lang=zh-CN");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.match(await page.textContent("#mcheck-demo-notice"), /我们的客服从不发送助记词检查工具的链接/);
  await page.waitForSelector("#mcheck-check:not([disabled])");
  // The all-zero entropy vector in simplified Chinese, typed without spaces.
  await page.fill("#mcheck-input", "的的的的的的的的的的的在");
  await page.click("#mcheck-check");
  await page.waitForSelector("#mcheck-results:not([hidden])");
  const text = await page.textContent("#mcheck-results");
  assert.match(text, /共 12 个词：长度有效。/);
  assert.match(text, /词表：简体中文。/);
  assert.match(text, /校验和：正确/);
});
