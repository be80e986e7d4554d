import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, request, test } from "@playwright/test";
import Database from "better-sqlite3";
import { encodeSessionToken } from "../lib/auth/jwt";
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

test("a session token made with the portal's secret works (the control for the refusals below)", async () => {
  const token = await encodeSessionToken({ token: { staffId: agentId(), role: "agent" }, secret: portalSecret() });
  expect(await statusWithSession(token)).toBe(200);
});

test("a forged, an expired and another portal's session are all refused with 401", async () => {
  const claims = { staffId: agentId(), role: "admin" as const };
  expect(await statusWithSession("not-a-token")).toBe(401);
  expect(await statusWithSession(await encodeSessionToken({ token: claims, secret: portalSecret(), maxAge: -120 }))).toBe(401);
  expect(await statusWithSession(await encodeSessionToken({ token: claims, secret: "another-portal-secret-0123456789" }))).toBe(401);
});

test("a session naming a staff member who does not exist is refused", async () => {
  const token = await encodeSessionToken({ token: { staffId: crypto.randomUUID(), role: "admin" }, secret: portalSecret() });
  expect(await statusWithSession(token)).toBe(401);
});

test("the role comes from the store, not the token: an agent's token claiming admin cannot export", async () => {
  const token = await encodeSessionToken({ token: { staffId: agentId(), role: "admin" }, secret: portalSecret() });
  const ctx = await request.newContext({ baseURL: e2e.portalUrl, extraHTTPHeaders: { cookie: `next-auth.session-token=${token}` } });
  expect((await ctx.post("/api/exports", { data: {} })).status()).toBe(403);
  await ctx.dispose();
});

test("a cross-site write is refused before it reaches a handler", async () => {
  const agent = await apiAs("agent@demo.local");
  const { body } = await sandbox("/api/v0/customers?take=1");
  const id = Array.isArray(body) && body[0] && typeof body[0] === "object" && "id" in body[0] ? String(body[0].id) : "";
  const evil = await agent.post(`/api/customers/${id}/contact`, { headers: { origin: "https://evil.example" } });
  expect(evil.status()).toBe(403);
  expect(await evil.json()).toEqual({ statusCode: 403, message: "Cross-site request refused", error: "Forbidden" });
  const sameSite = await agent.post(`/api/customers/${id}/contact`, { headers: { origin: e2e.portalUrl }, data: { reason: "Customer support request", ticket: "CS-1" } });
  expect(sameSite.status()).toBe(200);
  const admin = await apiAs("admin@demo.local");
  expect((await admin.post("/api/exports", { data: {}, headers: { origin: "https://evil.example" } })).status()).toBe(403);
});
