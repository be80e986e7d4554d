// One small translator for server and browser alike (no message-format runtime: the JavaScript budget of
// /customers has room for a few hundred bytes, not a library). A message is a string with {placeholders}, or, for
// a count, { one, other } chosen by Intl.PluralRules. Numbers put into a message are formatted for the locale.

import { INTL_LOCALE, type Locale } from "./locales";

type Plural = { one: string; other: string };
export type Catalogue = { [key: string]: string | Plural | Catalogue };
type Vars = Record<string, string | number>;

/** "a.b.c" paths to every message of a catalogue shape. */
export type MessageKey<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string | Plural ? `${Prefix}${K}` : MessageKey<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** The same shape with every message a string (or plural): what a second language must fill in, key for key. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : T[K] extends Plural ? Plural : Shape<T[K]> };

export type Translate<K extends string = string> = (key: K, vars?: Vars) => string;

function isPlural(value: unknown): value is Plural {
  return typeof value === "object" && value !== null && "other" in value && typeof value.other === "string";
}

function lookup(messages: Catalogue, key: string): string | Plural | undefined {
  let at: string | Plural | Catalogue | undefined = messages;
  for (const part of key.split(".")) {
    if (typeof at !== "object" || isPlural(at)) return undefined;
    at = at[part];
  }
  return typeof at === "string" || isPlural(at) ? at : undefined;
}

/** A translator over `messages`; a key it lacks answers the key itself (visible, never a blank). */
export function translator<K extends string>(locale: Locale, messages: Catalogue): Translate<K> {
  const intl = INTL_LOCALE[locale];
  const numbers = new Intl.NumberFormat(intl);
  const plurals = new Intl.PluralRules(intl);
  return (key, vars) => {
    const found = lookup(messages, key);
    if (found === undefined) return key;
    const template = isPlural(found) ? (plurals.select(Number(vars?.count ?? 0)) === "one" ? found.one : found.other) : found;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars[name];
      return value === undefined ? whole : typeof value === "number" ? numbers.format(value) : value;
    });
  };
}
