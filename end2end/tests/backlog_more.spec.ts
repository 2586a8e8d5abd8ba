import { test, expect, signIn, hydrated, backlogShown } from "./fixtures";
import type { Page } from "@playwright/test";

async function newBacklog(page: Page, name: string, framework = "rice") {
  await page.goto("/backlog");
  await hydrated(page);
  await page.getByText("New backlog").first().click();
  const form = page.locator("#backlog-form");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Framework").selectOption(framework);
  await form.getByRole("button", { name: "New backlog" }).click();
  await backlogShown(page, name);
  await expect(page.getByTestId("framework")).toBeVisible();
  // The chosen backlog is in the address, so a reload keeps it.
  await expect(page).toHaveURL(/\/backlog\?b=/);
}

async function submit(page: Page, title: string) {
  const form = page.locator("#requirement-form");
  await form.getByLabel("Requirement").fill(title);
  await form.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("requirement-row").filter({ hasText: title })).toHaveCount(1);
}

async function rice(page: Page, title: string, reach: string) {
  const row = page.getByTestId("requirement-row").filter({ hasText: title });
  await row.getByRole("button", { name: "Score and state" }).click();
  const score = page.locator("#score-form");
  await score.getByLabel("Reach").fill(reach);
  await score.getByLabel("Effort (person-months)").fill("1");
  await score.getByRole("button", { name: "Save score" }).click();
  await expect(page.getByTestId("requirement-row").filter({ hasText: title }).getByTestId("score")).not.toHaveText("Not scored");
}

test("a PM scores three with RICE, drags one to the top with the mouse, and the order survives a reload and an export", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await newBacklog(page, "Drag test");
  for (const t of ["Alpha", "Bravo", "Charlie"]) await submit(page, t);
  await rice(page, "Alpha", "100");
  await rice(page, "Bravo", "300");
  await rice(page, "Charlie", "200");
  const rows = page.getByTestId("requirement-row");
  // The list follows the scores (reach × 0.25 × 50% ÷ 1 with the default impact and confidence).
  await expect(rows.nth(0)).toContainText("Bravo");
  await expect(rows.nth(1)).toContainText("Charlie");
  await expect(rows.nth(2)).toContainText("Alpha");

  // Drag Alpha onto the first row with the mouse.
  await rows.filter({ hasText: "Alpha" }).dragTo(rows.nth(0));
  await expect(rows.nth(0)).toContainText("Alpha");
  await expect(rows.nth(0)).toContainText("Placed by hand");
  // Manual order disagrees with the scores: marked where it happens.
  await expect(rows.nth(0).getByTestId("out-of-order")).toBeVisible();

  await page.reload();
  await hydrated(page);
  await expect(rows.nth(0)).toContainText("Alpha");
  await expect(rows.nth(1)).toContainText("Bravo");
  await expect(rows.nth(2)).toContainText("Charlie");

  // The export carries the rows in rank order.
  await page.getByText("Import CSV").click();
  const href = await page.getByTestId("export-csv").getAttribute("href");
  const csv = await (await page.request.get(href!)).text();
  const titles = csv.replace(/^\uFEFF/, "").trim().split("\n").slice(1).map((l) => l.split(",")[0]);
  expect(titles).toEqual(["Alpha", "Bravo", "Charlie"]);
  // Imported back into the same backlog, the export (with ids and versions) changes nothing.
  await page.getByLabel("CSV file").setInputFiles({ name: "backlog.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf-8") });
  await expect(page.getByTestId("import-report")).toContainText("3 unchanged, left out");

  // Reset to score order (asked once) brings the scores back in charge.
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("reset-order").click();
  await expect(rows.nth(0)).toContainText("Bravo");
  await expect(page.getByTestId("out-of-order")).toHaveCount(0);
});

test("the requirement page keeps evidence and history and explains why it moved", async ({ page }) => {
  await signIn(page, "pm5@example.com");
  await newBacklog(page, "Detail test");
  await submit(page, "Saved filters");
  await submit(page, "Bulk edit");
  await rice(page, "Saved filters", "100");
  await rice(page, "Bulk edit", "400");
  await page.getByRole("link", { name: "Saved filters" }).click();
  await expect(page.getByRole("heading", { name: "Saved filters" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByTestId("position")).toContainText("2 / 2");
  // The score form starts from the stored inputs.
  await expect(page.locator("#score-form").getByLabel("Reach")).toHaveValue("100");
  await expect(page.locator("#score-form").getByLabel("Impact")).toHaveValue("0.25");
  await expect(page.getByTestId("why").first()).toContainText("RICE = reach × impact × confidence ÷ effort");

  const ev = page.locator("#evidence-form");
  await ev.getByLabel("Kind").selectOption("customer_quote");
  await ev.getByRole("button", { name: "Add evidence" }).click();
  // Nothing typed: the field says what is missing, nothing is stored.
  await expect(page.locator("#evidence-form-body-msg")).not.toBeEmpty();
  await ev.getByLabel("Finding, quote or figure").fill("“We rebuild the same filter every morning”");
  await ev.getByLabel("Where it comes from").fill("Interview, ACME");
  await ev.getByRole("button", { name: "Add evidence" }).click();
  await expect(page.getByTestId("evidence-list")).toContainText("We rebuild the same filter every morning");

  // Why did it move since today: Bulk edit was scored above it.
  const today = new Date().toISOString().slice(0, 10);
  await page.locator("#why-form-since").fill(today);
  await page.getByRole("button", { name: "Explain" }).click();
  const answer = page.getByTestId("why-answer");
  await expect(answer).toContainText("Bulk edit");
  await expect(answer).toContainText("Reach — → 400");

  // History, newest first: scored, then submitted.
  const history = page.getByTestId("history").getByTestId("history-entry");
  await expect(history.first()).toContainText("Reach — → 100");
  await expect(history.last()).toContainText("Submitted");

  // Loaded afresh, the page hydrates and stays usable.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("evidence-list")).toContainText("We rebuild the same filter every morning");
  await page.locator("#owner-form").getByLabel("Labels").fill("reports, 报表");
  await page.locator("#owner-form").getByRole("button", { name: "Save" }).click();
  await expect(page.locator(".facts")).toContainText("reports, 报表");
});

test("a priority-poker round with two people ends with an accepted value", async ({ page, browser, server }) => {
  await signIn(page, "pm5@example.com");
  await newBacklog(page, "Sizing", "wsjf");
  await submit(page, "Checkout redesign");
  await page.getByRole("tab", { name: "Group scoring" }).click();
  await page.getByTestId("poker-panel").locator("summary").click();
  const form = page.locator("#poker-form");
  await form.getByLabel("Round name").fill("Q4 sizing");
  await form.getByLabel("Checkout redesign").check();
  await form.getByLabel("Sofia Rossi 罗素菲").check();
  await form.getByLabel("Priya Nair 普丽雅").check();
  await form.getByRole("button", { name: "Open a scoring round" }).click();
  await expect(page).toHaveURL(/\/backlog\/poker\//);
  await hydrated(page);
  const roundUrl = page.url();

  // The PM estimates and submits.
  const est = page.locator("#estimate-form");
  await est.getByLabel("Business value").selectOption("13");
  await est.getByLabel("Job size").selectOption("5");
  await est.getByRole("button", { name: "Submit my estimates" }).click();
  await expect(page.getByTestId("participants")).toContainText("Submitted");

  // The member sees only their own until they submit.
  const other = await browser.newContext({ baseURL: server.url });
  const member = await other.newPage();
  await signIn(member, "member2@example.com");
  await member.goto(roundUrl);
  await hydrated(member);
  await expect(member.getByText("Others' estimates stay hidden until you submit yours.")).toBeVisible();
  await expect(member.getByTestId("poker-result")).toHaveCount(0);
  const mest = member.locator("#estimate-form");
  await mest.getByLabel("Business value").selectOption("3");
  await mest.getByLabel("Job size").selectOption("5");
  await mest.getByRole("button", { name: "Submit my estimates" }).click();
  await expect(member.getByTestId("poker-result")).toHaveCount(1);
  await other.close();

  // The owner sees both, the spread, agreement and the suggested median, and accepts.
  await page.reload();
  await hydrated(page);
  const result = page.getByTestId("poker-result");
  const bv = result.getByTestId("summary-business_value");
  await expect(bv).toContainText("3 – 13");
  await expect(bv).toContainText("Low");
  await expect(bv).toContainText("8");
  await expect(result.getByTestId("summary-job_size")).toContainText("High");
  await result.getByRole("button", { name: "Accept this value" }).click();
  await expect(result.getByTestId("accepted")).toContainText("WSJF");
  // The accepted value is the requirement's score now: (8 + 1 + 1) ÷ 5 = 2.
  await page.getByRole("link", { name: "Checkout redesign" }).click();
  await expect(page.getByTestId("detail-score")).toHaveText("2");
});

test("a member follows what happened to their requirement", async ({ page, browser, server }) => {
  const pmContext = await browser.newContext({ baseURL: server.url });
  const pm = await pmContext.newPage();
  await signIn(pm, "pm7@example.com");
  await newBacklog(pm, "Platform intake", "ice");

  await signIn(page, "member8@example.com");
  await page.goto("/backlog");
  await hydrated(page);
  await submit(page, "Single sign-on");
  await page.getByRole("link", { name: "My requirements" }).click();
  const mine = page.getByTestId("my-requirements");
  await expect(mine).toContainText("Single sign-on");
  await expect(mine).toContainText("New");

  // The PM rejects it with a reason; the member sees state and reason.
  await pm.reload();
  await hydrated(pm);
  const row = pm.getByTestId("requirement-row").filter({ hasText: "Single sign-on" });
  await row.getByRole("button", { name: "Score and state" }).click();
  await pm.locator("#status-form").getByLabel("State").selectOption("rejected");
  await pm.locator("#status-form").getByLabel("Reason").fill("Covered by the identity project");
  await pm.locator("#status-form").getByRole("button", { name: "Change state" }).click();
  // The row's state badge, which only the server's answer changes (the row
  // also holds the open state form, whose options say "Rejected" at once).
  await expect(row.locator(".badge.status-rejected")).toHaveText("Rejected");
  await pmContext.close();

  await page.reload();
  await expect(mine).toContainText("Rejected");
  await expect(mine).toContainText("Covered by the identity project");
});

test("smoke: the backlog in Chinese", async ({ page }) => {
  await signIn(page, "pm3@example.com");
  await page.getByRole("navigation").getByRole("link", { name: "需求池" }).click();
  await expect(page.getByRole("heading", { name: "需求池", level: 1 })).toBeVisible();
  await page.getByText("新建需求池").first().click();
  const form = page.locator("#backlog-form");
  await form.getByLabel("名称").fill("增长需求池");
  await form.getByRole("button", { name: "新建需求池" }).click();
  await backlogShown(page, "增长需求池");
  await expect(page.getByTestId("framework")).toHaveText("RICE");
  const submitForm = page.locator("#requirement-form");
  await submitForm.getByLabel("需求", { exact: true }).fill("用户登录失败");
  await submitForm.getByRole("button", { name: "提交" }).click();
  await expect(page.getByTestId("requirement-row")).toHaveCount(1);
  await submitForm.getByLabel("需求", { exact: true }).fill("导出报表");
  await submitForm.getByRole("button", { name: "提交" }).click();
  await expect(page.getByTestId("requirement-row")).toHaveCount(2);
  await page.getByTestId("backlog-search").fill("登录");
  await expect(page.getByTestId("requirement-row")).toHaveCount(1);
  await expect(page.getByTestId("requirement-row")).toContainText("用户登录失败");
  await page.getByRole("tab", { name: "概览" }).click();
  await expect(page.getByTestId("status-counts")).toContainText("新提交");
  await expect(page.getByTestId("intake")).toContainText("每周各来源新增需求");
  await page.getByRole("tab", { name: "集体评分" }).click();
  await expect(page.getByText("还没有集体评分轮次。")).toBeVisible();
  await page.getByRole("tab", { name: "排名列表" }).click();
  await page.getByRole("link", { name: "用户登录失败" }).click();
  await expect(page.getByRole("heading", { name: "历史" })).toBeVisible();
  await expect(page.getByTestId("history-entry").last()).toContainText("已提交");
});

test("the team's leader hands a backlog to another PM; a PM cannot", async ({ page, browser, server }) => {
  const pmContext = await browser.newContext({ baseURL: server.url });
  const pm = await pmContext.newPage();
  await signIn(pm, "pm7@example.com");
  await newBacklog(pm, "Platform roadmap", "ice");
  await expect(pm.getByTestId("backlog-owner")).toContainText("James Wu 吴杰明");
  await expect(pm.getByText("Hand to another PM")).toHaveCount(0);
  await pmContext.close();

  await signIn(page, "lead2@example.com");
  await page.goto("/backlog");
  await hydrated(page);
  await page.getByText("Hand to another PM").first().click();
  await page.locator("#reassign-form").getByLabel("New owner").selectOption({ label: "赵敏 Zhao Min" });
  await page.locator("#reassign-form").getByRole("button", { name: "Hand to another PM" }).click();
  await expect(page.getByTestId("backlog-owner")).toContainText("赵敏 Zhao Min");
});
