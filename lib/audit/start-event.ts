import "server-only";
import { createHash } from "node:crypto";
import packageJson from "@/package.json";
import { storeConfigFromEnv } from "../db/config";
import { canonicalJson } from "./canonical-json";
import type { AuditInput } from "./input";
import { readAuditSettings } from "./settings";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every environment setting the portal reads outside lib/audit/settings.ts (whose settings enter by the values in
 * force), and how it enters the fingerprint: `plain` as written, `secret` only as whether it is set, `url` without
 * its password (and query, where drivers take credentials too).
 */
export const PORTAL_SETTINGS = {
  NODE_ENV: "plain",
  PORT: "plain",
  NEXTAUTH_URL: "url",
  NEXTAUTH_SECRET: "secret",
  TRUSTED_PROXY_HOPS: "plain",
  SESSION_IDLE_SECONDS: "plain",
  SESSION_MAX_HOURS: "plain",
  STEP_UP_MINUTES: "plain",
  EXPORT_TTL: "plain",
  EXPORT_ENCRYPTION_KEY: "secret",
  // Reasons for access and the statuses that ask for one (lib/access/settings.ts).
  ACCESS_REASONS: "plain",
  SENSITIVE_STATUSES: "plain",
  DATABASE_URL: "url",
  // The read replica the audit search, export and access report read from (lib/db/get-db.ts getReadDb).
  DATABASE_READ_URL: "url",
  PORTAL_DATA_DIR: "plain",
  PORTAL_LOG_FILE: "plain",
  LOG_LEVEL: "plain",
  PORTAL_SPAWN_SANDBOX: "plain",
  DEVDRAFT_API_URL: "url",
  // The key travels beside the secret and is redacted from logs alike.
  DEVDRAFT_CLIENT_KEY: "secret",
  DEVDRAFT_CLIENT_SECRET: "secret",
  DEVDRAFT_RATE_LIMIT_PER_MIN: "plain",
  DEVDRAFT_CACHE_TTL_MS: "plain",
  DEVDRAFT_STALE_MAX_SECONDS: "plain",
  DEVDRAFT_TIMEOUT_MS: "plain",
  DEVDRAFT_ATTEMPT_TIMEOUT_MS: "plain",
  EXPORT_BUDGET_SHARE: "plain",
  SANDBOX_PORT: "plain",
  SANDBOX_CLIENT_KEY: "secret",
  SANDBOX_CLIENT_SECRET: "secret",
  OIDC_ISSUER: "url",
  OIDC_CLIENT_ID: "plain",
  OIDC_CLIENT_SECRET: "secret",
  OIDC_NAME: "plain",
  // A path or the key itself: only whether it is set.
  AUDIT_SIGNING_KEY: "secret",
  AUDIT_CHECKPOINT_DIR: "plain",
  AUDIT_CHECKPOINT_INTERVAL_MS: "plain",
  AUDIT_CHECKPOINT_ORIGIN: "plain",
  // Alert e-mail (lib/env.ts readAlertMailSettings): the SMTP URL without its password.
  ALERT_SMTP_URL: "url",
  ALERT_EMAIL_FROM: "plain",
  ALERT_EMAIL_TO: "plain",
  // Streaming to a SIEM (lib/siem/settings.ts).
  SIEM_SYSLOG_URL: "plain",
  SIEM_SYSLOG_CA: "plain",
  SIEM_WEBHOOK_URL: "url",
  SIEM_WEBHOOK_SECRET: "secret",
  SIEM_WEBHOOK_CA: "plain",
  SIEM_BATCH_SIZE: "plain",
  SIEM_RETRY_MAX_MS: "plain",
  SIEM_POLL_MS: "plain",
  // The store's guards and the shutdown sequence (lib/env.ts), the listening address (scripts/server.mjs).
  PG_STATEMENT_TIMEOUT_MS: "plain",
  PG_LOCK_TIMEOUT_MS: "plain",
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: "plain",
  PG_POOL_MAX: "plain",
  PG_CONNECT_TIMEOUT_MS: "plain",
  SHUTDOWN_DEADLINE_MS: "plain",
  SHUTDOWN_READINESS_GRACE_MS: "plain",
  PORTAL_LISTEN_HOST: "plain",
  PORTAL_DIRECT_API: "plain",
  // Witnesses of the checkpoints (lib/audit/checkpoints.ts).
  AUDIT_WITNESSES: "plain",
  AUDIT_WITNESS_QUORUM: "plain",
  AUDIT_WITNESS_TIMEOUT_MS: "plain",
  // Observability (lib/observe): the metrics token as set or not, the trace endpoint without credentials.
  METRICS_TOKEN: "secret",
  OTEL_EXPORTER_OTLP_ENDPOINT: "url",
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "url",
  OTEL_SERVICE_NAME: "plain",
} as const satisfies Record<string, "plain" | "secret" | "url">;

function withoutCredentials(raw: string): { url: string; password_set: boolean } | { set: true } {
  try {
    const url = new URL(raw);
    const passwordSet = url.password !== "" || url.searchParams.has("password");
    return { url: `${url.protocol}//${url.username ? `${url.username}@` : ""}${url.host}${url.pathname}`, password_set: passwordSet };
  } catch {
    // Not a URL the portal could use; whatever it holds is not repeated.
    return { set: true };
  }
}

/** The settings as they enter the fingerprint: a blank value counts as unset, as the portal reads it. */
function effectiveSettings(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = { ...readAuditSettings(env) };
  for (const [name, kind] of Object.entries(PORTAL_SETTINGS)) {
    const value = env[name]?.trim() || null;
    if (kind === "secret") out[name] = { set: value !== null };
    else if (kind === "url" && value !== null) out[name] = withoutCredentials(value);
    else out[name] = value;
  }
  return out;
}

/** SHA-256 of the effective non-secret settings: equal fingerprints, equal configuration (secrets aside). */
export function settingsFingerprint(env: Env): string {
  return createHash("sha256")
    .update(canonicalJson(effectiveSettings(env)), "utf8")
    .digest("hex");
}

/** The `portal.start` event: what configuration this instance started with. Never a secret's value. */
export function portalStartEvent(env: Env = process.env): AuditInput {
  const audit = readAuditSettings(env);
  return {
    actor: null,
    action: "portal.start",
    targets: [],
    query: {},
    requestId: crypto.randomUUID(),
    outcome: "ok",
    detail: {
      settings_sha256: settingsFingerprint(env),
      retention_days: audit.AUDIT_RETENTION_DAYS,
      alert_customers_per_hour: audit.AUDIT_ALERT_CUSTOMERS_PER_HOUR,
      store: storeConfigFromEnv(env).kind,
      node: process.version,
      version: packageJson.version,
    },
  };
}
