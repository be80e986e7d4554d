import { expect, test } from "@playwright/test";
import { apiAs, auditByRequestId, resetSandbox, sandbox, setFaults } from "./helpers/api";

// Runs after every other spec (its own Playwright project): once Devdraft says "wait", the portal's one
// budget honours that delay for everyone, which would hold up the tests that came after it.
test.afterEach(async () => {
  await resetSandbox();
});

test("Devdraft rate-limiting the portal: 429 with Retry-After, never an empty list, and on record", async () => {
  const agent = await apiAs("agent@demo.local");
  await setFaults({ rateLimit: 1, retryAfterStyle: "camel" });
  await sandbox("/api/v0/customers?take=1");
  const res = await agent.get("/api/customers?name=storm");
  expect(res.status()).toBe(429);
  expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await res.json()).toMatchObject({ statusCode: 429, error: "Too Many Requests" });
  expect(auditByRequestId(res.headers()["x-request-id"] ?? "")[0]?.outcome).toBe("rate_limited");

  // The portal now holds everyone back until Devdraft's delay is over, without asking Devdraft again.
  const before = await sandbox("/__sandbox/stats");
  const again = await agent.get("/api/customers?name=storm-again");
  expect(again.status()).toBe(429);
  const after = await sandbox("/__sandbox/stats");
  expect(count(after.body) - count(before.body)).toBe(0);
});

function count(stats: unknown): number {
  return stats && typeof stats === "object" && "requests" in stats && typeof stats.requests === "number" ? stats.requests : NaN;
}
