import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf } from "./dialect";
import { closeDb, getDb, getReadDb } from "./get-db";

describe("getDb", () => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, PORTAL_DATA_DIR: process.env.PORTAL_DATA_DIR };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "portal-getdb-"));
    delete process.env.DATABASE_URL;
    process.env.PORTAL_DATA_DIR = join(dir, "nested", "data");
  });
  afterAll(async () => {
    await closeDb();
    Object.assign(process.env, saved);
    if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (saved.PORTAL_DATA_DIR === undefined) delete process.env.PORTAL_DATA_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens one migrated store for concurrent first callers, creating the data directory", async () => {
    const first = getDb();
    expect(getDb()).toBe(first);
    expect(getDb()).toBe(first);
    const db = await first;
    expect(dialectOf(db)).toBe("sqlite");
    expect(await db.selectFrom("audit_chain_head").select("seq").execute()).toEqual([{ seq: 0 }]);
    const pragma = async (name: string) => (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0];
    expect(await pragma("journal_mode")).toEqual({ journal_mode: "wal" });
    expect(await pragma("busy_timeout")).toEqual({ timeout: 5000 });
    expect(await pragma("foreign_keys")).toEqual({ foreign_keys: 1 });
    expect(await pragma("synchronous")).toEqual({ synchronous: 1 });
  });

  it("getReadDb is the primary itself without DATABASE_READ_URL (the embedded SQLite store has no replicas)", async () => {
    expect(await getReadDb()).toBe(await getDb());
  });

  it("closeDb closes it and the next getDb opens a fresh one on the same file", async () => {
    const before = await getDb();
    await before.insertInto("login_attempts").values({ key: "ip:1", at: new Date().toISOString() }).execute();
    await closeDb();
    const after = await getDb();
    expect(after).not.toBe(before);
    expect(await after.selectFrom("login_attempts").select("key").execute()).toEqual([{ key: "ip:1" }]);
  });
});
