import "server-only";

export class NotJsonError extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`${path} is not JSON-serialisable (${what})`);
    this.name = "NotJsonError";
  }
}

/**
 * JSON with object keys sorted at every level, so equal values always hash equally.
 * Throws instead of silently dropping or coercing what JSON.stringify would (bigint, NaN, functions, cycles).
 */
export function canonicalJson(value: unknown): string {
  return encode(value, "$", new Set());
}

function encode(value: unknown, path: string, seen: Set<object>): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NotJsonError(path, String(value));
    return JSON.stringify(value);
  }
  if (typeof value !== "object") throw new NotJsonError(path, typeof value);
  if (seen.has(value)) throw new NotJsonError(path, "cycle");
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item, i) => encode(item === undefined ? null : item, `${path}[${i}]`, seen)).join(",")}]`;
    }
    if (value instanceof Date) return JSON.stringify(value.toISOString());
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${encode(v, `${path}.${k}`, seen)}`).join(",")}}`;
  } finally {
    seen.delete(value);
  }
}
