import "server-only";
import { requestHeaders } from "@/lib/http/request-scope";

/**
 * The id `proxy.ts` gave this page request (it always replaces a client's), so logs, pages and audit events match.
 * Pages only: the proxy does not run for /api, whose handlers get a fresh id from apiRoute.
 */
export async function requestId(): Promise<string> {
  return (await requestHeaders()).get("x-request-id") ?? crypto.randomUUID();
}
