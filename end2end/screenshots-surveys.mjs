// Screenshots of the survey pages for design review: node screenshots-surveys.mjs <base-url> <out-dir>
import { base, browser, session, shot } from "./shots.mjs";

const admin = await session("admin@example.com");
await shot(admin.page, "/surveys", "surveys-list-en");
await admin.page.goto(base + "/surveys");
const closed = await admin.page.locator('[data-testid="results-link"]').first().getAttribute("href");
await shot(admin.page, closed, "surveys-results-en");
for (const [id, name] of [["heat-title", "heat"], ["trend-title", "trend"], ["themes-title", "themes"], ["questions-results-title", "questions"]]) {
  await admin.page.locator(`section:has(#${id})`).screenshot({ path: `${process.argv[3] || "screenshots"}/surveys-part-${name}.png` });
}
await shot(admin.page, "/surveys/new", "surveys-new-en");
const lead = await session("lead1@example.com");
await shot(lead.page, closed, "surveys-results-zh");
const member = await session("member2@example.com", { width: 360, height: 740 });
await shot(member.page, "/", "surveys-home-360");
const open = await member.page.locator('[data-testid="awaiting-round"] a').first().getAttribute("href");
await shot(member.page, open, "surveys-answer-360");
await member.page.getByTestId("question").first().getByRole("radio").first().check();
await member.page.screenshot({ path: `${process.argv[3] || "screenshots"}/surveys-distress-360.png`, fullPage: false });
const dark = await session("lead2@example.com", { scheme: "dark" });
await shot(dark.page, closed, "surveys-results-dark");
await browser.close();
