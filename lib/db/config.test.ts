import { describe, expect, it } from "vitest";
import { storeConfigFromEnv } from "./config";

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
