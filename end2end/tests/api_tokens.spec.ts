import { test, expect, signIn, hydrated } from "./fixtures";
import { randomUUID } from "node:crypto";

/** The demo KPI CHURN of pm2 (Product), whose language is English. */
const CHURN = "/kpis/7b1d0000-0000-4000-8000-000000000003";

/** Today in the organisation's time zone (Asia/Shanghai). */
function today(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}

test("a PM makes a check-ins token on the profile and a tool posts a check-in with it once", async ({ page, request, server }) => {
  await signIn(page, "pm2@example.com");
  await page.goto("/profile");
  await hydrated(page);
  const section = page.getByTestId("api-tokens");
  await expect(section.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await expect(section.getByText("You have no API tokens.")).toBeVisible();

  // A name is required: the message is at the field, nothing is made.
  const form = page.locator("#api-token-form");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.locator("#api-token-form-name-msg")).toContainText("required");

  await form.getByLabel("Name").fill("Analytics notebook");
  await form.getByLabel("Scope").selectOption({ label: "Read, and post check-ins" });
  await form.getByLabel("Expires after").selectOption({ label: "30 days" });
  await form.getByRole("button", { name: "Create token" }).click();

  // Shown once, with its warning; the list shows only its start.
  const fresh = page.getByTestId("fresh-token");
  await expect(fresh).toContainText("it will not be shown again");
  const token = (await fresh.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^keel_pat_[A-Za-z0-9_-]{43}$/);
  const row = section.getByRole("row", { name: /Analytics notebook/ });
  await expect(row).toContainText(`keel_pat_${token.slice(9, 17)}…`);
  await expect(row).toContainText("Read, and post check-ins");
  await expect(row).toContainText("Never");

  // A tool posts a check-in with the token (no cookie: a request context of its own).
  const id = randomUUID();
  const data = { id, day: today(), value: 5.4, confidence: 90, note: "from the notebook" };
  const headers = { Authorization: `Bearer ${token}` };
  const first = await request.post(`${server.url}/api/v1/kpis/CHURN/checkins`, { headers, data });
  expect(first.status()).toBe(201);
  // The same id again (a retry): stored once.
  const again = await request.post(`${server.url}/api/v1/kpis/CHURN/checkins`, { headers, data });
  expect(again.status()).toBe(200);
  const listed = await request.get(`${server.url}/api/v1/kpis`, { headers });
  expect(listed.status()).toBe(200);
  const churn = (await listed.json()).find((k: { code: string }) => k.code === "CHURN");
  expect(churn.can_check_in).toBe(true);
  expect(churn.current).toBe(5.4);

  // The KPI's page shows the value once.
  await page.goto(CHURN);
  await hydrated(page);
  const rows = page.getByTestId("checkin-row").filter({ hasText: "from the notebook" });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("5.4");

  // The profile no longer shows the token, and it was used just now.
  await page.goto("/profile");
  await hydrated(page);
  await expect(page.getByTestId("fresh-token")).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Analytics notebook/ })).not.toContainText("Never");

  // Revoked after one confirmation: the tool is refused from then on.
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Revoke Analytics notebook" }).click();
  await expect(page.getByRole("row", { name: /Analytics notebook/ })).toContainText("Revoked");
  const refused = await request.get(`${server.url}/api/v1/kpis`, { headers });
  expect(refused.status()).toBe(401);
});
