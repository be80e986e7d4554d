import "server-only";
import { getDb } from "../db";
import { log } from "../log";
import { readSinkStatuses, type SinkStatus } from "./outbox";
import { readSiemSettings, type SiemSettings } from "./settings";
import type { ShipperOptions, SinkConfig } from "./shipper";
import { syslogTransport, webhookTransport } from "./transports";

/** The sinks the settings turn on, by name. */
function configuredSinks(settings: SiemSettings): SinkConfig[] {
  const sinks: SinkConfig[] = [];
  if (settings.syslog) sinks.push({ name: "syslog", transport: syslogTransport(settings.syslog) });
  if (settings.webhook) sinks.push({ name: "webhook", transport: webhookTransport(settings.webhook) });
  return sinks;
}

/**
 * Starts streaming the audit log to every configured sink through `start` (the services' startSiem, which gives it
 * the store: start-up; never at import). No sink set: nothing runs.
 */
export function startSiemStreaming(start: (opts: Omit<ShipperOptions, "db">) => unknown, settings: SiemSettings = readSiemSettings()): void {
  const sinks = configuredSinks(settings);
  if (sinks.length === 0) return;
  start({
    sinks,
    batchSize: settings.batchSize,
    retryMaxMs: settings.retryMaxMs,
    pollMs: settings.pollMs,
    // Receivers are outside our control: log the failure once per attempt, never the URL or secret.
    onError: (sink, err) =>
      log.warn({ sink, error: err instanceof Error ? err.message : String(err) }, "could not deliver audit events to the SIEM; will retry"),
  });
  log.info({ sinks: sinks.map((s) => s.name), batchSize: settings.batchSize, retryMaxMs: settings.retryMaxMs }, "streaming the audit log to the SIEM");
}

/** Per-sink backlog, lag and last error for /api/health and the integrity panel. Never throws on bad settings. */
export async function siemStatus(): Promise<SinkStatus[]> {
  let configured: string[] = [];
  try {
    configured = configuredSinks(readSiemSettings()).map((s) => s.name);
  } catch {
    configured = [];
  }
  return readSinkStatuses(await getDb(), configured);
}

export type { SinkStatus } from "./outbox";
