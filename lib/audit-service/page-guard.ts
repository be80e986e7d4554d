import "server-only";
import { redirect } from "next/navigation";
import { audited } from "@/lib/access/gate";
import { AUDIT_READERS } from "@/lib/roles";
import { type Staff } from "@/lib/auth/session";
import { AuthError } from "@/lib/errors";
import { requestId } from "@/lib/http/request-id";

/** An audit page through the one gate: signed in with an audit role, and the viewing itself on record (`audit.view`). */
export async function auditPageAccess(path: string, query: Record<string, unknown>): Promise<Staff | "forbidden"> {
  try {
    return await audited({
      action: "audit.view",
      roles: AUDIT_READERS,
      requestId: await requestId(),
      query: { path, ...query },
      run: async (staff) => ({ value: staff }),
    });
  } catch (err) {
    if (err instanceof AuthError && err.status === 403) return "forbidden";
    if (err instanceof AuthError) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
    throw err;
  }
}
