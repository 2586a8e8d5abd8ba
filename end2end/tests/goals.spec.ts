import { test, expect, signIn, hydrated } from "./fixtures";

/** pm3's demo goal, under the shared team goal, with the KPI CONV under it. */
const PM3_GOAL = "提升注册转化 Lift sign-up conversion";

test("a PM edits their goal (in Chinese, their language), finds it edited after a reload, archives it and it leaves the tree", async ({ page }) => {
  await signIn(page, "pm3@example.com");
  await page.goto("/kpis/goals");
  await hydrated(page);
  const node = page.locator(`[data-title="${PM3_GOAL}"]`);
  await node.getByTestId("edit-goal").first().locator("summary").click();
  const form = node.locator("form").first();
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
