import type { Metadata } from "next";
import { AccessReasonsProvider } from "@/components/access/reasons-context";
import { GrantForm, RevokeButton } from "@/components/admin/grant-controls";
import { Forbidden } from "@/components/shell/forbidden";
import { GRANTERS } from "@/lib/staff/grant-service";
import { listGrants } from "@/lib/access/grants";
import { readAccessSettings } from "@/lib/access/settings";
import { currentStaff } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { interleave } from "@/lib/i18n/interleave";
import { I18nParts } from "@/lib/i18n/parts";
import { clientParts, getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("grants.docTitle") };
}
export const dynamic = "force-dynamic";

const TH = "whitespace-nowrap px-3 py-2 text-start text-xs font-semibold uppercase tracking-wide text-muted";
const TD = "px-3 py-2 align-top";
const at = (iso: string) => <time dateTime={iso}>{iso.replace("T", " ").slice(0, 16)} UTC</time>;

/** Time-boxed export grants: give an agent export rights for some hours, see live and past grants, revoke. */
export default async function GrantsPage() {
  const staff = await currentStaff();
  if (!staff || !GRANTERS.includes(staff.role)) return <Forbidden what="shell.forbidden.grants" />;
  const db = await getDb();
  const t = await getT();
  const [grants, agents] = await Promise.all([
    listGrants(db),
    db.selectFrom("staff").select(["id", "email", "name"]).where("role", "=", "agent").where("disabled_at", "is", null).orderBy("email").execute(),
  ]);
  const live = grants.filter((g) => g.state === "live");
  const past = grants.filter((g) => g.state !== "live");
  const table = (rows: typeof grants, label: string, caption: string, withRevoke: boolean) => (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-md border border-line">
      <table className="w-full text-start text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-sunken">
          <tr>
            {(["agent", "permission", "reason", "granted", "expires", "state", ...(withRevoke ? (["revoke"] as const) : [])] as const).map((h) => (
              <th key={h} scope="col" className={TH}>
                {t(`grants.columns.${h}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr className="border-t border-line">
              <td colSpan={withRevoke ? 7 : 6} className={`${TD} text-center`}>
                {t("grants.none")}
              </td>
            </tr>
          )}
          {rows.map((g) => (
            <tr key={g.id} className="border-t border-line">
              <th scope="row" className={`${TD} font-medium`}>
                {g.staffName ?? g.staffEmail ?? g.staffId}
                <span className="block text-xs font-normal">{g.staffEmail}</span>
              </th>
              <td className={TD}>{g.permission}</td>
              <td className={TD}>{g.reason}</td>
              <td className={`${TD} whitespace-nowrap`}>
                {at(g.createdAt)}
                <span className="block text-xs">{t("grants.by", { who: g.grantedByEmail ?? g.grantedBy })}</span>
              </td>
              <td className={`${TD} whitespace-nowrap`}>{at(g.expiresAt)}</td>
              <td className={TD}>
                {t(`grants.states.${g.state}`)}
                {g.revokedAt && (
                  <span className="block text-xs">{interleave(t("grants.atBy", { who: g.revokedByEmail ?? "?" }), { time: at(g.revokedAt) })}</span>
                )}
              </td>
              {withRevoke && (
                <td className={TD}>
                  <RevokeButton id={g.id} who={g.staffEmail ?? g.staffId} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <I18nParts messages={await clientParts("grants.form", "grants.revoke")}>
      <div className="flex flex-col gap-6">
        <h1 className="text-2xl font-semibold">{t("grants.title")}</h1>
        <p className="max-w-3xl text-sm">{t("grants.intro")}</p>
        <AccessReasonsProvider reasons={readAccessSettings().ACCESS_REASONS}>
          <GrantForm agents={agents} />
        </AccessReasonsProvider>
        {(
          [
            ["live", live, t("grants.liveTable"), t("grants.live"), true],
            ["past", past, t("grants.pastTable"), t("grants.pastCaption"), false],
          ] as const
        ).map(([key, rows, label, caption, withRevoke]) => (
          <section key={key} aria-labelledby={`${key}-heading`} className="flex flex-col gap-2">
            <h2 id={`${key}-heading`} className="text-lg font-semibold">
              {t(`grants.${key}`)}
            </h2>
            {table(rows, label, caption, withRevoke)}
          </section>
        ))}
      </div>
    </I18nParts>
  );
}
