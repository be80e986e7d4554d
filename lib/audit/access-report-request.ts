import { z } from "zod";

// The access report's query string, shared by its page and its CSV route: a customer (id or email) and a
// period of whole UTC days, `to` included, like the audit filters.

const DAY_MS = 86_400_000;
const KEYS = ["customer", "from", "to"] as const;

export type AccessReportParams = URLSearchParams | Record<string, string | string[] | undefined>;
type AccessReportSubject = { by: "id"; id: string } | { by: "email"; email: string };

function utcDay(field: "from" | "to") {
  const label = field === "from" ? "The start date" : "The end date";
  return z
    .string({ error: `${label} is missing` })
    .trim()
    .min(1, `${label} is missing`)
    .refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(Date.parse(`${text}T00:00:00Z`)).toISOString().startsWith(text), {
      error: `${label} must be a calendar date (YYYY-MM-DD)`,
    })
    .transform((text) => new Date(Date.parse(`${text}T00:00:00Z`) + (field === "to" ? DAY_MS : 0)));
}

const subject = z
  .string({ error: "Enter a customer id or email" })
  .trim()
  .min(1, "Enter a customer id or email")
  .max(320, "A customer id or email is at most 320 characters")
  .transform((text, ctx): AccessReportSubject => {
    if (text.includes("@")) {
      const email = z.email().safeParse(text);
      if (email.success) return { by: "email", email: email.data.toLowerCase() };
      ctx.addIssue({ code: "custom", message: "This is not an email address" });
      return z.NEVER;
    }
    const id = z.guid().safeParse(text);
    if (id.success) return { by: "id", id: id.data.toLowerCase() };
    ctx.addIssue({ code: "custom", message: "A customer id looks like 3f1c2a9e-…-… (a UUID)" });
    return z.NEVER;
  });

const accessReportRequestSchema = z
  .object({ customer: subject, from: utcDay("from"), to: utcDay("to") })
  .refine((r) => r.from < r.to, { error: "The end date is before the start date", path: ["to"] });

export type AccessReportRequest = z.output<typeof accessReportRequestSchema>;
export type AccessReportValidation = { ok: true; request: AccessReportRequest } | { ok: false; messages: string[] };

function values(params: AccessReportParams, key: string): string[] {
  return params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
}

/** No period chosen yet: the form before its first use, perhaps with a customer filled in by a link. */
export function isBlankAccessReport(params: AccessReportParams): boolean {
  return (["from", "to"] as const).every((key) => values(params, key).every((v) => v.trim() === ""));
}

/** Validates the query string; a repeated key is an error rather than a silent pick of one value. */
export function parseAccessReportRequest(params: AccessReportParams): AccessReportValidation {
  const raw: Record<string, string> = {};
  const messages: string[] = [];
  for (const key of KEYS) {
    const given = values(params, key);
    if (given.length > 1) messages.push(`${key} must be given once`);
    else if (given[0] !== undefined) raw[key] = given[0];
  }
  const parsed = accessReportRequestSchema.safeParse(raw);
  if (!parsed.success) messages.push(...parsed.error.issues.map((i) => i.message));
  if (messages.length > 0 || !parsed.success) return { ok: false, messages };
  return { ok: true, request: parsed.data };
}

/** The request as it came, for the record of a refusal (the recorder caps its size). */
export function rawAccessReportQuery(params: AccessReportParams): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = {};
  const keys = params instanceof URLSearchParams ? new Set(params.keys()) : Object.keys(params);
  for (const key of keys) {
    const given = values(params, key);
    if (given.length > 0) raw[key] = given.length === 1 ? (given[0] ?? "") : given;
  }
  return raw;
}

/** The UTC day a period starts on and the last day it includes, as the form shows them. */
export function periodDays(period: { from: Date; to: Date }): { from: string; to: string } {
  return { from: period.from.toISOString().slice(0, 10), to: new Date(period.to.getTime() - DAY_MS).toISOString().slice(0, 10) };
}

/** The query string of one customer's report: what the page links to and the CSV download reads. */
export function accessReportParams(customerId: string, period: { from: Date; to: Date }, extra: Record<string, string> = {}): URLSearchParams {
  const days = periodDays(period);
  return new URLSearchParams({ customer: customerId, from: days.from, to: days.to, ...extra });
}
