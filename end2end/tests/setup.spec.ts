import { test, expect, hydrated, SETUP_TOKEN } from "./fixtures";

test.use({ demo: false });

test("first start: a setup page creates the first admin, then is gone for good", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Set up Keel" })).toBeVisible();

  // Without the token from the server log, nobody becomes admin.
  await page.getByLabel("Setup token").fill("a-guess");
  await page.getByLabel("Organisation name").fill("Acme 产品部");
  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Email").fill("ada@acme.test");
  await page.getByLabel("Password").fill("long-enough-pw");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.locator("#setup-setup_token-msg")).toContainText("This is not the setup token");
  await page.getByLabel("Setup token").fill(SETUP_TOKEN);

  // Bad input: the message sits at the field, focus moves there, nothing typed is lost.
  await page.getByLabel("Organisation name").fill("Acme 产品部");
  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Email").fill("ada-at-acme");
  await page.getByLabel("Password").fill("long-enough-pw");
  await page.getByRole("button", { name: "Create organisation" }).click();
  const email = page.getByLabel("Email");
  await expect(page.locator("#setup-email-msg")).toContainText("Enter an email address");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toBeFocused();
  await expect(page.getByLabel("Organisation name")).toHaveValue("Acme 产品部");

  await email.fill("ada@acme.test");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByTestId("me-name")).toHaveText("Ada Admin");
  await expect(page.getByText("Acme 产品部")).toBeVisible();

  // A new organisation starts with an empty backlog page that says so.
  await page.getByRole("navigation").getByRole("link", { name: "Backlog" }).click();
  await expect(page.getByRole("heading", { name: "No backlogs yet" })).toBeVisible();

  // Gone for good.
  const res = await page.goto("/setup");
  expect(new URL(page.url()).pathname).toBe("/");
  expect(res?.status()).toBe(200);
});
