import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, request, test } from "@playwright/test";
import Database from "better-sqlite3";
import { e2e } from "../playwright.config";
import { apiAs, resetSandbox, sandbox, SANDBOX_HEADERS, staffCli } from "./helpers/api";

// Personal API tokens (issue 14, point 8): Devdraft's List Customers through the portal, for staff scripts.
// Every answer is compared with what the sandbox (our Devdraft) answers itself, and every call with its audit row.

const INVALID = { statusCode: 401, message: "Invalid API credentials", error: "Unauthorized" };
const DEVDRAFT_HOST = "https://api.devdraft.com";
const AGENT = "agent@demo.local";

type Token = { key: string; secret: string };

/** `npm run staff -- token create`, as staff do: its two stdout lines, nothing else. */
function createToken(email: string, days = "1"): Token {
  const lines = staffCli("token", "create", "--email", email, "--days", days).trimEnd().split("\n");
  expect(lines).toHaveLength(2);
  const key = /^DEVDRAFT_CLIENT_KEY=(ddpt_\S+)$/.exec(lines[0] ?? "")?.[1];
  const secret = /^DEVDRAFT_CLIENT_SECRET=(\S+)$/.exec(lines[1] ?? "")?.[1];
  if (!key || !secret) throw new Error(`unexpected output: ${lines.join(" | ")}`);
  return { key, secret };
}

const headersOf = (t: Token) => ({ "x-client-key": t.key, "x-client-secret": t.secret });

async function portalGet(path: string, headers: Record<string, string>) {
  const ctx = await request.newContext({ baseURL: e2e.portalUrl });
  try {
    const res = await ctx.get(path, { headers });
    return {
      status: res.status(),
      body: (await res.json().catch(() => null)) as unknown,
      requestId: res.headers()["x-request-id"] ?? "",
      headers: res.headers(),
    };
  } finally {
    await ctx.dispose();
  }
}

type Row = {
  seq: number;
  action: string;
  outcome: string;
  actor_email: string | null;
  session_id: string | null;
  client_address: string | null;
  targets: string;
  refusal: string | null;
  detail: string | null;
  request_id: string;
};

/** Reads the portal's audit log straight from its store, as an auditor's tool would. */
function readStore<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(e2e.dataDir ?? "", "portal.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
const COLUMNS = "seq, action, outcome, actor_email, session_id, client_address, targets, refusal, detail, request_id";
const auditRows = (where: string, ...args: unknown[]): Row[] =>
  readStore((db) => db.prepare(`select ${COLUMNS} from audit_events where ${where} order by seq`).all(...args) as Row[]);
const lastSeq = (): number => readStore((db) => (db.prepare("select max(seq) as seq from audit_events").get() as { seq: number | null }).seq ?? 0);

/** Every customer Devdraft holds with this status, straight from the sandbox. */
async function allWithStatus(status: string): Promise<string[]> {
  const ids: string[] = [];
  for (let skip = 0; ; skip += 100) {
    const { body } = await sandbox(`/api/v0/customers?status=${status}&take=100&skip=${skip}`);
    const page = body as { id: string }[];
    ids.push(...page.map((c) => c.id));
    if (page.length < 100) return ids;
  }
}

/** A copy of a sample in a temporary folder, its Devdraft host replaced by the portal: the one change made. */
function sampleCopy(file: string): string {
  const text = readFileSync(join(import.meta.dirname, "samples", file), "utf8");
  expect(text.split(DEVDRAFT_HOST).length - 1).toBe(1);
  const copy = join(mkdtempSync(join(tmpdir(), "devdraft-sample-")), file);
  writeFileSync(copy, text.replace(DEVDRAFT_HOST, e2e.portalUrl));
  return copy;
}

/** A python3 that has `requests`: installs Debian's python3-requests when none has it and we are root. */
function pythonWithRequests(): string | null {
  const has = (python: string) => spawnSync(python, ["-c", "import requests"], { stdio: "ignore" }).status === 0;
  for (const python of ["python3", "/usr/bin/python3"]) if (has(python)) return python;
  if (process.getuid?.() !== 0) return null;
  const opts = { stdio: "inherit" as const, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  if (spawnSync("apt-get", ["update", "-qq"], opts).status !== 0) return null;
  if (spawnSync("apt-get", ["install", "-y", "-qq", "python3-requests"], opts).status !== 0) return null;
  return has("/usr/bin/python3") ? "/usr/bin/python3" : null;
}

// Each `npm run staff` takes seconds (a fresh Node with tsx): the tests that run several get more than 30 s.
test.describe.configure({ mode: "serial", timeout: 120_000 });

let token: Token;
test.beforeAll(async () => {
  await resetSandbox();
  token = createToken(AGENT);
});

test("wrong, missing, sandbox, revoked and session credentials all get Devdraft's 401, and nothing else", async () => {
  const revoked = createToken(AGENT);
  staffCli("token", "revoke", "--id", revoked.key);
  const agentSession = await apiAs(AGENT);
  const sessionOnly = await agentSession.get("/api/v0/customers");
  expect(sessionOnly.status()).toBe(401);
  expect(await sessionOnly.json()).toEqual(INVALID);
  await agentSession.dispose();

  // The same answer Devdraft gives a request without its headers.
  const devdraft = await request.newContext({ baseURL: e2e.sandboxUrl });
  expect(await (await devdraft.get("/api/v0/customers")).json()).toEqual(INVALID);
  await devdraft.dispose();

  const before = lastSeq();
  const cases: Record<string, string>[] = [
    {},
    SANDBOX_HEADERS,
    { "x-client-key": token.key },
    { "x-client-key": token.key, "x-client-secret": revoked.secret },
    headersOf(revoked),
    { "x-client-key": `ddpt_${"A".repeat(22)}`, "x-client-secret": token.secret },
    { "x-client-key": "' or 1=1 --", "x-client-secret": "x" },
  ];
  for (const headers of cases) {
    const res = await portalGet("/api/v0/customers?take=5", headers);
    expect(res.status, JSON.stringify(headers)).toBe(401);
    expect(res.body).toEqual(INVALID);
  }
  const refusals = auditRows("seq > ? and action = 'api.customers.list'", before);
  expect(refusals).toHaveLength(7);
  expect(refusals.every((r) => r.outcome === "denied" && r.targets === "[]")).toBe(true);
  // A guess names no one; a genuine token that was revoked names its owner.
  expect(refusals.map((r) => [r.actor_email, r.session_id, r.refusal])).toEqual([
    [null, null, "API token: no credentials"],
    [null, null, "API token: malformed credentials"],
    [null, `token:${token.key}`, "API token: malformed credentials"],
    [null, `token:${token.key}`, "API token: wrong secret"],
    [AGENT, `token:${revoked.key}`, "API token: token revoked"],
    [null, `token:ddpt_${"A".repeat(22)}`, "API token: unknown token"],
    [null, null, "API token: malformed credentials"],
  ]);
});

const INVALID_QUERIES = [
  "take=0",
  "take=101",
  "take=abc",
  "take=1.5",
  "take=",
  "take=1&take=2",
  "skip=-1",
  "skip=10001",
  "skip=1e5",
  "status=active",
  "status=",
  "status=DELETED",
  `name=${"n".repeat(101)}`,
  `email=${"e".repeat(256)}`,
  "take=0&skip=-1&status=x",
  "take=-5&skip=abc&status=nope&name=" + "x".repeat(101) + "&email=" + "y".repeat(256),
];

test("Devdraft-invalid queries get Devdraft's own 400, message for message, recorded as invalid under the owner", async () => {
  for (const query of INVALID_QUERIES) {
    const devdraft = await sandbox(`/api/v0/customers?${query}`);
    expect(devdraft.status, query).toBe(400);
    const before = lastSeq();
    const portal = await portalGet(`/api/v0/customers?${query}`, headersOf(token));
    expect({ query, status: portal.status, body: portal.body }).toEqual({ query, status: 400, body: devdraft.body });
    const [event] = auditRows("request_id = ?", portal.requestId);
    expect(event).toMatchObject({ action: "api.customers.list", outcome: "invalid", actor_email: AGENT, session_id: `token:${token.key}`, targets: "[]" });
    expect(event?.seq).toBeGreaterThan(before);
  }
});

test("valid queries get exactly Devdraft's answer, each recorded with the customers it named", async () => {
  for (const query of [
    "",
    "take=5&status=ACTIVE",
    "take=0x10",
    "skip=1e3&take=3",
    "name=an&email=mail&take=7",
    "take=100&skip=10000",
    "foo=bar&take=2",
    "name=zqxzqxzq",
  ]) {
    const devdraft = await sandbox(`/api/v0/customers?${query}`);
    const portal = await portalGet(`/api/v0/customers?${query}`, headersOf(token));
    expect({ query, status: portal.status }).toEqual({ query, status: 200 });
    expect(portal.body).toEqual(devdraft.body);
    expect(portal.headers["cache-control"]).toContain("no-store");
    const [event] = auditRows("request_id = ?", portal.requestId);
    expect(event).toMatchObject({ action: "api.customers.list", outcome: "ok", actor_email: AGENT, session_id: `token:${token.key}` });
    expect(JSON.parse(event?.targets ?? "null")).toEqual((devdraft.body as { id: string }[]).map((c) => c.id));
    expect(JSON.parse(event?.detail ?? "null")).toEqual({ via: "token" });
  }
});

test("a disabled owner's token stops and starts again on enable; a role that may not read customers is refused", async () => {
  const email = `scripts-${Date.now()}@example.com`;
  staffCli("add", "--email", email, "--role", "agent", "--no-password");
  const own = createToken(email);
  expect((await portalGet("/api/v0/customers?take=1", headersOf(own))).status).toBe(200);
  staffCli("disable", "--email", email);
  const disabled = await portalGet("/api/v0/customers?take=1", headersOf(own));
  expect([disabled.status, disabled.body]).toEqual([401, INVALID]);
  expect(auditRows("request_id = ?", disabled.requestId)).toEqual([
    expect.objectContaining({ actor_email: email, outcome: "denied", refusal: "API token: owner disabled" }),
  ]);
  staffCli("enable", "--email", email);
  expect((await portalGet("/api/v0/customers?take=1", headersOf(own))).status).toBe(200);
  staffCli("set-role", "--email", email, "--role", "auditor");
  const auditor = await portalGet("/api/v0/customers?take=1", headersOf(own));
  expect(auditor.status).toBe(403);
  expect(auditor.body).toMatchObject({ statusCode: 403, error: "Forbidden" });
  expect(auditRows("request_id = ?", auditor.requestId)).toEqual([
    expect.objectContaining({ actor_email: email, outcome: "denied", refusal: "role not allowed", session_id: `token:${own.key}` }),
  ]);
});

test("Devdraft's JavaScript sample pages through every active customer with a CLI token, each call on record as its owner", async () => {
  const active = await allWithStatus("ACTIVE");
  const sample = createToken(AGENT);
  const before = lastSeq();
  const run = spawnSync(process.execPath, [sampleCopy("customer-paginator.mjs")], {
    env: { ...process.env, DEVDRAFT_CLIENT_KEY: sample.key, DEVDRAFT_CLIENT_SECRET: sample.secret },
    encoding: "utf8",
    timeout: 90_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const batches = run.stdout
    .trim()
    .split("\n")
    .map((line) => Number(/^Processing (\d+) customers$/.exec(line)?.[1]));
  expect(batches.reduce((a, b) => a + b, 0)).toBe(active.length);
  expect(batches.length).toBe(Math.floor(active.length / 100) + 1);

  const events = auditRows("seq > ? and session_id = ?", before, `token:${sample.key}`);
  expect(events).toHaveLength(batches.length);
  expect(events.every((e) => e.action === "api.customers.list" && e.outcome === "ok" && e.actor_email === AGENT && e.client_address !== null)).toBe(true);
  expect(new Set(events.flatMap((e) => JSON.parse(e.targets) as string[]))).toEqual(new Set(active));
});

test("Devdraft's Python sample runs unchanged against the portal, each call on record as its owner", async () => {
  test.setTimeout(180_000);
  const python = pythonWithRequests();
  test.skip(python === null, "no python3 with `requests`, and apt-get could not install python3-requests (offline or not root)");
  const active = await allWithStatus("ACTIVE");
  const sample = createToken(AGENT, "3");
  const before = lastSeq();
  // The sample's own usage lines run on import; the wrapper then reports what they got.
  const report =
    "import json, runpy, sys; g = runpy.run_path(sys.argv[1]); print(json.dumps({k: [c['id'] for c in g[k]] for k in ['active_customers', 'john_customers', 'business_customers']}))";
  const run = spawnSync(python ?? "python3", ["-c", report, sampleCopy("devdraft_customers.py")], {
    env: { ...process.env, DEVDRAFT_CLIENT_KEY: sample.key, DEVDRAFT_CLIENT_SECRET: sample.secret },
    encoding: "utf8",
    timeout: 150_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const got = JSON.parse(run.stdout) as Record<string, string[]>;
  expect(got.active_customers).toEqual(active.slice(0, 50));
  expect(got.business_customers).toEqual(active);
  expect(got.john_customers?.length).toBeGreaterThan(0);

  const events = auditRows("seq > ? and session_id = ?", before, `token:${sample.key}`);
  // 1 page of 50, the name and email searches, then every page of 100 and the empty one that ends it.
  expect(events).toHaveLength(1 + 2 + Math.ceil(active.length / 100) + 1);
  expect(events.every((e) => e.action === "api.customers.list" && e.outcome === "ok" && e.actor_email === AGENT)).toBe(true);
  expect(new Set(events.flatMap((e) => JSON.parse(e.targets) as string[]))).toEqual(new Set([...active, ...(got.john_customers ?? [])]));
});
