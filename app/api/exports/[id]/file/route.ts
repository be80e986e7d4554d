import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { exportFileName } from "@/lib/export/file-name";
import { exportDoor, getExportEngine, mayExport } from "@/lib/export/service";
import { NO_STORE, NotFoundError } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** The finished CSV, only once it is complete and on record; deleted from the server once sent. */
export const GET = apiRoute(async (_request: Request, { params }: Context, requestId) => {
  const { id } = await params;
  const file = await exportDoor({
    action: "export.download",
    requestId,
    query: { exportId: id },
    async run(staff) {
      // An agent downloads only under a live grant (checked now, not when the export started).
      const { grantId } = await mayExport(staff);
      const found = getExportEngine().file(id, staff.id);
      if (!found) throw new NotFoundError("No finished export file here (it may still be running, have failed, or been downloaded already)");
      return { value: found, purpose: found.purpose, ...(grantId ? { detail: { grantId } } : {}) };
    },
  });
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
