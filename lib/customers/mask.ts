import metadata from "libphonenumber-js/metadata.min.json";

const DOTS = "•••";

// Every calling code in the numbering plan (countries and the non-geographic 800, 808, 870...). E.164 codes are
// prefix-free, so the one-, two- or three-digit prefix that is a code is the code. A table lookup: parsing the
// whole number to learn it cost 16 µs a phone, 0.4 ms for a page of 25.
const CALLING_CODES: ReadonlySet<string> = new Set([...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic)]);

/** The country calling code an international number starts with (`+33552199918` → `33`), if it has one. */
export function callingCodeOf(phone: string): string | undefined {
  return codeAtStart(phone, phone.replace(/\D/g, ""));
}

function codeAtStart(phone: string, digits: string): string | undefined {
  if (!phone.trimStart().startsWith("+")) return undefined;
  for (let length = 1; length <= 3; length++) {
    const code = digits.slice(0, length);
    // Only when digits beyond the code remain to be hidden: `+1 23` must not show a code that is most of it.
    if (CALLING_CODES.has(code)) return digits.length - length > 4 ? code : undefined;
  }
  return undefined;
}

/** `jane@example.com` → `j•••@example.com`. */
export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.lastIndexOf("@");
  if (at < 1) return DOTS;
  return `${Array.from(email)[0]}${DOTS}${email.slice(at)}`;
}

/** `+1 (555) 123-4567` → `+1 •••-•••-4567`, `+33552199918` → `+33 •••-•••-9918`: country code and last four digits stay. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, "");
  const country = codeAtStart(phone, digits);
  const last = digits.slice(-4);
  return `${country ? `+${country} ` : ""}${DOTS}-${DOTS}-${last}`;
}
