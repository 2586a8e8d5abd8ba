// Screenshots of issue 14's refused outbox edit (design review, not tests):
//   node screenshots-integrity.mjs <base-url> <out-dir>
// A demo server: pm3 saves a DAU check-in offline, an admin hands DAU to pm4
// meanwhile, and back online the server refuses it; shown in English (light,
// desktop) and Chinese (dark, phone).
import { request } from "@playwright/test";
import { browser, base, out, session } from "./shots.mjs";

const DAU = "7b1d0000-0000-4000-8000-000000000000";

async function api(email) {
  const ctx = await request.newContext({ baseURL: base, extraHTTPHeaders: { origin: new URL(base).origin } });
  await ctx.post("/api/login", { form: { email, password: "keel-demo" } });
  return ctx;
}

async function handTo(admin, email) {
  const kpi = await (await admin.post("/api/load_kpi", { form: { id: DAU } })).json();
  const people = await (await admin.post("/api/people_overview", { form: {} })).json();
  const p = people.people.find((x) => x.email === email);
  await admin.post("/api/reassign_kpi", { form: { id: DAU, version: String(kpi.card.version), owner: `pm:${p.id}` } });
}

const admin = await api("admin@example.com");
const pm3 = await api("pm3@example.com");
for (const [lang, locale, scheme, width] of [["en", "en-US", "light", 1280], ["zh", "zh-CN", "dark", 390]]) {
  await pm3.post("/api/set_language", { form: { language: lang } });
  await handTo(admin, "pm3@example.com");
  const { context, page } = await session("pm3@example.com", { locale, scheme, width });
  await page.goto(`${base}/kpis/${DAU}`);
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await context.setOffline(true);
  await page.locator("#checkin-form input[name=value]").fill("153");
  await page.locator("#checkin-form button[type=submit]").click();
  await page.getByTestId("outbox-waiting").waitFor();
  await handTo(admin, "pm4@example.com");
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.getByTestId("outbox-refused").waitFor();
  await page.getByTestId("outbox-refused").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${out}/integrity-refused-${lang}.png`, fullPage: false });
  await page.getByTestId("refused-discard").click();
  await context.close();
}
await browser.close();
