import { test, expect, signIn, hydrated, backlogShown } from "./fixtures";
import type { Page } from "@playwright/test";

/** Opens "New backlog" on the backlog page and creates one. */
async function createBacklog(page: Page, name: string, framework?: string) {
  await page.getByText("New backlog").first().click();
  const form = page.locator("#backlog-form");
  await form.getByLabel("Name").fill(name);
  if (framework) await form.getByLabel("Framework").selectOption(framework);
  await form.getByRole("button", { name: "New backlog" }).click();
  await backlogShown(page, name);
  await expect(page.getByTestId("framework")).toBeVisible();
}

test("a PM creates a backlog, takes requirements, scores and reorders them by keyboard", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await page.getByRole("navigation").getByRole("link", { name: "Backlog" }).click();
  // The demo organisation's backlogs are there to look at (the empty page
  // of a new organisation is in setup.spec.ts).
  await expect(page.getByTestId("framework")).toHaveText("RICE");
  await expect(page.getByTestId("requirement-row").first()).toContainText("Placed by hand");

  await page.getByText("New backlog").first().click();
  const form = page.locator("#backlog-form");
  // The PM creating it is suggested as its owner.
  await expect(form.getByLabel("Owner (PM)").locator("option:checked")).toHaveText("Sofia Rossi 罗素菲");
  await form.getByLabel("Name").fill("增长需求池 Growth backlog");
  await form.getByRole("button", { name: "New backlog" }).click();
  await backlogShown(page, "增长需求池 Growth backlog");
  await expect(page.getByTestId("framework")).toHaveText("RICE");
  await expect(page.getByTestId("empty-backlog")).toBeVisible();

  const submit = page.locator("#requirement-form");
  // A bad link is refused at the field; nothing typed is lost.
  await submit.getByLabel("Requirement").fill("用户登录失败");
  await submit.getByLabel("Links").fill("ftp://old");
  await submit.getByRole("button", { name: "Submit" }).click();
  await expect(page.locator("#requirement-form-links-msg")).toContainText("https://");
  await expect(submit.getByLabel("Requirement")).toHaveValue("用户登录失败");
  await submit.getByLabel("Links").fill("https://example.com/ticket/1");
  await submit.getByLabel("Description").fill("安卓手机上偶发");
  await submit.getByRole("button", { name: "Submit" }).click();
  const rows = page.getByTestId("requirement-row");
  await expect(rows).toHaveCount(1);
  for (const title of ["Export to Excel", "Dark mode"]) {
    await submit.getByLabel("Requirement").fill(title);
    await submit.getByRole("button", { name: "Submit" }).click();
    await expect(rows.filter({ hasText: title })).toHaveCount(1);
  }
  await expect(rows).toHaveCount(3);

  // Score "Dark mode": RICE 500 × 2 × 100% ÷ 1 = 1000, and it rises to the top.
  const dark = rows.filter({ hasText: "Dark mode" });
  await dark.getByRole("button", { name: "Score and state" }).click();
  const score = page.locator("#score-form");
  await score.getByLabel("Reach").fill("500");
  await score.getByLabel("Impact").selectOption("2");
  await score.getByLabel("Confidence (%)").selectOption("100");
  await score.getByLabel("Effort (person-months)").fill("1");
  await score.getByRole("button", { name: "Save score" }).click();
  await expect(rows.first()).toContainText("Dark mode");
  await expect(rows.first().getByTestId("score")).toHaveText("1000");

  // Keyboard: Alt+↑ moves the focused requirement up one place and pins it.
  const last = rows.nth(2);
  await expect(last).toContainText("Export to Excel");
  await last.focus();
  await page.keyboard.press("Alt+ArrowUp");
  await expect(rows.nth(1)).toContainText("Export to Excel");
  await expect(rows.nth(1)).toContainText("Placed by hand");
  await expect(page.getByRole("status").filter({ hasText: "Moved to position 2" })).toBeAttached();
  await expect(rows.nth(1)).toBeFocused();
  // Alt+Home takes it to the top.
  await page.keyboard.press("Alt+Home");
  await expect(rows.nth(0)).toContainText("Export to Excel");
  await expect(page.getByRole("status").filter({ hasText: "Moved to position 1" })).toBeAttached();
  await expect(rows.nth(0)).toBeFocused();

  // Search finds Chinese words inside titles.
  await page.getByTestId("backlog-search").fill("登录");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("用户登录失败");
});

test("a member sees the backlog, votes and submits, but cannot reorder", async ({ page, browser, server }) => {
  // A PM of the team sets the backlog up first.
  const pmContext = await browser.newContext({ baseURL: server.url });
  const pmPage = await pmContext.newPage();
  await signIn(pmPage, "pm7@example.com");
  await pmPage.goto("/backlog");
  await hydrated(pmPage);
  await createBacklog(pmPage, "Platform backlog", "ice");
  await expect(pmPage.getByTestId("framework")).toHaveText("ICE");
  await pmContext.close();

  await signIn(page, "member8@example.com");
  await page.goto("/backlog");
  await hydrated(page);
  await expect(page.getByTestId("framework")).toHaveText("ICE");
  await expect(page.getByTestId("reset-order")).toHaveCount(0);
  const submit = page.locator("#requirement-form");
  await submit.getByLabel("Requirement").fill("Faster CI");
  await submit.getByRole("button", { name: "Submit" }).click();
  const row = page.getByTestId("requirement-row").filter({ hasText: "Faster CI" });
  await expect(row).toBeVisible();
  await expect(row.getByRole("button", { name: "Move up" })).toBeHidden();
  await row.getByRole("button", { name: /^Vote/ }).click();
  await expect(row.getByRole("button", { name: /^Voted · 1/ })).toBeVisible();
});

test("CSV import reports the bad row and imports only the valid ones when asked", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await page.goto("/backlog");
  await hydrated(page);
  await createBacklog(page, "Imported");

  await page.getByText("Import CSV").click();
  const csv = "标题,来源,描述\n用户登录失败,客户,安卓偶发\n,销售,没有标题\n导出报表,sales,\n";
  await page.getByLabel("CSV file").setInputFiles({ name: "需求.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf-8") });
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("2 rows ready to import");
  const errors = page.getByTestId("import-errors");
  await expect(errors.getByRole("row")).toHaveCount(2);
  await expect(errors).toContainText("3");
  await expect(errors).toContainText("title");
  await expect(page.getByTestId("requirement-row")).toHaveCount(0);
  await page.getByRole("button", { name: "Import only the valid rows" }).click();
  await expect(report).toContainText("Requirements imported: 2");
  await expect(page.getByTestId("requirement-row")).toHaveCount(2);
  await expect(page.getByTestId("export-csv")).toHaveAttribute("href", /\/backlog\/.+\/export\.csv$/);
});

test("a value/effort backlog draws each scored requirement in its quadrant", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await page.goto("/backlog");
  await hydrated(page);
  await createBacklog(page, "Quick wins hunt", "value_effort");
  await expect(page.getByTestId("framework")).toHaveText("Value / effort");
  const submit = page.locator("#requirement-form");
  await submit.getByLabel("Requirement").fill("Saved searches");
  await submit.getByRole("button", { name: "Submit" }).click();
  const row = page.getByTestId("requirement-row").filter({ hasText: "Saved searches" });
  await row.getByRole("button", { name: "Score and state" }).click();
  await page.locator("#score-form").getByLabel("Value").selectOption("8");
  await page.locator("#score-form").getByLabel("Effort").selectOption("2");
  await page.locator("#score-form").getByRole("button", { name: "Save score" }).click();
  await expect(page.getByTestId("requirement-row").first().getByTestId("score")).toHaveText("4");
  const matrix = page.getByTestId("value-effort-matrix");
  const point = matrix.getByRole("link", { name: /Saved searches: Value 8, Effort 2/ });
  await expect(point).toHaveAttribute("data-target", /^req-/);
  await point.focus();
  await page.keyboard.press("Enter");
  await expect(row).toBeFocused();
  await matrix.getByText("Show as a table").click();
  await expect(matrix.getByRole("row", { name: /Saved searches/ })).toContainText("Quick wins");
});
