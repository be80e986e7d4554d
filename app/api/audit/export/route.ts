import type { NextRequest } from "next/server";
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, exportStream, type ExportFormat } from "@/lib/audit/export";
import { auditReaderAccess } from "@/lib/audit-service/reader-access";
import { asOfHeader, auditReadSource } from "@/lib/audit/read-source";
import { NO_STORE } from "@/lib/http/api-error";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

function formatOf(params: URLSearchParams): ExportFormat | null {
  const values = params.getAll("format");
  return values.length > 1 ? null : (EXPORT_FORMATS.find((f) => f === (values[0] ?? "csv")) ?? null);
}

export const GET = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const params = request.nextUrl.searchParams;
  const format = formatOf(params);
  const problems = format ? [] : [`format must be one of the following values: ${EXPORT_FORMATS.join(", ")}`];
  // The export is on record (audit.export) before the first byte is streamed.
  const { filter } = await auditReaderAccess("audit.export", params, requestId, { format: params.get("format") ?? "csv" }, problems);
  if (!format) throw new Error("unreachable: an invalid format is refused above");
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-");
  const source = await auditReadSource();
  return new Response(exportStream(source.db, filter, format), {
    headers: {
      ...NO_STORE,
      "content-type": EXPORT_CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="audit-${stamp}.${format}"`,
      "x-request-id": requestId,
      ...asOfHeader(source),
    },
  });
});
