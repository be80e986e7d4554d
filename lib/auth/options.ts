import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { decodeSessionToken, encodeSessionToken } from "./jwt";
import { oidcProvider } from "./oidc";
import { verifyPassword } from "./password";
import { isRole } from "./roles";
import { ensureStaffSeeded } from "./seed";
import { findStaffByEmail } from "./staff-store";
import { clearAccountFailures, isThrottled, recordFailure } from "./throttle";
import { readPortalEnv } from "@/lib/env";
import { clientAddress } from "./client-address";

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const SIGNIN_ERRORS = {
  throttled: "TooManyAttempts",
  notStaff: "NotStaff",
} as const;

async function authorizeWithPassword(raw: unknown, headers: Record<string, unknown> | undefined) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const ip = clientAddress(headers?.["x-forwarded-for"], readPortalEnv().TRUSTED_PROXY_HOPS);
  const db = await getDb();
  await ensureStaffSeeded();
  if (await isThrottled(db, email, ip)) {
    await recordAudit({ actor: null, action: "auth.signin", targets: [], query: { email }, requestId: crypto.randomUUID(), outcome: "rate_limited" });
    throw new Error(SIGNIN_ERRORS.throttled);
  }
  const staff = await findStaffByEmail(db, email);
  const ok = Boolean(staff && !staff.disabled_at && staff.password_hash && (await verifyPassword(password, staff.password_hash)));
  if (!staff || !ok) {
    await recordFailure(db, email, ip);
    await recordAudit({ actor: null, action: "auth.signin", targets: [], query: { email }, requestId: crypto.randomUUID(), outcome: "denied" });
    return null;
  }
  await clearAccountFailures(db, email);
  return { id: staff.id, email: staff.email, name: staff.name, role: staff.role };
}

export function authOptions(): NextAuthOptions {
  const oidc = oidcProvider();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    // A working day, not sliding: a staff session ends eight hours after sign-in.
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) => authorizeWithPassword(credentials, req.headers),
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const verified = profile && "email_verified" in profile && profile.email_verified === true;
        const staff = verified && user.email ? await findStaffByEmail(await getDb(), user.email) : null;
        if (!staff || staff.disabled_at) {
          await recordAudit({ actor: null, action: "auth.signin", targets: [], query: { email: user.email ?? null, provider: "oidc" }, requestId: crypto.randomUUID(), outcome: "denied" });
          return `/login?error=${SIGNIN_ERRORS.notStaff}`;
        }
        return true;
      },
      async jwt({ token, user }) {
        if (user?.email) {
          // On sign-in, bind the token to the staff record (OIDC users arrive with the provider's subject).
          const staff = await findStaffByEmail(await getDb(), user.email);
          if (staff) {
            token.staffId = staff.id;
            token.sid = crypto.randomUUID();
            token.role = staff.role;
            token.email = staff.email;
            token.name = staff.name;
          }
        }
        return token;
      },
      session({ session, token }) {
        if (token.staffId && isRole(token.role)) {
          session.user = { id: token.staffId, email: token.email ?? "", name: token.name ?? "", role: token.role };
        }
        return session;
      },
    },
    events: {
      async signIn({ user, account }) {
        const staff = user.email ? await findStaffByEmail(await getDb(), user.email) : null;
        await recordAudit({
          actor: staff ? { id: staff.id, email: staff.email } : null,
          action: "auth.signin",
          targets: [],
          query: { provider: account?.provider ?? "unknown" },
          requestId: crypto.randomUUID(),
          outcome: "ok",
        }).catch((err: unknown) => log.error({ err }, "could not record sign-in"));
      },
    },
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}
