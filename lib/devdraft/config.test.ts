import { describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET, DEFAULT_SANDBOX_PORT } from "@/sandbox/defaults";
import { ConfigError, readDevdraftConfig } from "./config";

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    readDevdraftConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("readDevdraftConfig", () => {
  it("runs embedded against the sandbox with its credentials when no URL is set", () => {
    expect(readDevdraftConfig({})).toEqual({
      embedded: true,
      baseUrl: `http://127.0.0.1:${DEFAULT_SANDBOX_PORT}`,
      clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
      clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
      ratePerMin: 100,
      cacheTtlMs: 10_000,
      staleMaxMs: 300_000,
      deadlineMs: 8_000,
      attemptTimeoutMs: 4_000,
    });
  });

  it("follows the sandbox's port and credentials when they are overridden", () => {
    const config = readDevdraftConfig({ SANDBOX_PORT: "5001", SANDBOX_CLIENT_KEY: "k", SANDBOX_CLIENT_SECRET: "s" });
    expect(config).toMatchObject({ baseUrl: "http://127.0.0.1:5001", clientKey: "k", clientSecret: "s" });
  });

  it("uses the real upstream when DEVDRAFT_API_URL is set", () => {
    const config = readDevdraftConfig({
      DEVDRAFT_API_URL: "https://api.devdraft.ai/",
      DEVDRAFT_CLIENT_KEY: "key",
      DEVDRAFT_CLIENT_SECRET: "secret",
      DEVDRAFT_RATE_LIMIT_PER_MIN: "60",
      DEVDRAFT_CACHE_TTL_MS: "0",
      DEVDRAFT_STALE_MAX_SECONDS: "60",
      DEVDRAFT_TIMEOUT_MS: "3000",
      DEVDRAFT_ATTEMPT_TIMEOUT_MS: "5000",
    });
    expect(config).toEqual({
      embedded: false,
      baseUrl: "https://api.devdraft.ai",
      clientKey: "key",
      clientSecret: "secret",
      ratePerMin: 60,
      cacheTtlMs: 0,
      staleMaxMs: 60_000,
      deadlineMs: 3000,
      attemptTimeoutMs: 3000,
    });
  });

  it("names each missing credential when the URL is set", () => {
    expect(problemsOf({ DEVDRAFT_API_URL: "https://api.devdraft.ai", DEVDRAFT_CLIENT_SECRET: "" })).toEqual([
      "DEVDRAFT_CLIENT_KEY is required when DEVDRAFT_API_URL is set",
      "DEVDRAFT_CLIENT_SECRET is required when DEVDRAFT_API_URL is set",
    ]);
  });

  it("sends the portal's own credentials to the built-in sandbox when both are set", () => {
    const config = readDevdraftConfig({ DEVDRAFT_CLIENT_KEY: "k2", DEVDRAFT_CLIENT_SECRET: "s2", SANDBOX_CLIENT_KEY: "k2", SANDBOX_CLIENT_SECRET: "s2" });
    expect(config).toMatchObject({ embedded: true, clientKey: "k2", clientSecret: "s2" });
  });

  it("refuses half a credential pair", () => {
    expect(problemsOf({ DEVDRAFT_CLIENT_KEY: "key" })).toEqual(["DEVDRAFT_CLIENT_SECRET is required when the other DEVDRAFT_CLIENT_* setting is set"]);
  });

  it("reports one line per bad variable, naming it, without echoing values", () => {
    const problems = problemsOf({
      DEVDRAFT_API_URL: "ftp://secret-host",
      DEVDRAFT_RATE_LIMIT_PER_MIN: "0",
      DEVDRAFT_CACHE_TTL_MS: "soon",
      DEVDRAFT_STALE_MAX_SECONDS: "86401",
      DEVDRAFT_TIMEOUT_MS: "-1",
    });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^DEVDRAFT_API_URL /);
    expect(problems[1]).toMatch(/^DEVDRAFT_RATE_LIMIT_PER_MIN /);
    expect(problems[2]).toMatch(/^DEVDRAFT_CACHE_TTL_MS /);
    expect(problems[3]).toMatch(/^DEVDRAFT_STALE_MAX_SECONDS /);
    expect(problems[4]).toMatch(/^DEVDRAFT_TIMEOUT_MS /);
    expect(problems.join("\n")).not.toContain("secret-host");
  });
});
