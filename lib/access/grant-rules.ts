// Time-boxed grants: the rules the server enforces and the admin form shows. Pure, browser-safe.

export type GrantPermission = "export";
export const GRANT_HOURS_MIN = 1;
export const GRANT_HOURS_MAX = 72;

/** A grant as the admin page and GET /api/grants show it. */
export type GrantView = {
  id: string;
  staffId: string;
  staffEmail: string | null;
  staffName: string | null;
  permission: GrantPermission;
  grantedBy: string;
  grantedByEmail: string | null;
  reason: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedByEmail: string | null;
  state: "live" | "expired" | "revoked";
};

export function grantState(g: { expires_at: string; revoked_at: string | null }, now: Date): GrantView["state"] {
  if (g.revoked_at !== null) return "revoked";
  return g.expires_at > now.toISOString() ? "live" : "expired";
}
