import { z } from "zod";
import { AUDIT_OUTCOMES } from "./actions";

// One query schema for the audit page, GET /api/audit and the export: the URL is the state.

const AUDIT_LIMIT_MAX = 200;
export const AUDIT_LIMIT_DEFAULT = 50;
/**
 * Lists never count exactly over the whole log: a count stops at this many matches and the page says "more than"
 * (a LIMIT N+1 probe read through the filter's index, so it costs at most N+1 index entries whatever the log's size).
 */
export const AUDIT_COUNT_CAP = 1000;

/** Where a page starts: strictly older than `seq` (Next) or strictly newer (Previous). */
export type AuditCursor = { seq: number; dir: "older" | "newer" };

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.dir === "newer" ? "+" : ""}${cursor.seq}`, "utf8").toString("base64url");
}

export function decodeCursor(text: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(text)) return null;
  const match = /^(\+?)([1-9][0-9]{0,15})$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  if (!match?.[2]) return null;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? { seq, dir: match[1] ? "newer" : "older" } : null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// What <input type="datetime-local"> sends (no zone): read as UTC, like every time on the audit pages.
const LOCAL_MINUTES = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant as the stored `at` text (ISO, UTC, milliseconds); a bare `to` date means the end of that day. */
function instant(field: "from" | "to") {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    let ms = Number.NaN;
    if (DATE_ONLY.test(text)) ms = Date.parse(`${text}T00:00:00Z`) + (field === "to" ? 86_400_000 : 0);
    else if (LOCAL_MINUTES.test(text)) ms = Date.parse(`${text}Z`);
    else if (ZONED.test(text)) ms = Date.parse(text);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: `${field} must be an ISO 8601 date or date-time` });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });
}

const text = (field: string, max: number) => z.string().trim().max(max, `${field} must be shorter than or equal to ${max} characters`);

const auditFilterSchema = z
  .object({
    actor: text("actor", 320).optional(),
    action: text("action", 100)
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, "action must look like `customer.view`")
      .optional(),
    customer: text("customer", 200).optional(),
    /** A client address exactly as recorded. */
    address: text("address", 100).optional(),
    /** A session (sign-in) id exactly as recorded. */
    session: text("session", 200).optional(),
    outcome: z.enum(AUDIT_OUTCOMES, { error: `outcome must be one of the following values: ${AUDIT_OUTCOMES.join(", ")}` }).optional(),
    from: instant("from").optional(),
    to: instant("to").optional(),
    cursor: z
      .string()
      .transform((text, ctx) => {
        const cursor = decodeCursor(text);
        if (!cursor) ctx.addIssue({ code: "custom", message: "cursor is not one this server issued" });
        return cursor ?? z.NEVER;
      })
      .optional(),
    limit: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? AUDIT_LIMIT_DEFAULT : Number(v)))
      .pipe(
        z
          .number({ error: "limit must be an integer number" })
          .int("limit must be an integer number")
          .min(1, "limit must not be less than 1")
          .max(AUDIT_LIMIT_MAX, `limit must not be greater than ${AUDIT_LIMIT_MAX}`),
      ),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { error: "from must be before to", path: ["from"] });

export type AuditFilter = z.output<typeof auditFilterSchema>;
export type AuditFilterParams = URLSearchParams | Record<string, string | string[] | undefined>;
export type AuditFilterValidation = { ok: true; filter: AuditFilter } | { ok: false; messages: string[] };

const KEYS = ["actor", "action", "customer", "address", "session", "outcome", "from", "to", "cursor", "limit"] as const;

/**
 * Validates the query string; a repeated key is an error rather than a silent pick of one value.
 * Empty values count as absent, which is what a GET form sends for a field left blank.
 */
export function parseAuditFilter(params: AuditFilterParams): AuditFilterValidation {
  const raw: Record<string, string> = {};
  const messages: string[] = [];
  for (const key of KEYS) {
    const values = params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
    if (values.length > 1) messages.push(`${key} must be given once`);
    else if (values[0] !== undefined && values[0].trim() !== "") raw[key] = values[0];
  }
  const parsed = auditFilterSchema.safeParse(raw);
  if (!parsed.success) messages.push(...parsed.error.issues.map((i) => i.message));
  if (messages.length > 0 || !parsed.success) return { ok: false, messages };
  return { ok: true, filter: parsed.data };
}

/** The filters a person sets (everything but the cursor and the page size). */
export const FILTER_KEYS = ["actor", "action", "customer", "address", "session", "outcome", "from", "to"] as const;

/** The filter as query-string pairs (no cursor, default limit omitted), for links and the export. */
export function filterToParams(filter: AuditFilter, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (filter.limit !== AUDIT_LIMIT_DEFAULT) params.set("limit", String(filter.limit));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params;
}
