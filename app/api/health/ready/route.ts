import { isReady } from "@/lib/lifecycle/shutdown";

export const dynamic = "force-dynamic";

/**
 * Readiness for a load balancer: 200 while this instance takes requests, 503 from the moment it received SIGTERM
 * (lib/lifecycle/shutdown.ts). /api/health stays liveness: it answers 200 for as long as the process serves at all.
 */
export function GET() {
  const ready = isReady();
  return Response.json(ready ? { ready: true } : { ready: false, reason: "shutting down" }, {
    status: ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
