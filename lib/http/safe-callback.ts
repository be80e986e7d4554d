/** A sign-in callback may only lead to a path of this portal: anything else (another host, `//x`) goes home. */
export function safeCallbackPath(value: string | string[] | undefined | null, fallback = "/"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  try {
    const url = new URL(raw, "http://portal.invalid");
    if (url.origin !== "http://portal.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
