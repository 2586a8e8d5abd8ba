import { test, expect, signIn, hydrated } from "./fixtures";

/** The demo KPI DAU (pm3, Growth), which admins may check in on. */
const DAU = "/kpis/7b1d0000-0000-4000-8000-000000000000";

test("a check-in made offline waits on the device, survives a reload and is sent once back online", async ({ page, context }) => {
  await signIn(page, "admin@example.com");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.goto(DAU);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Visited once more under the worker, so the page is in its cache.
  await page.reload();
  await hydrated(page);
  const rows = page.getByTestId("checkin-row");
  await expect(rows).toHaveCount(8);

  await context.setOffline(true);
  const form = page.locator("#checkin-form");
  await form.getByLabel("Value").fill("151");
  await form.getByLabel("Note").fill("离线 offline");
  await form.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByText("Saved on this device: it is sent as soon as you are back online")).toBeVisible();
  await expect(page.getByTestId("outbox-waiting")).toContainText("1");
  await expect(form.getByLabel("Value")).toHaveValue("");

  // Still offline: the page comes from the cache and the check-in still waits.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("outbox-waiting")).toContainText("1");

  // Back online: it is sent, once, and the history shows it.
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(page.getByTestId("outbox-waiting")).toHaveCount(0);
  await expect(rows).toHaveCount(9);
  await expect(rows.first()).toContainText("151");
  await expect(rows.first()).toContainText("离线 offline");
  await page.reload();
  await hydrated(page);
  await expect(rows).toHaveCount(9);
});
