import { getExportEngine, requireExporter } from "@/lib/export/service";
import { jsonError, NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// Someone else's job answers exactly like a job that does not exist.
const NOT_FOUND = "Export not found";

/** Progress: rows, pages, time left, and how it ended. */
export const GET = apiRoute(async (_request: Request, { params }: Context, requestId) => {
  const staff = await requireExporter(requestId);
  const job = getExportEngine().get((await params).id, staff.id);
  if (!job) return jsonError(404, NOT_FOUND, requestId);
  return Response.json(job, { headers: { ...NO_STORE, "x-request-id": requestId } });
});

/** Cancel: aborts the in-flight upstream call and deletes what was written. */
export const DELETE = apiRoute(async (_request: Request, { params }: Context, requestId) => {
  const staff = await requireExporter(requestId);
  const engine = getExportEngine();
  const { id } = await params;
  if (!engine.cancel(id, staff.id)) return jsonError(404, NOT_FOUND, requestId);
  await engine.settled(id);
  return Response.json(engine.get(id, staff.id), { headers: { ...NO_STORE, "x-request-id": requestId } });
});
