import { test, expect, signIn, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

/** A date `offset` days from today in the organisation's time zone (Asia/Shanghai). */
function day(offset: number): string {
  const now = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now);
}

/** The growth page of a person, found on a leader's (or admin's) training dashboard. */
async function openFromDashboard(page: Page, name: string) {
  await page.goto("/growth/dashboard");
  await hydrated(page);
  await page.locator(`[data-testid="person-row"][data-name="${name}"] a`).click();
  await expect(page.getByTestId("growth-person-name")).toHaveText(name);
  await hydrated(page);
}

async function addItem(page: Page, title: string, due: string, cost = "") {
  const form = page.locator("#item-form");
  // The form stays open after an item is added, for the next one.
  if (!(await form.isVisible())) await page.getByTestId("add-item-toggle").click();
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Due").fill(due);
  await form.getByLabel("Cost").fill(cost);
  await form.getByRole("button", { name: "Add item" }).click();
  await expect(page.locator(`[data-testid="plan-item"][data-title="${title}"]`)).toBeVisible();
}

function item(page: Page, title: string) {
  return page.locator(`[data-testid="plan-item"][data-title="${title}"]`);
}

test("a leader assesses a PM and builds the plan from the suggestions", async ({ page }) => {
  await signIn(page, "lead2@example.com");
  await openFromDashboard(page, "James Wu 吴杰明");
  await expect(page.getByTestId("current-level")).toHaveText("PM3");
  // Nothing rated yet: no gaps, no suggestions.
  await expect(page.getByTestId("suggestions")).toContainText("No suggestions");

  const ratings: Record<string, string> = {
    "Discovery — 用户洞察": "1",
    "Strategy — 产品战略": "2",
    "Execution — 执行交付": "4",
    "Data — 数据驱动": "4",
    "Communication — 沟通协作": "5",
    "Leadership — 领导力": "4",
  };
  for (const [label, value] of Object.entries(ratings)) {
    await page.getByLabel(`Rating for ${label}`).selectOption(value);
  }
  await page.getByRole("button", { name: "Save leader ratings" }).click();
  await expect(page.getByText("Ratings saved.")).toBeVisible();
  // PM4 expects 4 everywhere: gaps 3 and 2; above expectations shows no gap.
  const gap = (c: string) => page.locator(`[data-testid="rating-row"][data-competency="${c}"] [data-testid="gap"]`);
  await expect(gap("Discovery")).toHaveText("+3");
  await expect(gap("Strategy")).toHaveText("+2");
  await expect(gap("Communication")).toHaveText("-1");

  // The largest gap first, the cheaper resource first.
  const suggestions = page.getByTestId("suggestion");
  await expect(suggestions.first()).toHaveAttribute("data-title", "Continuous Discovery Habits");
  await expect(suggestions.first()).toContainText("Discovery +3");
  await suggestions.first().getByRole("button", { name: "Add to plan" }).click();
  await expect(item(page, "Continuous Discovery Habits")).toBeVisible();
  await expect(item(page, "Continuous Discovery Habits")).toContainText("120 CNY");
  await expect(suggestions.first()).toHaveAttribute("data-title", "用户访谈实战工作坊");
  await suggestions.first().getByRole("button", { name: "Add to plan" }).click();
  await expect(page.getByTestId("plan-item")).toHaveCount(2);
  await expect(page.getByTestId("plan-completion")).toHaveText("0%");

  // The PM sees the leader's ratings and the plan on their own page.
  await page.context().clearCookies();
  await signIn(page, "pm7@example.com");
  await page.goto("/growth");
  await hydrated(page);
  await expect(page.locator('[data-testid="rating-row"][data-competency="Discovery"]')).toContainText("1");
  await expect(page.getByTestId("plan-item")).toHaveCount(2);
});

test("a PM marks an item done with evidence and the completion rate changes", async ({ page }) => {
  await signIn(page, "pm2@example.com");
  await page.goto("/growth");
  await hydrated(page);
  await expect(page.getByTestId("plan-empty")).toBeVisible();
  // Bad input gets a message at the field; what was typed stays.
  await page.getByTestId("add-item-toggle").click();
  const form = page.locator("#item-form");
  await form.getByLabel("Title").fill("Product analytics course");
  await form.getByLabel("Cost").fill("-20");
  await form.getByRole("button", { name: "Add item" }).click();
  await expect(page.locator("#item-form-cost-msg")).toContainText("cannot be negative");
  await expect(form.getByLabel("Title")).toHaveValue("Product analytics course");
  await form.getByLabel("Cost").fill("800");
  await form.getByLabel("Due").fill(day(20));
  await form.getByRole("button", { name: "Add item" }).click();
  await expect(item(page, "Product analytics course")).toBeVisible();
  await addItem(page, "Talk at the product guild", day(30));
  await expect(page.getByTestId("plan-completion")).toHaveText("0%");

  const course = item(page, "Product analytics course");
  await course.getByText("Update").click();
  await course.getByLabel("Status").selectOption("done");
  await course.getByRole("button", { name: "Save" }).click();
  // Done needs evidence.
  await expect(course.getByText("This field is required.")).toBeVisible();
  await course.getByLabel("Evidence (link or note)").fill("https://example.com/certificate/42");
  await course.getByRole("button", { name: "Save" }).click();
  await expect(course).toHaveAttribute("data-status", "done");
  await expect(course.getByTestId("item-evidence")).toContainText("https://example.com/certificate/42");
  await expect(page.getByTestId("plan-completion")).toHaveText("50%");

  // The leader's dashboard shows the same rate for this PM.
  await page.context().clearCookies();
  await signIn(page, "admin@example.com");
  await page.goto("/growth/dashboard");
  await hydrated(page);
  await expect(page.locator('[data-testid="person-row"][data-name="Emma Clarke 柯爱玛"] [data-testid="person-completion"]')).toHaveText("50%");
});

test("an item past its due date shows as overdue to the PM and on the dashboard", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await page.goto("/growth");
  await hydrated(page);
  await addItem(page, "Read Inspired", day(-1));
  await addItem(page, "Write a discovery memo", day(0));
  await expect(item(page, "Read Inspired").getByTestId("item-overdue")).toHaveText(/Overdue/);
  // Due today is not overdue yet.
  await expect(item(page, "Write a discovery memo").getByTestId("item-overdue")).toHaveCount(0);
  await expect(page.getByTestId("plan-overdue")).toHaveText("1");

  await page.context().clearCookies();
  await signIn(page, "admin@example.com");
  await page.goto("/growth/dashboard");
  await hydrated(page);
  const overdue = page.getByTestId("overdue-item");
  await expect(overdue.filter({ hasText: "Read Inspired" })).toContainText("Sofia Rossi 罗素菲");
  await expect(overdue.filter({ hasText: "Write a discovery memo" })).toHaveCount(0);
});

test("an over-budget plan warns and waits for the leader's approval", async ({ page }) => {
  // The admin sets a 500 CNY budget for pm5.
  await signIn(page, "admin@example.com");
  await page.goto("/growth/settings");
  await hydrated(page);
  const row = page.locator('[data-testid="budget-row"][data-name="Sofia Rossi 罗素菲"]');
  await row.getByLabel("Budget Sofia Rossi 罗素菲").fill("500");
  await row.getByRole("button", { name: "Save" }).click();
  // Wait for the server's answer before leaving: the value in the field proves nothing.
  await expect(page.getByTestId("budget-saved")).toContainText("Budget saved: Sofia Rossi 罗素菲");
  await expect(row.getByLabel("Budget Sofia Rossi 罗素菲")).toHaveValue("500");

  await page.context().clearCookies();
  await signIn(page, "pm5@example.com");
  await page.goto("/growth");
  await hydrated(page);
  await addItem(page, "UX conference", day(40), "1,200");
  const waiting = page.getByTestId("plan-waiting");
  await expect(waiting).toContainText("Over budget.");
  await expect(waiting).toContainText("waits for approval");
  await expect(page.getByTestId("approve-plan")).toHaveCount(0);
  // A paid item cannot start while the plan waits.
  const conf = item(page, "UX conference");
  await conf.getByText("Update").click();
  await conf.getByLabel("Status").selectOption("in_progress");
  await conf.getByRole("button", { name: "Save" }).click();
  await expect(conf.getByText("waits for approval before paid items can start")).toBeVisible();

  // Their leader (lead1, who reads Chinese) approves.
  await page.context().clearCookies();
  await signIn(page, "lead1@example.com");
  await page.goto("/growth/dashboard");
  await hydrated(page);
  await expect(page.locator('[data-testid="person-row"][data-name="Sofia Rossi 罗素菲"] [data-testid="person-waiting"]')).toBeVisible();
  await openFromDashboard(page, "Sofia Rossi 罗素菲");
  await page.getByTestId("approve-plan").click();
  await expect(page.getByTestId("plan-approved")).toContainText("陈静 Chen Jing");

  await page.context().clearCookies();
  await signIn(page, "pm5@example.com");
  await page.goto("/growth");
  await hydrated(page);
  await expect(page.getByTestId("plan-approved")).toContainText("1,800 CNY");
  const conf2 = item(page, "UX conference");
  await conf2.getByText("Update").click();
  await conf2.getByLabel("Status").selectOption("in_progress");
  await conf2.getByRole("button", { name: "Save" }).click();
  await expect(conf2).toHaveAttribute("data-status", "in_progress");
});

test("the competency heatmap has a cell per person and competency", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/growth/dashboard");
  await hydrated(page);
  const people = await page.getByTestId("person-row").count();
  expect(people).toBeGreaterThan(10);
  const heat = page.getByTestId("heatmap");
  await expect(heat.getByTestId("heat-row")).toHaveCount(people);
  await expect(heat.getByTestId("heat-cell")).toHaveCount(people * 6);
  // Wang Fang (PM2) was rated 2 on strategy by her leader; PM2 expects 2.
  await expect(heat).toHaveAttribute("aria-label", "Competency heatmap");
  await expect(heat.locator("title", { hasText: "王芳 Wang Fang · Strategy: assessed 2, expected 2" })).toHaveCount(1);

  // One team: only its people.
  await page.getByLabel("Team", { exact: true }).selectOption({ label: "增长组 Growth" });
  await expect(page.getByTestId("team-row")).toHaveCount(1);
  const growthPeople = await page.getByTestId("person-row").count();
  expect(growthPeople).toBeLessThan(people);
  await expect(heat.getByTestId("heat-cell")).toHaveCount(growthPeople * 6);
});

test("another team's leader is refused a person's growth page", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/growth/dashboard");
  await hydrated(page);
  const href = await page.locator('[data-testid="person-row"][data-name="王芳 Wang Fang"] a').getAttribute("href");
  expect(href).toMatch(/^\/growth\/people\/[0-9a-f-]{36}$/);

  await page.context().clearCookies();
  await signIn(page, "lead2@example.com");
  await page.goto(href!);
  await hydrated(page);
  await expect(page.getByRole("alert")).toContainText("You do not have access to this.");
  await expect(page.getByTestId("assessment-table")).toHaveCount(0);
  await expect(page.getByTestId("plan")).toHaveCount(0);
  // Nor does the dashboard offer that team.
  await page.goto("/growth/dashboard");
  await hydrated(page);
  await expect(page.locator('[data-testid="person-row"][data-name="王芳 Wang Fang"]')).toHaveCount(0);
});

test("the growth pages in Chinese", async ({ page }) => {
  await signIn(page, "lead1@example.com");
  await page.getByRole("navigation").getByRole("link", { name: "成长计划" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("成长");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "成长计划 · " })).toBeVisible();
  const tabs = page.getByRole("navigation", { name: "成长计划" });
  for (const [tab, heading] of [
    ["培训看板", "培训看板"],
    ["学习资源", "学习资源"],
    ["导师辅导", "导师辅导"],
    ["能力模型", "能力模型"],
    ["周期与预算", "周期与预算"],
  ]) {
    await tabs.getByRole("link", { name: tab }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
  }
  await tabs.getByRole("link", { name: "培训看板" }).click();
  await expect(page.getByRole("heading", { name: "能力热力图" })).toBeVisible();
  await expect(page.getByTestId("team-row")).toHaveCount(2);
  await tabs.getByRole("link", { name: "能力模型" }).click();
  await expect(page.getByTestId("framework-table")).toContainText("用户洞察");
  await expect(page.getByTestId("framework-table")).toContainText("独立负责一个完整产品");
});
