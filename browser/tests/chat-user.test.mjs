// What a wallet user hits on /chat, in both languages: the page at 320, 390 and 1280 px, used
// with the keyboard alone and as a screen reader reads it (roles, live regions, labels, focus
// after sending, a visible focus ring); the secret warning before a message leaves; a network
// drop and back (nothing lost, nothing doubled, a visible "reconnecting" state); a screenshot
// sent in the chat (stripped by the desk, shown as a thumbnail) and a wrong file refused with
// the desk's message. Screenshots in browser/screenshots/chat-user-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launch, PHRASE, pngWithText, SHOTS, unlabelledControls, watch } from "./browser.mjs";


const STRINGS = {
  en: { offline: "Reconnecting", send: "Send", attach: "Attach a screenshot", sending: "Sending" },
  "zh-CN": { offline: "正在重新连接", send: "发送", attach: "添加截图", sending: "发送中" },
};

async function ready(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById("chat-status").textContent;
    return s && !/Connecting|正在连接|连接中/.test(s);
  });
}

async function say(page, text) {
  const before = await page.locator("#chat-log li.from-user:not(.pending)").count();
  await page.fill("#chat-input", text);
  await page.press("#chat-input", "Enter");
  await page.waitForFunction(
    (n) => document.querySelectorAll("#chat-log li.from-user:not(.pending)").length > n,
    before,
  );
}

/** The desk's own record of this conversation (through its API, with the page's token). */
async function transcript(page, lang) {
  return page.evaluate(async (l) => {
    const saved = JSON.parse(localStorage.getItem(`walletdesk-chat-${l}`));
    const r = await fetch(`/api/v1/chat/conversations/${saved.id}`, {
      headers: { authorization: `Bearer ${saved.token}` },
    });
    return r.json();
  }, lang);
}

/** Whether the focused element draws a focus ring a sighted keyboard user can see. */
async function focusRing(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return { id: el.id, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
}

for (const lang of ["en", "zh-CN"]) {
  test(`/chat (${lang}) at 320, 390 and 1280 px, by keyboard and screen reader`, async (t) => {
    const b = await launch();
    t.after(b.close);
    const problems = await watch(b);
    const page = b.page;
    await page.goto(`/chat?lang=${lang}`);
    await ready(page);

    // What a screen reader is told: a status line, the log as a polite live region, an alert
    // region for refusals, every control named.
    assert.equal(await page.locator("#chat-status").getAttribute("role"), "status");
    assert.equal(await page.locator("#chat-log").getAttribute("aria-live"), "polite");
    assert.equal(await page.locator("#chat-notice").getAttribute("role"), "alert");
    assert.deepEqual(await unlabelledControls(page), []);
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll("button, a[href]")]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => !(el.getAttribute("aria-label") || el.textContent.trim()))
        .map((el) => el.outerHTML),
    );
    assert.deepEqual(unnamed, []);
    const attach = page.locator("#chat-attach");
    assert.ok((await attach.textContent()).includes(STRINGS[lang].attach), "the attach button is named");
    assert.ok(await attach.getAttribute("aria-describedby"), "the attach button's limits are read out");

    // The keyboard alone: Tab reaches the box, the attach button and Send, each with a ring.
    await page.focus("#chat-input");
    for (const id of ["chat-attach", "chat-send"]) {
      await page.keyboard.press("Tab");
      const ring = await focusRing(page);
      assert.equal(ring.id, id, "tab order: box → attach → send");
      assert.notEqual(ring.style, "none", `${id} shows its focus`);
      assert.ok(ring.width >= 2, `${id}'s focus ring is ${ring.width}px`);
    }
    // Send pressed from the keyboard: the message goes and the focus comes back to the box.
    await page.focus("#chat-input");
    await page.keyboard.type(lang === "en" ? "How do I back up my wallet?" : "如何备份钱包？");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#chat-log li.from-user:not(.pending)");
    assert.equal(await page.evaluate(() => document.activeElement.id), "chat-input", "focus after sending");
    await page.waitForSelector("#chat-log li.from-assistant");
    // New messages are added inside the live region (that is what gets announced).
    assert.ok(await page.locator("#chat-log[aria-live] li.from-assistant").count());
    // The assistant's article links are links, not Markdown to read.
    const answer = await page.locator("#chat-log li.from-assistant .text").first();
    assert.ok(await answer.locator('a[href^="/help/"]').count(), "the article is a link");
    assert.equal(
      await answer.locator('a[href^="/help/"]:not([target="_blank"])').count(),
      0,
      "the answer's links open beside the chat, as its cards do",
    );
    assert.ok(!(await answer.textContent()).includes("](/help/"), "no raw Markdown");
    // Its steps are paragraphs and their sub-items a list, as on the help center: no dashes.
    assert.ok(!/(^|\n)\s*- /.test(await answer.innerText()), "sub-items are a list, not dashes");

    // The secret warning runs on every message: held once, the remove button focused, and
    // after removing nothing secret leaves the browser.
    const sentBefore = await page.locator("#chat-log li.from-user").count();
    await page.fill("#chat-input", `${lang === "en" ? "my words" : "我的助记词"}: ${PHRASE}`);
    await page.waitForSelector(".secret-alert");
    assert.equal(await page.locator(".secret-alert").getAttribute("role"), "alert", "read out at once");
    // Above the box, full width: the box keeps its size.
    const [alertBox, inputBox] = [await page.locator(".secret-alert").boundingBox(), await page.locator("#chat-input").boundingBox()];
    assert.ok(alertBox.y + alertBox.height <= inputBox.y + 1, "the warning sits above the box");
    await page.press("#chat-input", "Enter");
    assert.equal(await page.locator("#chat-log li.from-user").count(), sentBefore, "held: not sent");
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains("secret-remove")), true);
    await page.screenshot({ path: join(SHOTS, `chat-user-${lang}-secret-warning-390.png`) });
    await page.keyboard.press("Enter"); // the focused "remove" button
    assert.ok(!(await page.inputValue("#chat-input")).includes("abandon"), "the phrase left the box");
    await page.focus("#chat-input");
    await page.press("#chat-input", "Enter");
    await page.waitForFunction(
      (n) => document.querySelectorAll("#chat-log li.from-user:not(.pending)").length > n,
      sentBefore,
    );
    assert.ok(!(await page.locator("#chat-log").textContent()).includes("abandon"));

    // Widths: no sideways scrolling, and a look at each.
    for (const width of [320, 390, 1280]) {
      await page.setViewportSize({ width, height: 760 });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `/chat at ${width}px (${lang}) is ${scroll}px wide`);
      const send = await page.locator("#chat-send").boundingBox();
      assert.ok(send && send.x + send.width <= width, `Send is on screen at ${width}px`);
      await page.screenshot({ path: join(SHOTS, `chat-user-${lang}-${width}.png`) });
    }
    assert.deepEqual(problems, []);
  });

  test(`/chat (${lang}): a network drop loses and doubles nothing, and says it is reconnecting`, async (t) => {
    const b = await launch({ viewport: { width: 390, height: 760 } });
    t.after(b.close);
    const problems = await watch(b);
    const page = b.page;
    await page.goto(`/chat?lang=${lang}`);
    await ready(page);
    await say(page, lang === "en" ? "before the drop" : "断网之前");

    await b.context.setOffline(true);
    await page.waitForFunction(() => document.getElementById("chat").classList.contains("offline"));
    const status = await page.locator("#chat-status").textContent();
    assert.ok(status.includes(STRINGS[lang].offline), `offline status: ${status}`);
    const lost = lang === "en" ? "written while offline" : "离线时写的消息";
    await page.fill("#chat-input", lost);
    await page.press("#chat-input", "Enter");
    const pending = page.locator("#chat-log li.pending");
    await pending.waitFor();
    assert.ok((await pending.textContent()).includes(STRINGS[lang].sending), "shown as sending");
    await page.screenshot({ path: join(SHOTS, `chat-user-${lang}-offline-390.png`) });

    await b.context.setOffline(false);
    await page.waitForFunction(() => !document.querySelector("#chat-log li.pending"));
    await page.waitForFunction(() => !document.getElementById("chat").classList.contains("offline"));
    const count = async () =>
      page.evaluate(
        (text) => [...document.querySelectorAll("#chat-log li .text")].filter((p) => p.textContent === text).length,
        lost,
      );
    assert.equal(await count(), 1, "shown once");
    // Twice more, quickly: a flaky network.
    for (let i = 0; i < 2; i++) {
      await b.context.setOffline(true);
      await page.waitForFunction(() => document.getElementById("chat").classList.contains("offline"));
      await b.context.setOffline(false);
      await page.waitForFunction(() => !document.getElementById("chat").classList.contains("offline"));
    }
    const tr = await transcript(page, lang);
    assert.equal(tr.messages.filter((m) => m.text === lost).length, 1, "stored once");
    await page.reload();
    await page.waitForFunction((text) => document.getElementById("chat-log").textContent.includes(text), lost);
    assert.equal(await count(), 1, "once after a reload");
    assert.deepEqual(problems, []);
  });
}

test("a screenshot goes through the chat stripped, and a wrong file is refused with the reason", async (t) => {
  const b = await launch({ viewport: { width: 390, height: 760 } });
  t.after(b.close);
  const problems = await watch(b);
  const page = b.page;
  await page.goto("/chat?lang=en");
  await ready(page);

  await page.setInputFiles("#chat-file", { name: "transfer failed.png", mimeType: "image/png", buffer: pngWithText() });
  const shot = page.locator("#chat-log li.from-user:not(.pending) a.chat-shot img");
  await shot.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector("#chat-log a.chat-shot img");
    return img && img.complete && img.naturalWidth === 24;
  });
  assert.equal(await shot.getAttribute("alt"), "Screenshot: transfer_failed.png");
  // What the desk serves has no text chunk.
  const bytes = await page.evaluate(async () => {
    const img = document.querySelector("#chat-log a.chat-shot img");
    const r = await fetch(img.src);
    return { type: r.headers.get("content-type"), text: new TextDecoder("latin1").decode(await r.arrayBuffer()) };
  });
  assert.equal(bytes.type, "image/png");
  assert.ok(!bytes.text.includes("GPS"), "the comment with a position was stripped");
  assert.equal(await page.evaluate(() => document.activeElement.id), "chat-attach", "focus stays on the attach button");
  await page.screenshot({ path: join(SHOTS, "chat-user-en-screenshot-390.png") });

  // A file that is not an image: the desk's reason, in an alert, and nothing sent.
  const before = await page.locator("#chat-log li.from-user").count();
  await page.setInputFiles("#chat-file", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  const notice = page.locator("#chat-notice");
  await notice.waitFor({ state: "visible" });
  assert.ok((await notice.textContent()).includes("only PNG, JPEG and WebP images up to 10 MB"), await notice.textContent());
  assert.equal(await page.locator("#chat-log li.from-user").count(), before);
  await page.screenshot({ path: join(SHOTS, "chat-user-en-refused-390.png") });

  // Reloaded, the thumbnail is still there (from the history).
  await page.reload();
  await page.locator("#chat-log a.chat-shot img").waitFor();
  assert.deepEqual(problems, []);
});
