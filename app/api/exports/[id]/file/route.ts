import { exportFileName } from "@/lib/export/file-name";
import { exportDoor, mayExport } from "@/lib/export/service";
import { services } from "@/lib/services";
import { NO_STORE } from "@/lib/http/api-error";
import { NotFoundError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * The finished CSV, only once it is complete and on record, from whichever instance is asked: its pages are
 * decrypted one by one as they are sent (never a decrypted file anywhere) and deleted from the store once sent.
 * An expired or already downloaded file answers 410.
 */
export const GET = apiRoute(async (_request: Request, { params }: Context, requestId) => {
  const { id } = await params;
  const file = await exportDoor({
    action: "export.download",
    requestId,
    query: { exportId: id },
    async run(staff) {
      // An agent downloads only under a live grant (checked now, not when the export started).
      const { grantId } = await mayExport(staff);
      const found = await services().exports().file(id, staff.id);
      if (!found) throw new NotFoundError("No finished export file here (it may still be running, or have failed or been cancelled)");
      return { value: found, purpose: found.purpose, ...(grantId ? { detail: { grantId } } : {}) };
    },
  });
  const chunks = file.chunks();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (!next.done) {
          controller.enqueue(next.value);
          return;
        }
        controller.close();
        // Deleted once sent to the end; an interrupted download keeps it for another try (until EXPORT_TTL).
        await file.release().catch((err: unknown) => log.error({ err, exportId: id, requestId }, "could not delete a downloaded export"));
      } catch (err) {
        log.error({ err, exportId: id, requestId }, "export download failed while streaming");
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      ...NO_STORE,
      "content-type": "text/csv; charset=utf-8",
      "content-length": String(file.size),
      "content-disposition": `attachment; filename="${exportFileName(new Date(file.startedAt))}"`,
      "x-request-id": requestId,
    },
  });
});
