import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { e2e } from "../playwright.config";
import { startReplica, stopPostgres } from "../scripts/postgres.mjs";
import { addStaffWithCli } from "../test/support/sign-in";
import { apiAt } from "./helpers/api";
import { dropDatabase, freshDatabase, withPg } from "./helpers/pg";
import { launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";

// Issue 18, point 2, through a real portal: DATABASE_READ_URL on a streaming replica (pg_basebackup -R of the test
// cluster). The audit page, GET /api/audit, the CSV export and the access report read the replica: with its replay
// paused, what was recorded since is missing from all four and the page says how stale it is; resumed, it is current;
// stopped, the portal reads the primary (a warning in its log, never an error page). Needs TEST_DATABASE_URL.

const BASE_URL = process.env.TEST_DATABASE_URL?.trim();
// Beside the suite's portal: E2E_PORTAL_PORT + 30 (this portal) and + 31 (the replica's PostgreSQL); the suite's sandbox.
const PORTAL_PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100") + 30;
const REPLICA_PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100") + 31;
const PRIMARY_PORT = BASE_URL ? Number(new URL(BASE_URL).port) : 0;
const AUDITOR = "auditor@replica.test";
const AGENT = "agent@replica.test";
const PASSWORD = `replica-${randomBytes(12).toString("base64url")}`;
const NOTE = /Showing the log as of \d\d:\d\d:\d\d \(the read replica is \d+ s behind\)/;
const TODAY = new Date().toISOString().slice(0, 10);

const procs: Proc[] = [];
let dataDir = "";
let dbName = "";
let primaryUrl = "";
let replicaUrl = "";

const headSeq = (url: string) => withPg(url, async (c) => Number((await c.query("select seq from audit_chain_head where id = 1")).rows[0]?.seq));

async function caughtUp(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await headSeq(replicaUrl)) >= (await headSeq(primaryUrl))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the replica did not catch up within 10 s");
}

const html = async (ctx: APIRequestContext, path: string) => {
  const res = await ctx.get(path);
  expect(res.status()).toBe(200);
  // The page's text, without its tags (the note's time is a <time> element).
  return (await res.text()).replace(/<[^>]*>/g, "");
};
const reportRows = async (ctx: APIRequestContext, customer: string) =>
  (await ctx.get(`/api/audit/access-report?customer=${customer}&from=${TODAY}&to=${TODAY}`)).headers()["x-access-report-rows"];

test.describe("audit reads on a read replica", () => {
  test.skip(!BASE_URL, "needs TEST_DATABASE_URL (PGPORT_TEST=... node scripts/postgres.mjs start)");
  test.describe.configure({ timeout: 180_000 });
  let auditor: APIRequestContext;
  let agent: APIRequestContext;

  test.beforeAll(async () => {
    ({ name: dbName, url: primaryUrl } = await freshDatabase(BASE_URL ?? "", "replica"));
    await startReplica({ primaryPort: PRIMARY_PORT, port: REPLICA_PORT });
    const url = new URL(primaryUrl);
    url.port = String(REPLICA_PORT);
    replicaUrl = url.toString();
    dataDir = mkdtempSync(join(tmpdir(), "portal-replica-"));
    const portal = launchPortal(
      procs,
      "portal",
      { port: PORTAL_PORT, sandboxPort: new URL(e2e.sandboxUrl).port, dataDir },
      {
        DATABASE_URL: primaryUrl,
        DATABASE_READ_URL: replicaUrl,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        PG_POOL_MAX: "3",
        LOG_LEVEL: "warn",
      },
    );
    await waitHealthy(portal, `http://127.0.0.1:${PORTAL_PORT}/api/health/ready`, 120_000);
    addStaffWithCli({ DATABASE_URL: primaryUrl }, { email: AUDITOR, role: "auditor", password: PASSWORD });
    addStaffWithCli({ DATABASE_URL: primaryUrl }, { email: AGENT, role: "agent", password: PASSWORD });
    const signIn = (email: string) => apiAt(`http://127.0.0.1:${PORTAL_PORT}`, email, PASSWORD);
    [auditor, agent] = await Promise.all([signIn(AUDITOR), signIn(AGENT)]);
  });

  test.afterAll(async () => {
    await Promise.all([auditor?.dispose(), agent?.dispose()]);
    await Promise.all(procs.map(stop));
    await stopPostgres({ port: REPLICA_PORT });
    if (dbName) await dropDatabase(BASE_URL ?? "", dbName);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("paused: the page notes the lag and the list, API, export and access report lack what came since; down: the primary", async () => {
    const list = await agent.get("/api/customers?take=1");
    expect(list.status()).toBe(200);
    const customer = ((await list.json()) as { id: string }[])[0]?.id ?? "";
    await caughtUp();
    expect(await html(auditor, "/audit")).not.toMatch(NOTE);
    expect(await reportRows(auditor, customer)).toBe("1");

    await withPg(replicaUrl, (c) => c.query("select pg_wal_replay_pause()"));
    // Recorded on the primary while the replica is frozen: its chain head moves, the replica's does not.
    const frozenAt = await headSeq(replicaUrl);
    const again = await agent.get("/api/customers?take=1");
    expect(again.status()).toBe(200);
    const againId = again.headers()["x-request-id"] ?? "";
    expect(await headSeq(primaryUrl)).toBeGreaterThan(frozenAt);
    expect(await headSeq(replicaUrl)).toBe(frozenAt);
    await new Promise((r) => setTimeout(r, 1_300));

    expect(await html(auditor, "/audit")).toMatch(NOTE);
    const api = await auditor.get("/api/audit?limit=200");
    expect(api.headers()["x-audit-as-of"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    const shown = ((await api.json()) as { events: { request_id?: string; requestId?: string }[] }).events;
    expect(JSON.stringify(shown)).not.toContain(againId);
    const csv = await auditor.get("/api/audit/export?format=csv");
    expect(csv.headers()["x-audit-as-of"]).toBeDefined();
    expect(await csv.text()).not.toContain(againId);
    expect(await reportRows(auditor, customer)).toBe("1");
    expect(await headSeq(replicaUrl)).toBe(frozenAt);

    await withPg(replicaUrl, (c) => c.query("select pg_wal_replay_resume()"));
    await caughtUp();
    expect(await html(auditor, "/audit")).not.toMatch(NOTE);
    expect(await reportRows(auditor, customer)).toBe("2");
    expect(await (await auditor.get("/api/audit/export?format=csv")).text()).toContain(againId);

    await stopPostgres({ port: REPLICA_PORT });
    const third = await agent.get("/api/customers?take=1");
    const page = await html(auditor, "/audit");
    expect(page).not.toMatch(NOTE);
    expect(page).toContain(third.headers()["x-request-id"] ?? "missing");
    expect(await reportRows(auditor, customer)).toBe("3");
    expect(procs[0]?.output()).toContain("read replica unavailable");
  });
});
