import { browser, base, session } from "./shots.mjs";
const mode = process.env.MODE;
let panics = 0;
const { context, page } = await session("pm5@example.com");
page.on("pageerror", () => { panics++; });
for (let i = 0; i < 10; i++) {
  await page.goto(base + "/backlog");
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  if (mode === "empty") { await page.getByTestId("backlog-search").fill("zzzzqq"); await page.getByTestId("requirement-row").first().waitFor({ state: "detached" }); }
  if (mode === "tab") { await page.getByRole("tab", { name: "Overview" }).click(); await page.getByTestId("intake").waitFor(); }
  await page.getByText("New backlog").first().click();
  await page.locator("#backlog-form").getByLabel("Name").fill(mode + i);
  await page.locator("#backlog-form").getByRole("button", { name: "New backlog" }).click();
  await page.waitForURL(/b=/);
  await page.getByTestId("framework").waitFor();
  await page.waitForTimeout(300);
}
console.log(mode, "panics", panics);
await context.close();
await browser.close();
