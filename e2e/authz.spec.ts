import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import Database from "better-sqlite3";
import { encode } from "next-auth/jwt";
import { e2e } from "../playwright.config";
import { apiAs, sandbox } from "./helpers/api";

// Sessions the portal must refuse, made the way an attacker or an old browser tab would hold them.
const dataDir = e2e.dataDir ?? "";
const portalSecret = () => readFileSync(join(dataDir, "nextauth-secret"), "utf8").trim();

function agentId(): string {
  const db = new Database(join(dataDir, "portal.sqlite"), { readonly: true });
  try {
    const row: unknown = db.prepare("select id from staff where email = ?").get("agent@demo.local");
    if (row && typeof row === "object" && "id" in row && typeof row.id === "string") return row.id;
    throw new Error("no agent in the store");
  } finally {
    db.close();
  }
}

async function statusWithSession(token: string): Promise<number> {
  const ctx = await request.newContext({ baseURL: e2e.portalUrl, extraHTTPHeaders: { cookie: `next-auth.session-token=${token}` } });
  const status = (await ctx.get("/api/customers?take=1")).status();
  await ctx.dispose();
  return status;
}

test.beforeAll(async () => {
  await apiAs("agent@demo.local"); // the store holds the demo staff once someone has signed in
});

async function sessionCookie(ctx: APIRequestContext): Promise<string> {
  const cookie = (await ctx.storageState()).cookies.find((c) => c.name === "next-auth.session-token");
  if (!cookie) throw new Error("no session cookie");
  return cookie.value;
}

test("a real session's cookie works from anywhere that holds it (the control for the refusals below)", async () => {
  const agent = await apiAs("agent@demo.local");
  expect(await statusWithSession(await sessionCookie(agent))).toBe(200);
});

test("a forged, an expired and another portal's cookie are all refused with 401", async () => {
  const agent = await apiAs("agent@demo.local");
  const real = await sessionCookie(agent);
  expect(await statusWithSession("not-a-token")).toBe(401);
  expect(await statusWithSession(`${real.slice(0, -4)}AAAA`)).toBe(401);
  expect(await statusWithSession(await encode({ token: { staffId: agentId() }, secret: portalSecret(), maxAge: -120 }))).toBe(401);
  expect(await statusWithSession(await encode({ token: { staffId: agentId() }, secret: "another-portal-secret-0123456789" }))).toBe(401);
});

test("the portal's secret alone makes no session: a well-made cookie naming no session in the store is refused", async () => {
  // What a leaked NEXTAUTH_SECRET used to be enough for: any staff id, any role.
  const forged = await encode({ token: { staffId: agentId(), role: "admin", sid: "a".repeat(43) }, secret: portalSecret() });
  expect(await statusWithSession(forged)).toBe(401);
});

test("the role comes from the store, not the token: an agent's cookie edited to claim admin cannot export", async () => {
  const agent = await apiAs("agent@demo.local");
  const { decode } = await import("next-auth/jwt");
  const claims = await decode({ token: await sessionCookie(agent), secret: portalSecret() });
  const token = await encode({ token: { ...claims, role: "admin" }, secret: portalSecret() });
  const ctx = await request.newContext({ baseURL: e2e.portalUrl, extraHTTPHeaders: { cookie: `next-auth.session-token=${token}` } });
  expect((await ctx.get("/api/customers?take=1")).status()).toBe(200);
  expect((await ctx.post("/api/exports", { data: {} })).status()).toBe(403);
  await ctx.dispose();
});

test("sign-out ends the session on the server: a copy of its cookie answers 401 on the next request", async () => {
  const agent = await apiAs("agent@demo.local");
  const copied = await sessionCookie(agent);
  expect(await statusWithSession(copied)).toBe(200);
  const { csrfToken } = (await (await agent.get("/api/auth/csrf")).json()) as { csrfToken: string };
  expect((await agent.post("/api/auth/signout", { form: { csrfToken, json: "true" } })).status()).toBeLessThan(400);
  expect(await statusWithSession(copied)).toBe(401);
  // next-auth's own session endpoint no longer renews it either.
  const ctx = await request.newContext({ baseURL: e2e.portalUrl, extraHTTPHeaders: { cookie: `next-auth.session-token=${copied}` } });
  expect(await (await ctx.get("/api/auth/session")).json()).toEqual({});
  await ctx.dispose();
});

test("sign out everywhere ends every session of that person, and an admin can end anyone's", async () => {
  const first = await apiAs("agent@demo.local");
  const second = await apiAs("agent@demo.local");
  const mine = await (await second.get("/api/sessions")).json();
  expect(mine.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
  const cut = await first.delete("/api/sessions", { data: {}, headers: { origin: e2e.portalUrl } });
  expect(cut.status()).toBe(200);
  expect((await cut.json()).ended).toBeGreaterThanOrEqual(2);
  expect((await first.get("/api/customers?take=1")).status()).toBe(401);
  expect((await second.get("/api/customers?take=1")).status()).toBe(401);

  const agent = await apiAs("agent@demo.local");
  const admin = await apiAs("admin@demo.local");
  const all = await (await admin.get("/api/sessions?scope=all")).json();
  const agentSession = all.sessions.find((s: { email: string }) => s.email === "agent@demo.local");
  expect(agentSession).toBeTruthy();
  // An agent cannot end the admin's session, nor learn it exists.
  const adminSession = all.sessions.find((s: { email: string; current: boolean }) => s.current);
  expect((await agent.delete(`/api/sessions/${adminSession.id}`, { headers: { origin: e2e.portalUrl } })).status()).toBe(404);
  expect((await agent.get("/api/sessions?scope=all")).status()).toBe(403);
  expect((await admin.delete(`/api/sessions/${agentSession.id}`, { headers: { origin: e2e.portalUrl } })).status()).toBe(200);
  expect((await agent.get("/api/customers?take=1")).status()).toBe(401);
  expect((await admin.get("/api/customers?take=1")).status()).toBe(200);
});

test("disabling a person ends their access on the very next request", async () => {
  const agent = await apiAs("agent@demo.local");
  expect((await agent.get("/api/customers?take=1")).status()).toBe(200);
  const db = new Database(join(dataDir, "portal.sqlite"));
  try {
    db.prepare("update staff set disabled_at = ? where email = ?").run(new Date().toISOString(), "agent@demo.local");
    expect((await agent.get("/api/customers?take=1")).status()).toBe(401);
  } finally {
    db.prepare("update staff set disabled_at = null where email = ?").run("agent@demo.local");
    db.close();
  }
  // Enabling again does not bring the ended session back.
  expect((await agent.get("/api/customers?take=1")).status()).toBe(401);
});

test("a cross-site write is refused before it reaches a handler", async () => {
  const agent = await apiAs("agent@demo.local");
  const { body } = await sandbox("/api/v0/customers?take=1");
  const id = Array.isArray(body) && body[0] && typeof body[0] === "object" && "id" in body[0] ? String(body[0].id) : "";
  const evil = await agent.post(`/api/customers/${id}/contact`, { headers: { origin: "https://evil.example" } });
  expect(evil.status()).toBe(403);
  expect(await evil.json()).toEqual({ statusCode: 403, message: "Cross-site request refused", error: "Forbidden" });
  const sameSite = await agent.post(`/api/customers/${id}/contact`, {
    headers: { origin: e2e.portalUrl },
    data: { reason: "Customer support request", ticket: "CS-1" },
  });
  expect(sameSite.status()).toBe(200);
  const admin = await apiAs("admin@demo.local");
  expect((await admin.post("/api/exports", { data: {}, headers: { origin: "https://evil.example" } })).status()).toBe(403);
});
