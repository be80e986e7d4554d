import { expect, test } from "@playwright/test";
import { apiAs, auditByRequestId } from "./helpers/api";
import { signIn, useTheme } from "./helpers/auth";
import { expectNoAxeViolations } from "./helpers/axe";

// Issue 17, point 7: English and German. The agent switches to German on the account page and sees German on the
// main pages; the auditor, who never chose, gets the browser's Accept-Language. The agent is English again after.
const AGENT = "agent@demo.local";
const AUDITOR = "auditor@demo.local";
const ADMIN = "admin@demo.local";

async function setLocale(email: string, locale: "en" | "de") {
  const api = await apiAs(email);
  expect((await api.put("/api/preferences/locale", { data: { locale } })).status()).toBe(200);
  await api.dispose();
}

// Each test walks several pages, with axe on most: more than the default 30 s on a loaded 2-core machine.
test.describe.configure({ timeout: 90_000 });

// The auditor never chooses (their German comes from the browser), so "never chose" below stays true.
test.afterEach(async () => {
  for (const email of [AGENT, ADMIN]) await setLocale(email, "en");
});

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
  await expectNoAxeViolations(page);

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
  await expectNoAxeViolations(page);

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
  await expectNoAxeViolations(page);
});

test("someone who never chose gets the browser's language (Accept-Language)", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: "de-DE" });
  const page = await context.newPage();
  // The sign-in page already speaks the browser's language.
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Beim Kundenportal anmelden", level: 1 })).toBeVisible();
  await expect(page.getByLabel("E-Mail", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Anmelden", exact: true })).toBeVisible();
  await expect(page).toHaveTitle(/^Anmelden/);
  await expectNoAxeViolations(page);
  await page.getByLabel("E-Mail", { exact: true }).fill(AUDITOR);
  await page.getByLabel("Passwort", { exact: true }).fill("not the password");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText(
    "Diese E-Mail-Adresse und dieses Passwort gehören zu keinem aktiven Mitarbeiterkonto.",
  );
  await signIn(page, AUDITOR, "/account");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Protokoll" })).toBeVisible();
  await context.close();
});

test("a German-speaking auditor reads the audit log and the access report in German, axe clean", async ({ browser }) => {
  const agent = await apiAs(AGENT);
  const list = await agent.get("/api/customers?take=1");
  expect(list.status()).toBe(200);
  const [customer] = (await list.json()) as { id: string }[];
  await agent.dispose();
  if (!customer) throw new Error("the sandbox has no customers");
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: "de-DE" });
  const page = await context.newPage();
  await signIn(page, AUDITOR, "/audit");
  await expect(page.getByRole("heading", { name: "Audit-Protokoll", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("Audit-Protokoll · Kundenportal");
  const filters = page.getByRole("form", { name: "Audit-Ereignisse filtern" });
  await expect(filters.getByLabel("Ergebnis")).toContainText("Jedes Ergebnis");
  await expect(filters.getByLabel("Ergebnis")).toContainText("Abgelehnt");
  await expect(filters.getByLabel("Aktion")).toContainText("Kontaktdaten angezeigt (customer.reveal)");
  await expect(filters.getByLabel("Aktion")).toContainText("Mitarbeiter hinzugefügt (staff.add)");
  await expect(page.getByTestId("audit-match-count")).toHaveText(/^(?:\d[\d.]* Ereignisse passen|Mehr als 1\.000 Ereignisse passen)\.$/);
  await expect(filters.getByRole("button", { name: "Filter anwenden" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Integrität der Kette" })).toBeVisible();
  const events = page.getByRole("region", { name: "Audit-Ereignisse" });
  await expect(events.getByRole("columnheader", { name: "Zeit (UTC)" })).toBeVisible();
  await expect(events.getByRole("columnheader", { name: "Herkunft" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Audit-Seiten", exact: true }).getByText("Vorherige Seite")).toBeVisible();
  await expectNoAxeViolations(page);

  // The customer's history, then the report from it, as printed too.
  await page.goto(`/audit/customers/${customer.id}`);
  await expect(page.getByRole("heading", { name: `Wer auf Kunde ${customer.id} zugegriffen hat` })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Ereignisse pro Tag" })).toBeVisible();
  await page.getByRole("link", { name: "Zugriffsbericht für diesen Kunden" }).click();
  await expect(page.getByRole("heading", { name: "Zugriffsbericht", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Bericht erstellen" }).click();
  await expect(page.getByRole("heading", { name: `Zugriffe auf Kunde ${customer.id}` })).toBeVisible();
  await expect(page.getByText("Als Zugriff gezählt")).toBeVisible();
  await expect(page.getByRole("region", { name: "Zugriffe" }).getByRole("columnheader", { name: "Zweck" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Drucken" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("region", { name: "Zugriffe" }).getByRole("columnheader", { name: "Mitarbeiter" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Drucken" })).toBeHidden();
  await context.close();
});

test("a German-speaking admin manages staff in German; the password form refuses in German and changes nothing", async ({ page }) => {
  await setLocale(ADMIN, "de");
  await signIn(page, ADMIN, "/admin/staff");
  await expect(page.getByRole("heading", { name: "Mitarbeiter", level: 1 })).toBeVisible();
  const add = page.getByRole("region", { name: "Mitarbeiter hinzufügen" });
  await expect(add.getByLabel("Einmalpasswort erzeugen (wird einmal angezeigt)")).toBeChecked();
  await add.getByRole("button", { name: "Mitarbeiter hinzufügen" }).click();
  await expect(add.getByRole("alert").filter({ hasText: "Nichts wurde geändert" })).toBeVisible();
  await expect(add.getByText("Geben Sie eine E-Mail-Adresse ein.")).toBeVisible();
  // A rule's refusal (someone already on staff) comes from the same service as the command line's, said in German.
  await add.getByLabel("E-Mail", { exact: true }).fill(AGENT);
  await add.getByRole("button", { name: "Mitarbeiter hinzufügen" }).click();
  await expect(add.getByText("Diese Person ist bereits als Mitarbeiter angelegt.")).toBeVisible();
  const table = page.getByRole("region", { name: "Mitarbeitertabelle" });
  await expect(table.getByRole("columnheader", { name: "Rolle" })).toBeVisible();
  await expect(table.getByRole("button", { name: `Rolle ändern von ${AGENT}` })).toBeVisible();
  await expect(table.getByText("Ihr eigenes Konto", { exact: false })).toBeVisible();
  await expectNoAxeViolations(page);

  // Everyone's sessions, their own, and export grants.
  await page.goto("/admin/sessions");
  await expect(page.getByRole("heading", { name: "Offene Sitzungen", level: 1 })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Zuletzt aktiv" })).toBeVisible();
  await page.goto("/account/sessions");
  await expect(page.getByRole("button", { name: "Überall abmelden" })).toBeVisible();
  await page.goto("/admin/grants");
  await expect(page.getByRole("heading", { name: "Exportfreigaben", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Tabelle der laufenden Freigaben" })).toBeVisible();
  await page.getByRole("button", { name: "Export erlauben" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Agent: Wählen Sie einen Agenten" })).toContainText("Ein Grund für den Zugriff ist nötig");
  await expectNoAxeViolations(page);

  // The account service names each refusal by a code; the form shows it in German, and the password stays.
  await page.goto("/account");
  await page.getByLabel("Aktuelles Passwort").fill("demo");
  await page.getByLabel("Neues Passwort", { exact: true }).fill("short");
  await page.getByLabel("Neues Passwort wiederholen").fill("shorter");
  await page.getByRole("button", { name: "Passwort ändern" }).click();
  await expect(page.getByText("Verwenden Sie mindestens 12 Zeichen (dieses hat 5).")).toBeVisible();
  await expect(page.getByText("Das stimmt nicht mit dem neuen Passwort überein.")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Nichts wurde geändert" })).toBeVisible();
  await expectNoAxeViolations(page);
  await setLocale(ADMIN, "en"); // signs in with the old password: it was not changed
});
