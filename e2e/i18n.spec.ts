import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiAs, auditByRequestId } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";

// Issue 17, point 7: English and German. The agent switches to German on the account page and sees German on the
// main pages; the auditor, who never chose, gets the browser's Accept-Language. The agent is English again after.
const AGENT = "agent@demo.local";

test.afterEach(async () => {
  const agent = await apiAs(AGENT);
  expect((await agent.put("/api/preferences/locale", { data: { locale: "en" } })).status()).toBe(200);
});

async function expectAxeClean(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the language switch on the account page turns the portal German, kept on the server; bad input changes nothing", async ({ page, baseURL }) => {
  await signIn(page, AGENT, "/account");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Language", { exact: true }).selectOption("de");
  const saved = page.waitForResponse((res) => res.url().endsWith("/api/preferences/locale"));
  await page.getByRole("button", { name: "Save language" }).click();
  expect(auditByRequestId((await saved).headers()["x-request-id"] ?? "")).toMatchObject([{ action: "preferences.locale", outcome: "ok" }]);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { name: "Konto", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("Konto · Kundenportal");
  await expect(page.getByRole("heading", { name: "Passwort ändern" })).toBeVisible();
  await expect(page.getByLabel("Aktuelles Passwort")).toBeVisible();

  // The shell and the list.
  await page.goto("/customers");
  await expect(page.getByRole("heading", { name: "Kunden", level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  await expect(nav.getByRole("link", { name: "Konto" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
  const table = page.getByRole("region", { name: "Kundentabelle" });
  await expect(table.getByRole("columnheader", { name: "E-Mail" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Letzter Kauf" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Nächste Seite" })).toBeEnabled();
  await expect(page.getByText(/^Zeige 1–\d+ · /)).toBeVisible();
  await expect(page.getByRole("search", { name: "Kunden filtern" }).getByLabel("Status")).toContainText("Aktiv");
  // Dates in German (3. Dez. 2026), amounts with a decimal comma.
  await expect(table.locator("tbody time").first()).toHaveText(/^\d{1,2}\. \S+ \d{4}$/);
  await expect(table.locator("tbody td.text-end").filter({ hasText: /\d/ }).first()).toHaveText(/\d,\d\d\s?\S+$/);
  await expectAxeClean(page);

  // The palette and the shortcuts help.
  await page.keyboard.press("Control+k");
  const palette = page.getByRole("dialog", { name: "Gehe zu" });
  await expect(palette.getByRole("combobox", { name: "Kunden-ID, E-Mail, Name, Seite oder gespeicherte Ansicht" })).toBeFocused();
  await page.keyboard.type("Kon");
  await expect(palette.getByRole("option", { name: /Konto/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Tastenkürzel" }).getByText("Nächste Zeile (Kundenliste)")).toBeVisible();
  await page.keyboard.press("Escape");

  // A customer's page.
  await table.locator("tbody th a").first().click();
  await expect(page.getByRole("heading", { name: "Profil" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Kontakt" })).toBeVisible();
  await expect(page.getByRole("link", { name: "← Zurück zu den Kunden" })).toBeVisible();
  await expectAxeClean(page);

  // A language the portal does not speak: 400 with the reason in English (for scripts), and still German.
  const refused = await page.evaluate(async () => {
    const res = await fetch("/api/preferences/locale", { method: "PUT", headers: { "content-type": "application/json" }, body: '{"locale":"fr"}' });
    return { status: res.status, body: await res.text() };
  });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain("locale must be one of en, de");
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Konto", level: 1 })).toBeVisible();

  // German words are longer: the list in the dark theme at 360 px is still clean.
  await useTheme(page, "dark", baseURL ?? "");
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto("/customers");
  await expect(page.getByRole("button", { name: "Nächste Seite" })).toBeEnabled();
  await expectAxeClean(page);
});

test("someone who never chose gets the browser's language (Accept-Language)", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: "de-DE" });
  const page = await context.newPage();
  await signIn(page, "auditor@demo.local", "/account");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Protokoll" })).toBeVisible();
  await context.close();
});
