import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { request, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { z } from "zod";
import { e2e } from "../../playwright.config";

export const SANDBOX_HEADERS = { "x-client-key": "sandbox-client-key", "x-client-secret": "sandbox-client-secret" };

/** A signed-in API client for one staff member, through next-auth's real credentials flow. */
export function apiAs(email: string | null, password = "demo"): Promise<APIRequestContext> {
  return apiAt(e2e.portalUrl, email, password);
}

/** As apiAs, against the portal at `baseURL` (another instance than the suite's own), sending `headers` on every request. */
export async function apiAt(baseURL: string, email: string | null, password = "demo", headers?: Record<string, string>): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: headers });
  if (!email) return ctx;
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" } });
  if (res.status() >= 400) throw new Error(`sign-in of ${email} answered ${res.status()}`);
  return ctx;
}

export async function sandbox(path: string, init?: { method?: string; data?: unknown }) {
  const ctx = await request.newContext({ baseURL: e2e.sandboxUrl });
  const res = await ctx.fetch(path, { method: init?.method ?? "GET", data: init?.data, headers: SANDBOX_HEADERS });
  const body: unknown = await res.json().catch(() => null);
  await ctx.dispose();
  return { status: res.status(), body };
}

export const setFaults = (faults: Record<string, unknown>) => sandbox("/__sandbox/faults", { method: "PUT", data: faults });
export const resetSandbox = () => sandbox("/__sandbox/reset", { method: "POST" });

const auditRow = z.object({
  action: z.string(),
  outcome: z.string(),
  actor_email: z.string().nullable(),
  targets: z.string().transform((t) => z.array(z.string()).parse(JSON.parse(t))),
  query: z.string().transform((q): unknown => JSON.parse(q)),
  request_id: z.string(),
  purpose: z.string().nullable(),
  refusal: z.string().nullable(),
  detail: z
    .string()
    .nullable()
    .transform((d): Record<string, unknown> | null => (d === null ? null : (JSON.parse(d) as Record<string, unknown>))),
});
export type AuditRow = z.infer<typeof auditRow>;

/** Reads the portal's audit log straight from its store, as an auditor's tool would. */
export function auditByRequestId(requestId: string): AuditRow[] {
  const db = new Database(join(e2e.dataDir ?? "", "portal.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("select action, outcome, actor_email, targets, query, request_id, purpose, refusal, detail from audit_events where request_id = ?")
      .all(requestId)
      .map((r) => auditRow.parse(r));
  } finally {
    db.close();
  }
}

/** Every event of these actions, in chain order, read straight from the portal's store. */
export function auditByActions(actions: string[]): AuditRow[] {
  const db = new Database(join(e2e.dataDir ?? "", "portal.sqlite"), { readonly: true, fileMustExist: true });
  try {
    const sql = `select action, outcome, actor_email, targets, query, request_id, purpose, refusal, detail from audit_events where action in (${actions.map(() => "?").join(", ")}) order by seq`;
    return db
      .prepare(sql)
      .all(...actions)
      .map((r) => auditRow.parse(r));
  } finally {
    db.close();
  }
}

/** Holds the store's write lock, as a stuck disk or a long migration would, while `work` runs. */
export async function withStoreLocked<T>(work: () => Promise<T>): Promise<T> {
  const db = new Database(join(e2e.dataDir ?? "", "portal.sqlite"), { fileMustExist: true });
  db.exec("BEGIN EXCLUSIVE");
  try {
    return await work();
  } finally {
    db.exec("ROLLBACK");
    db.close();
  }
}

/** Runs the staff CLI against the running portal's store, as an admin would. */
export function staffCli(...args: string[]): string {
  return staffCliPiped("", ...args);
}

/** The staff CLI with `input` piped to its standard input (the password for add and reset-password). */
export function staffCliPiped(input: string, ...args: string[]): string {
  const run = spawnSync("npm", ["run", "--silent", "staff", "--", ...args], {
    env: { ...process.env, PORTAL_DATA_DIR: e2e.dataDir },
    encoding: "utf8",
    input,
  });
  if (run.status !== 0) throw new Error(`staff ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout;
}

/** Moves a grant's expiry into the past straight in the store, as if its hours had run out. */
export function expireGrantInStore(grantId: string): void {
  const db = new Database(join(e2e.dataDir ?? "", "portal.sqlite"), { fileMustExist: true });
  try {
    db.prepare("update access_grants set created_at = ?, expires_at = ? where id = ?").run("2020-01-01T00:00:00.000Z", "2020-01-01T01:00:00.000Z", grantId);
  } finally {
    db.close();
  }
}
