import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiAs, auditByRequestId, resetSandbox, sandbox, setFaults, staffCli, staffCliPiped, withStoreLocked } from "./helpers/api";
import { PURPOSE, REASON } from "./helpers/reasons";
import { customerListSchema } from "../lib/contract/schema";
import { QUERY_CASES } from "../test/support/query-cases";

let agent: APIRequestContext;
let admin: APIRequestContext;
let auditor: APIRequestContext;
let anonymous: APIRequestContext;

test.beforeAll(async () => {
  [agent, admin, auditor, anonymous] = await Promise.all([apiAs("agent@demo.local"), apiAs("admin@demo.local"), apiAs("auditor@demo.local"), apiAs(null)]);
});
test.afterEach(async () => {
  await resetSandbox();
});

async function firstCustomerId(): Promise<string> {
  const { body } = await sandbox("/api/v0/customers?take=1");
  return idOfFirst(body);
}
function idOfFirst(body: unknown): string {
  if (Array.isArray(body) && body[0] && typeof body[0] === "object" && "id" in body[0] && typeof body[0].id === "string") return body[0].id;
  throw new Error("the sandbox answered no customer");
}

test.describe("who may call what", () => {
  const routes = async () => {
    const id = await firstCustomerId();
    return [
      { method: "GET", path: "/api/customers?take=5" },
      { method: "GET", path: `/api/customers/${id}` },
      // A Reveal carries its reason for access; without one it is refused (e2e/reasons.spec.ts).
      { method: "POST", path: `/api/customers/${id}/contact`, data: REASON },
    ];
  };

  test("signed out: 401 in Devdraft's error shape, and on record", async () => {
    for (const r of await routes()) {
      const res = await anonymous.fetch(r.path, { method: r.method, data: r.data });
      expect(res.status(), r.path).toBe(401);
      expect(await res.json()).toEqual({ statusCode: 401, message: "Sign in to continue", error: "Unauthorized" });
      const events = auditByRequestId(res.headers()["x-request-id"] ?? "");
      expect(events).toHaveLength(1);
      expect(events[0]?.outcome).toBe("denied");
      expect(events[0]?.actor_email).toBeNull();
    }
  });

  test("auditor: 403 for customer data", async () => {
    for (const r of await routes()) {
      const res = await auditor.fetch(r.path, { method: r.method, data: r.data });
      expect(res.status(), r.path).toBe(403);
      expect(await res.json()).toMatchObject({ statusCode: 403, error: "Forbidden" });
    }
  });

  test("agent and admin: 200", async () => {
    for (const ctx of [agent, admin]) {
      for (const r of await routes()) {
        const res = await ctx.fetch(r.path, { method: r.method, data: r.data });
        expect(res.status(), r.path).toBe(200);
      }
    }
  });
});

test("a list answer is masked, private, carries a request id, and its audit event names every customer shown", async () => {
  const res = await agent.get("/api/customers?take=7&status=ACTIVE");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toBe("private, no-store");
  const body: { id: string; email: string | null }[] = await res.json();
  expect(body).toHaveLength(7);
  for (const c of body) expect(c.email ?? "•••").toContain("•••");
  const upstream = await sandbox("/api/v0/customers?take=7&status=ACTIVE");
  expect(body.map((c) => c.id)).toEqual((upstream.body as { id: string }[]).map((c) => c.id));
  const [event] = auditByRequestId(res.headers()["x-request-id"] ?? "");
  expect(event).toMatchObject({ action: "customers.list", outcome: "ok", actor_email: "agent@demo.local" });
  expect(event?.targets).toEqual(body.map((c) => c.id));
  expect(event?.query).toEqual({ take: 7, skip: 0, status: "ACTIVE" });
});

test("the customers page answer carries its request id, which finds the audit event of the customers it shows", async () => {
  const res = await agent.get("/customers?take=10&status=DEACTIVATED");
  expect(res.status()).toBe(200);
  const html = await res.text();
  const requestId = res.headers()["x-request-id"] ?? "";
  expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const upstream = (await sandbox("/api/v0/customers?take=10&status=DEACTIVATED")).body as { id: string }[];
  for (const c of upstream) expect(html).toContain(c.id);
  const [event] = auditByRequestId(requestId);
  expect(event).toMatchObject({ action: "customers.list", outcome: "ok", actor_email: "agent@demo.local" });
  expect(event?.targets).toEqual(upstream.map((c) => c.id));
  // The API's own answers keep one id, not the proxy's and the handler's side by side.
  const api = await agent.get("/api/customers?take=1");
  expect(api.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(auditByRequestId(api.headers()["x-request-id"] ?? "")).toHaveLength(1);
});

test("Reveal returns the real contact and records customer.reveal with the reason", async () => {
  const id = await firstCustomerId();
  const res = await agent.post(`/api/customers/${id}/contact`, { data: REASON });
  const contact: { email: string } = await res.json();
  const upstream = await sandbox(`/api/v0/customers/${id}`);
  expect(contact.email).toBe((upstream.body as { email: string }).email);
  expect(auditByRequestId(res.headers()["x-request-id"] ?? "")[0]).toMatchObject({ action: "customer.reveal", outcome: "ok", purpose: PURPOSE });
});

test.describe("the query contract: one table of cases, the portal and the sandbox over HTTP", () => {
  test("a bad query gets Devdraft's own 400 from the portal, before any upstream call; a good one the same customers", async () => {
    for (const [query, messages] of QUERY_CASES) {
      const before = await sandbox("/__sandbox/stats");
      const res = await agent.get(`/api/customers?${query}`);
      const upstream = await sandbox(`/api/v0/customers?${query}`);
      const body: unknown = await res.json();
      if (messages.length > 0) {
        expect.soft(res.status(), query).toBe(400);
        expect.soft(body, query).toEqual({ statusCode: 400, message: messages, error: "Bad Request" });
        expect.soft(upstream.body, query).toEqual(body);
        // Only our own direct call to the sandbox reached it.
        expect.soft(requests((await sandbox("/__sandbox/stats")).body) - requests(before.body), query).toBe(1);
      } else {
        expect.soft([res.status(), upstream.status], query).toEqual([200, 200]);
        // Both answers are the contract's list answer, and the same customers.
        const ours = customerListSchema.parse(body);
        expect
          .soft(
            ours.map((row) => row.id),
            query,
          )
          .toEqual(customerListSchema.parse(upstream.body).map((row) => row.id));
      }
    }
  });

  test("a malformed id is a 400 and an unknown one a 404", async () => {
    expect((await agent.get("/api/customers/not-a-uuid")).status()).toBe(400);
    const res = await agent.get("/api/customers/00000000-0000-4000-8000-000000000000");
    expect(res.status()).toBe(404);
    expect(await res.json()).toEqual({ statusCode: 404, message: "Customer not found", error: "Not Found" });
  });
});

function requests(stats: unknown): number {
  return stats && typeof stats === "object" && "requests" in stats && typeof stats.requests === "number" ? stats.requests : NaN;
}

test.describe("upstream faults are answered honestly, never as an empty list", () => {
  test("Devdraft failing: 502 with no upstream body, and on record", async () => {
    await setFaults({ errorRate: 1 });
    const res = await agent.get("/api/customers?name=fault-500");
    expect(res.status()).toBe(502);
    const body = await res.json();
    expect(body).toMatchObject({ statusCode: 502, error: "Bad Gateway" });
    expect(JSON.stringify(body)).not.toContain("Internal server error");
    expect(auditByRequestId(res.headers()["x-request-id"] ?? "")[0]?.outcome).toBe("upstream_error");
  });
  test("Devdraft hanging: 504 within the deadline", async () => {
    await setFaults({ hangRate: 1 });
    const started = Date.now();
    const res = await agent.get("/api/customers?name=fault-hang", { timeout: 20_000 });
    expect(res.status()).toBe(504);
    expect(Date.now() - started).toBeLessThan(6_000);
  });
  test("Devdraft sending broken JSON: 502", async () => {
    await setFaults({ malformedRate: 1 });
    expect((await agent.get("/api/customers?name=fault-json")).status()).toBe(502);
  });
  test("Devdraft's envelope shape: the same customers and the total", async () => {
    await setFaults({ envelope: true });
    const res = await agent.get("/api/customers?take=3&status=BLACKLISTED");
    expect(res.status()).toBe(200);
    expect(await res.json()).toHaveLength(3);
    expect(Number(res.headers()["x-total-count"])).toBeGreaterThan(3);
  });
});

test("when the audit log cannot be written, staff get a 503 and no customer data", async () => {
  const res = await withStoreLocked(() => agent.get("/api/customers?take=5&name=an", { timeout: 30_000 }));
  expect(res.status()).toBe(503);
  const body = await res.json();
  expect(body).toEqual({
    statusCode: 503,
    message: "The audit log cannot be written right now, so no customer data is shown. Try again shortly.",
    error: "Service Unavailable",
  });
  expect(auditByRequestId(res.headers()["x-request-id"] ?? "")).toHaveLength(0);
  // Once the store is back, the same request answers with data and its event.
  const again = await agent.get("/api/customers?take=5&name=an");
  expect(again.status()).toBe(200);
  expect(auditByRequestId(again.headers()["x-request-id"] ?? "")[0]?.outcome).toBe("ok");
});

test("a disabled staff member's session stops working within a minute", async () => {
  test.setTimeout(90_000);
  const email = `temp-${Date.now()}@example.com`;
  const password = `temp-password-${crypto.randomUUID()}`;
  staffCliPiped(`${password}\n`, "add", "--email", email, "--role", "agent");
  const temp = await apiAs(email, password);
  expect((await temp.get("/api/customers?take=1")).status()).toBe(200);
  staffCli("disable", "--email", email);
  const disabledAt = Date.now();
  await expect.poll(async () => (await temp.get("/api/customers?take=1")).status(), { timeout: 60_000, intervals: [2_000] }).toBe(401);
  expect(Date.now() - disabledAt).toBeLessThan(60_000);
});

test("the portal names every API request itself: a client's x-request-id never reaches the audit log", async () => {
  const chosen = "11111111-2222-4333-8444-555555555555";
  const res = await agent.get("/api/customers?take=2", { headers: { "x-request-id": chosen } });
  expect(res.status()).toBe(200);
  const own = res.headers()["x-request-id"] ?? "";
  expect(own).not.toBe(chosen);
  expect(auditByRequestId(chosen)).toHaveLength(0);
  expect(auditByRequestId(own)[0]).toMatchObject({ action: "customers.list", outcome: "ok", actor_email: "agent@demo.local" });
});

test("API answers, data and refusals alike, carry a CSP that allows nothing, nosniff, a referrer policy, HSTS and no-store", async () => {
  for (const res of [await agent.get("/api/customers?take=1"), await anonymous.get("/api/customers?take=1"), await agent.get("/api/customers?take=oops")]) {
    const h = res.headers();
    expect(h["content-security-policy"], res.url()).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["strict-transport-security"]).toContain("max-age=");
    expect(h["cache-control"]).toBe("private, no-store");
  }
});
