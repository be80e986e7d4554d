import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import type { AlertMailSettings } from "../env";
import { raiseBulkViewingAlerts } from "./alert";
import { deliverDueAlertMail, smtpSender } from "./alert-mail";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface AlertDetectorOptions {
  db: () => Promise<Kysely<Database>>;
  threshold: number;
  intervalMs: number;
  /** Null: e-mail off. */
  mail: AlertMailSettings | null;
  /** The portal's public URL (NEXTAUTH_URL) for the mail's link. */
  portalUrl: string | null;
  onError?: (err: unknown) => void;
  onRaised?: (ids: string[]) => void;
}

export interface AlertDetector {
  /** One detection and delivery pass now (passes never overlap); resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Looks for bulk viewing and raises alerts, then sends due alert e-mail: once at start (over the last 24 hours,
 * so what happened while no instance ran is caught up) and every `intervalMs` (from the start of the previous UTC
 * hour, so the end of an hour is seen after it closes). Every instance may run one: raising and sending are
 * once-only in the store. The timer is unref'd.
 */
export function startAlertDetector(opts: AlertDetectorOptions): AlertDetector {
  const sender = opts.mail ? smtpSender(opts.mail) : null;
  let first = true;
  let stopped = false;

  const detectPass = async () => {
    const db = await opts.db();
    const now = Date.now();
    const since = first ? new Date(now - DAY_MS) : new Date(Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS);
    const raised = await raiseBulkViewingAlerts(db, { threshold: opts.threshold, since, email: sender !== null });
    // The 24-hour catch-up stays until one pass got through (a store down at start-up does not skip it).
    first = false;
    if (raised.length > 0) opts.onRaised?.(raised.map((a) => a.id));
  };
  const mailPass = async () => {
    if (sender) await deliverDueAlertMail(await opts.db(), { send: sender.send, portalUrl: opts.portalUrl, smtpUrl: opts.mail?.smtpUrl ?? null });
  };
  // Detection and e-mail each run one pass at a time, apart: an SMTP server that hangs (up to its timeouts per
  // mail) never holds detection back. A tick while a pass runs joins it.
  let detecting: Promise<void> | null = null;
  let mailing: Promise<void> | null = null;
  const detect = () => (detecting ??= detectPass().finally(() => (detecting = null)));
  const mail = () => (mailing ??= mailPass().finally(() => (mailing = null)));
  const runNow = async () => {
    await detect();
    await mail();
  };
  const tick = () => {
    if (stopped) return;
    const report = (err: unknown) => opts.onError?.(err);
    // E-mail that is due goes out even when detection failed this time.
    detect().catch(report).then(mail).catch(report);
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  tick();

  return {
    runNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([detecting, mailing]);
      sender?.close();
    },
  };
}
