import { test, expect, signIn, hydrated, backlogShown } from "./fixtures";

test("a member's bell tells them their requirement changed state; the page marks it read", async ({ page, browser, server }) => {
  // pm7 makes a Platform backlog.
  const pmContext = await browser.newContext({ baseURL: server.url });
  const pm = await pmContext.newPage();
  await signIn(pm, "pm7@example.com");
  await pm.goto("/backlog");
  await hydrated(pm);
  await pm.getByText("New backlog").first().click();
  const form = pm.locator("#backlog-form");
  await form.getByLabel("Name").fill("Platform notices");
  await form.getByRole("button", { name: "New backlog" }).click();
  await backlogShown(pm, "Platform notices");
  await expect(pm).toHaveURL(/\/backlog\?b=/);
  const backlogUrl = pm.url();
  await pmContext.close();

  // member8 submits a requirement; nothing is unread yet.
  await signIn(page, "member8@example.com");
  await expect(page.getByRole("link", { name: "Notifications, 0 unread" })).toBeVisible();
  await page.goto(backlogUrl);
  await hydrated(page);
  const submit = page.locator("#requirement-form");
  await submit.getByLabel("Requirement").fill("Audit log export");
  await submit.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("requirement-row").filter({ hasText: "Audit log export" })).toHaveCount(1);

  // The team's leader, in another browser, moves it to under review.
  const leadContext = await browser.newContext({ baseURL: server.url });
  const lead = await leadContext.newPage();
  await signIn(lead, "lead2@example.com");
  await lead.goto(backlogUrl);
  await hydrated(lead);
  const row = lead.getByTestId("requirement-row").filter({ hasText: "Audit log export" });
  await row.getByRole("button", { name: "Score and state" }).click();
  await lead.locator("#status-form").getByLabel("State").selectOption("under_review");
  await lead.locator("#status-form").getByRole("button", { name: "Change state" }).click();
  await expect(row.locator(".badge.status-under_review")).toHaveText("Under review");
  await leadContext.close();

  // The member's bell counts it on the next page they open (it also polls every 20 s).
  await page.goto("/");
  await hydrated(page);
  const bell = page.getByRole("link", { name: "Notifications, 1 unread" });
  await expect(bell).toBeVisible();
  await expect(page.getByTestId("bell-count")).toHaveText("1");

  // The notifications page lists it, unread, in English.
  await bell.click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const item = page.getByTestId("notification").filter({ hasText: "Audit log export" });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("Unread");
  await expect(item).toContainText("is now Under review");

  // Its link opens the requirement.
  await item.getByRole("link", { name: /Audit log export/ }).click();
  await expect(page).toHaveURL(/\/backlog\/requirements\//);
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();

  // Back on the page, "Mark read" clears the badge.
  await page.goto("/notifications");
  await hydrated(page);
  await page.getByTestId("notification").filter({ hasText: "Audit log export" }).getByRole("button", { name: /Mark read/ }).click();
  await expect(page.getByRole("link", { name: "Notifications, 0 unread" })).toBeVisible();
  await expect(page.getByTestId("bell-count")).toHaveCount(0);
  await expect(page.getByTestId("notification").filter({ hasText: "Audit log export" })).not.toContainText("Unread");
});
