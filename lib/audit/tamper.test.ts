// What an administrator with write access to the database can do to the audit log, and how verification against
// the signed checkpoints (kept outside the database) catches each. Runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { readCheckpoints, readTreeHead, writeCheckpoint } from "./checkpoints";
import { GENESIS_HASH, hashEvent } from "./hash";
import { EMPTY_FRONTIER, frontierPush, frontierToJson, leafHash } from "@/lib/merkle/tree";
import { type AuditEvent, type AuditRecorder, createAuditRecorder } from "./recorder";
import { applyRetention } from "./retention";
import { keyId, type NoteSigner, signNote, checkpointBody } from "./signed-note";
import { sampleInput } from "@/test/support/audit-fixtures";
import { verifyChain } from "./verify";

const ORIGIN = "test.devdraft/audit";

function newSigner(name = ORIGIN): NoteSigner {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { name, privateKey, publicKey, keyId: keyId(name, publicKey) };
}

/** The full attacker: rewrites the events as `mutate` leaves them, renumbers, re-hashes the chain and rebuilds the tree state. */
async function rewrite(store: TestStore, mutate: (rows: AuditEvent[]) => AuditEvent[]): Promise<void> {
  const rows = mutate(await store.db.selectFrom("audit_events").selectAll().orderBy("seq").execute());
  const frontier = { ...EMPTY_FRONTIER, hashes: [] as Buffer[] };
  let prev = GENESIS_HASH;
  const rewritten = rows.map((row, i) => {
    const hash = hashEvent(prev, row);
    const out = { ...row, seq: i + 1, prev_hash: prev, hash };
    frontierPush(frontier, leafHash(Buffer.from(hash, "hex")));
    prev = hash;
    return out;
  });
  await store.db.deleteFrom("audit_targets").execute();
  await store.db.deleteFrom("audit_events").execute();
  for (const row of rewritten) {
    await store.db.insertInto("audit_events").values(row).execute();
    const targets = [...new Set(JSON.parse(row.targets) as string[])];
    for (const customer_id of targets)
      await store.db
        .insertInto("audit_targets")
        .values({ event_seq: row.seq, customer_id, ...(store.kind === "postgres" ? { event_at: row.at } : {}) })
        .execute();
  }
  await store.db
    .updateTable("audit_chain_head")
    .set({ seq: rewritten.length, hash: prev, merkle_frontier: frontierToJson(frontier) })
    .where("id", "=", 1)
    .execute();
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`tamper evidence on ${kind}`, () => {
    let store: TestStore;
    let recorder: AuditRecorder;
    let signer: NoteSigner;
    let dir: string;
    let events: AuditEvent[];
    /** Checkpoint file names by tree size. */
    let files: Map<number, string>;

    const checkpoint = async (): Promise<string> => {
      const { size, root } = await readTreeHead(store.db);
      const path = writeCheckpoint(dir, { origin: ORIGIN, size, root }, signer);
      const file = path.slice(dir.length + 1);
      files.set(size, file);
      return file;
    };
    const verify = () => verifyChain(store.db, { batchSize: 4, checkpoints: () => readCheckpoints(dir, signer) });
    const record = async (n: number) => {
      for (let i = 0; i < n; i++) events.push(await recorder.record(sampleInput({ targets: [`cus_${events.length + 1}`] })));
    };

    beforeEach(async () => {
      store = await openTestStore(kind);
      recorder = createAuditRecorder(store.db);
      signer = newSigner();
      dir = mkdtempSync(join(tmpdir(), "audit-checkpoints-"));
      events = [];
      files = new Map();
      // Checkpoints at sizes 2, 5 and 12: a re-hashed change is pinned down to the events between two of them.
      await record(2);
      await checkpoint();
      await record(3);
      await checkpoint();
      await record(7);
      await checkpoint();
    });
    afterEach(async () => {
      await recorder.close();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it("an honest store verifies clean against its checkpoints", async () => {
      expect(await verify()).toMatchObject({ ok: true, checked: 12, checkpoints: { files: 3, compared: 3, latest: { size: 12, file: files.get(12) } } });
    });

    it("an edited event", async () => {
      await sql`update audit_events set actor_email = 'someone-else@example.com' where seq = 4`.execute(store.db);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 4, id: events[3]?.id, reason: expect.stringMatching(/edited/), checkpoint: files.get(5) },
      });
    });

    it("a deleted event", async () => {
      await sql`delete from audit_targets where event_seq = 7`.execute(store.db);
      await sql`delete from audit_events where seq = 7`.execute(store.db);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 8, id: events[7]?.id, reason: expect.stringMatching(/deleted or reordered/), checkpoint: files.get(12) },
      });
    });

    it("a deleted event, the rest renumbered and re-hashed", async () => {
      await rewrite(store, (rows) => rows.filter((r) => r.seq !== 7));
      // One event fewer than the signed tree: the store is shorter than checkpoint 12 says, and nothing after
      // checkpoint 5 can be trusted.
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: {
          seq: 12,
          reason: expect.stringMatching(/^event 12 is missing: the latest signed checkpoint covers 12 events, the store has 11 .* after seq 5/),
          checkpoint: files.get(12),
        },
        missing: { from: 12, to: 12, checkpoint: files.get(12), matchedThrough: 5 },
      });
    });

    it("a deleted event, replaced by a forged one at the end so the count is right", async () => {
      await rewrite(store, (rows) => [...rows.filter((r) => r.seq !== 7), { ...(rows[11] as AuditEvent), id: crypto.randomUUID(), request_id: "forged" }]);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 6, id: events[5]?.id, reason: expect.stringMatching(/events 6\.\.12 do not match the signed checkpoint/), checkpoint: files.get(12) },
      });
    });

    it("an inserted event, the rest renumbered and re-hashed", async () => {
      await rewrite(store, (rows) => [
        ...rows.slice(0, 3),
        { ...(rows[2] as AuditEvent), id: crypto.randomUUID(), actor_email: "alibi@example.com" },
        ...rows.slice(3),
      ]);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 3, id: events[2]?.id, reason: expect.stringMatching(/events 3\.\.5 do not match/), checkpoint: files.get(5) },
      });
    });

    it("an inserted event past the head", async () => {
      const row = { ...(events[11] as AuditEvent), seq: 13, id: crypto.randomUUID(), prev_hash: events[11]?.hash ?? "" };
      await store.db
        .insertInto("audit_events")
        .values({ ...row, hash: hashEvent(row.prev_hash, row) })
        .execute();
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 13, reason: expect.stringMatching(/beyond the chain head/) } });
    });

    it("a reordered pair, as stored and re-hashed", async () => {
      const [a, b] = [events[8] as AuditEvent, events[9] as AuditEvent];
      // Swap the contents of seq 9 and 10 (targets stay with their seq, so only the order changes).
      await rewrite(store, (rows) => rows.map((r) => (r.seq === 9 ? { ...b, seq: 9 } : r.seq === 10 ? { ...a, seq: 10 } : r)));
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 6, id: events[5]?.id, reason: expect.stringMatching(/events 6\.\.12 do not match/), checkpoint: files.get(12) },
      });
    });

    it("a reordered pair without re-hashing", async () => {
      const [a, b] = [events[8] as AuditEvent, events[9] as AuditEvent];
      const { seq: _a, ...fieldsA } = a;
      const { seq: _b, ...fieldsB } = b;
      await store.db
        .updateTable("audit_events")
        .set({ ...fieldsB, id: "moving" })
        .where("seq", "=", 9)
        .execute();
      await store.db.updateTable("audit_events").set(fieldsA).where("seq", "=", 10).execute();
      await store.db.updateTable("audit_events").set({ id: b.id }).where("seq", "=", 9).execute();
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 9, id: events[9]?.id, reason: expect.stringMatching(/deleted or reordered/), checkpoint: files.get(12) },
      });
    });

    it("a cut tail with the head moved back", async () => {
      await rewrite(store, (rows) => rows.slice(0, 9));
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: {
          seq: 10,
          id: null,
          reason: expect.stringMatching(/^events 10–12 are missing: the latest signed checkpoint covers 12 events, the store has 9 /),
          checkpoint: files.get(12),
        },
        missing: { from: 10, to: 12, checkpoint: files.get(12), matchedThrough: 5 },
      });
    });

    it("an edited event with everything after it re-hashed, tree state included", async () => {
      await rewrite(store, (rows) => rows.map((r) => (r.seq === 4 ? { ...r, actor_email: "someone-else@example.com" } : r)));
      // The chain and the stored tree are self-consistent again; only the signed roots know better.
      expect(await verifyChain(store.db)).toMatchObject({ ok: true });
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: {
          seq: 3,
          id: events[2]?.id,
          reason: expect.stringMatching(/events 3\.\.5 do not match the signed checkpoint .* match the older signed checkpoint/),
          checkpoint: files.get(5),
        },
      });
    });

    it("a rewritten tree state alone", async () => {
      await sql`update audit_chain_head set merkle_frontier = ${JSON.stringify(["ab".repeat(32), "cd".repeat(32)])}`.execute(store.db);
      expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 12, reason: expect.stringMatching(/frontier does not match/) } });
    });

    it("a fork: two signed checkpoints of one size with different roots", async () => {
      const forked = writeCheckpoint(dir, { origin: ORIGIN, size: 5, root: Buffer.alloc(32, 7) }, signer, new Date(Date.now() + 1000)).slice(dir.length + 1);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: { seq: 5, reason: expect.stringMatching(/^fork: .* give tree size 5 different roots/), checkpoint: forked },
      });
    });

    it("a fork: a newer signed checkpoint inconsistent with an older one", async () => {
      await record(3);
      const forged = writeCheckpoint(dir, { origin: ORIGIN, size: 14, root: Buffer.alloc(32, 9) }, signer).slice(dir.length + 1);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: {
          seq: 13,
          id: events[12]?.id,
          reason: expect.stringMatching(/do not match the signed checkpoint .* match the older signed checkpoint/),
          checkpoint: forged,
        },
      });
    });

    it("a checkpoint with a bad signature, or signed by another key", async () => {
      const { size, root } = await readTreeHead(store.db);
      const body = checkpointBody({ origin: ORIGIN, size, root });
      const good = signNote(body, signer);
      const line = good.slice(body.length + 1);
      const sig = Buffer.from(line.split(" ")[2] as string, "base64");
      sig[10] = (sig[10] ?? 0) ^ 1;
      writeFileSync(join(dir, "0000000000000012-20300101T000000000Z-bad.checkpoint"), `${body}\n\u2014 ${ORIGIN} ${sig.toString("base64")}\n`);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBad: {
          reason: expect.stringMatching(/bad\.checkpoint is not valid: signature does not verify/),
          checkpoint: "0000000000000012-20300101T000000000Z-bad.checkpoint",
        },
      });
      rmSync(join(dir, "0000000000000012-20300101T000000000Z-bad.checkpoint"));
      writeFileSync(join(dir, "0000000000000012-20300101T000000000Z-other.checkpoint"), signNote(body, newSigner()));
      expect(await verify()).toMatchObject({ ok: false, firstBad: { reason: expect.stringMatching(/other\.checkpoint is not valid: not signed by key/) } });
    });

    it("an honest store with a retention purge and two writers verifies clean, and old checkpoints stay consistent", async () => {
      await recorder.close();
      // Two recorders on two connections (two instances); events dated across days, a checkpoint between rounds.
      let clock = new Date();
      const other = store.reopen();
      const writers = [createAuditRecorder(store.db, { now: () => clock }), createAuditRecorder(other, { now: () => clock })];
      // The 12 events of beforeEach are stamped now; the days are this month's last and the next month's first three,
      // so the purge (events before the next month's first midnight) is the same whole days on SQLite and whole
      // months on PostgreSQL's partitions.
      const today = new Date();
      const monthEnd = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 0);
      const days = [0, 1, 2, 3].map((d) => new Date(monthEnd + d * 86_400_000).toISOString().slice(0, 10));
      for (const day of days) {
        clock = new Date(`${day}T23:59:59.000Z`);
        // In turn: two SQLite connections in one process cannot wait on each other (better-sqlite3 blocks);
        // multi-process.test.ts has them race from two processes.
        for (const [i, w] of writers.entries()) {
          await Promise.all(Array.from({ length: 5 }, (_, j) => w.record(sampleInput({ targets: [`cus_${day}_${i}_${j}`] }))));
        }
        await checkpoint();
      }
      const result = await applyRetention(store.db, { retentionDays: 2, now: new Date(`${days[3]}T23:59:59.500Z`) });
      expect(result?.anchor.seq).toBeGreaterThan(12);
      await checkpoint();
      for (const w of writers) await w.record(sampleInput());
      await checkpoint();
      for (const w of writers) await w.close();
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: true, anchor: { seq: result?.anchor.seq } });
      expect(verdict.checkpoints?.beforeAnchor).toBeGreaterThan(0);
      expect(verdict.checkpoints?.compared).toBeGreaterThanOrEqual(3);
      // Re-hashing what is left after the purge is still caught by the checkpoints signed after it.
      const first = await store.db.selectFrom("audit_events").select("seq").orderBy("seq").limit(1).executeTakeFirstOrThrow();
      await sql`update audit_anchor set merkle_frontier = ${JSON.stringify([])}`.execute(store.db);
      expect((await verify()).ok).toBe(false);
      expect(first.seq).toBe((result?.anchor.seq ?? 0) + 1);
      recorder = createAuditRecorder(store.db);
    });
  });
}
