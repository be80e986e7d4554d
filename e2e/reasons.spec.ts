// Issue 14, point 5: reasons for access (Reveal, a sensitive customer, export) and time-boxed export grants.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiAs, auditByRequestId, expireGrantInStore } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";
import { giveReason, PURPOSE, REASON } from "./helpers/reasons";
import { displayName, resetSandbox, sandboxCustomers } from "./helpers/sandbox";
import { expectNoAxeViolations } from "./helpers/axe";

let agent: APIRequestContext;
let admin: APIRequestContext;

test.beforeAll(async () => {
  [agent, admin] = await Promise.all([apiAs("agent@demo.local"), apiAs("admin@demo.local")]);
});
test.afterEach(async () => {
  await resetSandbox();
});
// No grant outlives this file: the other specs expect an agent without export rights.
test.afterAll(async () => {
  const { grants } = (await (await admin.get("/api/grants")).json()) as { grants: { id: string; state: string }[] };
  for (const g of grants.filter((x) => x.state === "live")) await admin.delete(`/api/grants/${g.id}`);
});

async function blacklisted() {
  const [c] = await sandboxCustomers({ status: "BLACKLISTED", take: 1, skip: 2 });
  if (!c) throw new Error("the sandbox has no BLACKLISTED customer");
  return c;
}

test.describe("Reveal", () => {
  test("asks for a reason first (keyboard, focus kept and returned), then shows the contact; the audit row carries the reason", async ({ page }) => {
    test.setTimeout(60_000);
    const [c] = await sandboxCustomers({ take: 1, skip: 1 });
    await signIn(page, "agent@demo.local", "/customers");
    await page.goto("/customers");
    const button = page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` });
    await button.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: `Reveal contact for ${displayName(c!)}` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Reason for access")).toBeFocused();
    // Escape closes it, nothing is asked of the server, and focus is back on the button.
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(button).toBeFocused();
    await button.click();
    // Submitting without a reason says what is missing, inside the dialog.
    await dialog.getByRole("button", { name: "Reveal contact" }).click();
    await expect(dialog.getByRole("alert")).toContainText("A reason for access is required");
    const row = page
      .getByRole("region", { name: "Customers table" })
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: displayName(c!) }) });
    await expect(row).not.toContainText(c!.email!);
    const answered = page.waitForResponse((res) => res.url().endsWith("/contact"));
    await giveReason(page, "Reveal contact");
    const requestId = (await answered).headers()["x-request-id"] ?? "";
    await expect(row).toContainText(c!.email!);
    await expect(page.getByRole("dialog")).toHaveCount(0);
    expect(auditByRequestId(requestId)).toMatchObject([{ action: "customer.reveal", outcome: "ok", purpose: PURPOSE, targets: [c!.id] }]);

    // The audit table shows it to an auditor (the customer's audit page, as the server renders it).
    const auditor = await apiAs("auditor@demo.local");
    const auditPage = await auditor.get(`/audit/customers/${c!.id}?action=customer.reveal`);
    expect(auditPage.status()).toBe(200);
    // React separates adjacent text in its HTML with <!-- -->.
    expect((await auditPage.text()).replaceAll("<!-- -->", "")).toContain(`Purpose: ${PURPOSE}`);
  });

  test("without a reason, or with a forged one, the API refuses and records no customer", async () => {
    const [c] = await sandboxCustomers({ take: 1, skip: 1 });
    const none = await agent.post(`/api/customers/${c!.id}/contact`);
    expect(none.status()).toBe(403);
    const body = await none.text();
    expect(JSON.parse(body)).toMatchObject({ code: "reason_required", reasons: expect.arrayContaining([REASON.reason]) as unknown });
    expect(body).not.toContain(c!.email!);
    expect(auditByRequestId(none.headers()["x-request-id"] ?? "")).toMatchObject([
      { action: "customer.reveal", outcome: "denied", targets: [], purpose: null, refusal: "no reason for access given" },
    ]);
    for (const forged of [
      { reason: "Just curious", ticket: "INC-1" },
      { reason: REASON.reason, ticket: "<script>alert(1)</script>" },
      { reason: REASON.reason },
    ]) {
      const res = await agent.post(`/api/customers/${c!.id}/contact`, { data: forged });
      expect(res.status()).toBe(400);
      expect(await res.text()).not.toContain(c!.email!);
      expect(auditByRequestId(res.headers()["x-request-id"] ?? "")).toMatchObject([
        { action: "customer.reveal", outcome: "invalid", targets: [], purpose: null },
      ]);
    }
  });
});

test.describe("a customer whose status is sensitive", () => {
  test("the page asks for a reason and shows nothing of the customer before it", async ({ page }) => {
    test.setTimeout(60_000);
    const c = await blacklisted();
    await signIn(page, "agent@demo.local", `/customers/${c.id}`);
    await page.goto(`/customers/${c.id}`);
    await expect(page.getByRole("heading", { name: "Reason for access needed" })).toBeVisible();
    const html = await page.content();
    for (const value of [c.email, c.phone_number, c.last_name]) if (value) expect(html).not.toContain(value);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Customer");
    // A forged reason in the address is refused with the problem named, still without data.
    await page.goto(`/customers/${c.id}?reason=Because&ticket=INC-1`);
    await expect(page.getByRole("alert").filter({ hasText: "The reason was not accepted" })).toContainText("reason: must be one of");
    expect(await page.content()).not.toContain(c.email ?? "@@");
    await page.getByLabel("Reason for access", { exact: true }).selectOption(REASON.reason);
    await page.getByLabel("Ticket reference", { exact: true }).fill(REASON.ticket);
    await page.getByRole("button", { name: "Open customer" }).click();
    await expect(page.getByRole("heading", { level: 1, name: displayName(c) })).toBeVisible();
    await expect(page.getByText(`Opened for: ${PURPOSE}`)).toBeVisible();
    // Contact details stay masked on the page until a Reveal of their own.
    if (c.email) expect(await page.content()).not.toContain(c.email);
    await expect(page.getByRole("button", { name: `Reveal contact for ${displayName(c)}` })).toBeVisible();
  });

  test("the API answers reason_required with no customer data, and the data with a reason", async () => {
    const c = await blacklisted();
    const refused = await agent.get(`/api/customers/${c.id}`);
    expect(refused.status()).toBe(403);
    const text = await refused.text();
    for (const value of [c.email, c.phone_number, c.last_name, c.first_name]) if (value) expect(text).not.toContain(value);
    expect(auditByRequestId(refused.headers()["x-request-id"] ?? "")).toMatchObject([{ action: "customer.view", outcome: "denied", targets: [] }]);
    const ok = await agent.get(`/api/customers/${c.id}?${new URLSearchParams(REASON)}`);
    expect(ok.status()).toBe(200);
    expect(((await ok.json()) as { id: string }).id).toBe(c.id);
    expect(auditByRequestId(ok.headers()["x-request-id"] ?? "")).toMatchObject([{ action: "customer.view", outcome: "ok", targets: [c.id], purpose: PURPOSE }]);
  });
});

test.describe("time-boxed export grants", () => {
  test("an agent without a grant cannot export; with one can (the use records the grant); after revoke cannot", async ({ page, browser }) => {
    test.setTimeout(90_000);
    const start = (ctx: APIRequestContext) => ctx.post("/api/exports", { data: { status: "BLACKLISTED", ...REASON } });
    const before = await start(agent);
    expect(before.status()).toBe(403);
    expect(auditByRequestId(before.headers()["x-request-id"] ?? "")).toMatchObject([
      { action: "export.start", outcome: "denied", refusal: "no live export grant" },
    ]);

    // The admin grants it on the grants page.
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, "admin@demo.local", "/admin/grants");
    await adminPage.goto("/admin/grants");
    await adminPage.getByLabel("Agent").selectOption({ label: "Alex Agent (agent@demo.local)" });
    await adminPage.getByLabel("Hours").fill("2");
    await adminPage.getByLabel("Reason for access", { exact: true }).selectOption("Compliance review");
    await adminPage.getByLabel("Ticket reference", { exact: true }).fill("AUD-7");
    const granted = adminPage.waitForResponse((res) => res.url().endsWith("/api/grants") && res.request().method() === "POST");
    await adminPage.getByRole("button", { name: "Grant export" }).click();
    const grantResponse = await granted;
    expect(grantResponse.status()).toBe(201);
    const grant = (await grantResponse.json()) as { id: string; expiresAt: string };
    expect(auditByRequestId(grantResponse.headers()["x-request-id"] ?? "")).toMatchObject([
      {
        action: "grant.create",
        outcome: "ok",
        purpose: "Compliance review · ticket AUD-7",
        detail: { grantId: grant.id, hours: 2, expiresAt: grant.expiresAt },
      },
    ]);
    const live = adminPage.getByRole("region", { name: "Live grants table" });
    await expect(live.getByRole("row").filter({ hasText: "agent@demo.local" })).toContainText("Compliance review · ticket AUD-7");

    // The agent now sees the export control, is asked for a reason, and the export carries the grant.
    await signIn(page, "agent@demo.local", "/customers?status=BLACKLISTED");
    await page.goto("/customers?status=BLACKLISTED");
    const section = page.getByRole("region", { name: "Export" });
    await section.getByRole("button", { name: "Export CSV" }).click();
    const started = page.waitForResponse((res) => res.url().endsWith("/api/exports") && res.request().method() === "POST");
    await giveReason(page, "Start export");
    const startResponse = await started;
    expect(startResponse.status()).toBe(202);
    await expect(section.getByRole("link", { name: "Download CSV" })).toBeVisible({ timeout: 60_000 });
    const events = auditByRequestId(startResponse.headers()["x-request-id"] ?? "");
    expect(events.find((e) => e.action === "export.start")).toMatchObject({ outcome: "ok", purpose: PURPOSE, detail: { grantId: grant.id } });
    expect(events.find((e) => e.action === "customers.export")).toMatchObject({ outcome: "ok", purpose: PURPOSE, detail: { grantId: grant.id } });

    // Revoked: the next start is refused at once.
    await adminPage.reload();
    await adminPage.getByRole("button", { name: "Revoke export grant for agent@demo.local" }).click();
    await expect(adminPage.getByRole("region", { name: "Past grants table" }).getByRole("row").filter({ hasText: "agent@demo.local" }).first()).toContainText(
      "Revoked",
    );
    const after = await start(agent);
    expect(after.status()).toBe(403);
    await adminContext.close();
  });

  test("an expired grant gives nothing, and a grant's hours and holder are checked", async () => {
    const { grants } = (await (await admin.get("/api/grants")).json()) as { grants: { staffId: string; staffEmail: string }[] };
    const staffId = grants.find((g) => g.staffEmail === "agent@demo.local")?.staffId ?? "";
    expect(staffId).not.toBe("");
    for (const bad of [{ hours: 0 }, { hours: 73 }, { hours: 2.5 }]) {
      const res = await admin.post("/api/grants", { data: { staffId, ...bad, ...REASON } });
      expect(res.status()).toBe(400);
    }
    expect((await admin.post("/api/grants", { data: { staffId, hours: 1 } })).status()).toBe(403);
    expect((await agent.post("/api/grants", { data: { staffId, hours: 1, ...REASON } })).status()).toBe(403);
    const created = await admin.post("/api/grants", { data: { staffId, hours: 1, ...REASON } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await agent.get("/api/exports").then((r) => r.json())) as unknown).toMatchObject({ allowed: true });
    expireGrantInStore(id);
    expect((await agent.get("/api/exports").then((r) => r.json())) as unknown).toMatchObject({ allowed: false });
    const refused = await agent.post("/api/exports", { data: { status: "BLACKLISTED", ...REASON } });
    expect(refused.status()).toBe(403);
    expect((await admin.delete(`/api/grants/${id}`)).status()).toBe(400);
  });
});

test.describe("the reason form passes axe", () => {
  // axe walks the whole page: on a loaded machine that alone can take tens of seconds.
  test.describe.configure({ timeout: 90_000 });
  for (const theme of ["light", "dark"] as const) {
    test(`the Reveal dialog and the sensitive customer's form (${theme})`, async ({ page, baseURL }) => {
      await useTheme(page, theme, baseURL ?? "");
      await signIn(page, "agent@demo.local", "/customers");
      const [c] = await sandboxCustomers({ take: 1, skip: 1 });
      await page.goto("/customers");
      await page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` }).click();
      const dialog = page.getByRole("dialog");
      await expect(dialog).toBeVisible();
      await dialog.getByRole("button", { name: "Reveal contact" }).click();
      await expect(dialog.getByRole("alert")).not.toBeEmpty();
      await expectNoAxeViolations(page);
      const s = await blacklisted();
      await page.goto(`/customers/${s.id}?reason=x&ticket=INC-1`);
      await expect(page.getByRole("heading", { name: "Reason for access needed" })).toBeVisible();
      await expectNoAxeViolations(page);
    });
  }

  test("at 360 px the dialog fits and passes axe", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(page, "agent@demo.local", "/customers");
    const [c] = await sandboxCustomers({ take: 1, skip: 1 });
    await page.goto("/customers");
    await page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    await expectNoAxeViolations(page);
  });

  test("the grants page passes axe", async ({ page }) => {
    await signIn(page, "admin@demo.local", "/admin/grants");
    await page.goto("/admin/grants");
    await expect(page.getByRole("heading", { name: "Export grants" })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
