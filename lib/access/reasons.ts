// Reasons for access (issue 14, point 5): one of the configured reasons plus a ticket reference.
// Shared by the server (which decides) and the browser (which asks): pure, no Node APIs.

/** A ticket reference: 1–64 characters of letters, digits and `# . _ : / -` (INC-123, JIRA:SEC-42, #5512, zd/88). */
export const TICKET_MAX_LENGTH = 64;
export const TICKET_PATTERN_SOURCE = "[A-Za-z0-9#._:/\\-]{1,64}";
const TICKET = new RegExp(`^${TICKET_PATTERN_SOURCE}$`);
const TICKET_RULE = "1–64 characters: letters, digits and # . _ : / -";

/** A reason as given: which configured reason, and the ticket it belongs to. */
export type AccessReason = { reason: string; ticket: string };

/** A problem with a reason as a code, for a form that names it in the person's language (`reveal.problems.*`). */
export type ReasonProblem = "required" | "reasonMissing" | "reasonUnknown" | "ticketMissing" | "ticketInvalid";

export type ReasonCheck = { ok: true; reason: AccessReason; purpose: string } | { ok: false; missing: boolean; messages: string[]; problems: ReasonProblem[] };

/** How a reason is stored in an event's `purpose` (and shown in the audit table, the access report and its CSV). */
export function formatPurpose(r: AccessReason): string {
  return `${r.reason} · ticket ${r.ticket}`;
}

/**
 * Checks a reason against the configured list. `missing`: neither field was given at all (the caller asks for one);
 * otherwise every problem is named. Values are compared exactly (after trimming) with the configured reasons.
 */
export function checkAccessReason(raw: { reason?: unknown; ticket?: unknown }, allowed: readonly string[]): ReasonCheck {
  const reason = typeof raw.reason === "string" ? raw.reason.trim() : raw.reason;
  const ticket = typeof raw.ticket === "string" ? raw.ticket.trim() : raw.ticket;
  const absent = (v: unknown) => v === undefined || v === null || v === "";
  if (absent(reason) && absent(ticket))
    return { ok: false, missing: true, messages: ["A reason for access is required: choose a reason and give a ticket reference"], problems: ["required"] };
  const messages: string[] = [];
  const problems: ReasonProblem[] = [];
  const refuse = (problem: ReasonProblem, message: string) => {
    problems.push(problem);
    messages.push(message);
  };
  if (absent(reason)) refuse("reasonMissing", "reason: choose one of the configured reasons");
  else if (typeof reason !== "string" || !allowed.includes(reason)) refuse("reasonUnknown", `reason: must be one of: ${allowed.join(" | ")}`);
  if (absent(ticket)) refuse("ticketMissing", "ticket: a ticket reference is required");
  else if (typeof ticket !== "string" || !TICKET.test(ticket)) refuse("ticketInvalid", `ticket: must be ${TICKET_RULE}`);
  if (messages.length > 0) return { ok: false, missing: false, messages, problems };
  const given = { reason: reason as string, ticket: ticket as string };
  return { ok: true, reason: given, purpose: formatPurpose(given) };
}
