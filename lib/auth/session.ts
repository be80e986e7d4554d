import "server-only";
import { crossBundleBrand } from "@/lib/cross-bundle-class";
import { errors, type JWTPayload } from "jose";
import { cookies } from "next/headers";
import { cache } from "react";
import { getDb } from "@/lib/db";
import { decodeExpiredSessionToken, decodeSessionToken } from "./jwt";
import type { Role } from "./roles";
import { findStaffById, type StaffRow } from "./staff-store";

export type Staff = { id: string; email: string; name: string; role: Role };

const AUTH_ERROR_BRAND = crossBundleBrand("AuthError");

export class AuthError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return AUTH_ERROR_BRAND.has(value);
  }

  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    AUTH_ERROR_BRAND.mark(this);
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

/** next-auth's session cookie name: `__Secure-` when the portal is served over https. */
export function sessionCookieName(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXTAUTH_URL?.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** What the session cookie says: nothing, a live session (staff id and sign-in id), or one past its lifetime. */
export type SessionClaims =
  | { state: "none" }
  | { state: "expired"; staffId: string; sid: string | null }
  | { state: "live"; staffId: string; sid: string | null };

// The session is read straight from its cookie: the same decryption next-auth does, once, without
// next-auth's session round trip (which also re-encrypts a token the route handler cannot set).
export const sessionClaims = cache(async (): Promise<SessionClaims> => {
  const token = (await cookies()).get(sessionCookieName())?.value;
  const secret = process.env.NEXTAUTH_SECRET;
  if (!token || !secret) return { state: "none" };
  try {
    const payload = await decodeSessionToken({ token, secret });
    return claimsOf("live", payload);
  } catch (err) {
    // jose has checked the token's integrity before it looks at the expiry, so an expired token's claims are genuine.
    if (!(err instanceof errors.JWTExpired)) return { state: "none" };
    return claimsOf("expired", await decodeExpiredSessionToken({ token, secret }).catch(() => null));
  }
});

function claimsOf(state: "live" | "expired", payload: JWTPayload | null): SessionClaims {
  if (typeof payload?.staffId !== "string") return { state: "none" };
  return { state, staffId: payload.staffId, sid: typeof payload.sid === "string" ? payload.sid : null };
}

/**
 * The signed-in, enabled staff member, with the role the store holds now; null when signed out. Once per server
 * render: the layout, the page and the services it calls share one answer.
 */
export const currentStaff = cache(async (): Promise<Staff | null> => {
  const claims = await sessionClaims();
  if (claims.state !== "live") return null;
  const row = await staffRecord(claims.staffId);
  if (!row || row.disabled_at) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
});

export async function requireStaff(roles: readonly Role[]): Promise<Staff> {
  const staff = await currentStaff();
  if (!staff) throw new AuthError(401, "Sign in to continue");
  if (!roles.includes(staff.role)) throw new AuthError(403, "Your role does not allow this");
  return staff;
}
