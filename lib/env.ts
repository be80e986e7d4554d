import "server-only";
import { z } from "zod";
import { duration, httpUrl, parseSettings, secretText, unsetIfBlank, wholeNumber } from "@/lib/settings/fields";

/**
 * The store's guards (PostgreSQL) and the shutdown deadline. Separate from the rest so the CLIs (staff, audit:verify),
 * which open the store without the portal's secrets, read and check them the same way.
 */
const storeEnvShape = {
  // One statement running longer than this is cancelled (57014): a runaway query cannot hold a connection for ever.
  PG_STATEMENT_TIMEOUT_MS: wholeNumber("PG_STATEMENT_TIMEOUT_MS", 15_000, 100, 600_000),
  // Waiting this long for a lock (the audit chain head's row lock, a LOCK TABLE) fails the statement (55P03).
  PG_LOCK_TIMEOUT_MS: wholeNumber("PG_LOCK_TIMEOUT_MS", 3_000, 50, 600_000),
  // A session idle inside a transaction this long is ended by the server, releasing the locks it held.
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: wholeNumber("PG_IDLE_IN_TRANSACTION_TIMEOUT_MS", 10_000, 100, 3_600_000),
  // Connections per instance; instances x PG_POOL_MAX must stay under the server's max_connections.
  PG_POOL_MAX: wholeNumber("PG_POOL_MAX", 10, 1, 200),
  // Opening a connection, or waiting for a free one in a full pool, fails after this long.
  PG_CONNECT_TIMEOUT_MS: wholeNumber("PG_CONNECT_TIMEOUT_MS", 5_000, 100, 120_000),
} as const;

const shutdownEnvShape = {
  // SIGTERM to exit: readiness off, the listener closed, requests and audit writes finished, hooks run, stores closed.
  SHUTDOWN_DEADLINE_MS: wholeNumber("SHUTDOWN_DEADLINE_MS", 25_000, 1_000, 600_000),
  // Of that deadline: how long /api/health/ready answers 503 while requests are still served, so a load balancer
  // polling readiness stops sending new ones before the listener closes.
  SHUTDOWN_READINESS_GRACE_MS: wholeNumber("SHUTDOWN_READINESS_GRACE_MS", 3_000, 0, 120_000),
} as const;

const storeEnv = z.object(storeEnvShape);
const shutdownEnv = z.object(shutdownEnvShape);
export type StoreEnv = z.infer<typeof storeEnv>;
export type ShutdownEnv = z.infer<typeof shutdownEnv>;

const portalEnv = z.object({
  ...storeEnvShape,
  ...shutdownEnvShape,
  NEXTAUTH_SECRET: z
    .string({ error: "NEXTAUTH_SECRET is required (a random string of 32+ characters)" })
    .min(16, "NEXTAUTH_SECRET must be at least 16 characters"),
  NEXTAUTH_URL: z.url("NEXTAUTH_URL must be the portal's public URL, e.g. https://portal.example.com").optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional(),
  PORTAL_DATA_DIR: z.string().min(1).optional(),
  // Reverse proxies in front of the portal that append to X-Forwarded-For (lib/auth/client-address.ts).
  TRUSTED_PROXY_HOPS: wholeNumber("TRUSTED_PROXY_HOPS", 1, 1, 10),
  // Sessions (lib/auth/session-store.ts): an idle timeout and an absolute lifetime enforced on the server, and the
  // window within which a sensitive action needs no fresh sign-in (step-up).
  SESSION_IDLE_SECONDS: wholeNumber("SESSION_IDLE_SECONDS", 900, 30, 86_400),
  SESSION_MAX_HOURS: wholeNumber("SESSION_MAX_HOURS", 8, 1, 24),
  STEP_UP_MINUTES: wholeNumber("STEP_UP_MINUTES", 10, 1, 60),
  // Exports (lib/export): how long a finished file is kept, and the key its per-job keys are wrapped with
  // (derived from NEXTAUTH_SECRET, which every instance shares, when not set).
  EXPORT_TTL: duration("EXPORT_TTL", 3_600, 60, 86_400),
  EXPORT_ENCRYPTION_KEY: secretText("EXPORT_ENCRYPTION_KEY", 32, "a random string, the same on every instance"),
  // GET /api/metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, the endpoint is 404.
  METRICS_TOKEN: secretText("METRICS_TOKEN", 32, "a random string the scraper sends as a bearer token"),
  // The production server answers GET /api/customers by calling its handler without Next's router
  // (scripts/direct-api.mjs); "off" sends it through Next like every other route.
  PORTAL_DIRECT_API: z.preprocess(unsetIfBlank, z.enum(["on", "off"], { error: "PORTAL_DIRECT_API must be on or off" }).default("on")),
  // OpenTelemetry traces over OTLP/HTTP (lib/observe/tracing.ts); unset, nothing is loaded.
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", ", e.g. http://otel-collector:4318"),
});

export type PortalEnv = z.infer<typeof portalEnv>;

/** The portal's own settings (Devdraft's are read by lib/devdraft); one line per problem. */
export function readPortalEnv(env: Readonly<Record<string, string | undefined>> = process.env): PortalEnv {
  return parseSettings(portalEnv, env);
}

/** The store's guards alone (see storeEnvShape); one line per problem. */
export function readStoreEnv(env: Readonly<Record<string, string | undefined>> = process.env): StoreEnv {
  return parseSettings(storeEnv, env);
}

/** The shutdown settings alone; one line per problem, checked at start-up with the rest. */
export function readShutdownEnv(env: Readonly<Record<string, string | undefined>> = process.env): ShutdownEnv {
  const settings = parseSettings(shutdownEnv, env);
  if (settings.SHUTDOWN_READINESS_GRACE_MS >= settings.SHUTDOWN_DEADLINE_MS) {
    throw new Error("SHUTDOWN_READINESS_GRACE_MS must be shorter than SHUTDOWN_DEADLINE_MS");
  }
  return settings;
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
    if (value(name) === undefined)
      problems.push(
        `${name} is required when ${set.join(" and ")} ${set.length === 1 ? "is" : "are"} set (alert e-mail needs ALERT_SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO)`,
      );
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
  const to = (value("ALERT_EMAIL_TO") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const badTo = to.filter((a) => !emailAddress.safeParse(a).success);
  if (value("ALERT_EMAIL_TO") !== undefined && (to.length === 0 || badTo.length > 0)) {
    problems.push(`ALERT_EMAIL_TO must be comma-separated e-mail addresses${badTo.length > 0 ? ` (not an address: ${badTo.join(", ")})` : ""}`);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return { smtpUrl: url as string, from: from as string, to };
}
