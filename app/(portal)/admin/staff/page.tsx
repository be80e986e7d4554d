import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/components/shell/forbidden";
import { AddStaffForm } from "@/components/staff/add-staff-form";
import { StaffRowActions } from "@/components/staff/staff-row-actions";
import { LocalTime } from "@/components/ui/local-time";
import { staffPageAccess } from "@/lib/staff/staff-admin";
import { listStaffForAdmin } from "@/lib/auth/staff-store";
import { getDb } from "@/lib/db";
import { I18nParts } from "@/lib/i18n/parts";
import { interleave } from "@/lib/i18n/interleave";
import { clientParts, getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("staff.docTitle") };
}
export const dynamic = "force-dynamic";

const TH = "whitespace-nowrap px-3 py-2 text-start text-xs font-semibold uppercase tracking-wide text-muted";
const TD = "px-3 py-2 align-top";

/** A translated sentence with one underlined link in it, where the language puts {link}. */
const withLink = (message: string, href: string, label: string) =>
  interleave(message, {
    link: (
      <Link href={href} className="underline">
        {label}
      </Link>
    ),
  });

export default async function StaffPage() {
  const me = await staffPageAccess();
  if (me === "forbidden") return <Forbidden what="shell.forbidden.staff" />;
  const staff = await listStaffForAdmin(await getDb());
  const t = await getT();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{t("staff.title")}</h1>
      <p className="text-sm">{withLink(t("staff.intro"), "/audit", t("staff.auditLink"))}</p>
      <I18nParts messages={await clientParts("staff.add", "staff.row", "staff.oneTimePassword", "staff.oneTimePasswordFor")}>
        <AddStaffForm />
        <div role="region" aria-label={t("staff.region")} tabIndex={0} className="overflow-x-auto rounded-md border border-line">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">{t("staff.caption", { count: staff.length })}</caption>
            <thead>
              <tr>
                {(["email", "name", "role", "status", "created", "changes"] as const).map((c) => (
                  <th key={c} scope="col" className={TH}>
                    {t(`staff.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <tr key={s.id} className="border-t border-line">
                  <th scope="row" className={`${TD} whitespace-nowrap text-start font-medium`}>
                    {s.email}
                    {s.id === me.id && <span className="ms-1 font-normal text-muted">{t("staff.you")}</span>}
                  </th>
                  <td className={TD}>{s.name}</td>
                  <td className={TD}>{t(`shell.roles.${s.role}`)}</td>
                  <td className={`${TD} whitespace-nowrap`}>
                    {s.disabled_at ? t("staff.disabled") : t("staff.active")}
                    {!s.has_password && <span className="block text-xs text-muted">{t("staff.noPassword")}</span>}
                  </td>
                  <td className={`${TD} whitespace-nowrap`}>
                    <LocalTime value={s.created_at} />
                  </td>
                  <td className={TD}>
                    {s.id === me.id ? (
                      <span className="text-sm">{withLink(t("staff.ownAccount"), "/account", t("staff.accountLink"))}</span>
                    ) : (
                      <StaffRowActions email={s.email} role={s.role} disabled={s.disabled_at !== null} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </I18nParts>
    </div>
  );
}
