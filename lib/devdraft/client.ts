import "server-only";
import { abortableSleep } from "@/lib/abortable-sleep";
import { toSearchParams, type CustomersQuery } from "@/lib/customers/query";
import type { RateBudget } from "./budget";
import { createCoalescer } from "./coalesce";
import type { DevdraftConfig } from "./config";
import { DevdraftError } from "./errors";
import { withRetries } from "./retry";
import { parseCustomer, parseCustomerList, type Customer, type CustomerList } from "./schemas";
import { sendOnce } from "./send";
import { createTtlCache } from "./ttl-cache";

export type CallOptions = { signal?: AbortSignal };
export type CustomerPage = CustomerList & { cached: boolean };

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
      const key = toSearchParams(query).toString();
      const hit = lists.cache.get(key);
      if (hit !== undefined) return { ...hit, cached: true };
      const page = await lists.flights.run(
        key,
        async (leave) => {
          const fresh = await call(`${CUSTOMERS_PATH}?${key}`, parseCustomerList, leave);
          lists.cache.set(key, fresh);
          return fresh;
        },
        callOptions.signal,
      );
      return { ...page, cached: false };
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
