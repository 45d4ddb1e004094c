// An admin's and two agents' journeys in the real browser: an admin writes an article in both
// languages, publishes it and a user finds it; every admin page reads in both languages and fits
// 1280 and 390 px (screenshots in browser/screenshots/); two agents on one ticket see each other
// live. Any Content-Security-Policy violation or script error fails the test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE_URL, fitsBothWidths, launch, signInWithLink, watch } from "./browser.mjs";

const ADMIN_LINK = process.env.WALLETDESK_TEST_ADMIN2_LINK;
const AGENT_LINK = process.env.WALLETDESK_TEST_AGENT3_LINK;
const local = (link) => link.replace(/^https?:\/\/[^/]+/, BASE_URL);

let admin;
let problems;
before(async () => {
  assert.ok(ADMIN_LINK, "run.sh passes another admin's sign-in link");
  admin = await launch();
  problems = await watch(admin);
  await signInWithLink(admin.page, ADMIN_LINK);
});
after(async () => {
  await admin?.close();
});

const ARTICLE = {
  en: {
    title: "Moving coins to a hardware wallet",
    summary: "Send a small test amount first, then the rest.",
    body: "Before you move everything:\n\n1. Check the receive address on the hardware wallet's own screen.\n2. Send a small test amount.\n3. Send the rest once the test arrives.\n",
    search: "hardware wallet test amount",
  },
  "zh-CN": {
    title: "把币转到硬件钱包",
    summary: "先转一小笔测试，到账后再转其余的。",
    body: "全部转出之前：\n\n1. 在硬件钱包自己的屏幕上核对收款地址。\n2. 先转一小笔测试。\n3. 测试到账后再转其余的。\n",
    search: "硬件钱包",
  },
};

for (const lang of ["en", "zh-CN"]) {
  test(`${lang}: an admin writes and publishes an article, and a user finds it`, async () => {
    const { page } = admin;
    const a = ARTICLE[lang];
    await page.goto(`/agent/help/new?lang=${lang}`);
    await page.fill("#a-slug", "moving-to-a-hardware-wallet");
    await page.selectOption("#a-lang", lang);
    await page.fill("#a-title", a.title);
    await page.fill("#a-summary", a.summary);
    await page.check("#topic-feature_howto");
    await page.fill("#a-keywords", lang === "en" ? "hardware wallet, cold storage" : "硬件钱包, 冷钱包");
    await page.fill("#a-body", a.body);
    await fitsBothWidths(page, `admin-article-editor-${lang}`);
    await Promise.all([page.waitForURL(/\/agent\/help\/\d+\/edit/), page.click("#article-form button[type=submit]")]);
    // A draft is not public yet.
    const user = await launch();
    try {
      // A draft is not public: no page in this language (the other language's version may be
      // shown instead, never this one).
      const draft = await user.page.goto(`/help/moving-to-a-hardware-wallet?lang=${lang}`);
      if (draft.status() === 200) {
        assert.notEqual((await user.page.textContent("h1")).trim(), a.title, "a draft is not public");
      } else {
        assert.equal(draft.status(), 404);
      }
      await Promise.all([
        page.waitForLoadState("load"),
        page.click(`form[action$="/publish"] button`),
      ]);
      const published = await user.page.goto(`/help/moving-to-a-hardware-wallet?lang=${lang}`);
      assert.equal(published.status(), 200);
      assert.equal((await user.page.textContent("h1")).trim(), a.title);
      assert.ok((await user.page.textContent("main")).includes(a.summary));
      await fitsBothWidths(user.page, `user-new-article-${lang}`);
      await user.page.goto(`/help/search?q=${encodeURIComponent(a.search)}&lang=${lang}`);
      const results = await user.page.textContent("main");
      assert.ok(results.includes(a.title), `search for ${a.search} lists the new article`);
    } finally {
      await user.close();
    }
    assert.deepEqual(problems, []);
  });
}

const ADMIN_PAGES = {
  "/admin": { en: "Overview", "zh-CN": "概览" },
  "/admin/satisfaction": { en: "Satisfaction", "zh-CN": "满意度" },
  "/admin/sla": { en: "Time zone", "zh-CN": "时区" },
  "/admin/agents": { en: "Agents", "zh-CN": "客服" },
  "/admin/canned": { en: "Canned", "zh-CN": "快捷回复" },
  "/admin/audit": { en: "Audit", "zh-CN": "审计日志" },
  "/admin/api-tokens": { en: "API tokens", "zh-CN": "API 令牌" },
  // The official channels: kinds picked from a list in the page's language.
  "/admin/brand": { en: "Official channels", "zh-CN": "官方渠道" },
  // The agents' workspace (issue 11, desk): chat limits, languages, presence.
  "/admin/desk": { en: "Chat limit", "zh-CN": "对话上限" },
  "/agent/help/analytics": { en: "Help-center analytics", "zh-CN": "帮助中心" },
  "/agent/help": { en: "Views", "zh-CN": "浏览" },
};

test("every admin page reads in both languages and fits 1280 and 390 px", async () => {
  const { page } = admin;
  for (const [path, words] of Object.entries(ADMIN_PAGES)) {
    for (const lang of ["en", "zh-CN"]) {
      const resp = await page.goto(`${path}?lang=${lang}`);
      assert.equal(resp.status(), 200, path);
      const text = await page.textContent("main");
      assert.ok(text.includes(words[lang]), `${path} (${lang}) says ${words[lang]}`);
      const name = `admin${path.replaceAll("/", "-")}-${lang}`;
      await fitsBothWidths(page, name);
      // On a phone an admin table is a list of cards: no cell reaches past the screen,
      // even inside a table that could scroll on its own.
      await page.setViewportSize({ width: 390, height: 844 });
      const past = await page.evaluate(() =>
        [...document.querySelectorAll("table.cards td")]
          .filter((td) => td.getBoundingClientRect().right > window.innerWidth + 1)
          .map((td) => td.textContent.trim().slice(0, 30)));
      assert.deepEqual(past, [], `${path} (${lang}) at 390px`);
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  }
  // The SLA page's fields all fit a phone, in English (the longer words) too.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/sla?lang=en");
  const clipped = await page.evaluate(() =>
    [...document.querySelectorAll("main input, main select")]
      .filter((el) => el.type !== "hidden" && el.getBoundingClientRect().right > window.innerWidth)
      .map((el) => el.name));
  assert.deepEqual(clipped, [], "SLA fields past the edge at 390 px");
  await page.setViewportSize({ width: 1280, height: 900 });
  // The SLA page offers hours and days and a named time zone.
  await page.goto("/admin/sla?lang=en");
  assert.equal(await page.inputValue("#bh-zone"), "Asia/Shanghai");
  assert.ok((await page.locator('select[name="first_low_unit"] option[selected]').textContent()).includes("days"));
  assert.deepEqual(problems, []);
});

test("two agents on one ticket see each other, live", async () => {
  assert.ok(AGENT_LINK, "run.sh passes a third agent's sign-in link");
  const other = await launch();
  const otherProblems = await watch(other);
  try {
    await signInWithLink(other.page, AGENT_LINK);
    const { page } = admin;
    await page.goto("/agent?lang=en");
    const href = await page.locator("table.tickets tr.ticket td.subject a").first().getAttribute("href");
    await page.goto(`${href}?lang=en`);
    await page.waitForSelector("#presence", { state: "attached" });
    assert.equal(await page.locator("#presence.empty").count(), 1, "alone at first");

    // The other agent opens the same ticket: the admin's page says so without a reload.
    await page.evaluate(() => { window.notReloaded = true; });
    await other.page.goto(`${href}?lang=zh-CN`);
    await page.waitForSelector("#presence:not(.empty)", { timeout: 15000 });
    assert.match(await page.textContent("#presence"), /Also viewing this ticket: Presence Agent/);
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    // …and the other agent's page, in Chinese, names the admin.
    await other.page.waitForSelector("#presence:not(.empty)", { timeout: 15000 });
    assert.match(await other.page.textContent("#presence"), /也在查看此工单/);
    await fitsBothWidths(page, "agent-ticket-presence-en");

    // The other agent leaves: the notice goes once the server notices (keep-alive, ≤ 15 s).
    await other.page.goto("/agent?lang=zh-CN");
    await page.waitForSelector("#presence.empty", { state: "attached", timeout: 40000 });
    assert.deepEqual(otherProblems, []);
  } finally {
    await other.close();
  }
  assert.deepEqual(problems, []);
});
