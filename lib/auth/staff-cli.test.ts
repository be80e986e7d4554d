import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/audit/verify";
import { openTestStore, STORE_KINDS, type TestStore } from "@/lib/db/test-stores";
import { findStaffByEmail } from "./staff-store";

const run = promisify(execFile);

/** The staff CLI as an operator runs it, against the test store; its exit code and output. */
async function staffCli(store: TestStore, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", PORTAL_DATA_DIR: "" };
  if (store.url) env.DATABASE_URL = store.url;
  else env.PORTAL_DATA_DIR = dirname(store.file ?? "");
  try {
    const { stdout, stderr } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/staff.ts", ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function newestEvent(store: TestStore) {
  return store.db.selectFrom("audit_events").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
}

const parsed = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`the staff CLI on ${kind}`, { timeout: 120_000 }, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(kind);
    });
    afterAll(async () => {
      await store?.cleanup();
    });

    // One account through its whole life, in order: each step's event follows its committed change.
    const steps = [
      { args: ["add", "--email", "Jo@Example.com", "--role", "agent", "--no-password"], action: "staff.add", before: null, after: { role: "agent", disabled: false } },
      { args: ["set-role", "--email", "jo@example.com", "--role", "auditor"], action: "staff.role_change", before: { role: "agent" }, after: { role: "auditor" } },
      { args: ["disable", "--email", "jo@example.com"], action: "staff.disable", before: { disabled: false }, after: { disabled: true } },
      { args: ["enable", "--email", "jo@example.com"], action: "staff.enable", before: { disabled: true }, after: { disabled: false } },
    ] as const;

    for (const step of steps) {
      it(`${step.args[0]} records ${step.action} after the change, with the state before and after`, async () => {
        const result = await staffCli(store, ...step.args);
        expect(result.code, result.stderr).toBe(0);
        const staff = await findStaffByEmail(store.db, "jo@example.com");
        const row = await store.db.selectFrom("staff").select("updated_at").where("email", "=", "jo@example.com").executeTakeFirstOrThrow();
        const event = await newestEvent(store);
        expect(event).toMatchObject({ action: step.action, outcome: "ok", actor_id: null, actor_email: null, targets: "[]", refusal: null });
        expect(parsed(event.query)).toEqual({ email: "jo@example.com" });
        expect(parsed(event.detail)).toEqual({ via: "cli", os_user: expect.any(String), before: step.before, after: step.after });
        // Recorded once the change had committed, and describing the row as it now is.
        expect(event.at >= row.updated_at).toBe(true);
        if ("role" in step.after) expect(staff?.role).toBe(step.after.role);
        if ("disabled" in step.after) expect(staff?.disabled_at !== null).toBe(step.after.disabled);
      });
    }

    it("records a change to an unknown account as not found, and changes nothing", async () => {
      const before = await newestEvent(store);
      const result = await staffCli(store, "set-role", "--email", "nobody@example.com", "--role", "admin");
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("no staff member nobody@example.com");
      const event = await newestEvent(store);
      expect(event.seq).toBe(before.seq + 1);
      expect(event).toMatchObject({ action: "staff.role_change", outcome: "not_found", refusal: "no such staff member", actor_id: null });
      expect(parsed(event.query)).toEqual({ email: "nobody@example.com" });
      expect(await findStaffByEmail(store.db, "nobody@example.com")).toBeNull();
    });

    it("leaves a chain that still verifies", async () => {
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: steps.length + 1 });
    });
  });
}
