import type { Metadata } from "next";
import { AccessReportLink } from "@/components/audit/access-report-link";
import { AuditEvents, type SearchParams } from "@/components/audit/audit-events";
import { AlertList } from "@/components/audit/alert-list";
import { IntegrityPanel } from "@/components/audit/integrity-panel";
import { Forbidden } from "@/components/shell/forbidden";
import { listAlerts } from "@/lib/audit/alert";
import { lastVerification, latestCheckpointStatus } from "@/lib/audit/integrity";
import { siemStatus } from "@/lib/siem";
import { auditPageAccess } from "@/lib/audit-service/page-guard";
import { getDb } from "@/lib/db";
import { clientParts, getT } from "@/lib/locale/server";
import { I18nParts } from "@/lib/i18n/parts";
import { interleave } from "@/lib/i18n/interleave";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("audit.docTitle") };
}

const DAY_MS = 86_400_000;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  if ((await auditPageAccess("/audit", params)) === "forbidden") return <Forbidden what="shell.forbidden.auditLog" />;
  const db = await getDb();
  const t = await getT();
  // Open alerts, and those raised in the last 24 hours; raised by each instance's detector (lib/audit/alert-detector.ts).
  const [integrity, alerts, siem] = await Promise.all([lastVerification(db), listAlerts(db, { since: new Date(Date.now() - DAY_MS) }), siemStatus()]);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{t("audit.title")}</h1>
      <p className="text-sm">{interleave(t("audit.reportIntro"), { link: <AccessReportLink>{t("audit.report.title")}</AccessReportLink> })}</p>
      <I18nParts messages={await clientParts("audit.alerts")}>
        <AlertList alerts={alerts} />
      </I18nParts>
      <IntegrityPanel status={integrity} checkpoint={latestCheckpointStatus()} siem={siem} t={t} />
      <AuditEvents basePath="/audit" searchParams={params} />
    </div>
  );
}
