// "Is this really us?": a person pastes what claims to be support and reads the verdict, in
// English and in Chinese, at desktop and phone widths; a fake can be reported in one step.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fitsBothWidths, launch, unlabelledControls, watch } from "./browser.mjs";

let en;
let zh;
let enProblems;
let zhProblems;
before(async () => {
  en = await launch({ locale: "en-US" });
  zh = await launch({ locale: "zh-CN" });
  enProblems = await watch(en);
  zhProblems = await watch(zh);
});
after(async () => {
  await en?.close();
  await zh?.close();
});

async function check(page, value) {
  await page.goto("/verify");
  await page.fill("#v-value", value);
  await Promise.all([page.waitForURL("**/verify"), page.click("#v-check")]);
  await page.waitForSelector("#verdict");
}

async function codes(page) {
  return page.$$eval("#verdict .finding", (els) => els.map((e) => e.dataset.code));
}

test("a lookalike domain is explained and can be reported (English)", async () => {
  const { page } = en;
  await check(page, "https://lanternfish-support.com/claim");
  assert.equal(
    (await page.textContent("#verdict-title")).trim(),
    "No, this is not one of our official channels.",
  );
  const found = await codes(page);
  for (const code of ["not_listed", "lookalike_domain", "brand_in_foreign_name", "never_asks"]) {
    assert.ok(found.includes(code), `${code} in ${found}`);
  }
  assert.match(await page.textContent("#verdict"), /adds words to it/);
  assert.ok(await page.isVisible("#report-form"));
  assert.ok(await page.isVisible("#verify-channels"));
  assert.deepEqual(await unlabelledControls(page), []);
  await fitsBothWidths(page, "verify-fake-en");

  await page.fill("#r-note", "A Telegram message from 'Lanternfish Support'");
  await Promise.all([page.waitForURL(/\/t\/[^/?]+/), page.click("#r-submit")]);
  const ticket = await page.textContent("main");
  assert.match(ticket, /lanternfish-support\.com\/claim/);
  // The findings in words the user can read, not the API's codes.
  assert.match(ticket, /in a name that is not ours/);
  assert.doesNotMatch(ticket, /lookalike_domain|not_listed|brand_in_foreign_name/);
  assert.deepEqual(enProblems, []);
});

test("an official channel is confirmed (English)", async () => {
  const { page } = en;
  await check(page, "HTTPS://WWW.Lanternfish.Example/help/");
  assert.equal(
    (await page.textContent("#verdict-title")).trim(),
    "Yes, this is one of our official channels.",
  );
  assert.ok(!(await page.isVisible("#report-form")), "nothing to report");
  await fitsBothWidths(page, "verify-official-en");
});

test("the footer links to the check", async () => {
  const { page } = en;
  await page.goto("/");
  await Promise.all([page.waitForURL("**/verify"), page.click("#footer-verify")]);
  assert.equal((await page.textContent("h1")).trim(), "Is this really us?");
});

test("a homoglyph and a crypto address in Chinese", async () => {
  const { page } = zh;
  await page.goto("/verify");
  assert.equal((await page.textContent("h1")).trim(), "这真的是官方客服吗？");
  await fitsBothWidths(page, "verify-empty-zh");
  await check(page, "https://xn--lnternfish-zqi.example/login");
  assert.equal((await page.textContent("#verdict-title")).trim(), "不是，这不是我们的官方渠道。");
  const found = await codes(page);
  for (const code of ["punycode", "homoglyph", "mixed_script", "lookalike_domain"]) {
    assert.ok(found.includes(code), `${code} in ${found}`);
  }
  assert.match(await page.textContent("#verdict"), /lаnternfish\.example/, "the decoded name is shown");
  assert.match(await page.textContent("#report-title"), /举报/);
  await fitsBothWidths(page, "verify-fake-zh");

  await check(page, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
  assert.match(await page.textContent("#verdict"), /客服绝不会要求您转账/);
  await fitsBothWidths(page, "verify-address-zh");
  assert.deepEqual(zhProblems, []);
});

test("a recovery phrase is refused, not shown back", async () => {
  const { page } = zh;
  await page.goto("/verify");
  await page.fill(
    "#v-value",
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
  );
  await Promise.all([page.waitForURL("**/verify"), page.click("#v-check")]);
  assert.match(await page.textContent("#verify-refusal"), /助记词或私钥/);
  assert.equal(await page.inputValue("#v-value"), "");
});
