// A flood of clients without a session (issue 12): next-auth credential sign-ins with wrong passwords and
// unauthenticated GET /api/customers?name=<8 KB>, both at full speed (autocannon), while a few signed-in staff
// browse the customer list at a steady modest rate. Measured over a quiet phase (staff only) and then the
// flood: how fast the store grows and what in it grows, flood requests sent, audit events written by action
// and outcome, and the staff's latency. The goal is growth under 1 MB a minute.
//   npm run bench:flood -- [--seconds 60] [--quiet 15] [--store sqlite|postgres] [--connections 10] [--addresses 1]
//                          [--staff-every 1000] [--port 3700] [--sandbox-port 4700]
// --connections per flood (two floods); --addresses spreads the flood over that many client addresses, sent as
// X-Forwarded-For as the one trusted proxy would (TRUSTED_PROXY_HOPS=1); the staff come from 127.0.0.1.
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a cluster from scripts/postgres.mjs; a schema of its own.
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { addStaffWithCli } from "../test/support/sign-in";
import { freshDataDir, percentile, runBench, say, signIn, startPortal, startSandbox, stop, table } from "./harness";
import { type StoreProbe, postgresProbe, sqliteProbe } from "./store-probe";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    quiet: { type: "string", default: "15" },
    store: { type: "string", default: "sqlite" },
    connections: { type: "string", default: "10" },
    addresses: { type: "string", default: "1" },
    "staff-every": { type: "string", default: "1000" },
    port: { type: "string", default: "3700" },
    "sandbox-port": { type: "string", default: "4700" },
  },
});
const SECONDS = Number(values.seconds);
const QUIET = Number(values.quiet);
const CONNECTIONS = Number(values.connections);
const ADDRESSES = Number(values.addresses);
const STAFF_EVERY_MS = Number(values["staff-every"]);
if (values.store !== "sqlite" && values.store !== "postgres") throw new Error("--store is sqlite or postgres");
const STORE = values.store;
const LONG_NAME = "x".repeat(8 * 1024);
// Three sessions, as three browsers: the agent twice (two desks) and the admin.
// Made with the staff CLI: the demo accounts exist only in demo mode (SQLite and the built-in sandbox).
const STAFF_PASSWORD = "flood-bench-staff-password";
const STAFF = ["flood-agent@bench.test", "flood-admin@bench.test", "flood-agent@bench.test"];
const STAFF_VIEWS = ["take=10", "take=10&skip=10", "take=10&status=ACTIVE", "take=10&name=ma", "take=25", "take=10&skip=20&status=BLACKLISTED"];

const floodAddress = (n: number) => `203.0.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
let nextAddress = 0;
const anyFloodAddress = () => floodAddress(nextAddress++ % ADDRESSES);

type Growth = { bytes: number; byRelation: Map<string, number> };
const MB = 1024 * 1024;
const perMinute = (x: number, seconds: number) => (x * 60) / seconds;
const mb = (bytes: number) => (bytes / MB).toFixed(2);

/** Staff browsing at one view every `everyMs` each until `until`; the latency of every answer, and the non-200s. */
async function browse(portal: string, cookies: string[], everyMs: number, until: number): Promise<{ ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  await Promise.all(
    cookies.map(async (cookie, who) => {
      for (let i = who; Date.now() < until; i++) {
        const started = performance.now();
        const res = await fetch(`${portal}/api/customers?${STAFF_VIEWS[i % STAFF_VIEWS.length]}`, { headers: { cookie } }).catch(() => null);
        await res?.arrayBuffer();
        ms.push(performance.now() - started);
        if (res?.status !== 200) failed++;
        await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - started))));
      }
    }),
  );
  return { ms, failed };
}

/** next-auth's CSRF token and its cookie: one pair serves every attempt, as a script would reuse it. */
async function csrf(portal: string): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${portal}/api/auth/csrf`);
  const body: unknown = await res.json();
  const token = body && typeof body === "object" && "csrfToken" in body && typeof body.csrfToken === "string" ? body.csrfToken : "";
  if (!token) throw new Error("no csrfToken from /api/auth/csrf");
  return {
    token,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; "),
  };
}

function signInFlood(portal: string, pair: { token: string; cookie: string }): Promise<autocannon.Result> {
  return autocannon({
    url: portal,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        path: "/api/auth/callback/credentials",
        // Every attempt a new email (credential stuffing); wrong password either way.
        setupRequest: (req) => ({
          ...req,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            cookie: pair.cookie,
            "x-forwarded-for": anyFloodAddress(),
            "user-agent": "flood-bench",
          },
          body: new URLSearchParams({ csrfToken: pair.token, email: `guess-${randomUUID()}@example.test`, password: "wrong", json: "true" }).toString(),
        }),
      },
    ],
  });
}

function customersFlood(portal: string): Promise<autocannon.Result> {
  return autocannon({
    url: portal,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "GET",
        path: `/api/customers?name=${LONG_NAME}`,
        setupRequest: (req) => ({ ...req, headers: { "x-forwarded-for": anyFloodAddress(), "user-agent": "flood-bench" } }),
      },
    ],
  });
}

async function snapshot(probe: StoreProbe): Promise<Growth & { seq: number; loginAttempts: number }> {
  const byRelation = await probe.relationBytes();
  return { bytes: await probe.totalBytes(), byRelation, seq: await probe.maxSeq(), loginAttempts: await probe.count("login_attempts") };
}

function growthRows(before: Growth, after: Growth, seconds: number): (string | number)[][] {
  const names = [...new Set([...before.byRelation.keys(), ...after.byRelation.keys()])];
  return names
    .map((name) => [name, (after.byRelation.get(name) ?? 0) - (before.byRelation.get(name) ?? 0)] as const)
    .filter(([, d]) => d !== 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, d]) => [name, Math.round(perMinute(d, seconds) / 1024)]);
}

const statusCounts = (r: autocannon.Result) =>
  Object.entries(r.statusCodeStats ?? {})
    .map(([code, s]) => `${code}: ${s.count ?? 0}`)
    .join(", ");

runBench(async () => {
  const sandboxPort = Number(values["sandbox-port"]);
  await startSandbox({ port: sandboxPort });
  const dataDir = freshDataDir("bench-flood-");
  const pg = STORE === "postgres" ? await (await import("./postgres-schema")).benchPostgresSchema() : null;
  const portal = await startPortal({
    port: Number(values.port),
    sandboxPort,
    cacheTtlMs: 0,
    ratePerMin: 100_000,
    dataDir,
    env: { LOG_LEVEL: "warn", ...(pg ? { DATABASE_URL: pg.url } : {}) },
  });
  const probe = pg ? await postgresProbe(pg.url) : sqliteProbe(join(dataDir, "portal.sqlite"));
  try {
    const storeEnv = { PORTAL_DATA_DIR: dataDir, ...(pg ? { DATABASE_URL: pg.url } : {}) };
    for (const email of new Set(STAFF)) addStaffWithCli(storeEnv, { email, role: email.includes("admin") ? "admin" : "agent", password: STAFF_PASSWORD });
    const cookies = await Promise.all(STAFF.map((email) => signIn(portal.url, email, STAFF_PASSWORD)));
    // Warm the routes (first compile of a route's chunks, the store's first writes) before measuring.
    await browse(portal.url, cookies, 0, Date.now() + 2_000);
    await fetch(`${portal.url}/api/customers?name=warm`).then((r) => r.arrayBuffer());

    const start = await snapshot(probe);
    const quiet = await browse(portal.url, cookies, STAFF_EVERY_MS, Date.now() + QUIET * 1000);
    const calm = await snapshot(probe);

    const pair = await csrf(portal.url);
    const floodStarted = performance.now();
    const [signIns, customers, staff] = await Promise.all([
      signInFlood(portal.url, pair),
      customersFlood(portal.url),
      browse(portal.url, cookies, STAFF_EVERY_MS, Date.now() + SECONDS * 1000),
    ]);
    const floodSeconds = (performance.now() - floodStarted) / 1000;
    const end = await snapshot(probe);
    const events = await probe.eventsAfter(calm.seq);

    say(
      `Flood: ${STORE}, ${SECONDS} s, ${CONNECTIONS} connections per flood from ${ADDRESSES} address(es); ${STAFF.length} staff sessions, one view every ${STAFF_EVERY_MS} ms each; load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    say();
    say(
      table(
        [
          "phase",
          "seconds",
          "store growth MB/min",
          "audit events",
          "login_attempts rows at end",
          "staff views",
          "staff p50 ms",
          "staff p95 ms",
          "staff non-200",
        ],
        [
          [
            "staff only",
            QUIET,
            mb(perMinute(calm.bytes - start.bytes, QUIET)),
            calm.seq - start.seq,
            calm.loginAttempts,
            quiet.ms.length,
            percentile(quiet.ms, 50).toFixed(0),
            percentile(quiet.ms, 95).toFixed(0),
            quiet.failed,
          ],
          [
            "flood + staff",
            floodSeconds.toFixed(0),
            mb(perMinute(end.bytes - calm.bytes, floodSeconds)),
            end.seq - calm.seq,
            end.loginAttempts,
            staff.ms.length,
            percentile(staff.ms, 50).toFixed(0),
            percentile(staff.ms, 95).toFixed(0),
            staff.failed,
          ],
        ],
      ),
    );
    say();
    say(
      table(
        ["flood", "requests sent", "answered", "per second", "p50 ms", "answers by status"],
        [
          [
            "POST /api/auth/callback/credentials (wrong password)",
            signIns.requests.sent,
            signIns.requests.total,
            signIns.requests.average.toFixed(0),
            signIns.latency.p50,
            statusCounts(signIns),
          ],
          [
            "GET /api/customers?name=<8 KB> (no session)",
            customers.requests.sent,
            customers.requests.total,
            customers.requests.average.toFixed(0),
            customers.latency.p50,
            statusCounts(customers),
          ],
        ],
      ),
    );
    say();
    say("Audit events written during the flood:");
    say(
      table(
        ["action", "outcome", "events"],
        events.map((e) => [e.action, e.outcome, e.n]),
      ),
    );
    say();
    say(`What grew during the flood (${probe.sizeNote}):`);
    say(table(["table or index", "KB/min"], growthRows(calm, end, floodSeconds)));
    say();
    const rate = perMinute(end.bytes - calm.bytes, floodSeconds);
    say(`Store growth under the flood: ${mb(rate)} MB/min (${probe.totalNote}); goal under 1 MB/min: ${rate < MB ? "met" : "MISSED"}`);
    say("Anonymous refusal summaries of the last, unfinished minute are still in the portal's memory when measured (one event per address).");
  } finally {
    await probe.close();
    await stop(portal.child);
    await pg?.drop();
  }
});
