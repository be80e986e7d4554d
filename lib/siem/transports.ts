import "server-only";
import { createHmac } from "node:crypto";
import { request } from "node:https";
import { hostname } from "node:os";
import { connect } from "node:tls";
import type { SyslogSinkSettings, WebhookSinkSettings } from "./settings";

/** One event ready to send: its id (for deduplication), chain position, action and OCSF body. */
export interface OutgoingEvent {
  id: string;
  seq: number;
  at: string;
  action: string;
  severityId: number;
  ocsf: Record<string, unknown>;
}

/** Resolves once the receiver has accepted every event of the batch; rejects otherwise (the batch is sent again). */
export interface Transport {
  send(events: readonly OutgoingEvent[]): Promise<void>;
}

const SEND_TIMEOUT_MS = 15_000;
/** RFC 5612's documentation enterprise number: the SD-ID is ours, not IANA-registered. */
const SD_ID = "devdraft@32473";
const APP_NAME = "devdraft-portal";
const FACILITY_LOG_AUDIT = 13;
// OCSF severity_id (1 informational .. 5 critical) to syslog severity (6 info .. 2 critical).
const SYSLOG_SEVERITY: Record<number, number> = { 0: 6, 1: 6, 2: 5, 3: 4, 4: 3, 5: 2, 6: 1 };

const sdEscape = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
const printable = (v: string, max: number) => v.replace(/[^\x21-\x7e]/g, "_").slice(0, max) || "-";

/** One RFC 5424 message: MSGID = the action, STRUCTURED-DATA carries the event id and seq, MSG = the OCSF JSON. */
export function syslogMessage(event: OutgoingEvent, host = hostname()): string {
  const pri = FACILITY_LOG_AUDIT * 8 + (SYSLOG_SEVERITY[event.severityId] ?? 6);
  const sd = `[${SD_ID} id="${sdEscape(event.id)}" seq="${event.seq}"]`;
  return `<${pri}>1 ${event.at} ${printable(host, 255)} ${APP_NAME} ${process.pid} ${printable(event.action, 32)} ${sd} ${JSON.stringify(event.ocsf)}`;
}

/** Octet-counting framing (RFC 6587 §3.4.1, RFC 5425 §4.3): "<length> <message>". */
export function octetCounted(message: string): string {
  return `${Buffer.byteLength(message, "utf8")} ${message}`;
}

/**
 * Syslog over TLS (RFC 5425). A connection per batch: write every frame, then close our side and wait until the
 * receiver closes its side (rsyslog does when it reads end-of-stream). Only then is the batch accepted. A receiver
 * that resets (killed with our bytes unread), refuses or never closes fails the send and the batch goes again.
 * RFC 5425 has no application acknowledgement: a receiver that read the bytes and died before storing them is not
 * seen (docs/siem.md).
 */
export function syslogTransport(settings: SyslogSinkSettings): Transport {
  return {
    send(events) {
      const payload = events.map((e) => octetCounted(syslogMessage(e))).join("");
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        let sawEnd = false;
        const finish = (err?: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          socket.destroy();
          if (err) reject(err);
          else resolve();
        };
        const socket = connect({
          host: settings.host,
          port: settings.port,
          servername: /^[\d.]+$|:/.test(settings.host) ? undefined : settings.host,
          ...(settings.ca ? { ca: settings.ca } : {}),
          minVersion: "TLSv1.2",
        });
        const timer = setTimeout(() => finish(new Error(`syslog receiver did not confirm within ${SEND_TIMEOUT_MS / 1000} s`)), SEND_TIMEOUT_MS);
        socket.setNoDelay(true);
        socket.once("secureConnect", () => {
          socket.end(payload);
        });
        socket.on("data", () => {}); // receivers send nothing; keep the stream flowing so 'end' is seen
        socket.once("end", () => {
          sawEnd = true;
        });
        socket.once("error", (err: Error) => finish(new Error(`syslog: ${err.message}`)));
        socket.once("close", (hadError) => {
          if (hadError) return; // 'error' reported it
          if (!sawEnd) finish(new Error("syslog receiver closed the connection before reading the batch"));
          else finish();
        });
      });
    },
  };
}

const SIGNATURE_HEADER = "x-devdraft-signature";
const TIMESTAMP_HEADER = "x-devdraft-timestamp";

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: what a receiver recomputes (timestamp = Unix seconds). */
function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** HTTPS POST of `{events: [{id, seq, ocsf}]}`; any 2xx accepts the whole batch. */
export function webhookTransport(settings: WebhookSinkSettings): Transport {
  const url = new URL(settings.url);
  return {
    send(events) {
      const body = JSON.stringify({ events: events.map((e) => ({ id: e.id, seq: e.seq, ocsf: e.ocsf })) });
      const timestamp = String(Math.floor(Date.now() / 1000));
      return new Promise<void>((resolve, reject) => {
        const req = request(
          url,
          {
            method: "POST",
            timeout: SEND_TIMEOUT_MS,
            ...(settings.ca ? { ca: settings.ca } : {}),
            headers: {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
              "user-agent": `${APP_NAME}-siem`,
              [TIMESTAMP_HEADER]: timestamp,
              [SIGNATURE_HEADER]: webhookSignature(settings.secret, timestamp, body),
              "idempotency-key": `${events[0]?.id ?? ""}..${events[events.length - 1]?.id ?? ""}`,
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) resolve();
              else reject(new Error(`webhook answered HTTP ${status}`));
            });
            res.on("error", (err) => reject(new Error(`webhook: ${err.message}`)));
          },
        );
        req.on("timeout", () => req.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)));
        req.on("error", (err) => reject(new Error(`webhook: ${err.message}`)));
        req.end(body);
      });
    },
  };
}
