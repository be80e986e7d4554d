// Class names shared by every form and table, so they look alike in both themes.
export const INPUT =
  "w-full rounded-md border border-slate-500 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-400 dark:bg-slate-900 dark:text-slate-100";
export const TH = "whitespace-nowrap px-3 py-2 text-start text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300";
export const ROW = "border-t border-slate-200 dark:border-slate-800";
export const LINK = "text-blue-700 underline-offset-2 hover:underline dark:text-blue-300";
export const PANEL = "rounded-md border border-slate-200 p-4 dark:border-slate-800";
