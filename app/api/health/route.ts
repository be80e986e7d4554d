import pkg from "@/package.json";
import { log } from "@/lib/log";
import { siemStatus, type SinkStatus } from "@/lib/siem";

export const dynamic = "force-dynamic";

/**
 * Liveness plus the SIEM stream per sink: backlog (events not yet accepted by the receiver), lag (age in seconds of
 * the oldest of them), the last error and the last delivery. No URLs or secrets.
 */
export async function GET() {
  let siem: SinkStatus[] | { error: string };
  try {
    siem = await siemStatus();
  } catch (err) {
    log.error({ err }, "health: could not read the SIEM stream's state");
    siem = { error: "the store could not be read" };
  }
  return Response.json({ ok: true, version: pkg.version, siem }, { headers: { "Cache-Control": "no-store" } });
}
