import { getExportEngine, requireExporter } from "@/lib/export/service";
import { errorResponse, jsonError, NO_STORE } from "@/lib/http/api-error";
import { requestId as currentRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// Someone else's job answers exactly like a job that does not exist.
const NOT_FOUND = "Export not found";

/** Progress: rows, pages, time left, and how it ended. */
export async function GET(_request: Request, { params }: Context) {
  const requestId = await currentRequestId();
  try {
    const staff = await requireExporter(requestId);
    const job = getExportEngine().get((await params).id, staff.id);
    if (!job) return jsonError(404, NOT_FOUND, requestId);
    return Response.json(job, { headers: { ...NO_STORE, "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}

/** Cancel: aborts the in-flight upstream call and deletes what was written. */
export async function DELETE(_request: Request, { params }: Context) {
  const requestId = await currentRequestId();
  try {
    const staff = await requireExporter(requestId);
    const engine = getExportEngine();
    const { id } = await params;
    if (!engine.cancel(id, staff.id)) return jsonError(404, NOT_FOUND, requestId);
    await engine.settled(id);
    return Response.json(engine.get(id, staff.id), { headers: { ...NO_STORE, "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
