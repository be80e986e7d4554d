import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "../db/get-db";
import { services } from "@/lib/services";
import { recordAudit, verifyChain } from "./index";
import { sampleInput } from "@/test/support/audit-fixtures";

describe("process-wide recorder", () => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, PORTAL_DATA_DIR: process.env.PORTAL_DATA_DIR };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "portal-audit-"));
    delete process.env.DATABASE_URL;
    process.env.PORTAL_DATA_DIR = dir;
  });
  afterAll(async () => {
    await closeDb();
    if (saved.DATABASE_URL !== undefined) process.env.DATABASE_URL = saved.DATABASE_URL;
    if (saved.PORTAL_DATA_DIR === undefined) delete process.env.PORTAL_DATA_DIR;
    else process.env.PORTAL_DATA_DIR = saved.PORTAL_DATA_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it("recordAudit writes through one shared recorder on getDb()", async () => {
    const [a, b] = await Promise.all([services().recorder(), services().recorder()]);
    expect(a).toBe(b);
    const events = await Promise.all([recordAudit(sampleInput()), recordAudit(sampleInput())]);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(await verifyChain(await getDb())).toMatchObject({ ok: true, checked: 2 });
  });

  it("survives closeDb(): the next record uses a recorder on the reopened store", async () => {
    const before = await services().recorder();
    await closeDb();
    const event = await recordAudit(sampleInput());
    expect(event.seq).toBe(3);
    expect(await services().recorder()).not.toBe(before);
  });
});
