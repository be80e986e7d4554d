// Shared by the table and its skeleton so both have the same shape (no layout shift when rows arrive).
export const COLUMNS = ["Name", "Email", "Phone", "Type", "Status", "Last spent", "Last purchase", "Created", "Contact"] as const;
export { TH } from "@/components/ui/styles";
export const TD = "whitespace-nowrap px-3 py-2 align-middle";
export const ROW = "h-12 border-t border-slate-200 dark:border-slate-800";
