import { parsePhoneNumberFromString } from "libphonenumber-js/min";

const DOTS = "•••";

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
  // Where the country code ends is not visible in `+33552199918`; the numbering plan knows.
  const country = phone.trim().startsWith("+") ? parsePhoneNumberFromString(phone)?.countryCallingCode : undefined;
  const last = digits.slice(-4);
  return `${country ? `+${country} ` : ""}${DOTS}-${DOTS}-${last}`;
}
