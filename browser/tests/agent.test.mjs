// An agent's day in the real browser: the inbox fits the screen at 1280 and 390 px in both
// languages, and inserting a canned reply keeps what the agent had already written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, signInWithLink } from "./browser.mjs";

const LINK = process.env.WALLETDESK_TEST_ADMIN_LINK;

test("the agent's inbox and ticket page", async (t) => {
  assert.ok(LINK, "run.sh passes the first admin's sign-in link");
  const { page, close } = await launch();
  t.after(close);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signInWithLink(page, LINK);

  for (const width of [1280, 390]) {
    for (const lang of ["en", "zh-CN"]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`/agent?lang=${lang}`);
      await page.waitForSelector("table.tickets");
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `inbox at ${width}px (${lang}) is ${scroll}px wide`);
      const rows = await page.locator("table.tickets tr.ticket").count();
      assert.ok(rows > 0, "the demo tickets are listed");
      await page.screenshot({ path: `${process.env.TMPDIR || "/tmp"}/agent-inbox-${width}-${lang}.png` });
    }
  }

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/agent?lang=en");
  await page.click("table.tickets tr.ticket td.subject a");
  await page.waitForSelector("#body");
  const url = page.url();
  await page.evaluate(() => { window.notReloaded = true; });
  await page.fill("#body", "Hello, thanks for writing.");
  const option = await page.locator("#canned option:not([value=''])").first().getAttribute("value");
  assert.ok(option, "the demo has canned replies");
  await page.selectOption("#canned", option);
  await page.click("form.canned button");
  await page.waitForFunction(() => document.getElementById("body").value.length > 30);
  const draft = await page.inputValue("#body");
  assert.ok(draft.startsWith("Hello, thanks for writing.\n\n"), draft);
  assert.equal(page.url(), url, "no navigation");
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
  assert.deepEqual(errors, []);
});
