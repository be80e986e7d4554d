import "server-only";
import { headers } from "next/headers";

/** The id `proxy.ts` gave this request (it never trusts a client's), so logs, answers and audit events match. */
export async function requestId(): Promise<string> {
  return (await headers()).get("x-request-id") ?? crypto.randomUUID();
}
