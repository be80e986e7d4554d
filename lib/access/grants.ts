import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Staff } from "@/lib/auth/session";
import type { AccessGrantRow, Database } from "@/lib/db/schema";
import { withWriteTransaction } from "@/lib/db/write-transaction";
import { InvalidQueryError, NotFoundError, NotGrantedError } from "@/lib/errors";
import { GRANT_HOURS_MAX, GRANT_HOURS_MIN, grantState, type GrantPermission, type GrantView } from "./grant-rules";

const HOUR_MS = 3_600_000;

export type NewGrant = { staffId: string; grantedBy: string; permission: GrantPermission; hours: number; reason: string };

/**
 * Grants one agent a permission for `hours` (1–72). Only an enabled agent may receive one: an admin already holds
 * every permission a grant gives, and an auditor reads no customer data. Bad input throws and writes nothing.
 */
export async function createGrant(db: Kysely<Database>, grant: NewGrant, now = new Date()): Promise<AccessGrantRow> {
  if (!Number.isInteger(grant.hours) || grant.hours < GRANT_HOURS_MIN || grant.hours > GRANT_HOURS_MAX) {
    throw new InvalidQueryError(`hours: must be a whole number from ${GRANT_HOURS_MIN} to ${GRANT_HOURS_MAX}`);
  }
  return withWriteTransaction(db, async (trx) => {
    const staff = await trx.selectFrom("staff").select(["id", "role", "disabled_at"]).where("id", "=", grant.staffId).executeTakeFirst();
    if (!staff) throw new NotFoundError("No such staff member");
    if (staff.role !== "agent") throw new InvalidQueryError(`staffId: only an agent can be granted ${grant.permission} rights (this is an ${staff.role})`);
    if (staff.disabled_at !== null) throw new InvalidQueryError("staffId: this staff member is disabled");
    const row: AccessGrantRow = {
      id: randomUUID(),
      staff_id: grant.staffId,
      permission: grant.permission,
      granted_by: grant.grantedBy,
      reason: grant.reason,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + grant.hours * HOUR_MS).toISOString(),
      revoked_at: null,
      revoked_by: null,
    };
    await trx.insertInto("access_grants").values(row).execute();
    return row;
  });
}

/** Ends a live grant now. A grant already revoked or expired is refused (nothing changes): there is nothing to end. */
export async function revokeGrant(db: Kysely<Database>, id: string, revokedBy: string, now = new Date()): Promise<AccessGrantRow> {
  return withWriteTransaction(db, async (trx) => {
    const row = await trx.selectFrom("access_grants").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("No such grant");
    const state = grantState(row, now);
    if (state !== "live") throw new InvalidQueryError(`This grant is already ${state}`);
    const at = now.toISOString();
    await trx.updateTable("access_grants").set({ revoked_at: at, revoked_by: revokedBy }).where("id", "=", id).where("revoked_at", "is", null).execute();
    return { ...row, revoked_at: at, revoked_by: revokedBy };
  });
}

/** The staff member's live grant of this permission (the one lasting longest), read from the store at each call. */
export async function liveGrant(db: Kysely<Database>, staffId: string, permission: GrantPermission, now = new Date()): Promise<AccessGrantRow | null> {
  const row = await db
    .selectFrom("access_grants")
    .selectAll()
    .where("staff_id", "=", staffId)
    .where("permission", "=", permission)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .orderBy("expires_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Whether this staff member may export now: admins by role; an agent only with a live grant (its id is recorded). */
export async function exportPermission(db: Kysely<Database>, staff: Staff, now = new Date()): Promise<{ grantId: string | null }> {
  if (staff.role === "admin") return { grantId: null };
  const grant = staff.role === "agent" ? await liveGrant(db, staff.id, "export", now) : null;
  if (!grant) throw new NotGrantedError("Exporting needs an admin's time-boxed grant, and you have no live one");
  return { grantId: grant.id };
}

/** Every grant, newest first, with the names of the people involved (at most `limit`). */
export async function listGrants(db: Kysely<Database>, now = new Date(), limit = 200): Promise<GrantView[]> {
  const rows = await db
    .selectFrom("access_grants as g")
    .leftJoin("staff as s", "s.id", "g.staff_id")
    .leftJoin("staff as b", "b.id", "g.granted_by")
    .leftJoin("staff as r", "r.id", "g.revoked_by")
    .select([
      "g.id",
      "g.staff_id",
      "g.permission",
      "g.granted_by",
      "g.reason",
      "g.created_at",
      "g.expires_at",
      "g.revoked_at",
      "s.email as staff_email",
      "s.name as staff_name",
      "b.email as granted_by_email",
      "r.email as revoked_by_email",
    ])
    .orderBy("g.created_at", "desc")
    .orderBy("g.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    staffEmail: r.staff_email,
    staffName: r.staff_name,
    permission: r.permission,
    grantedBy: r.granted_by,
    grantedByEmail: r.granted_by_email,
    reason: r.reason,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedByEmail: r.revoked_by_email,
    state: grantState(r, now),
  }));
}
