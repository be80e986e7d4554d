// A C2SP tlog-witness (https://c2sp.org/tlog-witness) add-checkpoint endpoint: a test and ops tool, not part of the
// portal (scripts/witness.ts runs it). It keeps, per log origin, the size and root it last cosigned, in a JSON file
// written (temp file + rename) before it answers; requests are handled one at a time, so check-and-update is atomic.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { cosign, type WitnessSigner } from "./cosignature";
import { verifyConsistency } from "@/lib/merkle/tree";
import { type NoteVerifier, openCheckpoint } from "./signed-note";

interface WitnessState {
  [origin: string]: { size: number; root: string };
}

interface WitnessReply {
  status: number;
  contentType: string;
  body: string;
}

export interface WitnessOptions {
  signer: WitnessSigner;
  /** The logs it witnesses: their checkpoint verifier keys (the key name is the origin). */
  logs: readonly NoteVerifier[];
  /** JSON file of the state; null keeps it in memory only. */
  stateFile: string | null;
  now?: () => number;
}

const text = (status: number, body: string, contentType = "text/plain; charset=utf-8"): WitnessReply => ({ status, contentType, body });
const B64_HASH = /^[A-Za-z0-9+/]{43}=$/;

export interface Witness {
  addCheckpoint(body: string): WitnessReply;
  state(): WitnessState;
}

export function createWitness(opts: WitnessOptions): Witness {
  let state: WitnessState = opts.stateFile && existsSync(opts.stateFile) ? (JSON.parse(readFileSync(opts.stateFile, "utf8")) as WitnessState) : {};
  const save = (next: WitnessState) => {
    if (opts.stateFile) {
      const temp = `${opts.stateFile}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(next, null, 2));
      renameSync(temp, opts.stateFile);
    }
    state = next;
  };

  function addCheckpoint(request: string): WitnessReply {
    const lines = request.split("\n");
    const oldLine = /^old (0|[1-9][0-9]*)$/.exec(lines[0] ?? "");
    if (!oldLine) return text(400, "the body must start with an old size line\n");
    const oldSize = Number(oldLine[1]);
    const proof: Buffer[] = [];
    let i = 1;
    for (; i < lines.length && lines[i] !== ""; i++) {
      if (!B64_HASH.test(lines[i] as string)) return text(400, "a consistency proof line is not a base64 hash\n");
      proof.push(Buffer.from(lines[i] as string, "base64"));
    }
    if (i >= lines.length) return text(400, "no empty line before the checkpoint\n");
    if (proof.length > 63) return text(400, "more than 63 consistency proof lines\n");
    const note = lines.slice(i + 1).join("\n");
    const origin = note.slice(0, note.indexOf("\n"));
    const keys = opts.logs.filter((l) => l.name === origin);
    if (keys.length === 0) return text(404, `unknown log origin "${origin}"\n`);
    const checked = keys.map((k) => openCheckpoint(note, k, origin));
    const good = checked.find((c) => c.ok);
    if (!good?.ok) {
      const first = checked[0];
      return text(first?.checkpoint ? 403 : 400, `${first && !first.ok ? first.reason : "not signed by a key this witness trusts"}\n`);
    }
    const cp = good.checkpoint;
    if (oldSize > cp.size) return text(400, `old size ${oldSize} is larger than the checkpoint size ${cp.size}\n`);
    const known = state[origin];
    const knownSize = known?.size ?? 0;
    if (oldSize !== knownSize) return text(409, `${knownSize}\n`, "text/x.tlog.size");
    if (oldSize === 0 && proof.length > 0) return text(422, "the consistency proof must be empty from size 0\n");
    if (known && oldSize === cp.size && known.root !== cp.root.toString("base64")) {
      return text(409, `${knownSize}\n`, "text/x.tlog.size");
    }
    if (known && oldSize > 0 && !verifyConsistency(oldSize, cp.size, Buffer.from(known.root, "base64"), cp.root, proof)) {
      return text(422, `the consistency proof from ${oldSize} to ${cp.size} does not verify\n`);
    }
    save({ ...state, [origin]: { size: cp.size, root: cp.root.toString("base64") } });
    const body = note.slice(0, note.indexOf("\n\n") + 1);
    const now = Math.floor((opts.now?.() ?? Date.now()) / 1000);
    return text(200, cosign(body, opts.signer, now));
  }

  return { addCheckpoint, state: () => state };
}

/** Serves `POST <prefix>/add-checkpoint` (prefix "" by default) on `port` (0 = any free port). */
export function serveWitness(witness: Witness, { port, host = "127.0.0.1", prefix = "" }: { port: number; host?: string; prefix?: string }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== `${prefix}/add-checkpoint`) {
      res.writeHead(req.url === `${prefix}/add-checkpoint` ? 405 : 404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    req.on("data", (c: Buffer) => {
      length += c.length;
      if (length > 64 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      let reply: WitnessReply;
      try {
        reply = witness.addCheckpoint(Buffer.concat(chunks).toString("utf8"));
      } catch (err) {
        reply = text(500, `${err instanceof Error ? err.message : String(err)}\n`);
      }
      res.writeHead(reply.status, { "content-type": reply.contentType }).end(reply.body);
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}
