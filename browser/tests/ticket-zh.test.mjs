// A Chinese-speaking user reports a stuck transaction, first putting an address where the
// transaction hash goes, then pasting their recovery phrase into the message.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BTC_ADDRESS, BTC_TXID, PHRASE, launch } from "./browser.mjs";

let b;
before(async () => {
  b = await launch({ locale: "zh-CN" });
});
after(async () => {
  await b?.close();
});

test("zh-CN: live field check, secret removed, access link opens a ticket without the phrase", async () => {
  const { page } = b;
  await page.goto("/tickets/new");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.textContent("label[for=f-tx_hash]"), "交易哈希（TxID）");

  await page.fill("#f-email", "xiaoming@example.com");
  await page.selectOption("#f-category", "transaction");
  assert.equal(await page.isVisible("#f-tx_hash"), true, "the category shows the hash field");
  assert.equal(await page.isVisible("#f-address"), false, "and hides the unrelated ones");
  await page.selectOption("#f-chain", "bitcoin");

  // An address where the hash goes: the page asks the server as the user types.
  const checked = page.waitForResponse((r) => r.url().includes("/api/v1/fields/check"));
  await page.locator("#f-tx_hash").pressSequentially(BTC_ADDRESS, { delay: 5 });
  const response = await checked;
  assert.equal(response.status(), 200);
  await page.waitForFunction(() =>
    document.getElementById("e-tx_hash").textContent.includes("不是交易哈希"),
  );
  const message = await page.textContent("#e-tx_hash");
  assert.match(message, /地址，不是交易哈希/);
  assert.equal(await page.getAttribute("#f-tx_hash", "aria-invalid"), "true");

  // Fixed: the message goes away.
  await page.fill("#f-tx_hash", BTC_TXID);
  await page.waitForFunction(() => document.getElementById("e-tx_hash").textContent === "");
  assert.equal(await page.getAttribute("#f-tx_hash", "aria-invalid"), null);

  await page.fill("#f-subject", "转账一直没有到账");
  // Pasted, as users do: insertText puts the text in at once with one input event and no
  // key presses, which is what a paste does.
  await page.focus("#f-body");
  await page.keyboard.insertText(`我的钱包助记词是 ${PHRASE} ，转账三个小时了还没到账。`);
  assert.match(await page.inputValue("#f-body"), /abandon about/);
  // The page warns at once (secret-guard.test.mjs); pressing Send twice sends it as it is,
  // and the server removes the phrase: it stays the authority.
  await page.waitForSelector("#f-body + [role=alert] button");
  await page.click("#ticket-form button[type=submit]");
  assert.ok(page.url().includes("/tickets/new"), "the first press is held");

  // Post/redirect/get: the browser lands on the ticket's own page, which shows its link once.
  await Promise.all([page.waitForURL(/\/t\//), page.click("#ticket-form button[type=submit]")]);
  await page.waitForSelector("#access-link");
  const alert = await page.textContent("section.danger[role=alert]");
  assert.match(alert, /我们从您的消息中删除了敏感信息/);
  assert.match(await page.textContent("#created h2"), /工单已创建——请保存此链接/);

  const link = await page.getAttribute("#access-link", "href");
  assert.match(link, /\/t\/[A-Za-z0-9_-]{43}$/);
  assert.equal(await page.textContent("#access-link"), link, "the link is shown to copy");
  const here = new URL(page.url());
  assert.equal(here.pathname, new URL(link).pathname, "the page's own address is the link");
  assert.equal(here.search, "", "and the notice flag left the address bar");

  await page.goto(link);
  const text = await page.textContent("body");
  assert.match(text, /转账一直没有到账/);
  assert.match(text, /转账三个小时了还没到账/, "the rest of the message is kept");
  assert.doesNotMatch(text, /abandon/, "no word of the phrase is on the page");
  assert.equal((await page.content()).includes("abandon"), false, "nor in the markup");
});
