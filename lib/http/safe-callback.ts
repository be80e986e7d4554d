const BASE = "http://portal.invalid";

// A path a browser could read as another host: `//host`, `/\host`, or either once tabs and newlines are dropped.
function leavesOrigin(path: string): boolean {
  const squeezed = path.replace(/[\t\n\r]/g, "");
  return !squeezed.startsWith("/") || squeezed.startsWith("//") || squeezed.startsWith("/\\");
}

/**
 * A sign-in callback may only lead to a path of this portal: anything else goes home. Judged on the parsed and
 * normalised URL (dot segments resolved, backslashes and tabs as a browser reads them), and the result again, so
 * `/.//evil.example`, which normalises to `//evil.example`, is refused.
 */
export function safeCallbackPath(value: string | string[] | undefined | null, fallback = "/"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || leavesOrigin(raw) || /[\u0000-\u001f\u007f]/.test(raw)) return fallback;
  try {
    const url = new URL(raw, BASE);
    if (url.origin !== BASE) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    if (leavesOrigin(path) || new URL(path, BASE).origin !== BASE) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
