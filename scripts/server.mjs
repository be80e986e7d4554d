#!/usr/bin/env node
// The production server (`npm start` runs it through scripts/start.mjs): Next's request handler on a Node HTTP server
// this process owns, instead of `next start`. `next start` closes its listener the moment SIGTERM arrives and exits
// as soon as the requests in flight are done, with no deadline and nothing of ours run in between; here the portal's
// own lib/lifecycle/shutdown.ts decides: readiness off first, then this listener closed, requests and audit writes
// finished, the last checkpoint written, the stores closed (docs/operations.md).
import { createServer } from "node:http";
import { resolve } from "node:path";
import next from "next";
import { loadDirectRoutes } from "./direct-api.mjs";
import { loadStaticAssets } from "./static-assets.mjs";

process.env.NODE_ENV = "production";
// The title `next start` gives its server: tools find the server process by it (bench/harness.ts serverPid).
process.title = "next-server (portal)";
const root = resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? "3000");
// Every interface, as `next start` without -H. (Not HOSTNAME: containers set it to their own name.)
const hostname = process.env.PORTAL_LISTEN_HOST?.trim() || undefined;

// The slot lib/lifecycle/shutdown.ts keeps its state in (lib/process-scope.ts): the shutdown reads the listener from
// it, and this server reads whether the listener is closed.
const processScope = (globalThis[Symbol.for("devdraft-portal:process")] ??= new Map());
if (!processScope.has("lifecycle/shutdown")) processScope.set("lifecycle/shutdown", {});
const lifecycleSlot = processScope.get("lifecycle/shutdown");

let handle = null;
// GET /api/customers answered without Next's router (scripts/direct-api.mjs); null while off or not loaded.
let direct = null;
// The build's /_next/static files, precompressed (scripts/static-assets.mjs); anything else goes on.
let serveStatic = () => false;
// Requests being answered, from the very first (the shutdown waits for them).
const inFlight = new Set();
const server = createServer((req, res) => {
  inFlight.add(res);
  res.once("close", () => inFlight.delete(res));
  // The listener is closed (shutdown): a request still arriving on an open keep-alive connection is refused.
  if (lifecycleSlot.lifecycle?.listenerClosed || !handle) {
    res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "1", Connection: "close", "Cache-Control": "no-store" });
    res.end(JSON.stringify({ statusCode: 503, message: "The portal is shutting down or starting up", error: "Service Unavailable" }));
    return;
  }
  if (serveStatic(req, res)) return;
  const answer = direct?.(req);
  if (answer) answer(res);
  else handle(req, res);
});
const app = next({ dev: false, dir: root, port, hostname: hostname ?? "localhost", httpServer: server });
// Published for lib/lifecycle/shutdown.ts (installed by instrumentation, which Next runs once prepared). closeApp is
// what `next start` does once its listener is drained (Next's own cleanup: `after()` work, caches).
lifecycleSlot.http = { server, inFlight, closeApp: () => app.close() };

await app.prepare();
const distDir = resolve(root, ".next");
if (process.env.PORTAL_DIRECT_API?.trim() !== "off") direct = await loadDirectRoutes(distDir, { port });
serveStatic = await loadStaticAssets(distDir);
handle = app.getRequestHandler();
server.listen(port, hostname, () => {
  process.stdout.write(`[portal] listening on ${hostname ?? "*"}:${port}\n`);
});
