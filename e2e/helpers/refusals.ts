import { randomInt } from "node:crypto";
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { z } from "zod";
import { e2e } from "../../playwright.config";
import { apiAt } from "./api";

/** Where a test's requests come from: an address as the one trusted proxy (TRUSTED_PROXY_HOPS=1) would forward it, and a user agent. */
export type Origin = { address: string; userAgent: string };

/**
 * A fresh address per test: no earlier request of the run can have used up its allowance of refusals recorded
 * in full (lib/access/anonymous.ts), and every event carrying it was caused by this test.
 */
export function newOrigin(name: string): Origin {
  return { address: `198.18.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: `refusals-e2e/${name}` };
}

/** A client of the suite's portal from `origin`, signed in as `email` (or not at all). */
export function clientFrom(origin: Origin, email: string | null): Promise<APIRequestContext> {
  return apiAt(e2e.portalUrl, email, "demo", { "x-forwarded-for": origin.address, "user-agent": origin.userAgent });
}

const eventSchema = z.object({
  request_id: z.string(),
  action: z.string(),
  outcome: z.string(),
  actor_email: z.string().nullable(),
  refusal: z.string().nullable(),
  session_id: z.string().nullable(),
  client_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  query: z.unknown(),
});
export type RecordedEvent = z.infer<typeof eventSchema>;

/** The events an auditor finds (GET /api/audit) from `origin` that carry the answer's x-request-id. */
export async function eventsOf(auditor: APIRequestContext, answer: APIResponse, origin: Origin): Promise<RecordedEvent[]> {
  const requestId = answer.headers()["x-request-id"];
  expect(requestId, "the answer names its request").toEqual(expect.any(String));
  const res = await auditor.get(`/api/audit?address=${encodeURIComponent(origin.address)}&limit=200`);
  expect(res.status()).toBe(200);
  const { events } = z.object({ events: z.array(eventSchema) }).parse(await res.json());
  return events.filter((e) => e.request_id === requestId);
}
