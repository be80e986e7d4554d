"use client";

import { createContext, type ReactNode, useContext } from "react";

const ReasonsContext = createContext<readonly string[]>([]);

/** The configured reasons for access (ACCESS_REASONS), read by the server and handed to the browser's reason forms. */
export function AccessReasonsProvider({ reasons, children }: { reasons: readonly string[]; children: ReactNode }) {
  return <ReasonsContext.Provider value={reasons}>{children}</ReasonsContext.Provider>;
}

export function useAccessReasons(): readonly string[] {
  return useContext(ReasonsContext);
}
