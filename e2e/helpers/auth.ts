import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo";

/** Signs in through the real form, as a person would, and waits until the portal has let them in. */
export async function signIn(page: Page, email = "agent@demo.local", callbackPath = "/", password = DEMO_PASSWORD) {
  await submitSignIn(page, email, callbackPath, password);
  await expect(page).not.toHaveURL(/\/login/);
}

/** Fills and sends the sign-in form, without waiting for the outcome (a refused sign-in stays on /login). */
export async function submitSignIn(page: Page, email: string, callbackPath: string, password: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  // The form signs in from JavaScript; a submit before hydration would be a plain GET that goes nowhere.
  await page.waitForFunction(() => {
    const form = document.querySelector("form");
    return form !== null && Object.keys(form).some((key) => key.startsWith("__react"));
  });
  // English by default; German when a spec's browser asks for it (Accept-Language decides the sign-in page).
  await page.getByLabel(/^(Email|E-Mail)$/).fill(email);
  await page.getByLabel(/^(Password|Passwort)$/).fill(password);
  await page.getByRole("button", { name: /^(Sign in|Anmelden)$/ }).click();
}

/** Forces a theme the way the toggle does: the `theme` cookie the server reads. */
export async function useTheme(page: Page, theme: "light" | "dark", baseURL: string) {
  await page.context().addCookies([{ name: "theme", value: theme, url: baseURL }]);
  await page.emulateMedia({ colorScheme: theme });
}
