import { expect, test } from "@playwright/test";
import { runSoak } from "../scripts/soak/run";

// The short version of `npm run soak` (scripts/soak/run.ts, the same module): its own sandbox and portal on a fresh
// store, 75 s of staff traffic through a slow, failing and hanging Devdraft, one portal SIGKILL and one sandbox
// restart; then every answer with customers has its audit event, the chain verifies, no answer carried what it
// should not, and none waited past the deadline plus 1 s. Ports: SOAK_PORTAL_PORT / SOAK_SANDBOX_PORT.
test("soak, short: audit, chain, data and deadlines hold through a portal SIGKILL and a sandbox restart", async ({}, testInfo) => {
  test.setTimeout(20 * 60_000); // the soak's portal builds first only if the sources changed since the last build
  const report = await runSoak({
    minutes: 1.25,
    rate: 8,
    schedule: "short",
    portalPort: Number(process.env.SOAK_PORTAL_PORT ?? 3610),
    sandboxPort: Number(process.env.SOAK_SANDBOX_PORT ?? 4610),
    log: (line) => process.stdout.write(`[soak] ${line}\n`),
  });
  process.stdout.write(`${report.summary}\n`);
  await testInfo.attach("soak summary", { body: report.summary, contentType: "text/plain" });
  expect(report.failures).toEqual([]);
  // The run did what it is for: customers were shown and audited, and the SIGKILL cost connections.
  expect(report.findings.audited).toBeGreaterThan(100);
  expect(report.findings.expectedConnectionErrors + report.findings.heldThroughStartup).toBeGreaterThan(0);
});
