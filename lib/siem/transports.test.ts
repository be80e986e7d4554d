import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificate, rsyslogReceiver, type RsyslogReceiver, webhookReceiver, type WebhookReceiver } from "@/test/support/siem-receivers";
import { octetCounted, type OutgoingEvent, syslogMessage, syslogTransport, webhookTransport } from "./transports";

const SYSLOG_PORT = 3211;
const WEBHOOK_PORT = 3212;
const SECRET = "s".repeat(40);

function event(seq: number, action = "customer.view"): OutgoingEvent {
  const id = `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`;
  return { id, seq, at: "2026-03-01T12:00:00.000Z", action, severityId: 1, ocsf: { class_uid: 6003, metadata: { uid: id }, note: 'ünïcode "quoted" ]' } };
}

describe("RFC 5424 framing", () => {
  it("puts the action in MSGID, the id in STRUCTURED-DATA, and counts octets in bytes", () => {
    const msg = syslogMessage(event(3), "host-1");
    expect(msg).toMatch(
      /^<110>1 2026-03-01T12:00:00\.000Z host-1 devdraft-portal \d+ customer\.view \[devdraft@32473 id="00000000-0000-4000-8000-000000000003" seq="3"\] \{/,
    );
    const framed = octetCounted(msg);
    const [len] = framed.split(" ");
    expect(Number(len)).toBe(Buffer.byteLength(msg));
    expect(Number(len)).toBeGreaterThan(msg.length); // multi-byte characters count as bytes
  });
});

describe("transports against real receivers", () => {
  let dir: string;
  let tls: { cert: string; key: string };
  let rsyslog: RsyslogReceiver;
  let webhook: WebhookReceiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "siem-transport-"));
    tls = makeCertificate(join(dir, "tls"));
    rsyslog = rsyslogReceiver(join(dir, "rsyslog"), SYSLOG_PORT, tls);
    await rsyslog.start();
    webhook = await webhookReceiver(WEBHOOK_PORT, tls, SECRET);
  }, 120_000);
  afterAll(async () => {
    await rsyslog?.stop();
    await webhook?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers a batch to rsyslog over TLS, and fails when the receiver is gone or untrusted", async () => {
    const ca = readFileSync(tls.cert, "utf8");
    const transport = syslogTransport({ host: "127.0.0.1", port: SYSLOG_PORT, ca });
    await transport.send([event(1), event(2, "auth.signin"), event(3, "staff.disable")]);
    await expect.poll(() => rsyslog.messages().length, { timeout: 10_000 }).toBe(3);
    const got = rsyslog.messages();
    expect(got.map((m) => [m.msgid, m.seq, m.id])).toEqual([
      ["customer.view", 1, event(1).id],
      ["auth.signin", 2, event(2).id],
      ["staff.disable", 3, event(3).id],
    ]);
    expect(got[0]?.ocsf).toEqual(event(1).ocsf);

    // Without the receiver's CA the certificate is refused.
    await expect(syslogTransport({ host: "127.0.0.1", port: SYSLOG_PORT, ca: null }).send([event(4)])).rejects.toThrow(/syslog: .*(self-signed|certificate)/);

    await rsyslog.kill();
    await expect(transport.send([event(5)])).rejects.toThrow(/syslog/);
    await rsyslog.start();
    await transport.send([event(6)]);
    await expect.poll(() => rsyslog.messages().map((m) => m.seq), { timeout: 10_000 }).toEqual([1, 2, 3, 6]);
  });

  it("posts a signed batch to the webhook, and fails on a refusal or a wrong secret", async () => {
    const ca = readFileSync(tls.cert, "utf8");
    const transport = webhookTransport({ url: `https://127.0.0.1:${WEBHOOK_PORT}/siem`, secret: SECRET, ca });
    await transport.send([event(1), event(2)]);
    expect(webhook.received).toEqual([event(1).id, event(2).id]);
    expect(webhook.unique.get(event(2).id)?.seq).toBe(2);

    webhook.refusing = true;
    await expect(transport.send([event(3)])).rejects.toThrow("webhook answered HTTP 503");
    webhook.refusing = false;

    await expect(webhookTransport({ url: `https://127.0.0.1:${WEBHOOK_PORT}/siem`, secret: "x".repeat(40), ca }).send([event(4)])).rejects.toThrow("HTTP 401");
    expect(webhook.badSignatures).toBe(1);
    await expect(webhookTransport({ url: `https://127.0.0.1:${WEBHOOK_PORT}/siem`, secret: SECRET, ca: null }).send([event(5)])).rejects.toThrow(/certificate/);
  });
});
