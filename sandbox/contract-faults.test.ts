import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { z } from "zod";
import { call, control, openContractTarget, type ContractTarget } from "./contract-target";
import { createSandbox } from "./server";

let target: ContractTarget;

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
  if (target.external) ctx.skip("needs the in-process sandbox's control endpoint");
}

const envelope = z.strictObject({
  data: z.array(z.looseObject({ id: z.string(), status: z.string() })),
  total: z.number(),
  skip: z.number(),
  take: z.number(),
});

describe("control endpoint", () => {
  it("reports health and validates fault patches", async (ctx) => {
    needsSandbox(ctx);
    expect(await control(target, "GET", "health")).toEqual({ ok: true, customers: 10_150 });
    const bad = await call(target, "/__sandbox/faults", { method: "PUT", body: { errorRate: 2 }, auth: false });
    expect(bad.status).toBe(400);
    const typo = await call(target, "/__sandbox/faults", { method: "PUT", body: { envelop: true }, auth: false });
    expect(typo.status).toBe(400);
    expect(await control(target, "PUT", "faults", { latencyMs: 5 })).toMatchObject({ latencyMs: 5, errorRate: 0 });
    expect(await control(target, "GET", "faults")).toMatchObject({ latencyMs: 5 });
    await control(target, "POST", "reset");
    expect(await control(target, "GET", "faults")).toMatchObject({ latencyMs: 0 });
  });
});

describe("response shape switches", () => {
  it("wraps lists in {data,total,skip,take} when envelope is on, total counting every match", async (ctx) => {
    needsSandbox(ctx);
    await control(target, "PUT", "faults", { envelope: true });
    const reply = envelope.parse((await call(target, "/api/v0/customers?status=BLACKLISTED&skip=5&take=7")).json());
    expect(reply.skip).toBe(5);
    expect(reply.take).toBe(7);
    expect(reply.data).toHaveLength(7);
    expect(reply.data.every((c) => c.status === "BLACKLISTED")).toBe(true);
    await control(target, "PUT", "faults", { envelope: false });
    let counted = 0;
    for (let skip = 0; ; skip += 100) {
      const page = z.array(z.unknown()).parse((await call(target, `/api/v0/customers?status=BLACKLISTED&take=100&skip=${skip}`)).json());
      counted += page.length;
      if (page.length < 100) break;
    }
    expect(reply.total).toBe(counted);
  });

  it("spells timestamps created_at/updated_at in snake style", async (ctx) => {
    needsSandbox(ctx);
    await control(target, "PUT", "faults", { timestampStyle: "snake" });
    const [first] = z.array(z.record(z.string(), z.unknown())).parse((await call(target, "/api/v0/customers?take=1")).json());
    expect(first && Object.keys(first).slice(-2)).toEqual(["created_at", "updated_at"]);
    expect(first && "createdAt" in first).toBe(false);
  });
});

describe("faults", () => {
  it("answers 500 with the List page's body at errorRate 1", async (ctx) => {
    needsSandbox(ctx);
    await control(target, "PUT", "faults", { errorRate: 1 });
    const reply = await call(target, "/api/v0/customers");
    expect(reply.status).toBe(500);
    expect(reply.json()).toEqual({ statusCode: 500, message: "Internal server error", error: "Internal Server Error" });
  });

  it("breaks the JSON body at malformedRate 1", async (ctx) => {
    needsSandbox(ctx);
    await control(target, "PUT", "faults", { malformedRate: 1 });
    const reply = await call(target, "/api/v0/customers");
    expect(reply.status).toBe(200);
    expect(() => reply.json()).toThrow();
  });

  it("delays answers by latencyMs", async (ctx) => {
    needsSandbox(ctx);
    await control(target, "PUT", "faults", { latencyMs: 150 });
    const started = performance.now();
    expect((await call(target, "/api/v0/customers?take=1")).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("never answers at hangRate 1, and counts the hung request", async (ctx) => {
    needsSandbox(ctx);
    await control(target, "PUT", "faults", { hangRate: 1 });
    await expect(call(target, "/api/v0/customers", { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(await control(target, "GET", "stats")).toMatchObject({ requests: 1, hung: 1, byStatus: {} });
  });

  it("closes promptly despite hanging requests and keep-alive sockets", async () => {
    const sandbox = createSandbox({ customers: 10, seed: 1, clientKey: "k", clientSecret: "s", faults: { hangRate: 1 } });
    const { url } = await sandbox.listen(0, "127.0.0.1");
    const pending = fetch(`${url}/api/v0/customers`, { headers: { "x-client-key": "k", "x-client-secret": "s" } });
    pending.catch(() => undefined);
    await fetch(`${url}/__sandbox/health`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await sandbox.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });
});
