import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAuditRecorder, type AuditRecorder } from "@/lib/audit";
import { STORE_KINDS } from "@/test/support/stores";
import { GoneError } from "@/lib/errors";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ExportKeyError, portalExportKey } from "./crypto";
import { ExportBusyError, removeExportFiles, type ExportEngine } from "./engine";
import { addOwner, engineFor, fileText, filesIn, referenceCsv, sandboxStats, startHarness, type Harness } from "@/test/support/export";

// Export jobs in the store, on each store: engines here are portal instances sharing one store (and one sandbox).

const owner = { id: "staff-jobs", email: "admin@jobs.test" };
const CUSTOMERS = 1_000;
const PAGES = 11;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await wait(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`export jobs in the ${kind} store`, () => {
    let h: Harness;
    let recorder: AuditRecorder;
    const engines: ExportEngine[] = [];
    const instance = (extra: Partial<Parameters<typeof engineFor>[0]> = {}) => {
      const engine = engineFor({ url: h.url, db: h.db, record: (input) => recorder.record(input), leaseMs: 600, ...extra });
      engines.push(engine);
      return engine;
    };
    const start = (engine: ExportEngine, requestId: string) => engine.start({ owner, query: {}, bom: false, unmasked: true, requestId });
    let expected = "";
    // Every row of the sandbox, newest first, as Devdraft pages them.
    const reference = () => expected;
    const exportEvents = async (requestId: string) =>
      (await h.db.selectFrom("audit_events").selectAll().where("request_id", "=", requestId).where("action", "=", "customers.export").execute()).map(
        (e) => JSON.parse(e.targets) as string[],
      );
    const storedPages = async (id: string) =>
      (await h.db.selectFrom("export_pages").select("page").where("job_id", "=", id).orderBy("page").execute()).map((p) => p.page);

    beforeAll(async () => {
      h = await startHarness({ customers: CUSTOMERS, rateLimit: 0 }, kind);
      await addOwner(h.db, owner);
      recorder = createAuditRecorder(h.db);
      expected = await referenceCsv(h.url);
      expect(expected.split("\r\n")).toHaveLength(CUSTOMERS + 2);
    });
    afterEach(async () => {
      h.sandbox.faults.reset();
      await Promise.all(engines.splice(0).map((e) => e.shutdown()));
      // A job left live by a test must not make the next one busy.
      await h.db.updateTable("export_jobs").set({ state: "cancelled" }).where("state", "in", ["queued", "running"]).execute();
    });
    afterAll(async () => {
      await recorder.close();
      await h.close();
    });

    it("is reported, served and deleted by an instance that did not run it", async () => {
      const a = instance();
      const b = instance();
      const job = await start(a, "req-jobs-1");
      expect((await b.get(job.id, owner.id))?.status).toBe("running");
      await a.settled(job.id);
      expect(await b.get(job.id, owner.id)).toMatchObject({ status: "done", rows: CUSTOMERS, pages: PAGES, fileReady: true });
      expect(await b.list(owner.id)).toEqual([expect.objectContaining({ id: job.id, status: "done" })]);
      // Past EXPORT_TTL a job leaves the list (its status still answers by id).
      expect(await instance({ now: () => Date.now() + 61 * 60_000 }).list(owner.id)).toEqual([]);
      const file = await b.file(job.id, owner.id);
      if (!file) throw new Error("B offers no file");
      const parts: Buffer[] = [];
      for await (const chunk of file.chunks()) parts.push(Buffer.from(chunk));
      expect(Buffer.concat(parts).toString("utf8")).toBe(reference());
      await file.release();
      expect(await storedPages(job.id)).toEqual([]);
      expect(await a.get(job.id, owner.id)).toMatchObject({ status: "done", fileReady: false });
      await expect(a.file(job.id, owner.id)).rejects.toBeInstanceOf(GoneError);
      // Someone else's job is no job at all.
      expect(await b.get(job.id, "someone-else")).toBeUndefined();
      expect(await b.file(job.id, "someone-else")).toBeUndefined();
    });

    it("allows one live export per person across instances", async () => {
      h.sandbox.faults.merge({ latencyMs: 100 });
      const a = instance();
      const b = instance();
      const job = await start(a, "req-jobs-busy");
      await expect(start(b, "req-jobs-busy-2")).rejects.toBeInstanceOf(ExportBusyError);
      // Cancelled on B while A runs it: A stops at its next heartbeat or page, and no page is kept.
      await until("a page", async () => ((await b.get(job.id, owner.id))?.pages ?? 0) >= 1);
      const cancelled = await b.cancel(job.id, owner.id);
      expect(cancelled).toMatchObject({ status: "cancelled", fileReady: false });
      await a.settled(job.id);
      const after = (await sandboxStats(h.url)).requests;
      await wait(500);
      expect((await sandboxStats(h.url)).requests).toBe(after);
      expect(await storedPages(job.id)).toEqual([]);
      expect(await a.get(job.id, owner.id)).toMatchObject({ status: "cancelled" });
    });

    it("is taken over when its runner's lease runs out, and finishes with every row exactly once", async () => {
      h.sandbox.faults.merge({ latencyMs: 80 });
      const a = instance({ leaseMs: 5_000 });
      const job = await start(a, "req-jobs-takeover");
      await until("three pages on A", async () => ((await a.get(job.id, owner.id))?.pages ?? 0) >= 3);
      // B's clock is a minute ahead: to B, A's lease has run out (as if A had hung) while A is still running.
      const b = instance({ leaseMs: 5_000, now: () => Date.now() + 60_000 });
      const before = (await storedPages(job.id)).length;
      expect(await b.resumeOrphans()).toEqual([job.id]);
      // A notices at its next page or heartbeat and stops without writing; B goes on from A's last page.
      await a.settled(job.id);
      await b.settled(job.id);
      const done = await b.get(job.id, owner.id);
      expect(done).toMatchObject({ status: "done", rows: CUSTOMERS, pages: PAGES });
      expect(before).toBeGreaterThanOrEqual(3);
      expect(await storedPages(job.id)).toEqual(Array.from({ length: PAGES }, (_, i) => i));
      const csv = await fileText(a, job.id, owner.id);
      expect(csv).toBe(reference());
      const ids = csv
        .split("\r\n")
        .slice(1, -1)
        .map((line) => line.slice(0, 36));
      expect(new Set(ids).size).toBe(CUSTOMERS);
      // One event, naming exactly the customers in the file.
      expect(await exportEvents("req-jobs-takeover")).toEqual([ids]);
    });

    it("resumes after its instance stops, from the last committed page, not from the start", async () => {
      h.sandbox.faults.merge({ latencyMs: 80 });
      const a = instance();
      const requestsBefore = (await sandboxStats(h.url)).requests;
      const job = await start(a, "req-jobs-resume");
      await until("four pages on A", async () => ((await a.get(job.id, owner.id))?.pages ?? 0) >= 4);
      await a.shutdown();
      const stoppedAt = (await h.db.selectFrom("export_jobs").select("pages_done").where("id", "=", job.id).executeTakeFirstOrThrow()).pages_done;
      expect(stoppedAt).toBeGreaterThanOrEqual(4);
      expect(stoppedAt).toBeLessThan(PAGES);
      const b = instance();
      expect(await b.resumeOrphans()).toEqual([job.id]);
      await b.settled(job.id);
      expect(await b.get(job.id, owner.id)).toMatchObject({ status: "done", rows: CUSTOMERS, pages: PAGES });
      expect(await fileText(b, job.id, owner.id)).toBe(reference());
      // Every page read once, plus at most the one A was reading when it stopped.
      const requests = (await sandboxStats(h.url)).requests - requestsBefore;
      expect(requests).toBeGreaterThanOrEqual(PAGES);
      expect(requests).toBeLessThanOrEqual(PAGES + 1);
      expect((await exportEvents("req-jobs-resume")).map((ids) => ids.length)).toEqual([CUSTOMERS]);
    });

    it("keeps no plaintext row in the store, and a wrong or altered key serves nothing", async () => {
      const a = instance();
      const job = await start(a, "req-jobs-crypto");
      await a.settled(job.id);
      const csv = await fileText(a, job.id, owner.id);
      const rows = csv.split("\r\n").slice(1, -1);
      const sample = h.sandbox.store.all().slice(0, 50);
      const stored = await h.db.selectFrom("export_pages").select(["data", "page"]).where("job_id", "=", job.id).execute();
      const jobRow = await h.db.selectFrom("export_jobs").selectAll().where("id", "=", job.id).executeTakeFirstOrThrow();
      const everything = JSON.stringify(stored) + JSON.stringify(jobRow);
      const decoded = stored.map((p) => Buffer.from(p.data, "base64").toString("latin1")).join("");
      for (const c of sample) {
        for (const text of [c.email, `${c.first_name} ${c.last_name}`, rows.find((r) => r.startsWith(c.id)) ?? "missing"]) {
          if (!text) continue;
          expect(everything).not.toContain(text);
          expect(decoded).not.toContain(text);
        }
      }
      // Another portal key cannot read it; neither can the right key on an altered page.
      const other = instance({ key: portalExportKey("another-export-key-0123456789abcdef0123") });
      await expect(other.file(job.id, owner.id)).rejects.toBeInstanceOf(ExportKeyError);
      const forged = portalExportKey("another-export-key-0123456789abcdef0123");
      const sameId = instance({ key: { key: forged.key, id: jobRow.key_id } });
      await expect(sameId.file(job.id, owner.id)).rejects.toThrow(/does not authenticate/);
      const first = stored.find((p) => p.page === 0);
      const bytes = Buffer.from(first?.data ?? "", "base64");
      bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 1;
      await h.db
        .updateTable("export_pages")
        .set({ data: bytes.toString("base64") })
        .where("job_id", "=", job.id)
        .where("page", "=", 0)
        .execute();
      await expect(fileText(a, job.id, owner.id)).rejects.toThrow(/does not authenticate/);
    });

    it("deletes a finished file after EXPORT_TTL: recorded, 410 after", async () => {
      const a = instance({ fileTtlMs: 60 * 60_000 });
      const job = await start(a, "req-jobs-ttl");
      await a.settled(job.id);
      expect(await a.sweep()).toEqual([]);
      expect(await storedPages(job.id)).toHaveLength(PAGES);
      // An hour and a bit later, seen from another instance.
      const later = instance({ fileTtlMs: 60 * 60_000, now: () => Date.now() + 61 * 60_000 });
      expect((await later.get(job.id, owner.id))?.status).toBe("expired");
      // Newest last, as the page reads it; this one is the newest of the store's jobs.
      expect((await a.list(owner.id)).at(-1)?.id).toBe(job.id);
      await expect(later.file(job.id, owner.id)).rejects.toThrow(/expired: files are kept for 1 hour/);
      expect(await later.sweep()).toContain(job.id);
      expect(await storedPages(job.id)).toEqual([]);
      expect(await a.get(job.id, owner.id)).toMatchObject({ status: "expired", fileReady: false });
      await expect(a.file(job.id, owner.id)).rejects.toBeInstanceOf(GoneError);
      const expiries = await h.db.selectFrom("audit_events").selectAll().where("action", "=", "export.expire").execute();
      const mine = expiries.filter((e) => (JSON.parse(e.detail ?? "{}") as { exportId?: string }).exportId === job.id);
      expect(mine.map((e) => [e.actor_id, e.outcome, e.targets])).toEqual([[null, "ok", "[]"]]);
      // A downloaded file left nothing to expire: no event for it.
      const downloaded = await h.db.selectFrom("export_jobs").select("id").where("downloaded_at", "is not", null).execute();
      for (const { id } of downloaded) expect(expiries.some((e) => e.detail?.includes(id))).toBe(false);
      // A second sweep finds nothing more to do.
      expect(await later.sweep()).toEqual([]);
    });

    it("removes export files an earlier version left on disk", async () => {
      const dir = join(h.dir, "exports");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "old.csv"), "Id,Name,Email\n1,Ann,ann@example.com\n");
      writeFileSync(join(dir, "old.csv.part"), "Id");
      expect((await removeExportFiles(dir)).sort()).toEqual(["old.csv", "old.csv.part"]);
      expect(filesIn(dir)).toEqual([]);
      expect(await removeExportFiles(join(h.dir, "absent"))).toEqual([]);
    });
  });
}
