"use client";

import { createContext, useContext, useState, type ReactNode } from "react";
import { DEFAULT_COLUMN_PREFS, type ColumnPrefs } from "@/lib/customers/columns";

type Shared = { prefs: ColumnPrefs; setPrefs: (prefs: ColumnPrefs) => void };
const ColumnPrefsContext = createContext<Shared>({ prefs: DEFAULT_COLUMN_PREFS, setPrefs: () => {} });

/** The person's arrangement of the customer table, as the server keeps it, for the table and the control. */
export function ColumnPrefsProvider({ initial, children }: { initial: ColumnPrefs; children: ReactNode }) {
  const [prefs, setPrefs] = useState(initial);
  return <ColumnPrefsContext.Provider value={{ prefs, setPrefs }}>{children}</ColumnPrefsContext.Provider>;
}

export function useColumnPrefs(): ColumnPrefs {
  return useContext(ColumnPrefsContext).prefs;
}

/** The arrangement and its setter, for the Columns form. */
export function useColumnPrefsState(): Shared {
  return useContext(ColumnPrefsContext);
}
