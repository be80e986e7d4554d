// The timing collector, the metrics endpoint and OTLP traces, with a real sandbox, a real store (SQLite in a scratch
// directory) and a real OTLP/HTTP receiver. The gate end to end, through a running portal: lib/observe/portal.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit";
import { sampleInput } from "@/test/support/audit-fixtures";
import { closeDb } from "@/lib/db";
import { createDevdraftClient, createRateBudget } from "@/lib/devdraft";
import { sandboxConfig } from "@/test/support/export";
import { apiRoute } from "@/lib/http/api-route";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "@/sandbox/defaults";
import { createSandbox, type Sandbox } from "@/sandbox/server";
import { GET as metricsGET } from "@/app/api/metrics/route";
import { scrape } from "@/lib/http/metrics-scrape";
import { flushTraces, stopTracing } from "./tracing";
import { addStage, parseServerTiming, timed } from "./timing";
import { adoptServices, buildServices, closeServices, servicesConfigFromEnv } from "@/lib/services";

const TOKEN = "m".repeat(40);
const saved = { ...process.env };
let sandbox: Sandbox;
let sandboxUrl: string;
let dir: string;
let receiver: Server;
let receiverUrl: string;
const received: unknown[] = [];
const names: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "observe-"));
  sandbox = createSandbox({ clientKey: DEFAULT_SANDBOX_CLIENT_KEY, clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET, seed: 11, customers: 40 });
  sandboxUrl = (await sandbox.listen(0, "127.0.0.1")).url;
  // A real OTLP/HTTP receiver: what the exporter POSTs to /v1/traces, kept as parsed JSON.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const direct = await fetch(`${sandboxUrl}/api/v0/customers?take=40`, {
    headers: { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET },
  });
  for (const c of (await direct.json()) as { first_name: string; last_name: string; email: string }[]) names.push(c.first_name, c.last_name, c.email);
  Object.assign(process.env, { PORTAL_DATA_DIR: dir, NEXTAUTH_SECRET: "s".repeat(40), METRICS_TOKEN: TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl });
  delete process.env.DATABASE_URL;
});

afterAll(async () => {
  await stopTracing();
  await closeDb();
  await sandbox.close();
  await new Promise((r) => receiver.close(r));
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

// A route handler shaped like the portal's customer read: validation, the real Devdraft client (budget + upstream)
// against the sandbox, and an audit write on the real store.
const client = () =>
  createDevdraftClient({ config: sandboxConfig(sandboxUrl, 6_000, { cacheTtlMs: 0 }), budget: createRateBudget({ perMinute: 6_000, maxWaitMs: 1_000 }) });
const route = (devdraft = client()) =>
  apiRoute(async (request: NextRequest, _context: { params: Promise<{ id: string }> }, requestId) => {
    const validating = performance.now();
    const take = Number(request.nextUrl.searchParams.get("take") ?? "10");
    addStage("validate", validating);
    const page = await devdraft.listCustomers({ take, skip: 0 });
    await timed("audit", () => recordAudit(sampleInput({ requestId })));
    return Response.json(page.customers, { headers: { "x-request-id": requestId } });
  });
const CUSTOMER = "0f0e0d0c-0b0a-4908-8706-050403020100";
const call = (handler: ReturnType<typeof route>, id = CUSTOMER) =>
  handler(new NextRequest(`http://portal.test/api/customers/${id}/contact?take=10&email=x%40y.z`), { params: Promise.resolve({ id }) });

describe("Server-Timing", () => {
  it("names the stages that ran, each within the total, adding up to at most the total", async () => {
    const res = await call(route());
    expect(res.status).toBe(200);
    const header = res.headers.get("server-timing");
    const t = parseServerTiming(header);
    expect(Object.keys(t)).toEqual(["validate", "budget", "upstream", "audit", "total"]);
    const stages = (t.validate ?? 0) + (t.budget ?? 0) + (t.upstream ?? 0) + (t.audit ?? 0);
    expect(stages).toBeLessThanOrEqual((t.total ?? 0) + 0.3); // one decimal per figure
    expect(t.upstream).toBeGreaterThan(0);
    for (const word of names) expect(header).not.toContain(word);
  });

  it("times an upstream call answered 429 too, and leaves out the stages that did not run", async () => {
    // The sandbox's own limit of 1 a minute: the second call is answered 429 (Retry-After beyond the deadline).
    const strict = createSandbox({ clientKey: DEFAULT_SANDBOX_CLIENT_KEY, clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET, seed: 11, customers: 5, rateLimit: 1 });
    const { url } = await strict.listen(0, "127.0.0.1");
    try {
      const plain = apiRoute(async () => new Response("ok"));
      const res = await plain(new NextRequest("http://portal.test/api/session"), {});
      expect(Object.keys(parseServerTiming(res.headers.get("server-timing")))).toEqual(["total"]);
      const devdraft = createDevdraftClient({
        config: sandboxConfig(url, 6_000, { cacheTtlMs: 0 }),
        budget: createRateBudget({ perMinute: 6_000, maxWaitMs: 1_000 }),
      });
      expect((await call(route(devdraft))).status).toBe(200);
      const refused = await call(route(devdraft));
      expect(refused.status).toBeGreaterThanOrEqual(400);
      const t = parseServerTiming(refused.headers.get("server-timing"));
      expect(Object.keys(t)).toEqual(["validate", "budget", "upstream", "total"]);
      expect(t.upstream).toBeGreaterThan(0);
      const scraped = await (await metricsGET(new NextRequest("http://portal.test/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }), {})).text();
      expect(scraped).toMatch(/portal_devdraft_calls_total\{outcome="rate_limited"\} [1-9]/);
    } finally {
      await strict.close();
    }
  });
});

describe("GET /api/metrics", () => {
  const scrape = (authorization?: string) =>
    metricsGET(new NextRequest("http://portal.test/api/metrics", { headers: authorization ? { authorization } : {} }), {});

  it("is 404 without METRICS_TOKEN, 401 without or with a wrong token", async () => {
    delete process.env.METRICS_TOKEN;
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
    process.env.METRICS_TOKEN = TOKEN;
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${"n".repeat(40)}`)).status).toBe(401);
    expect((await scrape(TOKEN)).status).toBe(401);
  });

  it("shows requests by route template, upstream calls, budget waits, audit writes and the SIEM backlog; no id, query or customer", async () => {
    await call(route());
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('portal_http_requests_total{route="/api/customers/[id]/contact",method="GET",status="200"}');
    expect(text).toMatch(/portal_http_request_duration_seconds_bucket\{le="[\d.]+",route="\/api\/customers\/\[id\]\/contact"/);
    expect(text).toMatch(/portal_devdraft_calls_total\{outcome="ok"\} \d+/);
    expect(text).toMatch(/portal_devdraft_budget_wait_seconds_count \d+/);
    expect(text).toMatch(/portal_audit_write_duration_seconds_count\{outcome="ok"\} \d+/);
    expect(text).toMatch(/portal_audit_batch_size_count \d+/);
    expect(text).toMatch(/portal_request_stage_duration_seconds_count\{stage="upstream"\} \d+/);
    expect(text).toContain("# TYPE portal_siem_backlog_events gauge");
    expect(text).not.toContain(CUSTOMER);
    expect(text).not.toContain("take=");
    expect(text).not.toContain("x%40y");
    for (const word of names) expect(text).not.toContain(`"${word}"`);
  });
});

describe("OpenTelemetry", () => {
  it("exports one server span per request with a child span per stage, the request id, and no customer data", async () => {
    const res = await call(route());
    const requestId = res.headers.get("x-request-id");
    await flushTraces();
    const deadline = Date.now() + 5_000;
    const spans = () =>
      received.flatMap((r) =>
        (
          r as {
            resourceSpans: {
              scopeSpans: {
                spans: { name: string; traceId: string; parentSpanId?: string; attributes: { key: string; value: { stringValue?: string } }[] }[];
              }[];
            }[];
          }
        ).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)),
      );
    while (!spans().some((s) => s.attributes.some((a) => a.value.stringValue === requestId)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const mine = spans().filter((s) => s.attributes.some((a) => a.key === "portal.request_id" && a.value.stringValue === requestId));
    const root = mine.find((s) => s.name === "GET /api/customers/[id]/contact");
    expect(root).toBeDefined();
    expect(
      mine
        .filter((s) => s !== root)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["audit", "budget", "upstream", "validate"]);
    for (const s of mine) expect(s.traceId).toBe(root?.traceId);
    const text = JSON.stringify(received);
    expect(text).toContain("devdraft-portal");
    expect(text).not.toContain(CUSTOMER);
    expect(text).not.toContain("x%40y");
    for (const word of names) expect(text).not.toContain(`"${word}"`);
  });
});

describe("the budget's gauges", () => {
  it("counts the callers waiting in each lane", async () => {
    // The process's services on a budget of one send a minute whose callers may wait long, so they queue.
    const budget = createRateBudget({ perMinute: 1, maxWaitMs: 600_000 });
    await closeServices();
    adoptServices(() => buildServices(servicesConfigFromEnv(), { budget }));
    const stop = new AbortController();
    try {
      await budget.acquire({ deadline: Date.now() + 600_000 });
      const waiting = (["export", "export", "interactive"] as const).map((lane) =>
        budget.acquire({ deadline: Date.now() + 600_000, lane, signal: stop.signal }).catch(() => undefined),
      );
      const { body } = await scrape();
      expect(body).toMatch(/^portal_devdraft_budget_queue\{lane="interactive"\} 1$/m);
      expect(body).toMatch(/^portal_devdraft_budget_queue\{lane="export"\} 2$/m);
      expect(body).toMatch(/^portal_devdraft_budget_queue\{lane="background"\} 0$/m);
      expect(body).toMatch(/^# TYPE portal_devdraft_stale_answers_total counter$/m);
      stop.abort(new Error("done"));
      await Promise.all(waiting);
    } finally {
      await closeServices();
    }
  });
});
