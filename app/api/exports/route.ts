import type { NextRequest } from "next/server";
import { ExportBusyError } from "@/lib/export/engine";
import { ROLES } from "@/lib/roles";
import { requireStaff } from "@/lib/auth/session";
import { purposeOf } from "@/lib/customers/service";
import { exportDoor, mayExport, startExport } from "@/lib/export/service";
import { services } from "@/lib/services";
import { exportRequestSchema } from "@/lib/export/types";
import { jsonError, NO_STORE } from "@/lib/http/api-error";
import { InvalidQueryError, NotGrantedError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/** Whether the signed-in staff member may export (admin, or agent with a live grant), and their exports. */
export const GET = apiRoute(async (_request: NextRequest, _context: unknown, requestId) => {
  // A question, not an attempt: others learn they may not, without a refusal on record.
  const staff = await requireStaff(ROLES);
  const allowed = await mayExport(staff).then(
    () => true,
    (err: unknown) => {
      if (err instanceof NotGrantedError) return false;
      throw err;
    },
  );
  const exports = allowed ? await services().exports().list(staff.id) : [];
  return Response.json({ allowed, exports }, { headers: { ...NO_STORE, "x-request-id": requestId } });
});

/** Starts an export of the current filters, with the reason given: 202 with its id. */
export const POST = apiRoute(async (request: Request, _context: unknown, requestId) => {
  try {
    // Read before the gate (a body can be read once); it is validated inside, never stored.
    const body: unknown = await request.json().catch(() => null);
    const job = await exportDoor({
      action: "export.start",
      requestId,
      stepUp: true,
      query: {},
      async run(staff) {
        // The grant is read from the store at this call: an expired or revoked one is refused here.
        const { grantId } = await mayExport(staff);
        const parsed = exportRequestSchema.safeParse(body);
        if (!parsed.success) {
          throw new InvalidQueryError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`));
        }
        const purpose = purposeOf({ reason: parsed.data.reason, ticket: parsed.data.ticket }, true) as string;
        const started = await startExport(staff, parsed.data, requestId, { purpose, grantId });
        return { value: started, query: started.query, purpose, detail: { exportId: started.id, ...(grantId ? { grantId } : {}) } };
      },
    });
    return Response.json(job, { status: 202, headers: { ...NO_STORE, "x-request-id": requestId, location: `/api/exports/${job.id}` } });
  } catch (err) {
    if (err instanceof ExportBusyError) return jsonError(409, err.message, requestId);
    throw err;
  }
});
