import { describe, expect, it } from "vitest";
import { readReplicaConfigFromEnv, storeConfigFromEnv } from "./config";

describe("storeConfigFromEnv", () => {
  it("uses PostgreSQL when DATABASE_URL is set, with the PG_* guards (defaults, or as set)", () => {
    expect(storeConfigFromEnv({ DATABASE_URL: "postgres://u@h/db", PORTAL_DATA_DIR: "/x" })).toEqual({
      kind: "postgres",
      url: "postgres://u@h/db",
      statementTimeoutMs: 15_000,
      lockTimeoutMs: 3_000,
      idleInTransactionTimeoutMs: 10_000,
      poolMax: 10,
      connectTimeoutMs: 5_000,
    });
    expect(storeConfigFromEnv({ DATABASE_URL: "postgres://u@h/db", PG_POOL_MAX: "3", PG_STATEMENT_TIMEOUT_MS: "" })).toMatchObject({
      poolMax: 3,
      statementTimeoutMs: 15_000,
    });
    expect(() => storeConfigFromEnv({ DATABASE_URL: "postgres://u@h/db", PG_CONNECT_TIMEOUT_MS: "5s" })).toThrow(
      "PG_CONNECT_TIMEOUT_MS must be a whole number from 100 to 120000",
    );
  });

  it("falls back to SQLite under PORTAL_DATA_DIR, then .data", () => {
    expect(storeConfigFromEnv({ PORTAL_DATA_DIR: "/srv/portal" })).toEqual({ kind: "sqlite", file: "/srv/portal/portal.sqlite" });
    expect(storeConfigFromEnv({ DATABASE_URL: "  " })).toEqual({ kind: "sqlite", file: ".data/portal.sqlite" });
  });
});

describe("readReplicaConfigFromEnv (DATABASE_READ_URL)", () => {
  const primary = { DATABASE_URL: "postgres://u@primary/db" };

  it("is off when unset or blank, and a PostgreSQL store with the primary's guards when set", () => {
    expect(readReplicaConfigFromEnv(primary)).toBeNull();
    expect(readReplicaConfigFromEnv({ ...primary, DATABASE_READ_URL: "  " })).toBeNull();
    expect(readReplicaConfigFromEnv({ ...primary, DATABASE_READ_URL: " postgresql://u@replica/db ", PG_POOL_MAX: "4" })).toEqual({
      ...storeConfigFromEnv({ ...primary, PG_POOL_MAX: "4" }),
      url: "postgresql://u@replica/db",
    });
  });

  it("is refused, one line per problem, without DATABASE_URL or when it is not a postgres:// URL", () => {
    expect(() => readReplicaConfigFromEnv({ DATABASE_READ_URL: "postgres://u@replica/db" })).toThrow(
      "DATABASE_READ_URL is set without DATABASE_URL: a read replica needs the PostgreSQL store (SQLite has none)",
    );
    expect(() => readReplicaConfigFromEnv({ ...primary, DATABASE_READ_URL: "mysql://u@replica/db" })).toThrow(
      "DATABASE_READ_URL must be a postgres:// URL (a streaming replica of DATABASE_URL's server)",
    );
    expect(() => readReplicaConfigFromEnv({ DATABASE_READ_URL: "replica:5432" })).toThrow(/^DATABASE_READ_URL must be .*\nDATABASE_READ_URL is set without/);
  });
});
