import { test, expect, signIn, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

/** A date `offset` days from today in the organisation's time zone (Asia/Shanghai). */
function day(offset: number): string {
  const now = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now);
}

/** The demo's periods: the half year holding today and the next one ("2027 H1"). */
function demoPeriods(): { current: string; next: string } {
  const [year, month] = day(0).split("-").map(Number);
  return month <= 6
    ? { current: `${year} H1`, next: `${year} H2` }
    : { current: `${year} H2`, next: `${year + 1} H1` };
}

function item(page: Page, title: string) {
  return page.locator(`[data-testid="plan-item"][data-title="${title}"]`);
}

test("close a period and carry a plan item over", async ({ page }) => {
  const { current, next } = demoPeriods();
  const title = "Carry-over course";

  // pm5 plans a course in the current period.
  await signIn(page, "pm5@example.com");
  await page.goto("/growth");
  await hydrated(page);
  await page.getByTestId("add-item-toggle").click();
  const form = page.locator("#item-form");
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Due").fill(day(10));
  await form.getByRole("button", { name: "Add item" }).click();
  await expect(item(page, title)).toBeVisible();

  // The admin closes the current period, carrying unfinished items over.
  await page.context().clearCookies();
  await signIn(page, "admin@example.com");
  await page.goto("/growth/settings");
  await hydrated(page);
  const row = page.locator(`[data-testid="period"][data-name="${current}"]`);
  await row.getByText("Close period", { exact: true }).click();
  // The confirmation says what the close does.
  await expect(row.getByText("KPIs to archive")).toBeVisible();
  await expect(row.getByTestId("close-unfinished")).not.toHaveText("0");
  const carry = row.getByLabel(`Carry unfinished plan items to ${next}`);
  await expect(carry).toBeChecked();
  await row.getByRole("button", { name: `Close this period · ${current}` }).click();
  await expect(page.getByTestId("period-closed")).toContainText("Period closed.");
  await expect(row.getByTestId("period-closed-badge")).toContainText("Closed");
  await expect(row).toContainText("Closed on");

  // The summary of the closed period lists the item as carried over.
  await row.getByRole("link", { name: `Summary · ${current}` }).click();
  await expect(page.getByRole("heading", { name: current })).toBeVisible();
  await expect(page.getByTestId("summary-carried-to")).toHaveText(next);
  const carried = page.locator(`[data-testid="summary-carried-item"][data-title="${title}"]`);
  await expect(carried).toContainText("Sofia Rossi 罗素菲");
  await expect(carried).toContainText("Planned");
  await expect(page.getByRole("heading", { name: "Plan completion per team" })).toBeVisible();

  // pm5 finds the closed plan read-only and the item in the next period.
  await page.context().clearCookies();
  await signIn(page, "pm5@example.com");
  await page.goto("/growth");
  await hydrated(page);
  await expect(page.getByTestId("plan-read-only")).toBeVisible();
  await expect(item(page, title).getByTestId("item-carried-to")).toHaveText(`Carried over to ${next}`);
  const nextId = await page.locator("#period-picker option", { hasText: next }).getAttribute("value");
  await page.getByLabel("Period").selectOption(nextId!);
  await expect(page).toHaveURL(new RegExp(`period=${nextId}`));
  await expect(page.locator("#plan-title")).toContainText(next);
  await expect(item(page, title)).toBeVisible();
  await expect(item(page, title).getByTestId("item-carried-from")).toHaveText(`Carried over from ${current}`);
  await expect(item(page, title)).toHaveAttribute("data-status", "planned");
});
