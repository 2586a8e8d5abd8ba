import { test, expect, signIn, hydrated, ROOT } from "./fixtures";
import * as fs from "node:fs";
import * as path from "node:path";

test("the manifest and the service worker are served", async ({ request }) => {
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.ok()).toBeTruthy();
  const m = await manifest.json();
  expect(m.display).toBe("standalone");
  expect(m.start_url).toBe("/");
  const sizes = m.icons.map((i: any) => i.sizes);
  expect(sizes).toContain("192x192");
  expect(sizes).toContain("512x512");
  expect(m.icons.some((i: any) => i.purpose === "maskable")).toBeTruthy();
  for (const icon of m.icons) {
    expect((await request.get(icon.src)).ok()).toBeTruthy();
  }
  const sw = await request.get("/sw.js");
  expect(sw.ok()).toBeTruthy();
  expect(sw.headers()["content-type"]).toContain("javascript");
  const text = await sw.text();
  expect(text).toMatch(/\/pkg\/keel\.[\w-]+\.wasm/);
  // Every file of the build's pkg directory is precached (not their .br/.gz twins).
  const pkg = path.join(ROOT, "target", "site", "pkg");
  const files = fs.readdirSync(pkg).filter((f) => /\.(wasm|js|css)$/.test(f));
  expect(files.length).toBeGreaterThanOrEqual(3);
  for (const f of files) expect(text).toContain(`"/pkg/${f}"`);
  expect(text).not.toContain(".br\"");
});

test("after a first visit the app shell loads with the server stopped", async ({ page, server }) => {
  await signIn(page, "pm5@example.com");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // Visit once more under the active worker so the page itself is cached.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.evaluate(async () => {
    const keys = await caches.keys();
    if (!keys.some((k) => k.startsWith("keel-pages-"))) throw new Error("no page cache yet");
  });

  // A capability page, visited once under the worker.
  await page.goto("/kpis");
  await expect(page.getByRole("heading", { level: 1, name: "Goals and KPIs" })).toBeVisible();
  await hydrated(page);
  await page.goto("/");
  await hydrated(page);

  await server.stop();
  await page.reload();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Backlog" })).toBeVisible();
  await expect(page.getByTestId("me-name")).toHaveText("Sofia Rossi 罗素菲");
  // The wasm came from the cache too: the page hydrates offline.
  await hydrated(page);
  // So does the visited capability page.
  await page.goto("/kpis");
  await expect(page.getByRole("heading", { level: 1, name: "Goals and KPIs" })).toBeVisible();
  await hydrated(page);
});

test("signing out clears the cached pages", async ({ page }) => {
  await signIn(page, "pm7@example.com");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith("keel-pages-")));
  await page.getByTestId("sign-out").click();
  await page.waitForURL((u) => u.pathname === "/login");
  const pageCaches = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("keel-pages-")));
  expect(pageCaches).toEqual([]);
});
