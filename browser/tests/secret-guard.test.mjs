// The typing guard: every box a user types into warns, in the page's language and before
// anything is sent, when it holds what looks like a recovery phrase or private key, and its
// button replaces the secret with the server's marker. While the warning shows, no request
// carries the secret (every request's URL and body is recorded). Ordinary prose is left alone.
//
// WALLETDESK_SHOTS=dir also saves screenshots of the warnings at 1280 and 390 px wide.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { launch } from "./browser.mjs";

// A valid English phrase (a BIP-39 test vector), a valid Chinese one written together (made
// for this test: random entropy and its checksum), and a WIF key (the Bitcoin wiki's example).
const EN = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const ZH = "垄渡化估着且属逼剩硅白店";
const WIF = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
/** What must never leave the page: distinctive pieces of each secret. */
const PIECES = ["sausage", "winner", "yellow", "thank%20year", ZH, "垄渡化", "硅白店", WIF, WIF.slice(10, 30)];
const SHOTS = process.env.WALLETDESK_SHOTS;

const SECRETS = [
  { name: "an English phrase, typed", text: EN, typed: true, kind: "phrase", words: ["sausage", "winner"] },
  { name: "a Chinese phrase written together, pasted", text: ZH, kind: "phrase", words: ["垄渡化", "剩硅白"] },
  { name: "a WIF key, pasted", text: WIF, kind: "key", words: [WIF.slice(0, 20)] },
];

const STRINGS = {
  en: { phrase: /looks like a recovery phrase/, key: /looks like a private key/, remove: "Remove it from the text" },
  "zh-CN": { phrase: /看起来像助记词/, key: /看起来像私钥/, remove: "从文本中删除" },
};

const PROSE = {
  en: "I sent 0.5 BTC to my exchange yesterday and it has not arrived. The app says pending; what should I do?",
  "zh-CN": "我昨天把 0.5 个比特币转到交易所，到现在还没到账，钱包显示等待确认，怎么办？",
};

/** Every request the page makes, as "METHOD url body". */
function recorder(page) {
  const seen = [];
  page.on("request", (r) => seen.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`));
  return {
    seen,
    assertClean(what) {
      for (const r of seen) {
        let decoded = r;
        try {
          decoded = decodeURIComponent(r.replace(/\+/g, " "));
        } catch {
          // Not URL-encoded: the raw text is checked.
        }
        for (const p of PIECES) assert.ok(!r.includes(p) && !decoded.includes(p), `${what}: ${r}`);
      }
    },
  };
}

async function put(page, selector, text, typed) {
  await page.fill(selector, "");
  await page.focus(selector);
  if (typed) await page.locator(selector).pressSequentially(text, { delay: 2 });
  else await page.keyboard.insertText(text); // a paste: one input event, no key presses
}

const alertOf = (selector) => `${selector} + [role=alert]`;

/** Puts each secret in the box, checks the warning and removes the secret with its button. */
async function warnsAndRemoves(page, selector, lang, net) {
  for (const s of SECRETS) {
    const before = lang === "en" ? "Please help, my words are: " : "请帮忙，我的助记词是：";
    await put(page, selector, "", false);
    await put(page, selector, before, false);
    if (s.typed) await page.locator(selector).pressSequentially(s.text, { delay: 2 });
    else await page.keyboard.insertText(s.text);
    const alert = page.locator(alertOf(selector));
    await alert.locator("button").waitFor({ timeout: 2000 });
    assert.match(await alert.textContent(), STRINGS[lang][s.kind], `${selector}: ${s.name}`);
    assert.equal(await alert.getAttribute("role"), "alert");
    assert.match(await alert.getAttribute("class"), /secret-alert/);
    assert.ok((await page.getAttribute(selector, "aria-describedby")).includes(await alert.getAttribute("id")));
    // Give search-as-you-type and the field check time to fire, if they were going to.
    await page.waitForTimeout(600);
    net.assertClean(`${selector} with ${s.name}`);
    await page.click(`${alertOf(selector)} button`);
    const value = await page.inputValue(selector);
    for (const w of s.words) assert.ok(!value.includes(w), `${selector}: ${value}`);
    assert.match(value, /\[(recovery phrase removed: \d+ words|private key removed|已删除助记词：\d+ 个词|已删除私钥)\]/);
    assert.ok(value.startsWith(before.slice(0, 6)), "the user's own words are kept");
    assert.equal(await alert.textContent(), "", "the warning goes once the secret is gone");
  }
}

async function noWarningFor(page, selector, text) {
  await put(page, selector, text, true);
  await page.waitForTimeout(100);
  assert.equal(await page.locator(alertOf(selector)).textContent(), "", `${selector}: ${text}`);
}

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.waitForTimeout(50);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: false });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

for (const lang of ["en", "zh-CN"]) {
  describe(`typing guard (${lang})`, () => {
    let b;
    let net;
    let ticketLink;
    before(async () => {
      b = await launch({ locale: lang, viewport: { width: 1280, height: 900 } });
      net = recorder(b.page);
    });
    after(async () => {
      await b?.close();
    });

    test("the ticket form: body, subject and the hash field warn; the sent ticket holds no secret", async () => {
      const { page } = b;
      await page.goto(`/tickets/new?lang=${lang}`);
      await page.selectOption("#f-category", "transaction");
      await page.selectOption("#f-chain", "bitcoin");
      await noWarningFor(page, "#f-body", PROSE[lang]);
      await warnsAndRemoves(page, "#f-body", lang, net);

      // The subject is searched as the user types, by POST: never while it holds a secret.
      await page.fill("#f-subject", "");
      await put(page, "#f-subject", EN, false);
      await page.locator(alertOf("#f-subject")).locator("button").waitFor();
      await page.waitForTimeout(800);
      net.assertClean("subject");
      await page.click(`${alertOf("#f-subject")} button`);
      const searched = page.waitForRequest((r) => r.url().endsWith("/api/v1/help/search"));
      await put(page, "#f-subject", lang === "en" ? "transaction pending" : "转账失败", true);
      const r = await searched;
      assert.equal(r.method(), "POST");
      assert.ok(!r.url().includes("?"), "nothing typed is in the URL");

      // A private key pasted into the hash field: the check is not sent.
      await put(page, "#f-tx_hash", `private key ${"1f".repeat(32)}`, false);
      await page.locator(alertOf("#f-tx_hash")).locator("button").waitFor();
      await page.waitForTimeout(600);
      assert.ok(!net.seen.some((x) => x.includes("1f1f1f1f")), "the key was not checked remotely");
      await page.click(`${alertOf("#f-tx_hash")} button`);
      // A transaction hash is not a key in that field.
      await put(page, "#f-tx_hash", "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", false);
      await page.waitForTimeout(100);
      assert.equal(await page.locator(alertOf("#f-tx_hash")).textContent(), "");

      // The phrase again, in the body: shown, pictured, removed, then the ticket is sent.
      await put(page, "#f-body", `${PROSE[lang]}\n${EN}`, false);
      await page.locator(alertOf("#f-body")).locator("button").waitFor();
      await page.locator(alertOf("#f-body")).scrollIntoViewIfNeeded();
      await shot(page, `ticket-${lang}`);
      // Sending while the warning shows is held once, with the focus on the button.
      await page.fill("#f-email", "guard@example.com");
      await page.click("#ticket-form button[type=submit]");
      assert.ok(page.url().includes("/tickets/new"), "not sent");
      assert.equal(await page.evaluate(() => document.activeElement.classList.contains("secret-remove")), true);
      await page.click(`${alertOf("#f-body")} button`);
      // Post/redirect/get: the ticket's own page, with its link shown once.
      await Promise.all([page.waitForURL(/\/t\//), page.click("#ticket-form button[type=submit]")]);
      await page.waitForSelector("#access-link");
      ticketLink = await page.getAttribute("#access-link", "href");
      await page.goto(ticketLink);
      const html = await page.content();
      for (const w of ["winner", "sausage", "yellow"]) assert.ok(!html.includes(w), w);
      assert.ok(html.includes(PROSE[lang].slice(0, 12)));
      net.assertClean("ticket form");
    });

    test("the public reply box warns and sends no secret", async () => {
      const { page } = b;
      await page.goto(`${ticketLink}?lang=${lang}`);
      await noWarningFor(page, "#reply-body", PROSE[lang]);
      await warnsAndRemoves(page, "#reply-body", lang, net);
      await put(page, "#reply-body", `${lang === "en" ? "Still missing." : "还是没有到账。"} ${ZH}`, false);
      await page.locator(alertOf("#reply-body")).locator("button").waitFor();
      await shot(page, `reply-${lang}`);
      await page.click(`${alertOf("#reply-body")} button`);
      await Promise.all([page.waitForEvent("framenavigated"), page.click("form.reply button")]);
      await page.waitForLoadState("load");
      await page.goto(`${ticketLink}?lang=${lang}`);
      const html = await page.content();
      assert.ok(!html.includes(ZH) && !html.includes("垄渡化"), "no character run of the phrase");
      net.assertClean("reply");
    });

    test("the assistant and the help search box warn and send nothing", async () => {
      const { page } = b;
      await page.goto(`/help?lang=${lang}`);
      await noWarningFor(page, "#assistant-q", PROSE[lang]);
      await warnsAndRemoves(page, "#assistant-q", lang, net);
      await put(page, "#assistant-q", `${PROSE[lang]} ${WIF}`, false);
      await page.locator(alertOf("#assistant-q")).locator("button").waitFor();
      await page.locator("#assistant").scrollIntoViewIfNeeded();
      await shot(page, `assistant-${lang}`);
      // Asking while the warning shows is held (the first time).
      await page.click("#assistant-ask");
      await page.waitForTimeout(300);
      assert.equal(await page.isVisible("#assistant-out"), false, "not asked");
      await page.click(`${alertOf("#assistant-q")} button`);
      await page.click("#assistant-ask");
      await page.waitForSelector("#assistant-out:not([hidden])");
      net.assertClean("assistant");

      // The search box: typed word by word, nothing goes out once the warning shows, and
      // Enter does not put the phrase in a URL.
      await page.fill("#help-q", "");
      await page.locator("#help-q").pressSequentially(EN, { delay: 30 });
      await page.locator(alertOf("#help-q")).locator("button").waitFor();
      const url = page.url();
      await page.press("#help-q", "Enter");
      await page.waitForTimeout(600);
      assert.equal(page.url(), url, "the search form was not sent");
      await shot(page, `search-${lang}`);
      // Search-as-you-type stays quiet from the fifth list word in a row (the warning comes at
      // the eighth): at most the first four words went out, by POST, never in a URL.
      for (const r of net.seen.filter((x) => x.includes("/api/v1/help/"))) {
        assert.ok(r.startsWith("POST "), r);
        for (const w of ["wave", "sausage", "worth", "useful", "yellow"]) assert.ok(!r.includes(w), r);
        assert.ok(!r.split(" ")[1].includes("?"), `no query string: ${r}`);
      }
      await page.click(`${alertOf("#help-q")} button`);
      await noWarningFor(page, "#help-q", lang === "en" ? "transaction failed" : "转账失败");
    });
  });
}
