import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { onShutdown } from "../lifecycle/shutdown";
import { readTreeHead, writeCheckpoint } from "./checkpoints";
import type { NoteSigner } from "./signed-note";

export interface CheckpointWriterOptions {
  db: () => Promise<Kysely<Database>>;
  signer: NoteSigner;
  origin: string;
  dir: string;
  intervalMs: number;
  onError?: (err: unknown) => void;
  onWrite?: (file: string, size: number) => void;
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
    const path = writeCheckpoint(opts.dir, { origin: opts.origin, ...head }, opts.signer);
    opts.onWrite?.(path, head.size);
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

declare global {
  var __devdraftCheckpointWriter: CheckpointWriter | undefined;
}

/**
 * The process-wide writer (started once). Its last checkpoint is written on shutdown as a `final` hook of
 * lib/lifecycle/shutdown.ts: after the requests in flight and the audit writes they made, so it covers every event.
 */
export function startProcessCheckpointWriter(opts: CheckpointWriterOptions): CheckpointWriter {
  const running = globalThis.__devdraftCheckpointWriter;
  if (running) return running;
  const writer = startCheckpointWriter(opts);
  globalThis.__devdraftCheckpointWriter = writer;
  onShutdown("audit checkpoint", () => writer.stop(), "final");
  return writer;
}
