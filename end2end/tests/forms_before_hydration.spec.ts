import { test, expect, hydrated, PASSWORD } from "./fixtures";
import type { Page } from "@playwright/test";

/** The demo KPI DAU (pm3, Growth), which admins may check in on. */
const DAU = "/kpis/7b1d0000-0000-4000-8000-000000000000";

/** Holds every wasm request back until the returned function is called: each
 * page stays as the server rendered it. Set before anything loads, so that the
 * service worker (registered once a page has hydrated) never serves the wasm
 * out of the route's reach. */
async function holdWasm(page: Page): Promise<() => void> {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    // A page left by a form post has dropped its request by now.
    await route.continue().catch(() => {});
  });
  return () => release();
}

async function notInteractive(page: Page) {
  await expect(page.locator("body[data-hydrated='true']")).toHaveCount(0);
}

/** Signs in with the plain form (the wasm is held). */
async function signInPlain(page: Page, email: string) {
  await page.goto("/login");
  await notInteractive(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL((u) => u.pathname === "/");
}

function question(page: Page, text: string) {
  return page.getByTestId("question").filter({ hasText: text });
}

test("a survey is answered before the page is interactive, with the thanks and support resources", async ({ page }) => {
  const release = await holdWasm(page);
  await signInPlain(page, "member2@example.com");
  await page.getByTestId("awaiting-round").filter({ hasText: "Wellbeing pulse" }).getByRole("link").click();
  await page.waitForURL(/\/surveys\/[0-9a-f-]{36}\/answer$/);
  await notInteractive(page);

  // One required question left out: the server names it at the question.
  await question(page, "manage my stress").getByRole("radio", { name: "1 · Strongly disagree" }).check();
  await page.getByTestId("submit-answers").click();
  await expect(page).toHaveURL(/\/answer\?error=required&field=/);
  await expect(page.locator("#answer-form .question[aria-invalid='true'] .field-error")).toHaveText("This field is required.");
  await notInteractive(page);

  // Every required answer (stress at its distress threshold) and a comment.
  await question(page, "manage my stress").getByRole("radio", { name: "1 · Strongly disagree" }).check();
  await question(page, "energised by my work").getByRole("radio", { name: "4 · Agree" }).check();
  await question(page, "where to get support").getByRole("radio", { name: "4 · Agree" }).check();
  await question(page, "workload is manageable").getByRole("radio", { name: "3 · Neutral" }).check();
  await question(page, "switch off from work").getByRole("radio", { name: "2 · Disagree" }).check();
  await question(page, "work late").getByRole("radio", { name: "None" }).check();
  await question(page, "anything else").getByRole("textbox").fill("无脚本也能提交 before hydration");
  await page.getByTestId("submit-answers").click();
  await expect(page).toHaveURL(/\/answer\?done=submit_answers_form$/);
  await expect(page.getByTestId("answer-thanks")).toContainText("Thank you");
  await expect(page.getByTestId("support-resources")).toContainText("Support is available");
  await notInteractive(page);

  // The wasm arrives: the page hydrates as it is.
  release();
  await hydrated(page);
  await expect(page.getByTestId("answer-thanks")).toBeVisible();
  await expect(page.getByTestId("support-resources")).toBeVisible();
  // The answer is recorded: the round no longer waits for this person.
  await page.goto("/");
  await hydrated(page);
  await expect(page.getByTestId("awaiting-round").filter({ hasText: "Wellbeing pulse" })).toHaveCount(0);
});

test("a KPI check-in is saved before the page is interactive, and the hydrated form still works", async ({ page }) => {
  const release = await holdWasm(page);
  await signInPlain(page, "admin@example.com");
  await page.goto(DAU);
  await notInteractive(page);
  const rows = page.getByTestId("checkin-row");
  await expect(rows).toHaveCount(8);
  const form = page.locator("#checkin-form");

  // Not a number: the message is at the field, nothing is saved.
  await form.getByLabel("Value").fill("lots");
  await form.getByRole("button", { name: "Save check-in" }).click();
  await expect(page).toHaveURL(/\?error=not_a_number&field=value&failed=add_checkin$/);
  await expect(page.locator("#checkin-form-value-msg")).toContainText("Enter a number");
  await expect(rows).toHaveCount(8);

  await form.getByLabel("Value").fill("152");
  await form.getByLabel("Note").fill("无脚本 before hydration");
  await form.getByRole("button", { name: "Save check-in" }).click();
  await expect(page).toHaveURL(/\?done=add_checkin$/);
  await expect(page.getByText("Check-in saved")).toBeVisible();
  await expect(rows).toHaveCount(9);
  await expect(rows.first()).toContainText("152");
  await expect(rows.first()).toContainText("无脚本 before hydration");
  await notInteractive(page);

  // Hydrated, the same form saves without reloading, as before.
  release();
  await hydrated(page);
  await form.getByLabel("Value").fill("153");
  await form.getByLabel("Note").fill("hydrated");
  await form.getByRole("button", { name: "Save check-in" }).click();
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText("hydrated");
  await expect(page).toHaveURL(/\?done=add_checkin$/);
});

test("a requirement is submitted before the page is interactive, and the hydrated form still works", async ({ page }) => {
  const release = await holdWasm(page);
  await signInPlain(page, "member2@example.com");
  await page.goto("/backlog");
  await notInteractive(page);
  const form = page.locator("#requirement-form");

  // No title: refused at the field.
  await form.getByRole("button", { name: "Submit" }).click();
  await expect(page).toHaveURL(/\/backlog\?error=required&field=title&failed=submit_requirement$/);
  await expect(page.locator("#requirement-form-title-msg")).toContainText("This field is required.");

  const title = "导出报表 Export before hydration";
  await form.getByLabel("Requirement").fill(title);
  await form.getByLabel("Description").fill("无脚本提交");
  await form.getByRole("button", { name: "Submit" }).click();
  await expect(page).toHaveURL(/\/backlog\?done=submit_requirement$/);
  await expect(form.getByText("Requirement submitted")).toBeVisible();
  const rows = page.getByTestId("requirement-row");
  await expect(rows.filter({ hasText: title })).toHaveCount(1);
  await notInteractive(page);

  release();
  await hydrated(page);
  const second = "Hydrated submission";
  await form.getByLabel("Requirement").fill(second);
  await form.getByRole("button", { name: "Submit" }).click();
  await expect(rows.filter({ hasText: second })).toHaveCount(1);
  await expect(rows.filter({ hasText: title })).toHaveCount(1);
});
