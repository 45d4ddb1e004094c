// A phone-sized screen: the form fits, nothing scrolls sideways, and it still works.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch } from "./browser.mjs";

let b;
before(async () => {
  b = await launch({
    locale: "zh-CN",
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
});
after(async () => {
  await b?.close();
});

async function horizontalOverflow(page) {
  return page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map((el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : ""))
      .slice(0, 5),
  }));
}

for (const path of ["/", "/tickets/new", "/help", "/help/mnemonic-check", "/verify"]) {
  test(`no horizontal scroll at 390×844 on ${path}`, async () => {
    const { page } = b;
    await page.goto(path);
    if (path === "/tickets/new") await page.selectOption("#f-category", "transaction");
    const o = await horizontalOverflow(page);
    assert.ok(o.scroll <= o.client, `page is ${o.scroll}px wide in ${o.client}px: ${o.wide}`);
    assert.deepEqual(o.wide, []);
  });
}

test("the form's controls fit the screen and the submit button can be tapped", async () => {
  const { page } = b;
  await page.goto("/tickets/new");
  for (const id of ["f-email", "f-category", "f-subject", "f-body", "f-screenshots"]) {
    const box = await page.locator(`#${id}`).boundingBox();
    assert.ok(box, `#${id} is rendered`);
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `#${id} fits: ${JSON.stringify(box)}`);
  }
  const button = await page.locator("#ticket-form button[type=submit]").boundingBox();
  assert.ok(button.height >= 32, `the button is big enough to tap (${button.height}px)`);
  await page.tap("#ticket-form button[type=submit]");
  // The page marks what is missing before sending anything (file-pick.js).
  await page.waitForSelector("#f-email[aria-invalid=true]");
  assert.match(await page.textContent("#e-email"), /\S/, "an empty form says what is missing");
  const error = await page.locator("#e-body").boundingBox();
  assert.ok(error.x >= 0 && error.x + error.width <= 390, `the message fits: ${JSON.stringify(error)}`);
});

test("the chat button steps aside while a field is being filled in, and comes back", async () => {
  const { page } = b;
  await page.goto("/tickets/new");
  const launcher = page.locator("a.chat-launcher");
  assert.ok(await launcher.isVisible(), "the chat button shows on the form");
  // A round button on a phone, so it covers little of the page; still named for screen readers.
  const box = await launcher.boundingBox();
  assert.ok(box.width <= 60 && box.height >= 44, `compact and tappable: ${JSON.stringify(box)}`);
  assert.match(await launcher.evaluate((a) => a.textContent.trim()), /\S/);
  assert.ok((await page.getByRole("link", { name: /在线客服|Chat with us/ }).count()) >= 1, "named by its label");
  await page.tap("#f-app_version");
  assert.equal(await launcher.isVisible(), false, "it does not float over the field being typed in");
  await page.evaluate(() => document.activeElement.blur());
  assert.ok(await launcher.isVisible(), "and is back once no field has the focus");
});

test("the ticket's page shows what the user gave without scrolling sideways, in English too", async () => {
  const { page } = b;
  await page.goto("/tickets/new?lang=en");
  await page.fill("#f-email", "phone-details@example.com");
  await page.selectOption("#f-category", "app");
  await page.fill("#f-app_version", "7.4.2 (build 1180)");
  await page.fill("#f-device_os", "Android 15 on a Pixel 8");
  await page.fill("#f-subject", "The app closes when I open it");
  await page.fill("#f-body", "Since the update the app closes right after the splash screen.");
  await Promise.all([page.waitForURL(/\/t\//), page.tap("#ticket-form button[type=submit]")]);
  await page.waitForSelector("dl.ticket-details");
  const o = await horizontalOverflow(page);
  assert.ok(o.scroll <= o.client, `page is ${o.scroll}px wide in ${o.client}px: ${o.wide}`);
  const narrow = await page.evaluate(() =>
    [...document.querySelectorAll("dl.ticket-details dd")].filter((dd) => dd.getBoundingClientRect().width < 150).length);
  assert.equal(narrow, 0, "no value is squeezed into a sliver");
  await page.goto("/tickets/new?lang=zh-CN");
});
