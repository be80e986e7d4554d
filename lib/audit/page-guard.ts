import "server-only";
import { redirect } from "next/navigation";
import { recordAudit } from "@/lib/audit";
import { AUDIT_READERS } from "@/lib/auth/roles";
import { currentStaff, type Staff } from "@/lib/auth/session";
import { requestId } from "@/lib/http/request-id";

/** An audit page: signed in with an audit role, and the viewing itself on record (`audit.view`). */
export async function auditPageAccess(path: string, query: Record<string, unknown>): Promise<Staff | "forbidden"> {
  const staff = await currentStaff();
  if (!staff) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  const allowed = AUDIT_READERS.includes(staff.role);
  await recordAudit({
    actor: { id: staff.id, email: staff.email },
    action: "audit.view",
    targets: [],
    query: { path, ...query },
    requestId: await requestId(),
    outcome: allowed ? "ok" : "denied",
  });
  return allowed ? staff : "forbidden";
}
