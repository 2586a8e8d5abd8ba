import { test, expect, signIn, hydrated } from "./fixtures";

/** pm3's demo goal, under the shared team goal, with the KPI CONV under it. */
const PM3_GOAL = "提升注册转化 Lift sign-up conversion";

test("a PM edits their goal (in Chinese, their language), finds it edited after a reload, archives it and it leaves the tree", async ({ page }) => {
  await signIn(page, "pm3@example.com");
  await page.goto("/kpis/goals");
  await hydrated(page);
  const node = page.locator(`[data-title="${PM3_GOAL}"]`);
  await node.getByTestId("edit-goal").first().locator("summary").click();
  // The edit form (the node's first form is its branch toggle).
  const form = node.getByTestId("edit-goal").first().locator("form");
  await form.getByLabel("目标", { exact: true }).fill("注册转化 Q3 <i>conversion</i>");
  await form.getByLabel("描述").fill("Fewer steps to sign up");
  await form.getByLabel("开始日期").fill("2026-07-01");
  await form.getByLabel("截止日期").fill("2026-06-01");
  await form.getByRole("button", { name: "保存目标" }).click();
  // Bad dates are named at the field, and nothing is saved.
  await expect(form.getByText("截止日期必须晚于开始日期").first()).toBeVisible();
  await form.getByLabel("截止日期").fill("2026-09-30");
  await form.getByRole("button", { name: "保存目标" }).click();
  const edited = page.locator(`[data-title="注册转化 Q3 <i>conversion</i>"]`);
  await expect(edited).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(edited.locator(".goal-title").first()).toHaveText("注册转化 Q3 <i>conversion</i>");
  await expect(edited.locator(".goal-description").first()).toContainText("Fewer steps to sign up");
  await expect(edited.locator(".goal-dates").first()).toContainText("2026-07-01 – 2026-09-30");
  // A KPI hangs under it: it may be archived, not deleted.
  await edited.getByTestId("edit-goal").first().locator("summary").click();
  await expect(edited.getByTestId("delete-goal")).toHaveCount(0);
  page.once("dialog", (d) => d.accept());
  await edited.getByTestId("archive-goal").first().click();
  await expect(edited).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.locator(`[data-title="注册转化 Q3 <i>conversion</i>"]`)).toHaveCount(0);
});

test("an admin hands a team goal to a second team, and un-ticking every team is refused at the field", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/kpis/goals");
  await hydrated(page);
  const node = page.locator(`[data-title="平台稳定可靠 A reliable platform"]`);
  const owners = node.locator(".goal-row").first();
  await expect(owners).toContainText("平台组 Platform");
  await expect(owners).not.toContainText("产品部 Product");
  const edit = node.getByTestId("edit-goal").first();
  await edit.locator("summary").click();
  const teams = edit.getByRole("group", { name: "Owning teams" });
  await expect(teams.getByLabel("平台组 Platform")).toBeChecked();
  // None ticked: named at the field, nothing saved.
  await teams.getByLabel("平台组 Platform").uncheck();
  await edit.getByRole("button", { name: "Save goal" }).click();
  await expect(teams.getByText("This field is required.")).toBeVisible();
  await teams.getByLabel("平台组 Platform").check();
  await teams.getByLabel("产品部 Product").check();
  await edit.getByRole("button", { name: "Save goal" }).click();
  await expect(owners).toContainText("产品部 Product");
  await page.reload();
  await hydrated(page);
  const row = page.locator(`[data-title="平台稳定可靠 A reliable platform"] .goal-row`).first();
  await expect(row).toContainText("平台组 Platform");
  await expect(row).toContainText("产品部 Product");
});
