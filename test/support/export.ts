// Test support (not a test file): an in-process sandbox, a store, an export client on a shared budget, an engine.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { StoreKind } from "@/lib/db/dialect";
import type { Database } from "@/lib/db/schema";
import { openTestStore, type TestStore } from "@/test/support/stores";
import { portalExportKey } from "../../lib/export/crypto";
import { parseCustomerList } from "@/lib/devdraft/schemas";
import { customerCells, EXPORT_HEADER } from "../../lib/export/columns";
import { toCsvRow } from "@/lib/csv/csv";
import { createExportClient, createRateBudget, type DevdraftConfig, type RateBudget } from "@/lib/devdraft";
import { DEFAULT_SANDBOX_CLIENT_KEY, DEFAULT_SANDBOX_CLIENT_SECRET } from "@/sandbox/defaults";
import { createSandbox, type Sandbox, type SandboxOptions } from "@/sandbox/server";
import type { RecordAudit } from "../../lib/export/audit";
import { createExportEngine, type ExportEngine, type ExportEngineOptions } from "../../lib/export/engine";

export type Harness = { sandbox: Sandbox; url: string; dir: string; store: TestStore; db: Kysely<Database>; close(): Promise<void> };

/** The portal key the tests' engines share (two engines with it are two instances of one portal). */
export const TEST_EXPORT_KEY = portalExportKey("test-export-key-0123456789abcdef0123456789");

/** A sandbox on a free port, a fresh migrated store of the given kind, and a scratch directory. */
export async function startHarness(options: SandboxOptions, kind: StoreKind = "sqlite"): Promise<Harness> {
  const sandbox = createSandbox({ clientKey: DEFAULT_SANDBOX_CLIENT_KEY, clientSecret: DEFAULT_SANDBOX_CLIENT_SECRET, seed: 7, ...options });
  const { url } = await sandbox.listen(0, "127.0.0.1");
  const dir = mkdtempSync(join(tmpdir(), "portal-export-test-"));
  const store = await openTestStore(kind);
  return {
    sandbox,
    url,
    dir,
    store,
    db: store.db,
    async close() {
      await sandbox.close();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A staff row for an export's owner (export_jobs.owner_id references staff). */
export async function addOwner(db: Kysely<Database>, owner: { id: string; email: string }, role: "admin" | "agent" = "admin"): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto("staff")
    .values({ id: owner.id, email: owner.email, name: owner.email, role, password_hash: null, disabled_at: null, created_at: now, updated_at: now })
    .execute();
}

/** The finished file's text as a download would send it (without releasing it). */
export async function fileText(engine: ExportEngine, id: string, ownerId: string): Promise<string> {
  const file = await engine.file(id, ownerId);
  if (!file) throw new Error("no file offered");
  const parts: Buffer[] = [];
  for await (const chunk of file.chunks()) parts.push(Buffer.from(chunk));
  const text = Buffer.concat(parts);
  if (text.length !== file.size) throw new Error(`size ${file.size} announced, ${text.length} sent`);
  return text.toString("utf8");
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

type EngineParts = Omit<Partial<ExportEngineOptions>, "db"> & {
  url: string;
  db: Kysely<Database>;
  ratePerMin?: number;
  share?: number;
  shared?: RateBudget;
  record?: RecordAudit;
};

/** An engine (one portal instance) on the sandbox and the store; a huge budget unless `ratePerMin` says otherwise. */
export function engineFor({ url, db, ratePerMin = 1_000_000, share = 0.5, shared, record = async () => undefined, ...rest }: EngineParts) {
  const config = sandboxConfig(url, ratePerMin);
  const budget = shared ?? createRateBudget({ perMinute: ratePerMin, maxWaitMs: 5_000 });
  const client = createExportClient({ config, shared: budget, share });
  return createExportEngine({
    db: async () => db,
    client,
    record,
    key: TEST_EXPORT_KEY,
    ratePerMin: Math.max(1, Math.floor(ratePerMin * share)),
    baseDelayMs: 10,
    ...rest,
  });
}

export async function sandboxStats(url: string): Promise<{ requests: number; byStatus: Record<string, number> }> {
  const body: unknown = await (await fetch(`${url}/__sandbox/stats`)).json();
  if (
    body &&
    typeof body === "object" &&
    "requests" in body &&
    typeof body.requests === "number" &&
    "byStatus" in body &&
    body.byStatus &&
    typeof body.byStatus === "object"
  ) {
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

/** The brute-force reference: every page fetched straight from the sandbox, as Devdraft answers it. */
export async function referenceCsv(url: string, filter: Record<string, string> = {}): Promise<string> {
  let csv = toCsvRow(EXPORT_HEADER);
  for (let skip = 0; skip <= 10_000; skip += 100) {
    const params = new URLSearchParams({ ...filter, take: "100", skip: String(skip) });
    const res = await fetch(`${url}/api/v0/customers?${params}`, {
      headers: { "x-client-key": DEFAULT_SANDBOX_CLIENT_KEY, "x-client-secret": DEFAULT_SANDBOX_CLIENT_SECRET },
    });
    const { customers } = parseCustomerList(await res.json());
    csv += customers.map((c) => toCsvRow(customerCells(c))).join("");
    if (customers.length < 100) break;
  }
  return csv;
}
