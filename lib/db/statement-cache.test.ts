import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withStatementCache } from "./connect";

// SQLite only: PostgreSQL has no client-side prepare in this driver.
describe("SQLite prepared statements kept per connection", () => {
  let dir: string;
  let raw: SqliteDatabase.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "portal-stmt-"));
    raw = new SqliteDatabase(join(dir, "s.sqlite"));
    raw.exec("create table t (id integer primary key, v text)");
    raw.exec("insert into t (v) values ('a'), ('b'), ('c')");
  });
  afterEach(() => {
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("hands back the statement prepared before for the same SQL, and a fresh one for other SQL", () => {
    const cached = withStatementCache(raw);
    const one = cached.prepare("select v from t where id = ?");
    expect(cached.prepare("select v from t where id = ?")).toBe(one);
    expect(cached.prepare("select v from t where id > ?")).not.toBe(one);
  });

  it("keeps at most its size, dropping the least recently used", () => {
    const cached = withStatementCache(raw, 2);
    const a = cached.prepare("select 1");
    const b = cached.prepare("select 2");
    expect(cached.prepare("select 1")).toBe(a);
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).toBe(a);
    expect(cached.prepare("select 2")).not.toBe(b);
  });

  it("gives a fresh statement while the cached one is being iterated (a stream), and binds parameters on each run", async () => {
    const cached = withStatementCache(raw);
    const sql = "select v from t order by id";
    const streamed: string[] = [];
    for (const row of cached.prepare(sql).iterate([]) as IterableIterator<{ v: string }>) {
      streamed.push(row.v);
      // The same SQL while the first statement is still busy iterating.
      expect(cached.prepare(sql).all([])).toEqual([{ v: "a" }, { v: "b" }, { v: "c" }]);
    }
    expect(streamed).toEqual(["a", "b", "c"]);
    // Through Kysely, as the portal uses it: one cached statement, each run with its own parameters.
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
    const byId = (id: number) => db.selectFrom("t").select("v").where("id", "=", id).executeTakeFirst();
    expect(await byId(2)).toEqual({ v: "b" });
    expect(await byId(3)).toEqual({ v: "c" });
    expect(await byId(9)).toBeUndefined();
  });
});
