// Screenshots of the plain-form flows (design review, not tests):
// node screenshots-forms.mjs <base-url> <out-dir>
// A survey answered with the wasm held back, in English (member2) and Chinese (pm1).
import { browser, base, out } from "./shots.mjs";

for (const [email, lang, locale] of [
  ["member2@example.com", "en", "en-US"],
  ["pm1@example.com", "zh", "zh-CN"],
]) {
  const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/*.wasm", async (route) => { await held; await route.continue().catch(() => {}); });
  await page.goto(base + "/login");
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill("keel-demo");
  await page.locator("#login-password").press("Enter");
  await page.waitForURL((u) => u.pathname === "/");
  await page.locator("a[href$='/answer']").first().click();
  await page.waitForURL(/\/answer$/);
  await page.getByTestId("submit-answers").click();
  await page.waitForURL(/error=/);
  await page.screenshot({ path: `${out}/plain-answer-error-${lang}.png`, fullPage: false });
  release();
  await context.close();
}
await browser.close();
