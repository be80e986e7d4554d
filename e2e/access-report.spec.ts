import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { z } from "zod";
import { apiAs } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";
import { displayName, resetSandbox, sandboxCustomers, setFaults, type SandboxCustomer } from "./helpers/sandbox";
import { expectNoAxeViolations } from "./helpers/axe";

const AGENT = "agent@demo.local";
const AUDITOR = "auditor@demo.local";
const DAY_MS = 86_400_000;
// From yesterday: an access just before midnight UTC is still in the period when the report runs just after.
const FROM = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
const TO = new Date().toISOString().slice(0, 10);

const auditPage = z.object({
  events: z.array(z.object({ action: z.string(), outcome: z.string(), targets: z.array(z.string()), query: z.unknown(), request_id: z.string() })),
});

async function runReport(page: Page, customer: string) {
  await page.goto("/audit/access-report");
  await page.getByRole("textbox", { name: "Customer id or email" }).fill(customer);
  await page.getByLabel("From (UTC day)").fill(FROM);
  await page.getByLabel("To (UTC day, inclusive)").fill(TO);
  await page.getByRole("button", { name: "Run report" }).click();
  await expect(page.getByRole("heading", { name: /^Accesses to customer/ })).toBeVisible();
}

/** The report's rows (after the header) as their cells' text. */
async function reportRows(page: Page): Promise<string[][]> {
  const rows = await page.getByRole("region", { name: "Accesses" }).getByRole("row").all();
  return Promise.all(rows.slice(1).map((row) => row.getByRole("cell").allInnerTexts()));
}

/** The newest events of the auditor's own with this action, through the audit API. */
async function auditorsEvents(action: string) {
  const auditor = await apiAs(AUDITOR);
  try {
    const res = await auditor.get(`/api/audit?actor=${AUDITOR}&action=${action}&limit=10`);
    expect(res.status()).toBe(200);
    return auditPage.parse(await res.json()).events;
  } finally {
    await auditor.dispose();
  }
}

test.describe("access report", () => {
  let subject: SandboxCustomer;

  test.beforeAll(async ({ browser }) => {
    // A customer whose email no other customer's address contains, so the email lookup has one answer.
    for (const c of await sandboxCustomers({ take: 20, skip: 40 })) {
      // Not a sensitive status: this spec opens the customer's page without a reason (e2e/reasons.spec.ts asks for one).
      if (c.status !== "BLACKLISTED" && c.email && (await sandboxCustomers({ email: c.email, take: 100 })).length === 1) {
        subject = c;
        break;
      }
    }
    expect(subject).toBeDefined();
    const page = await browser.newPage();
    await signIn(page, AGENT, `/customers/${subject.id}`);
    await expect(page.getByRole("heading", { level: 1, name: displayName(subject) })).toBeVisible();
    await page.close();
  });
  test.afterEach(async () => {
    await resetSandbox();
  });

  test("by id: the agent's view is listed with its time, action and staff, and the CSV holds it", async ({ page }) => {
    await signIn(page, AUDITOR, "/audit/access-report");
    await runReport(page, subject.id);
    await expect(page.getByText(`${FROM} to ${TO}, both days included`)).toBeVisible();
    await expect(page.getByText(/by Avery Auditor \(auditor@demo\.local\)/)).toBeVisible();
    const view = (await reportRows(page)).find((cells) => cells[1]?.startsWith("Opened a customer"));
    expect(view?.[0]).toMatch(new RegExp(`^(${FROM}|${TO}) \\d\\d:\\d\\d:\\d\\d$`));
    expect(view?.[2]).toBe("Succeeded");
    expect(view?.[4]).toContain("Alex Agent");
    expect(view?.[4]).toContain(AGENT);
    const viewRequest = view?.[7] ?? "";
    expect(viewRequest).not.toBe("");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`access-report-${subject.id}-${FROM}-to-${TO}.csv`);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("time,action,action_label,outcome,purpose,refusal,staff_id,staff_email,client_address,session_id,request_id,event_seq,event_id");
    const line = lines.find((l) => l.includes(viewRequest)) ?? "";
    expect(line).toContain(",customer.view,Opened a customer,ok,");
    expect(line).toContain(`,${AGENT},`);

    // Both the page and the download are on record, with the period and no customer named as a target.
    const reports = (await auditorsEvents("audit.access_report")).filter((e) => e.outcome === "ok");
    const query = { customer: subject.id, from: `${FROM}T00:00:00.000Z`, to: new Date(Date.parse(`${TO}T00:00:00Z`) + DAY_MS).toISOString() };
    expect(reports.slice(0, 2).map((e) => [e.query, e.targets])).toEqual([
      [{ ...query, format: "csv" }, []],
      [query, []],
    ]);
  });

  test("by email: one lookup naming exactly the customer found, then the same report", async ({ page }) => {
    await signIn(page, AUDITOR, "/audit/access-report");
    await runReport(page, (subject.email ?? "").toUpperCase());
    await expect(page.getByText(`${displayName(subject)} · ${subject.email?.toLowerCase()}`)).toBeVisible();
    expect((await reportRows(page)).some((cells) => cells[1]?.startsWith("Opened a customer") && cells[4]?.includes("Alex Agent"))).toBe(true);

    const [lookup] = await auditorsEvents("customer.lookup");
    expect(lookup).toMatchObject({ outcome: "ok", targets: [subject.id], query: { email: subject.email?.toLowerCase() } });
    const [report] = await auditorsEvents("audit.access_report");
    expect(report).toMatchObject({ outcome: "ok", targets: [], request_id: lookup?.request_id, query: { customer: subject.id } });
  });

  test("an unknown email is a calm answer, an outage an error, a bad period a validation message", async ({ page }) => {
    // The outage waits out the portal's retries against Devdraft.
    test.setTimeout(90_000);
    await signIn(page, AUDITOR, "/audit/access-report");
    await page.goto(`/audit/access-report?customer=nobody%40nowhere.invalid&from=${FROM}&to=${TO}`);
    await expect(page.getByRole("status")).toContainText("No customer at Devdraft has the email nobody@nowhere.invalid");
    const [lookup] = await auditorsEvents("customer.lookup");
    expect(lookup).toMatchObject({ outcome: "ok", targets: [] });

    await setFaults({ errorRate: 1 });
    await page.goto(`/audit/access-report?customer=${encodeURIComponent(subject.email ?? "")}&from=${FROM}&to=${TO}`);
    await expect(page.getByRole("alert", { name: "The report could not be made" })).toBeVisible();
    await expect(page.getByText("No customer at Devdraft")).toHaveCount(0);
    await resetSandbox();

    await page.goto(`/audit/access-report?customer=${subject.id}&from=${TO}&to=${FROM}`);
    await expect(page.getByRole("alert", { name: "This report cannot be run:" })).toContainText("The end date is before the start date");
    await expect(page.getByRole("region", { name: "Accesses" })).toHaveCount(0);
    const [refused] = await auditorsEvents("audit.access_report");
    expect(refused).toMatchObject({ outcome: "invalid", targets: [] });
  });

  test("an agent gets the forbidden view, and the refusal is on record", async ({ page }) => {
    await signIn(page, AGENT, `/audit/access-report?customer=${subject.id}&from=${FROM}&to=${TO}`);
    await expect(page.getByRole("heading", { name: "You don't have access to the access report" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Accesses" })).toHaveCount(0);
    const agent = await apiAs(AGENT);
    const csv = await agent.get(`/api/audit/access-report?customer=${subject.id}&from=${FROM}&to=${TO}&format=csv`);
    expect(csv.status()).toBe(403);
    await agent.dispose();

    const auditor = await apiAs(AUDITOR);
    const res = await auditor.get(`/api/audit?actor=${AGENT}&action=audit.access_report&limit=2`);
    const refusals = auditPage.parse(await res.json()).events;
    await auditor.dispose();
    expect(refusals.map((e) => [e.outcome, e.targets, e.request_id])).toEqual([
      ["denied", [], csv.headers()["x-request-id"]],
      ["denied", [], expect.any(String)],
    ]);
    expect(refusals[1]?.query).toMatchObject({ customer: subject.id, from: FROM, to: TO });
  });

  test("the audit log and the customer's audit page lead to the report", async ({ page }) => {
    await signIn(page, AUDITOR, `/audit/customers/${subject.id}`);
    await page.getByRole("link", { name: "Access report for this customer" }).click();
    await expect(page.getByRole("textbox", { name: "Customer id or email" })).toHaveValue(subject.id);
    await page.getByRole("button", { name: "Run report" }).click();
    await expect(page.getByRole("heading", { name: `Accesses to customer ${subject.id}` })).toBeVisible();
    await page.goto("/audit");
    await page.getByRole("link", { name: "Access report", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Access report", level: 1 })).toBeVisible();
  });

  for (const theme of ["light", "dark"] as const) {
    test(`the report has no axe violations and prints without the header or form (${theme} theme)`, async ({ page, baseURL }) => {
      test.setTimeout(120_000);
      await useTheme(page, theme, baseURL ?? "");
      await signIn(page, AUDITOR, "/audit/access-report");
      await expectNoAxeViolations(page);
      await runReport(page, subject.id);
      await expectNoAxeViolations(page);
      await page.setViewportSize({ width: 360, height: 800 });
      await expectNoAxeViolations(page);
      const heading = page.getByRole("heading", { name: /^Accesses to customer/ });
      const screenInk = await heading.evaluate((el) => getComputedStyle(el).color);
      await page.emulateMedia({ media: "print" });
      await expect(page.getByRole("banner")).toBeHidden();
      await expect(page.getByRole("form", { name: "Access report" })).toBeHidden();
      await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
      await expect(page.getByText(/by Avery Auditor/)).toBeVisible();
      // Paper is white: the dark theme's light ink must not reach the printer.
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
      const printInk = await heading.evaluate((el) => getComputedStyle(el).color);
      if (theme === "dark") expect(printInk).not.toBe(screenInk);
      else expect(printInk).toBe(screenInk);
    });
  }
});
