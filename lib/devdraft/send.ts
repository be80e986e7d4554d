import "server-only";
import type { DevdraftConfig } from "./config";
import { DevdraftError } from "./errors";
import { readRetryAfterMs } from "./retry-after";

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: DevdraftError; retryable: boolean };

export type SendOptions<T> = {
  fetch: typeof globalThis.fetch;
  config: Pick<DevdraftConfig, "clientKey" | "clientSecret">;
  url: string;
  /** The shared call's signal: its abort ends everything, including the overall deadline. */
  signal: AbortSignal;
  attemptTimeoutMs: number;
  now: () => number;
  parse: (body: unknown) => T;
};

/** One request to Devdraft, classified. The only place the portal's credentials are attached. */
export async function sendOnce<T>(options: SendOptions<T>): Promise<Attempt<T>> {
  const { config, signal, now } = options;
  const attemptTimer = AbortSignal.timeout(Math.max(1, options.attemptTimeoutMs));
  try {
    const response = await options.fetch(options.url, {
      method: "GET",
      headers: { accept: "application/json", "x-client-key": config.clientKey, "x-client-secret": config.clientSecret },
      signal: AbortSignal.any([signal, attemptTimer]),
      cache: "no-store",
    });
    const text = await response.text();
    if (response.ok) return readSuccess(text, options.parse);
    return { ok: false, ...classifyFailure(response, parseJson(text), now()) };
  } catch (error) {
    if (signal.aborted) {
      if (isTimeout(signal.reason)) throw new DevdraftError("timeout", { detail: "overall deadline", cause: error });
      throw signal.reason;
    }
    if (attemptTimer.aborted) {
      return { ok: false, retryable: true, error: new DevdraftError("timeout", { detail: "attempt timed out" }) };
    }
    // Connection refused or reset, DNS, TLS: the request may never have reached Devdraft.
    return { ok: false, retryable: true, error: new DevdraftError("network", { detail: describe(error), cause: error }) };
  }
}

function readSuccess<T>(text: string, parse: (body: unknown) => T): Attempt<T> {
  const body = parseJson(text);
  if (body === undefined) {
    return { ok: false, retryable: false, error: new DevdraftError("bad_response", { detail: "body is not JSON" }) };
  }
  try {
    return { ok: true, value: parse(body) };
  } catch (error) {
    if (error instanceof DevdraftError) return { ok: false, retryable: false, error };
    throw error;
  }
}

function classifyFailure(response: Response, body: unknown, now: number): { error: DevdraftError; retryable: boolean } {
  const upstreamStatus = response.status;
  const retryAfterMs = readRetryAfterMs(response.headers, body, now);
  const detail = `Devdraft answered ${upstreamStatus}`;
  switch (upstreamStatus) {
    case 400:
      return { retryable: false, error: new DevdraftError("bad_request", { detail, upstreamStatus, messages: messagesOf(body) }) };
    case 401:
    case 403:
      return { retryable: false, error: new DevdraftError("unauthorized", { detail, upstreamStatus }) };
    case 404:
      return { retryable: false, error: new DevdraftError("not_found", { detail, upstreamStatus }) };
    case 429:
      return { retryable: true, error: new DevdraftError("rate_limited", { detail, upstreamStatus, retryAfterMs }) };
    case 503:
      return {
        retryable: true,
        error: new DevdraftError("unavailable", {
          detail,
          upstreamStatus,
          retryAfterMs,
          status: 503,
          publicMessage: "Devdraft is unavailable right now",
        }),
      };
    case 504:
      return { retryable: true, error: new DevdraftError("timeout", { detail, upstreamStatus, retryAfterMs }) };
    default:
      // A read is safe to repeat, so a 500 or 502 gets another try too.
      return {
        retryable: upstreamStatus === 500 || upstreamStatus === 502,
        error: new DevdraftError("unavailable", { detail, upstreamStatus, retryAfterMs }),
      };
  }
}

function messagesOf(body: unknown): string[] {
  const message: unknown = typeof body === "object" && body !== null ? Reflect.get(body, "message") : undefined;
  if (typeof message === "string") return [message];
  return Array.isArray(message) ? message.filter((item): item is string => typeof item === "string") : [];
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return undefined;
  }
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof DOMException && reason.name === "TimeoutError";
}

// The error's code and message only: a cause never carries a body or a header here.
function describe(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code: unknown = typeof cause === "object" && cause !== null ? Reflect.get(cause, "code") : undefined;
  return [error instanceof Error ? error.message : "fetch failed", typeof code === "string" ? code : ""].filter(Boolean).join(" ");
}
