// Issue 14, point 4: revealing contact details and starting an export need a sign-in within STEP_UP_MINUTES.
// "Ten minutes later" is made by moving the session's last sign-in back in the store, as time would.
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import Database from "better-sqlite3";
import { e2e } from "../playwright.config";
import { apiAs, sandbox } from "./helpers/api";
import { signIn } from "./helpers/auth";
import { expectNoAxeViolations } from "./helpers/axe";
import { giveReason, REASON } from "./helpers/reasons";

const store = () => new Database(join(e2e.dataDir ?? "", "portal.sqlite"));

/** Moves the newest open session of `email` to a sign-in eleven minutes ago. */
function signedInElevenMinutesAgo(email: string): void {
  const db = store();
  try {
    const at = new Date(Date.now() - 11 * 60_000).toISOString();
    const res = db
      .prepare(
        `update staff_sessions set authenticated_at = ? where id = (select s.id from staff_sessions s join staff on staff.id = s.staff_id
         where staff.email = ? and s.ended_at is null order by s.created_at desc limit 1)`,
      )
      .run(at, email);
    expect(res.changes).toBe(1);
  } finally {
    db.close();
  }
}

function eventsOf(requestId: string): { action: string; outcome: string; refusal: string | null; targets: string }[] {
  const db = store();
  try {
    return db.prepare("select action, outcome, refusal, targets from audit_events where request_id = ?").all(requestId) as never;
  } finally {
    db.close();
  }
}

async function someCustomerId(): Promise<string> {
  const { body } = await sandbox("/api/v0/customers?take=1&status=ACTIVE");
  const first = Array.isArray(body) ? (body[0] as { id?: string } | undefined) : undefined;
  if (!first?.id) throw new Error("the sandbox has no active customer");
  return first.id;
}

test("an old sign-in cannot reveal: the refusal is recorded with no customer, the password again lets it through", async () => {
  const agent = await apiAs("agent@demo.local");
  signedInElevenMinutesAgo("agent@demo.local");
  const id = await someCustomerId();
  const refused = await agent.post(`/api/customers/${id}/contact`, { data: REASON, headers: { origin: e2e.portalUrl } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe("step_up_required");
  expect(eventsOf(refused.headers()["x-request-id"] ?? "")).toEqual([
    { action: "customer.reveal", outcome: "denied", refusal: "step up required", targets: "[]" },
  ]);

  const wrong = await agent.post("/api/session/step-up", { data: { password: "not-it" }, headers: { origin: e2e.portalUrl } });
  expect(wrong.status()).toBe(403);
  expect((await wrong.json()).code).toBe("wrong_password");
  expect(eventsOf(wrong.headers()["x-request-id"] ?? "")).toMatchObject([{ action: "auth.step_up", outcome: "denied", refusal: "wrong password" }]);
  // Still refused after a wrong password.
  expect((await agent.post(`/api/customers/${id}/contact`, { data: REASON, headers: { origin: e2e.portalUrl } })).status()).toBe(403);

  const right = await agent.post("/api/session/step-up", { data: { password: "demo" }, headers: { origin: e2e.portalUrl } });
  expect(right.status()).toBe(200);
  expect(eventsOf(right.headers()["x-request-id"] ?? "")).toMatchObject([{ action: "auth.step_up", outcome: "ok" }]);
  const revealed = await agent.post(`/api/customers/${id}/contact`, { data: REASON, headers: { origin: e2e.portalUrl } });
  expect(revealed.status()).toBe(200);
  expect(eventsOf(revealed.headers()["x-request-id"] ?? "")).toMatchObject([{ action: "customer.reveal", outcome: "ok", targets: JSON.stringify([id]) }]);
});

async function confirmIdentity(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Password")).toBeFocused();
  const axe = await new AxeBuilder({ page }).include("#step-up-title").analyze();
  expect(axe.violations).toEqual([]);
  await dialog.getByLabel("Password").fill("wrong-password");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("That password is not right");
  await dialog.getByLabel("Password").fill("demo");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}

test("Reveal after ten minutes asks for the password in a dialog, then shows the contact", async ({ page }) => {
  await signIn(page, "agent@demo.local", "/customers");
  signedInElevenMinutesAgo("agent@demo.local");
  const reveal = page.getByRole("button", { name: /^Reveal contact for / }).first();
  const name = ((await reveal.getAttribute("aria-label")) ?? "").replace("Reveal contact for ", "");
  await reveal.click();
  await giveReason(page, "Reveal contact");
  await confirmIdentity(page);
  await expect(page.getByText(`Contact details for ${name} revealed.`)).toBeAttached();
});

/**
 * An old sign-in reveals with the reason prompt loaded, then the network gives no more scripts: the step-up prompt is
 * asked for and cannot load. Answers the customer's name and the dialog said in its place.
 */
async function revealWithStepUpOffline(page: Page) {
  await signIn(page, "agent@demo.local", "/customers");
  signedInElevenMinutesAgo("agent@demo.local");
  const reveal = page.getByRole("button", { name: /^Reveal contact for / }).first();
  const name = ((await reveal.getAttribute("aria-label")) ?? "").replace("Reveal contact for ", "");
  await reveal.click();
  await expect(page.getByRole("dialog", { name: `Reveal contact for ${name}` })).toBeVisible();
  await page.route("**/_next/static/chunks/**", (route) => route.abort("internetdisconnected"));
  await giveReason(page, "Reveal contact");
  return { name, notLoaded: page.getByRole("alertdialog", { name: "This could not be opened" }) };
}

test("when the step-up prompt's script does not arrive, a small dialog says so; Try again, back online, opens it", async ({ page }) => {
  const { name, notLoaded } = await revealWithStepUpOffline(page);
  await expect(notLoaded).toBeVisible();
  await expect(notLoaded.getByRole("button", { name: "Try again" })).toBeFocused();
  // The list is still there behind it: not the page's error screen.
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeAttached();
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
  await expectNoAxeViolations(page);
  // Still offline: Try again says so again. Back online: it loads and the prompt opens.
  await notLoaded.getByRole("button", { name: "Try again" }).click();
  await expect(notLoaded).toBeVisible();
  await page.unroute("**/_next/static/chunks/**");
  await notLoaded.getByRole("button", { name: "Try again" }).click();
  await expect(notLoaded).toBeHidden();
  await confirmIdentity(page);
  await expect(page.getByText(`Contact details for ${name} revealed.`)).toBeAttached();
});

test("Close on the not-loaded dialog gives up the action: nothing revealed, the list usable", async ({ page }) => {
  const { name, notLoaded } = await revealWithStepUpOffline(page);
  await notLoaded.getByRole("button", { name: "Close" }).click();
  await expect(notLoaded).toBeHidden();
  await expect(page.getByText(`Contact details for ${name} revealed.`)).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
});

test("an export after ten minutes asks for the password, then starts", async ({ page }) => {
  await signIn(page, "admin@demo.local", "/customers?status=BLACKLISTED");
  signedInElevenMinutesAgo("admin@demo.local");
  const section = page.getByRole("region", { name: "Export" });
  await section.getByRole("button", { name: "Export CSV" }).click();
  await giveReason(page, "Start export");
  await confirmIdentity(page);
  await expect(section.getByText(/Export of .+ finished|Exporting/).first()).toBeVisible();
});
