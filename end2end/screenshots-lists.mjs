// Screenshots of issue 17's closing pieces in English and Chinese (not a test):
// closing a period and its summary, the paged lists, the folded goal tree
// with a team goal's teams, the backlog import preview.
import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3900";
const out = process.env.SHOTS || "/work/shots";
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
  // A person's own language wins over the cookie: switch it for the shot.
  await page.waitForSelector("body[data-hydrated='true']");
  if ((await page.locator("html").getAttribute("lang")) !== (lang === "en" ? "en" : "zh")) {
    await page.locator("[data-testid=language-toggle]").first().dispatchEvent("click");
    await page.waitForFunction((l) => document.documentElement.lang === l, lang === "en" ? "en" : "zh");
  }
  return { ctx, page };
}
const ready = (page) => page.waitForSelector("body[data-hydrated='true']");
const shot = (page, name, full = true) => page.screenshot({ path: `${out}/${name}.png`, fullPage: full });
for (const lang of ["en", "zh"]) {
  const { ctx, page } = await as("admin@example.com", lang);
  await page.goto(base + "/growth/settings");
  await ready(page);
  const row = page.locator("[data-testid=period]").last();
  await row.locator("summary", { hasText: lang === "en" ? "Close period" : "关闭" }).click();
  await shot(page, `close-period-${lang}`);
  await page.goto(base + "/growth/catalog?q=a");
  await ready(page);
  await shot(page, `catalog-${lang}`);
  await page.goto(base + "/surveys");
  await ready(page);
  await shot(page, `surveys-${lang}`);
  await ctx.close();
  const l = await as("lead1@example.com", lang);
  await l.page.goto(base + "/kpis/goals");
  await ready(l.page);
  const team = l.page.locator("[data-testid=goal-node]").filter({ has: l.page.locator(".chip", { hasText: lang === "en" ? "Team" : "团队" }) }).first();
  const edit = team.getByTestId("edit-goal").first();
  if (await edit.count()) await edit.locator("summary").click();
  await shot(l.page, `goals-${lang}`);
  await l.ctx.close();
  const m = await as("pm3@example.com", lang, 390);
  await m.page.goto(base + "/backlog/mine");
  await ready(m.page);
  await shot(m.page, `mine-mobile-${lang}`);
  await m.ctx.close();
}
await browser.close();
