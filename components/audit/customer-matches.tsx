import Link from "next/link";
import type { CustomerMatch } from "@/lib/audit-service/customer-lookup";
import { accessReportParams } from "@/lib/audit/access-report-request";
import { LINK } from "./styles";
import { getT } from "@/lib/locale/server";

/** Several customers share the email: the auditor picks the data subject; each link runs that one's report. */
export async function CustomerMatches({ email, matches, period }: { email: string; matches: CustomerMatch[]; period: { from: Date; to: Date } }) {
  const t = await getT();
  return (
    <section aria-labelledby="matches-heading" className="flex flex-col gap-2">
      <h2 id="matches-heading" className="text-lg font-semibold">
        {t("audit.report.matches", { count: matches.length, email })}
      </h2>
      <p className="text-sm">{t("audit.report.pick")}</p>
      <ul className="flex flex-col gap-1 text-sm">
        {matches.map((m) => (
          <li key={m.id}>
            <Link href={`/audit/access-report?${accessReportParams(m.id, period).toString()}`} className={LINK}>
              {m.name} <span className="break-all font-mono text-xs">{m.id}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
