import { test, expect, signIn, hydrated } from "./fixtures";

test("switching to 中文 shows Chinese navigation, survives a reload, and switches back", async ({ page: first, browser, server }) => {
  let page = first;
  await signIn(page, "pm2@example.com");
  const nav = page.getByRole("navigation");
  await expect(nav.getByRole("link", { name: "Backlog" })).toBeVisible();

  // Hydrated: the switch happens in place, without a page load.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await page.getByTestId("language-toggle").click();
  await expect(page.getByRole("navigation").getByRole("link", { name: "需求池" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "工作台" })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh");

  // The server renders Chinese before hydration after a reload.
  await page.reload();
  await expect(page.getByRole("navigation").getByRole("link", { name: "目标与关键指标" })).toBeVisible();
  await hydrated(page);

  // Remembered per person: a fresh browser (no cookies, English) that signs in gets Chinese too.
  await page.getByTestId("sign-out").click();
  await page.waitForURL((u) => u.pathname === "/login");
  const fresh = await browser.newContext({ baseURL: server.url, locale: "en-US" });
  page = await fresh.newPage();
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill("pm2@example.com");
  await page.getByLabel("Password").fill("keel-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await expect(page.getByRole("navigation").getByRole("link", { name: "需求池" })).toBeVisible();

  await hydrated(page);
  await page.getByTestId("language-toggle").click();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Backlog" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Backlog" })).toBeVisible();
});

test("a signed-out visitor gets the browser's language first", async ({ browser, server }) => {
  const context = await browser.newContext({ locale: "zh-CN", baseURL: server.url });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await context.close();
});
