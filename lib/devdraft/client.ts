import "server-only";
import { abortableSleep } from "@/lib/abortable-sleep";
import { TAKE_MAX, toSearchParams, type CustomersQuery } from "@/lib/customers/query";
import type { RateBudget } from "./budget";
import { createCoalescer } from "./coalesce";
import type { DevdraftConfig } from "./config";
import { DevdraftError } from "./errors";
import { withRetries } from "./retry";
import { parseCustomer, parseCustomerList, type Customer, type CustomerList } from "./schemas";
import { sendOnce } from "./send";
import { createTtlCache } from "./ttl-cache";

export type CallOptions = { signal?: AbortSignal };
/**
 * At most `query.take` customers. `hasMore`: whether rows exist after this page — from Devdraft's total when it
 * sends one, else from the one row asked beyond the page; null when the page is full at Devdraft's maximum take,
 * where no row beyond it can be asked for in the same call (unknown).
 */
export type CustomerPage = CustomerList & { hasMore: boolean | null; cached: boolean };

export type DevdraftClient = {
  listCustomers(query: CustomersQuery, options?: CallOptions): Promise<CustomerPage>;
  getCustomer(id: string, options?: CallOptions): Promise<Customer>;
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

export function createDevdraftClient(options: DevdraftClientOptions): DevdraftClient {
  const { config, budget, fetch = globalThis.fetch, now = Date.now, sleep = abortableSleep, random = Math.random } = options;
  const cacheOptions = { ttlMs: config.cacheTtlMs, maxEntries: options.cacheEntries ?? 500, now };
  const lists = { cache: createTtlCache<CustomerList>(cacheOptions), flights: createCoalescer<CustomerList>() };
  const singles = { cache: createTtlCache<Customer>(cacheOptions), flights: createCoalescer<Customer>() };

  // One shared call: its own deadline, independent of any one caller's signal.
  const call = async <T>(path: string, parse: (body: unknown) => T, leave: AbortSignal): Promise<T> => {
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
        { budget, deadline, signal, now, sleep, random, maxAttempts: options.maxAttempts ?? 4, baseDelayMs: 200, maxDelayMs: 2_000 },
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
      const hit = lists.cache.get(key);
      if (hit !== undefined) return pageOf(hit, query, probe, true);
      const list = await lists.flights.run(
        key,
        async (leave) => {
          const fresh = await call(`${CUSTOMERS_PATH}?${key}`, parseCustomerList, leave);
          lists.cache.set(key, fresh);
          return fresh;
        },
        callOptions.signal,
      );
      return pageOf(list, query, probe, false);
    },

    async getCustomer(id, callOptions = {}) {
      const hit = singles.cache.get(id);
      if (hit !== undefined) return hit;
      return singles.flights.run(
        id,
        async (leave) => {
          const fresh = await call(`${CUSTOMERS_PATH}/${encodeURIComponent(id)}`, parseCustomer, leave);
          singles.cache.set(id, fresh);
          return fresh;
        },
        callOptions.signal,
      );
    },
  };
}

/** The page the caller asked for, out of what Devdraft answered: never more than `take` rows. */
function pageOf(list: CustomerList, query: CustomersQuery, probed: boolean, cached: boolean): CustomerPage {
  let hasMore: boolean | null;
  if (list.total !== null) hasMore = query.skip + query.take < list.total;
  else if (probed) hasMore = list.customers.length > query.take;
  else hasMore = list.customers.length < query.take ? false : null;
  return { customers: list.customers.slice(0, query.take), total: list.total, hasMore, cached };
}
