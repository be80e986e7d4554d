// Display helpers shared by server and client components: pure; the locale is the person's (lib/i18n), the same on
// the server and in the browser so both draw the same text.

const LOCALE = "en-US";
const DATE_OPTIONS: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };
const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = { ...DATE_OPTIONS, hour: "2-digit", minute: "2-digit" };

/** `1234.5` → `$1,234.50`; an unknown currency code falls back to USD rather than failing the page. */
export function formatMoney(amount: number | null | undefined, currency?: string | null, locale = LOCALE): string | null {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return null;
  const code = currency && /^[A-Z]{3}$/i.test(currency) ? currency.toUpperCase() : "USD";
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: code }).format(amount);
  } catch {
    return new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }).format(amount);
  }
}

export type DisplayDate = { label: string; iso: string };

/**
 * A date for people (`Mar 5, 2024`) and its exact ISO instant for `title` and `<time dateTime>`.
 * `timeZone` undefined means the runtime's own zone: the browser's local time.
 */
export function formatDate(value: string | null | undefined, opts: { timeZone?: string; withTime?: boolean; locale?: string } = {}): DisplayDate | null {
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  const options = { ...(opts.withTime ? DATE_TIME_OPTIONS : DATE_OPTIONS), timeZone: opts.timeZone };
  return { label: new Intl.DateTimeFormat(opts.locale ?? LOCALE, options).format(date), iso: date.toISOString() };
}

export type TextPart = { text: string; match: boolean };

/** Splits `text` around every case-insensitive occurrence of `needle`, for `<mark>` highlighting. */
export function highlightParts(text: string, needle: string | null | undefined): TextPart[] {
  if (!needle || !text) return text ? [{ text, match: false }] : [];
  const haystack = text.toLowerCase();
  const lowered = needle.toLowerCase();
  // Lowercasing can change length (e.g. "İ"); then offsets would not line up, so do not highlight.
  if (haystack.length !== text.length || lowered.length !== needle.length) return [{ text, match: false }];
  const parts: TextPart[] = [];
  let from = 0;
  for (let at = haystack.indexOf(lowered); at !== -1; at = haystack.indexOf(lowered, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + lowered.length), match: true });
    from = at + lowered.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** `Ada`, `Lovelace` → `Ada Lovelace`; nothing at all → `(no name)` (or the caller's translation of it). */
export function fullName(first: string | null | undefined, last: string | null | undefined, noName = "(no name)"): string {
  const name = [first, last]
    .filter((part) => part && part.trim())
    .join(" ")
    .trim();
  return name || noName;
}
