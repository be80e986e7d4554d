import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiAs } from "./helpers/api";
import { expectNoAxeViolations } from "./helpers/axe";

const AGENT = "agent@demo.local";

async function signIn(page: Page, email: string, callbackUrl: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(callbackUrl.replace(/[?]/g, "\\?")));
}

/** The audit table's rows as [action, request id, customer ids], newest first. */
async function tableRows(page: Page): Promise<{ action: string; requestId: string; customers: string }[]> {
  const rows = page.getByRole("region", { name: "Audit events" }).getByRole("row");
  await expect(rows.nth(1)).toBeVisible();
  const all = await rows.all();
  const out: { action: string; requestId: string; customers: string }[] = [];
  for (const row of all.slice(1)) {
    const cells = await row.getByRole("cell").allInnerTexts();
    // The action cell shows the registry's label above the action's name.
    out.push({ action: (cells[2] ?? "").split("\n").at(-1)?.trim() ?? "", customers: cells[3] ?? "", requestId: cells[7] ?? "" });
  }
  return out;
}

test.describe("audit log", () => {
  let agent: APIRequestContext;
  let listed: string[];
  let viewed: string;
  let listRequest: string;
  let viewRequest: string;
  let agentId: string;

  test.beforeAll(async () => {
    agent = await apiAs(AGENT);
    const list = await agent.get("/api/customers?take=3");
    expect(list.status()).toBe(200);
    listed = ((await list.json()) as { id: string }[]).map((c) => c.id);
    listRequest = list.headers()["x-request-id"] ?? "";
    viewed = listed[0] ?? "";
    const view = await agent.get(`/api/customers/${viewed}`);
    expect(view.status()).toBe(200);
    viewRequest = view.headers()["x-request-id"] ?? "";
    const auditor = await apiAs("auditor@demo.local");
    const mine = (await (await auditor.get(`/api/audit?actor=${AGENT}&limit=1`)).json()) as { events: { actor_id: string }[] };
    agentId = mine.events[0]?.actor_id ?? "";
    await auditor.dispose();
  });
  test.afterAll(async () => {
    await agent.dispose();
  });

  test("an auditor finds exactly the agent's views by staff member and by customer", async ({ page }) => {
    await signIn(page, "auditor@demo.local", "/audit");
    await page.getByLabel("Staff member").fill(AGENT);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/actor=agent%40demo\.local/);
    const byStaff = await tableRows(page);
    // The agent's two reads are the newest events of that staff member, newest first.
    expect(byStaff.slice(0, 2).map((r) => [r.action, r.requestId])).toEqual([
      ["customer.view", viewRequest],
      ["customers.list", listRequest],
    ]);
    for (const id of listed) expect(byStaff[1]?.customers).toContain(id);
    // Each id links to the customer's page, with its access history beside it.
    expect(byStaff[0]?.customers.split("\n").map((line) => line.trim())).toEqual([viewed, "history"]);
    await expect(page.getByRole("link", { name: viewed, exact: true }).first()).toHaveAttribute("href", `/customers/${viewed}`);

    // No exact count over the log: "N events match." up to the cap, then "More than 1,000 events match."
    await expect(page.getByTestId("audit-match-count")).toHaveText(/^(?:[2-9]|[1-9][\d,]+) events match\.$|^More than 1,000 events match\.$/);

    await page
      .getByRole("link", { name: `Access history of customer ${viewed}`, exact: true })
      .first()
      .click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(viewed);
    await expect(page.getByRole("region", { name: "Events per day table" })).toBeVisible();
    const byCustomer = await tableRows(page);
    expect(byCustomer.slice(0, 2).map((r) => [r.action, r.requestId])).toEqual([
      ["customer.view", viewRequest],
      ["customers.list", listRequest],
    ]);

    await page.goto(`/audit/customers/${listed[1]}?action=customer.view`);
    expect((await tableRows(page)).filter((r) => r.requestId === viewRequest)).toEqual([]);
  });

  test("the staff history pages and filters work as plain links, with cursor paging", async ({ page }) => {
    await signIn(page, "auditor@demo.local", "/audit?limit=1");
    const first = await tableRows(page);
    expect(first).toHaveLength(1);
    await page.getByRole("navigation", { name: "Audit pages", exact: true }).getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/cursor=/);
    const second = await tableRows(page);
    expect(second[0]?.requestId).not.toBe(first[0]?.requestId);
    const secondUrl = page.url();
    await page.getByRole("navigation", { name: "Audit pages", exact: true }).getByRole("link", { name: "Previous page" }).click();
    await page.waitForURL((url) => url.toString() !== secondUrl);
    expect((await tableRows(page))[0]?.requestId).toBe(first[0]?.requestId);

    await page.goto(`/audit?actor=${encodeURIComponent(AGENT)}&action=customer.view`);
    await page.getByRole("link", { name: AGENT }).first().click();
    await expect(page).toHaveURL(/\/audit\/staff\//);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("accessed");
    expect((await tableRows(page))[0]?.requestId).toBe(viewRequest);
  });

  test("the API pages by cursor, exports CSV and JSONL, and refuses other roles and bad input", async () => {
    const auditor = await apiAs("auditor@demo.local");
    try {
      const page = await auditor.get(`/api/audit?actor=${AGENT}&customer=${viewed}&limit=1`);
      expect(page.status()).toBe(200);
      const body = (await page.json()) as { events: { request_id: string; targets: string[] }[]; nextCursor: string | null };
      expect(body.events.map((e) => e.request_id)).toEqual([viewRequest]);
      expect(body.nextCursor).toEqual(expect.any(String));
      const next = (await (await auditor.get(`/api/audit?actor=${AGENT}&customer=${viewed}&limit=1&cursor=${body.nextCursor}`)).json()) as typeof body;
      expect(next.events.map((e) => e.request_id)).toEqual([listRequest]);

      const csv = await auditor.get(`/api/audit/export?format=csv&actor=${AGENT}&customer=${viewed}`);
      expect(csv.headers()["content-type"]).toContain("text/csv");
      const text = await csv.text();
      expect(text.startsWith("seq,id,at,")).toBe(true);
      expect(text).toContain(viewRequest);
      const jsonl = await auditor.get(`/api/audit/export?format=jsonl&action=customer.view&actor=${AGENT}`);
      const first = JSON.parse((await jsonl.text()).split("\n")[0] ?? "{}") as { request_id: string };
      expect(first.request_id).toBe(viewRequest);

      const bad = await auditor.get("/api/audit?limit=500&outcome=maybe");
      expect(bad.status()).toBe(400);
      expect(await bad.json()).toMatchObject({
        statusCode: 400,
        error: "Bad Request",
        message: expect.arrayContaining(["limit must not be greater than 200"]),
      });
      expect((await auditor.get("/api/audit/export?format=xml")).status()).toBe(400);

      const own = (await (await auditor.get("/api/audit?actor=auditor@demo.local&action=audit.export&limit=5")).json()) as typeof body;
      expect(own.events.length).toBeGreaterThanOrEqual(2);
    } finally {
      await auditor.dispose();
    }
    expect((await agent.get("/api/audit")).status()).toBe(403);
    const anonymous = await apiAs(null);
    expect((await anonymous.get("/api/audit")).status()).toBe(401);
    expect((await anonymous.get("/api/audit/export")).status()).toBe(401);
    await anonymous.dispose();
  });

  for (const theme of ["light", "dark"] as const) {
    test(`the audit pages have no axe violations (${theme} theme, 360 px)`, async ({ page, baseURL }) => {
      test.setTimeout(120_000);
      await page.context().addCookies([{ name: "theme", value: theme, url: baseURL ?? "" }]);
      await signIn(page, "auditor@demo.local", "/audit");
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 800 });
        for (const path of ["/audit", "/audit?limit=500", `/audit/staff/${encodeURIComponent(agentId)}`, `/audit/customers/${viewed}`]) {
          await page.goto(path);
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
          await expectNoAxeViolations(page);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${path} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
        }
      }
      await page.getByRole("link", { name: "← Audit log" }).click();
      await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    });
  }
});
