// Screenshots of the goals and KPI pages for design review: node screenshots-kpi.mjs <base-url> <out-dir>
import { chromium } from "@playwright/test";

const [base, out] = [process.argv[2] || "http://127.0.0.1:3000", process.argv[3] || "screenshots"];
const browser = await chromium.launch({
  executablePath: process.env.KEEL_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

async function session(email, opts = {}) {
  const context = await browser.newContext({ locale: opts.locale || "en-US", viewport: { width: opts.width || 1280, height: opts.height || 900 }, colorScheme: opts.scheme || "light" });
  const page = await context.newPage();
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

const lead = await session("lead1@example.com");
await shot(lead.page, "/kpis", "kpi-dashboard-zh");
await shot(lead.page, "/kpis/goals", "kpi-goals-zh");
const en = await session("pm5@example.com");
await shot(en.page, "/kpis", "kpi-dashboard-en");
await shot(en.page, "/kpis/7b1d0000-0000-4000-8000-000000000000", "kpi-page-en");
await shot(en.page, "/kpis/new", "kpi-new-en");
await shot(en.page, "/", "home-en");
const dark = await session("lead2@example.com", { scheme: "dark" });
await shot(dark.page, "/kpis/7b1d0000-0000-4000-8000-000000000006", "kpi-page-dark");
await shot(dark.page, "/kpis/goals", "kpi-goals-dark");
const phone = await session("pm1@example.com", { width: 360, height: 740 });
await shot(phone.page, "/kpis", "kpi-dashboard-360");
await shot(phone.page, "/kpis/7b1d0000-0000-4000-8000-000000000002", "kpi-page-360");
await browser.close();
