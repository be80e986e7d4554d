/**
 * A message the person must notice. `error` and `warning` are announced at once (role="alert"); `info` and
 * `success` politely (role="status"). `boxed` draws the panel; without it the text stands inline under a field or
 * a button.
 */
export type AlertTone = "error" | "warning" | "info" | "success";

const BOXED: Record<AlertTone, string> = {
  error: "rounded-md border border-danger-edge bg-danger-bg px-3 py-2 text-sm text-danger-ink",
  warning: "rounded-md border border-warning-edge bg-warning-bg px-3 py-2 text-sm text-warning-ink",
  info: "rounded-md border border-edge bg-sunken px-3 py-2 text-sm text-fg",
  success: "rounded-md border border-success-edge bg-success-bg px-3 py-2 text-sm text-success-ink",
};
const INLINE: Record<AlertTone, string> = {
  error: "text-sm text-danger",
  warning: "text-sm text-warning-ink",
  info: "text-sm text-muted",
  success: "text-sm text-success-ink",
};

export function alertClass(tone: AlertTone, boxed = true): string {
  return boxed ? BOXED[tone] : INLINE[tone];
}
