// The mail pages a wallet user sees (issue 10): setting an anti-phishing code from a ticket
// page and confirming it through the mailed link, and "my tickets", in English and in Chinese,
// at desktop and phone widths. Nothing is sent here: the mailed link is read from the outbox of
// the server run.sh started (its data directory), and its token derived with the server's link
// key, as the sender will (server/src/mail/mod.rs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BASE_URL, PHRASE, fitsBothWidths, launch, unlabelledControls, watch } from "./browser.mjs";

const DATA = process.env.WALLETDESK_TEST_DATA_DIR;

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

async function ticketFor(email, lang) {
  const r = await fetch(`${BASE_URL}/api/v1/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    // The ticket's (and its mails') language is read from the text: Chinese when it has Han.
    body: JSON.stringify({
      email,
      category: "other",
      subject: lang === "en" ? "mail code" : "防钓鱼码",
      body: lang === "en" ? "please help" : "请帮帮我",
    }),
  });
  assert.equal(r.status, 201);
  return new URL((await r.json()).access_url).pathname;
}

/** The newest confirmation link mailed to `email`, as the sender will render it. */
function confirmationLink(email) {
  assert.ok(DATA, "WALLETDESK_TEST_DATA_DIR is set by run.sh");
  const seed = execFileSync("sqlite3", [
    "-readonly",
    join(DATA, "walletdesk.db"),
    `SELECT link_seed FROM outbox WHERE kind = 'phishing_code_confirm' AND to_addr = '${email}' ORDER BY id DESC LIMIT 1`,
  ])
    .toString()
    .trim();
  assert.match(seed, /^[0-9a-f]{32}$/);
  const key = readFileSync(join(DATA, "link.key"));
  const token = createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from("walletdesk access link v1\0"), Buffer.from(seed)]))
    .digest("base64url");
  return `/mail-code/confirm/${token}`;
}

/** Clicks `selector` and waits until the page its form posted to has loaded. */
async function submit(page, selector) {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.click(selector),
  ]);
  await page.waitForLoadState("load");
}

async function setCode(page, { email, lang, code, shot, texts }) {
  const path = await ticketFor(email, lang);
  await page.goto(path);
  await Promise.all([page.waitForURL(/\/mail-code$/), page.click("#mail-code-link a")]);
  assert.ok(await page.isVisible("#mail-code-none"));
  assert.deepEqual(await unlabelledControls(page), []);

  // A phrase typed as a code: refused, said why, not put back.
  await page.fill("#f-code", PHRASE);
  await submit(page, "#mail-code-submit");
  assert.match(await page.textContent("#e-code"), texts.secret);
  assert.equal(await page.inputValue("#f-code"), "");
  assert.equal(await page.getAttribute("#f-code", "aria-invalid"), "true");
  assert.ok(!(await page.content()).includes("legal winner"));

  await page.fill("#f-code", code);
  await submit(page, "#mail-code-submit");
  await page.waitForSelector("#notice");
  assert.match(await page.textContent("#notice"), texts.sent);
  assert.ok(await page.isVisible("#mail-code-none"), "not in effect before confirmation");
  await fitsBothWidths(page, `${shot}-form`);

  // The mailed link: a button, then the code is in effect; that page never shows the code.
  await page.goto(confirmationLink(email));
  assert.ok(!(await page.content()).includes(code));
  await fitsBothWidths(page, `${shot}-confirm`);
  await submit(page, "#mail-code-confirm button");
  assert.match(await page.textContent("#mail-code-confirmed"), texts.confirmed);
  assert.ok(!(await page.content()).includes(code));

  await page.goto(`${path}/mail-code`);
  assert.equal((await page.textContent("#mail-code-value")).trim(), code);
  await fitsBothWidths(page, `${shot}-set`);
}

test("a user sets an anti-phishing code through the mailed link (English)", async () => {
  await setCode(en.page, {
    email: "code-en@example.com",
    lang: "en",
    code: "blue dolphin 42",
    shot: "mail-code-en",
    texts: { secret: /recovery phrase/, sent: /no mail went out/, confirmed: /now shows your code/ },
  });
  assert.deepEqual(enProblems, []);
});

test("用户通过邮件中的链接设置防钓鱼码（中文）", async () => {
  await setCode(zh.page, {
    email: "code-zh@example.com",
    lang: "zh-CN",
    code: "蓝色海豚42",
    shot: "mail-code-zh",
    texts: { secret: /助记词/, sent: /没有发出邮件/, confirmed: /都会在顶部显示/ },
  });
  assert.deepEqual(zhProblems, []);
});

async function myTickets(page, { lang, shot, texts }) {
  await page.goto("/help");
  await Promise.all([page.waitForURL(/\/my-tickets$/), page.click("#my-tickets-link a")]);
  assert.equal(await page.getAttribute("html", "lang"), lang);
  assert.deepEqual(await unlabelledControls(page), []);
  await page.fill("#f-email", "not an address");
  // The browser's own check would stop a type=email field: send it as a person could.
  await page.$eval("#my-tickets-form", (f) => f.setAttribute("novalidate", ""));
  await submit(page, "#my-tickets-submit");
  assert.match(await page.textContent("#e-email"), texts.invalid);

  const answers = [];
  for (const email of ["code-en@example.com", "never-wrote@example.com"]) {
    await page.goto("/my-tickets");
    await page.fill("#f-email", email);
    await submit(page, "#my-tickets-submit");
    await page.waitForSelector("#notice");
    answers.push(await page.textContent("main"));
  }
  assert.equal(answers[0], answers[1], "the same answer for an address with and without tickets");
  assert.match(answers[0], texts.sent);
  await fitsBothWidths(page, shot);
}

test("my tickets answers alike (English)", async () => {
  await myTickets(en.page, {
    lang: "en",
    shot: "my-tickets-en",
    texts: { invalid: /whole e-mail address/, sent: /no mail went out/ },
  });
  assert.deepEqual(enProblems, []);
});

test("我的工单：回答一致（中文）", async () => {
  await myTickets(zh.page, {
    lang: "zh-CN",
    shot: "my-tickets-zh",
    texts: { invalid: /完整的邮箱地址/, sent: /没有发出邮件/ },
  });
  assert.deepEqual(zhProblems, []);
});
