import "server-only";
import { Gauge } from "prom-client";
import { getDb } from "@/lib/db";
import { LANES } from "@/lib/devdraft/fair-share";
import { siemStatus } from "@/lib/siem";
import { metrics } from "@/lib/observe/metrics";
import { existingBudget } from "@/lib/devdraft";

/**
 * The exposition for GET /api/metrics. The SIEM outbox gauges are read from the store on scrape only (the outbox
 * costs nothing between scrapes); they are registered here so the request path never imports the SIEM modules.
 */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  if (!registry.getSingleMetric("portal_siem_backlog_events")) registerScrapeGauges();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

function registerScrapeGauges(): void {
  const { registry } = metrics();
  new Gauge({
    name: "portal_devdraft_budget_available",
    help: "Slots free in the Devdraft rate budget right now (shared by the instances on PostgreSQL; 0 while a 429 penalty holds)",
    registers: [registry],
    async collect() {
      // The budget that exists: a scrape never creates one (no Devdraft call yet, no gauge value).
      const budget = existingBudget();
      const free = await budget?.available?.().catch(() => undefined);
      if (free !== undefined) this.set(free);
    },
  });
  new Gauge({
    name: "portal_devdraft_budget_queue",
    help: "Callers waiting for a Devdraft budget slot, by lane (interactive, export, background); on PostgreSQL every instance's",
    labelNames: ["lane"],
    registers: [registry],
    async collect() {
      const queued = await existingBudget()
        ?.queued?.()
        .catch(() => undefined);
      if (queued) for (const lane of LANES) this.set({ lane }, queued[lane]);
    },
  });
  new Gauge({
    name: "portal_export_jobs",
    help: "Export jobs in the store by state",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows = await (
          await getDb()
        )
          .selectFrom("export_jobs")
          .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
          .groupBy("state")
          .execute();
        for (const row of rows) this.set({ state: row.state }, Number(row.n));
      } catch {
        // The store is down: the gauge is left out of this scrape.
      }
    },
  });
  // One read of the outbox per scrape, shared by both gauges.
  let pending: Promise<Awaited<ReturnType<typeof siemStatus>>> | null = null;
  const sinks = () => {
    pending ??= siemStatus()
      .catch(() => [])
      .finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
  new Gauge({
    name: "portal_siem_backlog_events",
    help: "Audit events recorded but not yet delivered to a SIEM sink",
    labelNames: ["sink"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of await sinks()) this.set({ sink: s.sink }, s.backlog);
    },
  });
  new Gauge({
    name: "portal_siem_lag_seconds",
    help: "Age of the oldest audit event not yet delivered to a SIEM sink (0 when caught up)",
    labelNames: ["sink"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of await sinks()) this.set({ sink: s.sink }, s.lagSeconds);
    },
  });
}
