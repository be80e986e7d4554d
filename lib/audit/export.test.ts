import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { exportStream } from "./export";
import { verifyChain } from "./verify";
import { createAuditRecorder } from "./recorder";
import { hashEvent } from "./hash";
import { sampleInput } from "@/test/support/audit-fixtures";

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`audit export on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
      const recorder = createAuditRecorder(store.db);
      await recorder.record(sampleInput({ requestId: "=cmd|' /C calc'!A0", targets: ["cus_1", "cus_2"] }));
      await recorder.record(sampleInput({ action: "customers.list", query: { name: 'O\'Brien, "Jo"' }, targets: [] }));
      for (let i = 0; i < 5; i++) await recorder.record(sampleInput({ actor: { id: "staff-2", email: "other@example.com" } }));
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("streams CSV with a header, CRLF records, RFC 4180 quoting and neutralised formula cells", async () => {
      const csv = await text(exportStream(store.db, {}, "csv", 2));
      const records = csv.split("\r\n");
      expect(records[0]).toBe(
        "seq,id,at,actor_id,actor_email,action,targets,query,request_id,outcome,detail,session_id,client_address,user_agent,refusal,purpose,prev_hash,hash",
      );
      expect(records.at(-1)).toBe("");
      expect(records).toHaveLength(1 + 7 + 1);
      expect(records[1]?.startsWith("7,")).toBe(true);
      expect(records[6]).toContain(`"{""name"":""O'Brien, \\""Jo\\""""}"`);
      expect(records[7]).toContain(`'=cmd|' /C calc'!A0`);
      expect(records[7]).toContain(`"[""cus_1"",""cus_2""]"`);
    });

    it("streams only the filtered events", async () => {
      const csv = await text(exportStream(store.db, { actor: "other@example.com" }, "csv", 2));
      expect(csv.split("\r\n").filter(Boolean)).toHaveLength(1 + 5);
    });

    it("streams JSONL whose lines re-hash to the stored chain", async () => {
      const lines = (await text(exportStream(store.db, {}, "jsonl", 3))).trimEnd().split("\n");
      expect(lines).toHaveLength(7);
      const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.map((e) => e.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
      const first = events[6];
      expect(first).toMatchObject({ targets: ["cus_1", "cus_2"], request_id: "=cmd|' /C calc'!A0", detail: null });
      const stored = await store.db.selectFrom("audit_events").selectAll().where("seq", "=", 1).executeTakeFirstOrThrow();
      expect(hashEvent(stored.prev_hash, { ...stored, targets: JSON.stringify(first?.targets), query: JSON.stringify(first?.query) })).toBe(first?.hash);
      expect((await verifyChain(store.db)).ok).toBe(true);
    });
  });
}
