import { type Browser, expect, type Page, test } from "@playwright/test";
import { apiAs } from "./helpers/api";
import { expectNoAxeViolations } from "./helpers/axe";
import { signIn, submitSignIn, useTheme } from "./helpers/auth";

// Issue 14, point 6: staff management in the app and everyone's own password change.

// Several people sign in (scrypt each) and the audit API is read, on a shared two-core machine.
test.describe.configure({ timeout: 120_000 });

/** The forms post through React once it has hydrated them. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => {
    const forms = [...document.querySelectorAll("main form")];
    return forms.length > 0 && forms.every((f) => Object.keys(f).some((key) => key.startsWith("__react")));
  });
}

/** A browser of one's own, as a second person at another computer. */
async function asPerson(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

type PublicEvent = {
  action: string;
  outcome: string;
  actor_email: string | null;
  query: Record<string, unknown>;
  detail: Record<string, unknown> | null;
  refusal: string | null;
};

async function staffEvents(action: string): Promise<PublicEvent[]> {
  const auditor = await apiAs("auditor@demo.local");
  const res = await auditor.get(`/api/audit?action=${action}&limit=50`);
  expect(res.status()).toBe(200);
  const { events } = (await res.json()) as { events: PublicEvent[] };
  await auditor.dispose();
  return events;
}

test.describe.serial("an admin manages staff", () => {
  const person = `pat-${Date.now()}@example.com`;
  let oneTime = "";

  test("adds a person with a one-time password, shown once", async ({ page }) => {
    await signIn(page, "admin@demo.local", "/admin/staff");
    await expect(page.getByRole("heading", { name: "Staff", exact: true })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff" })).toBeVisible();
    await hydrated(page);

    // Refused input changes nothing and says why, per field.
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Add staff member" }).click();
    await expect(page.getByRole("region", { name: "Add a staff member" }).getByRole("alert")).toContainText("Nothing was changed");
    await expect(page.getByText("Enter an email address.")).toBeVisible();

    await page.getByLabel("Email").fill(person);
    await page.getByLabel("Name", { exact: true }).fill("Pat Person");
    await page.getByLabel("Role", { exact: true }).selectOption("agent");
    await page.getByRole("button", { name: "Add staff member" }).click();
    await expect(page.getByRole("region", { name: "Add a staff member" }).getByRole("status")).toHaveText(`Added ${person} as agent.`);
    oneTime = (await page.getByTestId("one-time-password").textContent()) ?? "";
    expect(oneTime).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const row = page.getByRole("row", { name: new RegExp(person) });
    await expect(row).toContainText("Pat Person");
    await expect(row).toContainText("agent");

    // Shown once: a fresh load of the page has it nowhere.
    await page.reload();
    await expect(page.getByRole("row", { name: new RegExp(person) })).toBeVisible();
    await expect(page.getByTestId("one-time-password")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText(oneTime);
  });

  test("changes the role, disables (sign-in then fails) and enables", async ({ page, browser }) => {
    await signIn(page, "admin@demo.local", "/admin/staff");
    await hydrated(page);
    const row = page.getByRole("row", { name: new RegExp(person) });
    await row.getByLabel(`Role for ${person}`).selectOption("auditor");
    await row.getByRole("button", { name: `Change role of ${person}` }).click();
    await expect(row.getByRole("status").filter({ hasText: "is now" })).toHaveText(`${person} is now auditor.`);
    await expect(row.getByRole("cell").nth(1)).toHaveText("auditor");

    await row.getByRole("button", { name: `Disable ${person}` }).click();
    await expect(row.getByRole("status").filter({ hasText: "is disabled" })).toBeVisible();
    await expect(row.getByRole("cell").nth(2)).toHaveText("Disabled");

    const them = await asPerson(browser);
    await submitSignIn(them.page, person, "/", oneTime);
    await expect(them.page.locator("main form").getByRole("alert")).toHaveText("That email and password do not match an active staff account.");
    await expect(them.page).toHaveURL(/\/login/);
    await them.context.close();

    await row.getByRole("button", { name: `Enable ${person}` }).click();
    await expect(row.getByRole("cell").nth(2)).toHaveText("Active");
  });

  test("refuses to let an admin demote or disable themself: their own row has no such controls", async ({ page }) => {
    await signIn(page, "admin@demo.local", "/admin/staff");
    const own = page.getByRole("row", { name: /admin@demo\.local/ });
    await expect(own).toContainText("(you)");
    await expect(own.getByRole("button")).toHaveCount(0);
    await expect(own.getByRole("link", { name: "Account" })).toBeVisible();
  });

  test("resets the password; the person signs in with it and changes their own on /account", async ({ page, browser }) => {
    await signIn(page, "admin@demo.local", "/admin/staff");
    await hydrated(page);
    const row = page.getByRole("row", { name: new RegExp(person) });
    // A breached password is refused and nothing changes.
    await row.getByLabel(`New password for ${person} (leave empty to generate one)`).fill("password1234");
    await row.getByRole("button", { name: `Reset password of ${person}` }).click();
    await expect(row.getByRole("alert")).toContainText("breached passwords");
    await row.getByLabel(`New password for ${person} (leave empty to generate one)`).fill("");
    await row.getByRole("button", { name: `Reset password of ${person}` }).click();
    await expect(row.getByRole("status")).toHaveText(`New password set for ${person}.`);
    const reset = (await row.getByTestId("one-time-password").textContent()) ?? "";
    expect(reset).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(reset).not.toBe(oneTime);

    const them = await asPerson(browser);
    await signIn(them.page, person, "/account", reset);
    await expect(them.page.getByRole("heading", { name: "Account" })).toBeVisible();
    // An auditor now: no Staff link, but an Account link.
    const nav = them.page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Staff" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Account" })).toBeVisible();
    await hydrated(them.page);

    const form = them.page.getByRole("region", { name: "Change your password" });
    await form.getByLabel("Current password").fill("wrong-password-here");
    await form.getByLabel("New password", { exact: true }).fill("password1234");
    await form.getByLabel("Repeat the new password").fill("password12345");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText("This password appears in lists of breached passwords. Choose another.")).toBeVisible();
    await expect(form.getByText("This does not match the new password.")).toBeVisible();

    await form.getByLabel("Current password").fill("wrong-password-here");
    await form.getByLabel("New password", { exact: true }).fill("mauve-otter-lantern-42");
    await form.getByLabel("Repeat the new password").fill("mauve-otter-lantern-42");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText("That is not your current password.")).toBeVisible();

    await form.getByLabel("Current password").fill(reset);
    await form.getByLabel("New password", { exact: true }).fill(reset);
    await form.getByLabel("Repeat the new password").fill(reset);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText("Choose a password different from your current one.")).toBeVisible();

    await form.getByLabel("Current password").fill(reset);
    await form.getByLabel("New password", { exact: true }).fill("mauve-otter-lantern-42");
    await form.getByLabel("Repeat the new password").fill("mauve-otter-lantern-42");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toContainText("Your password was changed.");
    await them.context.close();

    const again = await asPerson(browser);
    await submitSignIn(again.page, person, "/", reset);
    await expect(again.page.locator("main form").getByRole("alert")).toContainText("do not match an active staff account");
    await signIn(again.page, person, "/account", "mauve-otter-lantern-42");
    await again.context.close();
  });

  test("every change and refusal is in the audit log, with the state before and after and never a password", async () => {
    const byAction = async (action: string) => (await staffEvents(action)).filter((e) => e.query.email === person);
    const [added] = await byAction("staff.add");
    expect(added).toMatchObject({ outcome: "ok", actor_email: "admin@demo.local", query: { email: person, role: "agent", password: "generated" } });
    expect(added?.detail).toMatchObject({ via: "app", before: null, after: { role: "agent", disabled: false, password: true } });
    const [role] = await byAction("staff.role_change");
    expect(role?.detail).toMatchObject({ before: { role: "agent" }, after: { role: "auditor" } });
    expect((await byAction("staff.disable"))[0]?.detail).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
    expect((await byAction("staff.enable"))[0]?.detail).toMatchObject({ before: { disabled: true }, after: { disabled: false } });
    const resets = await byAction("staff.reset_password");
    expect(resets.map((e) => [e.outcome, e.refusal])).toEqual(
      expect.arrayContaining([
        ["ok", null],
        ["invalid", "password refused: breached"],
      ]),
    );

    const own = (await staffEvents("staff.password_change")).filter((e) => e.actor_email === person);
    expect(own.map((e) => [e.outcome, e.refusal])).toEqual(
      expect.arrayContaining([
        ["ok", null],
        ["denied", "wrong current password"],
        ["invalid", "same as the current password"],
        ["invalid", "password refused: breached"],
      ]),
    );
    const everything = JSON.stringify([
      ...(await staffEvents("staff.add")),
      ...(await staffEvents("staff.reset_password")),
      ...(await staffEvents("staff.password_change")),
    ]);
    for (const secret of [oneTime, "mauve-otter-lantern-42", "password1234"]) expect(everything).not.toContain(secret);
  });
});

test("an agent gets the 403 page at /admin/staff, and the refusal is recorded", async ({ page }) => {
  await signIn(page, "agent@demo.local", "/");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff" })).toHaveCount(0);
  await page.goto("/admin/staff");
  await expect(page.getByRole("heading", { name: "You don't have access to staff management" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Staff table" })).toHaveCount(0);
  const refused = (await staffEvents("staff.list")).find((e) => e.actor_email === "agent@demo.local");
  expect(refused).toMatchObject({ outcome: "denied", refusal: "role not allowed" });
});

for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.beforeEach(async ({ page, baseURL }) => {
      await useTheme(page, theme, baseURL ?? "");
    });

    for (const width of [1280, 360]) {
      test(`the staff and account pages have no axe violations at ${width} px, with errors and a one-time password shown`, async ({ page }) => {
        await page.setViewportSize({ width, height: 900 });
        await signIn(page, "admin@demo.local", "/admin/staff");
        await expect(page.locator("html")).toHaveClass(theme);
        await hydrated(page);
        await page.getByLabel("Email").fill("x");
        await page.getByRole("button", { name: "Add staff member" }).click();
        await expect(page.getByRole("region", { name: "Add a staff member" }).getByRole("alert")).toBeVisible();
        await page.getByLabel("Email").fill(`axe-${theme}-${width}-${Date.now()}@example.com`);
        await page.getByRole("button", { name: "Add staff member" }).click();
        await expect(page.getByTestId("one-time-password")).toBeVisible();
        await expectNoAxeViolations(page);

        await page.goto("/account");
        await hydrated(page);
        await page.getByRole("button", { name: "Change password" }).click();
        await expect(page.getByText("Enter your current password.")).toBeVisible();
        await expectNoAxeViolations(page);
      });
    }
  });
}
