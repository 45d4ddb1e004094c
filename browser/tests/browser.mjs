// Shared by the browser tests: the system Chromium with a throw-away profile, and the address
// of the walletdesk that run.sh started.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { deflateSync } from "node:zlib";

export const BASE_URL = process.env.WALLETDESK_URL;
if (!BASE_URL) {
  throw new Error("WALLETDESK_URL is not set: run the suite through browser/run.sh");
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-quic",
  "--no-first-run",
  "--disable-sync",
];

/** A fresh Chromium with its own profile; `close()` removes the profile again. */
export async function launch(contextOptions = {}) {
  const profile = mkdtempSync(join(tmpdir(), "walletdesk-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    args: ARGS,
    headless: true,
    baseURL: BASE_URL,
    ...contextOptions,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A valid BIP-39 phrase (the standard test vector): the redactor must remove it.
export const PHRASE =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
// A Bitcoin address (bech32, BIP-173 example) and a real Bitcoin transaction id.
export const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
export const BTC_TXID = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

/** Every visible form control on the page that has no `<label for=…>` naming it. */
export async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
      .filter((el) => !el.id || !document.querySelector(`label[for="${CSS.escape(el.id)}"]`))
      .map((el) => el.outerHTML),
  );
}

/** Where tests save the screenshots a person looks at (gitignored). */
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "screenshots");
mkdirSync(SHOTS, { recursive: true });

/** Collects CSP violations and script errors on every page of this browser. */
export async function watch(b) {
  const problems = [];
  await b.context.exposeFunction("__cspViolation", (v) => problems.push(`CSP blocked: ${v}`));
  await b.context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  b.page.on("pageerror", (e) => problems.push(`script error: ${e}`));
  return problems;
}

/** The page fits 1280 and 390 px without sideways scrolling; saves a full-page screenshot of each
 * as `SHOTS/<name>-<width>.png`. */
export async function fitsBothWidths(page, name) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const { scroll, inner } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
    }));
    assert.ok(scroll <= inner, `${name} at ${width}px is ${scroll}px wide`);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/// Signs `page` in with a one-time link: the link opens a page with a button (a GET spends
/// nothing), the button signs in by POST and leads to setting a password.
export async function signInWithLink(page, link) {
  await page.goto(link.replace(/^https?:\/\/[^/]+/, BASE_URL));
  await page.click("#link-sign-in");
  await page.waitForURL(/\/agent\/password/);
}

/** A real 24×16 PNG (a viewer decodes it), with a tEXt chunk the desk must strip. */
export function pngWithText() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const [w, h] = [24, 16];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < h; y++) {
    rows.push(0);
    for (let x = 0; x < w; x++) rows.push(x * 10, 120, 255 - y * 10);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("tEXt", Buffer.from("Comment\0GPS 47.3769N taken at home", "latin1")),
    chunk("IDAT", deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
