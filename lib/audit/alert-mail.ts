import "server-only";
import type { Kysely } from "kysely";
import nodemailer from "nodemailer";
import type { AuditAlertRow, Database } from "../db/schema";
import type { AlertMailSettings } from "../env";
import { hourWindow } from "./alert";

/** One message; what `send` hands to SMTP. */
export interface AlertMessage {
  subject: string;
  text: string;
}

export type SendMail = (message: AlertMessage) => Promise<void>;

/** A send claims its alert for this long; a sender that died mid-send is retried after it. Above SMTP's timeouts. */
export const EMAIL_LEASE_MS = 120_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;
const SMTP_TIMEOUT_MS = 30_000;

/** Wait before attempt `attempts + 1`: 30 s, doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** The mail: the staff member, the hour, the count and a link to the audit page; never a customer. */
export function alertMessage(alert: AuditAlertRow, portalUrl: string | null): AlertMessage {
  const who = alert.subject_email ?? alert.subject_id ?? "an unknown staff member";
  const { start, end } = hourWindow(alert.hour);
  const link = portalUrl ? new URL("/audit", portalUrl).toString() : "the portal's /audit page";
  return {
    subject: `[Devdraft portal] Bulk viewing: ${who} saw ${alert.customers} customers in one hour`,
    text: [
      `The portal raised a bulk-viewing alert.`,
      ``,
      `Staff member: ${who}${alert.subject_id && alert.subject_email ? ` (id ${alert.subject_id})` : ""}`,
      `Hour (UTC):   ${start.slice(0, 16).replace("T", " ")} to ${end.slice(11, 16)}`,
      `Customers:    ${alert.customers} distinct customers seen (threshold ${alert.threshold})`,
      `Alert id:     ${alert.id}`,
      ``,
      `Review and acknowledge it on the audit page: ${link}`,
      `The audit log, filtered by this staff member and hour, shows what was seen.`,
    ].join("\n"),
  };
}

/** Sends over SMTP with nodemailer (smtp:// with STARTTLS when offered, smtps:// implicit TLS). */
export function smtpSender(settings: AlertMailSettings): { send: SendMail; close(): void } {
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(message) {
      await transport.sendMail({ from: settings.from, to: settings.to, subject: message.subject, text: message.text });
    },
    close() {
      transport.close();
    },
  };
}

/** A short reason for the row, never the SMTP URL (it may hold a password). */
function shortError(err: unknown, smtpUrl: string | null): string {
  let text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (smtpUrl) text = text.replaceAll(smtpUrl, "[ALERT_SMTP_URL]");
  return text.replace(/\/\/[^@\s/]*@/g, "//[redacted]@").slice(0, 300);
}

export interface DeliveryResult {
  sent: string[];
  failed: string[];
}

/**
 * Sends every alert e-mail that is due, each by exactly one instance: a conditional UPDATE claims the row
 * (`pending`, or `sending` whose lease ran out, with `email_next_at` passed) and moves `email_next_at` a lease
 * ahead, so a second instance's claim matches nothing. Success marks it `sent`; a failure puts it back to
 * `pending` with the next attempt after a backoff and the reason. The state is in the store, so a restart resumes.
 * A sender that dies after SMTP accepted the mail but before marking it sent leaves it to be sent again after the
 * lease: at least once, and once unless an instance dies in that gap.
 */
export async function deliverDueAlertMail(
  db: Kysely<Database>,
  {
    send,
    portalUrl,
    smtpUrl = null,
    now = () => new Date(),
    limit = 20,
  }: { send: SendMail; portalUrl: string | null; smtpUrl?: string | null; now?: () => Date; limit?: number },
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: [], failed: [] };
  const due = await db
    .selectFrom("audit_alerts")
    .select("id")
    .where("email_status", "in", ["pending", "sending"])
    .where("email_next_at", "<=", now().toISOString())
    .orderBy("email_next_at")
    .limit(limit)
    .execute();
  for (const { id } of due) {
    const at = now();
    const claimed = await db
      .updateTable("audit_alerts")
      .set((eb) => ({
        email_status: "sending",
        email_attempts: eb("email_attempts", "+", 1),
        email_next_at: new Date(at.getTime() + EMAIL_LEASE_MS).toISOString(),
      }))
      .where("id", "=", id)
      .where("email_status", "in", ["pending", "sending"])
      .where("email_next_at", "<=", at.toISOString())
      .returningAll()
      .executeTakeFirst();
    if (!claimed) continue;
    const mine = (q: typeof db) =>
      q.updateTable("audit_alerts").where("id", "=", id).where("email_status", "=", "sending").where("email_attempts", "=", claimed.email_attempts);
    try {
      await send(alertMessage(claimed, portalUrl));
    } catch (err) {
      const retryAt = new Date(now().getTime() + retryDelayMs(claimed.email_attempts)).toISOString();
      await mine(db)
        .set({ email_status: "pending", email_next_at: retryAt, email_last_error: shortError(err, smtpUrl) })
        .execute();
      result.failed.push(id);
      continue;
    }
    await mine(db).set({ email_status: "sent", email_sent_at: now().toISOString(), email_next_at: null, email_last_error: null }).execute();
    result.sent.push(id);
  }
  return result;
}
