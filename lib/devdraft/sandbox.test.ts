import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toSearchParams } from "@/lib/contract/query";
import { validateCustomersQuery } from "@/lib/contract/schema";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "@/sandbox/defaults";
import { createSandbox, type Sandbox } from "@/sandbox/server";
import { createRateBudget } from "./budget";
import { createDevdraftClient } from "./client";
import type { DevdraftConfig } from "./config";
import { DevdraftError } from "./errors";

// The portal's client against the team's Devdraft emulator, over real HTTP.
let sandbox: Sandbox;
let url = "";

const config = (overrides: Partial<DevdraftConfig> = {}): DevdraftConfig => ({
  embedded: true,
  baseUrl: url,
  clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
  clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
  ratePerMin: 1_000,
  cacheTtlMs: 0,
  deadlineMs: 5_000,
  attemptTimeoutMs: 2_000,
  ...overrides,
});

const clientFor = (overrides: Partial<DevdraftConfig> = {}) =>
  createDevdraftClient({
    config: config(overrides),
    budget: createRateBudget({ perMinute: 1_000, maxWaitMs: 1_000 }),
    sleep: async () => {},
  });

const setFaults = async (patch: Record<string, unknown>) => {
  const response = await fetch(`${url}/__sandbox/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) });
  expect(response.ok).toBe(true);
};

const failure = async (promise: Promise<unknown>): Promise<DevdraftError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DevdraftError)) throw new Error(`expected a DevdraftError, got ${String(error)}`);
  return error;
};

beforeAll(async () => {
  sandbox = createSandbox({
    customers: 60,
    seed: 7,
    clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
    clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
    rateLimit: 0,
  });
  url = (await sandbox.listen(0, "127.0.0.1")).url;
});
beforeEach(async () => {
  const response = await fetch(`${url}/__sandbox/reset`, { method: "POST" });
  expect(response.ok).toBe(true);
});
afterAll(async () => {
  await sandbox.close();
});

describe("against the sandbox", () => {
  it("reads pages of customers and one customer", async () => {
    const client = clientFor();
    const first = await client.listCustomers({ take: 25, skip: 0 });
    const second = await client.listCustomers({ take: 25, skip: 25 });
    expect(first.customers).toHaveLength(25);
    expect(first.customers.every((c) => c.id !== "" && c.createdAt !== null)).toBe(true);
    expect(second.customers[0]?.id).not.toBe(first.customers[0]?.id);
    const id = first.customers[0]?.id ?? "";
    expect((await client.getCustomer(id)).value).toEqual(first.customers[0]);
    expect(await failure(client.getCustomer("00000000-0000-4000-8000-000000000000"))).toMatchObject({ kind: "not_found" });
  });

  it("reads the envelope with its total and snake_case timestamps", async () => {
    await setFaults({ envelope: true, timestampStyle: "snake" });
    const page = await clientFor().listCustomers({ take: 10, skip: 0 });
    expect(page.total).toBe(60);
    expect(page.customers.every((c) => c.createdAt !== null && c.updatedAt !== null)).toBe(true);
  });

  it("answers 502 after retrying when the sandbox keeps failing", async () => {
    await setFaults({ errorRate: 1 });
    expect(await failure(clientFor().listCustomers({ take: 10, skip: 0 }))).toMatchObject({ kind: "unavailable", status: 502 });
  });

  it("answers 502 bad_response to a mangled body", async () => {
    await setFaults({ malformedRate: 1 });
    expect(await failure(clientFor().listCustomers({ take: 10, skip: 0 }))).toMatchObject({ kind: "bad_response" });
  });

  it.each(["snake", "camel"])("fails fast on a %s 429 whose delay outlasts the deadline", async (style) => {
    await setFaults({ rateLimit: 2, retryAfterStyle: style });
    const client = clientFor();
    await client.listCustomers({ take: 10, skip: 0 });
    await client.listCustomers({ take: 10, skip: 10 }).catch(() => undefined);
    const error = await failure(client.listCustomers({ take: 10, skip: 20 }));
    expect(error).toMatchObject({ kind: "rate_limited", status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    // The 429 penalised the budget: the next call fails without reaching the sandbox.
    const before = await (await fetch(`${url}/__sandbox/stats`)).json();
    await failure(client.listCustomers({ take: 10, skip: 30 }));
    expect(await (await fetch(`${url}/__sandbox/stats`)).json()).toEqual(before);
  });

  it("rejects exactly what the sandbox rejects, with the same messages", async () => {
    const token = fc.constantFrom(
      "",
      "0",
      "1",
      "-1",
      "100",
      "101",
      "1e3",
      "0x10",
      "1.5",
      "abc",
      " ",
      "-0",
      "Infinity",
      "10001",
      "ACTIVE",
      "active",
      "a".repeat(101),
      "e".repeat(256),
      "😀".repeat(101),
    );
    const pair = fc.tuple(fc.constantFrom("take", "skip", "status", "name", "email", "page"), token);
    const client = fetch;
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { maxLength: 6 }), async (pairs) => {
        const params = new URLSearchParams(pairs);
        const ours = validateCustomersQuery(params);
        const response = await client(`${url}/api/v0/customers?${params}`, {
          headers: { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET },
        });
        const body: unknown = await response.json();
        if (ours.ok) {
          expect(response.status).toBe(200);
          // The canonical query asks the same question as the raw one.
          const canonical = await client(`${url}/api/v0/customers?${toSearchParams(ours.query)}`, {
            headers: { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET },
          });
          expect(await canonical.json()).toEqual(body);
        } else {
          expect(response.status).toBe(400);
          expect(body).toMatchObject({ message: ours.messages });
        }
      }),
      { numRuns: 150 },
    );
  });
});
