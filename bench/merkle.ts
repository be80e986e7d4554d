// The Merkle tree and signed checkpoints (issue 13) against the recorder before them, side by side in one run.
//   npm run bench:merkle -- [--events N (default 200000)] [--writes W (default 4000)] [--postgres]
// Writes: the same group-commit loop drives the chain-only append of before 0008 (copied here as it was) and
// today's appendToChain (chain + frontier), the latter with a checkpoint writer signing every second beside it.
// Then N events are appended (checkpoints every N/20), and verification is timed chain-only and against the
// checkpoints; then one inclusion proof is built and checked. SQLite by default; --postgres uses TEST_DATABASE_URL.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { rerunUnderReactServer } from "./react-server";

rerunUnderReactServer(import.meta.url);

const { values } = parseArgs({
  options: { events: { type: "string", default: "200000" }, writes: { type: "string", default: "4000" }, postgres: { type: "boolean", default: false } },
});
const N = Number(values.events);
const W = Number(values.writes);

const { generateKeyPairSync } = await import("node:crypto");
const { createDb } = await import("../lib/db/connect");
const { migrateToLatest } = await import("../lib/db/migrations");
const { withWriteTransaction } = await import("../lib/db/write-transaction");
const { appendToChain, lockHead } = await import("../lib/audit/write-batch");
const { toPendingEvent } = await import("../lib/audit/recorder");
const { hashEvent } = await import("../lib/audit/hash");
const { startCheckpointWriter } = await import("../lib/audit/checkpoint-writer");
const { readCheckpoints, readTreeHead, writeCheckpoint } = await import("../lib/audit/checkpoints");
const { keyId } = await import("../lib/audit/signed-note");
const { verifyChain } = await import("../lib/audit/verify");
const { proveEvent } = await import("../lib/audit/prove");
const { leafHash, verifyInclusion } = await import("../lib/merkle/tree");
const { benchPostgresSchema } = await import("./postgres-schema");
type Db = ReturnType<typeof createDb>;
type Pending = ReturnType<typeof toPendingEvent>;

/** appendInTransaction as it was before 0008: chain only. */
async function appendBefore(db: Db, events: readonly Pending[]): Promise<void> {
  await withWriteTransaction(db, async (trx, kind) => {
    const head = await lockHead(trx, kind);
    let prev = head.hash;
    const rows = events.map(({ fields }, i) => {
      const hash = hashEvent(prev, fields);
      const row = { seq: head.seq + 1 + i, ...fields, prev_hash: prev, hash };
      prev = hash;
      return row;
    });
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("audit_events")
        .values(rows.slice(i, i + 500))
        .execute();
    const targets = rows.flatMap((row, i) => [...new Set(events[i]?.targets)].map((customer_id) => ({ event_seq: row.seq, customer_id })));
    for (let i = 0; i < targets.length; i += 5000)
      await trx
        .insertInto("audit_targets")
        .values(targets.slice(i, i + 5000))
        .execute();
    const last = rows[rows.length - 1];
    if (last) await trx.updateTable("audit_chain_head").set({ seq: last.seq, hash: last.hash }).where("id", "=", 1).execute();
  });
}

/** The recorder's group commit, with the append function as a parameter. */
function groupCommit(append: (events: Pending[]) => Promise<unknown>) {
  const queue: Array<{ e: Pending; done: () => void; fail: (err: unknown) => void }> = [];
  let draining: Promise<void> | null = null;
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, 500);
      try {
        await append(batch.map((q) => q.e));
        for (const q of batch) q.done();
      } catch (err) {
        for (const q of batch) q.fail(err);
      }
    }
  };
  const schedule = (): void => {
    draining ??= drain().finally(() => {
      draining = null;
      if (queue.length > 0) schedule();
    });
  };
  return (e: Pending) =>
    new Promise<void>((done, fail) => {
      queue.push({ e, done, fail });
      schedule();
    });
}

const event = (i: number) =>
  toPendingEvent(
    {
      actor: { id: "bench", email: "bench@example.com" },
      action: "customers.list",
      targets: [`cus_${i % 97}`, `cus_${i % 89}`],
      query: { page: i % 10 },
      requestId: randomUUID(),
      outcome: "ok",
    },
    new Date(),
  );
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? Number.NaN;
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

async function openStore(): Promise<{ db: Db; cleanup: () => Promise<void>; name: string }> {
  if (values.postgres) {
    const schema = await benchPostgresSchema();
    const db = createDb({ kind: "postgres", url: schema.url });
    await migrateToLatest(db);
    return { db, name: "postgres", cleanup: async () => (await db.destroy(), await schema.drop()) };
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-merkle-"));
  const db = createDb({ kind: "sqlite", file: join(dir, "portal.sqlite") });
  await migrateToLatest(db);
  return { db, name: "sqlite", cleanup: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
}

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const signer = { name: "bench.devdraft/audit", privateKey, publicKey, keyId: keyId("bench.devdraft/audit", publicKey) };

async function writeFigures(variant: "before" | "tree+checkpoints") {
  const store = await openStore();
  const cpDir = mkdtempSync(join(tmpdir(), "bench-merkle-cp-"));
  const writer = variant === "before" ? null : startCheckpointWriter({ db: async () => store.db, signer, origin: signer.name, dir: cpDir, intervalMs: 1000 });
  const append = variant === "before" ? (evs: Pending[]) => appendBefore(store.db, evs) : (evs: Pending[]) => appendToChain(store.db, evs);
  const record = groupCommit(append);
  try {
    // One caller: every write is its own transaction; latency per write.
    const latencies: number[] = [];
    for (let i = 0; i < W / 4; i++) {
      const t = performance.now();
      await record(event(i));
      latencies.push(performance.now() - t);
    }
    // 64 callers: group commit; throughput and latency per write.
    const many: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < W) {
          const i = next++;
          const t = performance.now();
          await record(event(i));
          many.push(performance.now() - t);
        }
      }),
    );
    const perSecond = W / ((performance.now() - started) / 1000);
    return { variant, p50: pct(latencies, 50), p99: pct(latencies, 99), perSecond, p50many: pct(many, 50), p99many: pct(many, 99) };
  } finally {
    await writer?.stop();
    rmSync(cpDir, { recursive: true, force: true });
    await store.cleanup();
  }
}

const when = new Date().toISOString();
process.stdout.write(`bench:merkle ${when}, node ${process.version}, ${values.postgres ? "postgres" : "sqlite"}, writes ${W}, verification events ${N}\n\n`);
const rows = [];
// Alternate the variants so a noisy neighbour hurts both alike.
for (const variant of ["before", "tree+checkpoints", "before", "tree+checkpoints"] as const) rows.push(await writeFigures(variant));
process.stdout.write(
  "| recorder | 1 caller p50 ms | 1 caller p99 ms | 64 callers events/s | 64 callers p50 ms | 64 callers p99 ms |\n|---|---|---|---|---|---|\n",
);
for (const r of rows)
  process.stdout.write(`| ${r.variant} | ${f2(r.p50)} | ${f2(r.p99)} | ${Math.round(r.perSecond)} | ${f1(r.p50many)} | ${f1(r.p99many)} |\n`);

// Verification and proofs over N events.
const store = await openStore();
const cpDir = mkdtempSync(join(tmpdir(), "bench-merkle-cp-"));
try {
  let t = performance.now();
  const every = Math.max(1, Math.floor(N / 20));
  for (let i = 0; i < N; i += 5000) {
    await appendToChain(
      store.db,
      Array.from({ length: Math.min(5000, N - i) }, (_, j) => event(i + j)),
    );
    if (Math.floor((i + 5000) / every) > Math.floor(i / every) || i + 5000 >= N)
      writeCheckpoint(cpDir, { origin: signer.name, ...(await readTreeHead(store.db)) }, signer);
  }
  const fill = (performance.now() - t) / 1000;
  t = performance.now();
  const chainOnly = await verifyChain(store.db, { batchSize: 5000 });
  const chainSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const withCp = await verifyChain(store.db, { batchSize: 5000, checkpoints: () => readCheckpoints(cpDir, signer) });
  const cpSeconds = (performance.now() - t) / 1000;
  if (!chainOnly.ok || !withCp.ok) throw new Error(`verification failed: ${JSON.stringify(withCp.firstBad ?? chainOnly.firstBad)}`);
  const middle = await store.db
    .selectFrom("audit_events")
    .select("id")
    .where("seq", "=", Math.ceil(N / 3))
    .executeTakeFirstOrThrow();
  t = performance.now();
  const proof = await proveEvent(store.db, middle.id, readCheckpoints(cpDir, signer));
  const proveMs = performance.now() - t;
  t = performance.now();
  const root = readCheckpoints(cpDir, signer).find((c) => c.file === proof.checkpoint_file)?.checkpoint?.root ?? Buffer.alloc(32);
  const checks = verifyInclusion(
    proof.leaf_index,
    proof.tree_size,
    leafHash(Buffer.from(proof.event.hash, "hex")),
    proof.hashes.map((h) => Buffer.from(h, "base64")),
    root,
  );
  const checkMs = performance.now() - t;
  process.stdout.write(
    `\n| N events | fill (appendToChain, 5000 a batch) s | verify chain only s | verify with tree + ${withCp.checkpoints?.files} checkpoints s | events/s (with checkpoints) |\n|---|---|---|---|---|\n`,
  );
  process.stdout.write(`| ${N} | ${f1(fill)} | ${f1(chainSeconds)} | ${f1(cpSeconds)} | ${Math.round(N / cpSeconds)} |\n`);
  process.stdout.write(
    `\nproof for seq ${proof.event.seq} in tree size ${proof.tree_size}: ${proof.hashes.length} hashes (${proof.hashes.length * 32} bytes; ${JSON.stringify(proof).length} bytes of JSON with the event and checkpoint), built in ${f1(proveMs)} ms, checked in ${f2(checkMs)} ms: ${checks ? "valid" : "INVALID"}\n`,
  );
} finally {
  rmSync(cpDir, { recursive: true, force: true });
  await store.cleanup();
}
