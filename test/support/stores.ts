// Test support (not a test file): opens an isolated, migrated store of either kind.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDb } from "../../lib/db/connect";
import type { StoreKind } from "../../lib/db/dialect";
import { migrateToLatest } from "../../lib/db/migrations";
import type { Database } from "../../lib/db/schema";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** Store kinds with whether they are available; PostgreSQL only when TEST_DATABASE_URL is set. */
export const STORE_KINDS: ReadonlyArray<{ kind: StoreKind; skip: boolean }> = [
  { kind: "sqlite", skip: false },
  { kind: "postgres", skip: !TEST_DATABASE_URL },
];

export interface TestStore {
  kind: StoreKind;
  db: Kysely<Database>;
  /** Connection string for other processes (PostgreSQL only; includes the private search_path). */
  url: string | null;
  /** SQLite file path (SQLite only). */
  file: string | null;
  /** The private PostgreSQL schema (PostgreSQL only). */
  schema: string | null;
  /** A second, independent connection to the same store. */
  reopen(): Kysely<Database>;
  cleanup(): Promise<void>;
}

export async function openTestStore(kind: StoreKind, { migrate = true } = {}): Promise<TestStore> {
  const store = kind === "sqlite" ? openSqlite() : await openPostgres();
  if (migrate) await migrateToLatest(store.db);
  return store;
}

function openSqlite(): TestStore {
  const dir = mkdtempSync(join(tmpdir(), "portal-db-test-"));
  const file = join(dir, "portal.sqlite");
  const db = createDb({ kind: "sqlite", file });
  const others: Kysely<Database>[] = [];
  return {
    kind: "sqlite",
    db,
    url: null,
    file,
    schema: null,
    reopen() {
      const other = createDb({ kind: "sqlite", file });
      others.push(other);
      return other;
    },
    async cleanup() {
      await Promise.all([db, ...others].map((d) => d.destroy().catch(() => {})));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<TestStore> {
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  // A private schema per test store keeps test files independent on one database.
  const schema = `t_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const db = createDb({ kind: "postgres", url: url.toString() });
  const others: Kysely<Database>[] = [];
  return {
    kind: "postgres",
    db,
    url: url.toString(),
    file: null,
    schema,
    reopen() {
      const other = createDb({ kind: "postgres", url: url.toString() });
      others.push(other);
      return other;
    },
    async cleanup() {
      await Promise.all([db, ...others].map((d) => d.destroy().catch(() => {})));
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

/** A migrated store with one agent per name given ("Ann" is ann@example.com), their staff ids in the same order. */
export async function openStoreWithAgents(kind: StoreKind, names: string[]): Promise<{ store: TestStore; ids: string[] }> {
  const { addStaff } = await import("../../lib/auth/staff-store");
  const store = await openTestStore(kind);
  const ids: string[] = [];
  for (const name of names) ids.push((await addStaff(store.db, { email: `${name.toLowerCase()}@example.com`, name, role: "agent" })).id);
  return { store, ids };
}
