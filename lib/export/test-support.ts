// Test support (not a test file): an in-process sandbox, an export client on a shared budget, an engine.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createExportClient, createRateBudget, type DevdraftConfig, type RateBudget } from "@/lib/devdraft";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "@/sandbox/defaults";
import { createSandbox, type Sandbox, type SandboxOptions } from "@/sandbox/server";
import type { RecordAudit } from "./audit";
import { createExportEngine, type ExportEngineOptions } from "./engine";

export type Harness = { sandbox: Sandbox; url: string; dir: string; close(): Promise<void> };

export async function startHarness(options: SandboxOptions): Promise<Harness> {
  const sandbox = createSandbox({ clientKey: DEFAULT_SANDBOX_CLIENT_KEY, clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET, seed: 7, ...options });
  const { url } = await sandbox.listen(0, "127.0.0.1");
  const dir = mkdtempSync(join(tmpdir(), "portal-export-test-"));
  return {
    sandbox,
    url,
    dir,
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sandboxConfig(url: string, ratePerMin: number, overrides: Partial<DevdraftConfig> = {}): DevdraftConfig {
  return {
    embedded: true,
    baseUrl: url,
    clientKey: DEFAULT_SANDBOX_CLIENT_KEY,
    clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
    ratePerMin,
    cacheTtlMs: 10_000,
    deadlineMs: 8_000,
    attemptTimeoutMs: 4_000,
    ...overrides,
  };
}

type EngineParts = Partial<ExportEngineOptions> & { url: string; dir: string; ratePerMin?: number; share?: number; shared?: RateBudget; record?: RecordAudit };

/** An engine on the sandbox; a huge budget unless `ratePerMin` says otherwise. */
export function engineFor({ url, dir, ratePerMin = 1_000_000, share = 0.5, shared, record = async () => undefined, ...rest }: EngineParts) {
  const config = sandboxConfig(url, ratePerMin);
  const budget = shared ?? createRateBudget({ perMinute: ratePerMin, maxWaitMs: 5_000 });
  const client = createExportClient({ config, shared: budget, share });
  return createExportEngine({ client, record, dir, ratePerMin: Math.max(1, Math.floor(ratePerMin * share)), baseDelayMs: 10, ...rest });
}

export async function sandboxStats(url: string): Promise<{ requests: number; byStatus: Record<string, number> }> {
  const body: unknown = await (await fetch(`${url}/__sandbox/stats`)).json();
  if (body && typeof body === "object" && "requests" in body && typeof body.requests === "number" && "byStatus" in body && body.byStatus && typeof body.byStatus === "object") {
    return { requests: body.requests, byStatus: Object.fromEntries(Object.entries(body.byStatus).map(([k, v]) => [k, Number(v)])) };
  }
  throw new Error("unexpected stats body");
}

export function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function readCsv(path: string): string {
  return readFileSync(path, "utf8");
}
