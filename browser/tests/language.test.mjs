// The language switcher: a Chinese browser gets Chinese, one click gives English, and the
// choice sticks on the next page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch } from "./browser.mjs";

let b;
before(async () => {
  b = await launch({ locale: "zh-CN" });
});
after(async () => {
  await b?.close();
});

test("the language switcher switches to English and remembers it", async () => {
  const { page } = b;
  await page.goto("/tickets/new");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.textContent("#ticket-form button[type=submit]"), "提交");

  await Promise.all([page.waitForURL("**/tickets/new?lang=en"), page.click("a[hreflang=en]")]);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.textContent("#ticket-form button[type=submit]"), "Send");
  assert.equal(await page.textContent("label[for=f-tx_hash]"), "Transaction hash (TxID)");

  // Without ?lang= the cookie keeps English, though the browser still asks for Chinese.
  await page.goto("/tickets/new");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok(await page.isVisible("a[hreflang=zh-CN]"), "the switch back is offered");
});
