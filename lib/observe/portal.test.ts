// Through a running portal (scripts/start.mjs, built when needed) and the sandbox: every audited answer carries the
// gate's stages in Server-Timing, /api/metrics answers the token only, and every log line the requests wrote names
// its request id and no customer (names, e-mail addresses, phone numbers).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, signIn, startPortal, startSandbox, stopAll } from "@/bench/harness";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "@/sandbox/defaults";
import { parseServerTiming } from "./timing";

const PORTAL_PORT = Number(process.env.OBSERVE_PORTAL_PORT ?? 3910);
const SANDBOX_PORT = Number(process.env.OBSERVE_SANDBOX_PORT ?? 3911);
const TOKEN = "t".repeat(48);
type Row = { id: string; first_name: string; last_name: string; email: string; phone_number: string | null; status: string };

let portal: string;
let logFile: string;
let cookie: string;
let customers: Row[];

beforeAll(async () => {
  const sandbox = await startSandbox({ port: SANDBOX_PORT, customers: 200 });
  const direct = await fetch(`${sandbox.url}/api/v0/customers?take=100`, {
    headers: { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET },
  });
  customers = (await direct.json()) as Row[];
  const dataDir = freshDataDir("observe-portal-");
  // As deployed: Vitest's NODE_ENV=test must not reach the build (start.mjs builds when the sources are newer).
  logFile = join(dataDir, "portal.log");
  portal = (
    await startPortal({
      port: PORTAL_PORT,
      sandboxPort: SANDBOX_PORT,
      cacheTtlMs: 0,
      ratePerMin: 6_000,
      dataDir,
      env: { NODE_ENV: "production", LOG_LEVEL: "info", METRICS_TOKEN: TOKEN, PORTAL_LOG_FILE: logFile },
    })
  ).url;
  cookie = await signIn(portal, "agent@demo.local");
}, 900_000);

afterAll(() => stopAll(), 60_000);

describe("a running portal", () => {
  it("answers audited reads with auth, validate, budget, upstream and audit in Server-Timing, within the total", async () => {
    const res = await fetch(`${portal}/api/customers?take=25&status=ACTIVE`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const t = parseServerTiming(res.headers.get("server-timing"));
    expect(Object.keys(t)).toEqual(["auth", "validate", "budget", "upstream", "audit", "total"]);
    const sum = (t.auth ?? 0) + (t.validate ?? 0) + (t.budget ?? 0) + (t.upstream ?? 0) + (t.audit ?? 0);
    expect(sum).toBeLessThanOrEqual((t.total ?? 0) + 0.5);

    const active = customers.find((c) => c.status === "ACTIVE");
    const one = await fetch(`${portal}/api/customers/${active?.id}`, { headers: { cookie } });
    expect(one.status).toBe(200);
    expect(Object.keys(parseServerTiming(one.headers.get("server-timing")))).toEqual(["auth", "validate", "budget", "upstream", "audit", "total"]);

    // Refused without a session: only the gate ran.
    const anonymous = await fetch(`${portal}/api/customers?take=25`);
    expect(anonymous.status).toBe(401);
    expect(Object.keys(parseServerTiming(anonymous.headers.get("server-timing")))).toEqual(["auth", "total"]);
  });

  it("serves /api/metrics to the token only, by route template", async () => {
    expect((await fetch(`${portal}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${portal}/api/metrics`, { headers: { authorization: "Bearer wrong", cookie } })).status).toBe(401);
    const res = await fetch(`${portal}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('portal_http_requests_total{route="/api/customers/[id]",method="GET",status="200"}');
    expect(text).toContain('portal_http_requests_total{route="/api/customers",method="GET",status="200"}');
    expect(text).toMatch(/^portal_devdraft_budget_available \d+$/m);
    expect(text).toContain("# TYPE portal_export_jobs gauge");
    expect(text).toMatch(/^portal_devdraft_calls_total\{outcome="ok"\} [1-9]/m);
    for (const c of customers) expect(text).not.toContain(c.id);
  });

  it("writes every log line of a request with its request id, and no customer's name, e-mail or phone", async () => {
    const from = statSync(logFile).size;
    const ids: string[] = [];
    const paths = [
      `/api/customers?take=100&status=ACTIVE`,
      `/api/customers?take=7`,
      `/api/customers/00000000-0000-4000-8000-000000000000`,
      `/api/customers/not-a-uuid`,
    ];
    for (const c of customers.filter((x) => x.status === "ACTIVE").slice(0, 5)) paths.push(`/api/customers/${c.id}`);
    for (const path of paths) {
      const res = await fetch(`${portal}${path}`, { headers: { cookie } });
      ids.push(res.headers.get("x-request-id") ?? "");
    }
    await new Promise((r) => setTimeout(r, 1_500)); // the log file is written asynchronously
    const lines = readFileSync(logFile, "utf8")
      .slice(from)
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The two lists log what they answered, the two refusals log why: four lines at least, all named.
    expect(lines.filter((l) => l.msg === "customers.list")).toHaveLength(2);
    expect(lines.filter((l) => l.msg === "refused or failed").length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(ids, JSON.stringify(line)).toContain(line.requestId);
    const text = lines.map((l) => JSON.stringify(l)).join("\n");
    for (const c of customers) {
      for (const word of [c.email, `${c.first_name} ${c.last_name}`, c.phone_number]) if (word) expect(text).not.toContain(word);
      expect(text).not.toContain(`"${c.last_name}"`);
    }
  });
});
