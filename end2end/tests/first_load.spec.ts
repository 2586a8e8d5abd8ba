import { test, expect, signIn, hydrated, ROOT } from "./fixtures";
import * as fs from "node:fs";
import * as path from "node:path";

// Issue 15: the wasm is split by capability and static files are compressed
// once at build time.
const PKG = path.join(ROOT, "target", "site", "pkg");

/** The chunk files (without .wasm) each capability's pages need, from the split manifest. */
function chunksOf(capability: string): string[] {
  const manifest = fs.readdirSync(PKG).find((f) => f.startsWith("__wasm_split_manifest") && f.endsWith(".json"));
  expect(manifest, "the build is split (cargo leptos build --split)").toBeTruthy();
  const map: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(PKG, manifest!), "utf8"));
  const key = Object.keys(map).find((k) => k.startsWith(`${capability}_pages_`));
  expect(key, `a lazy chunk for ${capability}`).toBeTruthy();
  expect(map[key!].length).toBeGreaterThan(0);
  return map[key!];
}

/** Every .wasm the page fetched from the server, by file name. */
function wasmRequests(page: import("@playwright/test").Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith(".wasm")) seen.push(u.pathname.split("/").pop()!.replace(/\.wasm$/, ""));
  });
  return seen;
}

test("the wasm is served from files compressed at build time, and pages are still compressed", async ({ request }) => {
  const wasm = fs.readdirSync(PKG).filter((f) => f.endsWith(".wasm"));
  expect(wasm.length, "a main module and lazily loaded chunks").toBeGreaterThan(3);
  const page = await request.get("/login", { headers: { "accept-encoding": "br" } });
  const html = await page.text();
  expect(page.headers()["content-encoding"]).toBe("br");
  expect(page.headers()["vary"]).toMatch(/accept-encoding/i);
  const main = html.match(/\/pkg\/(keel\.[\w-]+\.wasm)/)![1];
  for (const file of [main, ...wasm.filter((f) => f !== main).slice(0, 2)]) {
    for (const [encoding, twin] of [["br", ".br"], ["gzip", ".gz"]]) {
      const res = await request.get(`/pkg/${file}`, { headers: { "accept-encoding": encoding } });
      expect(res.status()).toBe(200);
      expect(res.headers()["content-encoding"]).toBe(encoding);
      expect(res.headers()["vary"]).toMatch(/accept-encoding/i);
      expect(res.headers()["cache-control"]).toContain("immutable");
      // The precompressed twin is sent as it is on disk: its exact length, known
      // before the body is read (a body compressed per request has none).
      const onDisk = fs.statSync(path.join(PKG, file + twin)).size;
      expect(Number(res.headers()["content-length"])).toBe(onDisk);
      const body = await res.body();
      expect(body.equals(fs.readFileSync(path.join(PKG, file)))).toBeTruthy();
    }
  }
});

test("a first visit loads only its page's chunk, and each capability's chunk loads on first navigation", async ({ page }) => {
  const fetched = wasmRequests(page);
  await page.goto("/login");
  await hydrated(page);
  for (const other of ["kpi", "backlog", "growth", "survey", "people"]) {
    const only = chunksOf(other).filter((c) => !chunksOf("sign_in").includes(c));
    expect(fetched.filter((f) => only.includes(f)), `the sign-in page does not load ${other}'s chunk`).toEqual([]);
  }
  await signIn(page, "admin@example.com");
  for (const c of chunksOf("home")) expect(fetched).toContain(c);
  const before = fetched.length;
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  for (const [link, capability, heading] of [
    ["Goals & KPIs", "kpi", "Goals and KPIs"],
    ["Backlog", "backlog", "Backlog"],
    ["Growth", "growth", "Growth"],
    ["Surveys", "survey", "Surveys"],
    ["People", "people", "People"],
  ]) {
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    for (const c of chunksOf(capability)) expect(fetched, `${capability}'s chunk ${c}`).toContain(c);
  }
  // Navigating within the app never fetches the main module again: it only adds chunks.
  expect(fetched.slice(before).filter((f) => f.startsWith("keel."))).toEqual([]);
  // The pages are interactive after client-side navigation: the language toggle works.
  await page.getByRole("button", { name: "切换到中文" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "人员管理" })).toBeVisible();
});

test("opening a page directly preloads its chunk with the main module and hydrates", async ({ page }) => {
  await signIn(page, "pm2@example.com");
  for (const [url, capability] of [
    ["/kpis", "kpi"],
    ["/backlog", "backlog"],
    ["/growth", "growth"],
    ["/surveys", "survey"],
  ]) {
    const response = await page.goto(url);
    const html = await response!.text();
    for (const c of chunksOf(capability)) expect(html).toContain(`<link rel="preload" href="/pkg/${c}.wasm"`);
    await hydrated(page);
  }
});

test("pointing at a navigation link prefetches its chunk before the click", async ({ page }) => {
  await signIn(page, "pm2@example.com");
  const growth = chunksOf("growth").filter((c) => !chunksOf("home").includes(c));
  const fetched = wasmRequests(page);
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await nav.getByRole("link", { name: "Growth" }).hover();
  await expect.poll(() => growth.every((c) => fetched.includes(c))).toBe(true);
  await expect(page).toHaveURL(/\/$/);
  // Keyboard focus does the same.
  const surveys = chunksOf("survey").filter((c) => !chunksOf("home").includes(c) && !growth.includes(c));
  await nav.getByRole("link", { name: "Surveys" }).focus();
  await expect.poll(() => surveys.every((c) => fetched.includes(c))).toBe(true);
});
