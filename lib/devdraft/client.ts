import "server-only";
import { abortableSleep } from "@/lib/abortable-sleep";
import { TAKE_MAX, toSearchParams, type CustomersQuery } from "@/lib/customers/query";
import { metrics } from "@/lib/observe/metrics";
import type { Lane, RateBudget } from "./budget";
import { createCoalescer } from "./coalesce";
import type { DevdraftConfig } from "./config";
import { DevdraftError } from "./errors";
import { withRetries } from "./retry";
import { parseCustomer, parseCustomerList, type Customer, type CustomerList } from "./schemas";
import { sendOnce } from "./send";
import { type Cached, createTtlCache, type TtlCache } from "./ttl-cache";

export type CallOptions = {
  signal?: AbortSignal;
  /** The budget lane the call waits in (default `background`) and whose call it is (a staff id). */
  lane?: Lane;
  who?: string;
  /**
   * When Devdraft is out (429, timeout, 5xx, unreachable) and an answer to the same request is at most
   * `config.staleMaxMs` old, answer with it, marked `stale`, instead of failing.
   */
  serveStale?: boolean;
};
/** When Devdraft gave the answer (epoch ms), and whether it is served stale because Devdraft is out now. */
export type Freshness = { asOf: number; stale: boolean };
type Dated<T> = Freshness & { value: T };
/**
 * At most `query.take` customers. `hasMore`: whether rows exist after this page — from Devdraft's total when it
 * sends one, else from the one row asked beyond the page; null when the page is full at Devdraft's maximum take,
 * where no row beyond it can be asked for in the same call (unknown).
 */
type CustomerPage = CustomerList & Freshness & { hasMore: boolean | null; cached: boolean };

export type DevdraftClient = {
  listCustomers(query: CustomersQuery, options?: CallOptions): Promise<CustomerPage>;
  getCustomer(id: string, options?: CallOptions): Promise<Dated<Customer>>;
};

export type DevdraftClientOptions = {
  config: DevdraftConfig;
  budget: RateBudget;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  cacheEntries?: number;
};

const CUSTOMERS_PATH = "/api/v0/customers";
// Devdraft is out (or asked us to wait): what a stale answer may stand in for. Never a 400, 401 or 404.
const OUTAGES = new Set(["rate_limited", "timeout", "unavailable", "network"]);

export function createDevdraftClient(options: DevdraftClientOptions): DevdraftClient {
  const { config, budget, fetch = globalThis.fetch, now = Date.now, sleep = abortableSleep, random = Math.random } = options;
  const cacheOptions = { ttlMs: config.cacheTtlMs, staleMs: config.staleMaxMs ?? 0, maxEntries: options.cacheEntries ?? 500, now };
  const lists = { cache: createTtlCache<CustomerList>(cacheOptions), flights: createCoalescer<CustomerList>() };
  const singles = { cache: createTtlCache<Customer>(cacheOptions), flights: createCoalescer<Customer>() };

  // A cached answer, fresh; else the one shared call; when that fails for an outage, the last answer if allowed.
  const answer = async <T>(
    where: { cache: TtlCache<T>; flights: ReturnType<typeof createCoalescer<T>> },
    key: string,
    path: string,
    parse: (body: unknown) => T,
    callOptions: CallOptions,
  ): Promise<Dated<T> & { cached: boolean }> => {
    const hit = where.cache.get(key);
    if (hit !== undefined) return dated(hit, false, true);
    try {
      const value = await where.flights.run(
        key,
        async (leave) => {
          const fresh = await call(path, parse, leave, callOptions);
          where.cache.set(key, fresh);
          return fresh;
        },
        callOptions.signal,
      );
      return { value, asOf: now(), stale: false, cached: false };
    } catch (error) {
      if (!callOptions.serveStale || !(error instanceof DevdraftError) || !OUTAGES.has(error.kind)) throw error;
      const old = where.cache.stale(key);
      if (old === undefined) throw error;
      metrics().staleAnswers.inc({ reason: error.kind });
      return dated(old, true, true);
    }
  };

  // One shared call: its own deadline, independent of any one caller's signal.
  const call = async <T>(path: string, parse: (body: unknown) => T, leave: AbortSignal, { lane, who }: CallOptions): Promise<T> => {
    const deadline = now() + config.deadlineMs;
    const signal = AbortSignal.any([leave, AbortSignal.timeout(config.deadlineMs)]);
    try {
      return await withRetries(
        (remainingMs) =>
          sendOnce({
            fetch,
            config,
            url: `${config.baseUrl}${path}`,
            signal,
            attemptTimeoutMs: Math.min(config.attemptTimeoutMs, remainingMs),
            now,
            parse,
          }),
        { budget, lane, who, deadline, signal, now, sleep, random, maxAttempts: options.maxAttempts ?? 4, baseDelayMs: 200, maxDelayMs: 2_000 },
      );
    } catch (error) {
      if (error instanceof DevdraftError || !signal.aborted || leave.aborted) throw error;
      throw new DevdraftError("timeout", { detail: "overall deadline", cause: error });
    }
  };

  return {
    async listCustomers(query, callOptions = {}) {
      // One row beyond the page tells whether a next page exists, in the same call; it never leaves this function.
      const probe = query.take < TAKE_MAX;
      // Cache and coalescing are keyed by the request actually sent.
      const key = toSearchParams(probe ? { ...query, take: query.take + 1 } : query).toString();
      const { value, ...freshness } = await answer(lists, key, `${CUSTOMERS_PATH}?${key}`, parseCustomerList, callOptions);
      return { ...pageOf(value, query, probe), ...freshness };
    },

    getCustomer(id, callOptions = {}) {
      return answer(singles, id, `${CUSTOMERS_PATH}/${encodeURIComponent(id)}`, parseCustomer, callOptions);
    },
  };
}

function dated<T>(entry: Cached<T>, stale: boolean, cached: boolean): Dated<T> & { cached: boolean } {
  return { value: entry.value, asOf: entry.storedAt, stale, cached };
}

/** The page the caller asked for, out of what Devdraft answered: never more than `take` rows. */
function pageOf(list: CustomerList, query: CustomersQuery, probed: boolean): CustomerList & { hasMore: boolean | null } {
  let hasMore: boolean | null;
  if (list.total !== null) hasMore = query.skip + query.take < list.total;
  else if (probed) hasMore = list.customers.length > query.take;
  else hasMore = list.customers.length < query.take ? false : null;
  return { customers: list.customers.slice(0, query.take), total: list.total, hasMore };
}
