import "server-only";
import { z } from "zod";
import { parseSettings } from "@/lib/settings/fields";
import { KNOWN_CUSTOMER_STATUSES } from "@/lib/devdraft/schemas";

const DEFAULT_ACCESS_REASONS = "Customer support request|Fraud investigation|Compliance review|Chargeback or dispute|Legal request";
// The issue's default named SUSPENDED as well, but Devdraft's contract has no such status (ACTIVE, BLACKLISTED,
// DEACTIVATED, and DELETED seen in answers): a status it cannot send would protect nothing, so it is refused.
const DEFAULT_SENSITIVE_STATUSES = "BLACKLISTED";
const REASON_MAX = 100;
const REASONS_MAX = 20;

const reasonList = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? DEFAULT_ACCESS_REASONS : v))
  .transform((v) => v.split("|").map((r) => r.trim()))
  .superRefine((list, ctx) => {
    if (list.some((r) => r === "")) ctx.addIssue({ code: "custom", message: "ACCESS_REASONS has an empty reason (two | in a row, or one at an end)" });
    for (const r of list.filter((r) => r.length > REASON_MAX))
      ctx.addIssue({ code: "custom", message: `ACCESS_REASONS: "${r.slice(0, 30)}…" is longer than ${REASON_MAX} characters` });
    for (const r of list.filter((r) => r.includes("·")))
      ctx.addIssue({ code: "custom", message: `ACCESS_REASONS: "${r}" must not contain "·" (it separates the reason from the ticket in the audit log)` });
    const dupes = list.filter((r, i) => r !== "" && list.indexOf(r) !== i);
    if (dupes.length) ctx.addIssue({ code: "custom", message: `ACCESS_REASONS names "${dupes[0]}" twice` });
    if (list.length > REASONS_MAX)
      ctx.addIssue({ code: "custom", message: `ACCESS_REASONS has ${list.length} reasons; at most ${REASONS_MAX} (a short list)` });
  });

const statusList = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? DEFAULT_SENSITIVE_STATUSES : v))
  .transform((v) => v.split(",").map((s) => s.trim().toUpperCase()))
  .superRefine((list, ctx) => {
    if (list.some((s) => s === "")) ctx.addIssue({ code: "custom", message: "SENSITIVE_STATUSES has an empty entry (two commas in a row, or one at an end)" });
    for (const s of list.filter((s) => s !== "" && !(KNOWN_CUSTOMER_STATUSES as readonly string[]).includes(s))) {
      ctx.addIssue({ code: "custom", message: `SENSITIVE_STATUSES: "${s}" is not a status Devdraft knows (${KNOWN_CUSTOMER_STATUSES.join(", ")})` });
    }
  });

const accessEnv = z.object({
  /** The reasons a staff member may give for a sensitive access, `|`-separated. */
  ACCESS_REASONS: reasonList,
  /** Customer statuses whose detail asks for a reason first, comma-separated. */
  SENSITIVE_STATUSES: statusList,
});

export type AccessSettings = z.infer<typeof accessEnv>;

/** Read at each use (cheap; no cache, so tests and restarts see the environment as it is); one line per problem. */
export function readAccessSettings(env: Readonly<Record<string, string | undefined>> = process.env): AccessSettings {
  return parseSettings(accessEnv, env);
}

/** Whether a customer with this status may only be opened with a reason. */
export function isSensitiveStatus(status: string | null, settings: AccessSettings = readAccessSettings()): boolean {
  return status !== null && settings.SENSITIVE_STATUSES.includes(status.trim().toUpperCase());
}
