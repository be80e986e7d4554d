// The checkpoint writer with real witness processes (scripts/witness.ts) on free ports, and audit:verify on the
// cosignatures they returned; on each store.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { startCheckpointWriter, WitnessQuorumError } from "./checkpoint-writer";
import { checkpointSourceFromEnv, COSIGNED_SUFFIX, loadSigningKey, readCheckpointSettings } from "./checkpoints";
import { checkCosignatures, parseWitnessVerifierKey } from "./cosignature";
import { createAuditRecorder } from "./recorder";
import { verifierKeyText } from "./signed-note";
import { sampleInput } from "@/test/support/audit-fixtures";
import { createWitnessPoster, type WitnessOutcome } from "./witness-client";

const run = promisify(execFile);
const ORIGIN = "example.test/audit";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

interface RunningWitness {
  child: ChildProcess;
  url: string;
  vkey: string;
}

/** Starts scripts/witness.ts and waits for its "listening" line. */
async function startWitness(args: { port: number; key: string; state: string; logVkey: string; name: string }): Promise<RunningWitness> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/witness.ts",
      "--port",
      String(args.port),
      "--key",
      args.key,
      "--state",
      args.state,
      "--log-vkey",
      args.logVkey,
      "--name",
      args.name,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out);
    });
    child.once("exit", (code) => reject(new Error(`witness exited ${code}: ${err}`)));
  });
  const m = /^witness (\S+) listening on (\S+) vkey (\S+)\n/.exec(line);
  if (!m) throw new Error(`unexpected witness output: ${line}`);
  return { child, url: m[2] as string, vkey: m[3] as string };
}

async function stopWitness(w: RunningWitness | null): Promise<void> {
  if (!w || w.child.exitCode !== null) return;
  const exited = new Promise((r) => w.child.once("exit", r));
  w.child.kill("SIGTERM");
  await exited;
}

async function cli(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
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
  describe.skipIf(skip)(`witnesses cosign checkpoints on ${kind}`, () => {
    let store: TestStore;
    let dataDir: string;
    let env: Record<string, string | undefined>;
    const witnesses: Array<RunningWitness | null> = [];

    beforeEach(async () => {
      store = await openTestStore(kind);
      dataDir = mkdtempSync(join(tmpdir(), "audit-witness-"));
      env = {
        DATABASE_URL: store.url ?? "",
        PORTAL_DATA_DIR: store.file ? dirname(store.file) : dataDir,
        AUDIT_CHECKPOINT_DIR: join(dataDir, "checkpoints"),
        AUDIT_SIGNING_KEY: randomBytes(32).toString("base64"),
        AUDIT_CHECKPOINT_ORIGIN: ORIGIN,
      };
      await record(5);
    });
    afterEach(async () => {
      for (const w of witnesses.splice(0)) await stopWitness(w);
      await store.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function record(n: number) {
      const recorder = createAuditRecorder(store.db);
      for (let i = 0; i < n; i++) await recorder.record(sampleInput());
      await recorder.close();
    }
    const signer = () => {
      const k = loadSigningKey(readCheckpointSettings(env), { create: false });
      if (!k) throw new Error("no key");
      return k.signer;
    };
    const witnessArgs = (name: string, port: number) => ({
      port,
      key: join(dataDir, `${name}.pem`),
      state: join(dataDir, `${name}.json`),
      logVkey: verifierKeyText(signer()),
      name: `witness.test/${name}`,
    });

    it("posts each checkpoint to every witness and keeps their cosignatures beside it; a witness down is retried with the next checkpoint", async () => {
      const [portA, portB] = [await freePort(), await freePort()];
      const a = await startWitness(witnessArgs("a", portA));
      witnesses.push(a);
      // B's key exists before it ever runs, so the log can be configured with its vkey while it is down.
      const bStart = await startWitness(witnessArgs("b", portB));
      await stopWitness(bStart);
      const settings = readCheckpointSettings({
        ...env,
        AUDIT_WITNESSES: `${a.url}|${a.vkey}, http://127.0.0.1:${portB}/|${bStart.vkey}`,
        AUDIT_WITNESS_TIMEOUT_MS: "1500",
      });
      expect(settings.witnesses.map((w) => w.verifier.name)).toEqual(["witness.test/a", "witness.test/b"]);
      const errors: unknown[] = [];
      const outcomes: WitnessOutcome[][] = [];
      const writer = startCheckpointWriter({
        db: async () => store.db,
        signer: signer(),
        origin: ORIGIN,
        dir: settings.dir,
        intervalMs: 60_000,
        witnesses: createWitnessPoster({ db: async () => store.db, witnesses: settings.witnesses, timeoutMs: settings.witnessTimeoutMs }),
        witnessQuorum: 2,
        onWitnesses: (_file, o) => outcomes.push(o),
        onError: (err) => errors.push(err),
      });
      try {
        const first = await writer.writeNow();
        expect(existsSync(first)).toBe(true);
        expect(outcomes[0]?.map((o) => [o.name, o.lines.length, o.error === null])).toEqual([
          ["witness.test/a", 1, true],
          ["witness.test/b", 0, false],
        ]);
        expect(outcomes[0]?.[1]?.error).toMatch(/ECONNREFUSED|fetch failed/);
        expect(errors[0]).toBeInstanceOf(WitnessQuorumError);
        expect(String(errors[0])).toMatch(/has 1 cosignatures, fewer than AUDIT_WITNESS_QUORUM 2/);
        const cosigned = readFileSync(first + COSIGNED_SUFFIX, "utf8");
        expect(cosigned.startsWith(readFileSync(first, "utf8"))).toBe(true);
        expect(checkCosignatures(cosigned, [parseWitnessVerifierKey(a.vkey)]).checked).toEqual([expect.objectContaining({ name: "witness.test/a", ok: true })]);

        // B comes up; more events; the next checkpoint is cosigned by both (A with a consistency proof from 5).
        const b = await startWitness(witnessArgs("b", portB));
        witnesses.push(b);
        await record(4);
        const second = await writer.writeNow();
        expect(outcomes[1]?.map((o) => [o.name, o.lines.length, o.error])).toEqual([
          ["witness.test/a", 1, null],
          ["witness.test/b", 1, null],
        ]);
        expect(errors).toHaveLength(1);
        const source = checkpointSourceFromEnv({ ...env, AUDIT_WITNESSES: `${a.url}|${a.vkey},${b.url}|${b.vkey}` });
        expect(source?.latest()?.cosignatures).toMatchObject({ cosigned: ["witness.test/a", "witness.test/b"], bad: [], unknown: [] });
        expect(second).not.toBe(first);
        expect(JSON.parse(readFileSync(join(dataDir, "a.json"), "utf8"))[ORIGIN].size).toBe(9);
      } finally {
        await writer.stop();
      }

      // A log that forgot what the witness cosigned (a restart) starts from 0, learns 9+ from the 409, and proves from there.
      await record(3);
      const fresh = createWitnessPoster({ db: async () => store.db, witnesses: settings.witnesses.slice(0, 1), timeoutMs: 1500 });
      const restarted = startCheckpointWriter({
        db: async () => store.db,
        signer: signer(),
        origin: ORIGIN,
        dir: settings.dir,
        intervalMs: 60_000,
        witnesses: fresh,
      });
      const third = await restarted.writeNow();
      await restarted.stop();
      expect(checkCosignatures(readFileSync(third + COSIGNED_SUFFIX, "utf8"), [parseWitnessVerifierKey(a.vkey)]).checked[0]?.ok).toBe(true);
      expect(JSON.parse(readFileSync(join(dataDir, "a.json"), "utf8"))[ORIGIN].size).toBe(12);
    });

    it("a witness that accepts the connection and never answers costs at most its timeout", async () => {
      const sockets: import("node:net").Socket[] = [];
      const hang = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
      const address = hang.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const idle = await startWitness(witnessArgs("idle", await freePort()));
      await stopWitness(idle);
      try {
        const settings = readCheckpointSettings({ ...env, AUDIT_WITNESSES: `http://127.0.0.1:${port}|${idle.vkey}`, AUDIT_WITNESS_TIMEOUT_MS: "300" });
        const outcomes: WitnessOutcome[][] = [];
        const writer = startCheckpointWriter({
          db: async () => store.db,
          signer: signer(),
          origin: ORIGIN,
          dir: settings.dir,
          intervalMs: 60_000,
          witnesses: createWitnessPoster({ db: async () => store.db, witnesses: settings.witnesses, timeoutMs: settings.witnessTimeoutMs }),
          onWitnesses: (_f, o) => outcomes.push(o),
        });
        const started = performance.now();
        const path = await writer.writeNow();
        expect(performance.now() - started).toBeLessThan(2000);
        await writer.stop();
        expect(existsSync(path)).toBe(true);
        expect(existsSync(path + COSIGNED_SUFFIX)).toBe(false);
        expect(outcomes[0]?.[0]?.error).toBe("no answer within 300 ms");
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise((r) => hang.close(r));
      }
    });

    it("audit:verify counts each checkpoint's cosigners, reports unknown keys, and fails naming the file and witness when a cosignature is altered", async () => {
      const a = await startWitness(witnessArgs("a", await freePort()));
      witnesses.push(a);
      const withWitness = { ...env, AUDIT_WITNESSES: `${a.url}|${a.vkey}` };
      const settings = readCheckpointSettings(withWitness);
      const writer = startCheckpointWriter({
        db: async () => store.db,
        signer: signer(),
        origin: ORIGIN,
        dir: settings.dir,
        intervalMs: 60_000,
        witnesses: createWitnessPoster({ db: async () => store.db, witnesses: settings.witnesses, timeoutMs: 1500 }),
      });
      const first = await writer.writeNow();
      await stopWitness(a);
      await record(2);
      await writer.writeNow();
      await writer.stop();

      const ok = await cli("scripts/audit-verify.ts", ["--cosignatures"], withWitness);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/witness cosignatures OK: 1 witnesses configured; checkpoints cosigned 1 by 1, 2 by 0; newest \S+ cosigned by none/);
      expect(ok.stdout).toContain(`${first.slice(settings.dir.length + 1)}: 1 (witness.test/a)`);

      // Without the witness configured its cosignature is reported, not failed.
      const unknown = await cli("scripts/audit-verify.ts", [], env);
      expect(unknown.code).toBe(0);
      expect(unknown.stdout).toContain(
        `cosignatures by keys not configured (not checked): witness.test/a+${parseWitnessVerifierKey(a.vkey).keyId.toString("hex")}`,
      );

      // One bit of the cosignature changed.
      const path = first + COSIGNED_SUFFIX;
      const text = readFileSync(path, "utf8");
      const line = text.trimEnd().split("\n").at(-1) ?? "";
      const blob = Buffer.from(line.slice(line.lastIndexOf(" ") + 1), "base64");
      blob[20] = (blob[20] ?? 0) ^ 1;
      chmodSync(path, 0o644);
      writeFileSync(path, text.replace(line, `${line.slice(0, line.lastIndexOf(" ") + 1)}${blob.toString("base64")}`));
      const bad = await cli("scripts/audit-verify.ts", [], withWitness);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`the cosignature of witness witness.test/a in ${first.slice(settings.dir.length + 1)}${COSIGNED_SUFFIX} does not verify`);
    });
  });
}
