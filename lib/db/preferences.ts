import type { Kysely } from "kysely";
import type { Database } from "./schema";

// `staff_preferences`: one JSON value per person and key, each checked by the module that owns its key
// (lib/customers/column-prefs.ts "columns", lib/locale/preference.ts "locale").

/** The stored value parsed, undefined when the person has none or it is not JSON (the owner's default applies). */
export async function readPreference(db: Kysely<Database>, staffId: string, key: string): Promise<unknown> {
  const row = await db.selectFrom("staff_preferences").select("value").where("staff_id", "=", staffId).where("key", "=", key).executeTakeFirst();
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return undefined;
  }
}

/** Replaces the person's value for `key` (already checked by its owner). */
export async function writePreference(db: Kysely<Database>, staffId: string, key: string, value: unknown, now = new Date()): Promise<void> {
  const json = JSON.stringify(value);
  const updated_at = now.toISOString();
  await db
    .insertInto("staff_preferences")
    .values({ staff_id: staffId, key, value: json, updated_at })
    .onConflict((oc) => oc.columns(["staff_id", "key"]).doUpdateSet({ value: json, updated_at }))
    .execute();
}
