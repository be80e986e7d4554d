import "server-only";
import type { Kysely } from "kysely";
import type { AuditInput } from "@/lib/audit/input";
import type { Database } from "@/lib/db/schema";
import { ApiTokenInputError, type CreatedApiToken, createApiToken, isTokenId, revokeApiToken } from "./api-tokens";
import { CUSTOMER_READERS } from "@/lib/roles";
import { findStaffByEmail } from "./staff-store";

// `npm run staff -- token create|revoke`: the token store's changes as the command line makes them, and the
// audit event of each (no actor: the operating-system user is in detail, as for the other staff commands).

export type TokenCreateResult =
  { ok: true; email: string; token: CreatedApiToken } | { ok: false; email: string; outcome: "invalid" | "not_found"; refusal: string };

export type TokenRevokeResult =
  { ok: true; id: string; email: string | null; already: boolean } | { ok: false; id: string; outcome: "not_found"; refusal: string };

/** A token for the staff member with this email; refused (nothing written) for an unknown, disabled or non-reading account. */
export async function createTokenFor(db: Kysely<Database>, input: { email: string; days?: unknown; label?: unknown }): Promise<TokenCreateResult> {
  const email = input.email.trim().toLowerCase();
  const staff = await findStaffByEmail(db, email);
  if (!staff) return { ok: false, email, outcome: "not_found", refusal: "no such staff member" };
  if (staff.disabled_at) return { ok: false, email, outcome: "invalid", refusal: "the staff member is disabled" };
  if (!CUSTOMER_READERS.includes(staff.role)) return { ok: false, email, outcome: "invalid", refusal: `the role ${staff.role} may not read customers` };
  try {
    return { ok: true, email, token: await createApiToken(db, { staffId: staff.id, days: input.days, label: input.label }) };
  } catch (err) {
    if (err instanceof ApiTokenInputError) return { ok: false, email, outcome: "invalid", refusal: err.message };
    throw err;
  }
}

export async function revokeTokenById(db: Kysely<Database>, id: string): Promise<TokenRevokeResult> {
  const result = await revokeApiToken(db, { id });
  if (result.status === "not_found") return { ok: false, id, outcome: "not_found", refusal: "no such API token" };
  const owner = await db.selectFrom("staff").select("email").where("id", "=", result.token.staffId).executeTakeFirst();
  return { ok: true, id, email: owner?.email ?? null, already: result.status === "already" };
}

export function tokenCreateEvent(result: TokenCreateResult, osUser: string | null): AuditInput {
  const base = { actor: null, action: "token.create" as const, targets: [], query: { email: result.email }, requestId: crypto.randomUUID() };
  if (!result.ok) return { ...base, outcome: result.outcome, refusal: result.refusal, detail: { via: "cli", os_user: osUser } };
  const { token } = result;
  return { ...base, outcome: "ok", detail: { via: "cli", os_user: osUser, token: token.id, label: token.label, expires_at: token.expiresAt } };
}

export function tokenRevokeEvent(result: TokenRevokeResult, osUser: string | null): AuditInput {
  const base = { actor: null, action: "token.revoke" as const, targets: [], requestId: crypto.randomUUID() };
  // An id that is not one is recorded by its length only: whatever was pasted there may be a secret.
  const query = { token: isTokenId(result.id) ? result.id : `(not a token id, ${String(result.id).length} characters)` };
  if (!result.ok) return { ...base, query, outcome: result.outcome, refusal: result.refusal, detail: { via: "cli", os_user: osUser } };
  return { ...base, query, outcome: "ok", detail: { via: "cli", os_user: osUser, owner: result.email, already_revoked: result.already } };
}
