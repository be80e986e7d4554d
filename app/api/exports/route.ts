import { ExportBusyError } from "@/lib/export/engine";
import { getExportEngine, requireExporter, startExport } from "@/lib/export/service";
import { exportRequestSchema } from "@/lib/export/types";
import { errorResponse, InvalidQueryError, jsonError, NO_STORE } from "@/lib/http/api-error";
import { requestId as currentRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

/** The signed-in admin's exports (so a reload finds a running one); 403 for everyone else. */
export async function GET() {
  const requestId = await currentRequestId();
  try {
    const staff = await requireExporter(requestId);
    return Response.json({ exports: getExportEngine().list(staff.id) }, { headers: { ...NO_STORE, "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}

/** Starts an export of the current filters: 202 with its id. */
export async function POST(request: Request) {
  const requestId = await currentRequestId();
  try {
    const staff = await requireExporter(requestId);
    const body: unknown = await request.json().catch(() => null);
    const parsed = exportRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new InvalidQueryError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`));
    }
    const job = startExport(staff, parsed.data, requestId);
    return Response.json(job, { status: 202, headers: { ...NO_STORE, "x-request-id": requestId, location: `/api/exports/${job.id}` } });
  } catch (err) {
    if (err instanceof ExportBusyError) return jsonError(409, err.message, requestId);
    return errorResponse(err, requestId);
  }
}
