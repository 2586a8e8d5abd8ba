// Screenshots of the growth pages for design review: node screenshots-growth.mjs <base-url> <out-dir>
import { chromium } from "@playwright/test";

const [base, out] = [process.argv[2] || "http://127.0.0.1:3000", process.argv[3] || "screenshots"];
const browser = await chromium.launch({
  executablePath: process.env.KEEL_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

async function session(email, opts = {}) {
  const context = await browser.newContext({ locale: opts.locale || "en-US", viewport: { width: opts.width || 1280, height: opts.height || 900 }, colorScheme: opts.scheme || "light" });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log("pageerror", e.message));
  await page.goto(base + "/login");
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill("keel-demo");
  await page.locator("#login button[type=submit]").click();
  await page.waitForURL((u) => u.pathname === "/");
  return { context, page };
}

async function shot(page, path, name, full = true) {
  await page.goto(base + path);
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: full });
}

const pm = await session("pm2@example.com");
await shot(pm.page, "/growth", "growth-mine-en");
await shot(pm.page, "/growth/catalog", "growth-catalog-en");
await shot(pm.page, "/growth/mentoring", "growth-mentoring-en");
const admin = await session("admin@example.com");
await shot(admin.page, "/growth/dashboard", "growth-dashboard-en");
await shot(admin.page, "/growth/framework", "growth-framework-en");
await shot(admin.page, "/growth/settings", "growth-settings-en");
const lead = await session("lead1@example.com");
await shot(lead.page, "/growth/dashboard", "growth-dashboard-zh");
const dark = await session("lead2@example.com", { scheme: "dark" });
await shot(dark.page, "/growth/dashboard", "growth-dashboard-dark");
const phone = await session("pm1@example.com", { width: 360, height: 740 });
await shot(phone.page, "/growth", "growth-mine-360");
await browser.close();
