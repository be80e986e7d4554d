import "server-only";
import { audited } from "@/lib/access/gate";
import { AUDIT_READERS } from "@/lib/roles";
import type { Staff } from "@/lib/auth/session";
import { InvalidQueryError } from "@/lib/errors";
import { type AuditFilter, type AuditFilterParams, parseAuditFilter } from "@/lib/audit/filters";

type ReaderAction = "audit.view" | "audit.export";

function rawQuery(params: AuditFilterParams): Record<string, unknown> {
  return params instanceof URLSearchParams ? Object.fromEntries(params) : { ...params };
}

/**
 * Every audit API answer through the one gate: an audit role and a valid query, with the reading itself on record
 * before any event leaves the server. `problems` are the caller's own validation messages for parameters beyond
 * the filter (e.g. the export's format).
 */
export async function auditReaderAccess(
  action: ReaderAction,
  params: AuditFilterParams,
  requestId: string,
  extra: Record<string, unknown> = {},
  problems: readonly string[] = [],
): Promise<{ staff: Staff; filter: AuditFilter }> {
  return audited({
    action,
    roles: AUDIT_READERS,
    requestId,
    query: { ...rawQuery(params), ...extra },
    async run(staff) {
      const parsed = parseAuditFilter(params);
      if (!parsed.ok || problems.length > 0) throw new InvalidQueryError([...(parsed.ok ? [] : parsed.messages), ...problems]);
      const { cursor, ...rest } = parsed.filter;
      return { value: { staff, filter: parsed.filter }, query: { ...rest, ...(cursor ? { cursor } : {}), ...extra } };
    },
  });
}
