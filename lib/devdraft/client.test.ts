import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateBudget, type AcquireOptions, type RateBudget } from "./budget";
import { createDevdraftClient, type DevdraftClientOptions } from "./client";
import type { DevdraftConfig } from "./config";
import { DevdraftError } from "./errors";
import { startStubUpstream, type StubUpstream } from "@/test/support/stub-upstream";
import { metrics } from "@/lib/observe/metrics";

const row = (id: string) => ({ id, first_name: "Ada", last_name: "Lovelace", status: "ACTIVE", createdAt: "2024-01-01T00:00:00Z" });
const QUERY = { take: 10, skip: 0 };

let stub: StubUpstream;
let clock: number;
let slept: number[];
let budget: RateBudget & { acquired: AcquireOptions[]; penalties: number[] };

const fakeBudget = () => {
  const acquired: AcquireOptions[] = [];
  const penalties: number[] = [];
  return {
    acquired,
    penalties,
    acquire: async (options: AcquireOptions) => {
      acquired.push(options);
    },
    penalize: (ms: number) => {
      penalties.push(ms);
    },
  };
};

const configFor = (overrides: Partial<DevdraftConfig> = {}): DevdraftConfig => ({
  embedded: false,
  baseUrl: stub.url,
  clientKey: "portal-key",
  clientSecret: "portal-secret",
  ratePerMin: 100,
  cacheTtlMs: 0,
  deadlineMs: 8_000,
  attemptTimeoutMs: 4_000,
  ...overrides,
});

// A fake clock that moves only when the client sleeps, so waits are exact and instant.
const clientFor = (config: Partial<DevdraftConfig> = {}, extra: Partial<DevdraftClientOptions> = {}) =>
  createDevdraftClient({
    config: configFor(config),
    budget,
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    ...extra,
  });

// A fetch that waits for `gate` (by default a few ms) so concurrent callers overlap.
const gatedFetch =
  (gate: Promise<void> = new Promise((resolve) => setTimeout(resolve, 20))): typeof fetch =>
  async (input, init) => {
    await gate;
    return fetch(input, init);
  };

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => {
      if (!(error instanceof DevdraftError)) throw error;
      return error;
    },
  );

beforeEach(async () => {
  stub = await startStubUpstream();
  clock = 1_000_000;
  slept = [];
  budget = fakeBudget();
});
afterEach(async () => {
  await stub.close();
});

describe("requests", () => {
  it("attaches the portal's credentials and sends the canonical query", async () => {
    stub.reply({ body: [row("a")] });
    await clientFor().listCustomers({ email: "x@y", status: "ACTIVE", take: 25, skip: 50 });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    // take 26: one row beyond the page of 25 says whether a next page exists (see "whether a next page exists").
    expect(request?.url).toBe("/api/v0/customers?take=26&skip=50&status=ACTIVE&email=x%40y");
    expect(request?.headers["x-client-key"]).toBe("portal-key");
    expect(request?.headers["x-client-secret"]).toBe("portal-secret");
  });

  it("reads both list shapes and keeps the envelope's total", async () => {
    stub.reply({ body: [row("a"), row("b")] }, { body: { data: [row("c")], total: 41, skip: 0, take: 10 } });
    const client = clientFor();
    const bare = await client.listCustomers(QUERY);
    expect(bare.customers.map((c) => c.id)).toEqual(["a", "b"]);
    expect(bare).toMatchObject({ total: null, cached: false });
    const wrapped = await client.listCustomers({ ...QUERY, skip: 10 });
    expect(wrapped).toMatchObject({ total: 41, cached: false });
  });

  it("gets one customer by id, escaped, and maps 404 to not_found", async () => {
    stub.reply({ body: row("a b") }, { status: 404, body: { statusCode: 404, message: "Customer not found", error: "Not Found" } });
    const client = clientFor();
    expect((await client.getCustomer("a b")).value.id).toBe("a b");
    expect(stub.requests[0]?.url).toBe("/api/v0/customers/a%20b");
    expect(await failure(client.getCustomer("nope"))).toMatchObject({ kind: "not_found", status: 404 });
    expect(stub.requests).toHaveLength(2);
  });
});

describe("whether a next page exists", () => {
  const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => row(`r${from + i}`));
  const ids = (page: { customers: { id: string }[] }) => page.customers.map((c) => c.id);

  it("asks Devdraft for one row more than the page and hands back only the page", async () => {
    stub.reply({ body: rows(11) });
    const page = await clientFor().listCustomers({ take: 10, skip: 20 });
    expect(stub.requests.map((r) => r.url)).toEqual(["/api/v0/customers?take=11&skip=20"]);
    expect(ids(page)).toEqual(rows(10).map((c) => c.id));
    expect(ids(page)).not.toContain("r10");
    expect(page).toMatchObject({ hasMore: true, total: null });
  });

  it("says there is no next page when the extra row did not come", async () => {
    stub.reply({ body: rows(10) }, { body: rows(3) });
    const client = clientFor();
    const exact = await client.listCustomers({ take: 10, skip: 0 });
    expect(ids(exact)).toHaveLength(10);
    expect(exact.hasMore).toBe(false);
    const short = await client.listCustomers({ take: 10, skip: 10 });
    expect(ids(short)).toHaveLength(3);
    expect(short.hasMore).toBe(false);
    expect(stub.requests.map((r) => r.url)).toEqual(["/api/v0/customers?take=11&skip=0", "/api/v0/customers?take=11&skip=10"]);
  });

  it("never asks for more than Devdraft's maximum of 100", async () => {
    stub.reply({ body: rows(100) });
    const page = await clientFor().listCustomers({ take: 99, skip: 0 });
    expect(stub.requests.map((r) => r.url)).toEqual(["/api/v0/customers?take=100&skip=0"]);
    expect(ids(page)).toHaveLength(99);
    expect(page.hasMore).toBe(true);
  });

  it("at take 100 makes exactly one call of 100: a full page is unknown (null), a short one is the end", async () => {
    stub.reply({ body: rows(101) }, { body: rows(40, 100) });
    const client = clientFor();
    const full = await client.listCustomers({ take: 100, skip: 0 });
    expect(stub.requests.map((r) => r.url)).toEqual(["/api/v0/customers?take=100&skip=0"]);
    // Even an upstream that sends more than asked never gets more than the page through.
    expect(ids(full)).toHaveLength(100);
    expect(full.hasMore).toBeNull();
    const short = await client.listCustomers({ take: 100, skip: 100 });
    expect(ids(short)).toHaveLength(40);
    expect(short.hasMore).toBe(false);
    expect(stub.requests).toHaveLength(2);
  });

  it("reads it from Devdraft's total when the answer carries one", async () => {
    stub.reply(
      { body: { data: rows(11), total: 11 } },
      // A total that disagrees with the rows sent: the total decides, the extra row is still dropped.
      { body: { data: rows(11, 10), total: 20 } },
      { body: { data: rows(100, 100), total: 250 } },
      { body: { data: rows(50, 200), total: 250 } },
    );
    const client = clientFor();
    const first = await client.listCustomers({ take: 10, skip: 0 });
    expect(first).toMatchObject({ total: 11, hasMore: true });
    expect(ids(first)).toHaveLength(10);
    const second = await client.listCustomers({ take: 10, skip: 10 });
    expect(second).toMatchObject({ total: 20, hasMore: false });
    expect(ids(second)).toHaveLength(10);
    expect(await client.listCustomers({ take: 100, skip: 100 })).toMatchObject({ total: 250, hasMore: true });
    expect(await client.listCustomers({ take: 100, skip: 200 })).toMatchObject({ total: 250, hasMore: false });
    expect(stub.requests).toHaveLength(4);
  });

  it("caches by the request sent, and a cached answer still hands back only the page", async () => {
    stub.reply({ body: rows(11) });
    const client = clientFor({ cacheTtlMs: 10_000 });
    await client.listCustomers({ take: 10, skip: 0 });
    const again = await client.listCustomers({ take: 10, skip: 0 });
    expect(again).toMatchObject({ cached: true, hasMore: true });
    expect(ids(again)).toHaveLength(10);
    // take 11 sends take=12: not the same request, so not the same entry.
    expect(await client.listCustomers({ take: 11, skip: 0 })).toMatchObject({ cached: false });
    expect(stub.requests.map((r) => r.url)).toEqual(["/api/v0/customers?take=11&skip=0", "/api/v0/customers?take=12&skip=0"]);
  });
});

describe("unreadable answers", () => {
  it.each([
    ["HTML", { raw: "<!doctype html><h1>Welcome</h1>", headers: { "content-type": "text/html" } }],
    ["malformed JSON", { raw: '[{"id": "a",' }],
    ["a row without id", { body: [row("a"), { first_name: "Nobody" }] }],
    ["an object that is not a list", { body: { ok: true } }],
  ])("turns %s into a 502 bad_response, never an empty list, without retrying", async (_, reply) => {
    stub.reply(reply);
    const error = await failure(clientFor().listCustomers(QUERY));
    expect(error).toMatchObject({ kind: "bad_response", status: 502 });
    expect(error.publicMessage).toBe("Devdraft sent a response the portal could not read");
    expect(stub.requests).toHaveLength(1);
  });

  it("keeps Devdraft's validation messages on a 400", async () => {
    const messages = ["take must not be greater than 100"];
    stub.reply({ status: 400, body: { statusCode: 400, message: messages, error: "Bad Request" } });
    expect(await failure(clientFor().listCustomers(QUERY))).toMatchObject({ kind: "bad_request", status: 400, messages });
  });

  it("answers 502 when Devdraft refuses the portal's credentials, without leaking them", async () => {
    stub.reply({ status: 401, body: { statusCode: 401, message: "Invalid API credentials", error: "Unauthorized" } });
    const error = await failure(clientFor().listCustomers(QUERY));
    expect(error).toMatchObject({ kind: "unauthorized", status: 502 });
    expect(`${error.message} ${error.publicMessage}`).not.toMatch(/portal-secret|portal-key|Invalid API credentials/);
  });
});

describe("retries", () => {
  it("retries a 500 and then answers 502 with a generic message", async () => {
    stub.reply({ status: 500, body: { statusCode: 500, message: "db password wrong", error: "Internal Server Error" } });
    const error = await failure(clientFor().listCustomers(QUERY));
    expect(error).toMatchObject({ kind: "unavailable", status: 502, publicMessage: "Devdraft answered with an error" });
    expect(error.message).not.toContain("db password");
    expect(stub.requests).toHaveLength(4);
    expect(budget.acquired).toHaveLength(4);
    // Full jitter (random 0.5) over 200, 400, 800 ms.
    expect(slept).toEqual([100, 200, 400]);
  });

  it("succeeds after a 503, spending one budget slot per attempt", async () => {
    stub.reply({ status: 503, body: { statusCode: 503 } }, { body: [row("a")] });
    const page = await clientFor().listCustomers(QUERY);
    expect(page.customers.map((c) => c.id)).toEqual(["a"]);
    expect(stub.requests).toHaveLength(2);
    expect(budget.acquired).toHaveLength(2);
  });

  it.each([
    ["the Retry-After header", { headers: { "retry-after": "3" }, body: { statusCode: 429 } }],
    ["the body's retry_after", { body: { statusCode: 429, message: "Too many requests", retry_after: 3 } }],
    ["the body's retryAfter", { body: { statusCode: 429, message: "Too many requests", retryAfter: 3 } }],
  ])("on 429 waits at least what %s asks and penalises the budget", async (_, reply) => {
    stub.reply({ status: 429, ...reply }, { body: [row("a")] });
    const page = await clientFor().listCustomers(QUERY);
    expect(page.customers).toHaveLength(1);
    expect(slept).toEqual([3_000]);
    expect(budget.penalties).toEqual([3_000]);
  });

  it("fails fast with retryAfterMs when Devdraft's delay is beyond the deadline", async () => {
    stub.reply({ status: 429, headers: { "retry-after": "60" }, body: { statusCode: 429, retry_after: 60 } });
    const error = await failure(clientFor().listCustomers(QUERY));
    expect(error).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 60_000 });
    expect(slept).toEqual([]);
    expect(stub.requests).toHaveLength(1);
    expect(budget.penalties).toEqual([60_000]);
  });

  it("passes on a 503's delay when it is beyond the deadline", async () => {
    stub.reply({ status: 503, headers: { "retry-after": "30" } });
    expect(await failure(clientFor().listCustomers(QUERY))).toMatchObject({ kind: "unavailable", status: 503, retryAfterMs: 30_000 });
  });

  it("retries a refused connection and then answers 503", async () => {
    const url = stub.url;
    await stub.close();
    const error = await failure(clientFor({ baseUrl: url }).listCustomers(QUERY));
    expect(error).toMatchObject({ kind: "network", status: 503 });
    expect(budget.acquired).toHaveLength(4);
    stub = await startStubUpstream();
  });
});

describe("deadlines (real time)", () => {
  it("answers 504 within the deadline when Devdraft hangs", async () => {
    stub.reply("hang");
    const client = createDevdraftClient({ config: configFor({ deadlineMs: 400, attemptTimeoutMs: 150 }), budget });
    const started = performance.now();
    const error = await failure(client.listCustomers(QUERY));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ kind: "timeout", status: 504, publicMessage: "Devdraft did not answer in time" });
    // Two attempts of 150 ms at least; a third that could not finish in time is not started.
    // How late it answers depends on the machine; that it gives up is shown by the count: no third attempt.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(stub.requests.length).toBe(2);
  });
});

describe("coalescing", () => {
  it("sends one upstream request for ten identical concurrent calls", async () => {
    stub.reply({ body: [row("a")] });
    const client = clientFor({}, { fetch: gatedFetch() });
    const pages = await Promise.all(Array.from({ length: 10 }, () => client.listCustomers({ skip: 0, take: 10 })));
    expect(pages.map((page) => page.customers[0]?.id)).toEqual(Array(10).fill("a"));
    expect(stub.requests).toHaveLength(1);
    expect(budget.acquired).toHaveLength(1);
  });

  it("shares one answer between concurrent callers, and one caller leaving does not fail the others", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    stub.reply({ body: [row("a")] });
    const client = clientFor({}, { fetch: gatedFetch(gate) });
    const leaving = new AbortController();
    const first = client.listCustomers(QUERY, { signal: leaving.signal });
    const others = Array.from({ length: 9 }, () => client.listCustomers(QUERY));
    leaving.abort(new Error("tab closed"));
    await expect(first).rejects.toThrow("tab closed");
    release();
    const pages = await Promise.all(others);
    expect(pages.every((page) => page.customers[0]?.id === "a")).toBe(true);
    expect(stub.requests).toHaveLength(1);
  });

  it("stops the shared call when every caller has left", async () => {
    stub.reply("hang");
    const client = clientFor();
    const controller = new AbortController();
    const call = client.listCustomers(QUERY, { signal: controller.signal });
    await vi.waitFor(() => expect(stub.requests).toHaveLength(1));
    controller.abort(new Error("gone"));
    await expect(call).rejects.toThrow("gone");
    stub.reply({ body: [row("b")] });
    expect((await client.listCustomers(QUERY)).customers[0]?.id).toBe("b");
    expect(stub.requests).toHaveLength(2);
  });
});

describe("cache", () => {
  it("serves a repeat within the TTL from cache and asks again after it", async () => {
    stub.reply({ body: [row("a")] }, { body: [row("b")] });
    const client = clientFor({ cacheTtlMs: 10_000 });
    expect(await client.listCustomers(QUERY)).toMatchObject({ cached: false, customers: [{ id: "a" }] });
    clock += 9_999;
    expect(await client.listCustomers(QUERY)).toMatchObject({ cached: true, customers: [{ id: "a" }] });
    clock += 1;
    expect(await client.listCustomers(QUERY)).toMatchObject({ cached: false, customers: [{ id: "b" }] });
    expect(stub.requests).toHaveLength(2);
  });

  it("keys the cache by the canonical query", async () => {
    stub.reply({ body: [row("a")] });
    const client = clientFor({ cacheTtlMs: 10_000 });
    await client.listCustomers({ take: 10, skip: 0, name: "jo" });
    await client.listCustomers({ take: 10, skip: 0, name: "ja" });
    expect(await client.listCustomers({ name: "jo", skip: 0, take: 10 })).toMatchObject({ cached: true });
    expect(stub.requests).toHaveLength(2);
  });

  it("is off when the TTL is 0", async () => {
    stub.reply({ body: [row("a")] });
    const client = clientFor({ cacheTtlMs: 0 });
    await client.listCustomers(QUERY);
    expect(await client.listCustomers(QUERY)).toMatchObject({ cached: false });
    expect(stub.requests).toHaveLength(2);
  });

  it("never caches an error", async () => {
    stub.reply({ raw: "<html>" }, { body: [row("a")] });
    const client = clientFor({ cacheTtlMs: 10_000 });
    await failure(client.listCustomers(QUERY));
    expect(await client.listCustomers(QUERY)).toMatchObject({ cached: false, customers: [{ id: "a" }] });
  });
});

describe("serve-stale when Devdraft is out", () => {
  const STALE = { cacheTtlMs: 1_000, staleMaxMs: 300_000 };
  const asked = { serveStale: true, lane: "interactive" as const, who: "staff-1" };
  const outages = {
    "a 429": { status: 429, headers: { "retry-after": "1" }, body: { statusCode: 429, message: "Too many requests" } },
    "a 503": { status: 503, body: { statusCode: 503, message: "down" } },
    "a 500": { status: 500, body: { statusCode: 500, message: "Internal server error" } },
  } as const;

  it.each(Object.entries(outages))("on %s: the last answer, past its TTL, marked stale with its time", async (_name, outage) => {
    stub.reply({ body: [row("a")] }, outage);
    const client = clientFor(STALE, { maxAttempts: 1 });
    const first = await client.listCustomers(QUERY, asked);
    expect(first).toMatchObject({ stale: false, cached: false, asOf: 1_000_000 });
    clock += 120_000;
    const stale = await client.listCustomers(QUERY, asked);
    expect(stale).toMatchObject({ stale: true, cached: true, asOf: 1_000_000, customers: [{ id: "a" }] });
    expect(stub.requests).toHaveLength(2);
  });

  it("on a timeout, for a detail page the same way", async () => {
    stub.reply({ body: row("c1") }, "hang");
    // Time enough for the first answer on a busy machine; the hang then costs one attempt of a second.
    const client = clientFor({ ...STALE, deadlineMs: 2_000, attemptTimeoutMs: 1_000 }, { maxAttempts: 1 });
    await client.getCustomer("c1", asked);
    clock += 5_000;
    expect(await client.getCustomer("c1", asked)).toMatchObject({ stale: true, asOf: 1_000_000, value: { id: "c1" } });
  });

  it("on a refused connection", async () => {
    stub.reply({ body: [row("a")] });
    let down = false;
    // Once "down", the same request goes to a port where nothing listens: a real ECONNREFUSED.
    const fetchOrRefused: typeof fetch = (input, init) => fetch(down ? String(input).replace(stub.url, "http://127.0.0.1:9") : input, init);
    const client = clientFor(STALE, { maxAttempts: 1, fetch: fetchOrRefused });
    await client.listCustomers(QUERY, asked);
    down = true;
    clock += 2_000;
    const counted = async () => (await metrics().staleAnswers.get()).values.find((v) => v.labels.reason === "network")?.value ?? 0;
    const before = await counted();
    expect(await client.listCustomers(QUERY, asked)).toMatchObject({ stale: true, customers: [{ id: "a" }] });
    expect(await counted()).toBe(before + 1);
  });

  it("with no cached answer, or one older than the bound, the outage is the error it always was", async () => {
    stub.reply({ body: [row("a")] }, outages["a 503"]);
    const client = clientFor(STALE, { maxAttempts: 1 });
    await expect(client.listCustomers({ ...QUERY, name: "other" }, asked)).resolves.toMatchObject({ stale: false });
    await expect(client.listCustomers(QUERY, asked)).rejects.toMatchObject({ kind: "unavailable", status: 503 });
    clock += 300_000;
    await expect(client.listCustomers({ ...QUERY, name: "other" }, asked)).rejects.toMatchObject({ kind: "unavailable" });
  });

  it("never for a caller that did not ask (the access report, exports), nor for an answer Devdraft gave (404, 400)", async () => {
    stub.reply({ body: [row("a")] }, outages["a 503"], { status: 400, body: { statusCode: 400, message: ["take must be a number"] } });
    const client = clientFor(STALE, { maxAttempts: 1 });
    await client.listCustomers(QUERY, asked);
    clock += 2_000;
    await expect(client.listCustomers(QUERY)).rejects.toMatchObject({ kind: "unavailable" });
    await expect(client.listCustomers(QUERY, asked)).rejects.toMatchObject({ kind: "bad_request" });
  });

  it("takes the budget's slot in the caller's lane, as the caller", async () => {
    stub.reply({ body: [row("a")] });
    await clientFor().listCustomers(QUERY, asked);
    expect(budget.acquired[0]).toMatchObject({ lane: "interactive", who: "staff-1" });
  });
});

describe("a busy event loop", () => {
  // Found by the soak: on a starved machine a retry's backoff wakes after the deadline; the next attempt then asked
  // the budget for a slot and was told the budget was spent (429, no Retry-After) although slots were free.
  it("a retry that wakes past the deadline is a timeout (504), not a spent budget (429)", async () => {
    stub.reply({ status: 500, body: { statusCode: 500, message: "Internal server error" } });
    const client = clientFor(
      { deadlineMs: 3_000, attemptTimeoutMs: 1_500 },
      {
        budget: createRateBudget({ perMinute: 1_000, maxWaitMs: 60_000, now: () => clock }),
        // The backoff asked for a few hundred ms; the event loop gets back to it two seconds later still.
        sleep: async (ms) => {
          clock += ms + 3_000;
        },
      },
    );
    const error = await failure(client.listCustomers(QUERY));
    expect(error).toMatchObject({ kind: "timeout", status: 504 });
  });
});
