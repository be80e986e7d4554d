import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { addStaffWithCli } from "../test/support/sign-in";
import { apiAt } from "./helpers/api";
import { baseEnv, launch, launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";
import { withPg } from "./helpers/pg";

// Issue 16, point 2: a lock held on the audit chain head (from a real psql session) makes each request that must
// record an event fail fast, 503 with Retry-After and no customer data, on both instances, bounded by
// PG_LOCK_TIMEOUT_MS instead of hanging; when the session ends the portals recover with the chain whole.
// Needs TEST_DATABASE_URL and psql.

const ROOT = resolve(import.meta.dirname, "..");
const BASE_URL = process.env.TEST_DATABASE_URL?.trim();
// Beside the suite's own portal: E2E_PORTAL_PORT + 11 (sandbox), + 12 and + 13 (the two instances).
const PORTAL_PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100");
const SANDBOX_PORT = PORTAL_PORT + 11;
const PORT_A = PORTAL_PORT + 12;
const PORT_B = PORTAL_PORT + 13;
const LOCK_TIMEOUT_MS = 1_000;
// Far above the lock timeout: a request answered well before it was bounded by the lock timeout, not by this.
const STATEMENT_TIMEOUT_MS = 60_000;
/** Concurrent requests per instance while the lock is held. */
const BURST = 6;
const AGENT = "agent@lock.test";
const PASSWORD = `lock-${randomBytes(12).toString("base64url")}`;
const SIGNING_KEY = randomBytes(32).toString("base64");

type Answer = { instance: "A" | "B"; status: number; ms: number; requestId: string; retryAfter: string | null; body: unknown };

const procs: Proc[] = [];
const dirs: string[] = [];
let dbName: string | null = null;
let databaseUrl = "";
let checkpointDir = "";
let psql: ChildProcessWithoutNullStreams | null = null;

const admin = withPg;

/** A psql session that takes the audit append's lock (the chain head's row, FOR UPDATE) and keeps it until ended. */
async function holdChainHeadLock(): Promise<ChildProcessWithoutNullStreams> {
  const session = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", databaseUrl], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  session.stdout.on("data", (c: Buffer) => (out += c.toString()));
  session.stderr.on("data", (c: Buffer) => (out += c.toString()));
  session.stdin.write("begin;\nselect seq from audit_chain_head where id = 1 for update;\n\\echo LOCK-HELD\n");
  const until = Date.now() + 15_000;
  while (!out.includes("LOCK-HELD")) {
    if (session.exitCode !== null || Date.now() > until) throw new Error(`psql did not take the lock: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return session;
}

async function endSession(session: ChildProcessWithoutNullStreams): Promise<void> {
  if (session.exitCode !== null) return;
  const exited = new Promise((r) => session.once("exit", r));
  session.stdin.end("rollback;\n\\q\n");
  await exited;
}

async function list(ctx: APIRequestContext, instance: "A" | "B", skip: number): Promise<Answer> {
  const started = Date.now();
  const res = await ctx.get(`/api/customers?take=3&skip=${skip}`);
  const body: unknown = await res.json().catch(() => null);
  return {
    instance,
    status: res.status(),
    ms: Date.now() - started,
    requestId: res.headers()["x-request-id"] ?? "",
    retryAfter: res.headers()["retry-after"] ?? null,
    body,
  };
}

test.describe("a held audit lock on PostgreSQL, two instances", () => {
  test.skip(!BASE_URL, "needs TEST_DATABASE_URL (PGPORT_TEST=... node scripts/postgres.mjs start)");
  test.describe.configure({ timeout: 180_000 });

  let onA: APIRequestContext;
  let onB: APIRequestContext;

  test.beforeAll(async () => {
    dbName = `lock_${randomBytes(6).toString("hex")}`;
    await admin(BASE_URL ?? "", (c) => c.query(`create database ${dbName}`));
    const url = new URL(BASE_URL ?? "");
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    checkpointDir = mkdtempSync(join(tmpdir(), "portal-lock-checkpoints-"));
    dirs.push(checkpointDir);

    const sandbox = launch(procs, "sandbox", ["--import", "tsx", "sandbox/main.ts"], { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_RATE_LIMIT: "100000" });
    await waitHealthy(sandbox, `http://127.0.0.1:${SANDBOX_PORT}/__sandbox/health`, 60_000);
    const secret = randomBytes(32).toString("base64url");
    await Promise.all(
      (
        [
          ["A", PORT_A],
          ["B", PORT_B],
        ] as const
      ).map(([name, port]) => {
        const dataDir = mkdtempSync(join(tmpdir(), `portal-lock-${name}-`));
        dirs.push(dataDir);
        const proc = launchPortal(
          procs,
          `portal ${name}`,
          { port: String(port), sandboxPort: String(SANDBOX_PORT), dataDir },
          {
            DATABASE_URL: databaseUrl,
            NEXTAUTH_SECRET: secret,
            DEVDRAFT_RATE_LIMIT_PER_MIN: "100000",
            DEVDRAFT_CACHE_TTL_MS: "0",
            AUDIT_SIGNING_KEY: SIGNING_KEY,
            AUDIT_CHECKPOINT_DIR: checkpointDir,
            PG_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
            PG_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
            PG_POOL_MAX: "4",
            PG_CONNECT_TIMEOUT_MS: "3000",
            LOG_LEVEL: "warn",
          },
        );
        return waitHealthy(proc, `http://127.0.0.1:${port}/api/health/ready`, 120_000);
      }),
    );
    addStaffWithCli({ DATABASE_URL: databaseUrl }, { email: AGENT, role: "agent", password: PASSWORD });
    [onA, onB] = await Promise.all([apiAt(`http://127.0.0.1:${PORT_A}`, AGENT, PASSWORD), apiAt(`http://127.0.0.1:${PORT_B}`, AGENT, PASSWORD)]);
  });

  test.afterAll(async () => {
    if (psql) await endSession(psql).catch(() => {});
    await Promise.all([onA?.dispose(), onB?.dispose()]);
    await Promise.all(procs.map(stop));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (dbName) await admin(BASE_URL ?? "", (c) => c.query(`drop database if exists ${dbName} with (force)`));
  });

  test("each request fails fast with 503 while psql holds the chain head, and both recover when it lets go", async () => {
    const before = await Promise.all([list(onA, "A", 0), list(onB, "B", 3)]);
    expect(before.map((a) => a.status)).toEqual([200, 200]);

    psql = await holdChainHeadLock();
    const locked = await Promise.all(Array.from({ length: BURST * 2 }, (_, i) => list(i % 2 === 0 ? onA : onB, i % 2 === 0 ? "A" : "B", 10 + i)));
    // Liveness is not held up by the lock either.
    expect((await fetch(`http://127.0.0.1:${PORT_A}/api/health`)).status).toBe(200);
    const stillHeld = await admin(BASE_URL ?? "", (c) =>
      c.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'psql' and state = 'idle in transaction'",
        [dbName],
      ),
    );
    expect(stillHeld.rows[0]?.n, "the psql session still held its transaction throughout").toBe(1);

    for (const a of locked) {
      expect(a.status, `${a.instance}: ${JSON.stringify(a.body)}`).toBe(503);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      // The message, never customers and never an empty list passed off as an answer.
      expect(a.body).toMatchObject({ statusCode: 503, error: "Service Unavailable" });
      expect(JSON.stringify(a.body)).not.toMatch(/"(id|email|phone)"/);
      // Bounded by the lock timeout (a queued append waits at most one lock_timeout per batch ahead of it): a generous
      // multiple of it, and far below the statement timeout, which would otherwise be the only bound.
      expect(a.ms, `${a.instance} answered in ${a.ms} ms`).toBeLessThan(LOCK_TIMEOUT_MS * 15);
      expect(a.ms).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS * 0.9);
    }
    expect(new Set(locked.map((a) => a.instance))).toEqual(new Set(["A", "B"]));

    await endSession(psql);
    psql = null;
    const after = await Promise.all([list(onA, "A", 40), list(onB, "B", 43), list(onA, "A", 46), list(onB, "B", 49)]);
    expect(after.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    for (const a of after) expect(Array.isArray(a.body) ? a.body.length : -1).toBe(3);

    // The chain: every 200 has its one `ok` event, no 503 has one, and the auditor's tool finds it whole.
    const rows = await admin(databaseUrl, (c) =>
      c.query<{ seq: number; request_id: string; action: string; outcome: string }>(
        "select seq::int as seq, request_id, action, outcome from audit_events order by seq",
      ),
    );
    const byRequest = new Map(rows.rows.map((r) => [r.request_id, r]));
    for (const a of [...before, ...after])
      expect(byRequest.get(a.requestId), `event of ${a.requestId}`).toMatchObject({ action: "customers.list", outcome: "ok" });
    for (const a of locked) expect(byRequest.get(a.requestId)?.outcome, `no ok event for refused ${a.requestId}`).not.toBe("ok");
    expect(rows.rows.map((r) => r.seq)).toEqual(rows.rows.map((_, k) => k + 1));

    // Both instances stop (SIGTERM): each signs a last checkpoint of the whole tree, which the verification checks.
    await Promise.all(procs.filter((p) => p.name.startsWith("portal")).map(stop));
    for (const p of procs.filter((p) => p.name.startsWith("portal"))) expect(p.child.exitCode, p.output()).toBe(0);
    const verify = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/audit-verify.ts"], {
      cwd: ROOT,
      env: { ...baseEnv(), DATABASE_URL: databaseUrl, AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_CHECKPOINT_DIR: checkpointDir },
      encoding: "utf8",
    });
    expect(verify.status, verify.stderr || verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^audit chain OK: /);
    expect(verify.stdout).toMatch(/^signed checkpoints OK: [1-9]\d* files, /m);
    const summary = `lock held: ${locked.length} requests → 503 in ${Math.min(...locked.map((a) => a.ms))}–${Math.max(...locked.map((a) => a.ms))} ms (lock_timeout ${LOCK_TIMEOUT_MS} ms); after: 4×200; ${verify.stdout.trim().split("\n").join(" / ")}`;
    test.info().annotations.push({ type: "store-lock", description: summary });
    process.stdout.write(`[store-lock] ${summary}\n`);
  });
});
