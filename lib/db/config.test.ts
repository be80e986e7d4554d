import { describe, expect, it } from "vitest";
import { storeConfigFromEnv } from "./config";

describe("storeConfigFromEnv", () => {
  it("uses PostgreSQL when DATABASE_URL is set", () => {
    expect(storeConfigFromEnv({ DATABASE_URL: "postgres://u@h/db", PORTAL_DATA_DIR: "/x" })).toEqual({
      kind: "postgres",
      url: "postgres://u@h/db",
    });
  });

  it("falls back to SQLite under PORTAL_DATA_DIR, then .data", () => {
    expect(storeConfigFromEnv({ PORTAL_DATA_DIR: "/srv/portal" })).toEqual({ kind: "sqlite", file: "/srv/portal/portal.sqlite" });
    expect(storeConfigFromEnv({ DATABASE_URL: "  " })).toEqual({ kind: "sqlite", file: ".data/portal.sqlite" });
  });
});
