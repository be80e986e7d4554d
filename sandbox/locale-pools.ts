import { de, el, en, es, fr, ja, ko, ru, type LocaleDefinition } from "@faker-js/faker";

type Sex = "female" | "male";

export interface LocalePool {
  readonly code: string;
  /** Share of generated customers, out of the sum of all weights. */
  readonly weight: number;
  readonly firstNames: Readonly<Record<Sex, readonly string[]>>;
  readonly lastNames: Readonly<Record<Sex, readonly string[]>>;
  readonly phoneFormats: readonly string[];
  readonly emailDomains: readonly string[];
}

interface SexedEntries {
  generic?: readonly string[];
  female?: readonly string[];
  male?: readonly string[];
}

function bySex(entries: SexedEntries | null | undefined, code: string): Record<Sex, readonly string[]> {
  const generic = entries?.generic ?? [];
  const female = [...new Set([...(entries?.female ?? []), ...generic])];
  const male = [...new Set([...(entries?.male ?? []), ...generic])];
  if (female.length === 0 || male.length === 0) throw new Error(`faker locale ${code} lacks names`);
  return { female, male };
}

function pool(code: string, weight: number, locale: LocaleDefinition, options: { phoneFormats?: readonly string[] } = {}): LocalePool {
  const person = locale.person;
  const formats = locale.phone_number?.format;
  const phoneFormats = options.phoneFormats ?? formats?.international ?? [];
  if (phoneFormats.length === 0) throw new Error(`faker locale ${code} lacks phone formats`);
  return {
    code,
    weight,
    firstNames: bySex(person?.first_name, code),
    lastNames: bySex(person?.last_name, code),
    phoneFormats,
    emailDomains: locale.internet?.free_email ?? ["gmail.com"],
  };
}

/** Built once at import: faker's locale data, weighted so English-speaking customers dominate. */
export const LOCALE_POOLS: readonly LocalePool[] = [
  pool("en", 55, en, { phoneFormats: ["+1-!##-!##-####"] }),
  pool("de", 9, de),
  pool("fr", 8, fr),
  pool("es", 10, es),
  pool("ru", 6, ru),
  pool("el", 4, el),
  pool("ja", 4, ja),
  pool("ko", 4, ko),
];

export const BUSINESS_DOMAINS: readonly string[] = ["business.com", "example.com", "acme.io", "globex.com", "initech.net", "umbrella.org", "northwind.co"];

/** Syllables for handles of customers whose names have no ASCII transliteration here (ja, ko). */
export const HANDLE_SYLLABLES: readonly string[] = [
  "ha",
  "ru",
  "ka",
  "mi",
  "yu",
  "ki",
  "sa",
  "to",
  "na",
  "ko",
  "ji",
  "min",
  "seo",
  "yeon",
  "woo",
  "hye",
  "jun",
  "ta",
  "ro",
  "shi",
  "ma",
  "ri",
  "su",
  "ho",
  "ae",
  "kyung",
  "sung",
  "hi",
  "no",
  "ya",
];
