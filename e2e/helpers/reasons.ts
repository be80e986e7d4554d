import { expect, type Page } from "@playwright/test";

export const REASON = { reason: "Fraud investigation", ticket: "INC-4242" };
export const PURPOSE = `${REASON.reason} · ticket ${REASON.ticket}`;

/** Fills the open reason-for-access dialog and submits it with its `submit` button. */
export async function giveReason(page: Page, submit: string, reason = REASON) {
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Reason for access", { exact: true }).selectOption(reason.reason);
  await dialog.getByLabel("Ticket reference", { exact: true }).fill(reason.ticket);
  await dialog.getByRole("button", { name: submit }).click();
}
