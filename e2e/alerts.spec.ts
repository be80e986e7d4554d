import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import Database from "better-sqlite3";
import { SMTPServer } from "smtp-server";
import { e2e } from "../playwright.config";
import { apiAt } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";
import { launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";
import { expectNoAxeViolations } from "./helpers/axe";

// Bulk-viewing alerts on a portal of its own: a threshold of 5 customers an hour, looked for every second, with
// alert e-mail to a real SMTP server (smtp-server) this spec runs.
const PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100") + 17;
const SMTP_PORT = PORT + 1;
const mails: string[] = [];
let smtp: SMTPServer | null = null;
const URL_ = `http://127.0.0.1:${PORT}`;
const AGENT = "agent@demo.local";
const AUDITOR = "auditor@demo.local";
const procs: Proc[] = [];
let dataDir = "";

test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ baseURL: URL_ });

type EventRow = { action: string; outcome: string; actor_email: string | null; targets: string; detail: string | null; refusal: string | null };

function events(action: string): EventRow[] {
  const db = new Database(join(dataDir, "portal.sqlite"), { readonly: true });
  try {
    return db
      .prepare("select action, outcome, actor_email, targets, detail, refusal from audit_events where action = ? order by seq")
      .all(action) as EventRow[];
  } finally {
    db.close();
  }
}

function alertId(): string {
  const db = new Database(join(dataDir, "portal.sqlite"), { readonly: true });
  try {
    return (db.prepare("select id from audit_alerts").get() as { id: string } | undefined)?.id ?? "";
  } finally {
    db.close();
  }
}

const alertItem = (page: Page) => page.getByRole("listitem", { name: new RegExp(`^Alert: ${AGENT}`) });

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portal-alerts-"));
  smtp = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push(
          Buffer.concat(chunks)
            .toString("utf8")
            .replace(/\r?\n[ \t]+/g, " "),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp?.once("error", reject);
    smtp?.listen(SMTP_PORT, "127.0.0.1", () => resolve());
  });
  // The suite's own portal has built .next before any spec runs: this one only starts it.
  const portal = launchPortal(
    procs,
    "alerts portal",
    { port: String(PORT), sandboxPort: new URL(e2e.sandboxUrl).port, dataDir, url: URL_ },
    {
      DEVDRAFT_RATE_LIMIT_PER_MIN: "600",
      AUDIT_ALERT_CUSTOMERS_PER_HOUR: "5",
      AUDIT_ALERT_CHECK_INTERVAL_MS: "1000",
      ALERT_SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      ALERT_EMAIL_FROM: "portal@demo.local",
      ALERT_EMAIL_TO: "soc@demo.local",
      LOG_LEVEL: "warn",
    },
  );
  await waitHealthy(portal, `${URL_}/api/health`, 90_000);
});

test.afterAll(async () => {
  await Promise.all(procs.map(stop));
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  rmSync(dataDir, { recursive: true, force: true });
});

test("an agent who sees more customers than the threshold raises one alert, on record and e-mailed once, without the customers", async () => {
  const agent = await apiAt(URL_, AGENT);
  const list = await agent.get("/api/customers?take=10");
  expect(list.status()).toBe(200);
  const seen = ((await list.json()) as { id: string }[]).map((c) => c.id);
  expect(seen.length).toBeGreaterThan(5);
  await agent.dispose();

  await expect.poll(() => events("alert.bulk_viewing").length, { timeout: 20_000 }).toBe(1);
  // More passes of the detector raise nothing more.
  await new Promise((r) => setTimeout(r, 2_500));
  const [raised, ...more] = events("alert.bulk_viewing");
  expect(more).toEqual([]);
  expect(raised).toMatchObject({ outcome: "ok", actor_email: null, targets: "[]" });
  const detail = JSON.parse(raised?.detail ?? "{}") as Record<string, unknown>;
  expect(detail).toMatchObject({ alert_id: alertId(), kind: "bulk_viewing", subject_email: AGENT, customers: seen.length, threshold: 5, email: "queued" });
  for (const id of seen) expect(raised?.detail).not.toContain(id);

  await expect.poll(() => mails.length, { timeout: 20_000 }).toBe(1);
  await new Promise((r) => setTimeout(r, 2_500));
  expect(mails).toHaveLength(1);
  expect(mails[0]).toContain(`Subject: [Devdraft portal] Bulk viewing: ${AGENT} saw ${seen.length} customers in one hour`);
  expect(mails[0]).toContain(`${URL_}/audit`);
  for (const id of seen) expect(mails[0]).not.toContain(id);
});

test("an agent cannot acknowledge it: 403, recorded", async () => {
  const agent = await apiAt(URL_, AGENT);
  const res = await agent.post(`/api/audit/alerts/${alertId()}/acknowledge`, { data: { note: "nothing to see" } });
  expect(res.status()).toBe(403);
  await agent.dispose();
  expect(events("alert.acknowledge")).toEqual([expect.objectContaining({ outcome: "denied", actor_email: AGENT, refusal: "role not allowed" })]);
});

for (const theme of ["light", "dark"] as const) {
  test(`the open alert is listed on /audit with no axe violations (${theme} theme)`, async ({ page }) => {
    await useTheme(page, theme, URL_);
    await signIn(page, AUDITOR, "/audit");
    await expect(page.getByRole("heading", { name: "Alerts (1 open)" })).toBeVisible();
    await expect(alertItem(page)).toContainText("distinct customers");
    await expect(alertItem(page)).toContainText("e-mailed");
    await expect(alertItem(page).getByRole("button", { name: "Acknowledge" })).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test("the auditor acknowledges it with a note; a second acknowledgement is a 409, recorded refused; the log shows both events", async ({ page }) => {
  await signIn(page, AUDITOR, "/audit");
  const item = alertItem(page);
  await item.getByLabel("Note (optional)").fill("Checked with the team lead: month-end review");
  await item.getByRole("button", { name: "Acknowledge" }).click();
  await expect(item).toContainText(`Acknowledged by ${AUDITOR}`);
  await expect(item).toContainText("Checked with the team lead: month-end review");
  await expect(item.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Alerts", exact: true })).toBeVisible();
  await expectNoAxeViolations(page);

  const auditor = await apiAt(URL_, AUDITOR);
  const again = await auditor.post(`/api/audit/alerts/${alertId()}/acknowledge`, { data: {} });
  expect(again.status()).toBe(409);
  expect(((await again.json()) as { message: string }).message).toContain(`already acknowledged by ${AUDITOR}`);
  expect((await auditor.post("/api/audit/alerts/no-such-alert/acknowledge", { data: {} })).status()).toBe(404);
  await auditor.dispose();

  const acks = events("alert.acknowledge");
  expect(acks.map((e) => [e.actor_email, e.outcome])).toEqual([
    [AGENT, "denied"],
    [AUDITOR, "ok"],
    [AUDITOR, "denied"],
    [AUDITOR, "not_found"],
  ]);
  expect(JSON.parse(acks[1]?.detail ?? "{}")).toMatchObject({
    alert_id: alertId(),
    subject_email: AGENT,
    note: "Checked with the team lead: month-end review",
  });
  expect(acks[2]?.refusal).toContain("already acknowledged");

  // The audit page shows both events, with their registry labels.
  for (const [action, label] of [
    ["alert.bulk_viewing", "Alert: bulk viewing"],
    ["alert.acknowledge", "Acknowledged an alert"],
  ] as const) {
    await page.goto(`/audit?action=${action}`);
    const table = page.getByRole("region", { name: "Audit events" });
    await expect(table.getByRole("row").nth(1)).toContainText(label);
    await expect(table).toContainText(action);
  }
});
