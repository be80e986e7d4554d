"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { Key } from "./keys";
import { DEFAULT_LOCALE, INTL_LOCALE, type Locale } from "./locales";
import { translator, type Catalogue, type Translate } from "./translate";

type Shared = { locale: Locale; messages: Catalogue; t: Translate<Key> };
export const I18nContext = createContext<Shared>({ locale: DEFAULT_LOCALE, messages: {}, t: (key) => key });

/** Given by the root layout: the person's language and the client's share of its messages (lib/locale/server.ts). */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Catalogue; children: ReactNode }) {
  const value = useMemo(() => ({ locale, messages, t: translator<Key>(locale, messages) }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The translator for client components: `const t = useT(); t("customers.title")`. */
export function useT(): Translate<Key> {
  return useContext(I18nContext).t;
}

/** The Intl locale ("de-DE") for dates and numbers drawn in the browser. */
export function useIntlLocale(): string {
  return INTL_LOCALE[useContext(I18nContext).locale];
}
