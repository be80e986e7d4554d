import { spawn } from "node:child_process";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/audit/verify";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { verifyPassword } from "./password";
import { findStaffByEmail } from "./staff-store";

/** The staff CLI as an operator runs it, against the test store, with `stdin` piped in; its exit code and output. */
function staffCli(store: TestStore, args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", PORTAL_DATA_DIR: "" };
  if (store.url) env.DATABASE_URL = store.url;
  else env.PORTAL_DATA_DIR = dirname(store.file ?? "");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/staff.ts", ...args], { env, timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const GOOD = "mauve-otter-lantern-42";

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
      {
        args: ["add", "--email", "Jo@Example.com", "--role", "agent", "--no-password"],
        action: "staff.add",
        before: null,
        after: { role: "agent", disabled: false, password: false },
      },
      {
        args: ["reset-password", "--email", "jo@example.com"],
        stdin: `${GOOD}\n`,
        action: "staff.reset_password",
        before: { password: false },
        after: { password: true },
      },
      {
        args: ["set-role", "--email", "jo@example.com", "--role", "auditor"],
        action: "staff.role_change",
        before: { role: "agent" },
        after: { role: "auditor" },
      },
      { args: ["disable", "--email", "jo@example.com"], action: "staff.disable", before: { disabled: false }, after: { disabled: true } },
      { args: ["enable", "--email", "jo@example.com"], action: "staff.enable", before: { disabled: true }, after: { disabled: false } },
    ] as const;

    for (const step of steps) {
      it(`${step.args[0]} records ${step.action} after the change, with the state before and after`, async () => {
        const result = await staffCli(store, [...step.args], "stdin" in step ? step.stdin : "");
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

    it("set the password it read from standard input, hashed", async () => {
      expect(await verifyPassword(GOOD, (await findStaffByEmail(store.db, "jo@example.com"))?.password_hash ?? "")).toBe(true);
    });

    it("adds with a piped password, taking only its first line", async () => {
      const result = await staffCli(store, ["add", "--email", "kim@example.com", "--role", "auditor"], "quiet-harbour-violin-77\r\nignored\n");
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain("quiet-harbour");
      expect(await verifyPassword("quiet-harbour-violin-77", (await findStaffByEmail(store.db, "kim@example.com"))?.password_hash ?? "")).toBe(true);
      const event = await newestEvent(store);
      expect(event).toMatchObject({ action: "staff.add", outcome: "ok" });
      expect(parsed(event.detail)).toMatchObject({ after: { role: "auditor", disabled: false, password: true } });
      expect(`${event.query}${event.detail}`).not.toContain("quiet-harbour");
    });

    it("refuses --password on the command line with the reason, recording and changing nothing", async () => {
      const before = await newestEvent(store);
      for (const args of [
        ["add", "--email", "lee@example.com", "--role", "agent", "--password", GOOD],
        ["reset-password", "--email", "jo@example.com", `--password=${GOOD}`],
      ]) {
        const result = await staffCli(store, args);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("--password is not accepted");
        expect(result.stderr).toContain("process list");
      }
      expect(await findStaffByEmail(store.db, "lee@example.com")).toBeNull();
      expect((await newestEvent(store)).seq).toBe(before.seq);
    });

    it("refuses an empty standard input without recording, and a short or breached password with a record", async () => {
      const before = await newestEvent(store);
      const empty = await staffCli(store, ["reset-password", "--email", "jo@example.com"], "");
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain("no password on standard input");
      expect((await newestEvent(store)).seq).toBe(before.seq);

      for (const [password, reason, message] of [
        ["short-pw", "too short", "at least 12 characters"],
        ["password1234", "breached", "breached passwords"],
      ] as const) {
        const result = await staffCli(store, ["reset-password", "--email", "jo@example.com"], `${password}\n`);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(message);
        const event = await newestEvent(store);
        expect(event).toMatchObject({ action: "staff.reset_password", outcome: "invalid", refusal: `password refused: ${reason}`, actor_id: null });
        expect(`${event.query}${event.detail}`).not.toContain(password);
      }
      expect(await verifyPassword(GOOD, (await findStaffByEmail(store.db, "jo@example.com"))?.password_hash ?? "")).toBe(true);
    });

    it("refuses to disable the last enabled admin, with a record", async () => {
      expect((await staffCli(store, ["add", "--email", "boss@example.com", "--role", "admin", "--no-password"])).code).toBe(0);
      const result = await staffCli(store, ["disable", "--email", "boss@example.com"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("disable boss@example.com: The last enabled admin cannot be disabled.");
      expect(await newestEvent(store)).toMatchObject({ action: "staff.disable", outcome: "denied", refusal: "the last enabled admin cannot be disabled" });
      expect((await findStaffByEmail(store.db, "boss@example.com"))?.disabled_at).toBeNull();
    });

    it("records a change to an unknown account as not found, and changes nothing", async () => {
      const before = await newestEvent(store);
      const result = await staffCli(store, ["set-role", "--email", "nobody@example.com", "--role", "admin"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("no staff member nobody@example.com");
      const event = await newestEvent(store);
      expect(event.seq).toBe(before.seq + 1);
      expect(event).toMatchObject({ action: "staff.role_change", outcome: "not_found", refusal: "no such staff member", actor_id: null });
      expect(parsed(event.query)).toEqual({ email: "nobody@example.com" });
      expect(await findStaffByEmail(store.db, "nobody@example.com")).toBeNull();
    });

    it("leaves a chain that still verifies", async () => {
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 11 });
    });
  });
}
