import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSigningKey, readCheckpointSettings, writeCheckpoint } from "@/lib/audit/checkpoints";
import { latestCheckpointStatus } from "@/lib/audit/integrity";
import { IntegrityPanel } from "./integrity-panel";

describe("integrity panel: latest signed checkpoint and last verification", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "panel-"));
    env = { PORTAL_DATA_DIR: dir, AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("shows the newest checkpoint's size, root, time and a valid signature", () => {
    expect(latestCheckpointStatus(env)).toBeNull();
    const settings = readCheckpointSettings(env);
    const signer = loadSigningKey(settings, { create: false })?.signer;
    if (!signer) throw new Error("no key");
    const root = Buffer.alloc(32, 3);
    writeCheckpoint(settings.dir, { origin: settings.origin, size: 41, root }, signer, new Date("2026-12-02T10:00:00.000Z"));
    writeCheckpoint(settings.dir, { origin: settings.origin, size: 42, root }, signer, new Date("2026-12-02T10:00:30.000Z"));
    const status = latestCheckpointStatus(env);
    expect(status).toMatchObject({ size: 42, root: root.toString("base64"), signedAt: "2026-12-02T10:00:30.000Z", signatureValid: true, problem: null });
    const html = renderToStaticMarkup(
      <IntegrityPanel
        checkpoint={status}
        status={{ verifiedAt: "2026-12-02T10:01:00.000Z", ok: true, checked: 42, headSeq: 42, firstBad: null, durationMs: 12, checkpoints: { files: 2, file: status?.file ?? null, size: 42 } }}
      />,
    );
    expect(html).toContain("Valid");
    expect(html).toContain("42 events");
    expect(html).toContain(root.toString("base64"));
    expect(html).toContain("2026-12-02 10:00:30 UTC");
    expect(html).toContain(`2 checked; newest matched: ${status?.file}`);
  });

  it("shows a checkpoint whose signature does not verify as not valid", () => {
    const settings = readCheckpointSettings(env);
    writeCheckpoint(settings.dir, { origin: settings.origin, size: 1, root: Buffer.alloc(32) }, loadSigningKey(readCheckpointSettings({ ...env, AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") }), { create: false })!.signer);
    writeFileSync(join(settings.dir, "0000000000000002-20261202T100000000Z-junk.checkpoint"), "garbage\n");
    const status = latestCheckpointStatus(env);
    expect(status).toMatchObject({ signatureValid: false, problem: "not a signed note" });
    expect(renderToStaticMarkup(<IntegrityPanel checkpoint={status} status={null} />)).toContain("Not valid: not a signed note");
  });
});

describe("integrity panel: streaming to the SIEM", () => {
  it("shows each sink's backlog, lag, last delivery and a current error, with no URL", () => {
    const html = renderToStaticMarkup(
      <IntegrityPanel
        status={null}
        checkpoint={null}
        siem={[
          { sink: "syslog", configured: true, deliveredSeq: 90, backlog: 1234, lagSeconds: 75, lastDeliveredAt: "2026-12-02T10:00:00.000Z", attempts: 3, nextAttemptAt: "2026-12-02T10:01:00.000Z", lastError: "syslog: connect ECONNREFUSED 10.0.0.5:6514", lastErrorAt: "2026-12-02T10:00:50.000Z" },
          { sink: "webhook", configured: false, deliveredSeq: 1324, backlog: 0, lagSeconds: 0, lastDeliveredAt: null, attempts: 0, nextAttemptAt: null, lastError: null, lastErrorAt: null },
        ]}
      />,
    );
    expect(html).toContain("Streaming to the SIEM");
    expect(html).toContain("1,234 events");
    expect(html).toContain("75 s");
    expect(html).toContain("2026-12-02 10:00:00 UTC");
    expect(html).toContain("syslog: connect ECONNREFUSED 10.0.0.5:6514 (3 failed attempts; next at ");
    expect(html).toContain("not configured here; its cursor holds retention back");
    expect(html).toContain("never");
  });

  it("shows no SIEM section when no sink was ever configured", () => {
    expect(renderToStaticMarkup(<IntegrityPanel status={null} checkpoint={null} siem={[]} />)).not.toContain("SIEM");
  });
});
