import { exportDoor } from "@/lib/export/service";
import { services } from "@/lib/services";
import { NO_STORE } from "@/lib/http/api-error";
import { NotFoundError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// Someone else's job answers exactly like a job that does not exist.
const NOT_FOUND = "Export not found";

/** Progress: rows, pages, time left, and how it ended. Polled every second, so only refusals are recorded. */
export const GET = apiRoute(async (_request: Request, { params }: Context, requestId) => {
  const { id } = await params;
  const job = await exportDoor({
    action: "export.status",
    requestId,
    query: { exportId: id },
    record: "refusals",
    async run(staff) {
      const found = await services().exports().get(id, staff.id);
      if (!found) throw new NotFoundError(NOT_FOUND);
      return { value: found };
    },
  });
  return Response.json(job, { headers: { ...NO_STORE, "x-request-id": requestId } });
});

/** Cancel: aborts the in-flight upstream call and deletes the pages written so far. */
export const DELETE = apiRoute(async (_request: Request, { params }: Context, requestId) => {
  const { id } = await params;
  const job = await exportDoor({
    action: "export.cancel",
    requestId,
    query: { exportId: id },
    async run(staff) {
      // Stops it wherever it runs: at once here, at the runner's next heartbeat on another instance.
      const cancelled = await services().exports().cancel(id, staff.id);
      if (!cancelled) throw new NotFoundError(NOT_FOUND);
      return { value: cancelled };
    },
  });
  return Response.json(job, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
