// Shared helpers of the screenshot scripts (design review, not tests):
// a Chromium, signed-in sessions and full-page shots of hydrated pages.
import { chromium } from "@playwright/test";

export const [base, out] = [process.argv[2] || "http://127.0.0.1:3000", process.argv[3] || "screenshots"];
export const browser = await chromium.launch({
  executablePath: process.env.KEEL_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

export async function session(email, opts = {}) {
  const context = await browser.newContext({ locale: opts.locale || "en-US", viewport: { width: opts.width || 1280, height: opts.height || 900 }, colorScheme: opts.scheme || "light" });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log("pageerror", e.message));
  await page.goto(base + "/login");
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill(opts.password || "keel-demo");
  await page.locator("#login button[type=submit]").click();
  await page.waitForURL((u) => u.pathname === "/");
  return { context, page };
}

export async function shot(page, path, name, full = true) {
  await page.goto(base + path);
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: full });
}
