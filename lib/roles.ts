export const ROLES = ["agent", "admin", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Who may see customer data (the list, a customer, revealed contact details). */
export const CUSTOMER_READERS: readonly Role[] = ["agent", "admin"];
/** Who may read the audit log. */
export const AUDIT_READERS: readonly Role[] = ["auditor", "admin"];
/** Who may manage staff (/admin/staff). */
export const STAFF_ADMINS: readonly Role[] = ["admin"];
