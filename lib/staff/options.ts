import "server-only";
import { requestHeaders, requestCookie } from "@/lib/http/request-scope";
import type { NextAuthOptions } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { oidcProvider } from "@/lib/auth/oidc";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { isRole } from "@/lib/roles";
import { demoAccountsAllowed, ensureStaffSeeded } from "@/lib/auth/seed";
import { recordSignIn, recordSignInRefusal, recordSignOut, type SignInRefusal } from "./signin-audit";
import { findStaffByEmail, isDemoEmail, type StaffRow } from "@/lib/auth/staff-store";
import { END_REASONS, createSession, endSession, findSessionWithStaff, sessionEnd } from "@/lib/auth/session-store";
import { sessionCookieName, sessionPolicy, sessionSecretOf } from "@/lib/auth/session";
import { releaseAttempt, reserveAttempt } from "@/lib/auth/throttle";
import { trustedClientAddress } from "@/lib/auth/client-address";

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

const SIGNIN_ERRORS = {
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
  const demoRefused = staff !== null && isDemoEmail(staff.email) && !demoAccountsAllowed();
  const hash = staff && !staff.disabled_at && !demoRefused ? staff.password_hash : null;
  const matches = await verifyPassword(password, hash ?? (await (decoyHash ??= hashPassword(crypto.randomUUID()))));
  if (!staff) return "unknownEmail";
  if (demoRefused) return "demoAccount";
  if (staff.disabled_at) return "disabled";
  if (!hash) return "noPassword";
  return matches ? null : "wrongPassword";
}

/** The email a malformed sign-in tried, when it sent one as text (cut to an email's longest length). */
function emailTried(raw: unknown): string | null {
  const email = raw && typeof raw === "object" && "email" in raw ? raw.email : null;
  return typeof email === "string" ? email.slice(0, 320) : null;
}

class SessionEndedError extends Error {
  constructor() {
    super("the session has ended");
  }
}

/**
 * A sign-in: a new session row, whose secret is all the cookie carries besides names for display. A sign-in over a
 * live session (step-up through the identity provider) ends the old one.
 */
async function startSession(email: string, provider: string): Promise<JWT> {
  const db = await getDb();
  const staff = await findStaffByEmail(db, email);
  if (!staff) throw new Error("signed in as nobody on the staff");
  // next-auth hands a sign-in a fresh token, so the session being replaced is read from the request's cookie.
  const previousSid = await sessionSecretOf(await requestCookie(sessionCookieName()));
  const previous = previousSid ? await findSessionWithStaff(db, previousSid) : null;
  if (previous?.session.staff_id === staff.id) await endSession(db, previous.session.id, END_REASONS.replaced, staff.id);
  const h = await requestHeaders();
  const { token: sid, row } = await createSession(
    db,
    { staffId: staff.id, provider, clientAddress: trustedClientAddress(h.get("x-forwarded-for") ?? undefined), userAgent: h.get("user-agent") },
    sessionPolicy(),
  );
  // Recorded here rather than in events.signIn: this is where the new session's id exists.
  await recordSignIn({ id: staff.id, email: staff.email }, provider, row.id);
  return { sid, staffId: staff.id, role: staff.role, email: staff.email, name: staff.name };
}

/** Why an OIDC sign-in is refused, or null when it is a verified, enabled staff member. */
async function oidcRefusal(email: string | null | undefined, verified: boolean): Promise<SignInRefusal | null> {
  if (!verified) return "unverified";
  const staff = email ? await findStaffByEmail(await getDb(), email) : null;
  if (!staff) return "notStaff";
  if (isDemoEmail(staff.email) && !demoAccountsAllowed()) return "demoAccount";
  return staff.disabled_at ? "disabled" : null;
}

export function authOptions(): NextAuthOptions {
  const oidc = oidcProvider();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    // The cookie only carries the session's secret; the session itself is a row in the store (lib/auth/session-store.ts),
    // which holds the idle and absolute limits. The cookie outlives the row's limit by an hour so that the server can
    // still name, and record, the session that ended.
    session: { strategy: "jwt", maxAge: Math.round(sessionPolicy().maxMs / 1000) + 3600 },
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
        // `user` is there only on the sign-in itself, whatever next-auth's types say.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (user?.email) return startSession(user.email, account?.provider ?? "unknown");
        // Every later read of the token (next-auth's /api/auth/session) asks the store: an ended session's cookie is
        // cleared (next-auth drops the cookie when this throws) instead of renewed.
        const found = typeof token.sid === "string" ? await findSessionWithStaff(await getDb(), token.sid) : null;
        if (!found?.staff || found.staff.disabled_at || sessionEnd(found.session, sessionPolicy())) throw new SessionEndedError();
        return { ...token, role: found.staff.role, email: found.staff.email, name: found.staff.name };
      },
      session({ session, token }) {
        if (token.staffId && isRole(token.role)) {
          session.user = { id: token.staffId, email: token.email ?? "", name: token.name ?? "", role: token.role };
        }
        return session;
      },
    },
    events: {
      // Inside the sign-out POST's route handler, so the request's headers are at hand (lib/staff/signin-audit.ts).
      signOut: async ({ token }) => {
        const found = typeof token.sid === "string" ? await findSessionWithStaff(await getDb(), token.sid) : null;
        if (found && (await endSession(await getDb(), found.session.id, END_REASONS.signedOut, found.session.staff_id))) {
          await recordSignOut(found.session);
        }
      },
    },
    logger: {
      error: (code, metadata) =>
        code === "JWT_SESSION_ERROR" && metadata instanceof SessionEndedError
          ? log.info({ code }, "an ended session's cookie was cleared")
          : log.error({ code, metadata }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}
