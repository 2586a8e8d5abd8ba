import { test, expect, signIn, hydrated } from "./fixtures";

test("a PM archives a KPI after one confirmation, finds it in the goal tree's archived view, and restores it (in Chinese)", async ({ page }) => {
  await signIn(page, "pm3@example.com");
  await page.goto("/kpis");
  await hydrated(page);
  // The dashboard is searched by code or name.
  await page.getByTestId("kpi-search").fill("注册转化");
  await page.getByTestId("kpi-search").press("Enter");
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId("kpi-card")).toHaveCount(1);
  await page.locator('[data-code="CONV"] a.kpi-name').click();
  await hydrated(page);
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("archive-kpi").click();
  await expect(page.getByTestId("kpi-archived")).toContainText("归档于");

  // Off the dashboard, in the archived view.
  await page.goto("/kpis");
  await hydrated(page);
  await expect(page.getByTestId("kpi-card").first()).toBeVisible();
  await expect(page.locator('[data-code="CONV"]')).toHaveCount(0);
  await page.goto("/kpis/goals");
  await hydrated(page);
  const view = page.getByTestId("archived-view");
  await view.locator("summary").click();
  const item = view.getByTestId("archived-item").filter({ hasText: "CONV" });
  await expect(item).toBeVisible();
  await item.getByRole("button", { name: "恢复" }).click();
  await expect(view.getByTestId("archived-item").filter({ hasText: "CONV" })).toHaveCount(0);
  await page.goto("/kpis");
  await hydrated(page);
  await expect(page.locator('[data-code="CONV"]')).toBeVisible();
});
