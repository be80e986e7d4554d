import "server-only";
import { readAccessSettings } from "@/lib/access/settings";
import { readCheckpointSettings } from "@/lib/audit/checkpoints";
import { readAuditSettings } from "@/lib/audit/settings";
import { PORTAL_SETTINGS } from "@/lib/audit/start-event";
import { readOidcSettings } from "@/lib/auth/oidc";
import { readReplicaConfigFromEnv, storeConfigFromEnv } from "@/lib/db/config";
import { readDevdraftConfig } from "@/lib/devdraft/config";
import { readExportShare } from "@/lib/devdraft/export-client";
import { readAlertMailSettings, readPortalEnv, readShutdownEnv } from "@/lib/env";
import { otlpTracesUrl } from "@/lib/observe/tracing";
import { readSiemSettings } from "@/lib/siem/settings";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every setting the portal reads, by section: each reader is a zod schema over the environment (lib/settings/fields.ts)
 * that returns its section typed, or throws one line per problem. The modules read their own section through these;
 * start-up and `npm start -- --print-config` read them all here, so a bad value anywhere stops the start with every
 * problem listed at once.
 */
export const CONFIG_SECTIONS = {
  portal: readPortalEnv,
  shutdown: readShutdownEnv,
  store: storeConfigFromEnv,
  readReplica: readReplicaConfigFromEnv,
  devdraft: readDevdraftConfig,
  exportBudgetShare: readExportShare,
  audit: readAuditSettings,
  checkpoints: readCheckpointSettings,
  access: readAccessSettings,
  alertMail: readAlertMailSettings,
  siem: readSiemSettings,
  oidc: readOidcSettings,
  traces: otlpTracesUrl,
} satisfies Record<string, (env: Env) => unknown>;

export type PortalConfig = { [K in keyof typeof CONFIG_SECTIONS]: ReturnType<(typeof CONFIG_SECTIONS)[K]> };

/** Thrown by loadConfig: every problem in every section, one line each. */
export class ConfigProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigProblems";
  }
}

/** All sections at once; throws ConfigProblems listing every problem (never the first only). */
export function loadConfig(env: Env = process.env): PortalConfig {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(CONFIG_SECTIONS)) {
    try {
      config[name] = read(env);
    } catch (err) {
      problems.push(...(err instanceof Error ? err.message.split("\n") : [String(err)]));
    }
  }
  // Sections sharing a setting (the PG_* guards serve the store and its read replica) report its problem once.
  if (problems.length > 0) throw new ConfigProblems([...new Set(problems)]);
  return config as PortalConfig;
}

const MASK = "•••• (set)";
// Keys that hold credentials whatever their value (the built-in sandbox's default secret included).
const SECRET_KEY = /secret|password|token|encryption_?key|clientkey|^text$/i;

/**
 * The effective configuration as `section.key = value` lines, defaults applied. A value holding any secret setting's
 * text (PORTAL_SETTINGS marks them) is masked, and a URL's password is replaced, so the output can be pasted into a
 * ticket.
 */
export function describeConfig(config: PortalConfig, env: Env = process.env): string[] {
  const secrets = Object.entries(PORTAL_SETTINGS)
    .filter(([, kind]) => kind === "secret")
    .map(([name]) => env[name]?.trim())
    .filter((v): v is string => v !== undefined && v !== "");
  const masked = (key: string, text: string): string => {
    if (SECRET_KEY.test(key) || secrets.some((s) => text === s || (s.length >= 8 && text.includes(s)))) return MASK;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      try {
        const url = new URL(text);
        const hidden = [...url.searchParams.keys()].filter((k) => /password|secret|token/i.test(k));
        if (url.password === "" && hidden.length === 0) return text;
        if (url.password !== "") url.password = "****";
        for (const k of hidden) url.searchParams.set(k, "****");
        return url.toString();
      } catch {
        return text;
      }
    }
    return text;
  };
  const lines: string[] = [];
  const walk = (path: string, value: unknown): void => {
    if (value === null || value === undefined) lines.push(`${path} = (not set)`);
    else if (typeof value === "string") lines.push(`${path} = ${masked(path.slice(path.lastIndexOf(".") + 1), value)}`);
    else if (typeof value === "number" || typeof value === "boolean") lines.push(`${path} = ${value}`);
    else if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${path} = []`);
      value.forEach((item, i) => walk(`${path}[${i}]`, item));
    } else if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) walk(`${path}.${key}`, inner);
    }
  };
  for (const [section, value] of Object.entries(config)) walk(section, value);
  return lines;
}
