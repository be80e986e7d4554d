import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { z } from "zod";
import { call, CONTRACT_CUSTOMERS, CONTRACT_SEED, control, openContractTarget, type ContractTarget } from "./contract-target";
import { toWire, type CustomerRecord } from "./customer";
import { generateCustomers } from "./data";

const row = z.looseObject({
  id: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string().nullable(),
  status: z.string(),
  createdAt: z.string(),
});
const rows = z.array(row);
const ids = (value: unknown): string[] => rows.parse(value).map((r) => r.id);

let target: ContractTarget;
const reference: CustomerRecord[] = generateCustomers(CONTRACT_CUSTOMERS, CONTRACT_SEED).customers;

beforeAll(async () => {
  target = await openContractTarget();
});
afterAll(async () => {
  await target.close();
});
afterEach(async () => {
  if (!target.external) await control(target, "POST", "reset");
});

function needsSandbox(ctx: TestContext): void {
  if (target.external) ctx.skip("needs the in-process sandbox (control endpoint and known data set)");
}

async function readAll(query: string): Promise<string[]> {
  const out: string[] = [];
  for (let skip = 0; skip <= 10_000; skip += 100) {
    const reply = await call(target, `/api/v0/customers?${query}&take=100&skip=${skip}`);
    expect(reply.status).toBe(200);
    const page = ids(reply.json());
    out.push(...page);
    if (page.length < 100) break;
  }
  return out;
}

const contains = (haystack: string | null, needle: string): boolean => haystack !== null && haystack.toLowerCase().includes(needle.toLowerCase());

describe("auth", () => {
  const body = { statusCode: 401, message: "Invalid API credentials", error: "Unauthorized" };
  it.each([
    ["no headers", {}],
    ["wrong secret", { "x-client-key": "k", "x-client-secret": "nope" }],
    ["key only", { "x-client-key": "anything" }],
  ])("answers 401 with %s", async (_label, headers) => {
    const reply = await call(target, "/api/v0/customers", { auth: false, headers });
    expect(reply.status).toBe(401);
    expect(reply.json()).toEqual(body);
  });

  it("checks credentials before validation", async () => {
    const reply = await call(target, "/api/v0/customers?take=0", { auth: false });
    expect(reply.status).toBe(401);
  });
});

describe("validation through HTTP", () => {
  it.each([
    ["take=101&skip=-1", ["take must not be greater than 100", "skip must not be less than 0"]],
    ["take=", ["take must not be less than 1"]],
    ["take=1&take=2", ["take must not be greater than 100", "take must not be less than 1", "take must be an integer number"]],
    ["skip=10001", ["skip must not be greater than 10000"]],
    ["status=active", ["status must be one of the following values: ACTIVE, BLACKLISTED, DEACTIVATED"]],
    [`name=${"x".repeat(101)}`, ["name must be shorter than or equal to 100 characters"]],
  ])("%s → 400 %j", async (query, message) => {
    const reply = await call(target, `/api/v0/customers?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ statusCode: 400, message, error: "Bad Request" });
  });

  it("accepts Number() conversions: take=0x10 gives 16 rows, skip=1e3 skips 1000", async (ctx) => {
    expect(ids((await call(target, "/api/v0/customers?take=0x10")).json())).toHaveLength(16);
    needsSandbox(ctx);
    const page = ids((await call(target, "/api/v0/customers?skip=1e3&take=1")).json());
    expect(page).toEqual([reference[1000]?.id]);
  });
});

describe("list data", () => {
  it("serves the generator's output newest-first, default page of 10", async (ctx) => {
    needsSandbox(ctx);
    const reply = await call(target, "/api/v0/customers");
    expect(reply.json()).toEqual(reference.slice(0, 10).map((c) => toWire(c, "camel")));
  });

  it("orders every page newest createdAt first", async () => {
    const page = rows.parse((await call(target, "/api/v0/customers?take=100&skip=200")).json());
    const times = page.map((r) => Date.parse(r.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it.for<[string, (c: CustomerRecord) => boolean]>([
    ["status=BLACKLISTED", (c: CustomerRecord) => c.status === "BLACKLISTED"],
    ["name=an", (c: CustomerRecord) => contains(c.first_name, "an") || contains(c.last_name, "an")],
    ["name=M%C3%9CLLER", (c: CustomerRecord) => contains(c.first_name, "müller") || contains(c.last_name, "müller")],
    ["name=%D0%B0%D0%BD%D0%B0", (c: CustomerRecord) => contains(c.first_name, "ана") || contains(c.last_name, "ана")],
    ["email=@GMAIL.com", (c: CustomerRecord) => contains(c.email, "@gmail.com")],
    [
      "status=ACTIVE&name=smith&email=@gmail.com",
      (c: CustomerRecord) => c.status === "ACTIVE" && (contains(c.first_name, "smith") || contains(c.last_name, "smith")) && contains(c.email, "@gmail.com"),
    ],
    ["status=DEACTIVATED&name=e&unknown=1", (c: CustomerRecord) => c.status === "DEACTIVATED" && (contains(c.first_name, "e") || contains(c.last_name, "e"))],
  ])("filter %s equals a brute-force reference", async ([query, keep], ctx) => {
    needsSandbox(ctx);
    const expected = reference
      .filter(keep)
      .map((c) => c.id)
      .slice(0, 10_100);
    expect(expected.length).toBeGreaterThan(0);
    expect(await readAll(query)).toEqual(expected);
  });

  it("returns [] when nothing matches", async () => {
    const reply = await call(target, "/api/v0/customers?name=zzzqqqxxx-no-such-name");
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual([]);
  });

  it("pages up to the skip cap: skip=10000 works, 10001 is rejected, rows past 10,100 are unreachable", async (ctx) => {
    needsSandbox(ctx);
    const last = await call(target, "/api/v0/customers?skip=10000&take=100");
    expect(ids(last.json())).toEqual(reference.slice(10_000, 10_100).map((c) => c.id));
    expect((await call(target, "/api/v0/customers?skip=10001&take=1")).status).toBe(400);
    const all = await readAll("");
    expect(all).toHaveLength(10_100);
    expect(all).toEqual(reference.slice(0, 10_100).map((c) => c.id));
  });

  it("serves the List page's sample requests (curl filters, fetch helper, python params)", async () => {
    const curl = await call(target, "/api/v0/customers?status=ACTIVE&name=smith&email=@gmail.com");
    expect(curl.status).toBe(200);
    const params = new URLSearchParams({ skip: "50", take: "25", status: "ACTIVE" });
    const js = rows.parse((await call(target, `/api/v0/customers?${params}`)).json());
    expect(js).toHaveLength(25);
    expect(js.every((r) => r.status === "ACTIVE")).toBe(true);
    const python = await call(target, "/api/v0/customers?skip=0&take=10&email=%40business.com");
    expect(rows.parse(python.json()).every((r) => contains(r.email, "@business.com"))).toBe(true);
  });
});

describe("rate limit (via the control endpoint)", () => {
  it("counts requests per key, then answers 429 with body, Retry-After and headers", async (ctx) => {
    needsSandbox(ctx);
    await control(target, "PUT", "faults", { rateLimit: 3 });
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i += 1) {
      const reply = await call(target, "/api/v0/customers?take=1");
      expect(reply.status).toBe(200);
      expect(reply.headers.get("x-ratelimit-limit")).toBe("3");
      remaining.push(reply.headers.get("x-ratelimit-remaining"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const wrong = await call(target, "/api/v0/customers", { auth: false });
    expect(wrong.status).toBe(401);
    const limited = await call(target, "/api/v0/customers?take=1");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-reset")).toBe(String(retryAfter));
    expect(limited.json()).toEqual({ statusCode: 429, message: "Too many requests", error: "Too Many Requests", retry_after: retryAfter });
    await control(target, "PUT", "faults", { retryAfterStyle: "camel" });
    const camel = await call(target, "/api/v0/customers?take=1");
    expect(camel.json()).toEqual({ statusCode: 429, message: "Too many requests", error: "Too Many Requests", retryAfter });
    expect(await control(target, "GET", "stats")).toEqual({ requests: 6, hung: 0, byStatus: { "200": 3, "401": 1, "429": 2 } });
    await control(target, "POST", "reset");
    await control(target, "PUT", "faults", { rateLimit: 3 });
    expect((await call(target, "/api/v0/customers?take=1")).status).toBe(200);
  });
});
