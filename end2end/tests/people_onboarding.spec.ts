import { test, expect, signIn, hydrated } from "./fixtures";
import path from "node:path";

/** 20 people, Chinese headers, GB18030 (what a spreadsheet on Chinese Windows writes). */
const FILE = path.join(__dirname, "..", "fixtures", "people-gb18030.csv");

test("an admin imports 20 people from a GB18030 CSV and one of them signs in through an invitation link", async ({ page, browser, server }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/people");
  await hydrated(page);
  const section = page.getByTestId("people-import");
  await section.locator("summary").click();
  await section.getByLabel("CSV file").setInputFiles(FILE);
  const report = page.getByTestId("people-import-report");
  await expect(report).toContainText("20 rows ready to import");
  await section.getByRole("button", { name: "Import", exact: true }).click();
  await expect(report).toContainText("People imported or updated: 20");

  // The list is paged on the server: the newcomers are found by search.
  await page.getByTestId("people-search").fill("joiner");
  const people = page.getByTestId("people-table");
  await expect(people.getByRole("row")).toHaveCount(21);
  const row = people.getByRole("row", { name: /joiner05@example\.com/ });
  await expect(row).toContainText("增长组 Growth");
  await row.getByTestId("invite").click();
  const link = page.getByTestId("invitation-link");
  await expect(link).toHaveValue(/\/invite#[0-9a-f]{64}$/);
  const url = await link.inputValue();

  // The invited person opens the link in their own browser, sets a password, and is in.
  const context = await browser.newContext({ baseURL: server.url });
  const invited = await context.newPage();
  await invited.goto(url);
  await hydrated(invited);
  await expect(invited.getByTestId("invited-person")).toContainText("joiner05@example.com");
  const form = invited.locator("#invite");
  await form.getByLabel(/New password|新密码/).fill("short");
  await form.getByRole("button").click();
  await expect(form.getByLabel(/New password|新密码/)).toBeFocused();
  await form.getByLabel(/New password|新密码/).fill("my-first-password");
  await form.getByRole("button").click();
  await invited.waitForURL((u) => u.pathname === "/");
  await expect(invited.getByTestId("me-name")).toHaveText("入职同事05 Joiner 05");

  // The link is used up.
  await invited.goto(url);
  await hydrated(invited);
  await expect(invited.getByTestId("invitation-invalid")).toBeVisible();
  await context.close();
});
