// Screenshots of the backlog pages for design review: node screenshots-backlog.mjs <base-url> <out-dir>
// Seeds a backlog through the server functions (as pm3, whose language is Chinese, and pm5).
import { chromium } from "@playwright/test";
import { randomUUID } from "node:crypto";

const [base, out] = [process.argv[2] || "http://127.0.0.1:3000", process.argv[3] || "screenshots"];
const browser = await chromium.launch({
  executablePath: process.env.KEEL_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

async function session(email, opts = {}) {
  const context = await browser.newContext({ locale: opts.locale || "en-US", viewport: { width: opts.width || 1280, height: opts.height || 860 }, colorScheme: opts.scheme || "light" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill("keel-demo");
  await page.locator("#login button[type=submit]").click();
  await page.waitForURL((u) => u.pathname === "/");
  const call = async (fn, form) => {
    const r = await page.request.post(`${base}/api/${fn}`, { form, headers: { Origin: base, Accept: "application/json" } });
    if (!r.ok()) throw new Error(`${fn}: ${r.status()} ${await r.text()}`);
    return r.json();
  };
  const callJson = async (fn, data) => {
    const r = await page.request.post(`${base}/api/${fn}`, { data, headers: { Origin: base, Accept: "application/json" } });
    if (!r.ok()) throw new Error(`${fn}: ${r.status()} ${await r.text()}`);
    return r.json();
  };
  return { context, page, call, callJson };
}

const pm = await session("pm5@example.com");
const choices = await pm.call("backlog_choices", {});
const backlog = randomUUID();
await pm.call("create_backlog", { id: backlog, team_id: choices.teams[0][0], owner_id: choices.suggested_owner, name: "Growth backlog 增长需求池", framework: "rice" });
const items = [
  ["用户登录失败", "customer", 2000, 2, 80, 2],
  ["Export to Excel", "sales", 800, 1, 100, 1],
  ["Dark mode", "user_research", 1500, 0.5, 50, 1],
  ["Saved filters 保存筛选", "support", 600, 2, 80, 3],
  ["Team invites", "internal_idea", 300, 3, 100, 2],
  ["Audit log", "leadership", 100, 1, 50, 4],
];
const ids = [];
for (const [title, source, reach, impact, confidence, effort] of items) {
  const r = await pm.call("submit_requirement", { id: randomUUID(), backlog_id: backlog, title, description: "Seen in three customer calls this month; blocks renewals for two accounts.", source, requester: "王芳", customer: "ACME 制造", segment: "Enterprise", links: "https://example.com/ticket/42" });
  const s = await pm.call("score_requirement", { id: r.id, version: "1", input: JSON.stringify({ framework: "rice", reach, impact, confidence, effort }) });
  ids.push(s);
}
await pm.call("submit_requirement", { id: randomUUID(), backlog_id: backlog, title: "SSO with WeCom 企业微信登录", description: "", source: "customer", requester: "", customer: "", segment: "", links: "" });
await pm.call("move_requirement", { id: ids[5].id, after_id: "" });
await pm.call("update_requirement", { id: ids[0].id, version: String(ids[0].version), owner_id: choices.suggested_owner, labels: "mobile, 登录" });
await pm.call("add_evidence", { id: randomUUID(), requirement_id: ids[0].id, kind: "customer_quote", body: "“我们每天要登录五个系统，经常失败。”", source: "客户访谈 ACME" });
const people = Object.fromEntries(choices.people.map(([id, name]) => [name, id]));
const round = randomUUID();
await pm.callJson("open_poker_round", { id: round, backlog_id: backlog, title: "Q4 sizing", requirement_ids: [ids[1].id, ids[2].id], invitees: [choices.suggested_owner, people["徐丽 Xu Li"]] });
const est = (reach, effort) => JSON.stringify({ framework: "rice", reach, impact: 1, confidence: 80, effort });
await pm.callJson("save_estimates", { round_id: round, estimates: [[ids[1].id, est(800, 1)], [ids[2].id, est(1500, 2)]], submit: true });
const member = await session("member7@example.com");
await member.callJson("save_estimates", { round_id: round, estimates: [[ids[1].id, est(1000, 2)], [ids[2].id, est(400, 5)]], submit: true });
await member.call("submit_requirement", { id: randomUUID(), backlog_id: backlog, title: "Bulk edit 批量编辑", description: "", source: "customer", requester: "", customer: "", segment: "", links: "" });

async function shoot(s, name, path, prep) {
  await s.page.goto(base + path);
  await s.page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  if (prep) await prep(s.page);
  await s.page.waitForTimeout(700);
  await s.page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}

await shoot(pm, "backlog-list-en", `/backlog?b=${backlog}`);
await shoot(pm, "backlog-overview-en", `/backlog?b=${backlog}`, (p) => p.getByRole("tab", { name: "Overview" }).click());
await shoot(pm, "backlog-poker-tab-en", `/backlog?b=${backlog}`, (p) => p.getByRole("tab", { name: "Group scoring" }).click());
await shoot(pm, "requirement-en", `/backlog/requirements/${ids[0].id}`);
await shoot(pm, "poker-round-en", `/backlog/poker/${round}`);
await shoot(member, "poker-round-member", `/backlog/poker/${round}`);
await shoot(member, "mine-en", `/backlog/mine`);
const zh = await session("pm3@example.com", { locale: "zh-CN" });
await shoot(zh, "backlog-list-zh", `/backlog?b=${backlog}`);
await shoot(zh, "requirement-zh", `/backlog/requirements/${ids[0].id}`);
const dark = await session("pm4@example.com", { scheme: "dark" });
await shoot(dark, "backlog-overview-dark", `/backlog?b=${backlog}`, (p) => p.getByRole("tab", { name: "概览" }).click());
const mobile = await session("pm5@example.com", { width: 360, height: 740 });
await shoot(mobile, "backlog-mobile", `/backlog?b=${backlog}`);
await shoot(mobile, "requirement-mobile", `/backlog/requirements/${ids[0].id}`);
await browser.close();
