import "server-only";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "@/lib/db/schema";
import { hashPassword } from "./password";
import { ROLES, type Role } from "@/lib/roles";

export const staffRowSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  password_hash: z.string().nullable(),
  disabled_at: z.string().nullable(),
});
export type StaffRow = z.infer<typeof staffRowSchema>;

const COLUMNS = ["id", "email", "name", "role", "password_hash", "disabled_at"] as const;

const DEMO_DOMAIN = "demo.local";
export const DEMO_PASSWORD = "demo";
export const DEMO_STAFF: readonly { email: string; name: string; role: Role }[] = [
  { email: `admin@${DEMO_DOMAIN}`, name: "Ada Admin", role: "admin" },
  { email: `agent@${DEMO_DOMAIN}`, name: "Alex Agent", role: "agent" },
  { email: `auditor@${DEMO_DOMAIN}`, name: "Avery Auditor", role: "auditor" },
];

export function isDemoEmail(email: string): boolean {
  return email.toLowerCase().endsWith(`@${DEMO_DOMAIN}`);
}

export async function findStaffByEmail(db: Kysely<Database>, email: string): Promise<StaffRow | null> {
  const row = await db.selectFrom("staff").select(COLUMNS).where("email", "=", email.trim().toLowerCase()).executeTakeFirst();
  return row ? staffRowSchema.parse(row) : null;
}

export async function findStaffById(db: Kysely<Database>, id: string): Promise<StaffRow | null> {
  const row = await db.selectFrom("staff").select(COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? staffRowSchema.parse(row) : null;
}

export async function listStaff(db: Kysely<Database>): Promise<StaffRow[]> {
  const rows = await db.selectFrom("staff").select(COLUMNS).orderBy("email").execute();
  return rows.map((r) => staffRowSchema.parse(r));
}

/** A staff member as the staff page lists them: no password hash, only whether there is one. */
export type StaffListing = Omit<StaffRow, "password_hash"> & { has_password: boolean; created_at: string };

export async function listStaffForAdmin(db: Kysely<Database>): Promise<StaffListing[]> {
  const rows = await db
    .selectFrom("staff")
    .select([...COLUMNS, "created_at"])
    .orderBy("email")
    .execute();
  return rows.map((r) => {
    const { password_hash, ...row } = staffRowSchema.extend({ created_at: z.string() }).parse(r);
    return { ...row, has_password: password_hash !== null };
  });
}

export class StaffExistsError extends Error {}

export async function addStaff(db: Kysely<Database>, input: { email: string; name?: string; role: Role; password?: string }): Promise<StaffRow> {
  const email = input.email.trim().toLowerCase();
  if (await findStaffByEmail(db, email)) throw new StaffExistsError(`${email} already exists`);
  const now = new Date().toISOString();
  const row = {
    id: crypto.randomUUID(),
    email,
    name: input.name?.trim() || email.split("@")[0] || email,
    role: input.role,
    password_hash: input.password ? await hashPassword(input.password) : null,
    disabled_at: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto("staff").values(row).execute();
  return staffRowSchema.parse(row);
}

export async function setStaffRole(db: Kysely<Database>, email: string, role: Role): Promise<boolean> {
  const res = await db
    .updateTable("staff")
    .set({ role, updated_at: new Date().toISOString() })
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function setStaffDisabled(db: Kysely<Database>, email: string, disabled: boolean): Promise<boolean> {
  const now = new Date().toISOString();
  const res = await db
    .updateTable("staff")
    .set({ disabled_at: disabled ? now : null, updated_at: now })
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Demo mode only (lib/auth/seed.ts): the demo accounts exist; in any other mode they are disabled. */
export async function syncDemoStaff(db: Kysely<Database>, embedded: boolean): Promise<void> {
  for (const demo of DEMO_STAFF) {
    const existing = await findStaffByEmail(db, demo.email);
    if (embedded && !existing) await addDemoStaff(db, demo);
    else if (embedded && existing?.disabled_at) await setStaffDisabled(db, demo.email, false);
    else if (!embedded && existing && !existing.disabled_at) await setStaffDisabled(db, demo.email, true);
  }
}

// Instances starting together on one empty store all see no demo account: the first insert wins,
// and finding the row there afterwards is success for the others, not a failed start-up.
async function addDemoStaff(db: Kysely<Database>, demo: (typeof DEMO_STAFF)[number]): Promise<void> {
  try {
    await addStaff(db, { ...demo, password: DEMO_PASSWORD });
  } catch (err) {
    if (!(await findStaffByEmail(db, demo.email))) throw err;
  }
}
