import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { cookies, headers } from "next/headers";
import type { NextRequest } from "next/server";
import { processScope } from "@/lib/process-scope";

/**
 * The request being answered, for the code deep in a call (the session, the audit origin, the token actor, the
 * language) that needs its headers or a cookie. An API route sets it (apiRoute); so does the production server's
 * direct path for `/api/customers` (scripts/direct-api.mjs), which calls the route's handler without Next's router
 * and so without the request store `next/headers` reads. Pages, layouts and server actions do not set it: there,
 * these read `next/headers` as before. One reader either way, so no caller knows which path it came by.
 *
 * The storage is process-wide (lib/process-scope.ts): the route's bundle and any other bundle see the same scope.
 */
type RequestScope = { request: NextRequest };

const storage = processScope("http/request-scope", () => new AsyncLocalStorage<RequestScope>());

/** Runs `body` with `request` as the request being answered. */
export function withRequestScope<T>(request: NextRequest, body: () => T): T {
  return storage.run({ request }, body);
}

/** The headers of the request being answered. */
export async function requestHeaders(): Promise<Pick<Headers, "get">> {
  return storage.getStore()?.request.headers ?? (await headers());
}

/** One cookie of the request being answered, or undefined. */
export async function requestCookie(name: string): Promise<string | undefined> {
  const scope = storage.getStore();
  return scope ? scope.request.cookies.get(name)?.value : (await cookies()).get(name)?.value;
}
