import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";

// Recently viewed (issue 17, point 4): read from the audit log, no second store. Only the customers the log says
// this person was shown on a detail page (`customer.view`, outcome ok): ids and when, nothing fetched again.

const RECENTLY_VIEWED = 8;
/** How many of the person's latest detail views are looked through for distinct customers. */
const SCAN = 200;

export type RecentlyViewed = { id: string; at: string };

export async function recentlyViewed(db: Kysely<Database>, staffId: string, limit = RECENTLY_VIEWED): Promise<RecentlyViewed[]> {
  const events = await db
    .selectFrom("audit_events")
    .select(["targets", "at"])
    .where("actor_id", "=", staffId)
    .where("action", "=", "customer.view")
    .where("outcome", "=", "ok")
    .orderBy("seq", "desc")
    .limit(SCAN)
    .execute();
  const seen = new Map<string, string>();
  for (const event of events) {
    let targets: unknown;
    try {
      targets = JSON.parse(event.targets);
    } catch {
      continue;
    }
    if (!Array.isArray(targets)) continue;
    for (const id of targets) {
      if (typeof id === "string" && !seen.has(id)) seen.set(id, event.at);
    }
    if (seen.size >= limit) break;
  }
  return [...seen].slice(0, limit).map(([id, at]) => ({ id, at }));
}
