import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SessionsTable } from "@/components/session/sessions-table";
import { Forbidden } from "@/components/shell/forbidden";
import { AuthError } from "@/lib/errors";
import { listSessions } from "@/lib/staff/sessions-service";
import { requestId } from "@/lib/http/request-id";
import { I18nParts } from "@/lib/i18n/parts";
import { clientParts, getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("sessions.allDocTitle") };
}

export default async function AllSessionsPage() {
  let sessions;
  try {
    sessions = await listSessions(await requestId(), "all");
  } catch (err) {
    if (err instanceof AuthError && err.status === 403) return <Forbidden what="shell.forbidden.sessions" />;
    if (err instanceof AuthError) redirect("/login?callbackUrl=/admin/sessions");
    throw err;
  }
  const t = await getT();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{t("sessions.allTitle")}</h1>
      <p className="text-sm">{t("sessions.allIntro")}</p>
      <I18nParts messages={await clientParts("sessions")}>
        <SessionsTable sessions={sessions} showOwner caption={t("sessions.allCaption")} />
      </I18nParts>
    </div>
  );
}
