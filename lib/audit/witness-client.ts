import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import type { WitnessSetting } from "./checkpoints";
import { checkCosignatures } from "./cosignature";
import { consistencyProof, type RangeHash } from "@/lib/merkle/tree";
import { storeRange } from "./prove";
import type { Checkpoint } from "./signed-note";

export interface WitnessOutcome {
  name: string;
  url: string;
  /** The verified cosignature lines it returned (empty when it did not cosign). */
  lines: string[];
  /** Why not, when it did not. */
  error: string | null;
}

export interface WitnessPoster {
  /** Posts a signed checkpoint to every witness at once; never throws (a witness down is an outcome). */
  post(note: string, checkpoint: Checkpoint): Promise<WitnessOutcome[]>;
}

/**
 * C2SP tlog-witness client. Remembers per witness (in memory) the size it last cosigned, learns it from a 409
 * (`text/x.tlog.size`) and retries once with a consistency proof from that size, built from the store.
 */
export function createWitnessPoster({
  db,
  witnesses,
  timeoutMs,
}: {
  db: () => Promise<Kysely<Database>>;
  witnesses: readonly WitnessSetting[];
  timeoutMs: number;
}): WitnessPoster {
  const lastSize = new Map<string, number>();

  async function request(w: WitnessSetting, oldSize: number, note: string, checkpoint: Checkpoint, range: () => Promise<RangeHash>): Promise<Response> {
    const proof = oldSize === 0 || oldSize === checkpoint.size ? [] : consistencyProof(oldSize, checkpoint.size, await range());
    const body = `old ${oldSize}\n${proof.map((h) => `${h.toString("base64")}\n`).join("")}\n${note}`;
    return fetch(`${w.url}/add-checkpoint`, {
      method: "POST",
      body,
      headers: { "content-type": "text/plain; charset=utf-8" },
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  async function postOne(w: WitnessSetting, note: string, checkpoint: Checkpoint, range: () => Promise<RangeHash>): Promise<WitnessOutcome> {
    const outcome = (lines: string[], error: string | null): WitnessOutcome => ({ name: w.verifier.name, url: w.url, lines, error });
    try {
      let oldSize = Math.min(lastSize.get(w.url) ?? 0, checkpoint.size);
      let res = await request(w, oldSize, note, checkpoint, range);
      if (res.status === 409) {
        const text = (await res.text()).trim();
        if (!/^(0|[1-9][0-9]*)$/.test(text)) return outcome([], `409 Conflict without a tree size (${text.slice(0, 80)})`);
        const theirs = Number(text);
        lastSize.set(w.url, theirs);
        if (theirs > checkpoint.size) return outcome([], `the witness has already cosigned size ${theirs}, larger than ${checkpoint.size}`);
        if (theirs === oldSize) return outcome([], `409 Conflict at size ${theirs}: the witness holds a different root for that size (a fork?)`);
        oldSize = theirs;
        res = await request(w, oldSize, note, checkpoint, range);
      }
      const text = await res.text();
      if (res.status !== 200) return outcome([], `${res.status} ${res.statusText}: ${text.trim().slice(0, 200)}`);
      // Only lines that verify with this witness's configured key are kept (C2SP: ignore unknown keys).
      const lines = text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => `${l}\n`);
      const good = lines.filter((line) => checkCosignatures(note + line, [w.verifier]).checked[0]?.ok === true);
      if (good.length === 0) return outcome([], "the witness answered without a cosignature that verifies with its configured key");
      lastSize.set(w.url, checkpoint.size);
      return outcome(good, null);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ""}`;
      return outcome([], reason);
    }
  }

  return {
    post(note, checkpoint) {
      // The store's leaves are read at most once per checkpoint, whichever witnesses need a proof.
      let loading: Promise<RangeHash> | null = null;
      const range = () => (loading ??= db().then((d) => storeRange(d, checkpoint.size)));
      return Promise.all(witnesses.map((w) => postOne(w, note, checkpoint, range)));
    },
  };
}
