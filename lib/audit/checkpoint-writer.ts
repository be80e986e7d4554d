import "server-only";
import { readFileSync } from "node:fs";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { readTreeHead, writeCheckpoint, writeCosigned } from "./checkpoints";
import type { NoteSigner } from "./signed-note";
import type { WitnessOutcome, WitnessPoster } from "./witness-client";

export interface CheckpointWriterOptions {
  db: () => Promise<Kysely<Database>>;
  signer: NoteSigner;
  origin: string;
  dir: string;
  intervalMs: number;
  onError?: (err: unknown) => void;
  onWrite?: (file: string, size: number) => void;
  /** Witnesses to post each checkpoint to; their cosignatures go to `<file>.cosigned`. */
  witnesses?: WitnessPoster;
  /** Fewer cosignatures than this on a checkpoint is reported through `onError` (the checkpoint stays written). */
  witnessQuorum?: number;
  /** Each checkpoint's witness outcomes (a witness down is logged here, and tried again with the next checkpoint). */
  onWitnesses?: (file: string, outcomes: WitnessOutcome[]) => void;
}

/** The checkpoint was written, but fewer witnesses cosigned it than AUDIT_WITNESS_QUORUM. */
export class WitnessQuorumError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WitnessQuorumError";
  }
}

export interface CheckpointWriter {
  /** Signs the store's current tree head into a new file now; resolves with its path. */
  writeNow(): Promise<string>;
  /** Stops the timer and writes a last checkpoint (awaited). */
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint of the store's tree every `intervalMs`, idle or not (the file's time shows the writer was
 * alive and the log was that size then). Every instance may run one: all sign the same append-only tree, so their
 * checkpoints agree; file names carry a random part and are opened with `wx`, so none overwrites another.
 */
export function startCheckpointWriter(opts: CheckpointWriterOptions): CheckpointWriter {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const write = async (): Promise<string> => {
    const head = await readTreeHead(await opts.db());
    const checkpoint = { origin: opts.origin, ...head };
    const path = writeCheckpoint(opts.dir, checkpoint, opts.signer);
    opts.onWrite?.(path, head.size);
    if (opts.witnesses) {
      // After the checkpoint is on disk: a witness down or slow (bounded by the poster's timeout) only costs its
      // cosignature; the next checkpoint tries it again.
      try {
        const outcomes = await opts.witnesses.post(readFileSync(path, "utf8"), checkpoint);
        const lines = outcomes.flatMap((o) => o.lines);
        if (lines.length > 0) writeCosigned(path, readFileSync(path, "utf8"), lines);
        opts.onWitnesses?.(path, outcomes);
        const cosigned = outcomes.filter((o) => o.lines.length > 0).length;
        if (cosigned < (opts.witnessQuorum ?? 0)) {
          opts.onError?.(new WitnessQuorumError(`checkpoint ${path} has ${cosigned} cosignatures, fewer than AUDIT_WITNESS_QUORUM ${opts.witnessQuorum}`));
        }
      } catch (err) {
        opts.onError?.(err);
      }
    }
    return path;
  };
  // One write at a time, so a slow store never piles writes up.
  const writeNow = () => {
    const next = chain.then(write);
    chain = next.catch(() => {});
    return next;
  };
  const tick = () => {
    writeNow().catch((err: unknown) => opts.onError?.(err));
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();

  return {
    writeNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await writeNow();
    },
  };
}
