import type { NextRequest } from "next/server";
import { accessReportCsv } from "@/lib/audit/access-report-csv";
import { accessReportReader, refuseAccessReport, runAccessReport } from "@/lib/audit-service/access-report-gate";
import { parseAccessReportRequest, periodDays, rawAccessReportQuery } from "@/lib/audit/access-report-request";
import { NO_STORE } from "@/lib/http/api-error";
import { InvalidQueryError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/** GET /api/audit/access-report?customer=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv: the report as a file. */
export const GET = apiRoute(async (request: NextRequest, _context: unknown, requestId) => {
  const params = request.nextUrl.searchParams;
  const raw = rawAccessReportQuery(params);
  await accessReportReader(requestId, raw);
  const parsed = parseAccessReportRequest(params);
  const formats = params.getAll("format");
  const problems = parsed.ok ? [] : [...parsed.messages];
  if (formats.length > 1 || (formats[0] ?? "csv") !== "csv") problems.push("format must be one of the following values: csv");
  if (parsed.ok && parsed.request.customer.by === "email") problems.push("The download takes a customer id: look the email up on the report page first");
  if (!parsed.ok || parsed.request.customer.by !== "id" || problems.length > 0) return refuseAccessReport(requestId, raw, new InvalidQueryError(problems));

  const report = await runAccessReport(requestId, raw, parsed.request.customer.id, parsed.request, { format: "csv" });
  const days = periodDays(parsed.request);
  return new Response(accessReportCsv(report), {
    headers: {
      ...NO_STORE,
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="access-report-${report.customerId}-${days.from}-to-${days.to}${report.truncated ? `-first-${report.limit}` : ""}.csv"`,
      "x-access-report-rows": String(report.rows.length),
      "x-access-report-truncated": String(report.truncated),
      "x-request-id": requestId,
    },
  });
});
