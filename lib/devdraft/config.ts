import "server-only";
import { z } from "zod";
import { httpUrl, optionalText, wholeNumber } from "@/lib/settings/fields";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET, DEFAULT_SANDBOX_PORT } from "@/sandbox/defaults";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

export type DevdraftConfig = {
  embedded: boolean;
  baseUrl: string;
  clientKey: string;
  clientSecret: string;
  ratePerMin: number;
  cacheTtlMs: number;
  /** How old a cached answer may be and still be served, marked stale, when Devdraft is out; 0: never. */
  staleMaxMs?: number;
  deadlineMs: number;
  attemptTimeoutMs: number;
};

type Env = Record<string, string | undefined>;

const envSchema = z.object({
  DEVDRAFT_API_URL: httpUrl("DEVDRAFT_API_URL"),
  DEVDRAFT_CLIENT_KEY: optionalText,
  DEVDRAFT_CLIENT_SECRET: optionalText,
  SANDBOX_PORT: wholeNumber("SANDBOX_PORT", DEFAULT_SANDBOX_PORT, 1, 65_535),
  SANDBOX_CLIENT_KEY: optionalText,
  SANDBOX_CLIENT_SECRET: optionalText,
  DEVDRAFT_RATE_LIMIT_PER_MIN: wholeNumber("DEVDRAFT_RATE_LIMIT_PER_MIN", 100, 1, 100_000),
  DEVDRAFT_CACHE_TTL_MS: wholeNumber("DEVDRAFT_CACHE_TTL_MS", 10_000, 0, 86_400_000),
  DEVDRAFT_STALE_MAX_SECONDS: wholeNumber("DEVDRAFT_STALE_MAX_SECONDS", 300, 0, 86_400),
  DEVDRAFT_TIMEOUT_MS: wholeNumber("DEVDRAFT_TIMEOUT_MS", 8_000, 1, 600_000),
  DEVDRAFT_ATTEMPT_TIMEOUT_MS: wholeNumber("DEVDRAFT_ATTEMPT_TIMEOUT_MS", 4_000, 1, 600_000),
});

/** The upstream settings, checked; throws one line per bad variable. Read lazily, never at import. */
export function readDevdraftConfig(env: Env = process.env): DevdraftConfig {
  const parsed = envSchema.safeParse(pick(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const vars = parsed.data;
  const common = {
    ratePerMin: vars.DEVDRAFT_RATE_LIMIT_PER_MIN,
    cacheTtlMs: vars.DEVDRAFT_CACHE_TTL_MS,
    staleMaxMs: vars.DEVDRAFT_STALE_MAX_SECONDS * 1_000,
    deadlineMs: vars.DEVDRAFT_TIMEOUT_MS,
    attemptTimeoutMs: Math.min(vars.DEVDRAFT_ATTEMPT_TIMEOUT_MS, vars.DEVDRAFT_TIMEOUT_MS),
  };
  if (vars.DEVDRAFT_API_URL === undefined) {
    // Against the built-in sandbox both sides may be moved to other credentials; they must then agree.
    const half = (["DEVDRAFT_CLIENT_KEY", "DEVDRAFT_CLIENT_SECRET"] as const).filter((name) => vars[name] === undefined);
    if (half.length === 1) {
      throw new ConfigError([`${half[0]} is required when the other DEVDRAFT_CLIENT_* setting is set`]);
    }
    return {
      embedded: true,
      baseUrl: `http://127.0.0.1:${vars.SANDBOX_PORT}`,
      clientKey: vars.DEVDRAFT_CLIENT_KEY ?? vars.SANDBOX_CLIENT_KEY ?? DEFAULT_SANDBOX_CLIENT_KEY,
      clientSecret: vars.DEVDRAFT_CLIENT_SECRET ?? vars.SANDBOX_CLIENT_SECRET ?? DEFAULT_SANDBOX_CLIENT_SECRET,
      ...common,
    };
  }
  const { DEVDRAFT_CLIENT_KEY: clientKey, DEVDRAFT_CLIENT_SECRET: clientSecret } = vars;
  if (clientKey === undefined || clientSecret === undefined) {
    const missing = [clientKey === undefined && "DEVDRAFT_CLIENT_KEY", clientSecret === undefined && "DEVDRAFT_CLIENT_SECRET"];
    throw new ConfigError(missing.filter((name) => name !== false).map((name) => `${name} is required when DEVDRAFT_API_URL is set`));
  }
  return { embedded: false, baseUrl: vars.DEVDRAFT_API_URL, clientKey, clientSecret, ...common };
}

function pick(env: Env): Record<keyof z.input<typeof envSchema>, string | undefined> {
  return {
    DEVDRAFT_API_URL: env.DEVDRAFT_API_URL,
    DEVDRAFT_CLIENT_KEY: env.DEVDRAFT_CLIENT_KEY,
    DEVDRAFT_CLIENT_SECRET: env.DEVDRAFT_CLIENT_SECRET,
    SANDBOX_PORT: env.SANDBOX_PORT,
    SANDBOX_CLIENT_KEY: env.SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET: env.SANDBOX_CLIENT_SECRET,
    DEVDRAFT_RATE_LIMIT_PER_MIN: env.DEVDRAFT_RATE_LIMIT_PER_MIN,
    DEVDRAFT_CACHE_TTL_MS: env.DEVDRAFT_CACHE_TTL_MS,
    DEVDRAFT_STALE_MAX_SECONDS: env.DEVDRAFT_STALE_MAX_SECONDS,
    DEVDRAFT_TIMEOUT_MS: env.DEVDRAFT_TIMEOUT_MS,
    DEVDRAFT_ATTEMPT_TIMEOUT_MS: env.DEVDRAFT_ATTEMPT_TIMEOUT_MS,
  };
}
