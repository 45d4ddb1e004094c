// Proving an address on the ticket page: get the text, a wrong signature is refused and kept in
// the box, then "Sign with my browser wallet" (a Solana wallet stand-in that signs with Node's
// ed25519, since no real wallet extension runs here) fills the box and the check passes; the
// page fits 1280 and 390 px (screenshots in browser/screenshots/), in English and Chinese.
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { after, before, test } from "node:test";
import { BASE_URL, fitsBothWidths, launch, watch } from "./browser.mjs";

// A fixed test key: PKCS#8 DER prefix for an ed25519 seed, then the 32-byte seed.
const SEED = Buffer.alloc(32, 7);
const KEY = createPrivateKey({
  key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), SEED]),
  format: "der",
  type: "pkcs8",
});
const PUBLIC = createPublicKey(KEY).export({ format: "der", type: "spki" }).subarray(-32);

function base58(bytes) {
  const A = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let n = BigInt("0x" + Buffer.from(bytes).toString("hex"));
  let out = "";
  while (n > 0n) {
    out = A[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}
const ADDRESS = base58(PUBLIC);

async function ticketWithAddress(subject) {
  const r = await fetch(`${BASE_URL}/api/v1/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: "prover@example.com",
      category: "other",
      subject,
      body: "I would like to prove this address is mine.",
      chain: "solana",
      address: ADDRESS,
    }),
  });
  assert.equal(r.status, 201);
  return new URL((await r.json()).access_url).pathname;
}

/** A browser with a Solana wallet stand-in (`window.solana`) that signs with KEY. */
async function browserWithWallet(options) {
  const b = await launch(options);
  await b.context.exposeFunction("__testSign", (bytes) =>
    sign(null, Buffer.from(bytes), KEY).toString("base64"),
  );
  await b.context.addInitScript(() => {
    window.solana = {
      connect: async () => {},
      signMessage: async (bytes) => {
        const b64 = await window.__testSign(Array.from(bytes));
        return { signature: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) };
      },
    };
  });
  return b;
}

let en;
let zh;
before(async () => {
  en = await browserWithWallet({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  zh = await browserWithWallet({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
});
after(async () => {
  await en?.close();
  await zh?.close();
});

test("a wrong signature is refused and kept; the browser wallet's signature proves the address", async () => {
  const problems = await watch(en);
  const { page } = en;
  const path = await ticketWithAddress("prove my Solana address");
  await page.goto(path);
  await page.getByRole("heading", { name: "Prove you own this address" }).waitFor();
  await page.getByRole("button", { name: "Get a text to sign" }).click();
  await page.waitForURL(/#prove$/);
  const text = await page.locator("#prove-text").textContent();
  assert.match(text, /asks you to prove that you own this address/);
  assert.ok(text.includes(`Address: ${ADDRESS}`), text);
  assert.match(text, /moves no funds/);
  await page.getByText("How to sign in common wallets").click();
  await fitsBothWidths(page, "prove-challenge-en");

  await page.getByLabel("Signature").fill("3vQB7B6MrGQZaxCuFg4oh");
  await page.getByRole("button", { name: "Check the signature" }).click();
  await page.locator("#prove-error").waitFor();
  assert.match(await page.locator("#prove-error").textContent(), /does not prove this address|not a signature/);
  assert.equal(await page.getByLabel("Signature").inputValue(), "3vQB7B6MrGQZaxCuFg4oh");
  await fitsBothWidths(page, "prove-refused-en");

  await page.getByLabel("Signature").fill("");
  await page.getByRole("button", { name: "Sign with my browser wallet" }).click();
  await page.waitForFunction(() => document.getElementById("prove-signature").value.length > 80);
  await page.getByRole("button", { name: "Check the signature" }).click();
  await page.getByText("your signature proves that you own this address").waitFor();
  assert.match(await page.locator(".proof .proved").textContent(), /Address ownership verified · Solana signed message \(ed25519\)/);
  assert.equal(await page.locator("#prove-text").count(), 0);
  await fitsBothWidths(page, "prove-verified-en");
  assert.deepEqual(problems, []);
});

test("in Chinese the section, the steps and the text's prose are Chinese", async () => {
  const problems = await watch(zh);
  const { page } = zh;
  const path = await ticketWithAddress("证明我的地址");
  await page.goto(path);
  await page.getByRole("heading", { name: "证明这个地址属于您" }).waitFor();
  await page.getByRole("button", { name: "获取要签名的文字" }).click();
  const text = await page.locator("#prove-text").textContent();
  assert.match(text, /签名这段文字不会转移任何资金/);
  await page.getByText("常用钱包的签名方法").click();
  await fitsBothWidths(page, "prove-challenge-zh");
  await page.getByRole("button", { name: "用浏览器钱包签名" }).click();
  await page.waitForFunction(() => document.getElementById("prove-signature").value.length > 80);
  await page.getByRole("button", { name: "检查签名" }).click();
  await page.getByText("地址归属已验证").first().waitFor();
  await fitsBothWidths(page, "prove-verified-zh");
  assert.deepEqual(problems, []);
});
