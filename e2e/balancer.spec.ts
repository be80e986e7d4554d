import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { addStaffWithCli } from "../test/support/sign-in";
import { apiAt, SANDBOX_HEADERS } from "./helpers/api";
import { ensureHaproxy, startHaproxy } from "./helpers/haproxy";
import { launch, launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";
import { withPg } from "./helpers/pg";
import { REASON } from "./helpers/reasons";

// Issue 18, point 4: three portal instances on one PostgreSQL behind a real balancer (Debian's HAProxy). Signed-in
// staff drive load through it; the instance running an export is SIGKILLed mid-run. Then: every 200 answer with
// customers has its audit event (none lost), the sandbox answered no 429 (one budget held), every staff member's
// cookie kept working on the other instances (no session lost), and the export was taken over and finished.
// Needs TEST_DATABASE_URL. Ports: E2E_PORTAL_PORT + 30 (sandbox), + 31..33 (portals a, b, c), + 34 (HAProxy).

const BASE_URL = process.env.TEST_DATABASE_URL?.trim();
const BASE = Number(process.env.E2E_PORTAL_PORT ?? "3100") + 30;
const SANDBOX_URL = `http://127.0.0.1:${BASE}`;
const PORTALS = { a: BASE + 1, b: BASE + 2, c: BASE + 3 } as const;
const LB_URL = `http://127.0.0.1:${BASE + 4}`;
/** Devdraft's limit (the sandbox's) and the portals' one budget, per minute: the same number. */
const LIMIT = 1200;
const CUSTOMERS = 3_000;
const STAFF = ["agent1@lb.test", "agent2@lb.test", "agent3@lb.test", "agent4@lb.test"];
const ADMIN = "admin@lb.test";
const PASSWORD = `lb-${randomBytes(12).toString("base64url")}`;

type Name = keyof typeof PORTALS;
type Answer = { staff: number; at: number; status: number; backend: string; requestId: string; ids: string[] | null };
type Job = { id: string; status: string; rows: number; pages: number };

const procs: Proc[] = [];
const portals: Partial<Record<Name, Proc>> = {};
const dirs: string[] = [];
let dbName: string | null = null;
let databaseUrl = "";

const sql = <T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) => withPg(url, async (c) => (await c.query<T>(text, values)).rows);
const sandbox = async (path: string, method = "GET", data?: unknown) =>
  (
    await fetch(`${SANDBOX_URL}${path}`, {
      method,
      headers: { ...SANDBOX_HEADERS, "content-type": "application/json" },
      body: data === undefined ? undefined : JSON.stringify(data),
    })
  ).json() as Promise<unknown>;

async function jobOf(api: APIRequestContext, id: string): Promise<Job> {
  // A poll in flight on the instance being killed is cut (the balancer resets it); the next one goes elsewhere.
  const res = await api.get(`/api/exports/${id}`).catch(() => api.get(`/api/exports/${id}`));
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Job;
}

test.describe("three portal instances behind HAProxy", () => {
  test.skip(!BASE_URL, "needs TEST_DATABASE_URL (npm test starts PostgreSQL)");
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    ensureHaproxy();
    dbName = `lb_${randomBytes(6).toString("hex")}`;
    await sql(BASE_URL ?? "", `create database ${dbName}`);
    const url = new URL(BASE_URL ?? "");
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    const sandboxProc = launch(procs, "sandbox", ["--import", "tsx", "sandbox/main.ts"], {
      SANDBOX_PORT: String(BASE),
      SANDBOX_RATE_LIMIT: String(LIMIT),
      SANDBOX_CUSTOMERS: String(CUSTOMERS),
    });
    await waitHealthy(sandboxProc, `${SANDBOX_URL}/__sandbox/health`, 60_000);
    const secret = randomBytes(32).toString("base64url");
    await Promise.all(
      (Object.entries(PORTALS) as Array<[Name, number]>).map(([name, port]) => {
        const dataDir = mkdtempSync(join(tmpdir(), `portal-lb-${name}-`));
        dirs.push(dataDir);
        // Every instance believes it is the balancer's address: cookies and redirects are for that one origin.
        const proc = launchPortal(
          procs,
          `portal ${name}`,
          { port, sandboxPort: BASE, dataDir, url: LB_URL },
          {
            DATABASE_URL: databaseUrl,
            NEXTAUTH_SECRET: secret,
            DEVDRAFT_RATE_LIMIT_PER_MIN: String(LIMIT),
            DEVDRAFT_CACHE_TTL_MS: "0",
            LOG_LEVEL: "warn",
          },
        );
        portals[name] = proc;
        return waitHealthy(proc, `http://127.0.0.1:${port}/api/health`, 120_000);
      }),
    );
    const lb = startHaproxy(procs, dirs[0] as string, BASE + 4, PORTALS);
    await waitHealthy(lb, `${LB_URL}/api/health/ready`, 20_000);
    addStaffWithCli({ DATABASE_URL: databaseUrl }, { email: ADMIN, role: "admin", password: PASSWORD });
    for (const email of STAFF) addStaffWithCli({ DATABASE_URL: databaseUrl }, { email, role: "agent", password: PASSWORD });
  });

  test.afterAll(async () => {
    await Promise.all(procs.map(stop));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (dbName) await sql(BASE_URL ?? "", `drop database if exists ${dbName} with (force)`);
  });

  test("an instance killed mid-run loses no audit event, no session and no export; one budget holds", async () => {
    const staff = await Promise.all(STAFF.map((email) => apiAt(LB_URL, email, PASSWORD)));
    const admin = await apiAt(LB_URL, ADMIN, PASSWORD);
    try {
      // The export runs on whichever instance the balancer gave its request to: that one is killed.
      await sandbox("/__sandbox/faults", "PUT", { latencyMs: 300 });
      const started = await admin.post("/api/exports", { data: REASON });
      expect(started.status(), await started.text()).toBe(202);
      const victim = started.headers()["x-backend"] as Name;
      expect(Object.keys(PORTALS)).toContain(victim);
      const job = (await started.json()) as Job;

      const answers: Answer[] = [];
      let driving = true;
      let killedAt = Number.POSITIVE_INFINITY;
      const drive = async (api: APIRequestContext, who: number) => {
        for (let i = 0; driving; i++) {
          const res = await api.get(`/api/customers?take=5&skip=${(who * 97 + i * 5) % CUSTOMERS}`).catch(() => null);
          if (!res) {
            // Cut in flight: the balancer resets a client whose answer the killed instance had begun.
            answers.push({ staff: who, at: Date.now(), status: 0, backend: "", requestId: "", ids: null });
            continue;
          }
          const body: unknown = await res.json().catch(() => null);
          answers.push({
            staff: who,
            at: Date.now(),
            status: res.status(),
            backend: res.headers()["x-backend"] ?? "",
            requestId: res.headers()["x-request-id"] ?? "",
            ids: Array.isArray(body) ? (body as Array<{ id: string }>).map((c) => c.id) : null,
          });
          await new Promise((r) => setTimeout(r, 300));
        }
      };
      const load = staff.map((api, who) => drive(api, who));

      // Mid-export and mid-load: SIGKILL, no goodbye (no readiness off, no lease handed back).
      // Once each staff member's session has been served by the doomed instance too.
      const until = Date.now() + 30_000;
      const ready = () => STAFF.every((_, who) => answers.some((a) => a.staff === who && a.backend === victim && a.status === 200));
      while (((await jobOf(admin, job.id)).pages < 3 || !ready()) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      const [atKill] = await sql<{ runner: string; pages_done: number; state: string }>(
        databaseUrl,
        "select runner, pages_done, state from export_jobs where id = $1",
        [job.id],
      );
      expect(atKill?.state).toBe("running");
      const proc = portals[victim] as Proc;
      const exited = new Promise((r) => proc.child.once("exit", r));
      killedAt = Date.now();
      process.kill(-(proc.child.pid as number), "SIGKILL");
      await exited;
      await sandbox("/__sandbox/faults", "PUT", { latencyMs: 0 });

      // The export is taken over once the dead instance's lease runs out, and finishes.
      let finished = await jobOf(admin, job.id);
      while (finished.status === "running" && Date.now() < killedAt + 60_000) {
        await new Promise((r) => setTimeout(r, 500));
        finished = await jobOf(admin, job.id);
      }
      driving = false;
      await Promise.all(load);
      expect(finished).toMatchObject({ status: "done", rows: CUSTOMERS });
      const [after] = await sql<{ runner: string }>(databaseUrl, "select runner from export_jobs where id = $1", [job.id]);
      expect(after?.runner, "the instance that finished the export").not.toBe(atKill?.runner);

      // No session lost: nobody was ever refused as signed out, and each kept being served by the living instances.
      expect(
        answers.filter((a) => a.status === 401 || a.status === 403),
        "refused as signed out",
      ).toEqual([]);
      const afterKill = answers.filter((a) => a.at > killedAt + 2_000);
      for (let who = 0; who < STAFF.length; who++) {
        const served = new Set(afterKill.filter((a) => a.staff === who && a.status === 200).map((a) => a.backend));
        expect(served.size, `instances that served staff ${who} after the kill`).toBeGreaterThanOrEqual(2);
        expect(served.has(victim)).toBe(false);
        expect(
          answers.some((a) => a.staff === who && a.backend === victim && a.at < killedAt),
          `staff ${who} on ${victim} before`,
        ).toBe(true);
      }
      // Only what was in flight on the killed instance may have failed: the balancer's 502/503 or a cut connection
      // (status 0), at the kill and never after the health checks took it out; never a wrong answer.
      const failed = answers.filter((a) => a.status !== 200);
      expect(
        failed.filter((a) => ![0, 502, 503].includes(a.status)),
        "answers neither 200 nor the balancer's 502/503",
      ).toEqual([]);
      expect(
        failed.filter((a) => a.at < killedAt || a.at > killedAt + 5_000),
        "failures away from the kill",
      ).toEqual([]);

      // No audit event lost: every 200 answer of customer data has its event, naming exactly the customers sent.
      const ok = answers.filter((a) => a.status === 200);
      expect(ok.length).toBeGreaterThan(50);
      const events = await sql<{ request_id: string; targets: string; actor_email: string; outcome: string }>(
        databaseUrl,
        "select request_id, targets, actor_email, outcome from audit_events where action = 'customers.list' and request_id = any($1)",
        [ok.map((a) => a.requestId)],
      );
      const byRequest = new Map(events.map((e) => [e.request_id, e]));
      for (const a of ok) {
        const event = byRequest.get(a.requestId);
        expect(event, `audit event of ${a.requestId} (served by ${a.backend})`).toBeDefined();
        expect(event?.outcome).toBe("ok");
        expect(event?.actor_email).toBe(STAFF[a.staff]);
        expect(JSON.parse(event?.targets ?? "[]")).toEqual(a.ids);
      }
      expect(events).toHaveLength(ok.length);

      // One budget: Devdraft (the sandbox) never had to refuse any instance.
      const stats = (await sandbox("/__sandbox/stats")) as { requests: number; byStatus: Record<string, number> };
      expect(stats.byStatus["429"] ?? 0, "429s the sandbox answered").toBe(0);

      const by = (list: Answer[]) =>
        Object.keys(PORTALS)
          .map((n) => `${n} ${list.filter((a) => a.backend === n).length}`)
          .join(", ");
      const summary =
        `${answers.length} requests by ${STAFF.length} staff through HAProxy: 200s ${ok.length} (${by(ok)}), failed in flight ${failed.length} (${failed.map((a) => a.status).join(" ") || "none"}); ` +
        `killed ${victim} at export page ${atKill?.pages_done}; export done by another instance ${Math.round((Date.now() - killedAt) / 1000)} s later; ` +
        `sandbox ${stats.requests} requests, ${stats.byStatus["429"] ?? 0}×429; ${events.length} audit events for ${ok.length} answers`;
      test.info().annotations.push({ type: "balancer", description: summary });
      process.stdout.write(`[balancer] ${summary}\n`);
    } finally {
      await Promise.all([...staff, admin].map((c) => c.dispose()));
    }
  });
});
