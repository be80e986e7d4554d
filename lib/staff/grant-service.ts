import "server-only";
import { z } from "zod";
import { audited } from "@/lib/access/gate";
import type { Role } from "@/lib/roles";
import { purposeOf } from "@/lib/customers/service";
import { getDb } from "@/lib/db";
import { InvalidQueryError } from "@/lib/errors";
import { GRANT_HOURS_MAX, GRANT_HOURS_MIN } from "@/lib/access/grant-rules";
import { createGrant, revokeGrant } from "@/lib/access/grants";

/** Who may grant and revoke. */
export const GRANTERS: readonly Role[] = ["admin"];

const grantRequestSchema = z.strictObject({
  staffId: z.string().min(1, "staffId: choose a staff member").max(200),
  permission: z.literal("export", "permission: only export can be granted").optional(),
  hours: z
    .number("hours: must be a whole number")
    .int("hours: must be a whole number")
    .min(GRANT_HOURS_MIN, `hours: at least ${GRANT_HOURS_MIN}`)
    .max(GRANT_HOURS_MAX, `hours: at most ${GRANT_HOURS_MAX}`),
  reason: z.string().max(200).optional(),
  ticket: z.string().max(200).optional(),
});

/** An admin grants an agent export rights for N hours, with a reason; recorded as `grant.create`. */
export async function grantExport(body: unknown, requestId: string) {
  return audited({
    action: "grant.create",
    roles: GRANTERS,
    requestId,
    query: {},
    async run(admin) {
      const parsed = grantRequestSchema.safeParse(body);
      if (!parsed.success)
        throw new InvalidQueryError(parsed.error.issues.map((i) => (i.message.includes(":") ? i.message : `${i.path.join(".") || "body"}: ${i.message}`)));
      const reason = purposeOf({ reason: parsed.data.reason, ticket: parsed.data.ticket }, true) as string;
      const grant = await createGrant(await getDb(), {
        staffId: parsed.data.staffId,
        grantedBy: admin.id,
        permission: "export",
        hours: parsed.data.hours,
        reason,
      });
      return {
        value: grant,
        purpose: reason,
        query: { staffId: grant.staff_id, permission: grant.permission, hours: parsed.data.hours },
        detail: { grantId: grant.id, staffId: grant.staff_id, permission: grant.permission, hours: parsed.data.hours, expiresAt: grant.expires_at },
      };
    },
  });
}

/** An admin ends a live grant now; recorded as `grant.revoke`. */
export async function revokeExportGrant(id: string, requestId: string) {
  return audited({
    action: "grant.revoke",
    roles: GRANTERS,
    requestId,
    query: { grantId: id },
    async run(admin) {
      const grant = await revokeGrant(await getDb(), id, admin.id);
      return {
        value: grant,
        detail: { grantId: grant.id, staffId: grant.staff_id, permission: grant.permission, expiresAt: grant.expires_at, revokedAt: grant.revoked_at },
      };
    },
  });
}
