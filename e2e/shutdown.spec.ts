import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { addStaffWithCli, signIn } from "../test/support/sign-in";
import { baseEnv, launch, launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";
import { withPg } from "./helpers/pg";

// Issue 16, point 4: SIGTERM under load. Readiness goes 503 while requests are still served, then the listener
// closes, the requests in flight finish, the last signed checkpoint is written and the store closes. Every request
// is either answered 200 with its audit event in the store, or gets a 5xx, a reset or a refusal: never a 200
// without its event, never a 200 whose event is lost. Both stores (PostgreSQL when TEST_DATABASE_URL is set).

const ROOT = resolve(import.meta.dirname, "..");
const BASE_URL = process.env.TEST_DATABASE_URL?.trim();
// Beside the suite's own portal: E2E_PORTAL_PORT + 24 (sandbox), + 25 (SQLite) and + 26 (PostgreSQL).
const PORTAL_PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100");
const SANDBOX_PORT = PORTAL_PORT + 24;
const PORTS = { sqlite: PORTAL_PORT + 25, postgres: PORTAL_PORT + 26 };
const WORKERS = 12;
const GRACE_MS = 1_500;
const DEADLINE_MS = 20_000;
const AGENT = "agent@shutdown.test";
const PASSWORD = `shutdown-${randomBytes(12).toString("base64url")}`;
const SIGNING_KEY = randomBytes(32).toString("base64");

type Answer = { status: number | null; error: string | null; requestId: string | null; started: number; ended: number };
type Probe = { at: number; status: number | null; error: string | null };

const procs: Proc[] = [];
const dirs: string[] = [];
const databases: string[] = [];

const admin = withPg;

function errorText(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** The largest tree size a checkpoint file in `dir` was signed for (names start with the size, 16 digits). */
function largestCheckpoint(dir: string): number {
  let largest = -1;
  if (!existsSync(dir)) return largest;
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const m = /(?:^|\/)(\d{16})-[^/]+\.checkpoint$/.exec(entry);
    if (m) largest = Math.max(largest, Number(m[1]));
  }
  return largest;
}

test.describe("graceful shutdown under load", () => {
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(async () => {
    const sandbox = launch(procs, "sandbox", ["--import", "tsx", "sandbox/main.ts"], { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_RATE_LIMIT: "100000" });
    await waitHealthy(sandbox, `http://127.0.0.1:${SANDBOX_PORT}/__sandbox/health`, 60_000);
  });

  test.afterAll(async () => {
    await Promise.all(procs.map(stop));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    for (const name of databases) await admin(BASE_URL ?? "", (c) => c.query(`drop database if exists ${name} with (force)`));
  });

  for (const kind of ["sqlite", "postgres"] as const) {
    test(`${kind}: readiness off first, no 200 without its event, last checkpoint covers them all, store closed`, async () => {
      test.skip(kind === "postgres" && !BASE_URL, "needs TEST_DATABASE_URL");
      const port = PORTS[kind];
      const portal = `http://127.0.0.1:${port}`;
      const dataDir = mkdtempSync(join(tmpdir(), `portal-shutdown-${kind}-`));
      dirs.push(dataDir);
      const checkpointDir = join(dataDir, "audit-checkpoints");
      let databaseUrl = "";
      if (kind === "postgres") {
        const name = `shutdown_${randomBytes(6).toString("hex")}`;
        databases.push(name);
        await admin(BASE_URL ?? "", (c) => c.query(`create database ${name}`));
        const url = new URL(BASE_URL ?? "");
        url.pathname = `/${name}`;
        databaseUrl = url.toString();
      }
      const storeEnv: Record<string, string> = kind === "postgres" ? { DATABASE_URL: databaseUrl } : { PORTAL_DATA_DIR: dataDir };
      const proc = launchPortal(
        procs,
        `portal (${kind})`,
        { port: String(port), sandboxPort: String(SANDBOX_PORT), dataDir, url: portal },
        {
          ...storeEnv,
          NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
          DEVDRAFT_RATE_LIMIT_PER_MIN: "100000",
          DEVDRAFT_CACHE_TTL_MS: "0",
          AUDIT_SIGNING_KEY: SIGNING_KEY,
          AUDIT_CHECKPOINT_DIR: checkpointDir,
          SHUTDOWN_READINESS_GRACE_MS: String(GRACE_MS),
          SHUTDOWN_DEADLINE_MS: String(DEADLINE_MS),
          LOG_LEVEL: "info",
        },
      );
      await waitHealthy(proc, `${portal}/api/health/ready`, 120_000);
      addStaffWithCli(storeEnv, { email: AGENT, role: "agent", password: PASSWORD });
      const cookie = await signIn(portal, AGENT, PASSWORD);

      // The load: workers listing customers over kept-alive connections until the process is gone.
      const answers: Answer[] = [];
      const probes: Probe[] = [];
      let gone = false;
      let exitedAt = Infinity;
      const exited = new Promise<number | null>((r) => proc.child.once("exit", (code) => r(code)));
      void exited.then(() => {
        gone = true;
        exitedAt = Date.now();
      });
      let skip = 0;
      const worker = async () => {
        while (!gone) {
          const started = Date.now();
          try {
            const res = await fetch(`${portal}/api/customers?take=3&skip=${skip++ % 200}`, { headers: { cookie } });
            const text = await res.text();
            // A 5xx says why (the listener closed, the store): kept for the summary.
            const error = res.status >= 500 ? ((JSON.parse(text) as { message?: string }).message ?? text).slice(0, 60) : null;
            answers.push({ status: res.status, error, requestId: res.headers.get("x-request-id"), started, ended: Date.now() });
          } catch (err) {
            answers.push({ status: null, error: errorText(err), requestId: null, started, ended: Date.now() });
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      };
      const poller = async () => {
        while (!gone) {
          try {
            const res = await fetch(`${portal}/api/health/ready`);
            probes.push({ at: Date.now(), status: res.status, error: null });
          } catch (err) {
            probes.push({ at: Date.now(), status: null, error: errorText(err) });
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const load = Promise.all([...Array.from({ length: WORKERS }, worker), poller()]);

      // Mid-load: once requests are flowing, SIGTERM to start.mjs (as a process manager would), which forwards it.
      while (answers.filter((a) => a.status === 200).length < 30) {
        if (proc.child.exitCode !== null) throw new Error(proc.output());
        await new Promise((r) => setTimeout(r, 25));
      }
      const signalledAt = Date.now();
      proc.child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), DEADLINE_MS + 15_000))]);
      gone = true;
      await load;
      expect(code, proc.output()).toBe(0);
      const stoppedAt = Date.now();

      // Every answer is a 200, a 5xx, or a connection refused/reset: nothing else.
      for (const a of answers) {
        if (a.status !== null) expect([200, 500, 502, 503, 504], `status ${a.status}`).toContain(a.status);
      }
      const ok = answers.filter((a) => a.status === 200);
      expect(ok.filter((a) => a.started > signalledAt).length, "requests started after SIGTERM, served during the readiness grace").toBeGreaterThan(0);
      expect(answers.filter((a) => a.status === null || a.status === 503).length, "requests refused once the listener closed").toBeGreaterThan(0);

      // Readiness: 200 before the signal, 503 after it, and 503 before the listener closed (the poller's first failure).
      expect(probes.filter((p) => p.at < signalledAt).every((p) => p.status === 200)).toBe(true);
      const firstNotReady = probes.find((p) => p.at >= signalledAt && p.status === 503);
      // The listener closed by the first refused probe, or at the latest when the process exited: the poller's kept-alive
      // connection may be answered (503) through the drain and close only with the process, so no probe is refused.
      const firstRefused = probes.find((p) => p.at >= signalledAt && p.status === null);
      const closedBy = Math.min(firstRefused?.at ?? Infinity, exitedAt);
      expect(firstNotReady, "readiness answered 503 after SIGTERM").toBeDefined();
      expect(closedBy, "the listener closed").toBeLessThan(Infinity);
      expect(firstNotReady?.at ?? Infinity).toBeLessThan(closedBy);
      expect(
        probes.filter((p) => p.at > (firstNotReady?.at ?? 0)).every((p) => p.status !== 200),
        "ready again after 503",
      ).toBe(true);

      // The store: every 200 has exactly its one `ok` event; the chain is whole; the last checkpoint covers all of it.
      let rows: { seq: number; request_id: string; action: string; outcome: string }[];
      if (kind === "sqlite") {
        const file = join(dataDir, "portal.sqlite");
        // Closed cleanly: the WAL was checkpointed into the file and removed when the last connection closed.
        expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0, "bytes left in portal.sqlite-wal").toBe(0);
        const db = new Database(file, { readonly: true });
        try {
          expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
          rows = db.prepare("select seq, request_id, action, outcome from audit_events order by seq").all() as typeof rows;
        } finally {
          db.close();
        }
      } else {
        const name = new URL(databaseUrl).pathname.slice(1);
        // Closed cleanly: none of the portal's connections is left.
        const left = await admin(BASE_URL ?? "", (c) => c.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]));
        expect(left.rows[0]?.n, "connections left open on the portal's database").toBe(0);
        rows = (
          await admin(databaseUrl, (c) => c.query<(typeof rows)[number]>("select seq::int as seq, request_id, action, outcome from audit_events order by seq"))
        ).rows;
      }
      const byRequest = new Map<string, typeof rows>();
      for (const r of rows) byRequest.set(r.request_id, [...(byRequest.get(r.request_id) ?? []), r]);
      for (const a of ok) {
        expect(
          byRequest.get(a.requestId ?? "")?.map((r) => `${r.action}:${r.outcome}`),
          `event of 200 ${a.requestId}`,
        ).toEqual(["customers.list:ok"]);
      }
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, k) => k + 1));
      const lastSeq = rows.at(-1)?.seq ?? 0;
      expect(largestCheckpoint(checkpointDir), "the last signed checkpoint's size").toBe(lastSeq);

      const verify = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/audit-verify.ts"], {
        cwd: ROOT,
        env: { ...baseEnv(), ...storeEnv, AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_CHECKPOINT_DIR: checkpointDir },
        encoding: "utf8",
      });
      expect(verify.status, verify.stderr || verify.stdout).toBe(0);

      const count = (f: (a: Answer) => boolean) => answers.filter(f).length;
      const summary =
        `${kind}: ${answers.length} requests, ${ok.length}×200 (${count((a) => a.status === 200 && a.started > signalledAt)} started after SIGTERM), ` +
        `${count((a) => a.status !== null && a.status >= 500)}×5xx [${[...new Set(answers.filter((a) => a.status !== null && a.status >= 500).map((a) => a.status))].join(", ")}], ` +
        `${count((a) => a.status === null)} refused/reset ` +
        `[${[...new Set(answers.filter((a) => a.status === null).map((a) => a.error))].join(", ")}] ` +
        `(5xx: ${[...new Set(answers.filter((a) => a.status !== null && a.status >= 500).map((a) => a.error))].join("; ")}); readiness 503 ${(firstNotReady?.at ?? 0) - signalledAt} ms after SIGTERM, ` +
        `listener closed by ${closedBy - signalledAt} ms, exit ${code} at ${stoppedAt - signalledAt} ms; ${rows.length} events, checkpoint size ${lastSeq}`;
      test.info().annotations.push({ type: "shutdown", description: summary });
      process.stdout.write(`[shutdown] ${summary}\n`);
    });
  }
});
