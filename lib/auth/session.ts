import "server-only";
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db";
import { authOptions } from "./options";
import type { Role } from "./roles";
import { findStaffById, type StaffRow } from "./staff-store";

export type Staff = { id: string; email: string; name: string; role: Role };

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

// A disabled staff member's session must stop within a minute: the store is asked at most every 15 s.
const RECHECK_MS = 15_000;
const checked = new Map<string, { row: StaffRow | null; at: number }>();

async function staffRecord(id: string): Promise<StaffRow | null> {
  const hit = checked.get(id);
  if (hit && Date.now() - hit.at < RECHECK_MS) return hit.row;
  const row = await findStaffById(await getDb(), id);
  checked.set(id, { row, at: Date.now() });
  return row;
}

/** The signed-in, enabled staff member, with the role the store holds now; null when signed out. */
export async function currentStaff(): Promise<Staff | null> {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const row = await staffRecord(id);
  if (!row || row.disabled_at) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export async function requireStaff(roles: readonly Role[]): Promise<Staff> {
  const staff = await currentStaff();
  if (!staff) throw new AuthError(401, "Sign in to continue");
  if (!roles.includes(staff.role)) throw new AuthError(403, "Your role does not allow this");
  return staff;
}
