// The production server's direct path for GET /api/customers (scripts/direct-api.mjs) against Next's own routing of
// the same handler: two portals from one build, one as shipped and one with PORTAL_DIRECT_API=off, asked the same
// things. Every answer must match (status, body, every header but the per-request ones), and so must the audit event
// each wrote, origin included: the direct path fills in X-Forwarded-For from the socket exactly as Next does.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, signIn, startPortal, startSandbox, stopAll } from "@/bench/harness";

const BASE = Number(process.env.DIRECT_API_TEST_PORT ?? 3925);
// Per request, or by design different: Next's router adds its RSC names to Vary, the direct path only Accept-Encoding.
const PER_REQUEST = new Set(["date", "x-request-id", "server-timing", "x-as-of", "vary", "content-length", "transfer-encoding", "connection", "keep-alive"]);

type Portal = { url: string; dataDir: string; cookie: string };
let direct: Portal;
let viaNext: Portal;

async function start(port: number, sandboxPort: number, env: Record<string, string>): Promise<Portal> {
  const dataDir = freshDataDir("direct-api-");
  const { url } = await startPortal({ port, sandboxPort, cacheTtlMs: 0, ratePerMin: 6_000, dataDir, env: { NODE_ENV: "production", ...env } });
  return { url, dataDir, cookie: await signIn(url, "agent@demo.local") };
}

beforeAll(async () => {
  await startSandbox({ port: BASE + 2, customers: 200 });
  // One after the other: the first start builds the portal if its sources are newer than the build.
  direct = await start(BASE, BASE + 2, {});
  viaNext = await start(BASE + 1, BASE + 2, { PORTAL_DIRECT_API: "off" });
}, 900_000);

afterAll(() => stopAll(), 60_000);

async function ask(portal: Portal, path: string, headers: Record<string, string>) {
  const res = await fetch(`${portal.url}${path}`, { headers: { "user-agent": "direct-api-test", ...headers } });
  const fixed = Object.fromEntries([...res.headers].filter(([name]) => !PER_REQUEST.has(name)));
  return { status: res.status, body: await res.json(), headers: fixed, vary: res.headers.get("vary"), requestId: res.headers.get("x-request-id") };
}

function eventOf(portal: Portal, requestId: string | null) {
  const db = new Database(join(portal.dataDir, "portal.sqlite"), { readonly: true });
  try {
    return db
      .prepare("select action, outcome, targets, query, client_address, user_agent, refusal, actor_email from audit_events where request_id = ?")
      .get(requestId);
  } finally {
    db.close();
  }
}

describe("GET /api/customers, direct and through Next", () => {
  const cases: [string, string, (p: Portal) => Record<string, string>][] = [
    ["a page of customers", "/api/customers?take=5&status=ACTIVE", (p) => ({ cookie: p.cookie })],
    ["the same, gzip", "/api/customers?take=5&status=ACTIVE", (p) => ({ cookie: p.cookie, "accept-encoding": "gzip" })],
    ["behind a proxy", "/api/customers?take=3", (p) => ({ cookie: p.cookie, "x-forwarded-for": "203.0.113.9" })],
    ["a bad query", "/api/customers?take=abc&sort=nope", (p) => ({ cookie: p.cookie })],
    ["no session", "/api/customers?take=5", () => ({})],
    ["a cookie that is not ours", "/api/customers?take=5", () => ({ cookie: "next-auth.session-token=forged" })],
  ];

  it.each(cases)("%s: the same answer and the same audit event", async (_name, path, headers) => {
    const a = await ask(direct, path, headers(direct));
    const b = await ask(viaNext, path, headers(viaNext));
    // Each went the way it should (else this test compares Next with itself).
    expect(a.vary).toBe("Accept-Encoding");
    expect(b.vary).toContain("rsc");
    expect(a.status).toBe(b.status);
    expect(a.body).toEqual(b.body);
    expect(a.headers).toEqual(b.headers);
    expect(a.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");

    const eventA = eventOf(direct, a.requestId);
    expect(eventA).toEqual(eventOf(viaNext, b.requestId));
    if (a.status === 200) {
      // Recorded before it was sent, naming exactly the customers in the answer, from where it came.
      expect(eventA).toMatchObject({ action: "customers.list", outcome: "ok", user_agent: "direct-api-test" });
      expect(JSON.parse((eventA as { targets: string }).targets)).toEqual((a.body as { id: string }[]).map((c) => c.id));
      // The proxy's X-Forwarded-For, else the socket's address (IPv4 on a dual-stack listener: ::ffff:127.0.0.1).
      expect((eventA as { client_address: string }).client_address).toMatch(headers(direct)["x-forwarded-for"] ?? /^(::ffff:)?127\.0\.0\.1$/);
    }
  });

  it("leaves every other route and method to Next", async () => {
    for (const portal of [direct, viaNext]) {
      const head = await fetch(`${portal.url}/api/customers?take=1`, { method: "HEAD", headers: { cookie: portal.cookie } });
      expect(head.headers.get("vary")).toContain("rsc");
      const post = await fetch(`${portal.url}/api/customers`, { method: "POST", headers: { cookie: portal.cookie, origin: portal.url } });
      expect(post.status).toBe(405);
      const one = await fetch(`${portal.url}/api/customers/not-a-customer`, { headers: { cookie: portal.cookie } });
      expect(one.headers.get("vary")).toContain("rsc");
    }
  });
});
