import "server-only";
import { requestHeaders } from "@/lib/http/request-scope";
import { cache } from "react";
import { currentStaffPassive } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { de } from "@/messages/de";
import { en, type Messages } from "@/messages/en";
import { dirOf, negotiateLocale, type Locale } from "@/lib/i18n/locales";
import { readLocalePref } from "./preference";
import type { Key } from "@/lib/i18n/keys";
import { translator, type Catalogue, type Translate } from "@/lib/i18n/translate";

// Translation happens here, on the server. Client components get only the parts of one language they draw
// (CLIENT_PARTS), through <I18nProvider> in the root layout: never the whole catalogue, never the other language.

const CATALOGUES: Record<Locale, Messages> = { en, de };

/** The catalogue's parts client components read; the rest (page text, server components) stays on the server. */
const CLIENT_PARTS = [
  "common",
  "shell",
  "palette",
  "customers",
  "columns",
  "errors",
  "account",
  "detail",
  "reveal",
  "views",
  "recent",
  "session",
  "export",
] as const satisfies readonly (keyof Messages)[];

/**
 * The signed-in person's language if they chose one, else the browser's Accept-Language. A store that cannot
 * answer falls back to the browser's choice: the page still draws (its own error, if any, in a language).
 */
export const getLocale = cache(async (): Promise<Locale> => {
  try {
    const staff = await currentStaffPassive();
    const chosen = staff ? await readLocalePref(await getDb(), staff.id) : null;
    if (chosen) return chosen;
  } catch {
    // fall through to the browser's choice
  }
  return negotiateLocale((await requestHeaders()).get("accept-language"));
});

export const getT = cache(async (): Promise<Translate<Key>> => {
  const locale = await getLocale();
  return translator<Key>(locale, CATALOGUES[locale]);
});

/** What the root layout needs: <html lang dir>, and the client's share of the messages. */
export async function i18nForLayout(): Promise<{ locale: Locale; dir: "ltr" | "rtl"; messages: Catalogue }> {
  const locale = await getLocale();
  const all = CATALOGUES[locale];
  const messages = Object.fromEntries(CLIENT_PARTS.map((part) => [part, all[part]]));
  return { locale, dir: dirOf(locale), messages };
}

/**
 * Parts of the catalogue beyond CLIENT_PARTS, in the person's language, for one page's <I18nParts>: a whole part
 * ("signIn") or one branch of it ("audit.alerts"), so a page sends the browser only what its client components draw.
 */
export async function clientParts(...paths: (keyof Messages | `${keyof Messages}.${string}`)[]): Promise<Catalogue> {
  const all: Catalogue = CATALOGUES[await getLocale()];
  const out: Catalogue = {};
  for (const path of paths) {
    const names = path.split(".");
    const last = names.pop() as string;
    let from: Catalogue = all;
    let to: Catalogue = out;
    for (const name of names) {
      from = from[name] as Catalogue;
      to = (to[name] ??= {}) as Catalogue;
    }
    const value = from[last];
    if (value !== undefined) to[last] = value;
  }
  return out;
}
