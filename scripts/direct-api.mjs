// The direct path for the portal's busiest answer, `GET /api/customers`: the production server (scripts/server.mjs)
// calls the route's own handler, from the build Next made and loaded, without Next's router in between. Next's
// routing, its request store and its stream to the socket cost about as much CPU per answer as the whole of a bare
// forward (docs/performance.md); everything the portal does for the answer is in the handler, which runs unchanged:
// apiRoute's request id, cross-site check and request scope (lib/http/request-scope.ts), the gate's session or
// token, validation, the budget, Devdraft, the durable audit event before a byte is sent, masking.
//
// What Next's router adds around a route handler, done here the same way:
// - the fixed headers next.config.ts sets for /api, read from the build's routes-manifest.json (what Next applies);
// - the x-forwarded-* defaults Next fills in when a client sent none (the audit origin reads X-Forwarded-For);
// - gzip for a client that accepts it.
// Anything else (another path or method, a URL Next would normalise, a Host no URL can be made of) goes to Next.
// PORTAL_DIRECT_API=off sends everything to Next.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";

const gzip = promisify(gzipCallback);

/** Paths answered directly, and the built route module that answers each (GET only). */
const DIRECT = { "/api/customers": "app/api/customers/route.js" };

/**
 * Loads the built handlers from `distDir` (`.next`), once Next has prepared (its instrumentation has run start-up).
 * Returns `routeFor(req)`: the function that answers `req` directly, or null when Next should.
 */
export async function loadDirectRoutes(distDir, { port }) {
  const require = createRequire(join(distDir, "server", "direct-api.js"));
  const { NextRequest } = require("next/server");
  const manifest = JSON.parse(readFileSync(join(distDir, "routes-manifest.json"), "utf8"));
  const routes = new Map();
  for (const [path, file] of Object.entries(DIRECT)) {
    // The same module Next loads for this route (Node's module cache): one set of the portal's modules, not two.
    const { routeModule } = require(join(distDir, "server", file));
    await routeModule.ensureUserland();
    const handler = routeModule.userland.GET;
    if (typeof handler !== "function") throw new Error(`the build of ${path} has no GET handler`);
    const fixed = manifest.headers.filter((rule) => new RegExp(rule.regex).test(path)).flatMap((rule) => rule.headers);
    routes.set(path, { handler, fixed });
  }

  async function answer(route, request, req, res) {
    const response = await route.handler(request, { params: undefined });
    let body = Buffer.from(await response.arrayBuffer());
    for (const { key, value } of route.fixed) res.setHeader(key, value);
    for (const [key, value] of response.headers) if (key !== "set-cookie") res.setHeader(key, value);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    res.setHeader("vary", "Accept-Encoding");
    if (body.length > 0 && /\bgzip\b/i.test(String(req.headers["accept-encoding"] ?? ""))) {
      body = await gzip(body);
      res.setHeader("content-encoding", "gzip");
    }
    res.setHeader("content-length", body.length);
    res.writeHead(response.status);
    res.end(body);
  }

  return function routeFor(req) {
    if (req.method !== "GET" || !req.url?.startsWith("/") || !req.headers.host) return null;
    const query = req.url.indexOf("?");
    const route = routes.get(query < 0 ? req.url : req.url.slice(0, query));
    if (!route) return null;
    let request;
    try {
      request = new NextRequest(`http://${req.headers.host}${req.url}`, { method: "GET", headers: requestHeaders(req, port) });
    } catch {
      return null; // no URL can be made of this Host: Next answers it as it would
    }
    // apiRoute turns whatever the portal throws into its error answer; only a fault outside it gets here.
    return (res) =>
      answer(route, request, req, res).catch((err) => {
        process.stderr.write(`[portal] direct ${request.nextUrl.pathname}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        if (res.headersSent) res.destroy();
        else {
          for (const name of res.getHeaderNames()) res.removeHeader(name);
          res.writeHead(500, { "Content-Type": "application/json", "Cache-Control": "no-store" });
          res.end(JSON.stringify({ statusCode: 500, message: "Internal Server Error" }));
        }
      });
  };
}

/** The request's headers as Next hands them to a route: with its x-forwarded-* defaults (base-server.js). */
function requestHeaders(req, port) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const https = req.headers["x-forwarded-proto"] ? req.headers["x-forwarded-proto"] === "https" : Boolean(req.socket.encrypted);
  if (!headers.has("x-forwarded-host")) headers.set("x-forwarded-host", req.headers.host);
  if (!headers.has("x-forwarded-port")) headers.set("x-forwarded-port", String(port || (https ? 443 : 80)));
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", https ? "https" : "http");
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) headers.set("x-forwarded-for", req.socket.remoteAddress);
  return headers;
}
