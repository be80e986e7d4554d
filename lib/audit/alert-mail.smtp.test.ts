// Integration: alert e-mail through nodemailer to a real SMTP server (smtp-server from npm) on a free port.
import { createServer, type Socket } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import type { AlertMailSettings } from "../env";
import { raiseBulkViewingAlerts } from "./alert";
import { startAlertDetector } from "./alert-detector";
import { deliverDueAlertMail, smtpSender } from "./alert-mail";
import { createAuditRecorder } from "./recorder";

type Received = { from: string; to: string[]; user: string | undefined; body: string };

/** A real SMTP server: AUTH PLAIN/LOGIN with one account, every accepted message kept. */
async function startSmtp(port = 0): Promise<{ server: SMTPServer; port: number; messages: Received[] }> {
  const messages: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "alerts" && auth.password === "s3cret-pw") callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : undefined,
          // Header lines unfolded (RFC 5322 folds long ones).
          body: Buffer.concat(chunks)
            .toString("utf8")
            .replace(/\r?\n[ \t]+/g, " "),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  return { server, port: typeof address === "object" && address ? address.port : port, messages };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  const address = probe.address();
  await new Promise<void>((r) => probe.close(() => r()));
  return typeof address === "object" && address ? address.port : 0;
}

const close = (server: SMTPServer) => new Promise<void>((r) => server.close(() => r()));
const settingsFor = (port: number): AlertMailSettings => ({
  smtpUrl: `smtp://alerts:s3cret-pw@127.0.0.1:${port}`,
  from: "portal@demo.local",
  to: ["soc@demo.local", "dpo@demo.local"],
});
const bulk = { id: "staff-bulk", email: "bulk@demo.local" };
const CUSTOMERS = ["cus_alpha", "cus_bravo", "cus_charlie", "cus_delta"];

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`alert e-mail over real SMTP on ${kind}`, () => {
    let store: TestStore;
    const servers: SMTPServer[] = [];
    beforeEach(async () => {
      store = await openTestStore(kind);
      // Now, so the detector's own clock sees it in the current hour.
      await createAuditRecorder(store.db).record({
        actor: bulk,
        action: "customers.list",
        targets: CUSTOMERS,
        query: {},
        requestId: crypto.randomUUID(),
        outcome: "ok",
      });
    });
    afterEach(async () => {
      await Promise.all(servers.splice(0).map(close));
      await store.cleanup();
    });

    it("the detector raises the alert and the mail arrives once, naming the staff member and count, no customer", async () => {
      const smtp = await startSmtp();
      servers.push(smtp.server);
      const errors: unknown[] = [];
      const detector = startAlertDetector({
        db: async () => store.db,
        threshold: 3,
        intervalMs: 200,
        mail: settingsFor(smtp.port),
        portalUrl: "http://portal.test:3000",
        onError: (e) => errors.push(e),
      });
      try {
        for (let i = 0; i < 100 && smtp.messages.length === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
        // More passes: nothing is raised or sent again.
        await detector.runNow();
        await detector.runNow();
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await detector.stop();
      }
      expect(errors).toEqual([]);
      expect(smtp.messages).toHaveLength(1);
      const [mail] = smtp.messages;
      expect(mail).toMatchObject({ from: "portal@demo.local", to: ["soc@demo.local", "dpo@demo.local"], user: "alerts" });
      expect(mail?.body).toContain("Subject: [Devdraft portal] Bulk viewing: bulk@demo.local saw 4 customers in one hour");
      expect(mail?.body).toContain("http://portal.test:3000/audit");
      for (const c of CUSTOMERS) expect(mail?.body).not.toContain(c);
      const rows = await store.db.selectFrom("audit_alerts").selectAll().execute();
      expect(rows.map((r) => [r.email_status, r.email_attempts])).toEqual([["sent", 1]]);
      expect(await store.db.selectFrom("audit_events").select("seq").where("action", "=", "alert.bulk_viewing").execute()).toHaveLength(1);
    });

    it("an SMTP server that hangs does not hold detection back; its mail stays unsent", async () => {
      // Accepts connections and never greets, as a black-holed mail relay would.
      const held: Socket[] = [];
      const silent = createServer((socket) => held.push(socket));
      await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
      const address = silent.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const detector = startAlertDetector({ db: async () => store.db, threshold: 3, intervalMs: 200, mail: settingsFor(port), portalUrl: null });
      try {
        await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);
        // Meanwhile another staff member goes over the threshold: raised within a few passes, mail still hanging.
        await createAuditRecorder(store.db).record({
          actor: { id: "staff-two", email: "two@demo.local" },
          action: "customers.list",
          targets: CUSTOMERS,
          query: {},
          requestId: crypto.randomUUID(),
          outcome: "ok",
        });
        await expect.poll(async () => (await store.db.selectFrom("audit_alerts").select("id").execute()).length, { timeout: 5_000 }).toBe(2);
        const states = await store.db.selectFrom("audit_alerts").select(["subject_email", "email_status"]).orderBy("subject_email").execute();
        expect(states).toEqual([
          { subject_email: "bulk@demo.local", email_status: "sending" },
          { subject_email: "two@demo.local", email_status: "pending" },
        ]);
      } finally {
        for (const socket of held) socket.destroy();
        await detector.stop();
        await new Promise<void>((r) => silent.close(() => r()));
      }
      expect((await store.db.selectFrom("audit_alerts").select("email_status").execute()).map((r) => r.email_status)).not.toContain("sent");
    });

    it("with the SMTP server down first, the mail arrives once after it comes up", async () => {
      const port = await freePort();
      const settings = settingsFor(port);
      await raiseBulkViewingAlerts(store.db, { threshold: 3, since: new Date(Date.now() - 3_600_000), email: true });
      const first = smtpSender(settings);
      try {
        expect((await deliverDueAlertMail(store.db, { send: first.send, portalUrl: null, smtpUrl: settings.smtpUrl })).failed).toHaveLength(1);
      } finally {
        first.close();
      }
      const failed = await store.db.selectFrom("audit_alerts").selectAll().executeTakeFirstOrThrow();
      expect(failed).toMatchObject({ email_status: "pending", email_attempts: 1 });
      expect(failed.email_last_error).toMatch(/ECONNREFUSED/);
      expect(failed.email_last_error).not.toContain("s3cret-pw");

      const smtp = await startSmtp(port);
      servers.push(smtp.server);
      // A restarted instance (a new connection and a new sender) after the backoff.
      const later = () => new Date(Date.now() + 31_000);
      const second = smtpSender(settings);
      try {
        const db = kind === "postgres" ? store.reopen() : store.db;
        expect((await deliverDueAlertMail(db, { send: second.send, portalUrl: null, now: later })).sent).toHaveLength(1);
        expect((await deliverDueAlertMail(db, { send: second.send, portalUrl: null, now: later })).sent).toHaveLength(0);
      } finally {
        second.close();
      }
      expect(smtp.messages).toHaveLength(1);
      expect(await store.db.selectFrom("audit_alerts").select(["email_status", "email_attempts", "email_last_error"]).executeTakeFirstOrThrow()).toEqual({
        email_status: "sent",
        email_attempts: 2,
        email_last_error: null,
      });
    });
  });
}
