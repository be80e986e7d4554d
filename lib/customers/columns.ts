// The customer table's columns as each person arranges them (issue 17, point 6): shared by the server, which keeps
// the choice per person, and the browser, which draws it. No schema library here: the server checks with zod.

export const COLUMN_IDS = ["name", "email", "phone", "type", "status", "last_spent", "last_purchase", "created", "contact"] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export const DENSITIES = ["comfortable", "compact"] as const;
export type Density = (typeof DENSITIES)[number];

/** A column's width: "normal" fits its content; narrow cuts long values short (…); wide gives them room. */
export const WIDTHS = ["narrow", "normal", "wide"] as const;
export type Width = (typeof WIDTHS)[number];

/**
 * `columns`: the ones shown, in order (Name always: it is the row's link and keyboard target). `widths`: the columns
 * this person sized; a column not named here is "normal".
 */
export type ColumnPrefs = { columns: ColumnId[]; density: Density; widths: Partial<Record<ColumnId, Width>> };

export const DEFAULT_COLUMN_PREFS: ColumnPrefs = { columns: [...COLUMN_IDS], density: "comfortable", widths: {} };
