// Keyboard only: every control has a label, and the form is filled and sent with Tab, typing
// and Enter.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch, unlabelledControls } from "./browser.mjs";

let b;
before(async () => {
  b = await launch({ locale: "en-US" });
});
after(async () => {
  await b?.close();
});

/** Presses Tab until the element with `id` has focus; fails if it is never reached. */
async function tabTo(page, id, key = "Tab") {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(key);
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
  }
  assert.fail(`Tab never reached #${id}`);
}

test("every control of the ticket form has a label", async () => {
  const { page } = b;
  await page.goto("/tickets/new");
  const controls = await page.locator("input:not([type=hidden])").count();
  assert.ok(controls >= 6, `the form has its inputs (found ${controls})`);
  assert.deepEqual(await unlabelledControls(page), []);
});

test("the form can be filled and submitted with the keyboard alone", async () => {
  const { page } = b;
  await page.goto("/tickets/new");
  await tabTo(page, "f-email");
  await page.keyboard.type("keyboard@example.com");
  await tabTo(page, "f-category");
  // Arrow keys choose in a closed select; "Something else" is the last category.
  for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowDown");
  assert.equal(await page.inputValue("#f-category"), "other");
  await tabTo(page, "f-subject");
  await page.keyboard.type("The app shows a blank screen");
  await tabTo(page, "f-body");
  await page.keyboard.type("After the update the app only shows a white screen.");
  // Back to the subject with Shift+Tab: suggested articles for the subject may have appeared
  // between the two boxes (their links are in the tab order too).
  await tabTo(page, "f-subject", "Shift+Tab");
  // Enter in a text input submits the form.
  await Promise.all([page.waitForURL(/\/t\//), page.keyboard.press("Enter")]);
  await page.waitForSelector("#access-link");
  assert.match(await page.textContent("#created h2"), /Ticket created — keep this link/);

  await page.goto(await page.getAttribute("#access-link", "href"));
  assert.match(await page.textContent("body"), /only shows a white screen/);
  assert.deepEqual(await unlabelledControls(page), [], "the ticket page's controls too");
});
