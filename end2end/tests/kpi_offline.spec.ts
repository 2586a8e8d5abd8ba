import { test, expect, signIn, hydrated, PASSWORD } from "./fixtures";
import { request as pwRequest, type Page } from "@playwright/test";

/** The demo KPI DAU (pm3, Growth), which admins may check in on. */
const DAU = "/kpis/7b1d0000-0000-4000-8000-000000000000";

/** The server's "forbidden" message as pm3 (who reads Chinese) sees it. */
const FORBIDDEN_ZH = "你没有权限执行此操作。";

/** Signs in and opens DAU under the service worker, visited twice so that
 * the page is in the worker's cache for the offline part of a test. */
async function openCachedDau(page: Page, email: string) {
  await signIn(page, email);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.goto(DAU);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await hydrated(page);
}

test("a check-in made offline waits on the device, survives a reload and is sent once back online", async ({ page, context }) => {
  await openCachedDau(page, "admin@example.com");
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

test("a check-in the server refuses stays on the device with its reason until it is fixed or discarded", async ({ page, context, baseURL }) => {
  await openCachedDau(page, "pm3@example.com");
  // pm3 reads Keel in Chinese: fields by name, buttons by test id.
  const form = page.locator("#checkin-form");
  const value = form.locator('input[name="value"]');
  const save = page.getByTestId("save-checkin");

  // Offline, a value the server would refuse is refused at its field and not queued.
  await context.setOffline(true);
  await value.fill("not a number");
  await save.click();
  await expect(form.locator('input[name="value"][aria-invalid="true"]')).toBeVisible();
  await expect(page.getByTestId("outbox-waiting")).toHaveCount(0);

  // A good value waits on the device.
  await value.fill("152");
  await save.click();
  await expect(page.getByTestId("outbox-waiting")).toContainText("1");

  // Meanwhile an admin hands the KPI to pm4 (same team): pm3 sees it but may no longer check in.
  const admin = await pwRequest.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL!).origin } });
  expect((await admin.post("/api/login", { form: { email: "admin@example.com", password: PASSWORD } })).ok()).toBeTruthy();
  const kpi = await (await admin.post("/api/load_kpi", { form: { id: DAU.split("/").pop()! } })).json();
  const people = await (await admin.post("/api/list_people", { form: { search: "pm4@example.com", team_id: "", role: "", active: "", offset: "0" } })).json();
  const pm4 = people.rows.find((p: { email: string }) => p.email === "pm4@example.com");
  const moved = await admin.post("/api/reassign_kpi", { form: { id: kpi.card.id, version: String(kpi.card.version), owner: `pm:${pm4.id}` } });
  expect(moved.ok(), await moved.text()).toBeTruthy();

  // Back online: the server refuses it; it stays, with the reason, and is not sent again.
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  const refused = page.getByTestId("outbox-refused");
  await expect(refused).toContainText("152");
  await expect(refused.getByTestId("refused-reason")).toHaveText(FORBIDDEN_ZH);
  await expect(page.getByTestId("outbox-waiting")).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("outbox-refused")).toHaveCount(1);
  // Discarded, it is gone for good.
  await page.getByTestId("refused-discard").click();
  await expect(page.getByTestId("outbox-refused")).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("outbox-refused")).toHaveCount(0);
  await admin.dispose();
});
