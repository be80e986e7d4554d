import { z } from "zod";

/**
 * The field types every setting is built from (lib/config/index.ts lists the sections that use them). One rule for
 * all: a blank variable (`FOO=` in a .env file, or spaces) means "not set", never "set to nothing", and every message
 * starts with the setting's name so a start-up report reads one line per problem.
 */

/** Blank (empty or only spaces) reads as unset; other text is trimmed. */
export const unsetIfBlank = (value: unknown): unknown => (typeof value === "string" ? value.trim() || undefined : value);

/** Free text; unset when blank. */
export const optionalText = z.preprocess(unsetIfBlank, z.string().optional());

/** A whole number with a default and bounds: "NAME must be a whole number from MIN to MAX". */
export function wholeNumber(name: string, fallback: number, min: number, max: number, why = "") {
  const message = `${name} must be a whole number from ${min} to ${max}${why}`;
  return z
    .preprocess(unsetIfBlank, z.string().regex(/^\d+$/, message).optional())
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((n) => n >= min && n <= max, message);
}

const DURATION = /^(\d+)\s*(s|m|h)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600 };

/** A duration in seconds: "3600", "90s", "30m" or "1h"; its error names the setting and the bounds. */
export function duration(name: string, fallbackS: number, minS: number, maxS: number) {
  const message = `${name} must be a duration from ${minS} s to ${maxS / 3_600} h, such as 900s, 30m or 1h`;
  return z
    .preprocess(unsetIfBlank, z.string().regex(DURATION, message).optional())
    .transform((v) => {
      if (v === undefined) return fallbackS;
      const [, n, unit] = DURATION.exec(v) ?? [];
      return Number(n) * (UNIT_SECONDS[unit ?? "s"] ?? 1);
    })
    .refine((s) => s >= minS && s <= maxS, message);
}

/** An http(s) URL without trailing slashes; unset when blank. */
export function httpUrl(name: string, example = "") {
  return z.preprocess(
    unsetIfBlank,
    z
      .url({ protocol: /^https?$/, error: `${name} must be an http:// or https:// URL${example}` })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
  );
}

/** A secret the operator generates (a token, a key): at least `min` characters; unset when blank. */
export function secretText(name: string, min: number, what: string) {
  return z.preprocess(unsetIfBlank, z.string().min(min, `${name} must be at least ${min} characters (${what})`).optional());
}

/** One line per problem, each starting with the setting's name. */
export function problemLines(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const name = String(i.path[0] ?? "environment");
    return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
  });
}

/** Parses `env` with `schema`, throwing one line per problem. */
export function parseSettings<T extends z.ZodType>(schema: T, env: Readonly<Record<string, string | undefined>>): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(problemLines(parsed.error).join("\n"));
}
