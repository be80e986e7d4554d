/**
 * A message the person must notice. `error` and `warning` are announced at once (role="alert"); `info` politely
 * (role="status"). `boxed` draws the panel; without it the text stands inline under a field or a button.
 */
export type AlertTone = "error" | "warning" | "info";

const BOXED: Record<AlertTone, string> = {
  error: "rounded-md border border-red-600 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100",
  warning: "rounded-md border border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50",
  info: "rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100",
};
const INLINE: Record<AlertTone, string> = {
  error: "text-sm text-red-800 dark:text-red-300",
  warning: "text-sm text-amber-900 dark:text-amber-200",
  info: "text-sm text-slate-700 dark:text-slate-300",
};

export function alertClass(tone: AlertTone, boxed = true): string {
  return boxed ? BOXED[tone] : INLINE[tone];
}
