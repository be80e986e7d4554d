import "server-only";
import { z } from "zod";

const portalEnv = z.object({
  NEXTAUTH_SECRET: z.string({ error: "NEXTAUTH_SECRET is required (a random string of 32+ characters)" }).min(16, "NEXTAUTH_SECRET must be at least 16 characters"),
  NEXTAUTH_URL: z.url("NEXTAUTH_URL must be the portal's public URL, e.g. https://portal.example.com").optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional(),
  PORTAL_DATA_DIR: z.string().min(1).optional(),
  // Reverse proxies in front of the portal that append to X-Forwarded-For (lib/auth/client-address.ts).
  TRUSTED_PROXY_HOPS: z
    .preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^([1-9]|10)$/, "TRUSTED_PROXY_HOPS must be a whole number from 1 to 10").optional())
    .transform((v) => (v === undefined ? 1 : Number(v))),
  // Sessions (lib/auth/session-store.ts): an idle timeout and an absolute lifetime enforced on the server, and the
  // window within which a sensitive action needs no fresh sign-in (step-up).
  SESSION_IDLE_SECONDS: wholeNumber("SESSION_IDLE_SECONDS", 900, 30, 86_400),
  SESSION_MAX_HOURS: wholeNumber("SESSION_MAX_HOURS", 8, 1, 24),
  STEP_UP_MINUTES: wholeNumber("STEP_UP_MINUTES", 10, 1, 60),
});

/** A whole-number setting with a default and bounds; its error names the setting. */
function wholeNumber(name: string, fallback: number, min: number, max: number) {
  return z
    .preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^\d+$/, `${name} must be a whole number from ${min} to ${max}`).optional())
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((n) => n >= min && n <= max, `${name} must be a whole number from ${min} to ${max}`);
}

export type PortalEnv = z.infer<typeof portalEnv>;

/** The portal's own settings (Devdraft's are read by lib/devdraft); one line per problem. */
export function readPortalEnv(env: NodeJS.ProcessEnv = process.env): PortalEnv {
  const parsed = portalEnv.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const name = String(i.path[0] ?? "environment");
    return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
  });
  throw new Error(lines.join("\n"));
}

const emailAddress = z.email();

/** E-mail for alerts (lib/audit/alert-mail.ts): all three settings, or none (e-mail off). */
export interface AlertMailSettings {
  /** smtp:// or smtps:// with optional user:password; never logged. */
  smtpUrl: string;
  from: string;
  to: string[];
}

const ALERT_MAIL_NAMES = ["ALERT_SMTP_URL", "ALERT_EMAIL_FROM", "ALERT_EMAIL_TO"] as const;

/** Null when e-mail is off (none of the three set); one line per problem otherwise. */
export function readAlertMailSettings(env: Readonly<Record<string, string | undefined>> = process.env): AlertMailSettings | null {
  const value = (name: (typeof ALERT_MAIL_NAMES)[number]) => env[name]?.trim() || undefined;
  const set = ALERT_MAIL_NAMES.filter((n) => value(n) !== undefined);
  if (set.length === 0) return null;
  const problems: string[] = [];
  for (const name of ALERT_MAIL_NAMES) {
    if (value(name) === undefined) problems.push(`${name} is required when ${set.join(" and ")} ${set.length === 1 ? "is" : "are"} set (alert e-mail needs ALERT_SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO)`);
  }
  const url = value("ALERT_SMTP_URL");
  if (url !== undefined) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // Reported below; the value itself may hold a password and is not repeated.
    }
    if (!parsed || !["smtp:", "smtps:"].includes(parsed.protocol) || parsed.hostname === "") {
      problems.push("ALERT_SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.com:465");
    }
  }
  const from = value("ALERT_EMAIL_FROM");
  if (from !== undefined && !emailAddress.safeParse(from).success) problems.push("ALERT_EMAIL_FROM must be one e-mail address");
  const to = (value("ALERT_EMAIL_TO") ?? "").split(",").map((a) => a.trim()).filter((a) => a !== "");
  const badTo = to.filter((a) => !emailAddress.safeParse(a).success);
  if (value("ALERT_EMAIL_TO") !== undefined && (to.length === 0 || badTo.length > 0)) {
    problems.push(`ALERT_EMAIL_TO must be comma-separated e-mail addresses${badTo.length > 0 ? ` (not an address: ${badTo.join(", ")})` : ""}`);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return { smtpUrl: url as string, from: from as string, to };
}
