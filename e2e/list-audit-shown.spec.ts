import { expect, test, type APIRequestContext, type Page, type Response } from "@playwright/test";
import { apiAs, auditByRequestId } from "./helpers/api";
import { signIn } from "./helpers/auth";
import { resetSandbox, sandboxCustomers } from "./helpers/sandbox";

// Issue 12, point 2: the audit log records exactly the customers that reached a person's browser. Every list view
// is one request whose customers.list event names the rows drawn, no more (no row fetched ahead), no fewer.

const AGENT = "agent@demo.local";
// SWR's default dedupingInterval (lib/customers/use-customers.ts does not change it): within it, a view already
// asked for is drawn from the browser's cache without a request, and so without a new event.
const SWR_DEDUPE_MS = 2_000;

const table = (page: Page) => page.getByRole("region", { name: "Customers table" });

/** The ids of the rows in the rendered table, in order, read from each row's link to /customers/<id>. */
async function shownIds(page: Page): Promise<string[]> {
  const hrefs = await table(page)
    .getByRole("rowheader")
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.map((href) => decodeURIComponent(href.split("?")[0]!.replace(/^\/customers\//, "")));
}

type ListEvent = { seq: number; request_id: string; targets: string[]; outcome: string };

/** The agent's customers.list events newer than `afterSeq`, oldest first, as an auditor reads them through the API. */
async function agentListEvents(auditor: APIRequestContext, afterSeq: number): Promise<ListEvent[]> {
  const res = await auditor.get(`/api/audit?actor=${encodeURIComponent(AGENT)}&action=customers.list&limit=200`);
  expect(res.status()).toBe(200);
  const { events } = (await res.json()) as { events: ListEvent[] };
  return events.filter((e) => e.seq > afterSeq).sort((a, b) => a.seq - b.seq);
}

/** The one event recorded for a request, read from the store: a customers.list by the agent naming `ids`. */
function expectRecorded(requestId: string, ids: string[]) {
  const events = auditByRequestId(requestId);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ action: "customers.list", outcome: "ok", actor_email: AGENT });
  expect(events[0]?.targets).toEqual(ids);
}

const isListApi = (url: string) => new URL(url).pathname === "/api/customers";

let auditor: APIRequestContext;
test.beforeAll(async () => {
  auditor = await apiAs("auditor@demo.local");
});
test.afterAll(async () => {
  await auditor.dispose();
});
test.beforeEach(async ({ page }) => {
  await signIn(page, AGENT);
  // The sign-in lands on /customers, a view with its own event. Its table is drawn only after that event is durable,
  // so once it shows, the event is in the log before a test reads its baseline (else it could land after it).
  await expect(page).toHaveURL(/\/customers/);
  await expect(table(page)).toBeVisible();
});
test.afterEach(async () => {
  await resetSandbox();
});

test("each list view records exactly the customers drawn in the table, one request per view", async ({ page }) => {
  test.setTimeout(60_000);
  // More than three pages of 10: each view shown here has a next page.
  const upstream = await sandboxCustomers({ take: 31, skip: 0 });
  expect(upstream).toHaveLength(31);

  const apiRequests: string[] = [];
  page.on("request", (request) => {
    if (isListApi(request.url())) apiRequests.push(request.url());
  });
  const baseline = (await agentListEvents(auditor, 0)).at(-1)?.seq ?? 0;
  const views: { requestId: string; ids: string[] }[] = [];

  // The first view is in the server's HTML: the document's own request id names its event.
  const document = await page.goto("/customers?take=10");
  await expect(page.getByText("Showing 1–10")).toBeVisible();
  await expect(page.getByText("more exist")).toBeVisible();
  views.push({ requestId: document?.headers()["x-request-id"] ?? "", ids: await shownIds(page) });
  expect(views[0]?.ids).toEqual(upstream.slice(0, 10).map((c) => c.id));

  const check = async () => {
    const view = views.at(-1)!;
    expect(view.ids).toHaveLength(10);
    expectRecorded(view.requestId, view.ids);
    const events = await agentListEvents(auditor, baseline);
    expect(events.map((e) => e.request_id)).toEqual(views.map((v) => v.requestId));
    expect(events.map((e) => e.targets)).toEqual(views.map((v) => v.ids));
    // Every view after the first was one /api/customers request, and none was made for a view not shown.
    expect(apiRequests).toHaveLength(views.length - 1);
  };
  await check();
  // The row that told the server a next page exists went neither to the browser nor into the log.
  expect(auditByRequestId(views[0]!.requestId)[0]?.targets).not.toContain(upstream[10]!.id);

  const show = async (button: "Next page" | "Previous page", skip: number) => {
    const answered = page.waitForResponse((res: Response) => isListApi(res.url()) && new URL(res.url()).searchParams.get("skip") === String(skip));
    await page.getByRole("navigation", { name: "Pages" }).getByRole("button", { name: button }).click();
    const response = await answered;
    expect(response.status()).toBe(200);
    await expect(page).toHaveURL(new RegExp(`skip=${skip}`));
    await expect(page.getByText(`Showing ${skip + 1}–${skip + 10}`)).toBeVisible();
    await expect(table(page).getByRole("table")).toHaveAttribute("aria-busy", "false");
    views.push({ requestId: response.headers()["x-request-id"] ?? "", ids: await shownIds(page) });
    expect(views.at(-1)?.ids).toEqual(upstream.slice(skip, skip + 10).map((c) => c.id));
  };

  await show("Next page", 10);
  await check();
  const secondAsked = Date.now();
  await show("Next page", 20);
  await check();
  // Next is usable (rows 31 on exist) although the browser never asked for them: the server said so.
  await expect(page.getByRole("button", { name: "Next page" })).toBeEnabled();
  // Past SWR's dedupe window, Previous asks again for rows 11–20, so this view is a request and an event of its own.
  await page.waitForTimeout(Math.max(0, secondAsked + SWR_DEDUPE_MS + 200 - Date.now()));
  await show("Previous page", 10);
  await check();

  // Rows 1–30 were shown (11–20 twice): the log names those 30 customers and no other, not row 31 nor any beyond.
  const recorded = new Set((await agentListEvents(auditor, baseline)).flatMap((e) => e.targets));
  expect([...recorded].sort()).toEqual([...new Set(views.flatMap((v) => v.ids))].sort());
  expect([...recorded].sort()).toEqual(
    upstream
      .slice(0, 30)
      .map((c) => c.id)
      .sort(),
  );
});

/** How many customers the sandbox holds, in steps of 1,000 and then 100 (a few requests, not a full walk). */
async function customerCount(): Promise<number> {
  let skip = 0;
  for (const step of [1_000, 100]) while ((await sandboxCustomers({ take: 1, skip: skip + step })).length === 1) skip += step;
  return skip + (await sandboxCustomers({ take: 100, skip })).length;
}

test("at 100 rows per page the pager says more may exist, and an empty next page is a calm message with Previous", async ({ page }) => {
  test.setTimeout(60_000);
  const count = await customerCount();
  test.skip(count < 100 || count > 10_000, "the sandbox needs between 100 and 10,000 customers");
  const lastFull = count - 100;

  const document = await page.goto(`/customers?take=100&skip=${lastFull}`);
  await expect(page.getByText(`Showing ${(lastFull + 1).toLocaleString("en-US")}–${count.toLocaleString("en-US")}`)).toBeVisible();
  await expect(page.getByText("more may exist")).toBeVisible();
  const shown = await shownIds(page);
  expect(shown).toHaveLength(100);
  expectRecorded(document?.headers()["x-request-id"] ?? "", shown);

  const answered = page.waitForResponse((res) => isListApi(res.url()) && new URL(res.url()).searchParams.get("skip") === String(count));
  await page.getByRole("button", { name: "Next page" }).click();
  const empty = await answered;
  expect(empty.headers()["x-has-more"]).toBe("false");
  const message = page.getByRole("status").filter({ has: page.getByRole("heading", { name: `No customers after row ${count.toLocaleString("en-US")}` }) });
  await expect(message).toBeVisible();
  await expect(page.getByRole("heading", { name: /trouble|error/i })).toHaveCount(0);
  await expect(table(page)).toHaveCount(0);
  // On record: the view, with no customer, because none was shown.
  expectRecorded(empty.headers()["x-request-id"] ?? "", []);

  await message.getByRole("button", { name: "Previous page" }).click();
  await expect(page).toHaveURL(new RegExp(`skip=${lastFull}`));
  await expect(table(page).getByRole("rowheader")).toHaveCount(100);
  expect(await shownIds(page)).toEqual(shown);
});
