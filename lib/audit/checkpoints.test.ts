import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { startCheckpointWriter } from "./checkpoint-writer";
import { checkpointSourceFromEnv, loadSigningKey, readCheckpoints, readCheckpointSettings, readTreeHead, writeCheckpoint } from "./checkpoints";
import { frontierRoot, frontierFromJson } from "@/lib/merkle/tree";
import { type AuditEvent, createAuditRecorder } from "./recorder";
import { keyId, openCheckpoint, parseVerifierKey, verifierKeyText } from "./signed-note";
import { witnessSignerFrom, witnessVerifierKeyText } from "./cosignature";
import { sampleInput } from "@/test/support/audit-fixtures";

const run = promisify(execFile);

describe("checkpoint settings and keys", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "audit-keys-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("defaults to a checkpoint directory and a generated key inside the data directory, every 30 s", () => {
    const s = readCheckpointSettings({ PORTAL_DATA_DIR: dir });
    expect(s).toEqual({
      origin: "devdraft-portal/audit",
      dir: join(dir, "audit-checkpoints"),
      intervalMs: 30_000,
      key: { kind: "generated", path: join(dir, "audit-signing-key.pem") },
      shared: false,
      witnesses: [],
      witnessQuorum: 0,
      witnessTimeoutMs: 3000,
    });
    expect(readCheckpointSettings({ PORTAL_DATA_DIR: dir, DATABASE_URL: "postgres://x/y" }).shared).toBe(true);
  });

  it("names each bad setting on its own line", () => {
    expect(() => readCheckpointSettings({ AUDIT_CHECKPOINT_INTERVAL_MS: "60000", AUDIT_CHECKPOINT_ORIGIN: "has space" })).toThrow(
      "AUDIT_CHECKPOINT_INTERVAL_MS must be a whole number from 1000 to 30000 (a checkpoint at least every 30 s)\nAUDIT_CHECKPOINT_ORIGIN must have no spaces and no '+'",
    );
    expect(() => readCheckpointSettings({ AUDIT_SIGNING_KEY: join(dir, "missing.pem") })).toThrow(/AUDIT_SIGNING_KEY must name a readable key file/);
    const bad = join(dir, "bad.pem");
    writeFileSync(bad, "not a key");
    expect(() => loadSigningKey(readCheckpointSettings({ AUDIT_SIGNING_KEY: bad }), { create: true })).toThrow(/is not an Ed25519 private key/);
  });

  it("generates the key once, mode 0600, and every later load (another instance) gets the same key", () => {
    const settings = readCheckpointSettings({ PORTAL_DATA_DIR: dir });
    expect(loadSigningKey(settings, { create: false })).toBeNull();
    const first = loadSigningKey(settings, { create: true });
    expect(first?.generated).toBe(join(dir, "audit-signing-key.pem"));
    expect(statSync(join(dir, "audit-signing-key.pem")).mode & 0o777).toBe(0o600);
    const second = loadSigningKey(settings, { create: true });
    expect(second?.generated).toBeNull();
    expect(second?.signer.keyId.equals(first?.signer.keyId ?? Buffer.alloc(0))).toBe(true);
    expect(readdirSync(dir)).toEqual(["audit-signing-key.pem"]);
  });

  it("takes the key as a base64 seed or a file, and the key id follows C2SP (SHA-256 of name, 0x0A, 0x01, key)", () => {
    const seed = randomBytes(32).toString("base64");
    const a = loadSigningKey(readCheckpointSettings({ AUDIT_SIGNING_KEY: seed }), { create: false });
    const file = join(dir, "key");
    writeFileSync(file, seed);
    const b = loadSigningKey(readCheckpointSettings({ AUDIT_SIGNING_KEY: file }), { create: false });
    expect(a?.signer.keyId.equals(b?.signer.keyId ?? Buffer.alloc(0))).toBe(true);
    const signer = a?.signer;
    if (!signer) throw new Error("no key");
    expect(keyId(signer.name, signer.publicKey)).toHaveLength(4);
    const text = verifierKeyText(signer);
    expect(text).toMatch(/^devdraft-portal\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(parseVerifierKey(text).keyId.equals(signer.keyId)).toBe(true);
    // The base64 key may hold "+": only the first two separate the fields.
    for (let i = 0; i < 20; i++) {
      const other = loadSigningKey(readCheckpointSettings({ AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") }), { create: false })?.signer;
      if (other) expect(parseVerifierKey(verifierKeyText(other)).keyId.equals(other.keyId)).toBe(true);
    }
  });
});

describe("witness settings", () => {
  const vkey = (name: string) => witnessVerifierKeyText(witnessSignerFrom(name, randomBytes(32).toString("base64")));

  it("reads AUDIT_WITNESSES as <url>|<vkey> entries, none by default, with a best-effort quorum of 0", () => {
    expect(readCheckpointSettings({})).toMatchObject({ witnesses: [], witnessQuorum: 0, witnessTimeoutMs: 3000 });
    const [a, b] = [vkey("witness.test/a"), vkey("witness.test/b")];
    const s = readCheckpointSettings({ AUDIT_WITNESSES: ` https://w1.example/prefix/|${a} , http://127.0.0.1:9/|${b}`, AUDIT_WITNESS_QUORUM: "2" });
    expect(s.witnesses.map((w) => [w.url, w.verifier.name])).toEqual([
      ["https://w1.example/prefix", "witness.test/a"],
      ["http://127.0.0.1:9", "witness.test/b"],
    ]);
    expect(s.witnessQuorum).toBe(2);
  });

  it("refuses a bad entry, a log (type 0x01) key, and a quorum larger than the witnesses", () => {
    expect(() => readCheckpointSettings({ AUDIT_WITNESSES: "https://w1.example" })).toThrow(
      /AUDIT_WITNESSES: "https:\/\/w1.example" is not <http\(s\) url>\|<witness vkey>/,
    );
    const logKey = loadSigningKey(readCheckpointSettings({ AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") }), { create: false })?.signer;
    if (!logKey) throw new Error("no key");
    expect(() => readCheckpointSettings({ AUDIT_WITNESSES: `https://w1.example|${verifierKeyText(logKey)}` })).toThrow(
      /AUDIT_WITNESSES: .* is not an Ed25519 cosignature\/v1 verifier key/,
    );
    expect(() => readCheckpointSettings({ AUDIT_WITNESSES: `https://w1.example|${vkey("w")}`, AUDIT_WITNESS_QUORUM: "2" })).toThrow(
      /AUDIT_WITNESS_QUORUM is 2 but AUDIT_WITNESSES names 1 witnesses/,
    );
    expect(() => readCheckpointSettings({ AUDIT_WITNESS_QUORUM: "-1" })).toThrow(/AUDIT_WITNESS_QUORUM must be a whole number from 0 to 100/);
    expect(() => readCheckpointSettings({ AUDIT_WITNESS_TIMEOUT_MS: "60000" })).toThrow(/AUDIT_WITNESS_TIMEOUT_MS must be a whole number from 100 to 10000/);
  });
});

type Env = Record<string, string | undefined>;

async function cli(script: string, args: string[], env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`signed checkpoints on ${kind}`, () => {
    let store: TestStore;
    let dataDir: string;
    let env: Env;
    let events: AuditEvent[];

    beforeEach(async () => {
      store = await openTestStore(kind);
      dataDir = mkdtempSync(join(tmpdir(), "audit-cp-"));
      env = {
        DATABASE_URL: store.url ?? "",
        PORTAL_DATA_DIR: store.file ? dirname(store.file) : dataDir,
        AUDIT_CHECKPOINT_DIR: join(dataDir, "checkpoints"),
        AUDIT_SIGNING_KEY: randomBytes(32).toString("base64"),
        AUDIT_CHECKPOINT_ORIGIN: "example.test/audit",
      };
      const recorder = createAuditRecorder(store.db);
      events = [];
      for (let i = 0; i < 9; i++) events.push(await recorder.record(sampleInput()));
      await recorder.close();
    });
    afterEach(async () => {
      await store.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const source = () => {
      const s = checkpointSourceFromEnv(env);
      if (!s) throw new Error("no key");
      return s;
    };
    const signer = () => {
      const k = loadSigningKey(readCheckpointSettings(env), { create: false });
      if (!k) throw new Error("no key");
      return k.signer;
    };

    it("the writer signs the store's tree every interval, idle or not, never overwriting, and once more on stop", async () => {
      const written: Array<{ path: string; size: number }> = [];
      const writer = startCheckpointWriter({
        db: async () => store.db,
        signer: signer(),
        origin: "example.test/audit",
        dir: join(dataDir, "checkpoints"),
        intervalMs: 40,
        onWrite: (path, size) => written.push({ path, size }),
      });
      await new Promise((r) => setTimeout(r, 200));
      await writer.stop();
      expect(written.length).toBeGreaterThanOrEqual(3);
      expect(new Set(written.map((w) => w.path)).size).toBe(written.length);
      const files = readCheckpoints(join(dataDir, "checkpoints"), source().verifier, "example.test/audit");
      expect(files).toHaveLength(written.length);
      const head = await store.db.selectFrom("audit_chain_head").selectAll().executeTakeFirstOrThrow();
      for (const f of files) {
        expect(f).toMatchObject({
          ok: true,
          file: expect.stringMatching(/^\d{4}-\d{2}-\d{2}\/0000000000000009-\d{8}T\d{9}Z-[0-9a-f]{6}\.checkpoint$/),
          checkpoint: { origin: "example.test/audit", size: 9 },
        });
        expect(f.checkpoint?.root.equals(frontierRoot(frontierFromJson(9, head.merkle_frontier)))).toBe(true);
        expect(statSync(join(dataDir, "checkpoints", f.file)).mode & 0o222).toBe(0);
      }
      // The C2SP text form: origin, size, base64 root, blank line, em-dash signature line.
      expect(files[0]?.text).toMatch(/^example\.test\/audit\n9\n[A-Za-z0-9+/]{43}=\n\n\u2014 example\.test\/audit [A-Za-z0-9+/]{91}=?=?\n$/);
    });

    it(
      "audit:verify checks the store against the checkpoints and names the event and the checkpoint that proves a re-hashed edit",
      { timeout: 60_000 },
      async () => {
        const s = signer();
        const dir = join(dataDir, "checkpoints");
        writeCheckpoint(dir, { origin: "example.test/audit", ...(await readTreeHead(store.db)) }, s);
        const ok = await cli("scripts/audit-verify.ts", [], env);
        expect(ok.code).toBe(0);
        expect(ok.stdout).toMatch(/\nsigned checkpoints OK: 1 files, 1 tree sizes match the store; newest matched \d{4}-\d{2}-\d{2}\/0000000000000009-/);
        // With the public key only (an auditor's copy), the same verdict.
        const withKey = await cli("scripts/audit-verify.ts", ["--key", verifierKeyText(s)], { ...env, AUDIT_SIGNING_KEY: "" });
        expect(withKey.stdout + withKey.stderr).toMatch(/signed checkpoints OK/);
        // Edit seq 2 and re-hash everything after it, head and tree included: the chain alone would pass.
        const { hashEvent } = await import("./hash");
        const { EMPTY_FRONTIER, frontierPush, frontierToJson, leafHash } = await import("@/lib/merkle/tree");
        const rows = await store.db.selectFrom("audit_events").selectAll().orderBy("seq").execute();
        let prev = "0".repeat(64);
        const f = { ...EMPTY_FRONTIER, hashes: [] as Buffer[] };
        for (const row of rows) {
          const fields = row.seq === 2 ? { ...row, actor_email: "nobody@example.com" } : row;
          const hash = hashEvent(prev, fields);
          await store.db.updateTable("audit_events").set({ actor_email: fields.actor_email, prev_hash: prev, hash }).where("seq", "=", row.seq).execute();
          frontierPush(f, leafHash(Buffer.from(hash, "hex")));
          prev = hash;
        }
        await store.db
          .updateTable("audit_chain_head")
          .set({ hash: prev, merkle_frontier: frontierToJson(f) })
          .execute();
        // The run above appended its own audit.verify events (seq 10, 11); the edit shows before them.
        const bad = await cli("scripts/audit-verify.ts", [], env);
        expect(bad.code).toBe(1);
        expect(bad.stdout).toMatch(
          /BROKEN at seq 1 \(event [0-9a-f-]{36}\): events 1\.\.9 do not match the signed checkpoint \d{4}-\d{2}-\d{2}\/0000000000000009-/,
        );
        expect(bad.stdout).toMatch(/\nproof: signed checkpoint .*checkpoints\/\d{4}-\d{2}-\d{2}\/0000000000000009-.*\.checkpoint\n/);
      },
    );

    it(
      "audit:prove prints an inclusion proof that audit:check-proof accepts with only the public key, and rejects when altered",
      { timeout: 60_000 },
      async () => {
        const s = signer();
        writeCheckpoint(join(dataDir, "checkpoints"), { origin: "example.test/audit", ...(await readTreeHead(store.db)) }, s);
        const out = join(dataDir, "proof.json");
        const proved = await cli("scripts/audit-prove.ts", ["--event", events[4]?.id ?? "", "--out", out], env);
        expect(proved).toMatchObject({ code: 0 });
        const proof = JSON.parse(readFileSync(out, "utf8"));
        expect(proof).toMatchObject({ leaf_index: 4, tree_size: 9, event: { id: events[4]?.id, seq: 5 } });
        expect(proof.hashes).toHaveLength(4);
        expect(openCheckpoint(proof.checkpoint, source().verifier).ok).toBe(true);

        const key = verifierKeyText(s);
        // No store, no private key: only the proof file and the public key.
        const bare = { PATH: process.env.PATH ?? "", DATABASE_URL: "", PORTAL_DATA_DIR: join(dataDir, "nowhere"), AUDIT_SIGNING_KEY: "" };
        const good = await cli("scripts/audit-check-proof.ts", ["--proof", out, "--key", key], bare);
        expect(good.stdout).toMatch(/^proof OK: event .* \(seq 5\) is leaf 4 of the 9-event tree/);
        expect(good.code).toBe(0);

        const edited = join(dataDir, "edited.json");
        writeFileSync(edited, JSON.stringify({ ...proof, event: { ...proof.event, actor_email: "x@example.com" } }));
        expect(await cli("scripts/audit-check-proof.ts", ["--proof", edited, "--key", key], bare)).toMatchObject({
          code: 1,
          stdout: expect.stringMatching(/edited/),
        });
        const moved = join(dataDir, "moved.json");
        writeFileSync(moved, JSON.stringify({ ...proof, hashes: [...proof.hashes].reverse() }));
        expect(await cli("scripts/audit-check-proof.ts", ["--proof", moved, "--key", key], bare)).toMatchObject({
          code: 1,
          stdout: expect.stringMatching(/does not lead to the signed root/),
        });
        const otherKey = verifierKeyText({
          ...s,
          ...(() => {
            const k = loadSigningKey(
              readCheckpointSettings({ AUDIT_SIGNING_KEY: randomBytes(32).toString("base64"), AUDIT_CHECKPOINT_ORIGIN: "example.test/audit" }),
              { create: false },
            );
            if (!k) throw new Error();
            return k.signer;
          })(),
        });
        expect(await cli("scripts/audit-check-proof.ts", ["--proof", out, "--key", otherKey], bare)).toMatchObject({
          code: 1,
          stdout: expect.stringMatching(/not signed by key/),
        });
      },
    );
  });
}
