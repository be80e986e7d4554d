import type { Metadata } from "next";
import { AccessReportLink } from "@/components/audit/access-report-link";
import { AuditEvents, type SearchParams } from "@/components/audit/audit-events";
import { DayCounts } from "@/components/audit/day-counts";
import { Forbidden } from "@/components/shell/forbidden";
import { auditPageAccess } from "@/lib/audit-service/page-guard";
import { auditReadSourceForRender } from "@/lib/audit/read-source";
import { countsPerDay } from "@/lib/audit/search";
import { interleave } from "@/lib/i18n/interleave";
import { getT } from "@/lib/locale/server";
import { BackToAudit } from "@/components/audit/back-to-audit";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("audit.history.customerDocTitle") };
}

export default async function CustomerHistoryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const path = `/audit/customers/${encodeURIComponent(id)}`;
  if ((await auditPageAccess(path, { ...query, customer: id })) === "forbidden") return <Forbidden what="shell.forbidden.auditLog" />;
  const t = await getT();
  const counts = id.length <= 200 ? await countsPerDay((await auditReadSourceForRender()).db, { customer: id }, { days: 30 }) : [];
  return (
    <div className="flex flex-col gap-4">
      <BackToAudit>{t("audit.history.back")}</BackToAudit>
      <h1 className="text-xl font-semibold">
        {interleave(t("audit.history.customerTitle"), { id: <span className="break-all font-mono text-lg">{id}</span> })}
      </h1>
      <p className="text-sm">
        <AccessReportLink customerId={id}>{t("audit.history.customerReport")}</AccessReportLink>
      </p>
      <DayCounts counts={counts} caption={t("audit.history.customerCaption", { id })} />
      <section aria-labelledby="events-heading" className="flex flex-col gap-2">
        <h2 id="events-heading" className="text-lg font-semibold">
          {t("audit.history.events")}
        </h2>
        <AuditEvents basePath={path} searchParams={query} pinned={{ customer: id }} />
      </section>
    </div>
  );
}
