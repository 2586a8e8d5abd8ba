// Screenshots of issue 13's screens for design review (not tests):
//   node screenshots-security.mjs <base-url> <out-dir> [setup-base-url]
// The first server is the demo organisation; the optional second one is a
// fresh server before setup (its setup page asks for the setup token).
import { browser, base, out, session } from "./shots.mjs";

const setupBase = process.argv[4];

async function failedSignIn(email, locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill("not-the-password");
  await page.locator("#login button[type=submit]").click();
  await page.locator("#login .alert-error, #login [aria-invalid=true]").first().waitFor();
  await page.screenshot({ path: `${out}/security-login-error-${locale}.png`, fullPage: true });
  await context.close();
}

for (const [email, locale] of [["pm1@example.com", "en-US"], ["pm2@example.com", "zh-CN"]]) {
  await failedSignIn(email, locale);
  const { context, page } = await session(email, { locale });
  await page.getByTestId("sign-in-alerts").waitFor();
  await page.screenshot({ path: `${out}/security-alerts-${locale}.png`, fullPage: false });
  await context.close();
}

if (setupBase) {
  for (const [locale, scheme] of [["en-US", "light"], ["zh-CN", "dark"]]) {
    const context = await browser.newContext({ locale, colorScheme: scheme, viewport: { width: 390, height: 860 } });
    const page = await context.newPage();
    await page.goto(setupBase + "/setup");
    await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
    await page.screenshot({ path: `${out}/security-setup-${locale}.png`, fullPage: true });
    await context.close();
  }
}
await browser.close();
