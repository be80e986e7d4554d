// The recovery drill of docs/operations.md (Backup, Restore), on SQLite and, with TEST_DATABASE_URL, PostgreSQL:
// audited work, a backup while another connection writes, more work and a signed checkpoint, a restore into an
// empty store, and `npm run audit:verify` naming exactly the events the restored store lacks. Plus the refusals:
// a store that is not empty, a backup of the other kind, a damaged file; each changes nothing.
import { execFile } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withPg } from "../../e2e/helpers/pg";
import { startCheckpointWriter } from "../audit/checkpoint-writer";
import { loadSigningKey, readCheckpoints, readCheckpointSettings } from "../audit/checkpoints";
import { type AuditRecorder, createAuditRecorder } from "../audit/recorder";
import { sampleInput } from "@/test/support/audit-fixtures";
import { verifyChain } from "../audit/verify";
import { BACKUP_MAGIC, backupStore, readBackup, restoreStore } from "./backup";
import type { StoreConfig } from "./config";
import { createDb } from "./connect";
import { openTestStore, STORE_KINDS, TEST_DATABASE_URL, type TestStore } from "@/test/support/stores";

const run = promisify(execFile);
const ORIGIN = "drill.test/audit";

async function record(recorder: AuditRecorder, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await recorder.record(sampleInput({ targets: [`cus_${i % 7}`] }));
}

/** The store's settings as the portal and its CLIs read them. */
const storeEnv = (store: TestStore): Record<string, string> =>
  store.kind === "sqlite" ? { PORTAL_DATA_DIR: dirname(store.file as string) } : { DATABASE_URL: store.url as string };

/** One of the operator's commands as a process: its exit code and output. */
async function cli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], { env: { ...process.env, DATABASE_URL: "", ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

/** An empty store to restore into: a new SQLite directory, or a new database whose search_path names the same schema. */
async function emptyTarget(source: TestStore): Promise<{ config: StoreConfig; env: Record<string, string>; drop: () => Promise<void> }> {
  if (source.kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "portal-restore-"));
    return {
      config: { kind: "sqlite", file: join(dir, "portal.sqlite") },
      env: { PORTAL_DATA_DIR: dir },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `drill_${randomUUID().replaceAll("-", "")}`;
  const admin = (text: string, url = TEST_DATABASE_URL ?? "") => withPg(url, (c) => c.query(text)).then(() => {});
  await admin(`create database ${name}`);
  const url = new URL(source.url as string);
  url.pathname = `/${name}`;
  // The schema exists and is empty, as a new database's public does: the restore keeps it.
  await admin(`create schema ${source.schema}`, url.toString());
  return { config: { kind: "postgres", url: url.toString() }, env: { DATABASE_URL: url.toString() }, drop: () => admin(`drop database ${name} with (force)`) };
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`backup and restore on ${kind}`, () => {
    let store: TestStore;
    let work: string;
    let env: Record<string, string>;
    const config = (): StoreConfig =>
      store.kind === "sqlite" ? { kind: "sqlite", file: store.file as string } : { kind: "postgres", url: store.url as string };

    beforeEach(async () => {
      store = await openTestStore(kind);
      work = mkdtempSync(join(tmpdir(), "portal-drill-"));
      const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      env = { AUDIT_SIGNING_KEY: pem, AUDIT_CHECKPOINT_DIR: join(work, "checkpoints"), AUDIT_CHECKPOINT_ORIGIN: ORIGIN };
    });
    afterEach(async () => {
      await store.cleanup();
      rmSync(work, { recursive: true, force: true });
    });

    it("the drill: work, back up while writing, work more, sign, restore into an empty store, verify names the missing span", { timeout: 60_000 }, async () => {
      const key = loadSigningKey(readCheckpointSettings(env), { create: false });
      if (!key) throw new Error("no signing key");
      const writer = startCheckpointWriter({
        db: async () => store.db,
        signer: key.signer,
        origin: ORIGIN,
        dir: env.AUDIT_CHECKPOINT_DIR as string,
        intervalMs: 30_000,
      });
      const recorder = createAuditRecorder(store.db);
      await record(recorder, 40);
      await writer.writeNow();

      // The backup while another connection keeps appending: the copy is one point in time of the chain.
      const other = createAuditRecorder(store.reopen());
      let writing = true;
      let during = 0;
      const writes = (async () => {
        while (writing) {
          await other.record(sampleInput());
          during++;
          // SQLite answers synchronously: without a turn of the event loop the backup would never get one.
          await new Promise((r) => setImmediate(r));
        }
      })();
      const file = join(work, "portal.backup");
      let manifest: Awaited<ReturnType<typeof backupStore>>;
      try {
        while (during < 5) await new Promise((r) => setTimeout(r, 5));
        // `npm run backup`, another process, as an operator runs it beside the portal.
        const out = await cli("scripts/backup.ts", ["--out", file], storeEnv(store));
        expect(out.code, out.stderr).toBe(0);
        manifest = (await readBackup(file)).manifest;
        expect(out.stdout).toBe(
          `backup of the ${kind === "sqlite" ? "SQLite" : `PostgreSQL (schema ${store.schema})`} store written to ${file}: audit events through seq ${manifest.auditHead.seq}, migration ${manifest.migration}, ${manifest.payloadBytes} bytes, sha256 ${manifest.sha256}\n`,
        );
        await new Promise((r) => setTimeout(r, 30));
      } finally {
        writing = false;
        await writes;
        await other.close();
      }
      expect(during).toBeGreaterThan(0);
      expect(manifest).toMatchObject({ format: 1, kind, schema: store.schema, migration: expect.any(String) });
      const backedUp = manifest.auditHead.seq;
      expect(backedUp).toBeGreaterThanOrEqual(45);
      expect(readFileSync(file).subarray(0, BACKUP_MAGIC.length).toString()).toBe(BACKUP_MAGIC);

      // More work after the backup, and a checkpoint signed over it.
      await record(recorder, 25);
      await recorder.close();
      await writer.writeNow();
      await writer.stop();
      const signedSize = (await store.db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow()).seq;
      expect(signedSize).toBe(40 + during + 25);

      const target = await emptyTarget(store);
      try {
        expect(await restoreStore(target.config, file)).toEqual(manifest);
        const restored = createDb(target.config);
        try {
          const head = await restored.selectFrom("audit_chain_head").select(["seq", "hash"]).executeTakeFirstOrThrow();
          expect(head).toEqual(manifest.auditHead);
          const checkpoints = () => readCheckpoints(env.AUDIT_CHECKPOINT_DIR as string, key.signer, ORIGIN);
          expect(await verifyChain(restored, { checkpoints })).toMatchObject({
            ok: false,
            checked: backedUp,
            missing: { from: backedUp + 1, to: signedSize, matchedThrough: 40 },
          });
        } finally {
          await restored.destroy();
        }
        // The operator's command: the chain is whole, and exactly the events since the backup are missing.
        const verified = await cli("scripts/audit-verify.ts", [], { ...env, ...target.env });
        expect(verified.code).toBe(1);
        expect(verified.stdout).toContain(
          `audit chain intact through seq ${backedUp}: ${backedUp} events verified from genesis, matching the signed checkpoints through tree size 40 `,
        );
        expect(verified.stdout).toContain(
          `\nevents ${backedUp + 1}–${signedSize} are missing: the latest signed checkpoint covers ${signedSize} events, the store has ${backedUp}\n`,
        );
        expect(verified.stdout).toMatch(/\nproof: signed checkpoint .*\/\d{4}-\d{2}-\d{2}\/\d{16}-\d{8}T\d{9}Z-[0-9a-f]{6}\.checkpoint\n$/);

        // A second restore into the now restored store: refused, and the store keeps its one copy.
        await expect(restoreStore(target.config, file)).rejects.toThrow(/is not empty .*restore only into an empty store/);
      } finally {
        await target.drop();
      }
    });

    it("refuses a store that is not empty, a backup of the other kind and a damaged file, changing nothing", { timeout: 30_000 }, async () => {
      const recorder = createAuditRecorder(store.db);
      await record(recorder, 3);
      await recorder.close();
      const file = join(work, "portal.backup");
      await backupStore(config(), file);
      await expect(backupStore(config(), file)).rejects.toThrow(/already exists: a backup never overwrites/);
      const before = await store.db.selectFrom("audit_chain_head").selectAll().executeTakeFirstOrThrow();

      const refused = await cli("scripts/restore.ts", ["--from", file], storeEnv(store));
      expect(refused).toMatchObject({
        code: 2,
        stdout: "",
        stderr: expect.stringMatching(/^restore: the .* is not empty .*: restore only into an empty store/),
      });
      const other: StoreConfig =
        kind === "sqlite" ? { kind: "postgres", url: "postgres://nobody@127.0.0.1:1/none" } : { kind: "sqlite", file: join(work, "never", "portal.sqlite") };
      await expect(restoreStore(other, file)).rejects.toThrow(
        new RegExp(
          `is a backup of a ${kind === "sqlite" ? "SQLite" : "PostgreSQL"} store, but the settings name a ${kind === "sqlite" ? "PostgreSQL" : "SQLite"} store`,
        ),
      );
      expect(existsSync(join(work, "never"))).toBe(false);

      const damaged = join(work, "damaged.backup");
      writeFileSync(damaged, readFileSync(file).subarray(0, -10));
      await expect(readBackup(damaged)).rejects.toThrow(/is damaged or incomplete/);
      appendFileSync(damaged, "0123456789");
      await expect(readBackup(damaged)).rejects.toThrow(/is damaged or incomplete/);
      writeFileSync(join(work, "not-a-backup"), "SQLite format 3\0");
      await expect(readBackup(join(work, "not-a-backup"))).rejects.toThrow(/is not a portal backup/);

      expect(await store.db.selectFrom("audit_chain_head").selectAll().executeTakeFirstOrThrow()).toEqual(before);
      if (kind === "sqlite") expect(existsSync(dirname(store.file as string))).toBe(true);
    });
  });
}
