import "server-only";
import { requestHeaders } from "@/lib/http/request-scope";
import { type TokenRefusal, verifyApiToken } from "@/lib/auth/api-tokens";
import { AuthError } from "@/lib/errors";
import { getDb } from "@/lib/db";
import type { ActorResolution } from "./gate";

/** Devdraft's own answer to missing or wrong credentials; every token refusal gets exactly this. */
const INVALID_CREDENTIALS = "Invalid API credentials";

// Genuine credentials that stopped working name their owner in the audit log; a guess names no one.
const GENUINE: readonly TokenRefusal[] = ["token revoked", "token expired", "owner disabled"];

/**
 * The actor of an API call: the owner of the personal token in `x-client-key` / `x-client-secret`, checked now
 * (token, secret, expiry, revocation, owner enabled). The session cookie plays no part. The event's session is
 * `token:<id>` and its detail says `via: "token"`.
 */
export async function tokenActor(): Promise<ActorResolution> {
  const h = await requestHeaders();
  const check = await verifyApiToken(await getDb(), h.get("x-client-key"), h.get("x-client-secret"));
  const sessionId = check.tokenId ? `token:${check.tokenId}` : null;
  const detail = { via: "token" };
  if (check.ok) return { ok: true, staff: check.owner, sessionId, detail };
  const owner = GENUINE.includes(check.refusal) ? check.owner : null;
  return {
    ok: false,
    error: new AuthError(401, INVALID_CREDENTIALS),
    sessionId,
    refusal: `API token: ${check.refusal}`,
    actor: owner ? { id: owner.id, email: owner.email } : null,
    detail,
  };
}
