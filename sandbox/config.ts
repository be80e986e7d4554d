import { z } from "zod";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET, DEFAULT_SANDBOX_PORT } from "./defaults";
import { NO_FAULTS, type FaultSettings } from "./faults";

const MAX_CUSTOMERS = 1_000_000;

export interface SandboxConfig {
  port: number;
  host: string;
  clientKey: string;
  clientSecret: string;
  customers: number;
  seed: number;
  faults: FaultSettings;
}

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const share = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, "must be a number from 0 to 1")
  .transform(Number);

const flag = z.enum(["0", "1", "true", "false"], "must be 0 or 1").transform((v) => v === "1" || v === "true");

function read<T>(env: Env, name: string, schema: z.ZodType<T, string>, fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const result = schema.safeParse(raw.trim());
  if (result.success) return result.data;
  const reason = result.error.issues[0]?.message ?? "is invalid";
  throw new ConfigError(`${name}=${JSON.stringify(raw)} ${reason}`);
}

/** Reads SANDBOX_* variables; throws ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Env = process.env): SandboxConfig {
  const text = z.string().min(1).max(500);
  return {
    port: read(env, "SANDBOX_PORT", integer(0, 65535), DEFAULT_SANDBOX_PORT),
    host: read(env, "SANDBOX_HOST", text, "127.0.0.1"),
    clientKey: read(env, "SANDBOX_CLIENT_KEY", text, DEFAULT_SANDBOX_CLIENT_KEY),
    clientSecret: read(env, "SANDBOX_CLIENT_SECRET", text, DEFAULT_SANDBOX_CLIENT_SECRET),
    customers: read(env, "SANDBOX_CUSTOMERS", integer(0, MAX_CUSTOMERS), 5000),
    seed: read(env, "SANDBOX_SEED", integer(0, 2 ** 32 - 1), 42),
    faults: {
      rateLimit: read(env, "SANDBOX_RATE_LIMIT", integer(0, 1_000_000), NO_FAULTS.rateLimit),
      latencyMs: read(env, "SANDBOX_LATENCY_MS", integer(0, 120_000), NO_FAULTS.latencyMs),
      errorRate: read(env, "SANDBOX_ERROR_RATE", share, NO_FAULTS.errorRate),
      hangRate: read(env, "SANDBOX_HANG_RATE", share, NO_FAULTS.hangRate),
      malformedRate: read(env, "SANDBOX_MALFORMED_RATE", share, NO_FAULTS.malformedRate),
      envelope: read(env, "SANDBOX_ENVELOPE", flag, NO_FAULTS.envelope),
      retryAfterStyle: read(env, "SANDBOX_RETRY_AFTER_STYLE", z.enum(["snake", "camel"], "must be snake or camel"), NO_FAULTS.retryAfterStyle),
      timestampStyle: read(env, "SANDBOX_TIMESTAMP_STYLE", z.enum(["camel", "snake"], "must be camel or snake"), NO_FAULTS.timestampStyle),
    },
  };
}
