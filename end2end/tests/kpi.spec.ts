import { test, expect, signIn, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

/** A date `offset` days from today in the organisation's time zone (Asia/Shanghai). */
function day(offset: number): string {
  const now = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now);
}

/** The private demo KPI ACT-7 of pm4 (Growth). */
const PRIVATE_KPI = "/kpis/7b1d0000-0000-4000-8000-000000000004";
const SHARED_GOAL = "新用户增长 New-user growth";

function goalProgress(page: Page, title: string) {
  return page.locator(`[data-title="${title}"] > .goal-row [data-testid="goal-progress"]`);
}

async function checkIn(page: Page, value: string, date: string, rows: number) {
  const form = page.locator("#checkin-form");
  await form.getByLabel("Value").fill(value);
  await form.getByLabel("Date").fill(date);
  await form.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByTestId("checkin-row")).toHaveCount(rows);
}

test("a PM creates a KPI, checks in three times and sees its status, chart and goal roll-up", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await page.goto("/kpis/goals");
  await hydrated(page);
  const before = await goalProgress(page, SHARED_GOAL).textContent();

  await page.goto("/kpis");
  await hydrated(page);
  await page.getByTestId("new-kpi").click();
  const form = page.locator("#kpi-form");
  await expect(form.getByLabel("Owner")).toBeVisible();
  await form.getByLabel("Code").fill("e2e-act");
  await form.getByLabel("Name").fill("激活率 Activation");
  await form.getByLabel("Unit").fill("%");
  await form.getByLabel("Baseline").fill("0");
  // Baseline = target is refused at the field; nothing typed is lost.
  await form.getByLabel("Target").fill("0");
  await form.getByLabel("Start").fill(day(-60));
  await form.getByLabel("Due").fill(day(60));
  await form.getByLabel("Parent goal").selectOption({ label: SHARED_GOAL });
  await form.getByRole("button", { name: "Create KPI" }).click();
  await expect(page.locator("#kpi-form-target-msg")).toContainText("must differ");
  await expect(form.getByLabel("Name")).toHaveValue("激活率 Activation");
  await form.getByLabel("Target").fill("100");
  await form.getByRole("button", { name: "Create KPI" }).click();
  await page.waitForURL(/\/kpis\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("E2E-ACT · 激活率 Activation");
  await expect(page.getByTestId("no-checkins")).toBeVisible();

  // 10 % and 30 % on earlier days, 45 % today: 45 % of the way at half time → on track.
  await checkIn(page, "10", day(-20), 1);
  await checkIn(page, "30", day(-10), 2);
  await checkIn(page, "45", day(0), 3);
  const status = page.getByTestId("kpi-status").first();
  await expect(status).toHaveAttribute("data-status", "on_track");
  await expect(status).toHaveText("On track");
  // Green in the light theme (--ok), with the text and icon, not colour alone.
  await expect(status).toHaveCSS("color", "rgb(22, 101, 52)");
  await expect(status.locator("svg")).toHaveCount(1);
  // One point per check-in, the target and expected-progress lines, a forecast.
  await expect(page.getByTestId("trend-point")).toHaveCount(3);
  await expect(page.getByTestId("target-line")).toHaveCount(1);
  await expect(page.getByTestId("expected-line")).toHaveCount(1);
  await expect(page.getByTestId("forecast-line")).toHaveCount(1);

  // The card on the dashboard shows the same.
  await page.goto("/kpis");
  await hydrated(page);
  const card = page.locator('[data-testid="kpi-card"][data-code="E2E-ACT"]');
  await expect(card.getByTestId("kpi-current")).toHaveText("45 %");
  await expect(card.getByTestId("kpi-status")).toHaveText("On track");
  await expect(card.locator("svg.sparkline")).toHaveAttribute("data-points", "3");

  // The shared goal's roll-up took the new KPI in.
  await page.goto("/kpis/goals");
  await hydrated(page);
  await expect(goalProgress(page, SHARED_GOAL)).not.toHaveText(before ?? "");
  await expect(page.locator(`[data-title="${SHARED_GOAL}"]`).getByText("E2E-ACT")).toBeVisible();
});

test("a leader of another team cannot see a private KPI", async ({ page }) => {
  await signIn(page, "lead2@example.com");
  await page.goto("/kpis");
  await hydrated(page);
  await expect(page.locator('[data-testid="kpi-card"][data-code="UPTIME"]')).toBeVisible();
  await expect(page.locator('[data-testid="kpi-card"][data-code="ACT-7"]')).toHaveCount(0);
  await page.goto(PRIVATE_KPI);
  await expect(page.getByRole("alert")).toContainText("no longer exists");
  await expect(page.getByTestId("trend-chart")).toHaveCount(0);

  // The leader above the owner's team does see it.
  await page.context().clearCookies();
  await signIn(page, "lead1@example.com");
  await page.goto("/kpis");
  await hydrated(page);
  await expect(page.locator('[data-testid="kpi-card"][data-code="ACT-7"]')).toBeVisible();
});

test("a check-in CSV with one bad row reports that row and imports the rest on request", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/kpis");
  await hydrated(page);
  await page.getByText("Import or export check-ins (CSV)").click();
  const csv = `date,kpi_code,value,confidence,note\n${day(-1)},DAU,150,80,weekly\n${day(-1)},DAU,lots,80,\n`;
  await page.getByLabel("CSV file").setInputFiles({ name: "checkins.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf-8") });
  const report = page.getByTestId("checkin-import-report");
  await expect(report).toContainText("1 rows ready to import");
  const errors = page.getByTestId("checkin-import-errors");
  await expect(errors.locator("tbody tr")).toHaveCount(1);
  await expect(errors.locator("tbody tr")).toContainText("3");
  await expect(errors.locator("tbody tr")).toContainText("Value");
  await expect(errors.locator("tbody tr")).toContainText("Enter a number");
  await page.getByRole("button", { name: "Import only the valid rows" }).click();
  await expect(report).toContainText("Check-ins imported: 1");
  await expect(page.locator('[data-testid="kpi-card"][data-code="DAU"]').getByTestId("kpi-current")).toHaveText("150 k");
});

test("the KPI pages in Chinese", async ({ page }) => {
  await signIn(page, "pm3@example.com");
  await expect(page.getByTestId("checkins-due")).toContainText("待打卡指标");
  await page.getByRole("navigation").getByRole("link", { name: "目标与关键指标" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("目标与关键指标");
  await hydrated(page);
  const card = page.locator('[data-testid="kpi-card"][data-code="DAU"]');
  await expect(card).toContainText("日活跃用户");
  await expect(card.getByTestId("kpi-status")).toHaveText(/正常|有风险|偏离|已达成/);
  await card.getByRole("link").first().click();
  await expect(page.getByTestId("trend-chart")).toBeVisible();
  await expect(page.getByTestId("trend-point")).toHaveCount(8);
  await expect(page.getByRole("heading", { name: "新增打卡" })).toBeVisible();
  await expect(page.getByRole("button", { name: "保存打卡" })).toBeVisible();
  await page.getByRole("link", { name: "← 目标与关键指标" }).click();
  await page.getByRole("link", { name: "目标树" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("目标树");
  await expect(page.getByTestId("goal-node").first()).toContainText("公司");
  await page.getByRole("link", { name: "角色章程" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("产品经理角色章程");
  await page.getByTestId("charter-link").first().click();
  await expect(page.getByLabel("职责")).toBeVisible();
  const body = await page.locator("main").innerText();
  for (const english of ["On track", "At risk", "Off track", "Check-in history", "Goal tree"]) {
    expect(body).not.toContain(english);
  }
});
