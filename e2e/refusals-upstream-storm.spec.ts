import { expect, test } from "@playwright/test";
import { apiAs, resetSandbox, sandbox, setFaults } from "./helpers/api";
import { clientFrom, eventsOf, newOrigin } from "./helpers/refusals";

// In the "upstream-storm" project, after everything else: once Devdraft answers 429 the portal holds every
// upstream call back for the delay Devdraft named. The other refusal kinds are in refusals.spec.ts.
test.afterEach(async () => {
  await resetSandbox();
});

test("Devdraft's 429: the agent's list is recorded once as rate_limited", async () => {
  const from = newOrigin("upstream-429");
  const [agent, auditor] = await Promise.all([clientFrom(from, "agent@demo.local"), apiAs("auditor@demo.local")]);
  await setFaults({ rateLimit: 1 });
  await sandbox("/api/v0/customers?take=1");
  const res = await agent.get("/api/customers?name=refused-429");
  expect(res.status()).toBe(429);
  expect(await eventsOf(auditor, res, from)).toEqual([
    expect.objectContaining({
      action: "customers.list",
      actor_email: "agent@demo.local",
      outcome: "rate_limited",
      refusal: "Devdraft rate limit",
      client_address: from.address,
      user_agent: from.userAgent,
    }),
  ]);
  await Promise.all([agent.dispose(), auditor.dispose()]);
});
