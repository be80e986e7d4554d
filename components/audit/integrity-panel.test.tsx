import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { loadSigningKey, readCheckpointSettings, writeCheckpoint, writeCosigned } from "@/lib/audit/checkpoints";
import { cosign, witnessSignerFrom, witnessVerifierKeyText } from "@/lib/audit/cosignature";
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
        status={{
          verifiedAt: "2026-12-02T10:01:00.000Z",
          ok: true,
          checked: 42,
          headSeq: 42,
          firstBad: null,
          durationMs: 12,
          checkpoints: { files: 2, file: status?.file ?? null, size: 42 },
        }}
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
    writeCheckpoint(
      settings.dir,
      { origin: settings.origin, size: 1, root: Buffer.alloc(32) },
      loadSigningKey(readCheckpointSettings({ ...env, AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") }), { create: false })!.signer,
    );
    writeFileSync(join(settings.dir, "0000000000000002-20261202T100000000Z-junk.checkpoint"), "garbage\n");
    const status = latestCheckpointStatus(env);
    expect(status).toMatchObject({ signatureValid: false, problem: "not a signed note" });
    expect(renderToStaticMarkup(<IntegrityPanel checkpoint={status} status={null} />)).toContain("Not valid: not a signed note");
  });
});

describe("integrity panel: witnesses of the latest checkpoint", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const witness = (name: string) => witnessSignerFrom(name, generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString());

  it("names the configured witnesses that cosigned it and those that did not, and a cosignature that does not verify", () => {
    dir = mkdtempSync(join(tmpdir(), "panel-w-"));
    const [a, b, c] = [witness("witness.test/a"), witness("witness.test/b"), witness("witness.test/c")];
    const env = {
      PORTAL_DATA_DIR: dir,
      AUDIT_SIGNING_KEY: randomBytes(32).toString("base64"),
      AUDIT_WITNESSES: [a, b, c].map((w, i) => `http://127.0.0.1:${9000 + i}|${witnessVerifierKeyText(w)}`).join(","),
      AUDIT_WITNESS_QUORUM: "2",
    };
    const settings = readCheckpointSettings(env);
    const signer = loadSigningKey(settings, { create: false })?.signer;
    if (!signer) throw new Error("no key");
    const path = writeCheckpoint(settings.dir, { origin: settings.origin, size: 7, root: Buffer.alloc(32, 1) }, signer);
    const note = readFileSync(path, "utf8");
    const body = note.slice(0, note.indexOf("\n\n") + 1);
    writeCosigned(path, note, [cosign(body, a)]);
    const status = latestCheckpointStatus(env);
    expect(status?.witnesses).toEqual({ cosigned: ["witness.test/a"], missing: ["witness.test/b", "witness.test/c"], bad: [], unknown: [], quorum: 2 });
    const html = renderToStaticMarkup(<IntegrityPanel checkpoint={status} status={null} />);
    expect(html).toContain("Cosigned by witness.test/a");
    expect(html).toContain("1 of the quorum of 2: below the quorum");
    expect(html).toContain("Not cosigned by witness.test/b, witness.test/c");

    // A second checkpoint whose cosignature by b was made over another body.
    const next = writeCheckpoint(settings.dir, { origin: settings.origin, size: 8, root: Buffer.alloc(32, 2) }, signer);
    writeCosigned(next, readFileSync(next, "utf8"), [cosign(body, b), cosign(readFileSync(next, "utf8").split("\n\n")[0] + "\n", c)]);
    const later = latestCheckpointStatus(env);
    expect(later?.witnesses?.cosigned).toEqual(["witness.test/c"]);
    expect(later?.witnesses?.bad).toEqual([expect.stringMatching(/^the cosignature of witness witness\.test\/b in \S+\.checkpoint\.cosigned does not verify/)]);
    expect(renderToStaticMarkup(<IntegrityPanel checkpoint={later} status={null} />)).toContain("the cosignature of witness witness.test/b in ");
  });

  it("shows no witness row when none is configured and none cosigned", () => {
    dir = mkdtempSync(join(tmpdir(), "panel-w-"));
    const env = { PORTAL_DATA_DIR: dir, AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") };
    const settings = readCheckpointSettings(env);
    writeCheckpoint(settings.dir, { origin: settings.origin, size: 1, root: Buffer.alloc(32) }, loadSigningKey(settings, { create: false })!.signer);
    const status = latestCheckpointStatus(env);
    expect(status?.witnesses).toBeNull();
    expect(renderToStaticMarkup(<IntegrityPanel checkpoint={status} status={null} />)).not.toContain("Witnesses");
  });
});

describe("integrity panel: streaming to the SIEM", () => {
  it("shows each sink's backlog, lag, last delivery and a current error, with no URL", () => {
    const html = renderToStaticMarkup(
      <IntegrityPanel
        status={null}
        checkpoint={null}
        siem={[
          {
            sink: "syslog",
            configured: true,
            deliveredSeq: 90,
            backlog: 1234,
            lagSeconds: 75,
            lastDeliveredAt: "2026-12-02T10:00:00.000Z",
            attempts: 3,
            nextAttemptAt: "2026-12-02T10:01:00.000Z",
            lastError: "syslog: connect ECONNREFUSED 10.0.0.5:6514",
            lastErrorAt: "2026-12-02T10:00:50.000Z",
          },
          {
            sink: "webhook",
            configured: false,
            deliveredSeq: 1324,
            backlog: 0,
            lagSeconds: 0,
            lastDeliveredAt: null,
            attempts: 0,
            nextAttemptAt: null,
            lastError: null,
            lastErrorAt: null,
          },
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
