// An agent's sign-in security in a real browser: a one-time link opens a page with a button,
// the agent sets a password, sets up an authenticator app (TOTP, the code computed here as the
// app would), sees the recovery codes once, and then signs in with password and code. Both
// languages, 1280 and 390 px.

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { BASE_URL, fitsBothWidths, launch, signInWithLink, watch } from "./browser.mjs";

const LINK = process.env.WALLETDESK_TEST_AGENT4_LINK;
const EMAIL = "security-agent@example.com";
const PASSWORD = "a lantern fish swims home";

function base32Decode(s) {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let buf = 0, bits = 0;
  const out = [];
  for (const c of s) {
    buf = (buf << 5) | A.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((buf >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 with SHA-1, 6 digits, 30 s steps: what an authenticator app shows. */
function totp(secret, stepOffset = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + stepOffset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", secret).update(msg).digest();
  const o = h[h.length - 1] & 0x0f;
  const bin = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(bin % 1_000_000).padStart(6, "0");
}

test("an agent sets a password and an authenticator, then signs in with both", async (t) => {
  assert.ok(LINK, "run.sh passes a fourth agent's sign-in link");
  const b = await launch();
  t.after(b.close);
  const problems = await watch(b);
  const { page } = b;

  // The link only shows a button; the button signs in and leads to the password page.
  await page.goto(LINK.replace(/^https?:\/\/[^/]+/, BASE_URL) + "?lang=zh-CN");
  assert.equal((await page.textContent("h1")).trim(), "使用一次性链接登录");
  await fitsBothWidths(page, "security-link-zh-CN");
  await signInWithLink(page, LINK);
  await page.goto("/agent/password?lang=en");
  assert.equal(await page.locator("input[name=current]").count(), 0, "no current password after a link");
  await fitsBothWidths(page, "security-password-en");
  await page.fill("#new", PASSWORD);
  await page.fill("#confirm", PASSWORD);
  // (notice.js takes `?done=` out of the address bar once shown: read the page, not the URL.)
  await Promise.all([page.waitForNavigation(), page.click("form.sign-in button")]);
  assert.match(await page.textContent("main"), /Your password was saved/);

  // Setting up the authenticator.
  await page.goto("/agent/security?lang=en");
  await fitsBothWidths(page, "security-off-en");
  await Promise.all([page.waitForNavigation(), page.click("#totp-begin")]);
  assert.match(await page.textContent("main"), /Scan the code below/);
  assert.equal(await page.locator(".qr-box svg").count(), 1, "a QR code to scan");
  const secret = base32Decode((await page.textContent("#totp-secret")).trim());
  assert.equal(secret.length, 20);
  await fitsBothWidths(page, "security-setup-en");
  await page.fill("#code", totp(secret));
  await Promise.all([page.waitForNavigation(), page.click("form.sign-in button")]);
  assert.match(await page.textContent("main"), /The authenticator app is on/);
  const codes = await page.locator("#recovery-codes li").allTextContents();
  assert.equal(codes.length, 10, "ten recovery codes");
  await fitsBothWidths(page, "security-codes-en");
  await page.goto("/agent/security?lang=zh-CN");
  assert.equal(await page.locator("#recovery-codes").count(), 0, "shown once only");
  assert.match(await page.textContent("main"), /已设置身份验证器应用/);
  await fitsBothWidths(page, "security-on-zh-CN");

  // Sign out, then in: password, then a code (the next step's: the first was used).
  await page.click("nav form button.link");
  await page.waitForURL(/\/agent\/sign-in/);
  await page.fill("#email", EMAIL);
  await page.fill("#password", PASSWORD);
  await page.click("form.sign-in button");
  await page.waitForURL(/\/agent\/second-factor/);
  await page.goto("/agent/second-factor?lang=zh-CN");
  assert.equal((await page.textContent("h1")).trim(), "输入登录验证码");
  await fitsBothWidths(page, "security-second-factor-zh-CN");
  await page.fill("#code", "000000");
  await page.click("form.sign-in button");
  assert.match(await page.textContent("[role=alert]"), /验证码不正确/);
  await page.fill("#code", totp(secret, 1));
  await page.click("form.sign-in button");
  await page.waitForURL(/\/agent\/desk(\?|$)/);
  assert.ok(await page.locator("#desk").count() > 0, "the workspace opens");
  assert.deepEqual(problems, []);
});
