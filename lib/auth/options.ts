import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { decodeSessionToken, encodeSessionToken } from "./jwt";
import { oidcProvider } from "./oidc";
import { hashPassword, verifyPassword } from "./password";
import { isRole } from "./roles";
import { ensureStaffSeeded } from "./seed";
import { recordSignIn, recordSignInRefusal, recordSignOut, type SignInRefusal } from "./signin-audit";
import { findStaffByEmail, type StaffRow } from "./staff-store";
import { releaseAttempt, reserveAttempt } from "./throttle";
import { trustedClientAddress } from "./client-address";

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const SIGNIN_ERRORS = {
  throttled: "TooManyAttempts",
  notStaff: "NotStaff",
} as const;

async function authorizeWithPassword(raw: unknown, headers: Record<string, unknown> | undefined) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    await recordSignInRefusal("malformed", emailTried(raw), "credentials");
    return null;
  }
  const { email, password } = parsed.data;
  const ip = trustedClientAddress(headers?.["x-forwarded-for"]);
  const db = await getDb();
  await ensureStaffSeeded();
  // Reserved before the password is checked, so parallel guesses cannot all slip through one check.
  const reservation = await reserveAttempt(db, email, ip);
  if (!reservation.ok) {
    await recordSignInRefusal("throttled", email, "credentials");
    throw new Error(SIGNIN_ERRORS.throttled);
  }
  const staff = await findStaffByEmail(db, email);
  const refusal = await passwordRefusal(staff, password);
  if (!staff || refusal) {
    await recordSignInRefusal(refusal ?? "unknownEmail", email, "credentials");
    // The same answer whatever the reason: which emails are staff is not the client's to learn.
    return null;
  }
  await releaseAttempt(db, reservation.attemptId, email, ip);
  return { id: staff.id, email: staff.email, name: staff.name, role: staff.role };
}

// Checked against when there is no usable hash, so an unknown email costs the same scrypt as a known one.
let decoyHash: Promise<string> | undefined;

async function passwordRefusal(staff: StaffRow | null, password: string): Promise<SignInRefusal | null> {
  const hash = staff && !staff.disabled_at ? staff.password_hash : null;
  const matches = await verifyPassword(password, hash ?? (await (decoyHash ??= hashPassword(crypto.randomUUID()))));
  if (!staff) return "unknownEmail";
  if (staff.disabled_at) return "disabled";
  if (!hash) return "noPassword";
  return matches ? null : "wrongPassword";
}

/** The email a malformed sign-in tried, when it sent one as text (cut to an email's longest length). */
function emailTried(raw: unknown): string | null {
  const email = raw && typeof raw === "object" && "email" in raw ? raw.email : null;
  return typeof email === "string" ? email.slice(0, 320) : null;
}

/** Why an OIDC sign-in is refused, or null when it is a verified, enabled staff member. */
async function oidcRefusal(email: string | null | undefined, verified: boolean): Promise<SignInRefusal | null> {
  if (!verified) return "unverified";
  const staff = email ? await findStaffByEmail(await getDb(), email) : null;
  if (!staff) return "notStaff";
  return staff.disabled_at ? "disabled" : null;
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
        const verified = Boolean(profile && "email_verified" in profile && profile.email_verified === true);
        const refusal = await oidcRefusal(user.email, verified);
        if (refusal) {
          await recordSignInRefusal(refusal, user.email ?? null, "oidc");
          return `/login?error=${SIGNIN_ERRORS.notStaff}`;
        }
        return true;
      },
      async jwt({ token, user, account }) {
        if (user?.email) {
          // On sign-in, bind the token to the staff record (OIDC users arrive with the provider's subject).
          const staff = await findStaffByEmail(await getDb(), user.email);
          if (staff) {
            token.staffId = staff.id;
            token.sid = crypto.randomUUID();
            token.role = staff.role;
            token.email = staff.email;
            token.name = staff.name;
            // Recorded here rather than in events.signIn: this is where the new session's id exists.
            await recordSignIn({ id: staff.id, email: staff.email }, account?.provider ?? "unknown", token.sid);
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
      // Inside the sign-out POST's route handler, so the request's headers are at hand (lib/auth/signin-audit.ts).
      signOut: ({ token }) => recordSignOut(token),
    },
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}
