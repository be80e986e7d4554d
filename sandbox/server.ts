import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { loadConfig } from "./config";
import { handleControl } from "./control-routes";
import { createCustomer, getCustomer, listCustomers, updateCustomer, type RouteContext } from "./customer-routes";
import { generateCustomers } from "./data";
import { Faults, mangleJson, type FaultPatch } from "./faults";
import { delay, nestError, writeJson, type Answer } from "./http-util";
import { RateLimiter } from "./rate-limit";
import { Stats } from "./stats";
import { CustomerStore } from "./store";

export interface SandboxOptions {
  customers?: number;
  seed?: number;
  clientKey?: string;
  clientSecret?: string;
  /** Requests per minute per client key; 0 turns the limit off. */
  rateLimit?: number;
  faults?: FaultPatch;
  /** Clock for createdAt/updatedAt of writes and for rate-limit windows. */
  now?: () => number;
}

export interface Sandbox {
  server: Server;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  store: CustomerStore;
  faults: Faults;
}

const COLLECTION = "/api/v0/customers";

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const config = loadConfig();
  const seed = options.seed ?? config.seed;
  const key = options.clientKey ?? config.clientKey;
  const secret = options.clientSecret ?? config.clientSecret;
  const now = options.now ?? Date.now;
  const generated = generateCustomers(options.customers ?? config.customers, seed);
  const store = new CustomerStore(generated.customers, generated.appId);
  const initialFaults = { ...config.faults, ...options.faults };
  if (options.rateLimit !== undefined) initialFaults.rateLimit = options.rateLimit;
  const faults = new Faults(initialFaults, seed);
  const limiter = new RateLimiter(now);
  const stats = new Stats();
  const sockets = new Set<Socket>();

  async function route(req: IncomingMessage, method: string, path: string, params: URLSearchParams): Promise<Answer | "hang"> {
    const settings = faults.settings;
    const lower = path.toLowerCase().replace(/\/+$/, "");
    const idMatch = lower.startsWith(`${COLLECTION}/`) ? path.slice(COLLECTION.length + 1).replace(/\/+$/, "") : null;
    const known =
      (lower === COLLECTION && (method === "GET" || method === "POST")) ||
      (idMatch !== null && !idMatch.includes("/") && (method === "GET" || method === "PATCH"));
    if (!known) return nestError(404, `Cannot ${method} ${req.url ?? path}`, "Not Found");
    if (req.headers["x-client-key"] !== key || req.headers["x-client-secret"] !== secret) {
      return nestError(401, "Invalid API credentials", "Unauthorized");
    }
    let rateHeaders: Record<string, number> = {};
    if (settings.rateLimit > 0) {
      const decision = limiter.take(key, settings.rateLimit);
      rateHeaders = {
        "X-RateLimit-Limit": decision.limit,
        "X-RateLimit-Remaining": decision.remaining,
        "X-RateLimit-Reset": decision.resetSeconds,
      };
      if (!decision.allowed) {
        const retryKey = settings.retryAfterStyle === "camel" ? "retryAfter" : "retry_after";
        return {
          status: 429,
          body: { statusCode: 429, message: "Too many requests", error: "Too Many Requests", [retryKey]: decision.resetSeconds },
          headers: { ...rateHeaders, "Retry-After": decision.resetSeconds },
        };
      }
    }
    if (faults.shouldHang()) return "hang";
    if (faults.shouldFail()) {
      return { ...nestError(500, "Internal server error", "Internal Server Error"), headers: rateHeaders };
    }
    const ctx: RouteContext = { store, envelope: settings.envelope, timestampStyle: settings.timestampStyle, now };
    let answer: Answer;
    if (idMatch === null) {
      answer = method === "GET" ? listCustomers(params, ctx) : await createCustomer(req, ctx);
    } else {
      const id = decodeURIComponent(idMatch);
      answer = method === "GET" ? getCustomer(id, ctx) : await updateCustomer(id, req, ctx);
    }
    return { ...answer, headers: { ...answer.headers, ...rateHeaders } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    if (url.pathname.startsWith("/__sandbox/")) {
      writeJson(res, await handleControl(method, url.pathname, req, { store, faults, limiter, stats }));
      return;
    }
    stats.received();
    const { latencyMs } = faults.settings;
    if (latencyMs > 0) await delay(latencyMs);
    if (res.destroyed) return;
    const answer = await route(req, method, url.pathname, url.searchParams);
    if (answer === "hang") {
      stats.hanging();
      return;
    }
    stats.answered(answer.status);
    writeJson(res, answer, faults.shouldMangle() ? mangleJson : undefined);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`sandbox: request failed: ${message}\n`);
      writeJson(res, nestError(500, "Internal server error", "Internal Server Error"));
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  return {
    server,
    store,
    faults,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address();
          const bound = typeof address === "object" && address !== null ? address.port : port;
          const shownHost = host.includes(":") ? `[${host}]` : host;
          resolve({ port: bound, url: `http://${shownHost}:${bound}` });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
    },
  };
}
