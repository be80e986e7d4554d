import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit";
import { closeDb, getDb } from "@/lib/db";
import { ensureCursor } from "@/lib/siem/outbox";
import { sampleInput } from "@/test/support/audit-fixtures";
import { GET } from "./route";

const SECRET = "w".repeat(40);

describe("GET /api/health", () => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "health-"));
    Object.assign(process.env, { PORTAL_DATA_DIR: dir, SIEM_WEBHOOK_URL: "https://siem.example.com/in?token=abc", SIEM_WEBHOOK_SECRET: SECRET });
    delete process.env.DATABASE_URL;
  });
  afterAll(async () => {
    await closeDb();
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows each sink's backlog, lag and last error, and no URL or secret", async () => {
    const db = await getDb();
    await ensureCursor(db, "webhook", new Date());
    await recordAudit(sampleInput());
    await recordAudit(sampleInput());
    await db.updateTable("siem_cursors").set({ attempts: 2, last_error: "webhook answered HTTP 503", last_error_at: new Date().toISOString() }).execute();
    const res = await GET();
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { ok: boolean; siem: Record<string, unknown>[] };
    expect(body.ok).toBe(true);
    expect(body.siem).toEqual([
      expect.objectContaining({
        sink: "webhook",
        configured: true,
        backlog: 2,
        deliveredSeq: 0,
        lastError: "webhook answered HTTP 503",
        attempts: 2,
        lastDeliveredAt: null,
      }),
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain("siem.example.com");
    expect(text).not.toContain("token=abc");
    expect(text).not.toContain(SECRET);
  });
});
