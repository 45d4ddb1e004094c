// Live chat with a user and an agent in two browsers, in both languages: the assistant answers
// → the user asks for a person → the agent accepts → messages both ways → a recovery phrase is
// removed on both screens → a reload loses and doubles nothing → the agent ends the chat and
// the user rates it. Screenshots of /chat at 1280, 390 and 320 px.
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
  await agent.page.goto("/agent/chats");
  await agent.page.waitForFunction(() => /Online|在线/.test(document.getElementById("agent-chat-status").textContent));

  for (const lang of ["zh-CN", "en"]) {
    const user = await launch();
    const problems = await watch(user);
    const page = user.page;
    await page.goto(`/chat?lang=${lang}`);
    await page.waitForSelector(`html[lang="${lang}"]`);
    const question = lang === "zh-CN" ? "如何恢复钱包？" : "How do I restore my wallet?";
    await userSays(page, question);
    await page.waitForSelector("#chat-log li.from-assistant");

    // A person.
    await page.click("#chat-handoff");
    const accept = agent.page.locator("#chat-queue [data-accept]").last();
    await accept.waitFor();
    await accept.click();
    await agent.page.waitForSelector("#agent-chat:not([hidden])");
    await page.waitForFunction(() => document.getElementById("chat-status").textContent.includes("Chat Agent"));
    assert.equal(await page.locator("#chat-email").isVisible(), false, "no e-mail offer while an agent is online");

    await agent.page.fill("#chat-input", lang === "zh-CN" ? "您好，我来帮您。" : "Hello, I can help.");
    await agent.page.press("#chat-input", "Enter");
    await page.waitForSelector("#chat-log li.from-agent");
    await userSays(page, lang === "zh-CN" ? "谢谢" : "Thanks");
    await agent.page.waitForFunction(
      (text) => [...document.querySelectorAll("#chat-log li")].some((li) => li.textContent.includes(text)),
      lang === "zh-CN" ? "谢谢" : "Thanks",
    );

    // A phrase is removed before anyone sees it.
    await userSays(page, `my words: ${PHRASE}`);
    await page.waitForSelector("#chat-log li.from-system");
    const userText = await page.locator("#chat-log").textContent();
    assert.ok(!userText.includes("abandon abandon"), "the user's screen shows no phrase");
    await agent.page.waitForFunction(() => document.querySelectorAll("#chat-log li").length >= 5);
    const agentText = await agent.page.locator("#chat-log").textContent();
    assert.ok(!agentText.includes("abandon abandon"), "the agent's screen shows no phrase");

    // A reload: the conversation comes back, nothing doubled.
    const ids = async () =>
      page.evaluate(() => [...document.querySelectorAll("#chat-log li")].map((li) => li.textContent));
    const before = await ids();
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll("#chat-log li").length >= n, before.length);
    await page.waitForTimeout(300);
    const after = await ids();
    assert.equal(after.length, before.length, `after reload: ${JSON.stringify(after)}`);

    for (const width of [1280, 390, 320]) {
      await page.setViewportSize({ width, height: 800 });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `/chat at ${width}px (${lang}) is ${scroll}px wide`);
      await page.screenshot({ path: join(SHOTS, `chat-${lang}-${width}.png`) });
    }
    await agent.page.screenshot({ path: join(SHOTS, `agent-chats-${lang}-1280.png`) });

    // The end, and the rating in the chat.
    await agent.page.click("#chat-end");
    await page.waitForSelector("#chat-rate:not([hidden])");
    await page.click('#chat-rate [data-score="5"]');
    await agent.page.waitForFunction(() => /5\/5/.test(document.getElementById("agent-chat-status").textContent));
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
