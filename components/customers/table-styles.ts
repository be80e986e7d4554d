import type { Density, Width } from "@/lib/customers/columns";

// Shared by the table and its skeleton so both have the same shape (no layout shift when rows arrive).
export { TH } from "@/components/ui/styles";
export const TD = "whitespace-nowrap px-3 py-2 align-middle";
export const ROW = "h-12 border-t border-line";

/** Cell and row classes for the person's density: compact fits about half as many again on a screen. */
export function densityClasses(density: Density): { TD: string; ROW: string } {
  return density === "compact" ? { TD: "whitespace-nowrap px-2 py-0.5 align-middle", ROW: "h-8 border-t border-line" } : { TD, ROW };
}

/** A sized column's cell content sits in a box of this class: narrow cuts long values short (…), wide gives room. */
export const WIDTH_CLASS: Record<Width, string | undefined> = { narrow: "max-w-28 truncate", normal: undefined, wide: "min-w-64" };
