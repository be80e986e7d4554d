import type { Metadata } from "next";
import Link from "next/link";
import { AuditEvents, type SearchParams } from "@/components/audit/audit-events";
import { DayCounts } from "@/components/audit/day-counts";
import { LINK } from "@/components/audit/styles";
import { Forbidden } from "@/components/shell/forbidden";
import { auditPageAccess } from "@/lib/audit-service/page-guard";
import { auditReadSourceForRender } from "@/lib/audit/read-source";
import { countsPerDay } from "@/lib/audit/search";
import { getDb } from "@/lib/db";

export const metadata: Metadata = { title: "Staff access history" };

export default async function StaffHistoryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const path = `/audit/staff/${encodeURIComponent(id)}`;
  if ((await auditPageAccess(path, { ...query, actor: id })) === "forbidden") return <Forbidden what="shell.forbidden.auditLog" />;
  const [db, source] = await Promise.all([getDb(), auditReadSourceForRender()]);
  const [member, counts] = await Promise.all([
    db.selectFrom("staff").select(["email", "name", "role", "disabled_at"]).where("id", "=", id).executeTakeFirst(),
    id.length <= 320 ? countsPerDay(source.db, { actor: id }, { days: 30 }) : [],
  ]);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm">
        <Link href="/audit" className={LINK}>
          ← Audit log
        </Link>
      </p>
      <h1 className="text-xl font-semibold">What {member ? member.name : "this staff member"} accessed</h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {member ? `${member.email} · ${member.role}${member.disabled_at ? " · disabled" : ""} · ` : "Not in the staff list (any more) · "}
        staff id <span className="break-all font-mono text-xs">{id}</span>
      </p>
      <DayCounts counts={counts} caption={`Audit events by this staff member per UTC day, last 30 days, newest first`} />
      <section aria-labelledby="events-heading" className="flex flex-col gap-2">
        <h2 id="events-heading" className="text-lg font-semibold">
          Events
        </h2>
        <AuditEvents basePath={path} searchParams={query} pinned={{ actor: id }} />
      </section>
    </div>
  );
}
