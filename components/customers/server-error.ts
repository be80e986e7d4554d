import "server-only";
import { errorResponse } from "@/lib/http/api-error";
import type { ListError } from "@/lib/customers/use-customers";

/**
 * A server-side failure as the browser would have seen it from the API: the same one mapping
 * (`errorResponse`) decides status, public message and retry delay, so page and handler never disagree.
 */
export async function toListError(err: unknown, requestId: string): Promise<ListError> {
  const res = errorResponse(err, requestId);
  const body: unknown = await res.json().catch(() => null);
  const raw = body && typeof body === "object" && "message" in body ? body.message : null;
  const messages = Array.isArray(raw) ? raw.map(String) : [typeof raw === "string" ? raw : "Something went wrong"];
  const retry = Number(res.headers.get("retry-after"));
  return { status: res.status, message: messages.join("; "), messages, retryAfterSec: Number.isFinite(retry) && retry > 0 ? retry : null };
}
