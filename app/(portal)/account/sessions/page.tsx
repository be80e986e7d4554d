import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SessionsTable } from "@/components/session/sessions-table";
import { AuthError } from "@/lib/errors";
import { listSessions } from "@/lib/staff/sessions-service";
import { requestId } from "@/lib/http/request-id";
import { I18nParts } from "@/lib/i18n/parts";
import { clientParts, getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("sessions.ownDocTitle") };
}

export default async function OwnSessionsPage() {
  const sessions = await listSessions(await requestId(), "own").catch((err: unknown) => {
    if (err instanceof AuthError) redirect("/login?callbackUrl=/account/sessions");
    throw err;
  });
  const t = await getT();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{t("sessions.ownTitle")}</h1>
      <p className="text-sm">{t("sessions.ownIntro")}</p>
      <I18nParts messages={await clientParts("sessions")}>
        <SessionsTable sessions={sessions} showOwner={false} caption={t("sessions.ownCaption")} />
      </I18nParts>
    </div>
  );
}
