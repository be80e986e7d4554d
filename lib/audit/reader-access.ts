import "server-only";
import { AUDIT_READERS } from "@/lib/auth/roles";
import { AuthError, currentStaff, type Staff } from "@/lib/auth/session";
import { AuditUnavailableError, InvalidQueryError } from "@/lib/http/api-error";
import { type AuditFilter, type AuditFilterParams, parseAuditFilter } from "./filters";
import { recordAudit } from "./index";

type ReaderAction = "audit.view" | "audit.export";

function rawQuery(params: AuditFilterParams): Record<string, unknown> {
  return params instanceof URLSearchParams ? Object.fromEntries(params) : { ...params };
}

/**
 * The gate of every audit API answer: signed in with an audit role and a valid query, with the reading itself
 * on record before any event leaves the server. Refusals are recorded too (best effort). `problems` are the
 * caller's own validation messages for parameters beyond the filter (e.g. the export's format).
 */
export async function auditReaderAccess(
  action: ReaderAction,
  params: AuditFilterParams,
  requestId: string,
  extra: Record<string, unknown> = {},
  problems: readonly string[] = [],
): Promise<{ staff: Staff; filter: AuditFilter }> {
  const staff = await currentStaff();
  const actor = staff && { id: staff.id, email: staff.email };
  const refuse = async (outcome: "denied" | "invalid", err: Error): Promise<never> => {
    await recordAudit({ actor, action, targets: [], query: { ...rawQuery(params), ...extra }, requestId, outcome }).catch(() => undefined);
    throw err;
  };
  if (!staff) return refuse("denied", new AuthError(401, "Sign in to continue"));
  if (!AUDIT_READERS.includes(staff.role)) return refuse("denied", new AuthError(403, "Your role does not allow this"));
  const parsed = parseAuditFilter(params);
  if (!parsed.ok || problems.length > 0) return refuse("invalid", new InvalidQueryError([...(parsed.ok ? [] : parsed.messages), ...problems]));
  const { cursor, ...rest } = parsed.filter;
  try {
    await recordAudit({ actor, action, targets: [], query: { ...rest, ...(cursor ? { cursor } : {}), ...extra }, requestId, outcome: "ok" });
  } catch {
    throw new AuditUnavailableError("audit write failed");
  }
  return { staff, filter: parsed.filter };
}
