// Live chat with a user and an agent in two browsers, in both languages: the assistant answers
// → the user asks for a person → the chat shows in the agent's workspace (/agent/desk, its
// waiting chats; title notification) → the agent accepts there → messages both ways without a
// reload of the workspace → a recovery phrase is removed on both screens → a
// reload loses and doubles nothing (user and agent) → the agent ends the chat and the user rates
// it, which the workspace shows. Screenshots of /chat at 1280, 390 and 320 px and of the
// workspace at 1280 and 390 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launch, PHRASE, SHOTS, signInWithLink, watch } from "./browser.mjs";

const LINK = process.env.WALLETDESK_TEST_AGENT6_LINK;

async function userSays(page, text) {
  const before = await page.locator("#chat-log li.from-user:not(.pending)").count();
  await page.fill("#chat-input", text);
  await page.click("#chat-send");
  // The typing guard holds a message with a secret once; the second press sends it.
  if (await page.locator(".secret-alert").count()) await page.click("#chat-send");
  await page.waitForFunction(
    (n) => document.querySelectorAll("#chat-log li.from-user:not(.pending)").length > n,
    before,
  );
}

test("a chat from the assistant to an agent and back, in both languages", async (t) => {
  assert.ok(LINK, "run.sh passes a sign-in link for the chat agent");
  const agent = await launch();
  t.after(agent.close);
  const agentProblems = await watch(agent);
  await signInWithLink(agent.page, LINK);
  // Old links to the chat page land in the workspace's waiting chats.
  await agent.page.goto("/agent/chats");
  await agent.page.waitForURL(/\/agent\/desk\?view=chats/);
  const ap = agent.page;

  for (const lang of ["zh-CN", "en"]) {
    await ap.setViewportSize({ width: 1280, height: 900 });
    await ap.goto(`/agent/desk?view=chats&lang=${lang}`);
    await ap.evaluate(() => { window.notReloaded = true; });
    const user = await launch();
    const problems = await watch(user);
    const page = user.page;
    await page.goto(`/chat?lang=${lang}`);
    await page.waitForSelector(`html[lang="${lang}"]`);
    const question = lang === "zh-CN" ? "如何恢复钱包？" : "How do I restore my wallet?";
    await userSays(page, question);
    await page.waitForSelector("#chat-log li.from-assistant");

    // A person: the chat appears among the waiting chats, with its place in the queue, and the
    // tab's title says something new came.
    await page.click("#chat-handoff");
    const row = ap.locator(".desk-row", { has: ap.locator(".queue") }).first();
    await row.waitFor();
    await ap.waitForFunction(() => /^\(\d+/.test(document.title));
    assert.match(await row.innerText(), lang === "zh-CN" ? /排队第 1 位/ : /1 in the queue/);
    await row.locator("a").click();
    await ap.waitForSelector("#desk-chat.state-queued");
    await ap.click("#desk-accept button");
    await ap.waitForSelector("#desk-chat.state-agent");
    await page.waitForFunction(() => document.getElementById("chat-status").textContent.includes("Chat Agent"));
    assert.equal(await page.locator("#chat-email").isVisible(), false, "no e-mail offer while an agent is online");
    // The assistant's answer and the user's question are in the workspace's conversation.
    assert.match(await ap.locator("#conversation").innerText(), lang === "zh-CN" ? /如何恢复钱包/ : /restore my wallet/);

    // A draft survives a canned reply; then the reply goes over the chat socket.
    const hello = lang === "zh-CN" ? "您好，我来帮您。" : "Hello, I can help.";
    await ap.fill("#body", hello);
    const canned = await ap.locator("#desk-canned option:not([value=''])").count();
    if (canned) {
      const option = await ap.locator("#desk-canned option:not([value=''])").first().getAttribute("value");
      await ap.selectOption("#desk-canned", option);
      await ap.click(".desk-canned button");
      await ap.waitForFunction((d) => document.getElementById("body").value.length > d.length + 5, hello);
      assert.ok((await ap.inputValue("#body")).startsWith(`${hello}\n\n`), "the canned reply went in after the draft");
      await ap.fill("#body", hello);
    }
    await ap.focus("#body");
    await ap.keyboard.press("Control+Enter");
    await page.waitForSelector("#chat-log li.from-agent");
    assert.equal(await ap.inputValue("#body"), "", "a sent reply leaves no draft");
    await ap.waitForFunction((text) => document.getElementById("conversation").innerText.includes(text), hello);
    await userSays(page, lang === "zh-CN" ? "谢谢" : "Thanks");
    await ap.waitForFunction(
      (text) => document.getElementById("conversation").innerText.includes(text),
      lang === "zh-CN" ? "谢谢" : "Thanks",
    );

    // A phrase is removed before anyone sees it.
    await userSays(page, `my words: ${PHRASE}`);
    await page.waitForSelector("#chat-log li.from-system");
    const userText = await page.locator("#chat-log").textContent();
    assert.ok(!userText.includes("abandon abandon"), "the user's screen shows no phrase");
    // The desk's notice to the user (after the message) is there too: the conversation is whole.
    await ap.waitForFunction(() => /助记词或私钥|recovery phrase or private key/.test(document.getElementById("conversation").innerText));
    const agentText = await ap.locator("#conversation").textContent();
    assert.ok(!agentText.includes("abandon abandon"), "the agent's screen shows no phrase");
    assert.equal(await ap.evaluate(() => window.notReloaded), true, "the workspace never reloaded");

    // A reload: the conversation comes back, nothing doubled (the user's page and the agent's).
    const ids = async () =>
      page.evaluate(() => [...document.querySelectorAll("#chat-log li")].map((li) => li.textContent));
    const before = await ids();
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll("#chat-log li").length >= n, before.length);
    await page.waitForTimeout(300);
    const after = await ids();
    assert.equal(after.length, before.length, `after reload: ${JSON.stringify(after)}`);
    const agentBefore = await ap.locator("#conversation li").count();
    await ap.reload();
    await ap.waitForSelector("#desk-chat.state-agent");
    assert.equal(await ap.locator("#conversation li").count(), agentBefore, "the workspace shows each message once");
    assert.equal(await ap.getAttribute("#desk-reply", "data-chat"), "1", "the composer is live again");

    for (const width of [1280, 390, 320]) {
      await page.setViewportSize({ width, height: 800 });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `/chat at ${width}px (${lang}) is ${scroll}px wide`);
      await page.screenshot({ path: join(SHOTS, `chat-${lang}-${width}.png`) });
    }
    await ap.screenshot({ path: join(SHOTS, `desk-chat-${lang}-1280.png`) });
    await ap.setViewportSize({ width: 390, height: 844 });
    const agentScroll = await ap.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(agentScroll <= 390, `the workspace's chat at 390px (${lang}) is ${agentScroll}px wide`);
    await ap.screenshot({ path: join(SHOTS, `desk-chat-${lang}-390.png`), fullPage: true });
    await ap.setViewportSize({ width: 1280, height: 900 });

    // The end (solve, "s", on the page), and the rating in the chat, which the workspace shows
    // in the requester's satisfaction history, for this chat.
    const chatId = await ap.evaluate(() => new URL(location.href).searchParams.get("t"));
    assert.match(chatId ?? "", /^\d+$/);
    await ap.evaluate(() => { window.notReloaded = true; });
    await ap.click("#desk-solve button");
    await ap.waitForFunction(() => /Ticket solved|工单已解决/.test(document.getElementById("notice")?.textContent ?? ""));
    await page.waitForSelector("#chat-rate:not([hidden])");
    await page.click('#chat-rate [data-score="5"]');
    await ap.waitForFunction(
      (id) => [...document.querySelectorAll(".desk-csat li")].some((li) => li.textContent.includes(`#${id}`) && /^5\b/.test(li.querySelector("strong")?.textContent ?? "")),
      chatId,
    );
    assert.equal(await ap.evaluate(() => window.notReloaded), true, "solving stays on the page");
    assert.deepEqual(problems, []);
    await user.close();
  }
  assert.deepEqual(agentProblems, []);
});

test("the launcher is on help-center pages and the chat page is keyboard usable", async (t) => {
  const b = await launch();
  t.after(b.close);
  await b.page.goto("/help?lang=en");
  const launcher = b.page.locator("a.chat-launcher");
  assert.equal(await launcher.getAttribute("href"), "/chat");
  await b.page.goto("/chat?lang=en");
  await b.page.waitForFunction(() => document.getElementById("chat-status").textContent.length > 0);
  assert.equal(await b.page.locator("#chat-log").getAttribute("aria-live"), "polite");
  await b.page.focus("#chat-input");
  await b.page.keyboard.type("hello");
  await b.page.keyboard.press("Enter");
  await b.page.waitForSelector("#chat-log li.from-user:not(.pending)");
});
