import { test, expect, signIn, hydrated, backlogShown } from "./fixtures";
import type { Page } from "@playwright/test";

async function createBacklog(page: Page, name: string) {
  await page.goto("/backlog");
  await hydrated(page);
  await page.getByText("New backlog").first().click();
  const form = page.locator("#backlog-form");
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "New backlog" }).click();
  await backlogShown(page, name);
  await expect(page.getByTestId("framework")).toHaveText("RICE");
}

async function submit(page: Page, title: string) {
  const form = page.locator("#requirement-form");
  await form.getByLabel("Requirement").fill(title);
  await form.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("requirement-row").filter({ hasText: title })).toHaveCount(1);
}

test("a member corrects their submitted requirement (errors at the field, text shown as typed) and withdraws another", async ({ page, browser, server }) => {
  const pmContext = await browser.newContext({ baseURL: server.url });
  const pmPage = await pmContext.newPage();
  await signIn(pmPage, "pm7@example.com");
  await createBacklog(pmPage, "Platform asks");
  await pmContext.close();

  await signIn(page, "member8@example.com");
  await page.goto("/backlog");
  await hydrated(page);
  await backlogShown(page, "Platform asks");
  await submit(page, "Faster CI");
  await submit(page, "Old idea");
  await page.getByTestId("requirement-row").filter({ hasText: "Faster CI" }).getByRole("link", { name: "Faster CI" }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Faster CI");

  const edit = page.getByTestId("edit-fields");
  await edit.locator("summary").click();
  await expect(edit).toContainText("You can edit or withdraw your requirement while it is new.");
  const form = page.locator("#fields-form");
  await form.getByLabel("Title").fill("Faster CI <script>alert(1)</script>");
  await form.getByLabel("Links").fill("javascript:alert(1)");
  await form.getByRole("button", { name: "Save changes" }).click();
  // The bad link is named at its field, and focus lands there.
  await expect(form.getByText("Links must start with https:// or http://.").first()).toBeVisible();
  await expect(form.getByLabel("Links")).toBeFocused();
  await form.getByLabel("Links").fill("https://ci.example.com/runs");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Faster CI <script>alert(1)</script>");
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Faster CI <script>alert(1)</script>");
  await expect(page.getByRole("link", { name: "https://ci.example.com/runs" })).toBeVisible();
  await expect(page.getByTestId("history")).toContainText("Edited: Title, Links");

  // The other one is withdrawn after one confirmation, and stays in the list so marked.
  await page.goto("/backlog");
  await hydrated(page);
  await backlogShown(page, "Platform asks");
  await page.getByTestId("requirement-row").filter({ hasText: "Old idea" }).getByRole("link", { name: "Old idea" }).click();
  await hydrated(page);
  await page.getByTestId("edit-fields").locator("summary").click();
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("withdraw").click();
  await expect(page.getByTestId("detail-status")).toHaveText("Withdrawn");
  await expect(page.getByTestId("edit-fields")).toHaveCount(0);
});

test("a PM resets the order and undoes it, then changes the framework and sees what waits to be scored", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await createBacklog(page, "Framework switch");
  await submit(page, "Alpha");
  await submit(page, "Bravo");
  const rows = page.getByTestId("requirement-row");
  for (const [title, reach] of [["Alpha", "100"], ["Bravo", "300"]]) {
    await rows.filter({ hasText: title }).getByRole("button", { name: "Score and state" }).click();
    const score = page.locator("#score-form");
    await score.getByLabel("Reach").fill(reach);
    await score.getByLabel("Effort (person-months)").fill("1");
    await score.getByRole("button", { name: "Save score" }).click();
    await expect(rows.filter({ hasText: title }).getByTestId("score")).not.toHaveText("Not scored");
  }
  await expect(rows.nth(0)).toContainText("Bravo");
  await rows.filter({ hasText: "Alpha" }).getByRole("button", { name: "Move up" }).click();
  await expect(rows.nth(0)).toContainText("Alpha");

  // Asked once; then undone until the next move.
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("reset-order").click();
  await expect(rows.nth(0)).toContainText("Bravo");
  await page.getByTestId("undo-reset").click();
  await expect(rows.nth(0)).toContainText("Alpha");
  await expect(rows.nth(0)).toContainText("Placed by hand");
  await expect(page.getByTestId("undo-reset")).toHaveCount(0);

  // A new framework clears the scores (kept in history) and the page says how many wait.
  const settings = page.getByTestId("backlog-settings");
  await settings.locator("summary").click();
  await settings.getByLabel("Name").fill("Framework switch 2027");
  await settings.getByLabel("Framework").selectOption("wsjf");
  page.once("dialog", (d) => d.accept());
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("framework")).toHaveText("WSJF");
  await expect(page.getByTestId("unscored")).toHaveText("2 open requirements wait to be scored");
  await expect(rows.nth(0).getByTestId("score")).toHaveText("Not scored");
  await rows.filter({ hasText: "Alpha" }).getByRole("link", { name: "Alpha" }).click();
  await hydrated(page);
  await expect(page.getByTestId("history")).toContainText("Framework changed to WSJF");
});
