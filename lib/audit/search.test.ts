import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { decodeCursor } from "./filters";
import { type AuditEvent, type AuditRecorder, createAuditRecorder } from "./recorder";
import { countsPerDay, countUpTo, eachFilteredEvent, readsRangeByTime, type AuditSearchFilter, searchEvents } from "./search";
import { sampleInput } from "@/test/support/audit-fixtures";

const agent = { id: "staff-agent", email: "agent@demo.local" };
const admin = { id: "staff-admin", email: "admin@demo.local" };

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`audit search on ${kind}`, () => {
    let store: TestStore;
    let clock: Date;
    let recorder: AuditRecorder;
    let seeded: AuditEvent[];

    beforeEach(async () => {
      store = await openTestStore(kind);
      clock = new Date("2026-03-01T10:00:00.000Z");
      recorder = createAuditRecorder(store.db, { now: () => clock });
      seeded = [];
      const at = async (iso: string, input: Parameters<AuditRecorder["record"]>[0]) => {
        clock = new Date(iso);
        seeded.push(await recorder.record(input));
      };
      await at("2026-03-01T10:00:00.000Z", sampleInput({ actor: agent, action: "customers.list", targets: ["cus_a", "cus_b"] }));
      await at("2026-03-01T11:00:00.000Z", sampleInput({ actor: agent, action: "customer.view", targets: ["cus_a"] }));
      await at("2026-03-02T09:00:00.000Z", sampleInput({ actor: admin, action: "customer.reveal", targets: ["cus_b"] }));
      await at("2026-03-02T12:00:00.000Z", sampleInput({ actor: agent, action: "customer.view", targets: [], outcome: "not_found" }));
      await at("2026-03-03T08:00:00.000Z", sampleInput({ actor: null, action: "auth.signin", targets: [], outcome: "denied" }));
    });
    afterEach(async () => {
      await store.cleanup();
    });

    const seqs = async (f: AuditSearchFilter) => (await searchEvents(store.db, { limit: 50, ...f })).events.map((e) => e.seq);

    it("returns every event newest first without filters", async () => {
      expect(await seqs({})).toEqual([5, 4, 3, 2, 1]);
    });

    it("filters by staff id and by staff email (case-insensitive)", async () => {
      expect(await seqs({ actor: agent.id })).toEqual([4, 2, 1]);
      expect(await seqs({ actor: "ADMIN@demo.local" })).toEqual([3]);
      expect(await seqs({ actor: "nobody@demo.local" })).toEqual([]);
    });

    it("filters by action", async () => {
      expect(await seqs({ action: "customer.view" })).toEqual([4, 2]);
    });

    it("filters by customer through audit_targets", async () => {
      expect(await seqs({ customer: "cus_a" })).toEqual([2, 1]);
      expect(await seqs({ customer: "cus_b" })).toEqual([3, 1]);
      expect(await seqs({ customer: "cus_b", actor: agent.email })).toEqual([1]);
    });

    it("filters by outcome", async () => {
      expect(await seqs({ outcome: "denied" })).toEqual([5]);
      expect(await seqs({ outcome: "ok" })).toEqual([3, 2, 1]);
      // Read down the outcome's index when it is a refusal, down the action's when it is ok: the same answers.
      expect(await seqs({ outcome: "denied", action: "auth.signin" })).toEqual([5]);
      expect(await seqs({ outcome: "ok", action: "customer.view" })).toEqual([2]);
      expect(await seqs({ outcome: "not_found", action: "customer.view", actor: agent.email })).toEqual([4]);
    });

    it("filters by a half-open time range [from, to)", async () => {
      expect(await seqs({ from: "2026-03-02T00:00:00.000Z" })).toEqual([5, 4, 3]);
      expect(await seqs({ to: "2026-03-01T11:00:00.000Z" })).toEqual([1]);
      expect(await seqs({ from: "2026-03-01T11:00:00.000Z", to: "2026-03-02T12:00:00.000Z" })).toEqual([3, 2]);
      expect(await seqs({ from: "2026-03-02T00:00:00.000Z", customer: "cus_b" })).toEqual([3]);
    });

    it("reads a staff member's range in the past by time, and an open or recent one down their own index", async () => {
      const a = { actor: agent.id };
      expect(await readsRangeByTime(store.db, { ...a, from: "2026-03-01T00:00:00.000Z", to: "2026-03-01T12:00:00.000Z" })).toBe(true);
      expect(await readsRangeByTime(store.db, { ...a, from: "2026-03-01T00:00:00.000Z" })).toBe(false);
      expect(await readsRangeByTime(store.db, { ...a, from: "2026-03-02T00:00:00.000Z", to: "2026-03-04T00:00:00.000Z" })).toBe(false);
      expect(await readsRangeByTime(store.db, { customer: "cus_a", to: "2026-03-01T12:00:00.000Z" })).toBe(false);
      // A range past the newest event would walk all their events to find nothing: read by time.
      expect(await readsRangeByTime(store.db, { ...a, from: "2026-03-05T00:00:00.000Z" })).toBe(true);
      expect(await seqs({ ...a, from: "2026-03-05T00:00:00.000Z" })).toEqual([]);
      // A time range alone is always read by the `at` index in time order.
      expect(await readsRangeByTime(store.db, { to: "2026-03-01T12:00:00.000Z" })).toBe(false);
      // Either path answers the same events.
      expect(await seqs({ ...a, to: "2026-03-01T12:00:00.000Z", limit: 1 })).toEqual([2]);
      expect(await seqs({ to: "2026-03-01T12:00:00.000Z", limit: 1 })).toEqual([2]);
    });

    it("pages a time range alone by (at, seq), Previous and Next keeping their edges", async () => {
      const range = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-03T00:00:00.000Z", limit: 2 };
      const first = await searchEvents(store.db, range);
      expect(first.events.map((e) => e.seq)).toEqual([4, 3]);
      const second = await searchEvents(store.db, { ...range, cursor: decodeCursor(first.nextCursor ?? "") ?? undefined });
      expect(second.events.map((e) => e.seq)).toEqual([2, 1]);
      expect(second.nextCursor).toBeNull();
      const back = await searchEvents(store.db, { ...range, cursor: decodeCursor(second.prevCursor ?? "") ?? undefined });
      expect(back.events.map((e) => e.seq)).toEqual([4, 3]);
      expect(back.prevCursor).toBeNull();
      // Past the newest event, a cursor bounds nothing on its side.
      expect((await searchEvents(store.db, { ...range, cursor: { seq: 99, dir: "older" } })).events.map((e) => e.seq)).toEqual([4, 3]);
    });

    it("pages by cursor without duplicating or skipping when events arrive between pages", async () => {
      const first = await searchEvents(store.db, { limit: 2 });
      expect(first.events.map((e) => e.seq)).toEqual([5, 4]);
      expect(first.prevCursor).toBeNull();
      await recorder.record(sampleInput({ actor: agent }));
      await recorder.record(sampleInput({ actor: agent }));
      const second = await searchEvents(store.db, { limit: 2, cursor: decodeCursor(first.nextCursor ?? "") ?? undefined });
      expect(second.events.map((e) => e.seq)).toEqual([3, 2]);
      const third = await searchEvents(store.db, { limit: 2, cursor: decodeCursor(second.nextCursor ?? "") ?? undefined });
      expect(third.events.map((e) => e.seq)).toEqual([1]);
      expect(third.nextCursor).toBeNull();

      // Previous from the second page returns exactly the first page's events (the new ones wait on top).
      const back = await searchEvents(store.db, { limit: 2, cursor: decodeCursor(second.prevCursor ?? "") ?? undefined });
      expect(back.events.map((e) => e.seq)).toEqual([5, 4]);
      const top = await searchEvents(store.db, { limit: 2, cursor: decodeCursor(back.prevCursor ?? "") ?? undefined });
      expect(top.events.map((e) => e.seq)).toEqual([7, 6]);
      expect(top.prevCursor).toBeNull();
    });

    it("pages a customer filter by cursor", async () => {
      const first = await searchEvents(store.db, { limit: 1, customer: "cus_b" });
      expect(first.events.map((e) => e.seq)).toEqual([3]);
      const second = await searchEvents(store.db, { limit: 1, customer: "cus_b", cursor: decodeCursor(first.nextCursor ?? "") ?? undefined });
      expect(second.events.map((e) => e.seq)).toEqual([1]);
      expect(second.nextCursor).toBeNull();
    });

    it("reads every filtered event in keyset batches for the export", async () => {
      const all: number[] = [];
      for await (const row of eachFilteredEvent(store.db, {}, 2)) all.push(row.seq);
      expect(all).toEqual([5, 4, 3, 2, 1]);
      const agents: number[] = [];
      for await (const row of eachFilteredEvent(store.db, { actor: agent.email }, 1)) agents.push(row.seq);
      expect(agents).toEqual([4, 2, 1]);
    });

    it("counts events per UTC day, each day capped: past the cap it says more", async () => {
      const until = new Date("2026-03-03T12:00:00.000Z");
      expect(await countsPerDay(store.db, {}, { until, days: 5 })).toEqual([
        { day: "2026-03-03", events: 1, more: false },
        { day: "2026-03-02", events: 2, more: false },
        { day: "2026-03-01", events: 2, more: false },
      ]);
      expect(await countsPerDay(store.db, { customer: "cus_b" }, { until, days: 5 })).toEqual([
        { day: "2026-03-02", events: 1, more: false },
        { day: "2026-03-01", events: 1, more: false },
      ]);
      expect(await countsPerDay(store.db, { actor: agent.email }, { until, days: 2 })).toEqual([{ day: "2026-03-02", events: 1, more: false }]);
      expect(await countsPerDay(store.db, {}, { until, days: 5, cap: 1 })).toEqual([
        { day: "2026-03-03", events: 1, more: false },
        { day: "2026-03-02", events: 1, more: true },
        { day: "2026-03-01", events: 1, more: true },
      ]);
      expect(seeded).toHaveLength(5);
    });

    it("counts matches up to a cap with a LIMIT probe and says when there are more", async () => {
      expect(await countUpTo(store.db, {})).toEqual({ count: 5, more: false });
      expect(await countUpTo(store.db, {}, 5)).toEqual({ count: 5, more: false });
      expect(await countUpTo(store.db, {}, 4)).toEqual({ count: 4, more: true });
      expect(await countUpTo(store.db, { actor: agent.id }, 2)).toEqual({ count: 2, more: true });
      expect(await countUpTo(store.db, { customer: "cus_b" }, 2)).toEqual({ count: 2, more: false });
      expect(await countUpTo(store.db, { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" }, 1)).toEqual({ count: 1, more: true });
      expect(await countUpTo(store.db, { outcome: "failed" })).toEqual({ count: 0, more: false });
      // A cursor does not change the count: it is for the filter, not the page.
      expect(await countUpTo(store.db, { cursor: { seq: 2, dir: "older" } })).toEqual({ count: 5, more: false });
    });
  });
}
