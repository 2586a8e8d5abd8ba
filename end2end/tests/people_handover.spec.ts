import { test, expect, signIn, hydrated } from "./fixtures";

test("an admin hands over a PM's work to one person, a leader's team to another leader, and deactivates the leader", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/people");
  await hydrated(page);
  const people = page.getByTestId("people-table");

  // A PM's KPIs, goal and backlog, everything to one PM at once (asked once).
  await page.getByTestId("people-search").fill("pm3@");
  await expect(people.getByRole("row")).toHaveCount(2);
  await people.getByRole("row", { name: /pm3@example\.com/ }).getByRole("link", { name: /Hand over work/ }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("李强 Li Qiang");
  const holdings = page.getByTestId("holdings");
  await expect(holdings.getByRole("row", { name: /CONV/ })).toBeVisible();
  const all = page.locator("#handover-all");
  await all.getByLabel("Hand to").selectOption({ label: "王芳 Wang Fang" });
  page.once("dialog", (d) => d.accept());
  await all.getByRole("button", { name: "Hand over everything" }).click();
  await expect(page.getByTestId("nothing-held")).toBeVisible();

  // The leader: the team they lead goes to the other leader (a PM is not offered for it).
  await page.getByRole("link", { name: /Back to people/ }).click();
  await hydrated(page);
  await page.getByTestId("people-search").fill("lead1@");
  await expect(people.getByRole("row")).toHaveCount(2);
  await people.getByRole("row", { name: /lead1@example\.com/ }).getByRole("link", { name: /Hand over work/ }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("陈静 Chen Jing");
  await expect(page.getByTestId("approves-for")).toBeVisible();
  const team = page.getByTestId("holdings").getByRole("row", { name: /Team they lead/ });
  await expect(team.getByRole("combobox").locator("option", { hasText: "王芳 Wang Fang" })).toHaveCount(0);
  await team.getByRole("combobox").selectOption({ label: "Oliver Grant 欧立文" });
  await team.getByRole("button", { name: "Hand over" }).click();
  await expect(page.getByTestId("nothing-held")).toBeVisible();

  // Then deactivated: Product is led by Oliver Grant.
  await page.getByRole("link", { name: /Back to people/ }).click();
  await hydrated(page);
  await page.getByTestId("people-search").fill("lead1@");
  const row = people.getByRole("row", { name: /lead1@example\.com/ });
  await expect(row).toBeVisible();
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row).toContainText("Deactivated");
  await expect(page.getByTestId("teams-table").getByRole("row", { name: /^产品部 Product/ })).toContainText("Oliver Grant");
});
