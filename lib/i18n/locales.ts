// The portal's languages (issue 17, point 7), browser-safe: which exist, how each formats, and which a browser asks for.

export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language's own name, as the language switch lists it (never translated: a reader finds their own). */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch" };

/** The Intl locale each language formats dates and numbers with. */
export const INTL_LOCALE: Record<Locale, string> = { en: "en-US", de: "de-DE" };

// Scripts written right to left. None of the portal's languages is yet; <html dir> follows this list, and the
// layout uses logical properties (ms/me/ps/pe/start/end) so one added here needs no CSS.
const RTL = new Set(["ar", "fa", "he", "ur", "yi"]);

/** `de-AT` → `de`. */
function primary(tag: string): string {
  return (tag.split("-")[0] ?? "").trim().toLowerCase();
}

export function dirOf(locale: string): "ltr" | "rtl" {
  return RTL.has(primary(locale)) ? "rtl" : "ltr";
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first of the browser's Accept-Language choices (by weight, then order) the portal speaks; English otherwise.
 * `de-AT;q=0.9, en;q=0.5` → de.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const choices = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: primary(tag.trim()), weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((c) => c.weight > 0 && !Number.isNaN(c.weight))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return choices.map((c) => c.language).find(isLocale) ?? DEFAULT_LOCALE;
}
