// Forms that never duplicate and never dead-end, in a real browser and both languages: a
// wallet user's ticket from the form to the rating (reloading never sends anything twice), the
// error pages with their next step, and the language switch keeping what was typed. Every page
// is checked at 1280 and 390 px (no sideways scrolling; screenshots in browser/screenshots/),
// and any Content-Security-Policy violation or script error fails the test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE_URL, PHRASE, fitsBothWidths, launch, pngWithText, signInWithLink, watch } from "./browser.mjs";

const AGENT_LINK = process.env.WALLETDESK_TEST_AGENT_LINK;

const WORDS = {
  en: {
    created: "Ticket created — keep this link",
    agentReplied: "Reply sent to the requester.",
    solved: "Marked as solved.",
    rated: "Thank you for your rating.",
    badLink: "This ticket link does not work",
    newTicket: "Open a new ticket",
    usedLink: "This sign-in link was already used or has expired",
    signIn: "Sign in with your password",
    blank: "Reply: This field is required.",
    required: "This field is required.",
    wait: /Wait (\d+) (seconds|minutes)/,
    pick: "Choose images…",
    noFile: "No file chosen",
    twoFiles: "2 files chosen",
  },
  "zh-CN": {
    created: "工单已创建——请保存此链接",
    agentReplied: "回复已发送给用户。",
    solved: "已标记为已解决。",
    rated: "感谢您的评分。",
    badLink: "此工单链接无效",
    newTicket: "新建工单",
    usedLink: "此登录链接已被使用或已过期",
    signIn: "使用密码登录",
    blank: "回复：此项为必填。",
    required: "此项为必填。",
    wait: /请等待 (\d+) (秒|分钟)/,
    pick: "选择图片…",
    noFile: "未选择文件",
    twoFiles: "已选择 2 个文件",
  },
};

/** The page fits 1280 and 390 px without sideways scrolling; a screenshot of each. */
const fits = (page, name) => fitsBothWidths(page, `forms-${name}`);

let agent;
let agentProblems;
before(async () => {
  assert.ok(AGENT_LINK, "run.sh passes a second agent's sign-in link");
  agent = await launch();
  agentProblems = await watch(agent);
  await signInWithLink(agent.page, AGENT_LINK);
});
after(async () => {
  await agent?.close();
});

for (const lang of ["zh-CN", "en"]) {
  test(`${lang}: a ticket from the form to the rating; reloading sends nothing twice`, async (t) => {
    const w = WORDS[lang];
    const b = await launch({ locale: lang });
    t.after(() => b.close());
    const problems = await watch(b);
    const { page } = b;
    const stamp = `F${Date.now()}${lang.slice(0, 2)}`;

    await page.goto("/tickets/new");
    assert.equal(await page.getAttribute("html", "lang"), lang);
    await fits(page, `new-${lang}`);
    // The screenshot picker speaks the page's language, not the browser's ("Choose Files").
    assert.equal((await page.textContent("label.file-pick[for=f-screenshots]")).trim(), w.pick);
    const chosen = page.locator("#f-screenshots ~ .file-chosen");
    assert.equal((await chosen.textContent()).trim(), w.noFile);
    const png = (name) => ({ name, mimeType: "image/png", buffer: Buffer.from("89504e470d0a1a0a", "hex") });
    await page.setInputFiles("#f-screenshots", [png("a.png"), png("b.png")]);
    assert.equal((await chosen.textContent()).trim(), w.twoFiles);
    await page.setInputFiles("#f-screenshots", [png("转账失败.png")]);
    assert.equal((await chosen.textContent()).trim(), "转账失败.png");
    await page.setInputFiles("#f-screenshots", []);
    assert.equal((await chosen.textContent()).trim(), w.noFile);
    // Sent with nothing filled in but a screenshot: the page marks the fields in its own
    // language and sends nothing, so the screenshot is still chosen.
    const shot = `form-${lang}.png`;
    await page.setInputFiles("#f-screenshots", { name: shot, mimeType: "image/png", buffer: pngWithText() });
    let posted = 0;
    const onRequest = (x) => {
      if (x.method() === "POST" && new URL(x.url()).pathname === "/tickets/new") posted += 1;
    };
    page.on("request", onRequest);
    await page.click("#ticket-form button[type=submit]");
    await page.waitForSelector("#f-email[aria-invalid=true]");
    for (const id of ["email", "category", "subject", "body"]) {
      assert.equal((await page.textContent(`#e-${id}`)).trim(), w.required, id);
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), "f-email");
    await page.fill("#f-email", "not an address");
    await page.click("#ticket-form button[type=submit]");
    assert.notEqual((await page.textContent("#e-email")).trim(), w.required, "says what is wrong with the address");
    assert.equal(posted, 0, "nothing was sent");
    assert.equal((await chosen.textContent()).trim(), shot);
    await page.fill("#f-email", `forms-${lang}@example.com`);
    await page.selectOption("#f-category", "other");
    await page.fill("#f-subject", `${stamp} ${lang === "en" ? "USDT not arrived" : "USDT 没到账"}`);
    await page.fill("#f-body", lang === "en" ? "Sent from the exchange two hours ago." : "两个小时前从交易所提币，还没到账。");
    await Promise.all([page.waitForURL(/\/t\//), page.click("#ticket-form button[type=submit]")]);
    page.off("request", onRequest);
    assert.equal(posted, 1);
    assert.equal(await page.locator(".attachments a", { hasText: shot }).count(), 1, "the screenshot came along");

    // The ticket's own page, with its link to keep, shown once.
    await page.waitForSelector("#access-link");
    assert.match(await page.textContent("#created h2"), new RegExp(w.created));
    const link = await page.getAttribute("#access-link", "href");
    await page.waitForFunction(() => !location.search.includes("done="));
    assert.equal(new URL(page.url()).pathname, new URL(link).pathname);
    await fits(page, `created-${lang}`);
    await page.reload();
    assert.equal(await page.locator("#access-link").count(), 0, "the notice is not repeated");

    // The agent sees exactly one ticket with this subject, however often it was reloaded.
    const ap = agent.page;
    await ap.goto(`/agent?view=all&q=${stamp}&lang=${lang}`);
    assert.equal(await ap.locator("table.tickets tr.ticket").count(), 1, "one ticket, not two");
    await Promise.all([ap.waitForURL(/\/agent\/tickets\/\d+/), ap.click("table.tickets tr.ticket td.subject a")]);
    const reply = lang === "en" ? `We found your transfer ${stamp}.` : `已找到您的转账 ${stamp}。`;
    await ap.fill("#body", reply);
    await Promise.all([ap.waitForURL(/done=agent_replied/), ap.click("form.reply button[value=public]")]);
    assert.equal((await ap.textContent("#notice")).trim(), w.agentReplied);
    await ap.waitForFunction(() => !location.search.includes("done="));
    await ap.reload();
    const replies = await ap.locator("#conversation .message", { hasText: reply }).count();
    assert.equal(replies, 1, "reloading the agent's page does not post the reply again");

    // The user sees the reply, marks the ticket solved and rates it.
    await page.reload();
    assert.match(await page.textContent(".conversation"), new RegExp(stamp));
    await Promise.all([page.waitForURL(/done=solved/), page.click("form[action$='/solve'] button")]);
    assert.match(await page.textContent("#notice"), new RegExp(w.solved));
    await page.check("input[name=score][value='5']");
    await page.fill("#rate-comment", lang === "en" ? "Quick and clear." : "又快又清楚。");
    await Promise.all([page.waitForURL(/done=rated/), page.click("form.rate button")]);
    assert.equal((await page.textContent("#notice")).trim(), w.rated);
    await fits(page, `rated-${lang}`);
    await page.reload();
    assert.equal(await page.locator("form.rate").count(), 0, "rated once");

    assert.deepEqual(problems, []);
    assert.deepEqual(agentProblems, []);
  });
}

test("error pages say what happened and what to do next, keeping what was typed", async (t) => {
  const b = await launch();
  t.after(() => b.close());
  const problems = await watch(b);
  const { page } = b;
  // A ticket to reply to (through the API, as an integration would).
  const r = await fetch(`${BASE_URL}/api/v1/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "errors@example.com", category: "other", subject: "error pages", body: "hello" }),
  });
  assert.equal(r.status, 201);
  const ticket = new URL((await r.json()).access_url).pathname;

  for (const lang of ["en", "zh-CN"]) {
    const w = WORDS[lang];
    // A bad ticket link: what happened, and a way on.
    const bad = await page.goto(`/t/${"x".repeat(43)}?lang=${lang}`);
    assert.equal(bad.status(), 404);
    assert.equal((await page.textContent("h1")).trim(), w.badLink);
    assert.equal((await page.textContent("a[href='/tickets/new'] >> nth=-1")).trim(), w.newTicket);
    await fits(page, `bad-link-${lang}`);

    // The agent's sign-in link, used once already (before()).
    const used = await page.goto(AGENT_LINK.replace(/^https?:\/\/[^/]+/, BASE_URL));
    assert.equal(used.status(), 404);
    assert.equal((await page.textContent("h1")).trim(), w.usedLink);
    assert.equal((await page.textContent("a[href='/agent/sign-in']")).trim(), w.signIn);
    await fits(page, `used-link-${lang}`);

    // A reply of only spaces with a screenshot chosen: the page stops it before sending, since
    // a refused send would come back without the screenshot, and keeps both.
    await page.goto(`${ticket}?lang=${lang}`);
    let posted = 0;
    const onRequest = (x) => {
      if (x.method() === "POST" && x.url().endsWith("/reply")) posted += 1;
    };
    page.on("request", onRequest);
    const shot = `kept-${lang}.png`;
    await page.setInputFiles("#reply-screenshots", { name: shot, mimeType: "image/png", buffer: pngWithText() });
    await page.fill("#reply-body", "   ");
    await page.click("form.reply button");
    await page.waitForSelector("#reply-body[aria-invalid=true]");
    assert.equal((await page.textContent("#e-reply-body")).trim(), w.required);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "reply-body", "the box has the focus");
    assert.equal(await page.evaluate(() => document.querySelector("#reply-screenshots").files[0]?.name), shot);
    assert.equal(posted, 0, "nothing was sent");
    // Typing clears the mark; the reply then goes with its screenshot.
    const words = lang === "en" ? `Here is the screen ${lang}` : `这是截图 ${lang}`;
    await page.fill("#reply-body", words);
    assert.equal((await page.textContent("#e-reply-body")).trim(), "");
    assert.equal(await page.getAttribute("#reply-body", "aria-invalid"), null);
    await Promise.all([page.waitForURL(/done=replied/), page.click("form.reply button")]);
    page.off("request", onRequest);
    assert.equal(posted, 1);
    const sent = page.locator(".conversation .message", { hasText: words });
    assert.equal(await sent.count(), 1);
    assert.equal(await page.locator(".attachments a", { hasText: shot }).count(), 1, "the screenshot came along");

    // Without the page's check (a browser without script sends the form as it is): the server
    // refuses, the page comes again, the box marked, the summary naming it.
    await page.fill("#reply-body", "   ");
    const [resp] = await Promise.all([
      page.waitForResponse((x) => x.url().endsWith("/reply") && x.request().method() === "POST"),
      page.evaluate(() => document.querySelector("form.reply").submit()),
    ]);
    assert.equal(resp.status(), 422);
    await page.waitForSelector("#form-errors");
    assert.equal((await page.textContent("#form-errors a[href='#reply-body']")).trim(), w.blank);
    assert.equal(await page.getAttribute("#reply-body", "aria-invalid"), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "form-errors", "the summary has the focus");
    assert.equal(await page.inputValue("#reply-body"), "   ", "the text is kept");
    assert.ok((await page.textContent("#e-reply-body")).trim().length > 0, "a message beside the box");
    await fits(page, `blank-reply-${lang}`);
  }

  // Too many sign-in attempts: the form again with the address kept, and how long to wait.
  let limited;
  for (let i = 0; i < 12 && !limited; i += 1) {
    await page.goto("/agent/sign-in?lang=en");
    await page.fill("#email", "limited@example.com");
    await page.fill("#password", "not the password");
    const [resp] = await Promise.all([
      page.waitForResponse((x) => x.url().includes("/agent/sign-in") && x.request().method() === "POST"),
      page.click("form.sign-in button"),
    ]);
    if (resp.status() === 429) limited = resp;
  }
  assert.ok(limited, "the sign-in form is rate limited");
  const retry = Number(limited.headers()["retry-after"]);
  assert.ok(retry >= 1, `Retry-After: ${retry}`);
  assert.match(await page.textContent("[role=alert]"), WORDS.en.wait);
  assert.equal(await page.inputValue("#email"), "limited@example.com");
  await fits(page, "rate-limited-en");
  // In Chinese too. Failures back off for seconds at first (a stranger cannot lock anyone out),
  // so keep trying until this client's own budget is spent and the answer is 429 again.
  let limitedZh;
  for (let i = 0; i < 12 && !limitedZh; i += 1) {
    await page.goto("/agent/sign-in?lang=zh-CN");
    await page.fill("#email", "limited@example.com");
    await page.fill("#password", "still not it");
    const [resp] = await Promise.all([
      page.waitForResponse((x) => x.url().includes("/agent/sign-in") && x.request().method() === "POST"),
      page.click("form.sign-in button"),
    ]);
    if (resp.status() === 429) limitedZh = resp;
  }
  assert.ok(limitedZh, "the Chinese sign-in form is rate limited");
  assert.match(await page.textContent("[role=alert]"), WORDS["zh-CN"].wait);
  await fits(page, "rate-limited-zh-CN");

  assert.deepEqual(problems, []);
});

test("switching language keeps the typed draft, and never a recovery phrase", async (t) => {
  const b = await launch({ locale: "en" });
  t.after(() => b.close());
  const problems = await watch(b);
  const { page } = b;
  await page.goto("/tickets/new?lang=en");
  await page.fill("#f-email", "draft@example.com");
  await page.selectOption("#f-category", "transaction");
  await page.fill("#f-subject", "Draft subject that must survive");
  await page.fill("#f-body", "A long explanation I do not want to type twice.");
  await Promise.all([page.waitForURL(/lang=zh-CN/), page.click("a[hreflang=zh-CN]")]);
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.inputValue("#f-subject"), "Draft subject that must survive");
  assert.equal(await page.inputValue("#f-body"), "A long explanation I do not want to type twice.");
  assert.equal(await page.inputValue("#f-email"), "draft@example.com");
  assert.equal(await page.inputValue("#f-category"), "transaction");
  assert.equal(
    await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("wd-draft:")).length),
    0,
    "the saved draft is gone once restored",
  );
  await fits(page, "draft-restored-zh-CN");

  // A phrase in the box: the draft comes back without it (it never reached storage).
  await page.fill("#f-body", `Zhang Ming here.\n${PHRASE}\nThanks, Ming`);
  await Promise.all([page.waitForURL(/lang=en/), page.click("a[hreflang=en]")]);
  const body = await page.inputValue("#f-body");
  assert.ok(!body.includes("abandon"), body);
  // The typing guard's marker stands where the phrase was; the prose around it stays.
  assert.match(body, /^Zhang Ming\b[^]*\[recovery phrase removed: 12 words\]\nThanks, Ming$/);
  assert.equal(await page.inputValue("#f-subject"), "Draft subject that must survive");

  // The search box's query goes along too.
  await page.goto("/help/search?q=gas&lang=en");
  await Promise.all([page.waitForURL(/lang=zh-CN/), page.click("a[hreflang=zh-CN]")]);
  assert.equal(new URL(page.url()).searchParams.get("q"), "gas");

  // A form that came back with its errors shows what the server put back (its boxes' defaults):
  // the other language's page keeps that too. (Sent as a browser without script would.)
  await page.goto("/tickets/new?lang=en");
  await page.fill("#f-email", "echo@example.com");
  await page.selectOption("#f-category", "balance");
  await page.fill("#f-body", "Sent once without a subject.");
  await Promise.all([
    page.waitForResponse((x) => x.request().method() === "POST"),
    page.evaluate(() => document.getElementById("ticket-form").submit()),
  ]);
  await page.waitForSelector("#form-errors");
  await Promise.all([page.waitForURL(/lang=zh-CN/), page.click("a[hreflang=zh-CN]")]);
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.inputValue("#f-email"), "echo@example.com");
  assert.equal(await page.inputValue("#f-category"), "balance");
  assert.equal(await page.inputValue("#f-body"), "Sent once without a subject.");
  assert.deepEqual(problems, []);
});
