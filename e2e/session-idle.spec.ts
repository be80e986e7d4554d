import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, request, test } from "@playwright/test";
import Database from "better-sqlite3";
import { e2e } from "../playwright.config";
import { signIn } from "./helpers/auth";
import { launchPortal, type Proc, stop, waitHealthy } from "./helpers/processes";

// The idle timeout with a shortened setting, on a portal of its own: 70 s, so the warning (60 s before the end)
// comes 10 s after the last activity.
const IDLE_S = 70;
const PORT = Number(process.env.E2E_PORTAL_PORT ?? "3100") + 5;
const URL_ = `http://127.0.0.1:${PORT}`;
const procs: Proc[] = [];
let dataDir = "";

test.describe.configure({ timeout: 240_000 });

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "portal-idle-"));
  // The suite's own portal has built .next before any spec runs: this one only starts it.
  const portal = launchPortal(
    procs,
    "idle portal",
    { port: String(PORT), sandboxPort: new URL(e2e.sandboxUrl).port, dataDir, url: URL_ },
    {
      SESSION_IDLE_SECONDS: String(IDLE_S),
      LOG_LEVEL: "warn",
    },
  );
  await waitHealthy(portal, `${URL_}/api/health`, 90_000);
});

test.afterAll(async () => {
  await Promise.all(procs.map(stop));
  rmSync(dataDir, { recursive: true, force: true });
});

test("a minute before the idle timeout every tab warns; staying is shared; silence signs out and is recorded once", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: URL_ });
  const first = await context.newPage();
  await signIn(first, "agent@demo.local", "/account/sessions");
  const second = await context.newPage();
  await second.goto("/account/sessions");
  const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token")?.value ?? "";

  const warning = (page: typeof first) => page.getByRole("alertdialog", { name: "Are you still there?" });
  await expect(warning(first)).toBeVisible({ timeout: 30_000 });
  await expect(warning(second)).toBeVisible({ timeout: 15_000 });
  await first.bringToFront();
  await expect(warning(first).getByRole("button", { name: "Stay signed in" })).toBeFocused();
  const axe = await new AxeBuilder({ page: first }).include("dialog").analyze();
  expect(axe.violations).toEqual([]);

  // Staying in one tab closes the warning in the other as well.
  await warning(first).getByRole("button", { name: "Stay signed in" }).click();
  await expect(warning(first)).toBeHidden();
  await expect(warning(second)).toBeHidden({ timeout: 5_000 });

  // Then nothing: the warning again, and at the end both tabs are at the sign-in page.
  await expect(warning(second)).toBeVisible({ timeout: 30_000 });
  // The sign-in page says why, and brings the person back to where they were.
  await expect(first).toHaveURL(/\/login\?ended=idle&callbackUrl=%2Faccount%2Fsessions$/, { timeout: (IDLE_S + 20) * 1000 });
  await expect(second).toHaveURL(/\/login/, { timeout: 15_000 });
  await expect(first.getByRole("status")).toContainText("without activity");

  // The server ended it, not the browser: the cookie, replayed, is refused.
  const replay = await request.newContext({ baseURL: URL_, extraHTTPHeaders: { cookie: `next-auth.session-token=${cookie}` } });
  expect((await replay.get("/api/sessions")).status()).toBe(401);
  await replay.dispose();
  await context.close();

  const db = new Database(join(dataDir, "portal.sqlite"), { readonly: true });
  try {
    const ends = db.prepare("select actor_email, refusal, session_id from audit_events where action = 'auth.session_expired'").all() as {
      actor_email: string;
      refusal: string;
      session_id: string;
    }[];
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ actor_email: "agent@demo.local", refusal: "idle timeout" });
    const session = db.prepare("select end_reason from staff_sessions where id = ?").get(ends[0]?.session_id) as { end_reason: string };
    expect(session.end_reason).toBe("idle timeout");
  } finally {
    db.close();
  }
});
