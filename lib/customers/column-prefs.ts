import "server-only";
import type { Kysely } from "kysely";
import { z } from "zod";
import { readPreference, writePreference } from "@/lib/db/preferences";
import type { Database } from "@/lib/db/schema";
import { InvalidQueryError } from "@/lib/errors";
import { COLUMN_IDS, DEFAULT_COLUMN_PREFS, DENSITIES, WIDTHS, type ColumnPrefs } from "./columns";

// One person's choice of the customer table's columns, order, widths and density, kept in `staff_preferences` under
// the key "columns" as JSON. Checked on the way in and on the way out (a value stored by an older version that no
// longer fits is the default, never a broken table).

const KEY = "columns";

const prefsSchema = z.strictObject({
  columns: z
    .array(z.enum(COLUMN_IDS, { error: `columns: each must be one of ${COLUMN_IDS.join(", ")}` }), { error: "columns must be a list" })
    .refine((list) => new Set(list).size === list.length, { error: "columns must not repeat a column" })
    .refine((list) => list.includes("name"), { error: "columns must include name (the row's link)" }),
  density: z.enum(DENSITIES, { error: `density must be one of ${DENSITIES.join(", ")}` }),
  // Optional: an arrangement saved before widths existed (or a script that sends none) means every column "normal".
  widths: z
    .partialRecord(z.enum(COLUMN_IDS), z.enum(WIDTHS, { error: `widths: each width must be one of ${WIDTHS.join(", ")}` }), {
      error: `widths must be an object whose keys are among ${COLUMN_IDS.join(", ")}`,
    })
    .default({}),
});

/** The person's arrangement, or the default when they have none. */
export async function readColumnPrefs(db: Kysely<Database>, staffId: string): Promise<ColumnPrefs> {
  const parsed = prefsSchema.safeParse(await readPreference(db, staffId, KEY));
  return parsed.success ? parsed.data : DEFAULT_COLUMN_PREFS;
}

/** Checks and stores the arrangement (replacing the person's last one); bad input changes nothing. */
export async function saveColumnPrefs(db: Kysely<Database>, staffId: string, input: unknown, now = new Date()): Promise<ColumnPrefs> {
  const parsed = prefsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidQueryError(parsed.error.issues.map((issue) => issue.message));
  await writePreference(db, staffId, KEY, parsed.data, now);
  return parsed.data;
}
