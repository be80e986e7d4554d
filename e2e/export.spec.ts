import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { auditByRequestId, sandbox } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";
import { giveReason, PURPOSE } from "./helpers/reasons";
import { resetSandbox, sandboxCustomers, setFaults } from "./helpers/sandbox";
import { expectNoAxeViolations } from "./helpers/axe";

const HEADER = "Id,Name,Email,Phone,Type,Status,Last spent,Last purchase,Created";

test.afterEach(async () => {
  await resetSandbox();
});

async function upstreamRequests(): Promise<number> {
  const { body } = await sandbox("/__sandbox/stats");
  if (body && typeof body === "object" && "requests" in body && typeof body.requests === "number") return body.requests;
  throw new Error("unexpected sandbox stats");
}

/** Every customer Devdraft has for a filter, by brute force. */
async function allIds(query: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let skip = 0; ; skip += 100) {
    const page = await sandboxCustomers({ ...query, take: 100, skip });
    ids.push(...page.map((c) => c.id));
    if (page.length < 100) return ids;
  }
}

const exportSection = (page: Page) => page.getByRole("region", { name: "Export" });

test("an agent sees no Export control, and the export API refuses them", async ({ page }) => {
  await signIn(page, "agent@demo.local", "/customers");
  await page.goto("/customers");
  await expect(page.getByRole("region", { name: "Customers table" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Export CSV" })).toHaveCount(0);
  const answers = await page.evaluate(async () => {
    const body = JSON.stringify({ reason: "Fraud investigation", ticket: "INC-1" });
    const post = await fetch("/api/exports", { method: "POST", headers: { "content-type": "application/json" }, body });
    const list: unknown = await (await fetch("/api/exports")).json();
    return { post: post.status, list };
  });
  expect(answers).toEqual({ post: 403, list: { allowed: false, exports: [] } });
});

test("an admin starts an export, watches it, cancels it, runs it again and opens the file", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "admin@demo.local", "/customers");
  await page.goto("/customers?status=ACTIVE");
  const section = exportSection(page);

  // Slow upstream answers, so there is a running export to watch and cancel.
  await setFaults({ latencyMs: 400 });
  await section.getByRole("button", { name: "Export CSV" }).click();
  await giveReason(page, "Start export");
  const bar = section.getByRole("progressbar", { name: "Export progress" });
  await expect(bar).toBeVisible();
  await expect(section.getByText(/[1-9][\d,]* rows, [1-9]\d* pages? so far · at most \d+ (s|min) left/)).toBeVisible();
  await section.getByRole("button", { name: "Cancel export" }).click();
  await expect(section.getByText(/^Cancelled after [\d,]+ rows \(\d+ pages?\)\. No file was kept\.$/)).toBeVisible();
  await expect(bar).toHaveCount(0);
  const afterCancel = await upstreamRequests();
  await page.waitForTimeout(1_500);
  expect(await upstreamRequests()).toBe(afterCancel);

  await resetSandbox();
  const started = page.waitForResponse((res) => res.url().endsWith("/api/exports") && res.request().method() === "POST");
  await section.getByRole("button", { name: "Export CSV" }).click();
  await giveReason(page, "Start export");
  const requestId = (await started).headers()["x-request-id"] ?? "";
  const link = section.getByRole("link", { name: "Download CSV" });
  await expect(link).toBeVisible({ timeout: 60_000 });
  const expected = await allIds({ status: "ACTIVE" });
  await expect(
    section.getByText(`${expected.length.toLocaleString("en-US")} rows in ${Math.floor(expected.length / 100) + 1} pages.`, { exact: false }),
  ).toBeVisible();

  const downloading = page.waitForEvent("download");
  await link.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^customers-\d{8}-\d{4}\.csv$/);
  const csv = await readFile((await download.path()) ?? "", "utf8");
  const lines = csv.split("\r\n");
  expect(lines[0]).toBe(HEADER);
  expect(lines.at(-1)).toBe("");
  const ids = lines.slice(1, -1).map((line) => line.slice(0, 36));
  expect(ids).toEqual(expected);
  expect(lines.slice(1, -1).every((line) => line.includes(",ACTIVE,"))).toBe(true);

  // On record before the file was offered: every exported id, under the request that started it.
  const events = auditByRequestId(requestId).filter((e) => e.action === "customers.export" && e.outcome === "ok");
  expect(events.flatMap((e) => e.targets)).toEqual(expected);
  expect(events.map((e) => e.purpose)).toEqual([PURPOSE]);
  await expect(section.getByText("The file has been downloaded and removed from the server")).toBeVisible();
});

for (const theme of ["light", "dark"] as const) {
  test(`the export control passes axe while running and when cancelled (${theme})`, async ({ page, baseURL }) => {
    // Two axe runs while an export polls: on a loaded machine (load 15+ on 2 cores) each takes 20–30 s.
    test.setTimeout(120_000);
    await useTheme(page, theme, baseURL ?? "");
    await signIn(page, "admin@demo.local", "/customers");
    await page.goto("/customers");
    const section = exportSection(page);
    await setFaults({ latencyMs: 400 });
    await section.getByRole("button", { name: "Export CSV" }).click();
    await giveReason(page, "Start export");
    await expect(section.getByText(/[1-9][\d,]* rows, /)).toBeVisible();
    const axe = () => expectNoAxeViolations(page, { include: "section[aria-labelledby='export-heading']" });
    await axe();
    await section.getByRole("button", { name: "Cancel export" }).click();
    await expect(section.getByText(/^Cancelled after/)).toBeVisible();
    await axe();
  });
}
