// Test support (not a test file): the outage scenario of issue 13, point 5, shared by siem-outage.test.ts (short)
// and `npm run soak:siem` (minutes). Staff work is recorded by a portal process (siem-portal-process.ts, which
// starts the SIEM stream the way start-up does); the syslog receiver (real rsyslogd over TLS) is killed and the
// webhook receiver refuses; the portal process is restarted once in the middle of the outage; the receivers come
// back; then every event must arrive with no gap by seq, the webhook receiver deduplicates by id and the syslog
// receiver (which does not) may hold duplicates only of events sent around the outage.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Kysely } from "kysely";
import type { Database } from "../../lib/db/schema";
import { readCursor, readSinkStatuses } from "../../lib/siem/outbox";
import { makeCertificate, rsyslogReceiver, webhookReceiver } from "./siem-receivers";

const PROCESS = fileURLToPath(new URL("./siem-portal-process.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface OutageOptions {
  db: Kysely<Database>;
  /** What the portal process needs to open the same store: DATABASE_URL or PORTAL_DATA_DIR. */
  storeEnv: Record<string, string>;
  outageMs: number;
  syslogPort: number;
  webhookPort: number;
  retryMaxMs: number;
  workIntervalMs?: number;
  /** Portal processes working and shipping at once (default 1); only the first one restarts. */
  instances?: number;
  log?: (line: string) => void;
}

export interface OutageFigures {
  events: number;
  headSeq: number;
  outageMs: number;
  /** How long the portal process took to restart (SIGTERM to ready). */
  restartMs: number;
  /** From the receivers' return until both sinks had everything. */
  catchUpMs: number;
  maxBacklog: number;
  maxLagSeconds: number;
  lastErrorSeen: string | null;
  syslog: { received: number; distinct: number; missing: number[]; gaps: number[]; duplicates: number[]; cursorAtKill: number; headAtReturn: number };
  webhook: { deliveries: number; distinct: number; missing: number[]; duplicateDeliveries: number; badSignatures: number };
  /** A sample message as received by rsyslog: MSGID, id, OCSF class. */
  sample: { msgid: string; id: string; classUid: unknown } | null;
}

interface Child {
  proc: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  stderr: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function runOutageScenario(opts: OutageOptions): Promise<OutageFigures> {
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "siem-outage-"));
  const tls = makeCertificate(join(dir, "tls"));
  const secret = randomBytes(24).toString("hex");
  const rsyslog = rsyslogReceiver(join(dir, "rsyslog"), opts.syslogPort, tls);
  await rsyslog.start();
  const webhook = await webhookReceiver(opts.webhookPort, tls, secret);
  const children: Child[] = [];
  const env = {
    ...process.env,
    ...opts.storeEnv,
    LOG_LEVEL: "silent",
    SIEM_SYSLOG_URL: `tls://127.0.0.1:${opts.syslogPort}`,
    SIEM_SYSLOG_CA: tls.cert,
    SIEM_WEBHOOK_URL: `https://127.0.0.1:${opts.webhookPort}/siem`,
    SIEM_WEBHOOK_SECRET: secret,
    SIEM_WEBHOOK_CA: tls.cert,
    SIEM_RETRY_MAX_MS: String(opts.retryMaxMs),
    SIEM_POLL_MS: "200",
    SIEM_BATCH_SIZE: "50",
    WORK_INTERVAL_MS: String(opts.workIntervalMs ?? 100),
  };

  async function startPortal(tag: string): Promise<Child> {
    const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", PROCESS], {
      cwd: ROOT,
      stdio: "pipe",
      env: { ...env, WORK_TAG: tag },
    });
    const child: Child = { proc, stderr: [], lines: createInterface({ input: proc.stdout })[Symbol.asyncIterator]() };
    proc.stderr.on("data", (c: Buffer) => child.stderr.push(c.toString()));
    children.push(child);
    const first = await child.lines.next();
    if (first.done || first.value !== "ready") throw new Error(`portal process did not start: ${child.stderr.join("")}`);
    return child;
  }
  async function terminate(child: Child): Promise<void> {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
    const exited = new Promise((r) => child.proc.once("exit", r));
    child.proc.kill("SIGTERM");
    await exited;
  }
  const headSeq = async () => (await opts.db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow()).seq;

  try {
    const a = await startPortal("a");
    const others: Child[] = [];
    for (let i = 1; i < (opts.instances ?? 1); i++) others.push(await startPortal(`c${i}`));
    log(`${1 + others.length} portal process(es) started; waiting for the first deliveries`);
    await waitFor("first deliveries", () => rsyslog.messages().length >= 10 && webhook.unique.size >= 10, 60_000);

    await rsyslog.kill();
    webhook.refusing = true;
    const killedAt = Date.now();
    await sleep(300);
    const cursorAtKill = (await readCursor(opts.db, "syslog"))?.delivered_seq ?? 0;
    log(`receivers down at seq ${await headSeq()} (syslog delivered through ${cursorAtKill})`);

    let maxBacklog = 0;
    let maxLagSeconds = 0;
    let lastErrorSeen: string | null = null;
    const sample = async () => {
      for (const s of await readSinkStatuses(opts.db, ["syslog", "webhook"])) {
        maxBacklog = Math.max(maxBacklog, s.backlog);
        maxLagSeconds = Math.max(maxLagSeconds, s.lagSeconds);
        if (s.sink === "syslog" && s.lastError) lastErrorSeen = s.lastError;
      }
    };
    const until = async (t: number) => {
      while (Date.now() < t) {
        await sample();
        await sleep(Math.min(1000, Math.max(0, t - Date.now())));
      }
    };

    await until(killedAt + opts.outageMs / 2);
    const restartStarted = Date.now();
    await terminate(a);
    const b = await startPortal("b");
    const restartMs = Date.now() - restartStarted;
    log(`portal process restarted in ${restartMs} ms`);
    await until(killedAt + opts.outageMs);

    const headAtReturn = await headSeq();
    await rsyslog.start();
    webhook.refusing = false;
    const returnedAt = Date.now();
    log(`receivers back at seq ${headAtReturn} after ${returnedAt - killedAt} ms`);

    await sleep(2000);
    for (const c of [b, ...others]) {
      c.proc.stdin.write("stop-work\n");
      const stopped = await c.lines.next();
      if (stopped.done || !stopped.value.startsWith("stopped")) throw new Error(`portal process: ${c.stderr.join("")}`);
    }
    const head = await headSeq();
    await waitFor(
      "both sinks to catch up",
      async () => (await readCursor(opts.db, "syslog"))?.delivered_seq === head && (await readCursor(opts.db, "webhook"))?.delivered_seq === head,
      opts.retryMaxMs * 2 + 60_000,
    );
    const catchUpMs = Date.now() - returnedAt;
    await waitFor("rsyslog to write everything", () => new Set(rsyslog.messages().map((m) => m.seq)).size >= head, 30_000).catch(() => {});
    await terminate(b);
    for (const c of others) await terminate(c);

    const rows = await opts.db.selectFrom("audit_events").select(["seq", "id"]).orderBy("seq").execute();
    const seqOf = new Map(rows.map((r) => [r.id, r.seq]));
    const messages = rsyslog.messages();
    const syslogCount = new Map<string, number>();
    for (const m of messages) syslogCount.set(m.id, (syslogCount.get(m.id) ?? 0) + 1);
    const distinctSeqs = [...new Set(messages.map((m) => m.seq))].sort((x, y) => x - y);
    const gaps = distinctSeqs.filter((s, i) => i > 0 && s !== (distinctSeqs[i - 1] ?? 0) + 1);
    const first = messages[0];
    return {
      events: rows.length,
      headSeq: head,
      outageMs: returnedAt - killedAt,
      restartMs,
      catchUpMs,
      maxBacklog,
      maxLagSeconds,
      lastErrorSeen,
      syslog: {
        received: messages.length,
        distinct: syslogCount.size,
        missing: rows.filter((r) => !syslogCount.has(r.id)).map((r) => r.seq),
        gaps,
        duplicates: [...syslogCount]
          .filter(([, n]) => n > 1)
          .map(([id]) => seqOf.get(id) ?? -1)
          .sort((x, y) => x - y),
        cursorAtKill,
        headAtReturn,
      },
      webhook: {
        deliveries: webhook.received.length,
        distinct: webhook.unique.size,
        missing: rows.filter((r) => !webhook.unique.has(r.id)).map((r) => r.seq),
        duplicateDeliveries: webhook.received.length - webhook.unique.size,
        badSignatures: webhook.badSignatures,
      },
      sample: first ? { msgid: first.msgid, id: first.id, classUid: first.ocsf.class_uid } : null,
    };
  } finally {
    for (const c of children) await terminate(c).catch(() => {});
    await rsyslog.stop().catch(() => {});
    await webhook.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
