import type { Metadata } from "next";
import { AuditEvents, type SearchParams } from "@/components/audit/audit-events";
import { DayCounts } from "@/components/audit/day-counts";
import { Forbidden } from "@/components/shell/forbidden";
import { auditPageAccess } from "@/lib/audit-service/page-guard";
import { auditReadSourceForRender } from "@/lib/audit/read-source";
import { countsPerDay } from "@/lib/audit/search";
import { getDb } from "@/lib/db";
import { interleave } from "@/lib/i18n/interleave";
import { getT } from "@/lib/locale/server";
import { BackToAudit } from "@/components/audit/back-to-audit";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("audit.history.staffDocTitle") };
}

export default async function StaffHistoryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const path = `/audit/staff/${encodeURIComponent(id)}`;
  if ((await auditPageAccess(path, { ...query, actor: id })) === "forbidden") return <Forbidden what="shell.forbidden.auditLog" />;
  const [db, source, t] = await Promise.all([getDb(), auditReadSourceForRender(), getT()]);
  const [member, counts] = await Promise.all([
    db.selectFrom("staff").select(["email", "name", "role", "disabled_at"]).where("id", "=", id).executeTakeFirst(),
    id.length <= 320 ? countsPerDay(source.db, { actor: id }, { days: 30 }) : [],
  ]);
  return (
    <div className="flex flex-col gap-4">
      <BackToAudit>{t("audit.history.back")}</BackToAudit>
      <h1 className="text-xl font-semibold">{t("audit.history.staffTitle", { name: member ? member.name : t("audit.history.thisStaff") })}</h1>
      <p className="text-sm text-muted">
        {interleave(
          member
            ? t(member.disabled_at ? "audit.history.staffLineDisabled" : "audit.history.staffLine", {
                email: member.email,
                role: t(`shell.roles.${member.role}`),
              })
            : t("audit.history.notStaff"),
          { id: <span className="break-all font-mono text-xs">{id}</span> },
        )}
      </p>
      <DayCounts counts={counts} caption={t("audit.history.staffCaption")} />
      <section aria-labelledby="events-heading" className="flex flex-col gap-2">
        <h2 id="events-heading" className="text-lg font-semibold">
          {t("audit.history.events")}
        </h2>
        <AuditEvents basePath={path} searchParams={query} pinned={{ actor: id }} />
      </section>
    </div>
  );
}
