import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevdraftClient, createRateBudget, DevdraftError } from "@/lib/devdraft";
import { addOwner, engineFor, sandboxConfig, sandboxStats, startHarness, type Harness } from "@/test/support/export";

// The portal's one budget at 60 requests a minute, an export allowed half of it, and a sandbox that
// enforces the same 60: staff browsing while the export runs must keep getting their pages.
const LIMIT = 60;
const SHARE = 0.5;
const INTERACTIVE = 20;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ customers: 6_000, rateLimit: LIMIT });
  await addOwner(h.db, { id: "a", email: "a@x" });
});
afterAll(() => h.close());

describe("interactive list requests while an export runs", () => {
  it("are all served, with no 429 from the portal or from Devdraft, while the export stays within its share", async () => {
    const shared = createRateBudget({ perMinute: LIMIT, maxWaitMs: 5_000 });
    const engine = engineFor({ url: h.url, db: h.db, ratePerMin: LIMIT, share: SHARE, shared });
    const interactive = createDevdraftClient({ config: sandboxConfig(h.url, LIMIT, { cacheTtlMs: 0 }), budget: shared });
    const job = await engine.start({ owner: { id: "a", email: "a@x" }, query: {}, bom: false, unmasked: true, requestId: "r" });

    const latencies: number[] = [];
    let refused = 0;
    for (let i = 0; i < INTERACTIVE; i++) {
      const started = performance.now();
      try {
        await interactive.listCustomers({ take: 25, skip: i * 25 });
        latencies.push(performance.now() - started);
      } catch (error) {
        if (error instanceof DevdraftError && error.kind === "rate_limited") refused += 1;
        else throw error;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    const exportPages = (await engine.get(job.id, "a"))?.pages ?? 0;
    await engine.cancel(job.id, "a");

    const stats = await sandboxStats(h.url);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    const max = sorted.at(-1) ?? NaN;
    process.stdout.write(
      `interactive during export: ${latencies.length}/${INTERACTIVE} served, ${refused} refused (429) by the portal, ` +
        `${stats.byStatus["429"] ?? 0} 429 from the sandbox, latency p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms; ` +
        `export sent ${exportPages} pages (share ${SHARE * LIMIT}/min)\n`,
    );
    expect(refused).toBe(0);
    expect(latencies).toHaveLength(INTERACTIVE);
    expect(stats.byStatus["429"] ?? 0).toBe(0);
    expect(exportPages).toBeLessThanOrEqual(SHARE * LIMIT);
    expect(exportPages).toBeGreaterThan(0);
  });
});
