"use client";

import { useContext, useMemo, type ReactNode } from "react";
import { I18nContext } from "./client";
import type { Key } from "./keys";
import { translator, type Catalogue } from "./translate";

/**
 * More of the catalogue for the client components of one page (the sign-in page, the audit and admin pages), on
 * top of the root layout's share. Its own module, so the pages that do not use it (/customers) do not load it.
 * The server side is `clientParts()` in lib/locale/server.ts.
 */
export function I18nParts({ messages, children }: { messages: Catalogue; children: ReactNode }) {
  const outer = useContext(I18nContext);
  const value = useMemo(() => {
    const all = { ...outer.messages, ...messages };
    return { locale: outer.locale, messages: all, t: translator<Key>(outer.locale, all) };
  }, [outer, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
