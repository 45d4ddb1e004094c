// The agents' workspace (/agent/desk) in a real browser, in both languages at 1280 and 390 px:
// it fits, keyboard shortcuts move through the list and open the composer (never while
// typing), a draft survives moving to another ticket and back and a canned reply, the help
// overlay traps focus and closes with Esc, another agent's presence (online, away, offline)
// shows, and a reply is sent without a reload. (Chats in the workspace: chat.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, launch, signInWithLink, unlabelledControls, watch } from "./browser.mjs";

const LINK = process.env.WALLETDESK_TEST_DESK_LINK;
const LINK2 = process.env.WALLETDESK_TEST_DESK2_LINK;

const noSideways = async (page, what) => {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what} is ${scroll}px wide in a ${inner}px window`);
};

const selectedId = (page) =>
  page.evaluate(() => document.getElementById("desk-ticket")?.dataset.id ?? null);

test("the agents' workspace", async (t) => {
  assert.ok(LINK && LINK2, "run.sh passes the desk agents' sign-in links");
  const a = await launch();
  t.after(a.close);
  const problems = await watch(a);
  const page = a.page;
  await signInWithLink(page, LINK);

  for (const lang of ["en", "zh-CN"]) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/agent/desk?view=all&lang=${lang}`);
    await page.waitForSelector(".desk-row");
    // Drafts live in this tab's sessionStorage (they survive a reload); each round starts empty.
    await page.evaluate(() => sessionStorage.clear());
    await noSideways(page, `workspace (${lang}) at 1280`);
    assert.deepEqual(await unlabelledControls(page), [], "every control has a label");
    // One line per ticket: a row is at most two short text lines, never a column of letters.
    const rowHeight = await page.locator(".desk-row a").first().evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(rowHeight < 70, `a list row is ${rowHeight}px high`);
    await page.evaluate(() => { window.notReloaded = true; });

    // j opens the first ticket without reloading the page; j again the second; k goes back.
    await page.keyboard.press("j");
    await page.waitForSelector("#desk-ticket");
    const first = await selectedId(page);
    assert.ok(page.url().includes(`t=${first}`), page.url());
    await page.keyboard.press("j");
    await page.waitForFunction((id) => document.getElementById("desk-ticket")?.dataset.id !== id, first);
    const second = await selectedId(page);
    assert.notEqual(second, first);
    await page.keyboard.press("k");
    await page.waitForFunction((id) => document.getElementById("desk-ticket")?.dataset.id === id, first);

    // r: the reply box; what is typed there is never a shortcut.
    await page.keyboard.press("r");
    assert.equal(await page.evaluate(() => document.activeElement.id), "body");
    const draft = lang === "en" ? "Draft: checking your transfer now" : "草稿：正在为您查询转账";
    await page.keyboard.type(draft + " jk");
    assert.equal(await selectedId(page), first, "j and k typed in the box moved nothing");
    assert.equal(await page.inputValue("#body"), draft + " jk");
    await page.keyboard.press("Escape");
    // Another ticket and back: the draft is still there.
    await page.keyboard.press("j");
    await page.waitForFunction((id) => document.getElementById("desk-ticket")?.dataset.id !== id, first);
    assert.equal(await page.inputValue("#body"), "", "the other ticket has its own (empty) draft");
    await page.keyboard.press("k");
    await page.waitForFunction((id) => document.getElementById("desk-ticket")?.dataset.id === id, first);
    assert.equal(await page.inputValue("#body"), draft + " jk", "the draft was kept");

    // n: the same box as an internal note (marked).
    await page.keyboard.press("Escape");
    await page.keyboard.press("n");
    assert.equal(await page.evaluate(() => document.getElementById("desk-reply").classList.contains("note-mode")), true);
    await page.keyboard.press("Escape");

    // A canned reply in the conversation's language goes in after the draft.
    const ticketLang = await page.evaluate(() => document.getElementById("desk-ticket").dataset.lang);
    const option = await page.locator("#desk-canned > option:not([value=''])").first().getAttribute("value");
    assert.ok(option, `canned replies in ${ticketLang} are offered first`);
    await page.selectOption("#desk-canned", option);
    await page.click(".desk-canned button");
    await page.waitForFunction((d) => document.getElementById("body").value.length > d.length + 10, draft);
    const withCanned = await page.inputValue("#body");
    assert.ok(withCanned.startsWith(`${draft} jk\n\n`), withCanned);
    assert.equal(await page.evaluate(() => window.notReloaded), true, "all of this without a reload");
    await page.screenshot({ path: join(SHOTS, `desk-ticket-${lang}-1280.png`) });

    // ? opens the help, which keeps focus inside and closes with Esc.
    await page.focus(".desk-row.selected a");
    await page.keyboard.press("?");
    await page.waitForSelector("#desk-help[open]");
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press("Tab");
      assert.equal(
        await page.evaluate(() => Boolean(document.activeElement.closest("#desk-help")) || document.activeElement === document.body),
        true,
        "focus stays in the help",
      );
    }
    const helpText = await page.locator("#desk-help").innerText();
    assert.match(helpText, lang === "en" ? /Next \/ previous ticket/ : /下一个 \/ 上一个工单/);
    await page.screenshot({ path: join(SHOTS, `desk-help-${lang}-1280.png`) });
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.getElementById("desk-help").open);
    // The dialog's `close` event, which moves focus back, comes in a task after it closes.
    const back = await page
      .waitForFunction(() => document.activeElement.closest(".desk-row")?.classList.contains("selected"), null, { timeout: 5000 })
      .then(() => true, () => false);
    assert.equal(back, true, "focus goes back to where it was");

    // A phone: the list alone, then the ticket alone with a way back.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/agent/desk?view=all&lang=${lang}`);
    await page.waitForSelector(".desk-row");
    await noSideways(page, `workspace list (${lang}) at 390`);
    assert.equal(await page.locator("#desk-pane").isVisible(), false, "no empty pane under the list");
    // Every view in sight (none cut off at the edge), and the agent's own status.
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll(".desk-views a")]
        .filter((a) => a.getBoundingClientRect().right > window.innerWidth)
        .map((a) => a.textContent.trim()));
    assert.deepEqual(cut, [], `views cut off at 390 (${lang})`);
    assert.equal(await page.locator("#desk-me").isVisible(), true, "the status form is there");
    await page.screenshot({ path: join(SHOTS, `desk-list-${lang}-390.png`), fullPage: true });
    await page.locator(".desk-row a").first().click();
    await page.waitForSelector("#desk-ticket");
    assert.equal(await page.locator(".desk-list").isVisible(), false, "the ticket has the screen");
    await noSideways(page, `workspace ticket (${lang}) at 390`);
    await page.screenshot({ path: join(SHOTS, `desk-ticket-${lang}-390.png`), fullPage: true });
    await page.click("#desk-back");
    await page.waitForSelector(".desk-list", { state: "visible" });
  }

  // Presence: a second agent opens the workspace, goes away, closes it.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/agent/desk?view=all&lang=en");
  const b = await launch();
  t.after(b.close);
  await signInWithLink(b.page, LINK2);
  const member = () => page.locator(".desk-team .member", { hasText: "Desk Partner" });
  // B's page runs on a clock the test moves: five idle minutes make B away, a key makes B
  // back, without waiting for real minutes.
  await b.page.clock.install();
  await b.page.goto("/agent/desk?lang=en");
  const partnerIs = (state) =>
    page.waitForFunction(
      (s) => [...document.querySelectorAll(`.desk-team .member.${s}`)].some((m) => m.textContent.includes("Desk Partner")),
      state,
    );
  await partnerIs("online");
  assert.match(await member().innerText(), /Online/);
  await b.page.clock.fastForward("06:00");
  await partnerIs("away");
  assert.equal(await b.page.inputValue("#my-state"), "away", "B's own page says so too");
  await b.page.keyboard.press("Shift");
  await partnerIs("online");
  await page.screenshot({ path: join(SHOTS, "desk-team-en-1280.png") });
  await b.page.selectOption("#my-state", "away");
  await page.waitForFunction(() => [...document.querySelectorAll(".desk-team .member.away")].some((m) => m.textContent.includes("Desk Partner")));
  await b.page.goto("about:blank");
  await page.waitForFunction(
    () => [...document.querySelectorAll(".desk-team .member.offline")].some((m) => m.textContent.includes("Desk Partner")),
    null,
    { timeout: 30000 },
  );

  // a assigns to me; a reply sent with Ctrl+Enter shows in the conversation.
  await page.keyboard.press("j");
  await page.waitForSelector("#desk-ticket");
  const id = await selectedId(page);
  if (await page.locator("#desk-assign").count()) {
    await page.keyboard.press("a");
    await page.waitForSelector("#notice");
    assert.match(await page.locator("#notice").innerText(), /Assigned to you/);
  }
  // The reply is sent without leaving the page (no reload: the marker stays).
  await page.evaluate(() => { window.notReloaded = true; });
  await page.keyboard.press("r");
  await page.keyboard.type("We are looking at it now.");
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => /We are looking at it now\./.test(document.getElementById("conversation").innerText));
  assert.equal(await selectedId(page), id);
  assert.equal(await page.evaluate(() => window.notReloaded), true, "sent without a reload");
  assert.equal(await page.inputValue("#body"), "", "a sent reply leaves no draft behind");
  assert.deepEqual(problems, []);
});
