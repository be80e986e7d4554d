import "server-only";
import { audited } from "@/lib/access/gate";
import { getDb } from "@/lib/db";
import { InvalidQueryError, NotFoundError } from "@/lib/errors";
import {
  ApiTokenInputError,
  type ApiTokenSummary,
  type CreatedApiToken,
  createApiToken,
  isTokenId,
  listApiTokens,
  revokeApiToken,
} from "@/lib/auth/api-tokens";
import { CUSTOMER_READERS } from "@/lib/roles";

// The portal's own door to a signed-in staff member's tokens (/account/tokens and /api/tokens): through the one
// gate, so creating and revoking are on record under the person, from their session and address.

/** Creates a token for the signed-in staff member; `body` is the request's JSON ({ label?, days? }). */
export async function createTokenForSession(body: unknown, requestId: string): Promise<CreatedApiToken> {
  const fields = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  const query = fields ? { label: fields.label ?? null, days: fields.days ?? null } : { body: "not a JSON object" };
  return audited({
    action: "token.create",
    roles: CUSTOMER_READERS,
    // A token reads contact details unmasked: minting one needs the same recent sign-in as Reveal and export.
    stepUp: true,
    requestId,
    query,
    async run(staff) {
      if (!fields) throw new InvalidQueryError(["the body must be a JSON object with optional label and days"]);
      const unknown = Object.keys(fields).filter((k) => k !== "label" && k !== "days");
      if (unknown.length > 0) throw new InvalidQueryError([`unknown field: ${unknown.join(", ").slice(0, 100)}`]);
      try {
        const token = await createApiToken(await getDb(), { staffId: staff.id, label: fields.label, days: fields.days });
        return { value: token, query: { label: token.label, days: fields.days ?? null }, detail: { token: token.id, expires_at: token.expiresAt } };
      } catch (err) {
        if (err instanceof ApiTokenInputError) throw new InvalidQueryError([err.message]);
        throw err;
      }
    },
  });
}

/** Revokes one of the signed-in staff member's own tokens; someone else's is not found. */
export async function revokeTokenForSession(id: string, requestId: string): Promise<ApiTokenSummary> {
  return audited({
    action: "token.revoke",
    roles: CUSTOMER_READERS,
    requestId,
    query: { token: isTokenId(id) ? id : `(not a token id, ${String(id).length} characters)` },
    async run(staff) {
      const result = await revokeApiToken(await getDb(), { id, staffId: staff.id });
      if (result.status === "not_found") throw new NotFoundError("No such API token");
      const { staffId: _owner, ...token } = result.token;
      return { value: token, detail: { already_revoked: result.status === "already" } };
    },
  });
}

/** The signed-in staff member's tokens for their page (their own, no secrets, no hashes). */
export async function tokensOf(staffId: string): Promise<ApiTokenSummary[]> {
  return listApiTokens(await getDb(), staffId);
}
