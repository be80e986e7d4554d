import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiAs, auditByActions, auditByRequestId } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";
import { displayName, sandboxCustomers } from "./helpers/sandbox";
import { tabTo } from "./helpers/keyboard";
import { REASON } from "./helpers/reasons";

// Issue 17, points 1–4 and 8 on the suite's own portal: Go to (Ctrl+K), the list's keyboard, saved views,
// recently viewed, the order note; axe in both themes and at 360 px; one keyboard-only walk.

const palette = (page: Page) => page.getByRole("dialog", { name: "Go to" });
const combobox = (page: Page) => palette(page).getByRole("combobox");
const aside = (page: Page) => page.getByRole("complementary", { name: "Saved views and recently viewed" });
const rowLinks = (page: Page) => page.getByRole("region", { name: "Customers table" }).locator("tbody th a");

/** Shortcuts listen once React runs: wait for the header's Go to button to be hydrated. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => Object.keys(document.querySelector("button[aria-keyshortcuts]") ?? {}).some((k) => k.startsWith("__react")));
}

async function goTo(page: Page, text: string) {
  await page.keyboard.press("Control+k");
  await expect(combobox(page)).toBeFocused();
  await page.keyboard.type(text);
}

function countViews(id: string): number {
  return auditByActions(["customer.view"]).filter((e) => e.outcome === "ok" && e.actor_email === "agent@demo.local" && e.targets.includes(id)).length;
}

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.describe("finder", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test("Ctrl+K opens Go to on any page: a modal dialog that gives focus back; an id opens the customer once, on record; an email filters the list; pages jump", async ({
    page,
    baseURL,
  }) => {
    const [c] = await sandboxCustomers({ take: 1 });
    await page.goto("/account/tokens");
    await hydrated(page);
    const opener = page.getByRole("button", { name: /Go to/ });
    await opener.focus();
    await page.keyboard.press("Control+k");
    await expect(palette(page)).toHaveAttribute("aria-modal", "true");
    await expect(combobox(page)).toBeFocused();
    // The page behind is inert: Tab does not reach its links.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.querySelector("main")?.contains(document.activeElement) ?? false)).toBe(false);
    await page.keyboard.press("Escape");
    await expect(palette(page)).toBeHidden();
    await expect(opener).toBeFocused();

    await goTo(page, "Account");
    await expect(palette(page).getByRole("option", { selected: true })).toContainText("Account");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/account$/);

    const before = countViews(c!.id);
    await goTo(page, c!.id.toUpperCase());
    await expect(palette(page).getByRole("option", { selected: true })).toContainText(`Open customer ${c!.id}`);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/customers/${c!.id}$`));
    await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
    expect(countViews(c!.id)).toBe(before + 1);

    const domain = `@${c!.email!.split("@")[1]}`;
    await goTo(page, domain);
    await expect(palette(page).getByRole("option", { selected: true })).toContainText(`Customers with email containing “${domain}”`);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${baseURL}/customers?email=${encodeURIComponent(domain)}`);
    await expect(page.getByRole("textbox", { name: "Email" })).toHaveValue(domain);
    await expect(rowLinks(page).first()).toBeVisible();
  });

  test("the palette's code is not part of the list page: it arrives on first open", async ({ page }) => {
    const scripts: Promise<string>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(response.text().catch(() => ""));
    });
    await page.goto("/customers");
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    const withPage = (await Promise.all(scripts)).length;
    // The shortcuts' words are in the message catalogue (the page's data, not a script); the finder's code names
    // their key, which only its own chunk holds.
    const marker = "palette.shortcutsTitle";
    expect((await Promise.all(scripts)).some((body) => body.includes(marker))).toBe(false);
    await page.keyboard.press("Control+k");
    await expect(combobox(page)).toBeFocused();
    const later = (await Promise.all(scripts)).slice(withPage);
    expect(later.some((body) => body.includes(marker))).toBe(true);
  });

  test("j/k and the arrows move a visible row focus, Enter opens the row, Esc returns to the same list, ? lists the shortcuts; typing is left alone", async ({
    page,
    baseURL,
  }) => {
    const rows = await sandboxCustomers({ take: 10, status: "ACTIVE" });
    await page.goto("/customers?status=ACTIVE");
    await hydrated(page);
    const links = rowLinks(page);
    await expect(links).toHaveCount(rows.length);
    for (const [key, index] of [
      ["j", 0],
      ["j", 1],
      ["ArrowDown", 2],
      ["k", 1],
      ["ArrowUp", 0],
      ["k", 0],
    ] as const) {
      await page.keyboard.press(key);
      await expect(links.nth(index)).toBeFocused();
    }
    // The focused row is marked for sighted users too (its outline comes from :focus-within).
    expect(await links.nth(0).evaluate((a) => getComputedStyle(a.closest("tr")!).outlineStyle)).toBe("solid");

    await page.keyboard.press("/");
    const name = page.getByRole("textbox", { name: "Name", exact: true });
    await expect(name).toBeFocused();
    await page.keyboard.type("jk?");
    await expect(name).toBeFocused();
    await expect(name).toHaveValue("jk?");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await name.fill("");
    await name.evaluate((el) => el.blur());
    await expect(page).toHaveURL(`${baseURL}/customers?status=ACTIVE`);

    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: displayName(rows[1]!) })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(`${baseURL}/customers?status=ACTIVE`);
    await expect(links.first()).toBeVisible();

    await hydrated(page);
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(help).toContainText("Next row");
    await expect(help.getByRole("button", { name: "Close" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(help).toBeHidden();
  });

  test("saved views: saved from the list, renamed and deleted by their owner only, each change on record; a private one is nobody else's", async ({ page }) => {
    await page.goto("/customers?status=ACTIVE&name=an&skip=10");
    await hydrated(page);
    const side = aside(page);
    await side.getByLabel("Title for the list as shown").fill("Active ans");
    await side.getByLabel("Share with the team").check();
    await side.getByRole("button", { name: "Save view" }).click();
    await expect(side.getByRole("link", { name: "Active ans" })).toHaveAttribute("href", "/customers?status=ACTIVE&name=an");
    await side.getByRole("button", { name: "Rename “Active ans”" }).click();
    await side.getByRole("textbox", { name: "Retitle “Active ans”" }).fill("Active with an");
    await side.getByRole("button", { name: "Save title" }).click();
    await expect(side.getByRole("link", { name: "Active with an" })).toBeVisible();
    // A name taken is refused with its reason, and nothing is added.
    await side.getByLabel("Title for the list as shown").fill("Active with an");
    await side.getByRole("button", { name: "Save view" }).click();
    await expect(side.getByRole("alert")).toContainText("you already have a view named “Active with an”");
    await page.reload();
    await expect(aside(page).getByRole("link", { name: "Active with an" })).toHaveCount(1);

    const agent = await apiAs("agent@demo.local");
    const admin = await apiAs("admin@demo.local");
    try {
      const created = await agent.post("/api/views", { data: { name: "Agent only", query: "?email=x" } });
      expect(created.status()).toBe(201);
      const secret = (await created.json()) as { id: string };
      const shared = ((await (await agent.get("/api/views")).json()) as { views: { id: string; name: string }[] }).views.find(
        (v) => v.name === "Active with an",
      )!;
      const seen = ((await (await admin.get("/api/views")).json()) as { views: { id: string; mine: boolean }[] }).views;
      expect(seen.find((v) => v.id === shared.id)).toMatchObject({ mine: false });
      expect(seen.map((v) => v.id)).not.toContain(secret.id);
      // Attacks: someone else renames or deletes them; a cross-site write; bad input.
      expect((await admin.patch(`/api/views/${shared.id}`, { data: { name: "Hijacked" } })).status()).toBe(403);
      expect((await admin.delete(`/api/views/${shared.id}`)).status()).toBe(403);
      expect((await admin.patch(`/api/views/${secret.id}`, { data: { name: "Hijacked" } })).status()).toBe(404);
      expect((await admin.delete(`/api/views/${secret.id}`)).status()).toBe(404);
      expect((await agent.post("/api/views", { data: { name: "x", query: "" }, headers: { origin: "https://evil.example" } })).status()).toBe(403);
      const bad = await agent.post("/api/views", { data: { name: "ok", query: "take=500&status=gone" } });
      expect(bad.status()).toBe(400);
      expect(((await bad.json()) as { message: string[] }).message).toEqual([
        "take must not be greater than 100",
        "status must be one of the following values: ACTIVE, BLACKLISTED, DEACTIVATED",
      ]);
      const after = ((await (await agent.get("/api/views")).json()) as { views: { id: string; name: string }[] }).views;
      expect(
        after
          .filter((v) => v.id === shared.id || v.id === secret.id)
          .map((v) => v.name)
          .sort(),
      ).toEqual(["Active with an", "Agent only"]);
      expect((await agent.delete(`/api/views/${secret.id}`)).status()).toBe(200);
    } finally {
      await agent.dispose();
      await admin.dispose();
    }

    await aside(page).getByRole("button", { name: "Delete “Active with an”" }).click();
    await expect(aside(page).getByRole("link", { name: "Active with an" })).toHaveCount(0);
    const events = auditByActions(["view.create", "view.rename", "view.delete"]).map((e) => ({
      action: e.action,
      outcome: e.outcome,
      who: e.actor_email,
      refusal: e.refusal,
      detail: e.detail,
    }));
    expect(events).toContainEqual(
      expect.objectContaining({
        action: "view.rename",
        outcome: "ok",
        who: "agent@demo.local",
        detail: expect.objectContaining({ before: "Active ans", after: "Active with an" }),
      }),
    );
    expect(events).toContainEqual(expect.objectContaining({ action: "view.rename", outcome: "denied", who: "admin@demo.local", refusal: "not owner" }));
    expect(events).toContainEqual(expect.objectContaining({ action: "view.delete", outcome: "denied", who: "admin@demo.local", refusal: "not owner" }));
    expect(events).toContainEqual(expect.objectContaining({ action: "view.delete", outcome: "not_found", who: "admin@demo.local" }));
    expect(events).toContainEqual(expect.objectContaining({ action: "view.create", outcome: "denied", who: "agent@demo.local" }));
    expect(events).toContainEqual(expect.objectContaining({ action: "view.create", outcome: "invalid", who: "agent@demo.local" }));
    expect(events).toContainEqual(
      expect.objectContaining({
        action: "view.delete",
        outcome: "ok",
        who: "agent@demo.local",
        detail: expect.objectContaining({ name: "Active with an", query: "/customers?status=ACTIVE&name=an" }),
      }),
    );
  });

  test("recently viewed: the customers this person opened, from the audit log, newest first, on the list and in Go to", async ({ page }) => {
    const [a, b, c] = await sandboxCustomers({ take: 3, status: "DEACTIVATED" });
    for (const customer of [c!, b!, a!, c!]) {
      await page.goto(`/customers/${customer.id}`);
      await expect(page.getByRole("heading", { level: 1, name: displayName(customer) })).toBeVisible();
    }
    await page.goto("/customers");
    const recent = page.getByRole("region", { name: "Recently viewed" }).getByRole("link");
    expect((await recent.allTextContents()).slice(0, 3)).toEqual([c!.id, a!.id, b!.id]);
    await hydrated(page);
    await goTo(page, b!.id.slice(0, 8));
    await expect(palette(page).getByRole("option", { name: new RegExp(`Customer ${b!.id}.*Recently viewed`) })).toBeVisible();
    await page.keyboard.press("Escape");
    // The admin never opened these: none of them is in the admin's list.
    const admin = await apiAs("admin@demo.local");
    const theirs = ((await (await admin.get("/api/views")).json()) as { recent: { id: string }[] }).recent.map((r) => r.id);
    await admin.dispose();
    expect(theirs).not.toContain(c!.id);
  });

  test("order: newest first, said plainly; the table offers no sort", async ({ page }) => {
    await page.goto("/customers");
    await expect(page.getByText("Newest customers first: the only order Devdraft gives, so the table does not sort.")).toBeVisible();
    const headers = page.getByRole("region", { name: "Customers table" }).locator("thead th");
    await expect(headers.filter({ hasText: "Created" })).toHaveAttribute("aria-sort", "descending");
    await expect(page.getByRole("region", { name: "Customers table" }).locator("thead [aria-sort]")).toHaveCount(1);
    await expect(page.getByRole("region", { name: "Customers table" }).locator("thead button")).toHaveCount(0);
  });

  test("keyboard only: find by id in Go to, open the customer, reveal with a reason, Esc back to the list, save a view, open it from Go to", async ({
    page,
    baseURL,
  }) => {
    const [c] = await sandboxCustomers({ take: 1, status: "ACTIVE" });
    await page.goto("/customers?status=ACTIVE");
    await hydrated(page);
    await goTo(page, c!.id);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: displayName(c!) })).toBeVisible();
    // Reveal: Enter on the button, the dialog focuses the reason, an arrow picks one, Tab to the ticket, Enter submits.
    await tabTo(page, page.getByRole("button", { name: `Reveal contact for ${displayName(c!)}` }));
    const answered = page.waitForResponse((res) => res.url().endsWith("/contact"));
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByLabel("Reason for access", { exact: true })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    await expect(dialog.getByLabel("Ticket reference", { exact: true })).toBeFocused();
    await page.keyboard.type(REASON.ticket);
    await page.keyboard.press("Enter");
    const requestId = (await answered).headers()["x-request-id"] ?? "";
    await expect(page.getByRole("heading", { level: 2, name: "Contact", exact: true })).toBeFocused();
    await expect(page.getByText(c!.email!)).toBeVisible();
    expect(auditByRequestId(requestId)).toMatchObject([
      { action: "customer.reveal", outcome: "ok", targets: [c!.id], purpose: expect.stringContaining(`ticket ${REASON.ticket}`) },
    ]);
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(`${baseURL}/customers?status=ACTIVE`);
    await tabTo(page, aside(page).getByLabel("Title for the list as shown"));
    await page.keyboard.type("Walk: active customers");
    await page.keyboard.press("Enter");
    await expect(aside(page).getByRole("link", { name: "Walk: active customers" })).toBeVisible();
    await goTo(page, "Account");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/account$/);
    await goTo(page, "Walk");
    await expect(palette(page).getByRole("option", { selected: true })).toContainText("Walk: active customers");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${baseURL}/customers?status=ACTIVE`);
    await expect(rowLinks(page).first()).toBeVisible();
  });
});

for (const theme of ["light", "dark"] as const) {
  test(`the list with its views, Go to and the shortcuts have no axe violations (${theme} theme, 1280 and 360 px)`, async ({ page, baseURL }) => {
    test.setTimeout(60_000);
    await useTheme(page, theme, baseURL ?? "");
    await signIn(page);
    const [c] = await sandboxCustomers({ take: 1 });
    await page.goto(`/customers/${c!.id}`);
    const agent = await apiAs("agent@demo.local");
    const saved = (await (await agent.post("/api/views", { data: { name: `Axe ${theme}`, query: "status=ACTIVE", shared: true } })).json()) as { id: string };
    try {
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto("/customers");
        await expect(aside(page).getByRole("link", { name: `Axe ${theme}` })).toBeVisible();
        await expectNoViolations(page);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `overflow at ${width} px`).toBeLessThanOrEqual(0);
        await hydrated(page);
        await goTo(page, "a");
        await expect(palette(page).getByRole("option").first()).toBeVisible();
        await expectNoViolations(page);
        await page.keyboard.press("Escape");
        await page.keyboard.press("?");
        await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
        await expectNoViolations(page);
        await page.keyboard.press("Escape");
      }
    } finally {
      await agent.delete(`/api/views/${saved.id}`);
      await agent.dispose();
    }
  });
}
