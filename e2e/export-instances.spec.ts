import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { addStaffWithCli } from "../test/support/sign-in";
import { apiAt, SANDBOX_HEADERS } from "./helpers/api";
import { launch, launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";
import { withPg } from "./helpers/pg";
import { REASON } from "./helpers/reasons";

// Issue 16, point 1: export jobs live in the store. Two real portal instances on one PostgreSQL, each with its own
// data directory (no shared disk): a job started on A is reported and served by B; A killed (SIGKILL) mid-export is
// resumed by B from its last page, every row exactly once; a restart deletes expired files and stale ones on disk.
// Needs TEST_DATABASE_URL.

const BASE_URL = process.env.TEST_DATABASE_URL?.trim();
// Beside the suite's own portal: its port + 20 (sandbox), + 21 (A) and + 22 (B), unless E2E_EXPORT_PORT_BASE says.
const EXTRA = Number(process.env.E2E_EXPORT_PORT_BASE ?? Number(process.env.E2E_PORTAL_PORT ?? "3100") + 20);
const SANDBOX_PORT = EXTRA;
const PORTS = { A: EXTRA + 1, B: EXTRA + 2 } as const;
const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
const ADMIN = "admin@exports.test";
const PASSWORD = `exports-${randomBytes(12).toString("base64url")}`;
const CUSTOMERS = 2_000;
const HEADER = "Id,Name,Email,Phone,Type,Status,Last spent,Last purchase,Created";

type Instance = keyof typeof PORTS;
type Job = { id: string; status: string; rows: number; pages: number; fileReady: boolean; message: string | null };

const procs: Proc[] = [];
const dirs: Partial<Record<Instance, string>> = {};
const running: Partial<Record<Instance, Proc>> = {};
let dbName: string | null = null;
let databaseUrl = "";
const secret = randomBytes(32).toString("base64url");

function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  return withPg(url, async (client) => (await client.query<T>(text, values)).rows);
}

async function startPortal(name: Instance): Promise<void> {
  const port = PORTS[name];
  const dataDir = (dirs[name] ??= mkdtempSync(join(tmpdir(), `portal-exports-${name}-`)));
  const proc = launchPortal(
    procs,
    `portal ${name}`,
    { port: String(port), sandboxPort: String(SANDBOX_PORT), dataDir },
    {
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: secret,
      DEVDRAFT_RATE_LIMIT_PER_MIN: "6000",
      DEVDRAFT_CACHE_TTL_MS: "0",
      LOG_LEVEL: "warn",
    },
  );
  running[name] = proc;
  await waitHealthy(proc, `http://127.0.0.1:${port}/api/health`, 120_000);
}

async function kill(name: Instance): Promise<void> {
  const proc = running[name];
  const pid = proc?.child.pid;
  if (!proc || pid === undefined || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((r) => proc.child.once("exit", r));
  process.kill(-pid, "SIGKILL");
  await exited;
}

const signIn = (name: Instance) => apiAt(`http://127.0.0.1:${PORTS[name]}`, ADMIN, PASSWORD);

async function sandbox(path: string, method = "GET", data?: unknown): Promise<unknown> {
  const res = await fetch(`${SANDBOX_URL}${path}`, {
    method,
    headers: { ...SANDBOX_HEADERS, "content-type": "application/json" },
    body: data === undefined ? undefined : JSON.stringify(data),
  });
  return res.json();
}

async function allIds(): Promise<string[]> {
  const ids: string[] = [];
  for (let skip = 0; ; skip += 100) {
    const res = await fetch(`${SANDBOX_URL}/api/v0/customers?take=100&skip=${skip}`, { headers: SANDBOX_HEADERS });
    const page = (await res.json()) as { id: string }[];
    ids.push(...page.map((c) => c.id));
    if (page.length < 100) return ids;
  }
}

async function startExport(api: APIRequestContext): Promise<Job> {
  const res = await api.post("/api/exports", { data: REASON });
  expect(res.status(), await res.text()).toBe(202);
  return (await res.json()) as Job;
}

async function statusOn(api: APIRequestContext, id: string): Promise<Job> {
  const res = await api.get(`/api/exports/${id}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Job;
}

async function waitFor(api: APIRequestContext, id: string, done: (job: Job) => boolean, ms: number): Promise<Job> {
  const until = Date.now() + ms;
  for (;;) {
    const job = await statusOn(api, id);
    if (done(job)) return job;
    if (Date.now() > until) throw new Error(`export ${id} still ${job.status} after ${ms} ms: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function idsOf(csv: string): string[] {
  const lines = csv.split("\r\n");
  expect(lines[0]).toBe(HEADER);
  expect(lines.at(-1)).toBe("");
  return lines.slice(1, -1).map((line) => line.slice(0, 36));
}

/** No CSV, and nothing else of an export, in either instance's data directory. */
function exportFilesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.csv|\.part$/.test(entry.name)) found.push(path);
    }
  };
  for (const dir of Object.values(dirs)) if (dir) walk(dir);
  return found;
}

test.describe("export jobs on two portal instances", () => {
  test.skip(!BASE_URL, "needs TEST_DATABASE_URL (npm test starts PostgreSQL)");
  test.describe.configure({ mode: "serial", timeout: 240_000 });

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    dbName = `exports_${randomBytes(6).toString("hex")}`;
    await sql(BASE_URL ?? "", `create database ${dbName}`);
    const url = new URL(BASE_URL ?? "");
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    const sandboxProc = launch(procs, "sandbox", ["--import", "tsx", "sandbox/main.ts"], {
      SANDBOX_PORT: String(SANDBOX_PORT),
      SANDBOX_RATE_LIMIT: "0",
      SANDBOX_CUSTOMERS: String(CUSTOMERS),
    });
    await waitHealthy(sandboxProc, `${SANDBOX_URL}/__sandbox/health`, 60_000);
    await Promise.all([startPortal("A"), startPortal("B")]);
    addStaffWithCli({ DATABASE_URL: databaseUrl }, { email: ADMIN, role: "admin", password: PASSWORD });
  });

  test.afterAll(async () => {
    await Promise.all(procs.map(stop));
    for (const dir of Object.values(dirs)) if (dir) rmSync(dir, { recursive: true, force: true });
    if (dbName) await sql(BASE_URL ?? "", `drop database if exists ${dbName} with (force)`);
  });

  test("a job started on A is reported and served by B, deleted once downloaded, and on record first", async () => {
    const [onA, onB] = await Promise.all([signIn("A"), signIn("B")]);
    try {
      const started = await startExport(onA);
      const done = await waitFor(onB, started.id, (j) => j.status === "done", 120_000);
      expect(done).toMatchObject({ rows: CUSTOMERS, fileReady: true });
      expect(exportFilesOnDisk()).toEqual([]);

      const res = await onB.get(`/api/exports/${started.id}/file`);
      expect(res.status()).toBe(200);
      const ids = idsOf(await res.text());
      expect(ids).toEqual(await allIds());
      const events = await sql<{ targets: string; action: string }>(databaseUrl, "select action, targets from audit_events where action = 'customers.export'");
      expect(events.map((e) => JSON.parse(e.targets) as string[])).toEqual([ids]);
      // Gone from the store for both instances once sent.
      expect(await sql(databaseUrl, "select page from export_pages where job_id = $1", [started.id])).toEqual([]);
      const again = await onA.get(`/api/exports/${started.id}/file`);
      expect(again.status()).toBe(410);
      expect(((await again.json()) as { message: string }).message).toMatch(/downloaded and deleted/);
      expect((await statusOn(onA, started.id)).fileReady).toBe(false);
    } finally {
      await Promise.all([onA.dispose(), onB.dispose()]);
    }
  });

  test("A killed mid-export: B resumes it from its last page, and the file has every row exactly once", async () => {
    const [onA, onB] = await Promise.all([signIn("A"), signIn("B")]);
    try {
      await sandbox("/__sandbox/reset", "POST");
      await sandbox("/__sandbox/faults", "PUT", { latencyMs: 300 });
      const started = await startExport(onA);
      const before = await waitFor(onB, started.id, (j) => j.pages >= 3, 60_000);
      expect(before.status).toBe("running");
      await kill("A");
      const [atKill] = await sql<{ pages_done: number }>(databaseUrl, "select pages_done from export_jobs where id = $1", [started.id]);
      expect(atKill?.pages_done).toBeLessThan(CUSTOMERS / 100);
      await sandbox("/__sandbox/faults", "PUT", { latencyMs: 0 });
      // B takes it over once A's lease (15 s) has run out.
      const done = await waitFor(onB, started.id, (j) => j.status !== "running", 90_000);
      expect(done).toMatchObject({ status: "done", rows: CUSTOMERS, pages: CUSTOMERS / 100 + 1, fileReady: true });
      // Resumed, not restarted: each page read once, plus at most the one A was reading when it died.
      const stats = (await sandbox("/__sandbox/stats")) as { requests: number };
      expect(stats.requests).toBeGreaterThanOrEqual(CUSTOMERS / 100 + 1);
      expect(stats.requests).toBeLessThanOrEqual(CUSTOMERS / 100 + 2);

      const res = await onB.get(`/api/exports/${started.id}/file`);
      expect(res.status()).toBe(200);
      const ids = idsOf(await res.text());
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(await allIds());
    } finally {
      await Promise.all([onA.dispose(), onB.dispose()]);
    }
  });

  test("a restart deletes files past EXPORT_TTL (410 after) and export files left on disk", async () => {
    const onB = await signIn("B");
    const started = await startExport(onB);
    await waitFor(onB, started.id, (j) => j.status === "done", 120_000);
    await onB.dispose();
    // Both instances down; its hour passes meanwhile; an earlier version's file lies in A's data directory.
    if (running.B) await stop(running.B);
    const past = new Date(Date.now() - 60_000).toISOString();
    await sql(databaseUrl, "update export_jobs set expires_at = $1 where id = $2", [past, started.id]);
    expect(await sql(databaseUrl, "select page from export_pages where job_id = $1", [started.id])).not.toEqual([]);
    const stale = join(dirs.A ?? "", "exports");
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, "0000.csv"), `${HEADER}\r\nleft,over,unmasked@example.com\r\n`);

    await startPortal("A");
    expect(readdirSync(stale)).toEqual([]);
    expect(await sql(databaseUrl, "select page from export_pages where job_id = $1", [started.id])).toEqual([]);
    const [row] = await sql<{ state: string }>(databaseUrl, "select state from export_jobs where id = $1", [started.id]);
    expect(row?.state).toBe("expired");
    const expiries = await sql<{ detail: string; actor_id: string | null }>(
      databaseUrl,
      "select detail, actor_id from audit_events where action = 'export.expire'",
    );
    expect(expiries.map((e) => [e.actor_id, (JSON.parse(e.detail) as { exportId: string }).exportId])).toEqual([[null, started.id]]);
    const onA = await signIn("A");
    try {
      const res = await onA.get(`/api/exports/${started.id}/file`);
      expect(res.status()).toBe(410);
      expect(((await res.json()) as { message: string }).message).toMatch(/expired: files are kept for 1 hour/);
      expect((await statusOn(onA, started.id)).status).toBe("expired");
    } finally {
      await onA.dispose();
    }
  });
});
