import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkCosignatures, witnessSignerFrom } from "./cosignature";
import { consistencyProof, type Hash, leafHash, rangeHashOf, rootFromLeafHashes } from "@/lib/merkle/tree";
import { keyId, type NoteSigner, signCheckpoint } from "./signed-note";
import { createWitness } from "./witness";

const ORIGIN = "example.test/audit";

function logSigner(name = ORIGIN): NoteSigner {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { name, privateKey, publicKey, keyId: keyId(name, publicKey) };
}

describe("test witness: add-checkpoint (C2SP tlog-witness)", () => {
  let dir: string;
  let log: NoteSigner;
  let leaves: Hash[];
  const witnessSigner = witnessSignerFrom("witness.test/w1", generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "witness-"));
    log = logSigner();
    leaves = Array.from({ length: 40 }, () => leafHash(randomBytes(32)));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const note = (size: number, ls: Hash[] = leaves, signer: NoteSigner = log) =>
    signCheckpoint({ origin: ORIGIN, size, root: rootFromLeafHashes(ls.slice(0, size)) }, signer);
  const request = (oldSize: number, size: number, opts: { proof?: Hash[]; ls?: Hash[]; signer?: NoteSigner } = {}) => {
    const proof = opts.proof ?? consistencyProof(oldSize, size, rangeHashOf((opts.ls ?? leaves).slice(0, size)));
    return `old ${oldSize}\n${proof.map((h) => `${h.toString("base64")}\n`).join("")}\n${note(size, opts.ls, opts.signer)}`;
  };
  const witness = () => createWitness({ signer: witnessSigner, logs: [log], stateFile: join(dir, "state.json"), now: () => 1_700_000_000_000 });

  it("cosigns a first checkpoint and a consistent extension, persisting (origin → size, root) before answering", () => {
    const w = witness();
    const first = w.addCheckpoint(request(0, 7));
    expect(first.status).toBe(200);
    const checked = checkCosignatures(`${note(7)}${first.body}`, [witnessSigner]);
    expect(checked.checked).toEqual([{ name: "witness.test/w1", ok: true, timestamp: 1_700_000_000, reason: null }]);
    const second = w.addCheckpoint(request(7, 31));
    expect(second.status).toBe(200);
    expect(checkCosignatures(`${note(31)}${second.body}`, [witnessSigner]).checked[0]?.ok).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "state.json"), "utf8"))).toEqual({
      [ORIGIN]: { size: 31, root: rootFromLeafHashes(leaves.slice(0, 31)).toString("base64") },
    });
    // Same size, same root: cosigned again. And a restarted witness knows where it was.
    expect(w.addCheckpoint(request(31, 31)).status).toBe(200);
    expect(witness().addCheckpoint(request(0, 33))).toMatchObject({ status: 409, body: "31\n", contentType: "text/x.tlog.size" });
  });

  it("answers 409 with its size (text/x.tlog.size) when the old size is not the one it last cosigned", () => {
    const w = witness();
    expect(w.addCheckpoint(request(0, 10)).status).toBe(200);
    expect(w.addCheckpoint(request(5, 12))).toEqual({ status: 409, contentType: "text/x.tlog.size", body: "10\n" });
    expect(w.addCheckpoint(request(0, 12))).toMatchObject({ status: 409, body: "10\n" });
    expect(w.addCheckpoint(request(10, 12)).status).toBe(200);
  });

  it("answers 422 to a consistency proof that does not verify, and keeps its state", () => {
    const w = witness();
    expect(w.addCheckpoint(request(0, 10)).status).toBe(200);
    const good = consistencyProof(10, 20, rangeHashOf(leaves.slice(0, 20)));
    const bad = [...good];
    bad[0] = randomBytes(32);
    expect(w.addCheckpoint(request(10, 20, { proof: bad })).status).toBe(422);
    expect(w.addCheckpoint(request(10, 20, { proof: good.slice(1) })).status).toBe(422);
    expect(w.addCheckpoint(request(0, 20, { proof: [] })).status).toBe(409);
    expect(w.state()[ORIGIN]?.size).toBe(10);
  });

  it("refuses a fork: the same size with another root (409), or a larger tree that does not extend its own (422)", () => {
    const w = witness();
    expect(w.addCheckpoint(request(0, 10)).status).toBe(200);
    const forked = [...leaves];
    forked[3] = leafHash(randomBytes(32));
    expect(w.addCheckpoint(request(10, 10, { ls: forked }))).toMatchObject({ status: 409, body: "10\n" });
    // A proof built honestly over the forked tree still does not lead from the witness's root for size 10.
    expect(w.addCheckpoint(request(10, 25, { ls: forked })).status).toBe(422);
    expect(w.state()[ORIGIN]).toEqual({ size: 10, root: rootFromLeafHashes(leaves.slice(0, 10)).toString("base64") });
  });

  it("refuses an unknown origin (404), a key it does not trust (403) and malformed bodies (400)", () => {
    const w = witness();
    const stranger = logSigner();
    expect(w.addCheckpoint(request(0, 5, { signer: stranger })).status).toBe(403);
    const otherOrigin = signCheckpoint({ origin: "other.test/log", size: 1, root: leaves[0] as Hash }, logSigner("other.test/log"));
    expect(w.addCheckpoint(`old 0\n\n${otherOrigin}`).status).toBe(404);
    expect(w.addCheckpoint(`old 01\n\n${note(5)}`).status).toBe(400);
    expect(w.addCheckpoint(`old 6\n\n${note(5)}`).status).toBe(400);
    expect(w.addCheckpoint(`old 0\n${"AAAA\n"}\n${note(5)}`).status).toBe(400);
    expect(w.addCheckpoint(`old 0\n${leaves[0]?.toString("base64")}\n\n${note(5)}`).status).toBe(422);
    expect(w.state()).toEqual({});
  });
});
