import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { optionalText, problemLines, secretText, unsetIfBlank as blank, wholeNumber } from "@/lib/settings/fields";

const siemEnv = z.object({
  SIEM_SYSLOG_URL: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^tls:\/\/[^/:\s]+:\d{1,5}$/, "SIEM_SYSLOG_URL must be tls://host:port (syslog over TLS, RFC 5425)")
      .optional(),
  ),
  SIEM_SYSLOG_CA: optionalText,
  SIEM_WEBHOOK_URL: z.preprocess(blank, z.url({ protocol: /^https$/, error: "SIEM_WEBHOOK_URL must be an https:// URL" }).optional()),
  SIEM_WEBHOOK_SECRET: secretText("SIEM_WEBHOOK_SECRET", 32, "the HMAC key receivers check"),
  SIEM_WEBHOOK_CA: optionalText,
  SIEM_BATCH_SIZE: wholeNumber("SIEM_BATCH_SIZE", 200, 1, 5000),
  SIEM_RETRY_MAX_MS: wholeNumber("SIEM_RETRY_MAX_MS", 60_000, 1000, 3_600_000),
  SIEM_POLL_MS: wholeNumber("SIEM_POLL_MS", 1000, 100, 60_000),
});

export interface SyslogSinkSettings {
  host: string;
  port: number;
  /** PEM of the CA that signed the receiver's certificate; null = the system's CAs. */
  ca: string | null;
}
export interface WebhookSinkSettings {
  url: string;
  secret: string;
  ca: string | null;
}
export interface SiemSettings {
  syslog: SyslogSinkSettings | null;
  webhook: WebhookSinkSettings | null;
  batchSize: number;
  retryMaxMs: number;
  pollMs: number;
}

function readPem(name: string, path: string | undefined): string | null {
  if (path === undefined) return null;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`${name}: ${path} holds no PEM certificate`);
  return text;
}

/** Read at start-up (never at import); unset URL = that sink is off. One line per problem. */
export function readSiemSettings(env: Readonly<Record<string, string | undefined>> = process.env): SiemSettings {
  const parsed = siemEnv.safeParse(env);
  if (!parsed.success) {
    const lines = problemLines(parsed.error);
    // Report a missing webhook secret alongside, so one start-up shows every problem.
    if (env.SIEM_WEBHOOK_URL?.trim() && !env.SIEM_WEBHOOK_SECRET?.trim())
      lines.push("SIEM_WEBHOOK_SECRET is required with SIEM_WEBHOOK_URL (the HMAC key receivers check)");
    throw new Error(lines.join("\n"));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const attempt = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
      return null;
    }
  };
  let syslog: SyslogSinkSettings | null = null;
  if (e.SIEM_SYSLOG_URL) {
    const [, host = "", port = ""] = /^tls:\/\/([^/:\s]+):(\d+)$/.exec(e.SIEM_SYSLOG_URL) ?? [];
    const portNumber = Number(port);
    if (portNumber < 1 || portNumber > 65535) problems.push("SIEM_SYSLOG_URL: the port must be from 1 to 65535");
    syslog = { host, port: portNumber, ca: attempt(() => readPem("SIEM_SYSLOG_CA", e.SIEM_SYSLOG_CA)) };
  } else if (e.SIEM_SYSLOG_CA) {
    problems.push("SIEM_SYSLOG_CA is set but SIEM_SYSLOG_URL is not");
  }
  let webhook: WebhookSinkSettings | null = null;
  if (e.SIEM_WEBHOOK_URL) {
    if (!e.SIEM_WEBHOOK_SECRET) problems.push("SIEM_WEBHOOK_SECRET is required with SIEM_WEBHOOK_URL (the HMAC key receivers check)");
    webhook = { url: e.SIEM_WEBHOOK_URL, secret: e.SIEM_WEBHOOK_SECRET ?? "", ca: attempt(() => readPem("SIEM_WEBHOOK_CA", e.SIEM_WEBHOOK_CA)) };
  } else if (e.SIEM_WEBHOOK_SECRET || e.SIEM_WEBHOOK_CA) {
    problems.push("SIEM_WEBHOOK_SECRET / SIEM_WEBHOOK_CA are set but SIEM_WEBHOOK_URL is not");
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return { syslog, webhook, batchSize: e.SIEM_BATCH_SIZE, retryMaxMs: e.SIEM_RETRY_MAX_MS, pollMs: e.SIEM_POLL_MS };
}
