const DOTS = "•••";

/** `jane@example.com` → `j•••@example.com`. */
export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.lastIndexOf("@");
  if (at < 1) return DOTS;
  return `${Array.from(email)[0]}${DOTS}${email.slice(at)}`;
}

/** `+1 (555) 123-4567` → `+1 •••-•••-4567`: the country code and last four digits stay. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, "");
  const country = /^\s*\+(\d{1,3})\b/.exec(phone)?.[1];
  const last = digits.slice(-4);
  return `${country ? `+${country} ` : ""}${DOTS}-${DOTS}-${last}`;
}
