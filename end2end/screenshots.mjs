// Takes screenshots of Keel for design review: node screenshots.mjs <base-url> <out-dir>
import { chromium } from "@playwright/test";

const [base, out] = [process.argv[2] || "http://127.0.0.1:3000", process.argv[3] || "screenshots"];
const browser = await chromium.launch({
  executablePath: process.env.KEEL_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

async function shoot({ name, email, path, locale = "en-US", width = 1280, height = 860, scheme = "light" }) {
  const context = await browser.newContext({ locale, viewport: { width, height }, colorScheme: scheme });
  const page = await context.newPage();
  if (email) {
    await page.goto(base + "/login");
    await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill("keel-demo");
    await page.locator("#login button[type=submit]").click();
    await page.waitForURL((u) => u.pathname === "/");
  }
  await page.goto(base + path);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  await context.close();
}

await shoot({ name: "login-en", path: "/login" });
await shoot({ name: "login-zh-dark", path: "/login", locale: "zh-CN", scheme: "dark" });
await shoot({ name: "dashboard-en", email: "lead2@example.com", path: "/" });
await shoot({ name: "dashboard-zh", email: "lead1@example.com", path: "/" });
await shoot({ name: "dashboard-dark", email: "pm2@example.com", path: "/", scheme: "dark" });
await shoot({ name: "people-en", email: "admin@example.com", path: "/people" });
await shoot({ name: "mobile-zh", email: "pm1@example.com", path: "/", width: 360, height: 740 });
await shoot({ name: "kpis-en", email: "pm2@example.com", path: "/kpis" });
await shoot({ name: "profile-en", email: "pm2@example.com", path: "/profile", width: 800 });
await browser.close();
