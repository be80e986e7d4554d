import "server-only";
import { Gauge } from "prom-client";
import { siemStatus } from "@/lib/siem";
import { metrics } from "./metrics";

/**
 * The exposition for GET /api/metrics. The SIEM outbox gauges are read from the store on scrape only (the outbox
 * costs nothing between scrapes); they are registered here so the request path never imports the SIEM modules.
 */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  if (!registry.getSingleMetric("portal_siem_backlog_events")) registerSiemGauges();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

function registerSiemGauges(): void {
  const { registry } = metrics();
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
