import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { lastVerification, runVerification } from "./integrity";
import { type AuditEvent, createAuditRecorder } from "./recorder";
import { sampleInput } from "@/test/support/audit-fixtures";
import { verifyChain } from "./verify";

const run = promisify(execFile);

async function newestEvent(store: TestStore) {
  const row = await store.db.selectFrom("audit_events").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
  return { ...row, detail: row.detail === null ? null : JSON.parse(row.detail) };
}

async function cli(store: TestStore): Promise<{ code: number; stdout: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", PORTAL_DATA_DIR: "" };
  if (store.url) env.DATABASE_URL = store.url;
  else env.PORTAL_DATA_DIR = dirname(store.file ?? "");
  try {
    const { stdout } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/audit-verify.ts", "--batch-size", "3"], { env });
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`chain integrity on ${kind}`, () => {
    let store: TestStore;
    let events: AuditEvent[];
    beforeEach(async () => {
      store = await openTestStore(kind);
      const recorder = createAuditRecorder(store.db);
      events = [];
      for (let i = 0; i < 8; i++) events.push(await recorder.record(sampleInput()));
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("keeps the latest verification where every instance can read it", async () => {
      expect(await lastVerification(store.db)).toBeNull();
      const status = await runVerification(store.db, store.reopen());
      expect(status).toMatchObject({ ok: true, checked: 8, headSeq: 8, firstBad: null });
      expect(await lastVerification(store.reopen())).toEqual(status);
      await sql`update audit_events set outcome = 'denied' where seq = 5`.execute(store.db);
      const broken = await runVerification(store.db);
      expect(broken).toMatchObject({ ok: false, checked: 4, firstBad: { seq: 5, id: events[4]?.id } });
      expect(await lastVerification(store.db)).toEqual(broken);
    });

    it("audit-verify prints one line and exits 0 on a sound chain, 1 naming the first bad event", { timeout: 60_000 }, async () => {
      const ok = await cli(store);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^audit chain OK: 8 events verified from genesis through seq 8 in [\d.]+ s \(/);
      // The second line is about signed checkpoints: this store has no signing key yet.
      expect(ok.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^audit chain OK/), expect.stringMatching(/^signed checkpoints: none checked/)]);
      await sql`update audit_events set actor_email = 'x@example.com' where seq = 6`.execute(store.db);
      const bad = await cli(store);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`BROKEN at seq 6 (event ${events[5]?.id}): hash does not match`);
    });

    it("records each scheduled run and its verdict after the walk, leaving a chain that verifies", async () => {
      const status = await runVerification(store.db, store.reopen());
      expect(await newestEvent(store)).toMatchObject({
        seq: 9,
        action: "audit.verify",
        outcome: "ok",
        actor_id: null,
        refusal: null,
        detail: { checked: 8, head_seq: 8, first_bad_seq: null, reason: null, duration_ms: status.durationMs, via: "schedule" },
      });
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 9 });
      await sql`update audit_events set outcome = 'denied' where seq = 3`.execute(store.db);
      await runVerification(store.db);
      expect(await newestEvent(store)).toMatchObject({
        seq: 10,
        action: "audit.verify",
        outcome: "failed",
        refusal: "chain broken at seq 3: hash does not match the event's fields (edited)",
        detail: { checked: 2, head_seq: 9, first_bad_seq: 3, reason: "hash does not match the event's fields (edited)", via: "schedule" },
      });
    });

    it("audit-verify records its run and verdict, and the next run verifies that event too", { timeout: 60_000 }, async () => {
      expect((await cli(store)).code).toBe(0);
      expect(await newestEvent(store)).toMatchObject({
        seq: 9,
        action: "audit.verify",
        outcome: "ok",
        detail: { checked: 8, head_seq: 8, first_bad_seq: null, reason: null, duration_ms: expect.any(Number), via: "cli" },
      });
      const again = await cli(store);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^audit chain OK: 9 events verified from genesis through seq 9 in /);
      await sql`update audit_events set targets = '[]' where seq = 4`.execute(store.db);
      expect((await cli(store)).code).toBe(1);
      expect(await newestEvent(store)).toMatchObject({
        seq: 11,
        action: "audit.verify",
        outcome: "failed",
        detail: { first_bad_seq: 4, head_seq: 10, via: "cli" },
      });
    });
  });
}
