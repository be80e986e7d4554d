import "server-only";
import { audited } from "@/lib/access/gate";
import { CUSTOMER_READERS } from "@/lib/roles";
import { getDb } from "@/lib/db";
import { readColumnPrefs, saveColumnPrefs } from "./column-prefs";
import type { ColumnPrefs } from "./columns";

// The door to a person's column arrangement (PUT /api/preferences/columns): through the one gate, as saved views.

export async function saveColumnsForSession(body: unknown, requestId: string): Promise<ColumnPrefs> {
  return audited({
    action: "preferences.columns",
    roles: CUSTOMER_READERS,
    requestId,
    query: { body: JSON.stringify(body ?? null).slice(0, 500) },
    async run(staff) {
      const prefs = await saveColumnPrefs(await getDb(), staff.id, body);
      return { value: prefs, query: prefs };
    },
  });
}

/** The arrangement for the list page's first render; the default when the store cannot say (the table still draws). */
export async function columnsFor(staffId: string): Promise<ColumnPrefs | null> {
  try {
    return await readColumnPrefs(await getDb(), staffId);
  } catch {
    return null;
  }
}
