import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRateBudget, type RateBudget } from "@/lib/devdraft";
import type { ExportEngine } from "./engine";
import { CAP_MESSAGE_AFTER } from "./messages";
import { addOwner, engineFor, fileText, referenceCsv, sandboxStats, startHarness, type Harness } from "@/test/support/export";

const owner = { id: "staff-1", email: "admin@demo.local" };
const start = (engine: ExportEngine, query = {}) => engine.start({ owner, query, bom: false, unmasked: true, requestId: "req-1" });
const fileOf = (engine: ExportEngine, id: string) => fileText(engine, id, owner.id);
const pagesStored = async (h: Harness, id: string) => (await h.db.selectFrom("export_pages").select("page").where("job_id", "=", id).execute()).length;

describe("an export of exactly 10,100 rows", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ customers: 10_100, rateLimit: 0, faults: { envelope: true } });
    await addOwner(h.db, owner);
  });
  afterAll(() => h.close());

  it("matches the brute-force reference row for row, and is not called capped when Devdraft's total says 10,100", async () => {
    const engine = engineFor({ url: h.url, db: h.db });
    const job = await start(engine);
    await engine.settled(job.id);
    const done = await engine.get(job.id, owner.id);
    expect(done).toMatchObject({ status: "done", rows: 10_100, pages: 101, total: 10_100, capped: false, fileReady: true });
    const csv = await fileOf(engine, job.id);
    const reference = await referenceCsv(h.url);
    expect(csv.split("\r\n")).toHaveLength(10_100 + 2);
    expect(csv).toBe(reference);
    // Independent of the column code: the ids, in the sandbox store's newest-first order.
    const ids = csv
      .split("\r\n")
      .slice(1, -1)
      .map((line) => line.slice(0, 36));
    expect(ids).toEqual(h.sandbox.store.all().map((c) => c.id));
  }, 60_000);
});

describe("the skip cap with 12,000 customers and no filter", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ customers: 12_000, rateLimit: 0 });
    await addOwner(h.db, owner);
  });
  afterAll(() => h.close());
  afterEach(() => {
    h.sandbox.faults.reset();
  });

  it("says so from the first progress answer when Devdraft sends a total, and stops at 10,100 rows with nothing extra", async () => {
    h.sandbox.faults.merge({ envelope: true });
    let firstPage: Awaited<ReturnType<ExportEngine["get"]>>;
    const engine = engineFor({ url: h.url, db: h.db, onPage: async (j) => void (j.pages === 1 && (firstPage = await engine.get(j.id, owner.id))) });
    const job = await start(engine);
    await engine.settled(job.id);
    expect(firstPage).toMatchObject({ status: "running", capped: true, total: 12_000 });
    expect(firstPage?.message).toMatch(/12,000 customers match.*first 10,100.*Narrow the filters \(for example by status\)/);
    const done = await engine.get(job.id, owner.id);
    expect(done).toMatchObject({ status: "done", rows: 10_100, pages: 101, capped: true });
    expect(done?.message).toMatch(/^10,100 rows in 101 pages\. 12,000 customers match; the file holds the first 10,100.*Narrow the filters/);
    const lines = (await fileOf(engine, job.id)).split("\r\n");
    expect(lines).toHaveLength(10_102);
    expect(lines.at(-1)).toBe("");
  }, 60_000);

  it("without a total, says at the end that it stopped at the cap, never failing at row 10,001", async () => {
    let seenCappedEarly = false;
    const engine = engineFor({ url: h.url, db: h.db, onPage: (j) => void (j.pages < 101 && j.capped && (seenCappedEarly = true)) });
    const job = await start(engine);
    await engine.settled(job.id);
    expect(seenCappedEarly).toBe(false);
    const done = await engine.get(job.id, owner.id);
    expect(done).toMatchObject({ status: "done", rows: 10_100, pages: 101, capped: true, total: null });
    expect(done?.message).toBe(`10,100 rows in 101 pages. ${CAP_MESSAGE_AFTER}`);
    expect((await fileOf(engine, job.id)).split("\r\n")).toHaveLength(10_102);
  }, 60_000);
});

describe("cancel", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ customers: 3_000, rateLimit: 0, faults: { latencyMs: 150 } });
    await addOwner(h.db, owner);
  });
  afterAll(() => h.close());

  it("stops the upstream calls at once and keeps no file", async () => {
    const engine = engineFor({ url: h.url, db: h.db });
    const job = await start(engine);
    while (((await engine.get(job.id, owner.id))?.pages ?? 0) < 3) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50)); // mid-request
    await engine.cancel(job.id, owner.id);
    const after = (await sandboxStats(h.url)).requests;
    await new Promise((r) => setTimeout(r, 600));
    expect((await sandboxStats(h.url)).requests).toBe(after);
    const cancelled = await engine.get(job.id, owner.id);
    expect(cancelled).toMatchObject({ status: "cancelled", fileReady: false });
    expect(cancelled?.message).toMatch(/^Cancelled after [\d,]+ rows/);
    expect(await engine.file(job.id, owner.id)).toBeUndefined();
    expect(await pagesStored(h, job.id)).toBe(0);
  });
});

describe("faults midway", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ customers: 1_000, rateLimit: 0 });
    await addOwner(h.db, owner);
  });
  afterAll(() => h.close());
  afterEach(() => {
    h.sandbox.faults.reset();
  });

  it("retries through a burst of 500s and completes with every row", async () => {
    const engine = engineFor({
      url: h.url,
      db: h.db,
      onPage: (j) => {
        if (j.pages === 3) {
          h.sandbox.faults.merge({ errorRate: 1 });
          setTimeout(() => h.sandbox.faults.merge({ errorRate: 0 }), 400);
        }
      },
    });
    const job = await start(engine);
    await engine.settled(job.id);
    expect(await engine.get(job.id, owner.id)).toMatchObject({ status: "done", rows: 1_000, pages: 11 });
    expect((await sandboxStats(h.url)).byStatus["500"]).toBeGreaterThan(0);
    expect(await fileOf(engine, job.id)).toBe(await referenceCsv(h.url));
  });

  it("waits for the shared budget in the export lane as the job's owner, so the fair share counts each person's exports as theirs", async () => {
    const budget = createRateBudget({ perMinute: 1_000_000, maxWaitMs: 5_000 });
    const asked: { lane?: string; who?: string }[] = [];
    const shared: RateBudget = { ...budget, acquire: (options) => (asked.push({ lane: options.lane, who: options.who }), budget.acquire(options)) };
    const engine = engineFor({ url: h.url, db: h.db, shared });
    const job = await start(engine);
    await engine.settled(job.id);
    expect(await engine.get(job.id, owner.id)).toMatchObject({ status: "done", pages: 11 });
    expect(asked).toHaveLength(11);
    expect(new Set(asked.map((a) => `${a.lane}/${a.who}`))).toEqual(new Set([`export/${owner.id}`]));
  });

  it("fails on a persistent fault saying where it stopped, and offers no partial file", async () => {
    const engine = engineFor({ url: h.url, db: h.db, pageAttempts: 3, onPage: (j) => void (j.pages === 2 && h.sandbox.faults.merge({ errorRate: 1 })) });
    const job = await start(engine);
    await engine.settled(job.id);
    const failed = await engine.get(job.id, owner.id);
    expect(failed).toMatchObject({ status: "failed", rows: 200, pages: 2, fileReady: false });
    expect(failed?.message).toBe(
      "The export stopped after 200 rows, at page 3 (rows from 201): Devdraft answered with an error. No file is offered; start it again.",
    );
    expect(await engine.file(job.id, owner.id)).toBeUndefined();
    expect(await pagesStored(h, job.id)).toBe(0);
  });
});
