import "server-only";
import type { Message } from "@/lib/i18n/keys";

/** The rules a new password must meet, wherever it is set (own change, an admin's reset, the CLI). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

// About 49,000 passwords seen most often in breaches, as zxcvbn-ts ships them (lowercase). Loaded on first use,
// server-side only: the list is ~400 kB and is decompressed once per process.
let breached: Promise<ReadonlySet<string>> | undefined;

function breachedPasswords(): Promise<ReadonlySet<string>> {
  breached ??= import("@zxcvbn-ts/language-common").then(({ dictionary }) => new Set(dictionary["passwords-common"]));
  return breached;
}

/** Whether the password (compared case-insensitively, as the list is lowercase) is in the breached-password list. */
export async function isBreachedPassword(password: string): Promise<boolean> {
  return (await breachedPasswords()).has(password.normalize("NFKC").toLowerCase());
}

/** Why a new password is refused: a short reason to record (never the password) and a sentence for the person. */
export type PasswordProblem = { reason: "too short" | "too long" | "breached"; message: Message };

/** Why a new password is refused; null when it may be used. */
export async function passwordProblem(password: string): Promise<PasswordProblem | null> {
  // Counted in code points, so a password of emoji or accented letters is measured as a person sees it.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what is meant here
  const length = [...password.normalize("NFKC")].length;
  if (length < PASSWORD_MIN) return { reason: "too short", message: { key: "password.refusals.tooShort", vars: { min: PASSWORD_MIN, length } } };
  if (length > PASSWORD_MAX) return { reason: "too long", message: { key: "password.refusals.tooLong", vars: { max: PASSWORD_MAX } } };
  if (await isBreachedPassword(password)) return { reason: "breached", message: { key: "password.refusals.breached" } };
  return null;
}
