// Passkeys in a real browser, with Chromium's virtual authenticator (DevTools
// `WebAuthn.addVirtualAuthenticator`: CTAP2, built in, resident keys, user verification): an
// agent adds a passkey, signs out, and signs in with the passkey alone — in English, then in
// Chinese — and sees a clear message when the device has no passkey for the desk.
//
// The desk runs on http://127.0.0.1:port; WebAuthn needs a domain name, so the browser opens it
// as http://localhost:port, which is what the desk's relying party is then
// (`auth::passkey::rp_for`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, fitsBothWidths, launch, watch } from "./browser.mjs";

const LINK = process.env.WALLETDESK_TEST_AGENT5_LINK;
const LOCAL = BASE_URL.replace("//127.0.0.1:", "//localhost:");

async function signOut(page) {
  await page.click("nav form button.link");
  await page.waitForURL(/\/agent\/sign-in/);
}

async function signInWithPasskey(page) {
  await page.click("#passkey-sign-in");
  await page.waitForURL(/\/agent\/desk(\?|$)/);
  assert.ok((await page.locator("#desk").count()) > 0, "the workspace opens");
}

test("an agent adds a passkey, then signs in with it alone, in both languages", async (t) => {
  assert.ok(LINK, "run.sh passes a fifth agent's sign-in link");
  const b = await launch({ baseURL: LOCAL });
  t.after(b.close);
  const problems = await watch(b);
  const { page } = b;

  const cdp = await b.context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  // The one-time link signs in; the session is fresh, so adding a passkey needs no step-up.
  await page.goto(LINK.replace(/^https?:\/\/[^/]+/, LOCAL));
  await page.click("#link-sign-in");
  await page.waitForURL(/\/agent\/password/);
  await page.goto("/agent/security?lang=en");
  await page.fill("#passkey-name", "Work laptop");
  await Promise.all([page.waitForNavigation(), page.click("#passkey-begin")]);
  assert.match(await page.textContent("#passkey-register"), /create the passkey "Work laptop"/);
  await fitsBothWidths(page, "passkey-create-en");
  await Promise.all([page.waitForNavigation(), page.click("#passkey-create")]);
  assert.match(await page.textContent("main"), /The passkey was added/);
  assert.match(await page.textContent("#passkey-list"), /Work laptop/);
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1, "one passkey on the authenticator");
  assert.ok(credentials[0].isResidentCredential, "discoverable: signs in without an address");
  await fitsBothWidths(page, "passkey-list-en");

  // Signed out, the passkey alone signs in (no address, no password).
  await signOut(page);
  await page.goto("/agent/sign-in?lang=en");
  assert.equal((await page.textContent("#passkey-sign-in")).trim(), "Sign in with a passkey");
  await fitsBothWidths(page, "passkey-sign-in-en");
  await signInWithPasskey(page);

  // The same in Chinese; the security page lists when it was last used.
  await signOut(page);
  await page.goto("/agent/sign-in?lang=zh-CN");
  assert.equal((await page.textContent("#passkey-sign-in")).trim(), "使用通行密钥登录");
  await fitsBothWidths(page, "passkey-sign-in-zh-CN");
  await signInWithPasskey(page);
  await page.goto("/agent/security?lang=zh-CN");
  assert.match(await page.textContent("#passkeys h2"), /通行密钥/);
  assert.doesNotMatch(await page.textContent("#passkey-list"), /从未使用/, "last use recorded");
  await fitsBothWidths(page, "passkey-list-zh-CN");

  // A device without the desk's passkey: a clear message, in the page's language.
  await signOut(page);
  await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
  await page.goto("/agent/sign-in?lang=zh-CN");
  await page.click("#passkey-sign-in");
  const alert = page.locator("#passkey-error");
  await alert.waitFor({ state: "visible" });
  assert.match(await alert.textContent(), /没有使用通行密钥/);
  assert.match(page.url(), /\/agent\/sign-in/, "still on the sign-in page");
  await fitsBothWidths(page, "passkey-none-zh-CN");
  assert.deepEqual(problems, []);
});
