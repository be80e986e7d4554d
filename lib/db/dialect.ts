import "server-only";
import { processScope } from "@/lib/process-scope";
import type { Kysely } from "kysely";

const held = processScope("db/dialect", (): { storeKinds?: WeakMap<object, StoreKind> } => ({}));

/**
 * The one place that knows which store a Kysely instance talks to.
 * createDb registers every instance it builds; code that needs dialect-specific
 * SQL (autoincrement, row locks, write transactions) asks dialectOf().
 */
export type StoreKind = "sqlite" | "postgres";

// One registry per process, not per module copy: Next bundles lib/db into several chunks (instrumentation,
// each route), and an instance created in one must be known in all of them.
const kinds = (held.storeKinds ??= new WeakMap<object, StoreKind>());

class UnknownStoreError extends Error {
  constructor() {
    super("this Kysely instance was not created by createDb(); its store kind is unknown");
    this.name = "UnknownStoreError";
  }
}

export function registerStoreKind<DB>(db: Kysely<DB>, kind: StoreKind): Kysely<DB> {
  kinds.set(db, kind);
  return db;
}

export function dialectOf<DB>(db: Kysely<DB>): StoreKind {
  const kind = kinds.get(db);
  if (!kind) throw new UnknownStoreError();
  return kind;
}
