import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/audit/verify";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { verifyApiToken } from "./api-tokens";
import { addStaff } from "./staff-store";

const run = promisify(execFile);

/** `npm run staff -- token …` as an operator runs it, against the test store. */
async function staffCli(store: TestStore, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", PORTAL_DATA_DIR: "" };
  if (store.url) env.DATABASE_URL = store.url;
  else env.PORTAL_DATA_DIR = dirname(store.file ?? "");
  try {
    const { stdout, stderr } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/staff.ts", ...args], {
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const newestEvent = (store: TestStore) => store.db.selectFrom("audit_events").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
const parsed = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const tokenCount = async (store: TestStore) => (await store.db.selectFrom("api_tokens").select("id").execute()).length;

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`npm run staff -- token on ${kind}`, { timeout: 120_000 }, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(kind);
      await addStaff(store.db, { email: "scripts@example.com", role: "agent" });
      await addStaff(store.db, { email: "reader@example.com", role: "auditor" });
    });
    afterAll(async () => {
      await store?.cleanup();
    });

    let key = "";
    it("create prints exactly the two env lines, and the pair works; the event names the token, never the secret", async () => {
      const result = await staffCli(store, "token", "create", "--email", "Scripts@Example.com", "--days", "7");
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(2);
      const [keyLine, secretLine] = lines;
      expect(keyLine).toMatch(/^DEVDRAFT_CLIENT_KEY=ddpt_[A-Za-z0-9_-]{22}$/);
      expect(secretLine).toMatch(/^DEVDRAFT_CLIENT_SECRET=[A-Za-z0-9_-]{43}$/);
      key = keyLine?.split("=")[1] ?? "";
      const secret = secretLine?.split("=")[1] ?? "";
      expect(result.stderr).toContain("cannot be shown again");
      const check = await verifyApiToken(store.db, key, secret);
      expect(check).toMatchObject({ ok: true, owner: { email: "scripts@example.com" } });
      const row = await store.db.selectFrom("api_tokens").selectAll().where("id", "=", key).executeTakeFirstOrThrow();
      expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(7 * 86_400_000);
      const event = await newestEvent(store);
      expect(event).toMatchObject({ action: "token.create", outcome: "ok", actor_id: null, refusal: null });
      expect(parsed(event.query)).toEqual({ email: "scripts@example.com" });
      expect(parsed(event.detail)).toEqual({ via: "cli", os_user: expect.any(String), token: key, label: "API token", expires_at: row.expires_at });
      expect(JSON.stringify(event)).not.toContain(secret);
    });

    for (const [args, refusal, outcome] of [
      [["--email", "scripts@example.com", "--days", "0"], "days must be a whole number from 1 to 365", "invalid"],
      [["--email", "scripts@example.com", "--days", "400"], "days must be a whole number from 1 to 365", "invalid"],
      [["--email", "scripts@example.com", "--days", "ten"], "days must be a whole number from 1 to 365", "invalid"],
      [["--email", "reader@example.com"], "the role auditor may not read customers", "invalid"],
      [["--email", "nobody@example.com"], "no such staff member", "not_found"],
    ] as const) {
      it(`create ${args.join(" ")} is refused, recorded, and writes no token`, async () => {
        const before = await tokenCount(store);
        const result = await staffCli(store, "token", "create", ...args);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(outcome === "not_found" ? "no staff member" : refusal);
        expect(await tokenCount(store)).toBe(before);
        expect(await newestEvent(store)).toMatchObject({ action: "token.create", outcome, refusal });
      });
    }

    it("revoke stops the token and is recorded; an unknown id is refused", async () => {
      const result = await staffCli(store, "token", "revoke", "--id", key);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`${key} revoked`);
      expect(await newestEvent(store)).toMatchObject({ action: "token.revoke", outcome: "ok" });
      expect(parsed((await newestEvent(store)).detail)).toMatchObject({ owner: "scripts@example.com", already_revoked: false });
      const list = await staffCli(store, "token", "list", "--email", "scripts@example.com");
      expect(list.stdout).toMatch(new RegExp(`^${key}\\trevoked `, "m"));
      const unknown = await staffCli(store, "token", "revoke", "--id", "secret-pasted-by-mistake");
      expect(unknown.code).toBe(2);
      const event = await newestEvent(store);
      expect(event).toMatchObject({ action: "token.revoke", outcome: "not_found" });
      expect(event.query).not.toContain("secret-pasted-by-mistake");
    });

    it("leaves a chain that still verifies", async () => {
      expect(await verifyChain(store.db)).toMatchObject({ ok: true });
    });
  });
}
