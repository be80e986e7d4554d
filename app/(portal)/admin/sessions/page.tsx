import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SessionsTable } from "@/components/session/sessions-table";
import { Forbidden } from "@/components/shell/forbidden";
import { AuthError } from "@/lib/errors";
import { listSessions } from "@/lib/staff/sessions-service";
import { requestId } from "@/lib/http/request-id";

export const metadata: Metadata = { title: "Sessions" };

export default async function AllSessionsPage() {
  let sessions;
  try {
    sessions = await listSessions(await requestId(), "all");
  } catch (err) {
    if (err instanceof AuthError && err.status === 403) return <Forbidden what="shell.forbidden.sessions" />;
    if (err instanceof AuthError) redirect("/login?callbackUrl=/admin/sessions");
    throw err;
  }
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Open sessions</h1>
      <p className="text-sm">Everyone signed in now. Ending a session takes effect on its next request; the person must sign in again.</p>
      <SessionsTable sessions={sessions} showOwner caption="Everyone's open sessions" />
    </div>
  );
}
