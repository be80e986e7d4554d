import "server-only";

/**
 * The delay Devdraft asked for, in ms: the `Retry-After` header (seconds or an HTTP date) or the
 * body's `retry_after` / `retryAfter` (seconds, per the List page and the OpenAPI spec). When
 * several are present the longest wins, since waiting less than asked only earns another 429.
 */
export function readRetryAfterMs(headers: Headers, body: unknown, now: number): number | undefined {
  const candidates = [fromHeader(headers.get("retry-after"), now), fromBody(body, "retry_after"), fromBody(body, "retryAfter")];
  const present = candidates.filter((ms): ms is number => ms !== undefined);
  return present.length > 0 ? Math.max(...present) : undefined;
}

function fromHeader(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = secondsToMs(value.trim());
  if (seconds !== undefined) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function fromBody(body: unknown, key: string): number | undefined {
  if (typeof body !== "object" || body === null || !Object.hasOwn(body, key)) return undefined;
  const value: unknown = Reflect.get(body, key);
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
  return typeof value === "string" ? secondsToMs(value.trim()) : undefined;
}

function secondsToMs(text: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  return Math.ceil(Number(text) * 1000);
}
