import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import type { Role } from "@/lib/roles";

// Personal API tokens (issue 14, point 8): a staff member's scripts call GET /api/v0/customers with
// `x-client-key: <id>` and `x-client-secret: <secret>`, as they would call Devdraft.
// - The id is public (it names the token in the audit log); the secret is 32 random bytes, shown once.
// - Only the secret's SHA-256 is stored: 256 bits of entropy need no slow hash, and a leaked table gives
//   nothing to guess from. Comparison is constant-time.
// - Every call re-reads the token and its owner: revoked, expired, or an owner disabled since, and it stops.

const TOKEN_ID_PREFIX = "ddpt_";
const TOKEN_ID = /^ddpt_[A-Za-z0-9_-]{22}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
export const DEFAULT_TOKEN_DAYS = 30;
export const MAX_TOKEN_DAYS = 365;
const MAX_LABEL_LENGTH = 100;
/** Live tokens one person may hold at once: enough for every script, few enough to review. */
export const MAX_LIVE_TOKENS = 20;
// last_used_at is written at most once a minute per token, so a script's paging is not a write per page.
const LAST_USED_GRANULARITY_MS = 60_000;
const DAY_MS = 86_400_000;

export type ApiTokenSummary = {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
};
export type CreatedApiToken = ApiTokenSummary & { secret: string };

/** Input the token store refuses, with a message fit to show the person who gave it. Nothing was written. */
export class ApiTokenInputError extends Error {
  override name = "ApiTokenInputError";
}

export function isTokenId(value: unknown): value is string {
  return typeof value === "string" && TOKEN_ID.test(value);
}

function sha256(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Days of validity from text or a number: a whole number from 1 to 365, or the default when absent. */
function parseTokenDays(value: unknown): number {
  if (value === undefined || value === null || value === "") return DEFAULT_TOKEN_DAYS;
  const days = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    throw new ApiTokenInputError(`days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  }
  return days;
}

function parseTokenLabel(value: unknown): string {
  if (value === undefined || value === null) return "API token";
  if (typeof value !== "string") throw new ApiTokenInputError("label must be text");
  const label = value.trim();
  if (label === "") return "API token";
  if (label.length > MAX_LABEL_LENGTH) throw new ApiTokenInputError(`label must be at most ${MAX_LABEL_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(label)) throw new ApiTokenInputError("label must not contain control characters");
  return label;
}

function summary(row: Database["api_tokens"]): ApiTokenSummary {
  return {
    id: row.id,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/**
 * A new token for a staff member; the secret is in the answer and nowhere else. Refuses (writing nothing) bad
 * days or label and a person who already holds MAX_LIVE_TOKENS live tokens.
 */
export async function createApiToken(
  db: Kysely<Database>,
  input: { staffId: string; label?: unknown; days?: unknown },
  now = new Date(),
): Promise<CreatedApiToken> {
  const days = parseTokenDays(input.days);
  const label = parseTokenLabel(input.label);
  const live = await db
    .selectFrom("api_tokens")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("staff_id", "=", input.staffId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirstOrThrow();
  if (Number(live.n) >= MAX_LIVE_TOKENS) {
    throw new ApiTokenInputError(`at most ${MAX_LIVE_TOKENS} live tokens per person: revoke one first`);
  }
  const secret = randomBytes(32).toString("base64url");
  const row = {
    id: `${TOKEN_ID_PREFIX}${randomBytes(16).toString("base64url")}`,
    staff_id: input.staffId,
    label,
    secret_hash: sha256(secret),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + days * DAY_MS).toISOString(),
    revoked_at: null,
    last_used_at: null,
  };
  await db.insertInto("api_tokens").values(row).execute();
  return { ...summary(row), secret };
}

/** A staff member's tokens, newest first, without their hashes. */
export async function listApiTokens(db: Kysely<Database>, staffId: string): Promise<ApiTokenSummary[]> {
  const rows = await db.selectFrom("api_tokens").selectAll().where("staff_id", "=", staffId).orderBy("created_at", "desc").orderBy("id").execute();
  return rows.map(summary);
}

async function findApiToken(db: Kysely<Database>, id: string): Promise<(ApiTokenSummary & { staffId: string }) | null> {
  if (!isTokenId(id)) return null;
  const row = await db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? { ...summary(row), staffId: row.staff_id } : null;
}

/**
 * Revokes a token (only its owner's when `staffId` is given). `revoked` when this call revoked it, `already` when
 * it was revoked before (its first revocation time stands), `not_found` when there is no such token (or not theirs).
 */
export async function revokeApiToken(
  db: Kysely<Database>,
  input: { id: string; staffId?: string },
  now = new Date(),
): Promise<{ status: "revoked" | "already"; token: ApiTokenSummary & { staffId: string } } | { status: "not_found" }> {
  if (!isTokenId(input.id)) return { status: "not_found" };
  let update = db.updateTable("api_tokens").set({ revoked_at: now.toISOString() }).where("id", "=", input.id).where("revoked_at", "is", null);
  if (input.staffId !== undefined) update = update.where("staff_id", "=", input.staffId);
  const res = await update.executeTakeFirst();
  const token = await findApiToken(db, input.id);
  if (!token || (input.staffId !== undefined && token.staffId !== input.staffId)) return { status: "not_found" };
  return { status: res.numUpdatedRows > 0n ? "revoked" : "already", token };
}

/** Why a pair of headers was refused; recorded in the audit log, never told to the caller. */
export type TokenRefusal = "no credentials" | "malformed credentials" | "unknown token" | "wrong secret" | "token revoked" | "token expired" | "owner disabled";

type TokenOwner = { id: string; email: string; name: string; role: Role };
export type TokenCheck =
  { ok: true; tokenId: string; owner: TokenOwner } | { ok: false; tokenId: string | null; refusal: TokenRefusal; owner: TokenOwner | null };

// Compared when the id is unknown, so an unknown id costs the same hash and comparison as a known one.
const UNKNOWN_HASH = sha256(randomBytes(32).toString("base64url"));

/** Checks `x-client-key` / `x-client-secret` against the store, now: the token, its secret, expiry and owner. */
export async function verifyApiToken(
  db: Kysely<Database>,
  key: string | null | undefined,
  secret: string | null | undefined,
  now = new Date(),
): Promise<TokenCheck> {
  if (!key && !secret) return { ok: false, tokenId: null, refusal: "no credentials", owner: null };
  if (!isTokenId(key) || typeof secret !== "string" || !SECRET.test(secret)) {
    return { ok: false, tokenId: isTokenId(key) ? key : null, refusal: "malformed credentials", owner: null };
  }
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("staff", "staff.id", "api_tokens.staff_id")
    .select([
      "api_tokens.id",
      "api_tokens.secret_hash",
      "api_tokens.expires_at",
      "api_tokens.revoked_at",
      "api_tokens.last_used_at",
      "staff.id as staff_id",
      "staff.email",
      "staff.name",
      "staff.role",
      "staff.disabled_at",
    ])
    .where("api_tokens.id", "=", key)
    .executeTakeFirst();
  const matches = timingSafeEqual(Buffer.from(sha256(secret), "hex"), Buffer.from(row?.secret_hash ?? UNKNOWN_HASH, "hex"));
  if (!row) return { ok: false, tokenId: key, refusal: "unknown token", owner: null };
  const owner = { id: row.staff_id, email: row.email, name: row.name, role: row.role };
  if (!matches) return { ok: false, tokenId: key, refusal: "wrong secret", owner };
  if (row.revoked_at !== null) return { ok: false, tokenId: key, refusal: "token revoked", owner };
  if (row.expires_at <= now.toISOString()) return { ok: false, tokenId: key, refusal: "token expired", owner };
  if (row.disabled_at !== null) return { ok: false, tokenId: key, refusal: "owner disabled", owner };
  if (row.last_used_at === null || Date.parse(row.last_used_at) <= now.getTime() - LAST_USED_GRANULARITY_MS) {
    await db.updateTable("api_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", key).execute();
  }
  return { ok: true, tokenId: key, owner };
}
