import { createHash } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiAs, resetSandbox, setFaults } from "./helpers/api";
import { clientFrom, eventsOf, newOrigin } from "./helpers/refusals";

// Every refusal is on record once, with who (where known), why, and where from. Devdraft's 429 is in
// refusals-upstream-storm.spec.ts: it holds back every upstream call for a while, so it runs after the rest.

const AGENT = "agent@demo.local";
const AUDITOR = "auditor@demo.local";

let auditor: APIRequestContext;
test.beforeAll(async () => {
  auditor = await apiAs(AUDITOR);
});
test.afterAll(async () => {
  await auditor.dispose();
});
test.afterEach(async () => {
  await resetSandbox();
});

test("signed out: 401, recorded once with no actor, its address and user agent", async () => {
  const from = newOrigin("signed-out");
  const anonymous = await clientFrom(from, null);
  const res = await anonymous.get("/api/customers?take=5");
  expect(res.status()).toBe(401);
  expect(await eventsOf(auditor, res, from)).toEqual([
    expect.objectContaining({
      action: "customers.list",
      actor_email: null,
      outcome: "denied",
      refusal: "signed out",
      session_id: null,
      client_address: from.address,
      user_agent: from.userAgent,
    }),
  ]);
  await anonymous.dispose();
});

test("wrong role: an auditor asking for customers gets 403, recorded once under the auditor", async () => {
  const from = newOrigin("wrong-role");
  const client = await clientFrom(from, AUDITOR);
  const res = await client.get("/api/customers?take=5");
  expect(res.status()).toBe(403);
  expect(await eventsOf(auditor, res, from)).toEqual([
    expect.objectContaining({
      action: "customers.list",
      actor_email: AUDITOR,
      outcome: "denied",
      refusal: "role not allowed",
      session_id: expect.any(String),
      client_address: from.address,
      user_agent: from.userAgent,
    }),
  ]);
  await client.dispose();
});

test("bad query: take=1000 gets Devdraft's 400 and is recorded once as invalid under the agent", async () => {
  const from = newOrigin("bad-query");
  const agent = await clientFrom(from, AGENT);
  const res = await agent.get("/api/customers?take=1000");
  expect(res.status()).toBe(400);
  expect(await res.json()).toEqual({ statusCode: 400, error: "Bad Request", message: ["take must not be greater than 100"] });
  expect(await eventsOf(auditor, res, from)).toEqual([
    expect.objectContaining({
      action: "customers.list",
      actor_email: AGENT,
      outcome: "invalid",
      refusal: "invalid request: take must not be greater than 100",
      client_address: from.address,
      user_agent: from.userAgent,
    }),
  ]);
  await agent.dispose();
});

test("upstream down: the agent's list is recorded once as upstream_error", async () => {
  const from = newOrigin("upstream-down");
  const agent = await clientFrom(from, AGENT);
  await setFaults({ errorRate: 1 });
  const res = await agent.get("/api/customers?name=down");
  expect(res.status()).toBe(502);
  expect(await eventsOf(auditor, res, from)).toEqual([
    expect.objectContaining({
      action: "customers.list",
      actor_email: AGENT,
      outcome: "upstream_error",
      refusal: "Devdraft unavailable",
      client_address: from.address,
      user_agent: from.userAgent,
    }),
  ]);
  await agent.dispose();
});

test("a 1 MB query: a clear 400, and on record as a capped query with the length and hash of the whole", async () => {
  const from = newOrigin("one-megabyte");
  const agent = await clientFrom(from, AGENT);
  const name = "a".repeat(1_000_000);
  const res = await agent.get(`/api/customers?name=${name}`);
  expect(res.status()).toBe(400);
  expect(await res.json()).toEqual({ statusCode: 400, error: "Bad Request", message: ["name must be shorter than or equal to 100 characters"] });

  const events = await eventsOf(auditor, res, from);
  expect(events).toEqual([
    expect.objectContaining({ action: "customers.list", actor_email: AGENT, outcome: "invalid", client_address: from.address, user_agent: from.userAgent }),
  ]);
  const whole = JSON.stringify({ name });
  expect(events[0]?.query).toEqual({ truncated: whole.slice(0, 2_048), chars: whole.length, sha256: createHash("sha256").update(whole).digest("hex") });
  expect(JSON.stringify(events[0]?.query).length).toBeLessThanOrEqual(2_200);
  await agent.dispose();
});

test("a signed-in agent's list views carry the session, client address and user agent", async () => {
  const from = newOrigin("list-view");
  const agent = await clientFrom(from, AGENT);
  const first = await agent.get("/api/customers?take=3");
  const second = await agent.get("/api/customers?take=3&skip=3");
  expect([first.status(), second.status()]).toEqual([200, 200]);
  const [a] = await eventsOf(auditor, first, from);
  const [b] = await eventsOf(auditor, second, from);
  expect(a).toMatchObject({
    action: "customers.list",
    actor_email: AGENT,
    outcome: "ok",
    refusal: null,
    session_id: expect.any(String),
    client_address: from.address,
    user_agent: from.userAgent,
  });
  expect(b?.session_id).toBe(a?.session_id);

  // Another sign-in of the same person is another session.
  const again = await clientFrom(from, AGENT);
  const [c] = await eventsOf(auditor, await again.get("/api/customers?take=3"), from);
  expect(c?.session_id).toEqual(expect.any(String));
  expect(c?.session_id).not.toBe(a?.session_id);
  await Promise.all([agent.dispose(), again.dispose()]);
});
