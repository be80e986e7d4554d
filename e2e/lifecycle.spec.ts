import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { z } from "zod";
import { e2e } from "../playwright.config";
import { apiAs, staffCli, staffCliPiped } from "./helpers/api";
import { signIn } from "./helpers/auth";

const AGENT = "agent@demo.local";

const auditEvent = z.object({
  seq: z.number(),
  action: z.string(),
  outcome: z.string(),
  actor_email: z.string().nullable(),
  query: z.record(z.string(), z.unknown()),
  refusal: z.string().nullable(),
  session_id: z.string().nullable(),
  client_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  detail: z.unknown(),
});
type AuditEvent = z.infer<typeof auditEvent>;

let auditor: APIRequestContext;
test.beforeAll(async () => {
  auditor = await apiAs("auditor@demo.local");
});
test.afterAll(async () => {
  await auditor.dispose();
});

/** Audit events as an auditor reads them through GET /api/audit, newest first. */
async function auditEvents(query: string): Promise<AuditEvent[]> {
  const res = await auditor.get(`/api/audit?${query}`);
  expect(res.status()).toBe(200);
  return z.object({ events: z.array(auditEvent) }).parse(await res.json()).events;
}

/** One credentials sign-in as a script would send it, from `address` behind the one trusted proxy. */
async function signInFrom(address: string, email: string, password: string): Promise<{ status: number; body: unknown }> {
  const ctx = await request.newContext({ baseURL: e2e.portalUrl, extraHTTPHeaders: { "x-forwarded-for": address, "user-agent": "lifecycle-e2e/1" } });
  try {
    const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await (await ctx.get("/api/auth/csrf")).json());
    const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" } });
    return { status: res.status(), body: await res.json() };
  } finally {
    await ctx.dispose();
  }
}

test("a sign-in and its sign-out are on record under one session id, with the address and browser", async ({ page }) => {
  // Two page loads through the browser, on a shared machine.
  test.slow();
  await signIn(page, AGENT, "/customers");
  const browser = await page.evaluate(() => navigator.userAgent);
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  const [signout] = await auditEvents(`actor=${AGENT}&action=auth.signout&limit=1`);
  expect(signout).toMatchObject({ outcome: "ok", actor_email: AGENT, user_agent: browser });
  expect(signout?.session_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(signout?.client_address).toBeTruthy();

  const signins = await auditEvents(`actor=${AGENT}&action=auth.signin&limit=50`);
  const signin = signins.find((e) => e.session_id === signout?.session_id);
  expect(signin, "the sign-in that started the session signed out").toMatchObject({
    outcome: "ok",
    actor_email: AGENT,
    query: { provider: "credentials" },
    client_address: signout?.client_address,
    user_agent: browser,
  });
  expect(signin?.seq).toBeLessThan(signout?.seq ?? 0);
});

test("every kind of refused sign-in gets the same answer, and the log tells them apart", async () => {
  test.slow();
  // An address of our own: this test's refusals are recorded in full whatever else the suite did this minute.
  const address = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
  const unknown = `nobody-${Date.now()}@demo.local`;
  const disabled = `gone-${Date.now()}@demo.local`;
  staffCliPiped("right-password\n", "add", "--email", disabled, "--role", "agent");
  staffCli("disable", "--email", disabled);

  const wrong = await signInFrom(address, AGENT, "not-the-password");
  expect(await signInFrom(address, unknown, "demo")).toEqual(wrong);
  expect(await signInFrom(address, disabled, "right-password")).toEqual(wrong);
  expect(await signInFrom(address, AGENT, "")).toEqual(wrong);

  const refused = (await auditEvents("action=auth.signin&limit=50")).filter((e) => e.client_address === address).reverse();
  const common = { actor_email: null, session_id: null, user_agent: "lifecycle-e2e/1" };
  expect(refused).toMatchObject([
    { ...common, outcome: "denied", refusal: "wrong password", query: { email: AGENT, provider: "credentials" } },
    { ...common, outcome: "denied", refusal: "unknown email", query: { email: unknown } },
    { ...common, outcome: "denied", refusal: "account disabled", query: { email: disabled } },
    { ...common, outcome: "invalid", refusal: "malformed input", query: { email: AGENT } },
  ]);
});

test("the portal's start is on record with its settings fingerprint and no secret", async () => {
  const [start] = await auditEvents("action=portal.start&limit=1");
  expect(start).toMatchObject({ outcome: "ok", actor_email: null });
  expect(start?.detail).toMatchObject({
    settings_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    retention_days: expect.any(Number),
    alert_customers_per_hour: expect.any(Number),
    store: "sqlite",
    node: expect.stringMatching(/^v\d+/),
    version: expect.any(String),
  });
  const stored = JSON.stringify(start);
  expect(stored).not.toContain("portal-test-secret");
  expect(stored).not.toContain(readFileSync(join(e2e.dataDir ?? "", "nextauth-secret"), "utf8").trim());
});
