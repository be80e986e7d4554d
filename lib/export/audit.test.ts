import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditRecorder, type AuditInput, type AuditRecorder } from "@/lib/audit";
import type { TestStore } from "@/test/support/stores";
import type { ExportEngine } from "./engine";
import { addOwner, engineFor, fileText, startHarness, type Harness } from "@/test/support/export";

const owner = { id: "staff-admin", email: "admin@demo.local" };
let h: Harness;
let store: TestStore;
let recorder: AuditRecorder;

beforeAll(async () => {
  h = await startHarness({ customers: 1_234, rateLimit: 0 });
  store = h.store;
  await addOwner(h.db, owner);
  recorder = createAuditRecorder(store.db);
});
afterAll(async () => {
  await recorder.close();
  await h.close();
});

const idsInFile = async (engine: ExportEngine, id: string) =>
  (await fileText(engine, id, owner.id))
    .split("\r\n")
    .slice(1, -1)
    .map((line) => line.slice(0, 36));

describe("the customers.export audit record", () => {
  it("holds every exported id, the filters and the counts, and is written before the file is offered", async () => {
    let offeredWhileAuditing: boolean | undefined;
    let jobId = "";
    const record = async (input: AuditInput) => {
      offeredWhileAuditing ||= (await engine?.file(jobId, owner.id)) !== undefined || (await engine?.get(jobId, owner.id))?.status !== "running";
      return recorder.record(input);
    };
    const engine: ExportEngine = engineFor({ url: h.url, db: h.db, record });
    jobId = (await engine.start({ owner, query: { status: "ACTIVE" }, bom: false, unmasked: true, requestId: "req-export-1" })).id;
    await engine.settled(jobId);
    expect(offeredWhileAuditing).toBe(false);
    const done = await engine.get(jobId, owner.id);
    expect(done?.status).toBe("done");

    const events = await store.db.selectFrom("audit_events").selectAll().where("request_id", "=", "req-export-1").orderBy("seq").execute();
    const exported = await idsInFile(engine, jobId);
    expect(exported.length).toBe(done?.rows);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(JSON.parse(event?.targets ?? "[]")).toEqual(exported);
    expect(event).toMatchObject({ action: "customers.export", actor_id: owner.id, outcome: "ok" });
    expect(JSON.parse(event?.query ?? "null")).toEqual({ status: "ACTIVE" });
    expect(JSON.parse(event?.detail ?? "null")).toEqual({ rows: exported.length, pages: done?.pages, truncatedAtCap: false, format: "csv" });
    const indexed = await store.db
      .selectFrom("audit_targets")
      .select("customer_id")
      .where(
        "event_seq",
        "in",
        events.map((e) => e.seq),
      )
      .execute();
    expect(new Set(indexed.map((row) => row.customer_id))).toEqual(new Set(exported));
  });

  it("fails the job and offers no file when the audit record cannot be written", async () => {
    const engine = engineFor({ url: h.url, db: h.db, record: () => Promise.reject(new Error("store locked")) });
    const job = await engine.start({ owner, query: {}, bom: true, unmasked: true, requestId: "req-export-2" });
    await engine.settled(job.id);
    const failed = await engine.get(job.id, owner.id);
    expect(failed).toMatchObject({ status: "failed", rows: 1_234, fileReady: false });
    expect(failed?.message).toBe("All 1,234 rows were read, but the audit record could not be written, so no file is offered. Start it again.");
    expect(await engine.file(job.id, owner.id)).toBeUndefined();
    expect(await h.db.selectFrom("export_pages").select("page").where("job_id", "=", job.id).execute()).toEqual([]);
  });

  it("holds a whole capped export of 10,100 customer ids in one event, and no more", async () => {
    const ids = Array.from({ length: 10_100 }, () => crypto.randomUUID());
    const event = await recorder.record({ actor: owner, action: "customers.export", targets: ids, query: {}, requestId: "req-cap", outcome: "ok" });
    expect(JSON.parse(event.targets)).toHaveLength(10_100);
    await expect(
      recorder.record({ actor: owner, action: "customers.export", targets: [...ids, crypto.randomUUID()], query: {}, requestId: "req-too-big", outcome: "ok" }),
    ).rejects.toThrow(/invalid audit input/);
  });
});
