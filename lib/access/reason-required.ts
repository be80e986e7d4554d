// Its own module: the browser's list page needs only this test, not the checks of lib/access/reasons.ts.

/** The body of a `reason_required` answer: no customer data, only that a reason is needed and which ones count. */
export type ReasonRequiredBody = { statusCode: number; error: string; code: "reason_required"; message: string[]; reasons: string[] };

export function isReasonRequiredBody(body: unknown): body is ReasonRequiredBody {
  if (!body || typeof body !== "object") return false;
  const b = body as Record<string, unknown>;
  return b.code === "reason_required" && Array.isArray(b.reasons) && b.reasons.every((r) => typeof r === "string");
}
