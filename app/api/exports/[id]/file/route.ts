import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { exportFileName } from "@/lib/export/file-name";
import { getExportEngine, requireExporter } from "@/lib/export/service";
import { jsonError, NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** The finished CSV, only once it is complete and on record; deleted from the server once sent. */
export const GET = apiRoute(async (_request: Request, { params }: Context, requestId) => {
  const staff = await requireExporter(requestId);
  const file = getExportEngine().file((await params).id, staff.id);
  if (!file) return jsonError(404, "No finished export file here (it may still be running, have failed, or been downloaded already)", requestId);
  const { size } = await stat(file.path);
  const stream = createReadStream(file.path);
  // Deleted once read to the end; an interrupted download keeps it for another try (until the hour is up).
  stream.on("end", () => void file.release());
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      ...NO_STORE,
      "content-type": "text/csv; charset=utf-8",
      "content-length": String(size),
      "content-disposition": `attachment; filename="${exportFileName(new Date(file.startedAt))}"`,
      "x-request-id": requestId,
    },
  });
});
