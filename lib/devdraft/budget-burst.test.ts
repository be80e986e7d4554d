import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "@/sandbox/defaults";
import { createSandbox, type Sandbox } from "@/sandbox/server";
import { createRateBudget } from "./budget";
import { createDevdraftClient } from "./client";
import { DevdraftError } from "./errors";

// A burst of staff against a sandbox that enforces a small limit: the portal's one budget must keep
// the sandbox from ever answering 429, and turn the excess away itself with a retry delay.
const LIMIT = 20;
let sandbox: Sandbox;
let url = "";

beforeAll(async () => {
  sandbox = createSandbox({ customers: 200, seed: 3, clientKey: DEFAULT_SANDBOX_CLIENT_KEY, clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET, rateLimit: LIMIT });
  url = (await sandbox.listen(0, "127.0.0.1")).url;
});
afterAll(async () => {
  await sandbox.close();
});

const statsSchema = (body: unknown): { requests: number; byStatus: Record<string, number> } => {
  if (
    body &&
    typeof body === "object" &&
    "requests" in body &&
    "byStatus" in body &&
    typeof body.requests === "number" &&
    body.byStatus &&
    typeof body.byStatus === "object"
  ) {
    return { requests: body.requests, byStatus: Object.fromEntries(Object.entries(body.byStatus).map(([k, v]) => [k, Number(v)])) };
  }
  throw new Error("unexpected stats body");
};

describe("the shared upstream budget under a burst of concurrent staff", () => {
  it("never earns a 429 from Devdraft, and refuses the excess with a retry delay", async () => {
    const client = createDevdraftClient({
      config: {
        embedded: true,
        baseUrl: url,
        clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
        clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
        ratePerMin: LIMIT,
        cacheTtlMs: 0,
        deadlineMs: 2_000,
        attemptTimeoutMs: 1_000,
      },
      budget: createRateBudget({ perMinute: LIMIT, maxWaitMs: 300 }),
    });
    // Distinct queries, so neither coalescing nor the cache hides the burst.
    const results = await Promise.allSettled(Array.from({ length: 3 * LIMIT }, (_, i) => client.listCustomers({ take: 1, skip: i })));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(ok).toHaveLength(LIMIT);
    expect(refused).toHaveLength(2 * LIMIT);
    for (const err of refused) {
      expect(err).toBeInstanceOf(DevdraftError);
      expect(err).toMatchObject({ kind: "rate_limited", status: 429 });
      expect(err instanceof DevdraftError && err.retryAfterMs).toBeGreaterThan(0);
    }
    const stats = statsSchema(await (await fetch(`${url}/__sandbox/stats`)).json());
    expect(stats.requests).toBe(LIMIT);
    expect(stats.byStatus["429"] ?? 0).toBe(0);
  });
});
