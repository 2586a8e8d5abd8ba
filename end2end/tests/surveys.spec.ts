import { test, expect, signIn, hydrated, PASSWORD } from "./fixtures";
import { request as pwRequest, type APIRequestContext, type Browser, type Page } from "@playwright/test";

/** A signed-in API client (the same server functions the pages call). It
 * sends the Origin a browser would: the server refuses writes without one. */
async function client(baseURL: string, email: string, password = PASSWORD): Promise<APIRequestContext> {
  const ctx = await pwRequest.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL).origin } });
  const r = await ctx.post("/api/login", { form: { email, password } });
  expect(r.ok(), `sign-in of ${email}`).toBeTruthy();
  return ctx;
}

async function call(ctx: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const r = await ctx.post(`/api/${endpoint}`, { form });
  expect(r.ok(), `${endpoint}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

async function callJson(ctx: APIRequestContext, endpoint: string, data: unknown) {
  const r = await ctx.post(`/api/${endpoint}`, { data, headers: { "content-type": "application/json" } });
  expect(r.ok(), `${endpoint}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

let seq = 0;
const uid = () => crypto.randomUUID();

/** Makes a team (under `parent`, led by `leader`) with `n` members; returns its id and the members' emails. */
async function team(admin: APIRequestContext, name: string, n: number, opts: { parent?: string; leader?: string; language?: string } = {}) {
  const t = await call(admin, "create_team", { id: uid(), name, parent_id: opts.parent ?? "", leader_id: opts.leader ?? "" });
  const emails: string[] = [];
  for (let i = 0; i < n; i++) {
    const email = `s${++seq}.${Date.now() % 100000}@example.com`;
    await call(admin, "create_person", {
      id: uid(), email, display_name: `${name} ${i + 1}`, role: "member", team_id: t.id, password: "survey-pass-1", language: opts.language ?? "en",
    });
    emails.push(email);
  }
  return { id: t.id as string, emails };
}

async function leader(admin: APIRequestContext, email: string) {
  const p = await call(admin, "create_person", {
    id: uid(), email, display_name: "Lin Survey 林调研", role: "leader", team_id: "", password: "survey-pass-1", language: "en",
  });
  return p.id as string;
}

/** "YYYY-MM-DDTHH:MM" in Asia/Shanghai, `minutes` from now. */
function local(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000);
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(d).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

async function roundByApi(owner: APIRequestContext, teams: string[], themes: string[], title = "Pulse") {
  return (await callJson(owner, "create_round", {
    id: uid(), title, themes, teams, opens: local(-1), closes: local(24 * 60), pulse: "none",
    visibility: "private", k: "", comment_min: "", support_note: "",
  })) as string;
}

/** Answers a round through the server function: Likert `likert`, eNPS `enps`, first choices. */
async function answerByApi(baseURL: string, email: string, round: string, likert: number, enps: number) {
  const me = await client(baseURL, email, "survey-pass-1");
  const d = await call(me, "load_round", { id: round });
  const answers = d.questions.map((q: { id: string; kind: string }) => ({
    question_id: q.id,
    values: q.kind === "likert" ? [likert] : q.kind === "enps" ? [enps] : q.kind === "text" ? [] : [0],
    text: "",
  }));
  await callJson(me, "submit_answers", { round_id: round, submission: uid(), answers });
  await me.dispose();
}

async function closeByUi(page: Page, round: string) {
  await page.goto(`/surveys/${round}`);
  await hydrated(page);
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("close-round").click();
  await expect(page.getByTestId("round-status")).toHaveAttribute("data-status", "closed");
}

async function memberPage(browser: Browser, baseURL: string, email: string) {
  const ctx = await browser.newContext({ baseURL });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, email, "survey-pass-1");
  return { page, ctx, errors };
}

/** Picks a radio by its label text within the question whose text is given. */
function question(page: Page, text: string) {
  return page.getByTestId("question").filter({ hasText: text });
}

test("six members answer, the owner closes, the leader sees the results and the eNPS by hand", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const admin = await client(baseURL!, "admin@example.com");
  const lead = await leader(admin, "lin.survey@example.com");
  const t = await team(admin, "调研组 Survey", 6, { leader: lead });

  // The leader makes the round on the page.
  await signIn(page, "lin.survey@example.com", "survey-pass-1");
  await page.goto("/surveys/new");
  await hydrated(page);
  await page.getByLabel("Title").fill("Q4 engagement");
  await page.getByRole("checkbox", { name: "调研组 Survey" }).check();
  await page.getByTestId("create-round").click();
  await page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/);
  const round = page.url().split("/").pop()!;
  await expect(page.getByTestId("round-status")).toHaveAttribute("data-status", "open");
  await expect(page.getByTestId("round-turnout")).toHaveText("0 / 6");

  // Six members answer on their phones' page; eNPS 10, 9, 9, 7, 3, 0.
  const scores = [10, 9, 9, 7, 3, 0];
  for (let i = 0; i < 6; i++) {
    const m = await memberPage(browser, baseURL!, t.emails[i]);
    await expect(m.page.getByTestId("awaiting-round")).toContainText("Q4 engagement");
    await m.page.getByTestId("awaiting-round").getByRole("link").click();
    await m.page.waitForURL(/\/answer$/);
    await hydrated(m.page);
    await expect(m.page.getByTestId("anonymity-note")).toContainText("at least 5");
    await expect(m.page.getByTestId("anonymity-note")).toContainText("before the round closes");
    const enps = question(m.page, "recommend this team");
    await enps.getByRole("radio", { name: String(scores[i]), exact: true }).check();
    if (i === 0) {
      // The draft survives a reload (kept in this browser only).
      await expect(m.page.getByTestId("answer-progress")).toContainText("1 / 5");
      await m.page.reload();
      await hydrated(m.page);
      await expect(question(m.page, "recommend this team").getByRole("radio", { name: "10", exact: true })).toBeChecked();
      await expect(m.page.getByTestId("answer-progress")).toContainText("1 / 5");
    }
    await question(m.page, "proud to work here").getByRole("radio", { name: "4 · Agree" }).check();
    await question(m.page, "two years").getByRole("radio", { name: i < 3 ? "5 · Strongly agree" : "2 · Disagree" }).check();
    await question(m.page, "most improve").getByRole("radio", { name: "Better tools" }).check();
    await question(m.page, "one thing we should change").locator("textarea").fill(`Change ${i}`);
    await expect(m.page.getByTestId("answer-progress")).toContainText("5 / 5");
    await m.page.getByTestId("submit-answers").click();
    await expect(m.page.getByTestId("answer-thanks")).toBeVisible();
    expect(m.errors).toEqual([]);
    await m.ctx.close();
  }

  // Open: the results are not shown, not even to the owner.
  await page.goto(`/surveys/${round}/results`);
  await hydrated(page);
  await expect(page.getByTestId("results-refused")).toContainText("only after the round closes");
  await expect(page.getByTestId("enps")).toHaveCount(0);

  await closeByUi(page, round);
  await page.getByTestId("results-link").click();
  await page.waitForURL(/\/results/);
  await hydrated(page);
  // eNPS by hand: promoters 10, 9, 9 = 3/6 = 50 %; detractors 3, 0 = 2/6 = 33.3 %; 50 − 33.3 = +17.
  await expect(page.getByTestId("enps")).toHaveText("+17");
  await expect(page.getByTestId("response-rate")).toHaveText("100% (6/6)");
  // Engagement: 6 × "agree" + 3 × "strongly agree" + 3 × "disagree" = 9 of 12 favourable = 75 %.
  await expect(page.getByTestId("theme-row").filter({ hasText: "Engagement" })).toContainText("75%");
  await expect(page.getByTestId("comments").locator("li")).toHaveCount(6);

  // The leader commits to an action and later records a follow-up.
  await page.getByLabel("Committed action").fill("Fix the build tools first");
  await page.getByLabel("Due").fill("2027-02-01");
  await page.getByTestId("add-action").click();
  await expect(page.getByText("Action committed.")).toBeVisible();
  const item = page.getByTestId("action-item").filter({ hasText: "Fix the build tools first" });
  await expect(item).toBeVisible();
  await item.getByText("Record a follow-up").click();
  await item.getByLabel("Follow-up").fill("New laptops ordered");
  await item.getByLabel("Mark as done").check();
  await item.getByTestId("save-follow-up").click();
  await expect(page.getByTestId("action-item").filter({ hasText: "Fix the build tools first" }).getByTestId("action-status")).toHaveText("Done");
  await expect(page.getByTestId("follow-up")).toHaveText("New laptops ordered");
});

test("a team with 4 answers shows not enough responses", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const admin = await client(baseURL!, "admin@example.com");
  const t = await team(admin, "Small team 小组", 4);
  const round = await roundByApi(admin, [t.id], ["engagement"], "Small pulse");
  for (const e of t.emails) await answerByApi(baseURL!, e, round, 5, 10);
  await signIn(page, "admin@example.com");
  await closeByUi(page, round);
  await page.goto(`/surveys/${round}/results`);
  await hydrated(page);
  await expect(page.getByTestId("not-enough")).toContainText("Not enough responses");
  await expect(page.getByTestId("enps")).toHaveCount(0);
  await expect(page.getByTestId("question-result")).toHaveCount(0);
  // The export hides the group too.
  const csv = await (await page.request.get(`/surveys/${round}/export.csv`)).text();
  expect(csv).toContain("hidden");
  expect(csv).not.toContain("100");
});

test("the heatmap has a cell per visible team and theme and hatches hidden ones", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const admin = await client(baseURL!, "admin@example.com");
  const lead = await leader(admin, "heat.lead@example.com");
  // P (no direct members) = X 6 + Y 5 + Z 2: Z is below k, so Y (the next smallest) is hidden with it.
  const p = await team(admin, "Heat P", 0, { leader: lead });
  const x = await team(admin, "Heat X", 6, { parent: p.id });
  const y = await team(admin, "Heat Y", 5, { parent: p.id });
  const z = await team(admin, "Heat Z", 2, { parent: p.id });
  const owner = await client(baseURL!, "heat.lead@example.com", "survey-pass-1");
  const round = await roundByApi(owner, [p.id], ["engagement", "safety", "balance"], "Heat pulse");
  for (const e of x.emails) await answerByApi(baseURL!, e, round, 5, 9);
  for (const e of y.emails) await answerByApi(baseURL!, e, round, 2, 5);
  for (const e of z.emails) await answerByApi(baseURL!, e, round, 1, 0);
  await signIn(page, "heat.lead@example.com", "survey-pass-1");
  await closeByUi(page, round);
  await page.goto(`/surveys/${round}/results`);
  await hydrated(page);
  const heat = page.getByTestId("heatmap");
  await expect(heat).toBeVisible();
  // Rows: P, X, Y, Z (the leader's teams); columns: the three themes.
  await expect(heat.getByTestId("heat-row")).toHaveCount(4);
  await expect(heat.getByTestId("heat-cell")).toHaveCount(12);
  await expect(heat.locator('[data-testid="heat-cell"][data-hidden="true"]')).toHaveCount(6);
  await expect(heat.locator('[data-testid="heat-cell"][data-hidden="false"]')).toHaveCount(6);
  // Biggest shown group first; hidden rows after, by name.
  await expect(heat.getByTestId("heat-row").nth(0)).toContainText("Heat P (13)");
  await expect(heat.getByTestId("heat-row").nth(1)).toContainText("Heat X (6)");
  // X answered 5 everywhere: 100 % against 6/13 = 46 % overall, +54 on engagement.
  await expect(heat.getByTestId("heat-row").nth(1).getByTestId("heat-cell").first()).toContainText("+54");
  await expect(heat.locator(".heat-hidden")).toHaveCount(6);
  // Picking Y shows "not enough responses".
  await page.getByTestId("group-select").selectOption(y.id);
  await expect(page.getByTestId("not-enough")).toBeVisible();
});

test("a distress answer shows support resources at once", async ({ page, baseURL }) => {
  const admin = await client(baseURL!, "admin@example.com");
  const t = await team(admin, "Wellbeing 身心", 1);
  await callJson(admin, "create_round", {
    id: uid(), title: "Wellbeing check", themes: ["wellbeing"], teams: [t.id], opens: local(-1), closes: local(600),
    pulse: "none", visibility: "private", k: "", comment_min: "", support_note: "EAP hotline: 400-000-0000",
  });
  await signIn(page, t.emails[0], "survey-pass-1");
  await page.getByTestId("awaiting-round").getByRole("link").click();
  await page.waitForURL(/\/answer$/);
  await hydrated(page);
  await expect(page.getByTestId("support-resources")).toHaveCount(0);
  await question(page, "manage my stress").getByRole("radio", { name: "4 · Agree" }).check();
  await expect(page.getByTestId("support-resources")).toHaveCount(0);
  await question(page, "manage my stress").getByRole("radio", { name: "2 · Disagree" }).check();
  await expect(page.getByTestId("support-resources")).toBeVisible();
  await expect(page.getByTestId("support-resources")).toContainText("EAP hotline: 400-000-0000");
  // Sending without every answer names the missing question and keeps the draft.
  await page.getByTestId("submit-answers").click();
  await expect(page.locator('[data-testid="question"][aria-invalid="true"]').first()).toBeVisible();
  await expect(question(page, "manage my stress").getByRole("radio", { name: "2 · Disagree" })).toBeChecked();
});

test("a member answers a survey in Chinese", async ({ page, baseURL }) => {
  const admin = await client(baseURL!, "admin@example.com");
  const t = await team(admin, "中文组", 1, { language: "zh" });
  await roundByApi(admin, [t.id], ["safety"], "心理安全调研");
  await signIn(page, t.emails[0], "survey-pass-1");
  await expect(page.getByTestId("surveys-awaiting")).toContainText("心理安全调研");
  await page.getByTestId("awaiting-round").getByRole("link").click();
  await page.waitForURL(/\/answer$/);
  await hydrated(page);
  await expect(page.getByTestId("anonymity-note")).toContainText("匿名");
  for (const q of ["冒险尝试", "棘手", "犯错"]) {
    await question(page, q).getByRole("radio", { name: "5 · 非常同意" }).check();
  }
  await page.getByRole("button", { name: "提交回答" }).click();
  await expect(page.getByTestId("answer-thanks")).toContainText("感谢作答");
});
