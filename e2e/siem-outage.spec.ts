import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { makeCertificate, rsyslogReceiver, type RsyslogReceiver, webhookReceiver, type WebhookReceiver } from "../test/support/siem-receivers";
import { addStaffWithCli } from "../test/support/sign-in";
import { apiAt } from "./helpers/api";
import { launch, type Proc, stop, waitHealthy } from "./helpers/processes";
import { e2e } from "../playwright.config";

// Issue 13, point 5, done-when, through a real portal: staff work through the portal while the syslog receiver
// (Debian's rsyslogd over TLS) is killed and the webhook refuses; the portal restarts once; the receivers come back.
// Then every event id in the store arrives at both, with no gap by seq; the webhook receiver deduplicates by id, and
// rsyslog (which does not) holds duplicates only of events sent around the outage.

const BASE = Number(process.env.E2E_SIEM_PORT ?? "3240");
const PORTAL_PORT = BASE;
const SYSLOG_PORT = BASE + 1;
const WEBHOOK_PORT = BASE + 2;
const PORTAL_URL = `http://127.0.0.1:${PORTAL_PORT}`;
const SANDBOX_PORT = new URL(e2e.sandboxUrl).port;
const AGENT = "agent@siem.test";
const PASSWORD = `siem-${randomBytes(12).toString("base64url")}`;

type Health = { siem: { sink: string; backlog: number; lagSeconds: number; lastError: string | null; attempts: number; deliveredSeq: number }[] };

const procs: Proc[] = [];
let dir = "";
let rsyslog: RsyslogReceiver;
let webhook: WebhookReceiver;
let env: Record<string, string> = {};

async function health(): Promise<Health> {
  return (await (await fetch(`${PORTAL_URL}/api/health`)).json()) as Health;
}

async function startPortal(): Promise<Proc> {
  const proc = launch(procs, "portal", ["scripts/start.mjs"], env);
  await waitHealthy(proc, `${PORTAL_URL}/api/health`, 120_000);
  return proc;
}

/** Staff work through the portal: customer list pages (customers.list) and openings (customer.view), until stopped. */
function work(api: () => APIRequestContext) {
  let running = true;
  let requests = 0;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const res = await api()
        .get(`/api/customers?take=5&skip=${(i % 20) * 5}`)
        .catch(() => null);
      if (res?.ok()) {
        requests++;
        const body = (await res.json().catch(() => null)) as { id: string }[] | null;
        const id = Array.isArray(body) ? body[0]?.id : undefined;
        if (id)
          await api()
            .get(`/api/customers/${id}`)
            .then(
              () => requests++,
              () => {},
            );
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return requests;
    },
  };
}

test.describe("streaming the audit log to a SIEM through an outage and a restart", () => {
  test.describe.configure({ timeout: 300_000 });

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "portal-siem-"));
    const tls = makeCertificate(join(dir, "tls"));
    rsyslog = rsyslogReceiver(join(dir, "rsyslog"), SYSLOG_PORT, tls);
    await rsyslog.start();
    const secret = randomBytes(24).toString("hex");
    webhook = await webhookReceiver(WEBHOOK_PORT, tls, secret);
    env = {
      PORT: String(PORTAL_PORT),
      SANDBOX_PORT,
      PORTAL_SPAWN_SANDBOX: "0",
      PORTAL_DATA_DIR: join(dir, "data"),
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: PORTAL_URL,
      DEVDRAFT_CACHE_TTL_MS: "0",
      LOG_LEVEL: "warn",
      SIEM_SYSLOG_URL: `tls://127.0.0.1:${SYSLOG_PORT}`,
      SIEM_SYSLOG_CA: tls.cert,
      SIEM_WEBHOOK_URL: `https://127.0.0.1:${WEBHOOK_PORT}/siem`,
      SIEM_WEBHOOK_SECRET: secret,
      SIEM_WEBHOOK_CA: tls.cert,
      SIEM_RETRY_MAX_MS: "2000",
      SIEM_POLL_MS: "200",
      SIEM_BATCH_SIZE: "50",
    };
  });

  test.afterAll(async () => {
    await Promise.all(procs.map(stop));
    await rsyslog?.stop().catch(() => {});
    await webhook?.close().catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("every event arrives, with no gaps by id, duplicates only around the outage", async () => {
    let portal = await startPortal();
    addStaffWithCli({ PORTAL_DATA_DIR: env.PORTAL_DATA_DIR }, { email: AGENT, role: "agent", password: PASSWORD });
    let api = await apiAt(PORTAL_URL, AGENT, PASSWORD);
    const staff = work(() => api);

    await expect.poll(async () => rsyslog.messages().length, { timeout: 60_000 }).toBeGreaterThan(10);
    await expect.poll(async () => webhook.unique.size, { timeout: 30_000 }).toBeGreaterThan(10);

    // The outage: rsyslogd is killed, the webhook refuses.
    await rsyslog.kill();
    webhook.refusing = true;
    await new Promise((r) => setTimeout(r, 300));
    const store = new Database(join(env.PORTAL_DATA_DIR ?? "", "portal.sqlite"), { readonly: true });
    const cursorAt = () => (store.prepare("select delivered_seq from siem_cursors where sink = 'syslog'").get() as { delivered_seq: number }).delivered_seq;
    const cursorAtKill = cursorAt();
    await expect
      .poll(async () => (await health()).siem.find((s) => s.sink === "syslog"), { timeout: 30_000 })
      .toMatchObject({ backlog: expect.any(Number), attempts: expect.any(Number), lastError: expect.stringMatching(/syslog/) });
    await new Promise((r) => setTimeout(r, 4000));
    const during = (await health()).siem;
    for (const s of during) {
      expect(s.backlog, s.sink).toBeGreaterThan(5);
      expect(s.lagSeconds, s.sink).toBeGreaterThanOrEqual(3);
      expect(s.lastError, s.sink).not.toBeNull();
    }
    expect(JSON.stringify(during)).not.toContain(env.SIEM_WEBHOOK_SECRET);

    // The portal restarts once, mid-outage; staff sign in again and carry on.
    await stop(portal);
    portal = await startPortal();
    await api.dispose();
    api = await apiAt(PORTAL_URL, AGENT, PASSWORD);
    await new Promise((r) => setTimeout(r, 4000));

    const headAtReturn = (store.prepare("select seq from audit_chain_head where id = 1").get() as { seq: number }).seq;
    await rsyslog.start();
    webhook.refusing = false;
    await new Promise((r) => setTimeout(r, 2000));
    await staff.stop();

    await expect
      .poll(async () => (await health()).siem.map((s) => [s.sink, s.backlog, s.attempts]), { timeout: 90_000 })
      .toEqual([
        ["syslog", 0, 0],
        ["webhook", 0, 0],
      ]);
    const rows = store.prepare("select seq, id, action from audit_events order by seq").all() as { seq: number; id: string; action: string }[];
    store.close();
    await expect.poll(() => new Set(rsyslog.messages().map((m) => m.id)).size, { timeout: 30_000 }).toBe(rows.length);

    const actions = new Set(rows.map((r) => r.action));
    for (const a of ["portal.start", "staff.add", "auth.signin", "customers.list", "customer.view"]) expect(actions, a).toContain(a);
    expect(rows.length).toBeGreaterThan(50);

    const syslog = rsyslog.messages();
    const counts = new Map<string, number>();
    for (const m of syslog) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
    expect(rows.filter((r) => !counts.has(r.id)).map((r) => r.seq)).toEqual([]);
    const seqs = [...new Set(syslog.map((m) => m.seq))].sort((a, b) => a - b);
    expect(seqs).toEqual(rows.map((r) => r.seq));
    for (const [id, n] of counts) {
      if (n === 1) continue;
      const seq = rows.find((r) => r.id === id)?.seq ?? -1;
      expect(seq).toBeGreaterThan(cursorAtKill);
      expect(seq).toBeLessThanOrEqual(headAtReturn);
    }
    // Each message: MSGID = action, the event id in STRUCTURED-DATA and as metadata.uid of the OCSF body.
    for (const m of syslog) {
      const row = rows.find((r) => r.id === m.id);
      expect(m.msgid).toBe(row?.action);
      expect((m.ocsf.metadata as { uid: string }).uid).toBe(m.id);
    }
    const signin = syslog.find((m) => m.msgid === "auth.signin")?.ocsf;
    expect(signin).toMatchObject({ class_uid: 3002, type_uid: 300201, actor: { user: { email_addr: AGENT } } });
    expect(syslog.find((m) => m.msgid === "customers.list")?.ocsf).toMatchObject({ class_uid: 6003, type_uid: 600302 });
    expect(syslog.find((m) => m.msgid === "staff.add")?.ocsf).toMatchObject({ class_uid: 3001, type_uid: 300101 });

    expect(rows.filter((r) => !webhook.unique.has(r.id)).map((r) => r.seq)).toEqual([]);
    expect(webhook.unique.size).toBe(rows.length);
    expect(webhook.badSignatures).toBe(0);
    await api.dispose();
  });
});
