import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCheckpoints, readTreeHead, writeCheckpoint } from "./checkpoints";
import { keyId } from "./signed-note";
import { verifyChain } from "./verify";

const WRITER = fileURLToPath(new URL("../../test/support/audit-writer-process.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PER_PROCESS = 200;

interface Writer {
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  stderr: string[];
}

function startWriter(store: TestStore, actorId: string): Writer {
  const target = store.kind === "sqlite" ? store.file : store.url;
  if (!target) throw new Error("store has no address for another process");
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", WRITER, store.kind, target, actorId, String(PER_PROCESS), "16"], {
    cwd: ROOT,
    stdio: "pipe",
  });
  const stderr: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  return { child, stderr, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

async function nextLine(w: Writer): Promise<string> {
  const { value, done } = await w.lines.next();
  if (done) throw new Error(`writer exited early: ${w.stderr.join("")}`);
  return value;
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`two processes writing to one ${kind} store`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind);
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it(`keep one unbroken chain of ${2 * PER_PROCESS} events`, { timeout: 60_000 }, async () => {
      const writers = [startWriter(store, "proc-a"), startWriter(store, "proc-b")];
      for (const w of writers) expect(await nextLine(w)).toBe("ready");
      // A checkpoint writer beside them (a third instance), signing the tree as it grows.
      const { privateKey, publicKey } = generateKeyPairSync("ed25519");
      const signer = { name: "mp.test/audit", privateKey, publicKey, keyId: keyId("mp.test/audit", publicKey) };
      const dir = mkdtempSync(join(tmpdir(), "mp-checkpoints-"));
      let writing = true;
      const sizes: number[] = [];
      const checkpointer = (async () => {
        while (writing) {
          const head = await readTreeHead(store.db);
          writeCheckpoint(dir, { origin: signer.name, ...head }, signer);
          sizes.push(head.size);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      for (const w of writers) w.child.stdin.end("go\n");
      const summaries = await Promise.all(writers.map(async (w) => JSON.parse(await nextLine(w))));
      writing = false;
      await checkpointer;
      for (const s of summaries) expect(s).toMatchObject({ failures: [] });
      writeCheckpoint(dir, { origin: signer.name, ...(await readTreeHead(store.db)) }, signer);
      const withCheckpoints = await verifyChain(store.db, { batchSize: 64, checkpoints: () => readCheckpoints(dir, signer) });
      rmSync(dir, { recursive: true, force: true });
      expect(withCheckpoints).toMatchObject({ ok: true, checkpoints: { latest: { size: 2 * PER_PROCESS } } });
      // Checkpoints were signed mid-way, not only before and after.
      expect(sizes.some((n) => n > 0 && n < 2 * PER_PROCESS)).toBe(true);

      expect(await verifyChain(store.db, { batchSize: 64 })).toMatchObject({ ok: true, checked: 2 * PER_PROCESS, head: { seq: 2 * PER_PROCESS } });
      const rows = await store.db.selectFrom("audit_events").select(["seq", "actor_id", "request_id"]).orderBy("seq").execute();
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 2 * PER_PROCESS }, (_, i) => i + 1));
      for (const actor of ["proc-a", "proc-b"]) {
        const mine = rows.filter((r) => r.actor_id === actor).map((r) => r.request_id);
        expect(new Set(mine).size).toBe(PER_PROCESS);
      }
      // PostgreSQL queues lock waiters fairly, so the writers interleave; SQLite's busy handler
      // sleeps and retries, so one writer may finish first. Either way both wrote into one chain.
      const switches = rows.filter((r, i) => i > 0 && r.actor_id !== rows[i - 1]?.actor_id).length;
      expect(switches).toBeGreaterThanOrEqual(kind === "postgres" ? 2 : 1);
    });
  });
}
