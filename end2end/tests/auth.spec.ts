import { test, expect, hydrated, signIn } from "./fixtures";

test("sign in and out", async ({ page }) => {
  await signIn(page, "pm2@example.com");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByTestId("me-name")).toHaveText("Emma Clarke 柯爱玛");
  await expect(page.getByTestId("my-team")).toHaveText("产品部 Product");
  // A PM sees no people admin in the navigation.
  await expect(page.getByRole("link", { name: "People" })).toHaveCount(0);

  await page.getByTestId("sign-out").click();
  await page.waitForURL((u) => u.pathname === "/login");
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

test("a person's own language is used as soon as they sign in", async ({ page }) => {
  // pm1's language is Chinese; the browser asks for English.
  await signIn(page, "pm1@example.com");
  await expect(page.getByRole("heading", { name: "工作台" })).toBeVisible();
  await expect(page.getByTestId("me-name")).toHaveText("王芳 Wang Fang");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh");
});

test("a wrong password gets one message that does not reveal whether the account exists", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill("pm1@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("pm1@example.com");

  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test("signing in works before the page is interactive, and the password never reaches a URL", async ({ page }) => {
  // Hold the wasm back: the page stays as the server rendered it.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.goto("/login");
  await expect(page.locator("body[data-hydrated='true']")).toHaveCount(0);

  // A wrong password: the server answers with the page and its message.
  await page.getByLabel("Email").fill("pm2@example.com");
  await page.getByLabel("Password").fill("wrong-secret-pw");
  await page.getByLabel("Password").press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("pm2@example.com");

  await page.getByLabel("Password").fill("keel-demo");
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL((u) => u.pathname === "/");
  await expect(page.getByTestId("me-name")).toHaveText("Emma Clarke 柯爱玛");
  expect(urls.filter((u) => u.includes("password") || u.includes("keel-demo") || u.includes("wrong-secret"))).toEqual([]);
  release();
  await hydrated(page);
});
