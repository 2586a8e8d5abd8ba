import { test, expect, ROOT } from "./fixtures";
import * as fs from "node:fs";
import * as path from "node:path";

// Issue 15: static files are compressed once at build time
// (`cargo leptos build --release --precompress`), never per request.
const PKG = path.join(ROOT, "target", "site", "pkg");

test("the wasm is served from files compressed at build time, and pages are still compressed", async ({ request }) => {
  const files = fs.readdirSync(PKG).filter((f) => /\.(wasm|js|css)$/.test(f));
  const page = await request.get("/login", { headers: { "accept-encoding": "br" } });
  const html = await page.text();
  expect(page.headers()["content-encoding"]).toBe("br");
  expect(page.headers()["vary"]).toMatch(/accept-encoding/i);
  const main = html.match(/\/pkg\/(keel\.[\w-]+\.wasm)/)![1];
  const js = html.match(/\/pkg\/(keel\.[\w-]+\.js)/)![1];
  for (const file of [main, js]) {
    for (const [encoding, twin] of [["br", ".br"], ["gzip", ".gz"]]) {
      expect(files).toContain(file);
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

