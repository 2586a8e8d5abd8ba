// Screenshots of issue 17's pages in English and Chinese (not a test).
import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3900";
const out = "/tmp/pg/shots18";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--disable-gpu", "--no-first-run"] });
async function as(email, lang, width = 1200) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  await ctx.addCookies([{ name: "i18n_pref_locale", value: lang, url: base }]);
  const page = await ctx.newPage();
  await page.goto(base + "/login");
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", "keel-demo");
  await page.click("button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { ctx, page };
}
const ready = (page) => page.waitForSelector("body[data-hydrated='true']");
for (const lang of ["en", "zh"]) {
  const { ctx, page } = await as("admin@example.com", lang);
  await page.goto(base + "/people");
  await ready(page);
  await page.locator("[data-testid=people-import] summary").click();
  await page.screenshot({ path: `${out}/people-${lang}.png`, fullPage: true });
  const lead1 = await page.evaluate(async () => {
    const r = await fetch("/api/list_people", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "search=lead1%40&team_id=&role=&active=&offset=0" });
    return (await r.json()).rows[0].id;
  });
  await page.goto(`${base}/people/${lead1}/handover`);
  await ready(page);
  await page.screenshot({ path: `${out}/handover-${lang}.png`, fullPage: true });
  await page.goto(base + "/kpis?period=custom&from=2026-01-01&to=2026-12-31");
  await ready(page);
  await page.screenshot({ path: `${out}/kpis-${lang}.png` });
  await ctx.close();
  const m = await as("pm3@example.com", lang, 390);
  await m.page.goto(base + "/backlog");
  await ready(m.page);
  const link = m.page.locator("a.req-title").first();
  await link.click();
  await ready(m.page);
  const edit = m.page.locator("[data-testid=edit-fields] summary");
  if (await edit.count()) await edit.click();
  await m.page.screenshot({ path: `${out}/requirement-mobile-${lang}.png`, fullPage: true });
  await m.page.goto(base + "/kpis/goals");
  await ready(m.page);
  await m.page.locator("[data-testid=archived-view] summary").click();
  await m.page.screenshot({ path: `${out}/goals-mobile-${lang}.png`, fullPage: true });
  await m.ctx.close();
  const inv = await browser.newContext({ viewport: { width: 800, height: 700 } });
  await inv.addCookies([{ name: "i18n_pref_locale", value: lang, url: base }]);
  const ip = await inv.newPage();
  await ip.goto(base + "/invite#" + "0".repeat(64));
  await ready(ip);
  await ip.waitForSelector("[data-testid=invitation-invalid]");
  await ip.screenshot({ path: `${out}/invite-invalid-${lang}.png` });
  await inv.close();
}
await browser.close();
