import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET, DEFAULT_SANDBOX_PORT } from "./defaults";

describe("loadConfig", () => {
  it("defaults every setting", () => {
    expect(loadConfig({})).toEqual({
      port: DEFAULT_SANDBOX_PORT,
      host: "127.0.0.1",
      clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
      clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
      customers: 5000,
      seed: 42,
      faults: {
        rateLimit: 100,
        latencyMs: 0,
        errorRate: 0,
        hangRate: 0,
        malformedRate: 0,
        envelope: false,
        retryAfterStyle: "snake",
        timestampStyle: "camel",
      },
    });
  });

  it("reads overrides", () => {
    const config = loadConfig({
      SANDBOX_PORT: "0",
      SANDBOX_CUSTOMERS: "1000000",
      SANDBOX_RATE_LIMIT: "0",
      SANDBOX_ERROR_RATE: "0.25",
      SANDBOX_ENVELOPE: "1",
      SANDBOX_RETRY_AFTER_STYLE: "camel",
      SANDBOX_TIMESTAMP_STYLE: "snake",
    });
    expect(config.port).toBe(0);
    expect(config.customers).toBe(1_000_000);
    expect(config.faults).toMatchObject({
      rateLimit: 0,
      errorRate: 0.25,
      envelope: true,
      retryAfterStyle: "camel",
      timestampStyle: "snake",
    });
  });

  it.each([
    ["SANDBOX_PORT", "70000"],
    ["SANDBOX_CUSTOMERS", "1000001"],
    ["SANDBOX_CUSTOMERS", "-5"],
    ["SANDBOX_SEED", "abc"],
    ["SANDBOX_ERROR_RATE", "1.5"],
    ["SANDBOX_HANG_RATE", "x"],
    ["SANDBOX_ENVELOPE", "yes"],
    ["SANDBOX_RETRY_AFTER_STYLE", "kebab"],
    ["SANDBOX_TIMESTAMP_STYLE", "pascal"],
    ["SANDBOX_LATENCY_MS", "1.5"],
  ])("rejects %s=%s with one line naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      const message = error instanceof Error ? error.message : "";
      expect(message.startsWith(`${name}=`)).toBe(true);
      expect(message).not.toContain("\n");
    }
  });
});
