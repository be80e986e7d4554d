import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SessionsTable } from "@/components/session/sessions-table";
import { AuthError } from "@/lib/errors";
import { listSessions } from "@/lib/staff/sessions-service";
import { requestId } from "@/lib/http/request-id";

export const metadata: Metadata = { title: "Your sessions" };

export default async function OwnSessionsPage() {
  const sessions = await listSessions(await requestId(), "own").catch((err: unknown) => {
    if (err instanceof AuthError) redirect("/login?callbackUrl=/account/sessions");
    throw err;
  });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Your sessions</h1>
      <p className="text-sm">Where you are signed in now. End any you do not recognise, then change your password.</p>
      <SessionsTable sessions={sessions} showOwner={false} caption="Your open sessions" />
    </div>
  );
}
