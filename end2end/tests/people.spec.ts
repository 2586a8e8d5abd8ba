import { test, expect, signIn, hydrated } from "./fixtures";

test("the demo admin creates a team and a PM in it, who signs in and changes their password", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.getByRole("navigation").getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { name: "People", level: 1 })).toBeVisible();

  // New team under Product, led by lead2.
  const teamForm = page.locator("#team-form");
  await teamForm.getByLabel("Team name").fill("商业化 Monetisation");
  await teamForm.getByLabel("Parent team").selectOption({ label: "产品部 Product" });
  await teamForm.getByLabel("Leader").selectOption({ label: "Oliver Grant 欧立文" });
  await teamForm.getByRole("button", { name: "New team" }).click();
  const teams = page.getByTestId("teams-table");
  await expect(teams.getByRole("row", { name: /商业化 Monetisation/ })).toContainText("Oliver Grant");

  // A bad email is refused at the field, and nothing is stored.
  const personForm = page.locator("#person-form");
  await personForm.getByLabel("Name").fill("新产品经理 New PM");
  await personForm.getByLabel("Email").fill("new-pm");
  await personForm.getByLabel("Role").selectOption("pm");
  await personForm.getByLabel("Primary team").selectOption({ label: "\u2003商业化 Monetisation" });
  await personForm.getByLabel("Initial password").fill("welcome-123");
  await personForm.getByRole("button", { name: "New person" }).click();
  await expect(page.locator("#person-form-email-msg")).toContainText("Enter an email address");
  await expect(personForm.getByLabel("Email")).toBeFocused();
  await expect(personForm.getByLabel("Name")).toHaveValue("新产品经理 New PM");

  await personForm.getByLabel("Email").fill("new.pm@example.com");
  await personForm.getByRole("button", { name: "New person" }).click();
  const people = page.getByTestId("people-table");
  await expect(people.getByRole("row", { name: /new\.pm@example\.com/ })).toContainText("商业化 Monetisation");

  await page.getByTestId("sign-out").click();
  await page.waitForURL((u) => u.pathname === "/login");

  // The new PM signs in, sees their team, and changes their password.
  await signIn(page, "new.pm@example.com", "welcome-123");
  await expect(page.getByTestId("my-team")).toHaveText("商业化 Monetisation");
  await page.getByRole("link", { name: /新产品经理/ }).click();
  await expect(page.getByRole("heading", { name: "Profile", level: 1 })).toBeVisible();
  await hydrated(page);
  const form = page.locator("#password-form");
  await form.getByLabel("Current password").fill("wrong-one");
  await form.getByLabel("New password").fill("a-better-secret");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#password-form-old_password-msg")).toContainText("The current password is incorrect.");
  await form.getByLabel("Current password").fill("welcome-123");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password has been changed.")).toBeVisible();

  await page.getByTestId("sign-out").click();
  await page.waitForURL((u) => u.pathname === "/login");
  await signIn(page, "new.pm@example.com", "a-better-secret");
  await expect(page.getByTestId("me-name")).toHaveText("新产品经理 New PM");
});

test("a member typing the people-admin address is refused by the server", async ({ page }) => {
  await signIn(page, "member2@example.com");
  await expect(page.getByRole("link", { name: "People" })).toHaveCount(0);
  const res = await page.goto("/people");
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByText("admin@example.com")).toHaveCount(0);
});
