import { z } from "zod";
import { NO_STORE } from "@/lib/http/api-error";
import { InvalidQueryError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { stepUp } from "@/lib/staff/sessions-service";

export const dynamic = "force-dynamic";

const body = z.object({ password: z.string().min(1, "password: enter your password").max(1024, "password: too long") });

/** The password again, before a sensitive action (revealing contact details, exporting). */
export const POST = apiRoute(async (request, _context: unknown, requestId) => {
  const raw: unknown = await request.json().catch(() => null);
  const parsed = body.safeParse(raw);
  if (!parsed.success) throw new InvalidQueryError(parsed.error.issues.map((i) => i.message));
  const times = await stepUp(requestId, parsed.data.password);
  return Response.json(times, { headers: { ...NO_STORE, "x-request-id": requestId } });
});
