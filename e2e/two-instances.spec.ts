import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { addStaffWithCli } from "../test/support/sign-in";
import { apiAt } from "./helpers/api";
import { baseEnv, launch, launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";
import { withPg } from "./helpers/pg";

// Issue 7: two portal instances on one PostgreSQL, driven by one client past their shared budget.
// The sandbox counts per client key with Devdraft's own limit, so any instance spending more than
// the one global budget shows up there as a 429. Needs TEST_DATABASE_URL (npm test starts one).

const ROOT = resolve(import.meta.dirname, "..");
const BASE_URL = process.env.TEST_DATABASE_URL?.trim();
/** Devdraft's limit in the sandbox and the portals' budget: the same number, per minute. */
const LIMIT = Number(process.env.E2E_PAIR_LIMIT ?? "40");
const REQUESTS = 2 * LIMIT;
const IN_FLIGHT = 6;
const PORTAL_PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100");
const PORT_A = Number(process.env.E2E_PAIR_PORT_A ?? PORTAL_PORT + 1);
const PORT_B = Number(process.env.E2E_PAIR_PORT_B ?? PORTAL_PORT + 2);
const SANDBOX_PORT = Number(process.env.E2E_PAIR_SANDBOX_PORT ?? Number(process.env.E2E_SANDBOX_PORT ?? "4110") + 1);
const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
const SANDBOX_AUTH = { "x-client-key": "sandbox-client-key", "x-client-secret": "sandbox-client-secret" };

type Instance = "A" | "B";
const AGENT = "agent@pair.test";
const ADMIN = "admin@pair.test";
const PASSWORD = `pair-${randomBytes(12).toString("base64url")}`;
type Answer = { instance: Instance; i: number; status: number; requestId: string; retryAfter: string | null; rows: number | null };

const procs: Proc[] = [];
const dirs: string[] = [];
let dbName: string | null = null;
let databaseUrl = "";

const admin = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => withPg(BASE_URL ?? "", work);

test.describe("two portal instances on one PostgreSQL", () => {
  test.skip(!BASE_URL, "needs TEST_DATABASE_URL (npm test, or npm run test:two-instances, starts PostgreSQL)");
  // Two `next start`s and a sandbox on a busy 2-core machine: start-up gets room, the drive takes seconds.
  test.describe.configure({ timeout: 150_000 });

  let agentOnA: APIRequestContext;
  let adminOnB: APIRequestContext;

  test.beforeAll(async () => {
    // A fresh database on the test server: the two instances migrate and seed it together.
    dbName = `pair_${randomBytes(6).toString("hex")}`;
    await admin((c) => c.query(`create database ${dbName}`));
    const url = new URL(BASE_URL ?? "");
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();

    const sandbox = launch(procs, "sandbox", ["--import", "tsx", "sandbox/main.ts"], { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_RATE_LIMIT: String(LIMIT) });
    await waitHealthy(sandbox, `${SANDBOX_URL}/__sandbox/health`, 60_000);

    // Same store and secret, own data directory and port; the cache off so every request is a call.
    // The suite's own portal (a webServer) has built .next before any spec runs: these two only start it.
    const secret = randomBytes(32).toString("base64url");
    const portals = (
      [
        ["A", PORT_A],
        ["B", PORT_B],
      ] as const
    ).map(([name, port]) => {
      const dataDir = mkdtempSync(join(tmpdir(), `portal-pair-${name}-`));
      dirs.push(dataDir);
      const proc = launchPortal(
        procs,
        `portal ${name}`,
        { port: String(port), sandboxPort: String(SANDBOX_PORT), dataDir },
        {
          DATABASE_URL: databaseUrl,
          NEXTAUTH_SECRET: secret,
          DEVDRAFT_RATE_LIMIT_PER_MIN: String(LIMIT),
          DEVDRAFT_CACHE_TTL_MS: "0",
          LOG_LEVEL: "warn",
        },
      );
      return waitHealthy(proc, `http://127.0.0.1:${port}/api/health`, 90_000);
    });
    await Promise.all(portals);
    // A shared PostgreSQL is not demo mode: no demo accounts. Staff are made with the staff CLI, as an operator would.
    for (const [email, role] of [
      [AGENT, "agent"],
      [ADMIN, "admin"],
    ] as const)
      addStaffWithCli({ DATABASE_URL: databaseUrl }, { email, role, password: PASSWORD });
    [agentOnA, adminOnB] = await Promise.all([apiAt(`http://127.0.0.1:${PORT_A}`, AGENT, PASSWORD), apiAt(`http://127.0.0.1:${PORT_B}`, ADMIN, PASSWORD)]);
  });

  test.afterAll(async () => {
    await Promise.all([agentOnA?.dispose(), adminOnB?.dispose()]);
    await Promise.all(procs.map(stop));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (dbName) await admin((c) => c.query(`drop database if exists ${dbName} with (force)`));
  });

  test("one budget holds (no 429 from Devdraft) and one unbroken audit chain holds both", async () => {
    const started = Date.now();
    // Distinct pages, alternately through A and B, a few at a time: twice what the budget allows.
    const answers: Answer[] = [];
    let next = 0;
    async function worker() {
      for (let i = next++; i < REQUESTS; i = next++) {
        const instance: Instance = i % 2 === 0 ? "A" : "B";
        const res = await (instance === "A" ? agentOnA : adminOnB).get(`/api/customers?take=3&skip=${i}`);
        const body: unknown = await res.json().catch(() => null);
        answers.push({
          instance,
          i,
          status: res.status(),
          requestId: res.headers()["x-request-id"] ?? "",
          retryAfter: res.headers()["retry-after"] ?? null,
          rows: Array.isArray(body) ? body.length : null,
        });
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const driveMs = Date.now() - started;

    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    // Never a 5xx or anything else: each answer is either customers or a refusal with a delay.
    expect(
      answers.filter((a) => a.status !== 200 && a.status !== 429),
      "answers neither 200 nor 429",
    ).toEqual([]);
    for (const a of ok) expect(a.rows, `rows of request ${a.i}`).toBe(3);
    for (const a of refused) expect(Number(a.retryAfter), `Retry-After of request ${a.i}`).toBeGreaterThanOrEqual(1);
    for (const a of answers) expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // The global budget: Devdraft (the sandbox) never had to refuse, and saw only what the budget allowed.
    const stats = (await (await fetch(`${SANDBOX_URL}/__sandbox/stats`, { headers: SANDBOX_AUTH })).json()) as {
      requests: number;
      byStatus: Record<string, number>;
    };
    expect(stats.byStatus["429"] ?? 0, "429s the sandbox answered").toBe(0);
    expect(stats.requests).toBeLessThanOrEqual(LIMIT);
    expect(stats.byStatus["200"] ?? 0).toBe(ok.length);
    expect(refused.length, "the excess was refused").toBeGreaterThanOrEqual(REQUESTS - LIMIT);
    for (const instance of ["A", "B"] as const) {
      expect(ok.filter((a) => a.instance === instance).length, `200s from ${instance}`).toBeGreaterThan(0);
      expect(refused.filter((a) => a.instance === instance).length, `429s from ${instance}`).toBeGreaterThan(0);
    }

    // Every answer is on record in the shared store, under the request id it carried.
    const events = new pg.Client({ connectionString: databaseUrl });
    await events.connect();
    const rows = (
      await events.query<{ seq: number; request_id: string; action: string; outcome: string; actor_email: string | null; targets: string }>(
        "select seq::int as seq, request_id, action, outcome, actor_email, targets from audit_events order by seq",
      )
    ).rows;
    await events.end();
    const byRequest = new Map(rows.map((r) => [r.request_id, r]));
    const instanceOf = new Map(answers.map((a) => [a.requestId, a.instance]));
    for (const a of answers) {
      const event = byRequest.get(a.requestId);
      expect(event, `audit event of request ${a.i} (${a.status})`).toBeDefined();
      expect(rows.filter((r) => r.request_id === a.requestId)).toHaveLength(1);
      expect(event?.action).toBe("customers.list");
      expect(event?.outcome).toBe(a.status === 200 ? "ok" : "rate_limited");
      expect(event?.actor_email).toBe(a.instance === "A" ? AGENT : ADMIN);
      if (a.status === 200) expect((JSON.parse(event?.targets ?? "[]") as string[]).length).toBe(3);
    }
    // One chain: consecutive seqs, written by both instances in turn.
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, k) => (rows[0]?.seq ?? 1) + k));
    const writers = rows.map((r) => instanceOf.get(r.request_id)).filter((w): w is Instance => w !== undefined);
    const handovers = writers.filter((w, k) => k > 0 && w !== writers[k - 1]).length;
    expect(handovers, "times the chain passed from one instance to the other").toBeGreaterThan(1);

    // And the auditor's own tool finds it whole.
    const verify = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/audit-verify.ts"], {
      cwd: ROOT,
      env: { ...baseEnv(), DATABASE_URL: databaseUrl },
      encoding: "utf8",
    });
    expect(verify.status, verify.stderr || verify.stdout).toBe(0);
    // Every event from genesis; a scheduled verification may have appended its own `audit.verify` meanwhile.
    const [, checked, through] = /^audit chain OK: (\d+) events verified from genesis through seq (\d+) /.exec(verify.stdout) ?? [];
    expect(Number(through), verify.stdout).toBeGreaterThanOrEqual(rows.at(-1)?.seq ?? 0);
    expect(Number(checked)).toBe(Number(through));

    const count = (list: Answer[], instance: Instance) => list.filter((a) => a.instance === instance).length;
    const summary =
      `${REQUESTS} requests in ${driveMs} ms (budget ${LIMIT}/min): ` +
      `A ${count(ok, "A")}×200 ${count(refused, "A")}×429, B ${count(ok, "B")}×200 ${count(refused, "B")}×429; ` +
      `sandbox ${stats.requests} requests, ${stats.byStatus["429"] ?? 0}×429; ` +
      `audit ${rows.length} events (A ${writers.filter((w) => w === "A").length}, B ${writers.filter((w) => w === "B").length}, ${handovers} hand-overs); ${verify.stdout.trim()}`;
    test.info().annotations.push({ type: "two-instances", description: summary });
    process.stdout.write(`[two-instances] ${summary}\n`);
  });

  test("a session ended on one instance is refused on the other at its next request", async () => {
    const onA = await apiAt(`http://127.0.0.1:${PORT_A}`, AGENT, PASSWORD);
    const cookie = (await onA.storageState()).cookies.find((c) => c.name === "next-auth.session-token")?.value ?? "";
    const onB = await apiAt(`http://127.0.0.1:${PORT_B}`, null, "demo", { cookie: `next-auth.session-token=${cookie}` });
    try {
      // /api/sessions needs no upstream call: the budget the test above spent cannot blur the answer.
      expect((await onB.get("/api/sessions")).status()).toBe(200);
      const { csrfToken } = (await (await onA.get("/api/auth/csrf")).json()) as { csrfToken: string };
      expect((await onA.post("/api/auth/signout", { form: { csrfToken, json: "true" } })).status()).toBeLessThan(400);
      expect((await onB.get("/api/sessions")).status()).toBe(401);
    } finally {
      await Promise.all([onA.dispose(), onB.dispose()]);
    }
  });

  test("a shared PostgreSQL is not demo mode: the demo accounts were never made, and cannot sign in", async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    const rows = (await c.query<{ email: string }>("select email from staff order by email")).rows.map((r) => r.email);
    await c.end();
    expect(rows).toEqual([ADMIN, AGENT]);
    const demo = await apiAt(`http://127.0.0.1:${PORT_A}`, "admin@demo.local", "demo").catch(() => null);
    if (demo) {
      expect((await demo.get("/api/sessions")).status()).toBe(401);
      await demo.dispose();
    }
  });
});
