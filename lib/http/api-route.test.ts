import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { AuthError } from "@/lib/errors";
import { apiRoute } from "./api-route";

const PORTAL = "http://portal.test";
const req = (method: string, headers: Record<string, string> = {}) =>
  new NextRequest(`${PORTAL}/api/customers/x/contact`, { method, headers: { host: "portal.test", ...headers } });

describe("apiRoute", () => {
  it("refuses a cross-site write before the handler runs, with a request id", async () => {
    const handler = vi.fn(async () => Response.json({ ok: true }));
    const res = await apiRoute(handler)(req("POST", { origin: "https://evil.example" }), {});
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ statusCode: 403, message: "Cross-site request refused", error: "Forbidden" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a write with no Origin that the browser marks cross-site, and one with a malformed Origin", async () => {
    const handler = vi.fn(async () => Response.json({ ok: true }));
    expect((await apiRoute(handler)(req("DELETE", { "sec-fetch-site": "cross-site" }), {})).status).toBe(403);
    expect((await apiRoute(handler)(req("POST", { origin: "not a url" }), {})).status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
  });

  it("lets a same-origin write and any read through", async () => {
    const handler = vi.fn(async () => Response.json({ ok: true }));
    expect((await apiRoute(handler)(req("POST", { origin: PORTAL }), {})).status).toBe(200);
    expect((await apiRoute(handler)(req("GET", { origin: "https://evil.example" }), {})).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("names every request itself: a client's x-request-id is never used", async () => {
    const seen: string[] = [];
    const route = apiRoute(async (_r, _c, requestId) => {
      seen.push(requestId);
      return Response.json({});
    });
    await route(req("GET", { "x-request-id": "chosen-by-client" }), {});
    await route(req("GET", { "x-request-id": "chosen-by-client" }), {});
    expect(seen).not.toContain("chosen-by-client");
    expect(new Set(seen).size).toBe(2);
  });

  it("turns a thrown error into the portal's error answer under the same request id", async () => {
    let id = "";
    const res = await apiRoute(async (_r, _c, requestId) => {
      id = requestId;
      throw new AuthError(401, "Sign in to continue");
    })(req("GET"), {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ statusCode: 401, message: "Sign in to continue", error: "Unauthorized" });
    expect(res.headers.get("x-request-id")).toBe(id);
  });
});

// proxy.ts does not run for /api: a handler exported without apiRoute would skip the cross-site check.
describe("every API route handler", () => {
  const apiDir = join(process.cwd(), "app", "api");
  const routes = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routes(join(dir, e.name)) : e.name === "route.ts" ? [join(dir, e.name)] : []));
  // next-auth checks its own CSRF token; the health checks (liveness, readiness) take no input and show nothing.
  const OWN_GUARD = new Set(["auth/[...nextauth]/route.ts", "health/route.ts", "health/ready/route.ts"]);

  it("is wrapped in apiRoute", () => {
    const files = routes(apiDir).filter((f) => !OWN_GUARD.has(relative(apiDir, f)));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      const methods = [...source.matchAll(/export\s+(?:async\s+function|const|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g)].map((m) => m[1]);
      expect(methods.length, relative(apiDir, file)).toBeGreaterThan(0);
      const wrapped = [...source.matchAll(/export const (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) = apiRoute\(/g)].map((m) => m[1]);
      expect(wrapped, relative(apiDir, file)).toEqual(methods);
      expect(source, relative(apiDir, file)).not.toMatch(/export\s*\{[^}]*\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/);
    }
  });
});
