import { safeCallbackPath } from "@/lib/http/safe-callback";

/** The list view a detail page was opened from; anything that is not a `/customers` list view goes to the list. */
export function backHref(from: string | string[] | undefined): string {
  const path = safeCallbackPath(from, "/customers");
  return path === "/customers" || path.startsWith("/customers?") ? path : "/customers";
}
