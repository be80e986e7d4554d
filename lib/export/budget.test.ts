import { describe, expect, it } from "vitest";
import { createExportBudget, createRateBudget, exportRatePerMin, readExportShare } from "@/lib/devdraft";

const WINDOW_MS = 400;
const soon = () => Date.now() + 5_000;

describe("the export's share of the shared budget", () => {
  it("reads EXPORT_BUDGET_SHARE, 0.5 by default, and refuses nonsense", () => {
    expect(readExportShare({})).toBe(0.5);
    expect(readExportShare({ EXPORT_BUDGET_SHARE: "0.25" })).toBe(0.25);
    expect(() => readExportShare({ EXPORT_BUDGET_SHARE: "0" })).toThrow(/above 0/);
    expect(() => readExportShare({ EXPORT_BUDGET_SHARE: "2" })).toThrow(/at most 1/);
    expect(exportRatePerMin(100, 0.5)).toBe(50);
  });

  it("takes at most its share of a window, and every slot it takes also counts against the shared budget", async () => {
    const shared = createRateBudget({ perMinute: 10, maxWaitMs: 5_000, windowMs: WINDOW_MS });
    const exportBudget = createExportBudget({ shared, perMinute: 5, windowMs: WINDOW_MS });
    const granted: string[] = [];
    const exports = Array.from({ length: 8 }, () => exportBudget.acquire({ deadline: soon() }).then(() => granted.push("export")));
    await new Promise((r) => setTimeout(r, 50));
    expect(granted.filter((who) => who === "export")).toHaveLength(5);
    // The other half is left for staff, and nothing more: the export's five count in the shared window.
    await Promise.all(Array.from({ length: 5 }, () => shared.acquire({ deadline: soon(), lane: "interactive" }).then(() => granted.push("staff"))));
    await expect(shared.acquire({ deadline: Date.now() + 50 })).rejects.toMatchObject({ kind: "rate_limited" });
    await Promise.all(exports);
    expect(granted.slice(0, 10).sort()).toEqual([...Array(5).fill("export"), ...Array(5).fill("staff")]);
  });

  it("lets an interactive request go before an export waiting for the same shared slot", async () => {
    const shared = createRateBudget({ perMinute: 1, maxWaitMs: 5_000, windowMs: WINDOW_MS });
    const exportBudget = createExportBudget({ shared, perMinute: 10, windowMs: WINDOW_MS });
    await shared.acquire({ deadline: soon() });
    const order: string[] = [];
    const exported = exportBudget.acquire({ deadline: soon() }).then(() => order.push("export"));
    await new Promise((r) => setTimeout(r, 10));
    const staff = shared.acquire({ deadline: soon(), lane: "interactive", who: "agent" }).then(() => order.push("staff"));
    await Promise.all([exported, staff]);
    expect(order).toEqual(["staff", "export"]);
  });
});
