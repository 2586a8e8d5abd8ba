import { test, expect, signIn, hydrated } from "./fixtures";

// The release server on PostgreSQL (a fresh database on KEEL_TEST_PG, with
// the demo organisation seeded): a smoke test of what a PM does most. The
// rest of the suite runs on SQLite.
test.use({ database: "postgres" });

/** The demo's Product backlog (RICE) and KPI "CHURN", both of Emma Clarke (pm2, Product). */
const PRODUCT_BACKLOG = "b1d0c0de-0000-4000-8000-000000000001";
const CHURN_KPI = "/kpis/7b1d0000-0000-4000-8000-000000000003";
const PULSE = "Wellbeing pulse · 身心健康脉冲调研";

test("on PostgreSQL a PM signs in, reorders the backlog, checks in a KPI and answers the open survey", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "pm2@example.com");

  await test.step("a backlog move is kept after a reload", async () => {
    await page.goto(`/backlog?b=${PRODUCT_BACKLOG}`);
    await hydrated(page);
    await expect(page.getByTestId("framework")).toHaveText("RICE");
    const rows = page.getByTestId("requirement-row");
    await expect(rows.nth(2)).toBeVisible();
    const before = await rows.evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute("aria-label")!));
    // Alt+Home takes the third requirement to the top (the list redraws once the server has it).
    await rows.nth(2).focus();
    await page.keyboard.press("Alt+Home");
    await expect(rows.nth(0)).toHaveAttribute("aria-label", before[2]);
    await expect(rows.nth(0)).toContainText("Placed by hand");
    await expect(page.getByRole("status").filter({ hasText: "Moved to position 1" })).toBeAttached();

    await page.reload();
    await hydrated(page);
    await expect(rows.nth(0)).toHaveAttribute("aria-label", before[2]);
    await expect(rows.nth(1)).toHaveAttribute("aria-label", before[0]);
    await expect(rows.nth(2)).toHaveAttribute("aria-label", before[1]);
  });

  await test.step("a KPI check-in is on the KPI page after a reload", async () => {
    await page.goto(CHURN_KPI);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("CHURN · 月流失率 Monthly churn");
    const history = page.getByTestId("checkin-row");
    await expect(history).toHaveCount(8);
    const form = page.locator("#checkin-form");
    await form.getByLabel("Value").fill("5.7");
    await form.getByLabel("Note").fill("Checked in on PostgreSQL");
    await form.getByRole("button", { name: "Save check-in" }).click();
    // The page redraws with the saved check-in, and still says it was saved.
    await expect(history).toHaveCount(9);
    await expect(page.locator("#checkin-form").getByText("Check-in saved")).toBeVisible();
    await expect(history.filter({ hasText: "Checked in on PostgreSQL" })).toContainText("5.7");

    await page.reload();
    await hydrated(page);
    await expect(history).toHaveCount(9);
    const mine = history.filter({ hasText: "Checked in on PostgreSQL" });
    await expect(mine).toContainText("5.7");
    await expect(mine).toContainText("Emma Clarke");
    // The dashboard card shows it as the current value.
    await page.goto("/kpis");
    await hydrated(page);
    await expect(page.locator('[data-testid="kpi-card"][data-code="CHURN"]').getByTestId("kpi-current")).toHaveText("5.7 %");
  });

  await test.step("the open survey is answered and no longer waits", async () => {
    await page.goto("/");
    await hydrated(page);
    const awaiting = page.getByTestId("awaiting-round").filter({ hasText: PULSE });
    await expect(awaiting).toBeVisible();
    await awaiting.getByRole("link").click();
    await page.waitForURL(/\/surveys\/[0-9a-f-]{36}\/answer$/);
    await hydrated(page);
    const question = (text: string) => page.getByTestId("question").filter({ hasText: text });
    for (const q of ["manage my stress", "energised by my work", "where to get support", "workload is manageable", "switch off from work"]) {
      await question(q).getByRole("radio", { name: "4 · Agree" }).check();
    }
    await question("evenings a week").getByRole("radio", { name: "1–2" }).check();
    await question("anything else").locator("textarea").fill("Answered on PostgreSQL");
    await expect(page.getByTestId("answer-progress")).toContainText("7 / 7");
    await page.getByRole("button", { name: "Send my answers" }).click();
    await expect(page.getByTestId("answer-thanks")).toContainText("Thank you");
    await expect(page.getByTestId("answer-thanks")).toContainText("Your answers are in");

    await page.goto("/");
    await hydrated(page);
    await expect(page.getByTestId("surveys-awaiting")).toContainText("No survey is waiting for you.");
  });
});
