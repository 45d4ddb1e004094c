// On-chain diagnosis in the real browser (issue 12): the agent's ticket chain panel and the
// public "Check my transaction" page, in both languages, at 1280 and 390 px, used with the
// keyboard only. The chain is a real local anvil that run.sh starts when WALLETDESK_TEST_ANVIL
// is set (and configures the desk with, through WALLETDESK_CHAIN_ANVIL_*); the transactions are
// made on it here. Without it those journeys are skipped and say why; "not configured" is
// always tested, against a second desk started here without any chain.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BASE_URL, fitsBothWidths, launch, signInWithLink, watch } from "./browser.mjs";

const ANVIL = process.env.WALLETDESK_TEST_ANVIL_URL || "";
const LINK = process.env.WALLETDESK_TEST_CHAIN_LINK;
const BIN = process.env.WALLETDESK_TEST_BIN;
const NO_CHAIN = "no chain: set WALLETDESK_TEST_ANVIL to the anvil binary (scripts/test installs it) for browser/run.sh to start one";
// anvil's first two dev accounts (unlocked: it signs for them).
const A0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const A1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const NOWHERE = `0x${"12".repeat(32)}`;

async function rpc(method, params) {
  const r = await fetch(ANVIL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const v = await r.json();
  if (v.error) throw new Error(`${method}: ${JSON.stringify(v.error)}`);
  return v.result;
}

/** A plain transfer, sent and mined for real; its hash. */
async function transfer(wei) {
  const hash = await rpc("eth_sendTransaction", [{ from: A0, to: A1, value: `0x${wei.toString(16)}` }]);
  for (let i = 0; i < 200 && !(await rpc("eth_getTransactionReceipt", [hash])); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  return hash;
}

/** Presses Tab until the focused element matches `selector` (a person tabbing to it). */
async function tabTo(page, selector, max = 120) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`${selector} is not reachable with Tab in ${max} presses`);
}

/** A user files a ticket about `hash` on the public form, in the browser's language. */
async function fileTicket(page, lang, hash, subject) {
  await page.goto(`/tickets/new?lang=${lang}`);
  await page.fill("#f-email", `chain-${lang}@example.com`);
  await page.selectOption("#f-category", "transaction");
  await page.selectOption("#f-chain", "ethereum");
  await page.fill("#f-tx_hash", hash);
  await page.fill("#f-subject", subject);
  await page.fill("#f-body", subject);
  await Promise.all([page.waitForURL(/\/t\//), page.click("#ticket-form button[type=submit]")]);
}

let agent;
let user;
const problems = [];
before(async () => {
  user = await launch();
  agent = await launch();
  problems.push(...(await watch(user)), ...(await watch(agent)));
});
after(async () => {
  await user?.close();
  await agent?.close();
});

test("the agent's ticket chain panel: findings in the ticket's language, age, refresh, explorer, explanation", async (t) => {
  if (!ANVIL) return t.skip(NO_CHAIN);
  assert.ok(LINK, "run.sh passes the chain agent's sign-in link");
  const zhHash = await transfer(10n ** 16n);
  const enHash = await transfer(2n * 10n ** 16n);
  await fileTicket(user.page, "zh-CN", zhHash, "转账还没到账");
  await fileTicket(user.page, "en", enHash, "My transfer has not arrived");

  const { page } = agent;
  await signInWithLink(page, LINK);
  // The agent reads the desk in English; the tickets are one Chinese, one English.
  for (const [hash, ticketLang, sentence] of [
    [zhHash, "zh-CN", /已在区块 \d+ 中确认/],
    [enHash, "en", /Confirmed in block \d+/],
  ]) {
    await page.goto(`/agent?lang=en&q=${hash}`);
    await page.click("table.tickets tr.ticket td.subject a");
    await page.waitForSelector("#chain-panel .chain-head");
    assert.equal(await page.getAttribute("#chain-panel", "data-lang"), ticketLang);
    assert.match(await page.textContent("#chain-panel .chain-head"), /^anvil: confirmed \(\d+\)$/);
    const confirmed = page.locator('#chain-panel li[data-code="confirmed"]');
    assert.match(await confirmed.textContent(), sentence);
    assert.match(await page.textContent("#chain-panel .chain-age"), /^Data from \d+ s ago\.$/);
    const explorer = page.locator("#chain-panel a", { hasText: "See it on a block explorer" });
    assert.equal(await explorer.getAttribute("href"), `https://explorer.example/tx/${hash}`);
    const before = Number((await page.textContent("#chain-panel .chain-head")).match(/\((\d+)\)/)[1]);

    // New blocks; Refresh, by keyboard, asks the chain past the cache and shows them.
    await rpc("anvil_mine", ["0x3"]);
    await tabTo(page, "#chain-panel .chain-refresh");
    const fresh = page.waitForResponse((r) => r.url().includes("/api/v1/chain/tx/") && r.url().includes("fresh=true"));
    await page.keyboard.press("Enter");
    assert.equal((await fresh).status(), 200);
    await page.waitForFunction(
      (n) => /\((\d+)\)/.exec(document.querySelector("#chain-panel .chain-head")?.textContent ?? "")?.[1] > n,
      before,
    );
    const after = Number((await page.textContent("#chain-panel .chain-head")).match(/\((\d+)\)/)[1]);
    assert.equal(after, before + 3, "three more confirmations after three blocks");

    // The explanation goes into the reply in the ticket's language, and the cursor with it.
    await page.fill("#body", "");
    await page.keyboard.press("Shift+Tab");
    await tabTo(page, "#chain-panel .chain-insert");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("body").value.length > 0);
    const draft = await page.inputValue("#body");
    assert.match(draft, sentence, draft);
    assert.ok(draft.includes(String(after)), `the refreshed count is in ${draft}`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "body");
    await fitsBothWidths(page, `chain-panel-${ticketLang}`);
  }
  assert.deepEqual(problems, []);
});

for (const lang of ["en", "zh-CN"]) {
  const words = {
    en: { found: /Confirmed in block \d+/, notFound: /not found on anvil/, open: "Open a ticket", recent: /^Recent transaction 0x[0-9a-f]{64}: \+0\.0\d+ ETH, \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/ },
    "zh-CN": { found: /已在区块 \d+ 中确认/, notFound: /在 anvil 上没有找到这笔交易/, open: "提交工单", recent: /^最近的交易 0x[0-9a-f]{64}：\+0\.0\d+ ETH，\d{4}-\d\d-\d\d \d\d:\d\d UTC。$/ },
  }[lang];

  test(`${lang}: Check my transaction, by keyboard: found, and not found with a ticket filled in`, async (t) => {
    if (!ANVIL) return t.skip(NO_CHAIN);
    const hash = await transfer(3n * 10n ** 16n);
    const { page } = user;
    await page.goto(`/help/check-tx?lang=${lang}`);
    await tabTo(page, "#ct-value");
    await page.keyboard.type(hash);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#check-tx-answer");
    assert.match(await page.textContent('#check-tx-answer li[data-code="confirmed"]'), words.found);
    assert.equal(await page.getAttribute("#check-tx-explorer", "href"), `https://explorer.example/tx/${hash}`);
    assert.equal(await page.locator("#check-tx-ticket").count(), 0, "explained: no ticket offered");
    assert.equal(await page.inputValue("#ct-value"), hash, "what was checked stays in the field");
    await fitsBothWidths(page, `check-tx-found-${lang}`);

    // A hash no configured chain has: the page says so and offers a ticket with it filled in.
    await page.goto(`/help/check-tx?lang=${lang}`);
    await tabTo(page, "#ct-value");
    await page.keyboard.type(NOWHERE);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#check-tx-answer");
    assert.match(await page.textContent('#check-tx-answer li[data-code="not_found"]'), words.notFound);
    assert.equal((await page.textContent("#check-tx-ticket")).trim(), words.open);
    await fitsBothWidths(page, `check-tx-not-found-${lang}`);
    await tabTo(page, "#check-tx-ticket");
    await Promise.all([page.waitForURL(/\/tickets\/new\?/), page.keyboard.press("Enter")]);
    assert.equal(await page.inputValue("#f-category"), "transaction");
    assert.equal(await page.inputValue("#f-tx_hash"), NOWHERE);
    assert.ok((await page.inputValue("#f-body")).includes(NOWHERE));
    assert.equal(await page.getAttribute("html", "lang"), lang);

    // An address: its balance and its recent transfers (the history read from the node).
    await page.goto(`/help/check-tx?lang=${lang}`);
    await tabTo(page, "#ct-value");
    await page.keyboard.type(A1);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#check-tx-answer");
    assert.match(await page.textContent("#ct-answer-title"), /anvil.+ETH/);
    const recent = page.locator('#check-tx-answer li[data-code="recent_transaction"]');
    assert.ok((await recent.count()) >= 1, "the transfers made above are listed");
    assert.match(await recent.first().textContent(), words.recent);
    await fitsBothWidths(page, `check-tx-address-${lang}`);
    assert.deepEqual(problems, []);
  });
}

test("Check my transaction on a desk with no chain: says so and offers a ticket, in both languages", async (t) => {
  // The desk run.sh started has a chain when anvil runs; a second one without is started here.
  let base = BASE_URL;
  let server;
  let dir;
  if (ANVIL) {
    assert.ok(BIN, "run.sh passes the walletdesk binary");
    dir = mkdtempSync(join(tmpdir(), "walletdesk-nochain-"));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("WALLETDESK_CHAIN_")),
    );
    server = spawn(BIN, ["serve", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data")], {
      env: { ...env, WALLETDESK_SECURE_COOKIES: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    t.after(() => {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    });
    base = await new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no "listening on" in 60 s: ${out}`)), 60_000);
      const read = (chunk) => {
        out += chunk;
        const m = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      server.stdout.on("data", read);
      server.stderr.on("data", read);
      server.on("exit", (code) => reject(new Error(`walletdesk exited (${code}): ${out}`)));
    });
  }
  const b = await launch({ baseURL: base });
  t.after(() => b.close());
  for (const [lang, text, open] of [
    ["en", "On-chain checks are not set up on this desk.", "Open a ticket"],
    ["zh-CN", "本服务台尚未设置链上查询。", "提交工单"],
  ]) {
    await b.page.goto(`/help/check-tx?lang=${lang}`);
    assert.equal((await b.page.textContent("#check-tx-off")).trim(), text);
    assert.equal(await b.page.locator("#check-tx-form").count(), 0, "no form that cannot answer");
    const ticket = b.page.locator("a.button", { hasText: open });
    assert.equal(await ticket.getAttribute("href"), "/tickets/new?category=transaction");
    await tabTo(b.page, `a.button[href="/tickets/new?category=transaction"]`);
    await Promise.all([b.page.waitForURL(/\/tickets\/new\?category=transaction/), b.page.keyboard.press("Enter")]);
    assert.equal(await b.page.inputValue("#f-category"), "transaction");
    await b.page.goto(`/help/check-tx?lang=${lang}`);
    await fitsBothWidths(b.page, `check-tx-off-${lang}`);
  }
});
