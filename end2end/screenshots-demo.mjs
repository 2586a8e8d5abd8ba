// Screenshots of the demo organisation's seeded backlogs (design review, not
// tests): node screenshots-demo.mjs <base-url> <out-dir>
// The Product backlog's ranked list and a requirement page in English (light,
// desktop, pm2) and Chinese (dark, phone, pm1); the Platform backlog's
// overview tab and the finished poker round in English.
import { browser, base, out, session } from "./shots.mjs";

const hydrated = (page) => page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
for (const [email, lang, locale, scheme, width] of [
  ["pm2@example.com", "en", "en-US", "light", 1280],
  ["pm1@example.com", "zh", "zh-CN", "dark", 390],
]) {
  const { context, page } = await session(email, { locale, scheme, width });
  await page.goto(`${base}/backlog`);
  await hydrated(page);
  await page.getByTestId("requirement-row").first().waitFor();
  await page.screenshot({ path: `${out}/demo-backlog-${lang}.png`, fullPage: false });
  await page.getByTestId("requirement-row").nth(1).locator("a").first().click();
  await page.getByTestId("history-entry").first().waitFor();
  await hydrated(page);
  await page.screenshot({ path: `${out}/demo-requirement-${lang}.png`, fullPage: true });
  await context.close();
}
{
  const { context, page } = await session("lead2@example.com", { locale: "en-US", scheme: "light", width: 1280 });
  await page.goto(`${base}/backlog?b=b1d0c0de-0000-4000-8000-000000000002`);
  await hydrated(page);
  await page.getByRole("tab", { name: "Overview" }).click();
  await page.getByTestId("intake").waitFor();
  await page.screenshot({ path: `${out}/demo-overview-en.png`, fullPage: true });
  await context.close();
}
{
  const { context, page } = await session("pm1@example.com", { locale: "en-US", scheme: "light", width: 1280 });
  await page.goto(`${base}/backlog`);
  await hydrated(page);
  await page.getByRole("tab", { name: /poker|集体评分/i }).click();
  await page.locator("a[href^='/backlog/poker/']").first().click();
  await page.getByTestId("poker-result").first().waitFor();
  await page.screenshot({ path: `${out}/demo-poker.png`, fullPage: true });
  await context.close();
}
await browser.close();
