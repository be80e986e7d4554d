// Shared by the table and its skeleton so both have the same shape (no layout shift when rows arrive).
export const COLUMNS = ["Name", "Email", "Phone", "Type", "Status", "Last spent", "Last purchase", "Created", "Contact"] as const;
export const TH = "whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300";
export const TD = "whitespace-nowrap px-3 py-2 align-middle";
export const ROW = "h-12 border-t border-slate-200 dark:border-slate-800";
