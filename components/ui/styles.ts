// Class names shared by every form and table. They use the theme tokens of app/globals.css (`text-muted`,
// `border-line`…), which carry both themes, so nothing here pairs a colour with its `dark:` twin.
export const INPUT = "w-full rounded-md border border-control bg-surface px-2 py-1.5 text-sm text-fg";
export const TH = "whitespace-nowrap px-3 py-2 text-start text-xs font-semibold uppercase tracking-wide text-muted";
export const ROW = "border-t border-line";
export const LINK = "text-accent underline-offset-2 hover:underline";
export const PANEL = "rounded-md border border-line p-4";
