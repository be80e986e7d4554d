import type { Metadata } from "next";
import { AuditTable } from "@/components/audit/audit-table";
import { Forbidden } from "@/components/shell/forbidden";
import { getDb } from "@/lib/db";
import { auditPageAccess } from "@/lib/audit/page-guard";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  if ((await auditPageAccess("/audit", {})) === "forbidden") return <Forbidden what="the audit log" />;
  const db = await getDb();
  const events = await db.selectFrom("audit_events").selectAll().orderBy("seq", "desc").limit(100).execute();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <AuditTable events={events} caption="The 100 most recent events, newest first" />
    </div>
  );
}
