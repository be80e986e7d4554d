import "server-only";
import type { Kysely } from "kysely";
import { z } from "zod";
import { audited } from "@/lib/access/gate";
import { ROLES } from "@/lib/roles";
import { getDb } from "@/lib/db";
import { readPreference, writePreference } from "@/lib/db/preferences";
import type { Database } from "@/lib/db/schema";
import { InvalidQueryError } from "@/lib/errors";
import { LOCALES, isLocale, type Locale } from "@/lib/i18n/locales";

// A person's language, kept in `staff_preferences` under "locale" beside their columns. None stored: the browser's
// Accept-Language decides (lib/locale/server.ts).

const KEY = "locale";
const schema = z.strictObject({ locale: z.enum(LOCALES, { error: `locale must be one of ${LOCALES.join(", ")}` }) }, { error: "expected { locale }" });

export async function readLocalePref(db: Kysely<Database>, staffId: string): Promise<Locale | null> {
  const stored = await readPreference(db, staffId, KEY);
  return isLocale(stored) ? stored : null;
}

/** Checks and stores the person's language; bad input changes nothing. */
export async function saveLocalePref(db: Kysely<Database>, staffId: string, input: unknown, now = new Date()): Promise<{ locale: Locale }> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidQueryError(parsed.error.issues.map((issue) => issue.message));
  await writePreference(db, staffId, KEY, parsed.data.locale, now);
  return parsed.data;
}

/** PUT /api/preferences/locale: through the one gate, as the columns are; every role has a language. */
export async function saveLocaleForSession(body: unknown, requestId: string): Promise<{ locale: Locale }> {
  return audited({
    action: "preferences.locale",
    roles: ROLES,
    requestId,
    query: { body: JSON.stringify(body ?? null).slice(0, 200) },
    async run(staff) {
      const saved = await saveLocalePref(await getDb(), staff.id, body);
      return { value: saved, query: saved };
    },
  });
}
