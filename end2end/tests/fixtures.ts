import { test as base, expect, Page } from "@playwright/test";
import { spawn, execFileSync, ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
/** The server under test: the release build that README command 1 serves. */
export const BIN = process.env.KEEL_E2E_BIN
  ? path.resolve(process.env.KEEL_E2E_BIN)
  : path.join(ROOT, "target", "release", "keel");

/** The one-time setup token the test servers start with (README: first start). */
export const SETUP_TOKEN = "e2e-setup-token-0123456789";

export type KeelServer = {
  url: string;
  stop: () => Promise<void>;
};

/** Where a test server keeps its data: a temporary SQLite file (the default),
 * or a database of its own on the PostgreSQL server KEEL_TEST_PG names. */
export type Database = "sqlite" | "postgres";

const PSQL = ["/usr/bin/psql", "/usr/lib/postgresql/15/bin/psql"].find((p) => fs.existsSync(p)) ?? "psql";

/** The PostgreSQL server for `database: "postgres"` tests (`postgres://user@host:port`, no database). */
function pgServer(): string {
  const url = process.env.KEEL_TEST_PG?.trim();
  if (!url) {
    throw new Error(
      "This test runs Keel on PostgreSQL and needs KEEL_TEST_PG (postgres://user@host:port). " +
        "The test command (scripts/test.sh) starts a server and sets it; to run Playwright by hand: " +
        "KEEL_TEST_PG=$(bash scripts/postgres.sh start) npx playwright test",
    );
  }
  return url.replace(/\/+$/, "");
}

/** Runs one statement on the server's maintenance database. */
function psql(server: string, sql: string) {
  execFileSync(PSQL, [`${server}/postgres`, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], {
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 30_000,
  });
}

/** A new empty database for one test; `drop` removes it (after its server has stopped). */
function newPgDatabase(): { url: string; drop: () => void } {
  const server = pgServer();
  const name = `keel_e2e_${randomUUID().replace(/-/g, "")}`;
  psql(server, `CREATE DATABASE ${name}`);
  return { url: `${server}/${name}`, drop: () => psql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function startServer(demo: boolean, databaseUrl?: string): Promise<{ server: KeelServer; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-e2e-"));
  const proc: ChildProcess = spawn(BIN, [], {
    cwd: ROOT,
    env: {
      ...process.env,
      LEPTOS_SITE_ADDR: "127.0.0.1:0",
      LEPTOS_SITE_ROOT: path.join(ROOT, "target", "site"),
      KEEL_DATABASE_URL: databaseUrl ?? `sqlite://${dir}/keel.db`,
      KEEL_DEMO: demo ? "1" : "0",
      KEEL_SETUP_TOKEN: SETUP_TOKEN,
      // Seals survey answers on PostgreSQL (required there, unused on SQLite).
      KEEL_SURVEY_KEY: "6b65656c2d6532652d7375727665792d6b65792d303132333435363738396162",
      RUST_LOG: "info",
      NO_COLOR: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`server did not start:\n${log}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  };
  return { server: { url, stop }, dir };
}

export const test = base.extend<{ demo: boolean; database: Database; server: KeelServer }>({
  demo: [true, { option: true }],
  database: ["sqlite", { option: true }],
  server: async ({ demo, database }, use) => {
    const pg = database === "postgres" ? newPgDatabase() : undefined;
    try {
      const { server, dir } = await startServer(demo, pg?.url);
      try {
        await use(server);
      } finally {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      pg?.drop();
    }
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  // A panic in the wasm stops the page silently: any error thrown in the page fails the test.
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && m.text().includes("panicked")) errors.push(m.text().slice(0, 500));
    });
    await use(page);
    expect(errors, "errors thrown in the page").toEqual([]);
  },
});

export { expect };

export const PASSWORD = "keel-demo";

/** Waits until the page's wasm has hydrated (the app marks <body> when it has). */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated='true']")).toBeAttached();
}

/** After "New backlog": the new backlog's page loads afresh, chosen in the picker, and hydrates. */
export async function backlogShown(page: Page, name: string) {
  await expect(page.locator("#backlog-pick-backlog option:checked")).toHaveText(name);
  await hydrated(page);
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await hydrated(page);
}
