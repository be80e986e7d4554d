import { createSandbox, type Sandbox } from "./server";

export interface ContractTarget {
  baseUrl: string;
  key: string;
  secret: string;
  /** True when DEVDRAFT_CONTRACT_URL points at a server we did not start (no control endpoint, unknown data). */
  external: boolean;
  sandbox: Sandbox | null;
  close(): Promise<void>;
}

export const CONTRACT_SEED = 42;
/** Just over the 10,000 skip cap plus one page, so the cap is observable. */
export const CONTRACT_CUSTOMERS = 10_150;

export async function openContractTarget(): Promise<ContractTarget> {
  const url = process.env.DEVDRAFT_CONTRACT_URL;
  if (url) {
    return {
      baseUrl: url.replace(/\/+$/, ""),
      key: process.env.DEVDRAFT_CONTRACT_KEY ?? "",
      secret: process.env.DEVDRAFT_CONTRACT_SECRET ?? "",
      external: true,
      sandbox: null,
      close: async () => {},
    };
  }
  const sandbox = createSandbox({
    customers: CONTRACT_CUSTOMERS,
    seed: CONTRACT_SEED,
    clientKey: "contract-key",
    clientSecret: "contract-secret",
    rateLimit: 0,
    faults: { latencyMs: 0, errorRate: 0, hangRate: 0, malformedRate: 0, envelope: false },
  });
  const { url: baseUrl } = await sandbox.listen(0, "127.0.0.1");
  return { baseUrl, key: "contract-key", secret: "contract-secret", external: false, sandbox, close: () => sandbox.close() };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

export async function call(
  target: ContractTarget,
  path: string,
  init: { method?: string; body?: unknown; auth?: boolean; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== false) {
    headers["x-client-key"] = target.key;
    headers["x-client-secret"] = target.secret;
  }
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${target.baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

export async function control(target: ContractTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const reply = await call(target, `/__sandbox/${path}`, { method, body, auth: false });
  if (reply.status !== 200) throw new Error(`control ${method} ${path}: ${reply.status} ${reply.text}`);
  return reply.json();
}
