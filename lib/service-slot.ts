import { processScope } from "@/lib/process-scope";

/**
 * The one process-scope slot the long-lived services live in. lib/services.ts (the composition root) builds them,
 * all in one function, and installs that function here when it is first imported; the first read builds them.
 * Code below the root (the store, the audit, the upstream, the gate and the services on it) cannot import the root
 * without closing an import cycle, so its getters (getDb, recordAudit, getDevdraft…) are one-line reads of this slot,
 * each naming the part of the container it reads; the root's `Services` type is those parts together, so the
 * compiler keeps both sides in step.
 */
type Built = { close(): Promise<void> };

const slot = processScope("services", (): { built?: Built; build?: () => Built } => ({}));

/** lib/services.ts: how to build the container (reads no settings; nothing is built until the first read). */
export function installServices(build: () => Built): void {
  slot.build = build;
}

/** The process's services, built on first use by the function lib/services.ts installed. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is the reader's part; lib/services.ts's Services is every part together
export function services<T extends object>(): T {
  if (slot.built === undefined) {
    if (slot.build === undefined) throw new Error("the services are not installed: import lib/services.ts (start-up, scripts and the tests' setup do)");
    slot.built = slot.build();
  }
  return slot.built as T;
}

/** The services if they were built: shutdown and a metrics scrape read them but never build them. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- as above
export function builtServices<T extends object>(): T | undefined {
  return slot.built as T | undefined;
}

/** Closes every service that was built (queued audit writes commit, export runners stop, the stores close); the next read builds afresh. */
export async function closeServices(): Promise<void> {
  const built = slot.built;
  slot.built = undefined;
  await built?.close();
}

/** Start-up: the container built from the configuration it has just checked, unless one exists already. */
export function adoptServices(built: () => Built): void {
  slot.built ??= built();
}
