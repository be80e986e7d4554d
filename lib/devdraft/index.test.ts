import { afterEach, describe, expect, it, vi } from "vitest";
import { closeServices } from "@/lib/services";

afterEach(async () => {
  vi.unstubAllEnvs();
  await closeServices();
});

describe("getDevdraft", () => {
  it("reads no environment until first use, then reuses one client per process", async () => {
    vi.stubEnv("DEVDRAFT_API_URL", "https://api.devdraft.ai");
    vi.stubEnv("DEVDRAFT_CLIENT_KEY", "");
    const { getDevdraft, ConfigError } = await import("./index");
    expect(() => getDevdraft()).toThrow(ConfigError);
    vi.stubEnv("DEVDRAFT_CLIENT_KEY", "key");
    vi.stubEnv("DEVDRAFT_CLIENT_SECRET", "secret");
    const client = getDevdraft();
    expect(getDevdraft()).toBe(client);
  });
});
